#include "governance/alliance.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <limits>
#include <numeric>

#include "core/rng.hpp"
#include "ledger/ledger.hpp"
#include "sim/settings.hpp"
#include "sim/world.hpp"
#include "society/view.hpp"

namespace civitas::governance {

// Products of two amounts need 128 bits (a GCC extension, marked so that -Wpedantic accepts it).
__extension__ typedef __int128 wide;
namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

enum class trip : std::uint8_t { none, real, fake };
}  // namespace

alliance::alliance(const params::scenario& s)
    : p_(s.get<alliance_params>()), seed_(s.get<sim::run_params>().seed) {}

void alliance::setup(const society::view& m, sim::world& w) {
  ledger::ledger& l = w.ledger();
  citizens_ = m.citizens();
  issuer_owner_ = m.government();
  distributor_ = m.charity_agent(0);
  platform_ = m.charity_agent(m.charities() - 1);
  clearing_ = m.firm_agent(0);
  // Sponsors: the largest retailers (by staff; ties to the lower index).
  std::vector<std::uint32_t> retail(m.retailers().begin(), m.retailers().end());
  std::stable_sort(retail.begin(), retail.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return m.staff_of(a) > m.staff_of(b); });
  retail.resize(std::min<std::size_t>(retail.size(), p_.sponsors));
  sponsors_ = retail;

  token_ = l.add_token({"points", ledger::token_kind::points}, issuer_owner_);
  l.authorise_mint(token_, code(governance::alliance_reason::alliance_issue));
  l.authorise_burn(token_, code(governance::alliance_reason::alliance_burn));
  l.authorise_burn(token_, code(governance::alliance_reason::alliance_clawback));
  distributor_float_ = l.open_account(distributor_, token_);
  first_user_account_ = static_cast<account_id>(l.account_count());
  for (agent_id c = 0; c < citizens_; ++c) l.open_account(c, token_);
  for (std::size_t i = 0; i < sponsors_.size(); ++i)
    offer_accounts_.push_back(l.open_account(platform_, token_));
  clearing_cash_ = l.open_account(clearing_, 0);
  fake_points_.assign(citizens_, 0);
  frozen_until_.assign(citizens_, 0);
}

void alliance::decide_citizen(agent_id citizen, std::span<const amount_t> balances, step_t step,
                              std::vector<ledger::transfer_intent>& out) const {
  if (sponsors_.empty() || balances[points_account(citizen)] < p_.offer_points) return;
  rng_stream draws(seed_, citizen, step, alliance_purpose::redeem);
  if (draws.uniform01() >= p_.redeem_probability) return;
  // Stated even when the account is frozen: the ledger, not the citizen, refuses it.
  const std::size_t sponsor = draws.below(static_cast<std::uint32_t>(sponsors_.size()));
  out.push_back({points_account(citizen), offer_accounts_[sponsor], p_.offer_points, 0, token_,
                 code(governance::alliance_reason::alliance_redeem)});
}

