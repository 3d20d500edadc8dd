#include "governance/social_credit.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/rng.hpp"
#include "ledger/ledger.hpp"
#include "sim/settings.hpp"
#include "sim/world.hpp"
#include "society/behaviours/pools.hpp"
#include "society/view.hpp"

namespace civitas::governance {
namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// What the authority saw of one subject this step.
enum class seen : std::uint8_t { nothing, good, bad, falsely_bad };
}  // namespace

social_credit::social_credit(const params::scenario& s)
    : p_(s.get<social_credit_params>()),
      seed_(s.get<sim::run_params>().seed),
      tradable_(s.get<society::pool_params>().value_tradable) {}

void social_credit::setup(const society::view& m, sim::world& w) {
  citizens_ = m.citizens();
  firms_ = m.firms();
  ledger::ledger& l = w.ledger();
  token_ = l.add_token({"credit_score", ledger::token_kind::certificate}, m.government());
  l.authorise_mint(token_, code(ledger::reason::endowment));
  for (const auto r : {social_credit_reason::credit_reward, social_credit_reason::credit_review})
    l.authorise_mint(token_, code(r));
  for (const auto r : {social_credit_reason::credit_penalty, social_credit_reason::credit_review})
    l.authorise_burn(token_, code(r));
  first_account_ = static_cast<account_id>(l.account_count());
  for (agent_id c = 0; c < citizens_; ++c) l.open_account(c, token_);
  for (std::uint32_t f = 0; f < firms_; ++f) l.open_account(m.firm_agent(f), token_);
  scores_.assign(citizens_ + firms_, p_.start);
  warned_.assign(citizens_ + firms_, 0);
}

void social_credit::endow(const society::view&, sim::world& w) {
  ledger::ledger& l = w.ledger();
  if (p_.start <= 0) return;
  for (std::uint32_t i = 0; i < citizens_ + firms_; ++i) {
    const ledger::transfer_intent t{l.issuer_account(token_),       account_of(i), p_.start, 0, token_,
                                    code(ledger::reason::endowment)};
    l.apply(std::span(&t, 1), system_agent);
  }
}

social_credit::grade social_credit::grade_of(amount_t score) const {
  if (score >= p_.grade_a) return grade::a;
  if (score >= p_.grade_b) return grade::b;
  if (score >= p_.grade_c) return grade::c;
  return grade::d;
}

amount_t social_credit::purchase_budget(agent_id citizen, amount_t planned) const {
  if (grade_of(scores_[citizen]) != grade::d) return planned;
  return static_cast<amount_t>(std::floor(static_cast<double>(planned) * p_.luxury_cap));
}

bool social_credit::may_bid(std::uint32_t firm) const {
  return grade_of(scores_[citizens_ + firm]) != grade::d;
}

double social_credit::tender_bonus(std::uint32_t firm) const {
  return grade_of(scores_[citizens_ + firm]) == grade::a ? p_.priority_bonus : 0.0;
}

std::optional<double> social_credit::label(std::uint32_t firm) const {
  switch (grade_of(scores_[citizens_ + firm])) {
    case grade::a:
      return 1.0;
    case grade::b:
      return 1.0 / 3.0;
    case grade::c:
      return -1.0 / 3.0;
    case grade::d:
      return -1.0;
  }
  return std::nullopt;
}

double social_credit::agent_score(agent_id a) const {
  if (a < citizens_) return static_cast<double>(scores_[a]);
  if (a < citizens_ + firms_) return static_cast<double>(scores_[a]);
  return nan;
}

