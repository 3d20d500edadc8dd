// The good-deeds alliance (WeBank's MERITS low-carbon travel pilot, docs/domain.md §4), its seven roles
// played by agents of the society:
//   issuer      the government: sets the measurement rule, owns the points token's issuer account
//   distributor charity 0: verifies each measured trip and credits the points
//   sponsors    the alliance.sponsors largest retailers: pre-commit a cash budget per period and honour
//               offers (a good worth offer_value cash for offer_points points)
//   platform    the last charity: holds one offer account per sponsor, where end users redeem points
//   clearing    firm 0: nets, per period, what each sponsor is owed for redemptions at its offers against its
//               share of the committed budgets, and settles only the net amounts in cash
//   supervisor  the government: audits each period, claws back points credited for fake trips it finds
//               and freezes the cheat's points account for alliance.freeze_steps
//   end users   citizens: make low-carbon trips, earn points, redeem them
// Points are a `points` token: the ledger credits a token only to accounts of that token, so no transfer
// ever moves points into a cash account, and nothing in this regime buys points for cash: the closed loop
// is enforced by the ledger, not by convention.
//
// Each step, in govern: trips are drawn (a share alliance.fraud_probability of them fake, or under the
// logit fraud rule a choice against the audit); verified trips
// earn points through a linked chain issuer -> distributor -> end user. In decide, citizens with enough
// points redeem at a sponsor's offer (their own points account -> the platform's offer account; a frozen
// account's redemption is rejected by the ledger). Every alliance.period steps: the offer accounts' points
// are burned, the clearing nets and settles sponsors' cash, and the supervisor audits.
#pragma once

#include <cstdint>
#include <vector>

#include "behaviour/choice.hpp"
#include "core/rng.hpp"
#include "governance/regime.hpp"
#include "params/params.hpp"

namespace civitas::governance {

// Random streams of the alliance (numbers never reused; see core/rng.hpp).
enum class alliance_purpose : rng_purpose_code {
  trip = 19,    // a citizen's trip, fake claim and verification
  redeem = 20,  // whether and where a citizen redeems points
  audit = 21,   // whether the supervisor finds a cheat
};
inline constexpr std::array<purpose_name, 3> alliance_purposes{
    {{19, "alliance_trip"}, {20, "alliance_redeem"}, {21, "alliance_audit"}}};

// Why the alliance moves points and cash (stable numbers; see ledger/record.hpp).
enum class alliance_reason : ledger::reason_code {
  alliance_issue = 27,     // points minted by the issuer to the distributor for a verified trip
  alliance_credit = 28,    // distributor -> end user, the trip's points (linked with the issue)
  alliance_redeem = 29,    // end user -> the platform's offer account of a sponsor
  alliance_burn = 30,      // redeemed points retired at clearing
  alliance_clearing = 31,  // a sponsor's net cash settlement, into or out of the clearing account
  alliance_clawback = 32,  // the supervisor takes back points credited for a fake trip
  alliance_discount = 36,  // sponsor -> end user, the cash value of a redeemed offer (the good or discount)
};
inline constexpr std::array<ledger::code_name, 7> alliance_reasons{{{27, "alliance_issue"},
                                                                    {28, "alliance_credit"},
                                                                    {29, "alliance_redeem"},
                                                                    {30, "alliance_burn"},
                                                                    {31, "alliance_clearing"},
                                                                    {32, "alliance_clawback"},
                                                                    {36, "alliance_discount"}}};

struct alliance_params {
  std::uint32_t sponsors = 5;
  double trip_probability = 0.2;  // chance per step that a citizen makes a low-carbon trip
  amount_t points_per_trip = 10;
  double verification = 0.95;       // chance the distributor verifies a real trip
  double fraud_probability = 0.02;  // chance per step that a citizen claims a trip that never happened
  double fake_pass = 0.3;           // chance a fake claim passes the distributor's check
  amount_t offer_points = 50;       // points a sponsor's offer costs
  amount_t offer_value = 25;        // cash value of the good a sponsor gives for an offer
  double redeem_probability = 0.3;  // chance per step that a citizen with enough points redeems
  amount_t commitment = 10'000;     // cash each sponsor commits per clearing period
  std::uint32_t period = 4;         // steps between clearings (and audits)
  double audit_probability = 0.5;   // chance the supervisor finds a cheat's fake points
  std::uint32_t freeze_steps = 8;   // how long a found cheat's points account stays frozen
  behaviour::rule trip_rule = behaviour::rule::fixed;
  double trip_lambda = 0.3;  // logit rule: precision, per cash unit of utility
  double trip_motive =
      10;  // logit rule: cash-equivalent motive of a citizen whose values are all on the climate
  double trip_cost = 12;  // logit rule: cash-equivalent cost of taking the low-carbon way (time, comfort)
  // Fake claims as a choice (Becker 1968): fixed: at fraud_probability; logit: P(claim) = 1 / (1 +
  // exp(-lambda (g - q k - scruple))), g = fake_pass x the points' cash worth, q = audit_probability (0
  // without audits), k = fake_pass x (the points' worth, clawed back, + fraud_penalty).
  behaviour::rule fraud_rule = behaviour::rule::fixed;
  double fraud_lambda = 0.1;  // logit rule: precision, per cash unit of net gain
  double fraud_scruple = 35;  // logit rule: the moral cost of a fake claim, in cash (P near 0.02)
  double fraud_penalty = 20;  // logit rule: cash-equivalent cost of being found (the freeze, the stigma)

