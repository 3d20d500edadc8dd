#include "governance/social_credit.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/rng.hpp"
#include "ledger/ledger.hpp"
#include "sim/world.hpp"
#include "society/society_model.hpp"

namespace civitas::governance {
namespace {
using ledger::reason;
std::uint16_t code(reason r) { return static_cast<std::uint16_t>(r); }
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// What the authority saw of one subject this step.
enum class seen : std::uint8_t { nothing, good, bad, falsely_bad };
}  // namespace

social_credit::social_credit(const io::scenario& s) : s_(s), tradable_(s.value_tradable) {}

void social_credit::setup(society::society_model& m, sim::world& w) {
  citizens_ = m.citizens();
  firms_ = m.firms();
  ledger::ledger& l = w.ledger();
  token_ = l.add_token({"credit_score", ledger::token_kind::certificate}, m.government());
  for (const reason r : {reason::endowment, reason::credit_reward, reason::credit_review}) l.authorise_mint(token_, code(r));
  for (const reason r : {reason::credit_penalty, reason::credit_review}) l.authorise_burn(token_, code(r));
  first_account_ = static_cast<account_id>(l.account_count());
  for (agent_id c = 0; c < citizens_; ++c) l.open_account(c, token_);
  for (std::uint32_t f = 0; f < firms_; ++f) l.open_account(m.firm_agent(f), token_);
  scores_.assign(citizens_ + firms_, s_.credit_start);
  warned_.assign(citizens_ + firms_, 0);
}

void social_credit::endow(society::society_model&, sim::world& w) {
  ledger::ledger& l = w.ledger();
  if (s_.credit_start <= 0) return;
  for (std::uint32_t i = 0; i < citizens_ + firms_; ++i) {
    const ledger::transfer_intent t{l.issuer_account(token_), account_of(i), s_.credit_start, 0, token_, code(reason::endowment)};
    l.apply(std::span(&t, 1), system_agent);
  }
}

social_credit::grade social_credit::grade_of(amount_t score) const {
  if (score >= s_.grade_a) return grade::a;
  if (score >= s_.grade_b) return grade::b;
  if (score >= s_.grade_c) return grade::c;
  return grade::d;
}

amount_t social_credit::purchase_budget(agent_id citizen, amount_t planned) const {
  if (grade_of(scores_[citizen]) != grade::d) return planned;
  return static_cast<amount_t>(std::floor(static_cast<double>(planned) * s_.luxury_cap));
}

bool social_credit::may_bid(std::uint32_t firm) const { return grade_of(scores_[citizens_ + firm]) != grade::d; }

double social_credit::tender_bonus(std::uint32_t firm) const {
  return grade_of(scores_[citizens_ + firm]) == grade::a ? s_.priority_bonus : 0.0;
}

double social_credit::agent_score(agent_id a) const {
  if (a < citizens_) return static_cast<double>(scores_[a]);
  if (a < citizens_ + firms_) return static_cast<double>(scores_[a]);
  return nan;
}

void social_credit::govern(society::society_model& m, sim::world& w, const step_acts& acts) {
  ledger::ledger& l = w.ledger();
  const step_t step = l.current_step();
  const agent_id government = m.government();
  step_ = {};

  // What the authority sees: drawn in parallel, one stream per subject, then acted on in subject order.
  const std::uint32_t subjects = citizens_ + firms_;
  std::vector<seen> sight(subjects, seen::nothing);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, subjects, 4096), [&](const auto& r) {
    for (std::uint32_t i = r.begin(); i != r.end(); ++i) {
      rng_stream draws(s_.seed, i, step, rng_purpose::authority);
      const bool citizen = i < citizens_;
      const bool good = citizen ? acts.citizen_good[i] : acts.firm_good[i - citizens_];
      const bool bad = citizen ? acts.citizen_bad[i] : acts.firm_bad[i - citizens_];
      double detect_bad = s_.credit_q;
      if (!citizen) {
        const double staff = static_cast<double>(m.staff_of(i - citizens_));
        // Each report is one more chance q that the authority acts: with r ~ Binomial(staff, w) reports,
        // P(seen) = 1 - (1 - q) E[(1 - q)^r] = 1 - (1 - q)(1 - w q)^staff, which is 0 when q is 0.
        detect_bad = 1.0 - (1.0 - s_.credit_q) * std::pow(1.0 - s_.whistleblow * s_.credit_q, staff);
      }
      const double u_good = draws.uniform01(), u_bad = draws.uniform01();
      if (bad && u_bad < detect_bad)
        sight[i] = seen::bad;
      else if (!bad && u_bad < s_.credit_q * s_.credit_error)
        sight[i] = seen::falsely_bad;
      else if (good && u_good < s_.credit_q)
        sight[i] = seen::good;
    }
  });

  const account_id issuer = l.issuer_account(token_);
  auto mint = [&](std::uint32_t i, amount_t amount, reason why) {
    const ledger::transfer_intent t{issuer, account_of(i), amount, 0, token_, code(why)};
    return amount > 0 && l.apply(std::span(&t, 1), government) == ledger::status::applied;
  };
  auto burn = [&](std::uint32_t i, amount_t amount, reason why) {
    amount = std::min(amount, l.balance(account_of(i)));  // a score never goes below zero
    const ledger::transfer_intent t{account_of(i), issuer, amount, 0, token_, code(why)};
    return amount > 0 && l.apply(std::span(&t, 1), government) == ledger::status::applied;
  };
  for (std::uint32_t i = 0; i < subjects; ++i) {
    switch (sight[i]) {
      case seen::nothing: break;
      case seen::good:
        if (mint(i, s_.credit_reward, reason::credit_reward)) ++step_.rewards;
        break;
      case seen::bad:
      case seen::falsely_bad:
        if (sight[i] == seen::falsely_bad) ++step_.false_accusations;
        if (!warned_[i]) {  // warning before punishment
          warned_[i] = 1;
          ++step_.warnings;
        } else if (burn(i, s_.credit_penalty, reason::credit_penalty)) {
          ++step_.sanctions;
        }
        break;
    }
  }
  // The periodic review: scores drift back toward the start, so a past act weighs less over time.
  if (s_.credit_review_every > 0 && step % s_.credit_review_every == 0 && s_.credit_decay > 0) {
    for (std::uint32_t i = 0; i < subjects; ++i) {
      const amount_t gap = s_.credit_start - l.balance(account_of(i));
      const auto move = static_cast<amount_t>(std::trunc(static_cast<double>(gap) * s_.credit_decay));
      if (move > 0) mint(i, move, reason::credit_review);
      if (move < 0) burn(i, -move, reason::credit_review);
    }
  }
  for (std::uint32_t i = 0; i < subjects; ++i) scores_[i] = l.balance(account_of(i));

  // Rewards first: A-grade citizens get a rebate from the treasury, while it lasts.
  if (s_.credit_rebate > 0) {
    const account_id treasury = m.cash_account(government);
    for (agent_id c = 0; c < citizens_; ++c) {
      if (grade_of(scores_[c]) != grade::a) continue;
      if (l.balance(treasury) < s_.credit_rebate) break;
      const ledger::transfer_intent t{treasury, m.cash_account(c), s_.credit_rebate, 0, 0, code(reason::credit_rebate)};
      if (l.apply(std::span(&t, 1), government) == ledger::status::applied) step_.rebates += s_.credit_rebate;
    }
  }
}

void social_credit::score(const society::society_model&, const sim::world&, std::span<double> out) const {
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
  const double values[] = {static_cast<double>(step_.sanctions), static_cast<double>(step_.warnings),
                           static_cast<double>(step_.rewards),   static_cast<double>(step_.rebates),
                           citizens_d,                           firms_d,
                           sum / n,                              grades[0] / n,
                           grades[1] / n,                        grades[2] / n,
                           grades[3] / n,                        static_cast<double>(step_.false_accusations)};
  std::copy(std::begin(values), std::end(values), out.begin());
}

}  // namespace civitas::governance