void alliance::govern(const society::view& m, sim::world& w, const step_acts&) {
  ledger::ledger& l = w.ledger();
  const step_t step = l.current_step();
  step_ = {};
  for (agent_id c = 0; c < citizens_; ++c)
    if (frozen_until_[c] != 0 && frozen_until_[c] <= step) {
      l.set_frozen(points_account(c), false);
      frozen_until_[c] = 0;
    }

  // Redemptions settled this step give the citizen the offer's worth: the sponsor's good, as a cash discount.
  for (const auto& r : l.step_records()) {
    if (r.status != 0 || r.reason != code(alliance_reason::alliance_redeem)) continue;
    const auto it = std::find(offer_accounts_.begin(), offer_accounts_.end(), r.credit);
    if (it == offer_accounts_.end() || p_.offer_value <= 0) continue;
    const agent_id sponsor = m.firm_agent(sponsors_[static_cast<std::size_t>(it - offer_accounts_.begin())]);
    const agent_id user = l.account(r.debit).owner;
    const ledger::transfer_intent t{m.cash_account(sponsor),
                                    m.cash_account(user),
                                    p_.offer_value,
                                    0,
                                    0,
                                    code(alliance_reason::alliance_discount)};
    if (l.apply(std::span(&t, 1), sponsor) == ledger::status::applied) step_.discounts += p_.offer_value;
  }

  // Trips: measured, verified by the distributor, credited through a linked chain issuer -> distributor ->
  // user.
  std::vector<trip> trips(citizens_, trip::none);
  std::vector<std::uint8_t> made(citizens_, 0);
  const bool fraud_logit = p_.fraud_rule == behaviour::rule::logit;
  const double p_fraud = fraud_chance();
  std::vector<std::uint8_t> claimed(fraud_logit ? citizens_ : 0, 0);  // 2: eligible, no claim; 1: claimed
  // The cash a verified trip's points buy at the sponsors' offers.
  const double points_value = points_worth();
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, citizens_, 4096), [&](const auto& r) {
    for (agent_id c = r.begin(); c != r.end(); ++c) {
      rng_stream draws(seed_, c, step, alliance_purpose::trip);
      const double u_trip = draws.uniform01(), u_fake = draws.uniform01(), u_check = draws.uniform01();
      double p_trip = p_.trip_probability;
      if (p_.trip_rule == behaviour::rule::logit) {
        // The trip's motive (the citizen's care for the climate) and the points' worth (what the offers give
        // per point) against its cost in time and comfort.
        const behaviour::utility u{p_.trip_motive * m.goal_weight(c, 0), p_.verification * points_value,
                                   p_.trip_cost, 0};
        p_trip = behaviour::logit_probability(p_.trip_lambda, u.total());
      }
      if (u_trip < p_trip) made[c] = 1;
      if (u_trip < p_trip && u_check < p_.verification)
        trips[c] = trip::real;
      else if (u_fake < p_fraud && u_check < p_.fake_pass)
        trips[c] = trip::fake;  // a claimed trip that never happened, wrongly verified
      if (fraud_logit && trips[c] != trip::real) claimed[c] = u_fake < p_fraud ? 1 : 2;
    }
  });
  step_.trips = static_cast<std::uint64_t>(std::count(made.begin(), made.end(), 1));
  if (fraud_logit) {
    step_.claims = static_cast<std::uint64_t>(std::count(claimed.begin(), claimed.end(), 1));
    step_.eligible = step_.claims + static_cast<std::uint64_t>(std::count(claimed.begin(), claimed.end(), 2));
  }
  const account_id issuer = l.issuer_account(token_);
  for (agent_id c = 0; c < citizens_; ++c) {
    if (trips[c] == trip::none) continue;
    const ledger::transfer_intent chain[2] = {
        {issuer, distributor_float_, p_.points_per_trip, 0, token_,
         code(governance::alliance_reason::alliance_issue), ledger::intent_flag::linked},
        {distributor_float_, points_account(c), p_.points_per_trip, 0, token_,
         code(governance::alliance_reason::alliance_credit)}};
    if (l.apply(chain, distributor_) != ledger::status::applied) continue;
    step_.issued += p_.points_per_trip;
    if (trips[c] == trip::fake) fake_points_[c] += p_.points_per_trip;
  }
  if (p_.period != 0 && step % p_.period == 0) {
    clear_period(m, w);
    audit(m, w);
  }
}

void alliance::clear_period(const society::view& m, sim::world& w) {
  ledger::ledger& l = w.ledger();
  const std::size_t n = sponsors_.size();
  if (n == 0) return;
  // What each sponsor is owed: the offers it honoured this period. The points are then retired.
  std::vector<amount_t> owed(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const amount_t points = l.balance(offer_accounts_[i]);
    if (points <= 0) continue;
    const ledger::transfer_intent burn{offer_accounts_[i],
                                       l.issuer_account(token_),
                                       points,
                                       0,
                                       token_,
                                       code(governance::alliance_reason::alliance_burn)};
    if (l.apply(std::span(&burn, 1), platform_) != ledger::status::applied) continue;
    step_.redeemed += points;
    owed[i] = points / p_.offer_points * p_.offer_value;
  }
  // Each sponsor bears an equal share of the period's cost, up to its commitment; the clearing nets what it
  // owes against what it is owed and moves only the differences.
  const amount_t total = std::accumulate(owed.begin(), owed.end(), amount_t{0});
  const amount_t cost = std::min(total, p_.commitment * static_cast<amount_t>(n));
  if (cost <= 0) return;
  std::vector<amount_t> share(n, cost / static_cast<amount_t>(n));
  for (std::size_t i = 0; i < static_cast<std::size_t>(cost % static_cast<amount_t>(n)); ++i) ++share[i];
  std::vector<amount_t> due(n);  // what each is reimbursed: owed, scaled down when commitments fall short
  for (std::size_t i = 0; i < n; ++i)
    due[i] = total == cost ? owed[i] : static_cast<amount_t>(static_cast<wide>(owed[i]) * cost / total);
  amount_t collected = 0, to_pay = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const amount_t net = due[i] - share[i];
    if (net >= 0) {
      to_pay += net;
      continue;
    }
    const agent_id sponsor = m.firm_agent(sponsors_[i]);
    const ledger::transfer_intent in{m.cash_account(sponsor),
                                     clearing_cash_,
                                     -net,
                                     0,
                                     0,
                                     code(governance::alliance_reason::alliance_clearing)};
    if (l.apply(std::span(&in, 1), sponsor) == ledger::status::applied) collected += -net;
  }
  // Receivers are paid from what came in (pro rata if a payer could not pay), the rest waits in clearing.
  const amount_t available = l.balance(clearing_cash_);
  for (std::size_t i = 0; i < n && to_pay > 0; ++i) {
    const amount_t net = due[i] - share[i];
    if (net <= 0) continue;
    const amount_t paid =
        available >= to_pay ? net : static_cast<amount_t>(static_cast<wide>(net) * available / to_pay);
    if (paid <= 0) continue;
    const ledger::transfer_intent out{clearing_cash_,
                                      m.cash_account(m.firm_agent(sponsors_[i])),
                                      paid,
                                      0,
                                      0,
                                      code(governance::alliance_reason::alliance_clearing)};
    if (l.apply(std::span(&out, 1), clearing_) == ledger::status::applied) step_.cleared += paid;
  }
  (void)collected;
}