void social_credit::govern(const society::view& m, sim::world& w, const step_acts& acts) {
  ledger::ledger& l = w.ledger();
  const step_t step = l.current_step();
  const agent_id government = m.government();
  step_ = {};

  // What the authority sees: drawn in parallel, one stream per subject, then acted on in subject order.
  const std::uint32_t subjects = citizens_ + firms_;
  std::vector<seen> sight(subjects, seen::nothing);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, subjects, 4096), [&](const auto& r) {
    for (std::uint32_t i = r.begin(); i != r.end(); ++i) {
      rng_stream draws(seed_, i, step, social_credit_purpose::authority);
      const bool citizen = i < citizens_;
      const bool good = citizen ? acts.citizen_good[i] : acts.firm_good[i - citizens_];
      const bool bad = citizen ? acts.citizen_bad[i] : acts.firm_bad[i - citizens_];
      double detect_bad = p_.q;
      if (!citizen) {
        const double staff = static_cast<double>(m.staff_of(i - citizens_));
        // Each report is one more chance q that the authority acts: with r ~ Binomial(staff, w) reports,
        // P(seen) = 1 - (1 - q) E[(1 - q)^r] = 1 - (1 - q)(1 - w q)^staff, which is 0 when q is 0.
        detect_bad = 1.0 - (1.0 - p_.q) * std::pow(1.0 - p_.whistleblow * p_.q, staff);
      }
      const double u_good = draws.uniform01(), u_bad = draws.uniform01();
      if (bad && u_bad < detect_bad)
        sight[i] = seen::bad;
      else if (!bad && u_bad < p_.q * p_.error)
        sight[i] = seen::falsely_bad;
      else if (good && u_good < p_.q)
        sight[i] = seen::good;
    }
  });

  const account_id issuer = l.issuer_account(token_);
  auto mint = [&](std::uint32_t i, amount_t amount, social_credit_reason why) {
    const ledger::transfer_intent t{issuer, account_of(i), amount, 0, token_, code(why)};
    return amount > 0 && l.apply(std::span(&t, 1), government) == ledger::status::applied;
  };
  auto burn = [&](std::uint32_t i, amount_t amount, social_credit_reason why) {
    amount = std::min(amount, l.balance(account_of(i)));  // a score never goes below zero
    const ledger::transfer_intent t{account_of(i), issuer, amount, 0, token_, code(why)};
    return amount > 0 && l.apply(std::span(&t, 1), government) == ledger::status::applied;
  };
  // A citizen's fine to the treasury, as much of it as the citizen has.
  auto fine = [&](std::uint32_t i) {
    const account_id from = m.cash_account(i);
    const amount_t amount = std::min(p_.fine, l.balance(from));
    const ledger::transfer_intent t{
        from, m.cash_account(government), amount, 0, 0, code(social_credit_reason::credit_fine)};
    if (amount > 0 && l.apply(std::span(&t, 1), government) == ledger::status::applied) step_.fines += amount;
  };
  for (std::uint32_t i = 0; i < subjects; ++i) {
    step_.misconduct += i < citizens_ ? acts.citizen_bad[i] : acts.firm_bad[i - citizens_];
    step_.true_accusations += sight[i] == seen::bad;
    switch (sight[i]) {
      case seen::nothing:
        break;
      case seen::good:
        if (mint(i, p_.reward, governance::social_credit_reason::credit_reward)) ++step_.rewards;
        break;
      case seen::bad:
      case seen::falsely_bad:
        if (sight[i] == seen::falsely_bad) ++step_.false_accusations;
        if (i < citizens_ && p_.fine > 0) fine(i);
        if (!warned_[i]) {  // warning before punishment
          warned_[i] = 1;
          ++step_.warnings;
        } else if (burn(i, p_.penalty, governance::social_credit_reason::credit_penalty)) {
          ++step_.sanctions;
        }
        break;
    }
  }
  // The periodic review: scores drift back toward the start, so a past act weighs less over time.
  if (p_.review_every > 0 && step % p_.review_every == 0 && p_.decay > 0) {
    for (std::uint32_t i = 0; i < subjects; ++i) {
      const amount_t gap = p_.start - l.balance(account_of(i));
      const auto move = static_cast<amount_t>(std::trunc(static_cast<double>(gap) * p_.decay));
      if (move > 0) mint(i, move, governance::social_credit_reason::credit_review);
      if (move < 0) burn(i, -move, governance::social_credit_reason::credit_review);
    }
  }
  for (std::uint32_t i = 0; i < subjects; ++i) scores_[i] = l.balance(account_of(i));

  // Rewards first: A-grade citizens get a rebate from the treasury, while it lasts.
  if (p_.rebate > 0) {
    const account_id treasury = m.cash_account(government);
    for (agent_id c = 0; c < citizens_; ++c) {
      if (grade_of(scores_[c]) != grade::a) continue;
      if (l.balance(treasury) < p_.rebate) break;
      const ledger::transfer_intent t{treasury,  m.cash_account(c),
                                      p_.rebate, 0,
                                      0,         code(governance::social_credit_reason::credit_rebate)};
      if (l.apply(std::span(&t, 1), government) == ledger::status::applied) step_.rebates += p_.rebate;
    }
  }
}

void social_credit::reward_gifts(const society::view& m, sim::world& w, std::span<const amount_t> gifts) {
  gift_rebates_ = 0;
  if (p_.gift_rebate <= 0) return;
  ledger::ledger& l = w.ledger();
  const agent_id government = m.government();
  const account_id treasury = m.cash_account(government);
  for (agent_id c = 0; c < gifts.size(); ++c) {
    if (gifts[c] <= 0) continue;
    const auto back = static_cast<amount_t>(std::floor(static_cast<double>(gifts[c]) * p_.gift_rebate));
    if (back <= 0 || l.balance(treasury) < back) continue;
    const ledger::transfer_intent t{
        treasury, m.cash_account(c), back, 0, 0, code(social_credit_reason::gift_rebate)};
    if (l.apply(std::span(&t, 1), government) == ledger::status::applied) gift_rebates_ += back;
  }
}

