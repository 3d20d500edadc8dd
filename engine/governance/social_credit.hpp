// The social-credit regime (docs/domain.md §4): a central authority observes acts with detection
// probability q and error rate e, keeps a score per citizen and firm, grades it, and rewards or sanctions.
//
// - The score is a ledger certificate: a `credit_score` token whose balance is the score, minted (reward,
//   review up) and burned (penalty, review down) only by the government's issuer account, one record per
//   change. Everyone starts at social_credit.start.
// - Each step the authority sees each act with chance q: a verified good deed (+reward), misconduct
//   (-penalty); it also wrongly sees misconduct in an innocent subject with chance q x e. A firm's misconduct
//   is paying below the Modern Slavery red line; each of its workers blows the whistle with chance w and each
//   report is one more chance q that the authority acts, so it is seen with chance 1 - (1 - q)(1 - wq)^staff
//   (no detection at q = 0). A firm's good act is delivering pledged social value.
// - The authority's accuracy each step: precision = misconduct rightly seen / all misconduct seen (rightly
//   or not), recall = misconduct rightly seen / misconduct done; NaN when there is nothing to divide by.
// - Warning before punishment: the first misconduct seen earns a warning; later ones cost the penalty.
// - Every social_credit.review_every steps, scores move back toward the start by the decay share.
// - Grades: A >= grade_a > B >= grade_b > C >= grade_c > D. Rewards first: A-grade citizens get a cash
//   rebate each step from the government, A-grade firms a bonus in tenders. Sanctions: D is the blacklist,
//   barring firms from tenders and citizens from luxury purchases (their spend is capped at luxury_cap of
//   what they planned). The society has no credit market, so the seeds' "barred from credit" has nothing
//   to act on here.
#pragma once

#include <cstdint>
#include <vector>

#include "core/rng.hpp"
#include "governance/regime.hpp"
#include "params/params.hpp"

namespace civitas::governance {

// Random streams of the authority (numbers never reused; see core/rng.hpp).
enum class social_credit_purpose : rng_purpose_code {
  authority = 15,  // what the authority sees of a citizen or firm
};
inline constexpr std::array<purpose_name, 1> social_credit_purposes{{{15, "authority"}}};

// Why the authority moves scores and cash (stable numbers; see ledger/record.hpp).
enum class social_credit_reason : ledger::reason_code {
  credit_reward = 20,   // score minted for a good act the authority saw
  credit_penalty = 21,  // score burned for misconduct the authority saw (after a warning)
  credit_review = 22,   // periodic drift of a score back toward the start
  credit_rebate = 23,   // government -> A-grade citizen, the reward of a good grade
  credit_fine = 34,     // citizen -> government, the fine for misconduct the authority saw
  gift_rebate = 37,     // government -> citizen, gift_rebate of a gift the citizen made to a charity
};
inline constexpr std::array<ledger::code_name, 6> social_credit_reasons{{{20, "credit_reward"},
                                                                         {21, "credit_penalty"},
                                                                         {22, "credit_review"},
                                                                         {23, "credit_rebate"},
                                                                         {34, "credit_fine"},
                                                                         {37, "gift_rebate"}}};

struct social_credit_params {
  double q = 0.5;       // detection probability of an act
  double error = 0.05;  // error rate: chance, per observation, of seeing misconduct that did not happen
  amount_t start = 1000;
  amount_t reward = 5;
  amount_t penalty = 50;
  double decay = 0.1;  // share of the gap to the start closed at each review
  std::uint32_t review_every = 13;
  amount_t grade_a = 1050;
  amount_t grade_b = 1000;
  amount_t grade_c = 900;
  amount_t rebate = 50;         // cash per step to each A-grade citizen
  double luxury_cap = 0.5;      // share of planned spend a blacklisted (D) citizen may spend
  double whistleblow = 0.01;    // chance per worker per step of reporting the employer's misconduct
  double priority_bonus = 0.1;  // added to an A-grade firm's tender score
  amount_t fine = 0;            // cash taken from a citizen each time the authority sees its misconduct
  double gift_rebate = 0;       // share of a citizen's gift to a charity the government pays back
  double privacy_penalty = 0;  // cash-equivalent a citizen adds to its privacy cost: data feeds the authority

  static std::vector<params::param> declare();
};

class social_credit final : public regime {
 public:
  explicit social_credit(const params::scenario& s);
  std::string_view name() const override { return "social_credit"; }
  std::span<const ledger::code_name> reasons() const override { return social_credit_reasons; }

  void setup(const society::view& m, sim::world& w) override;
  void endow(const society::view& m, sim::world& w) override;
  bool value_tradable() const override { return tradable_; }
  amount_t purchase_budget(agent_id citizen, amount_t planned) const override;
  bool may_bid(std::uint32_t firm) const override;
  double tender_bonus(std::uint32_t firm) const override;
  // The firm's grade, published: A 1, B 1/3, C -1/3, D (the blacklist) -1.
  std::optional<double> label(std::uint32_t firm) const override;
  bool observes_acts() const override { return true; }
  double expected_sanction() const override { return p_.q * static_cast<double>(p_.fine); }
  bool is_sanction(ledger::reason_code reason) const override {
    return reason == ledger::code(social_credit_reason::credit_fine);
  }
  // The gift rebate: gift_rebate of each gift, in cash from the government, while its cash lasts.
  double giving_reward(amount_t gift) const override { return p_.gift_rebate * static_cast<double>(gift); }
  void reward_gifts(const society::view& m, sim::world& w, std::span<const amount_t> gifts) override;
  double privacy_penalty() const override { return p_.privacy_penalty; }
  void govern(const society::view& m, sim::world& w, const step_acts& acts) override;
  void score(const society::view&, const sim::world& w, regime_row& row) const override;
  double agent_score(agent_id a) const override;

  enum class grade : std::uint8_t { a, b, c, d };
  grade grade_of(amount_t score) const;
  // Scores as of the last govern (citizens, then firms), mirrored from the ledger's credit_score balances.
  amount_t citizen_score(agent_id c) const { return scores_[c]; }
  amount_t firm_score(std::uint32_t f) const { return scores_[citizens_ + f]; }
  token_id token() const { return token_; }

 private:
  account_id account_of(std::uint32_t subject) const {
    return first_account_ + subject;
  }  // citizens, then firms

  social_credit_params p_;
  std::uint64_t seed_;
  bool tradable_;
  std::uint32_t citizens_ = 0, firms_ = 0;
  token_id token_ = 0;
  account_id first_account_ = 0;
  std::vector<amount_t> scores_;      // per subject (citizens, then firms): the ledger balance
  std::vector<std::uint8_t> warned_;  // per subject: has had its warning
  struct counts {
    std::uint64_t sanctions = 0, warnings = 0, rewards = 0, false_accusations = 0;
    std::uint64_t true_accusations = 0, misconduct = 0;  // misconduct rightly seen; misconduct done
    amount_t rebates = 0, fines = 0;
  } step_;
  amount_t gift_rebates_ = 0;  // cash paid back on this step's gifts (counted in rebates_paid)
};

}  // namespace civitas::governance