void alliance::audit(const society::view&, sim::world& w) {
  ledger::ledger& l = w.ledger();
  const step_t step = l.current_step();
  for (agent_id c = 0; c < citizens_; ++c) {
    if (fake_points_[c] == 0) continue;
    rng_stream draws(seed_, c, step, alliance_purpose::audit);
    const bool found = draws.uniform01() < p_.audit_probability;
    const amount_t fake = fake_points_[c];
    fake_points_[c] = 0;  // audited once: what is not found now is not looked for again
    if (!found) continue;
    const account_id account = points_account(c);
    l.set_frozen(account, false);  // a claw-back debits the account, so lift any earlier freeze first
    const amount_t back = std::min(fake, l.balance(account));
    if (back > 0) {
      const ledger::transfer_intent t{account, l.issuer_account(token_),
                                      back,    0,
                                      token_,  code(governance::alliance_reason::alliance_clawback)};
      if (l.apply(std::span(&t, 1), issuer_owner_) == ledger::status::applied) step_.clawed_back += back;
    }
    if (p_.freeze_steps > 0) {
      l.set_frozen(account, true);
      frozen_until_[c] = step + p_.freeze_steps;
      freezes_.emplace_back(step, account);
    }
  }
}

void alliance::score(const society::view&, const sim::world&, regime_row& row) const {
  row.set("points_issued", static_cast<double>(step_.issued));
  row.set("points_redeemed", static_cast<double>(step_.redeemed));
  row.set("points_clawed_back", static_cast<double>(step_.clawed_back));
  row.set("frozen_accounts", static_cast<double>(std::count_if(frozen_until_.begin(), frozen_until_.end(),
                                                               [](step_t t) { return t != 0; })));
  row.set("cleared_cash", static_cast<double>(step_.cleared));
  row.set("trips", static_cast<double>(step_.trips));
  row.set("discounts_paid", static_cast<double>(step_.discounts));
}

double alliance::points_worth() const {
  return static_cast<double>(p_.points_per_trip) * static_cast<double>(p_.offer_value) /
         static_cast<double>(p_.offer_points);
}

behaviour::utility alliance::fraud_utility() const {
  // The points' cash worth at the sponsors' offers; a claim earns them only if it passes the check, and an
  // audit (with chance q, where there are audits) claws them back and adds the freeze.
  const double worth = points_worth();
  const double q = p_.period != 0 ? p_.audit_probability : 0.0;
  const double gain = p_.fake_pass * worth;
  const double sanction = q * p_.fake_pass * (worth + p_.fraud_penalty);
  return {0, gain - sanction, p_.fraud_scruple, 0};
}

double alliance::fraud_chance() const {
  if (p_.fraud_rule != behaviour::rule::logit) return p_.fraud_probability;
  return behaviour::logit_probability(p_.fraud_lambda, fraud_utility().total());
}

std::vector<std::string> alliance::own_columns() const {
  if (p_.fraud_rule != behaviour::rule::logit) return {};
  return {"fraud_rate"};
}

void alliance::score_own(std::span<double> out) const {
  out[0] = step_.eligible > 0 ? static_cast<double>(step_.claims) / static_cast<double>(step_.eligible) : nan;
}