  static std::vector<params::param> declare();
};

class alliance final : public regime {
 public:
  explicit alliance(const params::scenario& s);
  std::string_view name() const override { return "alliance"; }
  std::span<const ledger::code_name> reasons() const override { return alliance_reasons; }

  void setup(const society::view& m, sim::world& w) override;
  bool value_tradable() const override { return false; }  // closed loop: rewards stay inside the alliance
  void decide_citizen(agent_id citizen, std::span<const amount_t> balances, step_t step,
                      std::vector<ledger::transfer_intent>& out) const override;
  void govern(const society::view& m, sim::world& w, const step_acts& acts) override;
  void score(const society::view&, const sim::world& w, regime_row& row) const override;
  // Under the logit fraud rule: `fraud_rate`, the share of citizens without a verified trip this step who
  // claimed a fake one (whether or not it passed the distributor's check).
  std::vector<std::string> own_columns() const override;
  void score_own(std::span<double> out) const override;
  // The net gain of a fake claim against none, and the chance a citizen makes one (fixed or logit).
  behaviour::utility fraud_utility() const;
  // The cash a trip's points buy at the sponsors' offers (points_per_trip x offer_value / offer_points).
  double points_worth() const;
  double fraud_chance() const;

  token_id token() const { return token_; }
  account_id points_account(agent_id citizen) const { return first_user_account_ + citizen; }
  account_id offer_account(std::size_t sponsor) const { return offer_accounts_.at(sponsor); }
  const std::vector<std::uint32_t>& sponsors() const { return sponsors_; }  // firm indices
  // Every freeze the supervisor ordered, as (step, points account). Freezes are not transfers, so they
  // are not ledger records; this log is their trace (docs/ledger.md, known limits).
  const std::vector<std::pair<step_t, account_id>>& freezes() const { return freezes_; }

 private:
  void clear_period(const society::view& m, sim::world& w);
  void audit(const society::view& m, sim::world& w);

  alliance_params p_;
  std::uint64_t seed_;
  token_id token_ = 0;
  agent_id distributor_ = 0, platform_ = 0, clearing_ = 0, issuer_owner_ = 0;
  account_id distributor_float_ = 0, first_user_account_ = 0, clearing_cash_ = 0;
  std::uint32_t citizens_ = 0;
  std::vector<std::uint32_t> sponsors_;
  std::vector<account_id> offer_accounts_;  // per sponsor, owned by the platform
  std::vector<amount_t> fake_points_;  // per citizen: points credited for fake trips since the last audit
  std::vector<step_t> frozen_until_;   // per citizen: 0 when not frozen
  std::vector<std::pair<step_t, account_id>> freezes_;
  struct counts {
    amount_t issued = 0, redeemed = 0, clawed_back = 0, cleared = 0, discounts = 0;
    std::uint64_t trips = 0;
    std::uint64_t eligible = 0, claims = 0;  // citizens without a verified trip; those who claimed a fake one
  } step_;
};

}  // namespace civitas::governance