void social_credit::score(const society::view&, const sim::world&, regime_row& row) const {
  std::array<double, 4> grades{};
  double citizens_d = 0, firms_d = 0, sum = 0;
  for (std::uint32_t i = 0; i < scores_.size(); ++i) {
    const grade g = grade_of(scores_[i]);
    if (i < citizens_) {
      ++grades[static_cast<std::size_t>(g)];
      sum += static_cast<double>(scores_[i]);
      citizens_d += g == grade::d;
    } else {
      firms_d += g == grade::d;
    }
  }
  const double n = std::max<double>(1, citizens_);
  row.set("sanctions", static_cast<double>(step_.sanctions));
  row.set("warnings", static_cast<double>(step_.warnings));
  row.set("rewards", static_cast<double>(step_.rewards));
  row.set("rebates_paid", static_cast<double>(step_.rebates + gift_rebates_));
  row.set("blacklisted_citizens", citizens_d);
  row.set("blacklisted_firms", firms_d);
  row.set("mean_credit_score", sum / n);
  row.set("grade_a_share", grades[0] / n);
  row.set("grade_b_share", grades[1] / n);
  row.set("grade_c_share", grades[2] / n);
  row.set("grade_d_share", grades[3] / n);
  row.set("false_accusations", static_cast<double>(step_.false_accusations));
  row.set("fines_paid", static_cast<double>(step_.fines));
  const auto accused = static_cast<double>(step_.true_accusations + step_.false_accusations);
  const auto rightly = static_cast<double>(step_.true_accusations);
  row.set("accusation_precision", accused > 0 ? rightly / accused : nan);
  row.set("accusation_recall", step_.misconduct > 0 ? rightly / static_cast<double>(step_.misconduct) : nan);
}

std::vector<params::param> social_credit_params::declare() {
  return {
      params::real("q", &social_credit_params::q, params::closed(0.0, 1.0), "probability",
                   "Chance the authority sees an act",
                   "domain.md §4; Nowak & Sigmund 1998 (cooperation needs q > c/b)"),
      params::real("error", &social_credit_params::error, params::closed(0.0, 1.0), "probability",
                   "Error rate: chance per observation of seeing misconduct that did not happen",
                   "domain.md §4"),
      params::integer("start", &social_credit_params::start, 0, 1'000'000'000, "score points",
                      "Everyone's starting score", "domain.md §4: start 1000"),
      params::integer("reward", &social_credit_params::reward, 0, 1'000'000'000, "score points",
                      "Score added for a good act seen", "domain.md §4"),
      params::integer("penalty", &social_credit_params::penalty, 0, 1'000'000'000, "score points",
                      "Score taken for misconduct seen (after the first, which earns a warning)",
                      "domain.md §4"),
      params::real("decay", &social_credit_params::decay, params::closed(0.0, 1.0), "share",
                   "Share of the gap to the starting score closed at each review", "domain.md §4"),
      params::integer("review_every", &social_credit_params::review_every, 0, 1'000'000, "steps",
                      "Steps between reviews (0: scores never decay)", "modelling choice: quarterly"),
      params::integer("grade_a", &social_credit_params::grade_a, 0, 1'000'000'000, "score points",
                      "Lowest score of grade A", "domain.md §4"),
      params::integer("grade_b", &social_credit_params::grade_b, 0, 1'000'000'000, "score points",
                      "Lowest score of grade B", "domain.md §4"),
      params::integer("grade_c", &social_credit_params::grade_c, 0, 1'000'000'000, "score points",
                      "Lowest score of grade C; below it is D, the blacklist", "domain.md §4"),
      params::integer("rebate", &social_credit_params::rebate, 0, 1'000'000'000, "cash",
                      "Cash paid per step by the government to each A-grade citizen",
                      "domain.md §4: joint rewards"),
      params::real("luxury_cap", &social_credit_params::luxury_cap, params::closed(0.0, 1.0), "share",
                   "Share of its planned spend a blacklisted citizen may spend",
                   "domain.md §4: barred from luxury purchases"),
      params::real("whistleblow", &social_credit_params::whistleblow, params::closed(0.0, 1.0), "probability",
                   "Chance per worker per step of reporting the employer's misconduct", "domain.md §5"),
      params::real("priority_bonus", &social_credit_params::priority_bonus, params::closed(0.0, 10.0), "",
                   "Added to an A-grade firm's tender score", "domain.md §4: priority"),
      params::integer(
          "fine", &social_credit_params::fine, 0, 1'000'000'000, "cash",
          "Cash a citizen pays the government each time the authority sees its misconduct (rightly or not)",
          "Becker 1968: the expected sanction is q x fine"),
      params::real("gift_rebate", &social_credit_params::gift_rebate, params::closed(0.0, 1.0), "share",
                   "Share of each gift to a charity the government pays back to the giver (reason "
                   "gift_rebate), the regime's reward for giving",
                   "modelling choice: a rewarded act (domain.md §4, joint rewards)"),
      params::real("privacy_penalty", &social_credit_params::privacy_penalty, params::closed(0.0, 1e9),
                   "cash",
                   "Added to a citizen's privacy cost of consenting (logit consent rule): shared data feeds "
                   "the authority's surveillance",
                   "modelling choice; Acquisti et al. 2015 (privacy calculus)"),
  };
}

}  // namespace civitas::governance