std::vector<params::param> alliance_params::declare() {
  return {
      params::integer("sponsors", &alliance_params::sponsors, 0, 1'000'000, "agents",
                      "Largest retailers that sponsor offers", "domain.md §4"),
      params::real("trip_probability", &alliance_params::trip_probability, params::closed(0.0, 1.0),
                   "probability", "Chance per step that a citizen makes a low-carbon trip",
                   "domain.md §4: low-carbon travel pilot"),
      params::integer("points_per_trip", &alliance_params::points_per_trip, 1, 1'000'000'000, "points",
                      "Points a verified trip earns", "modelling choice"),
      params::real("verification", &alliance_params::verification, params::closed(0.0, 1.0), "probability",
                   "Chance the distributor verifies a real trip", "domain.md §4"),
      params::real("fraud_probability", &alliance_params::fraud_probability, params::closed(0.0, 1.0),
                   "probability", "Chance per step that a citizen claims a trip that never happened",
                   "modelling choice"),
      params::real("fake_pass", &alliance_params::fake_pass, params::closed(0.0, 1.0), "probability",
                   "Chance a fake claim passes the distributor's check", "modelling choice"),
      params::integer("offer_points", &alliance_params::offer_points, 1, 1'000'000'000, "points",
                      "Points a sponsor's offer costs", "modelling choice"),
      params::integer("offer_value", &alliance_params::offer_value, 0, 1'000'000'000, "cash",
                      "Cash value of the good a sponsor gives for an offer", "modelling choice"),
      params::real("redeem_probability", &alliance_params::redeem_probability, params::closed(0.0, 1.0),
                   "probability", "Chance per step that a citizen with enough points redeems",
                   "modelling choice"),
      params::integer("commitment", &alliance_params::commitment, 0, 1'000'000'000'000, "cash",
                      "Cash each sponsor commits per clearing period", "domain.md §4: sponsors pre-commit"),
      params::integer("period", &alliance_params::period, 0, 1'000'000, "steps",
                      "Steps between clearings and audits", "domain.md §4: clearing per period"),
      params::real("audit_probability", &alliance_params::audit_probability, params::closed(0.0, 1.0),
                   "probability", "Chance the supervisor finds a cheat's fake points",
                   "domain.md §4: the supervisor"),
      params::integer("freeze_steps", &alliance_params::freeze_steps, 0, 1'000'000, "steps",
                      "Steps a found cheat's points account stays frozen", "domain.md §4: freeze"),
      params::choice(
          "trip_rule", &alliance_params::trip_rule, behaviour::rule_names,
          "fixed: trips at trip_probability; logit: a choice on the climate motive, the points' worth "
          "and the trip's cost",
          "domain.md §8: logit (McFadden 1974)"),
      params::real("trip_lambda", &alliance_params::trip_lambda, params::closed(0.0, 100.0), "per cash",
                   "Logit rule: precision of the trip choice", "McKelvey & Palfrey 1995"),
      params::real(
          "trip_motive", &alliance_params::trip_motive, params::closed(0.0, 1e9), "cash",
          "Logit rule: motive of a citizen whose values are all on climate action (scaled by its weight)",
          "modelling choice"),
      params::real("trip_cost", &alliance_params::trip_cost, params::closed(0.0, 1e9), "cash",
                   "Logit rule: cash-equivalent cost of the low-carbon trip (time, comfort)",
                   "modelling choice"),
      params::choice(
          "fraud_rule", &alliance_params::fraud_rule, behaviour::rule_names,
          "fixed: fake claims at fraud_probability; logit: a fake claim as a choice on the points' "
          "worth against the audit's expected sanction and the scruple",
          "Becker 1968; McFadden 1974"),
      params::real("fraud_lambda", &alliance_params::fraud_lambda, params::closed(0.0, 100.0), "per cash",
                   "Logit fraud rule: precision of the choice; 0 makes every citizen toss a fair coin",
                   "McKelvey & Palfrey 1995"),
      params::real("fraud_scruple", &alliance_params::fraud_scruple, params::closed(0.0, 1e9), "cash",
                   "Logit fraud rule: the moral cost of a fake claim a citizen feels",
                   "modelling choice: the intrinsic term of the act's utility"),
      params::real("fraud_penalty", &alliance_params::fraud_penalty, params::closed(0.0, 1e9), "cash",
                   "Logit fraud rule: cash-equivalent cost of being found, besides the points clawed back "
                   "(the frozen account, the stigma)",
                   "Becker 1968: the penalty k; modelling choice"),
  };
}

}  // namespace civitas::governance
