// The decision points of the society that a governance regime overrides (docs/domain.md §4): who may mint
// which token, what is rewarded or punished, who allocates common funds, and what may be converted to cash.
// All regimes run on the same society and the same ledger; the society asks its regime at a few fixed points
// of the step:
//
//   setup / endow        open the regime's tokens and accounts, authorise its mint codes, genesis holdings
//   value_tradable       may value tokens be sold for cash on the pools?
//   purchase_levy, common_fund, csr_to_fund, data_tax_to_fund
//                        what the society pays into a common fund (the DAF's treasury) instead of charities
//   purchase_budget      how much of its planned spend a citizen may spend (sanctions: no luxury purchases)
//   may_bid              may a firm bid in a government tender (sanctions: blacklist)?
//   decide_citizen       extra intents of a citizen (redeeming points), on step-start balances
//   tender_bonus         added to a bid's score (rewards: priority)
//   label                what the regime publishes on a firm's products (a grade), read by shoppers
//   govern               after the society's own govern phase: observe the step's acts, reward, punish, fund
//   score                fill the regime columns of /series (the same columns under every regime, NaN where a
//                        regime has no such quantity), so regimes compare column by column
//
// Read-only hooks (value_tradable, purchase_budget, may_bid, tender_bonus, label) are called from the
// parallel decide phase or from govern; they read state that only govern writes. Adding a regime is one file
// in this folder (engine/governance) plus one line in its registry.cpp.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "ledger/record.hpp"
#include "society/view.hpp"

namespace civitas::sim {
class world;
}

namespace civitas::society {

// What the society saw this step, handed to the regime's govern.
struct step_acts {
  std::span<const std::uint8_t> citizen_good;  // per citizen: did a verified good deed this step
  std::span<const std::uint8_t> citizen_bad;   // per citizen: committed misconduct this step
  std::span<const std::uint8_t> firm_good;     // per firm: delivered social value or CSR this step
  std::span<const std::uint8_t> firm_bad;      // per firm: paid below the Modern Slavery red line
};

// The /series columns every regime fills, in this order, so regimes compare column by column.
struct regime_column {
  const char* name;
  bool count;  // a count of acts: 0 under a regime that never does them (else NaN where it has none)
};
const std::vector<regime_column>& regime_columns();
const std::vector<std::string>& regime_metric_columns();  // their names

// A step's regime columns, set by name.
class regime_row {
 public:
  explicit regime_row(std::span<double> out);  // every column at its default
  void set(std::string_view column, double value);

 private:
  std::span<double> out_;
};

class policy {
 public:
  virtual ~policy() = default;
  virtual std::string_view name() const = 0;
  // The reason codes of the regime's own transfers, with their names (ledger/record.hpp).
  virtual std::span<const ledger::code_name> reasons() const { return {}; }

  virtual void setup(const view&, sim::world&) {}
  virtual void endow(const view&, sim::world&) {}

  virtual bool value_tradable() const = 0;
  // A common fund (the DAF's treasury) and what flows into it instead of to charities.
  virtual double purchase_levy() const { return 0.0; }  // share of each purchase paid into the common fund
  virtual std::optional<account_id> common_fund() const { return std::nullopt; }
  virtual bool csr_to_fund() const { return false; }
  virtual bool data_tax_to_fund() const { return false; }
  virtual amount_t purchase_budget(agent_id /*citizen*/, amount_t planned) const { return planned; }
  virtual bool may_bid(std::uint32_t /*firm*/) const { return true; }
  // Extra intents of a citizen in decide (e.g. redeeming alliance points), on step-start balances.
  virtual void decide_citizen(agent_id /*citizen*/, std::span<const amount_t> /*balances*/, step_t /*step*/,
                              std::vector<ledger::transfer_intent>& /*out*/) const {}
  virtual double tender_bonus(std::uint32_t /*firm*/) const { return 0.0; }
  // The label the regime publishes on a firm's products, in [-1, 1] (worst to best), which citizens read
  // in the purchase choice (society.label_weight); nullopt: the regime publishes none of its own.
  virtual std::optional<double> label(std::uint32_t /*firm*/) const { return std::nullopt; }
  // What a citizen expects to lose for misconduct, in cash: detection x fine (Becker 1968); 0 where nobody
  // watches. The logit misconduct rule weighs it against the gain.
  virtual double expected_sanction() const { return 0.0; }
  // Whether a transfer of this reason, made in govern from a citizen's cash, is a sanction the citizen
  // suffers for misconduct (a fine): the reinforcement misconduct rule learns from the sanctions realised.
  virtual bool is_sanction(ledger::reason_code /*reason*/) const { return false; }

  // What the regime gives a citizen for a gift of `gift` cash to a charity, in cash (a rebate, or score
  // valued in cash); 0 by default. The logit donation rule counts it as the gift's extrinsic payoff.
  virtual double giving_reward(amount_t /*gift*/) const { return 0.0; }
  // Pays what the regime gives for this step's gifts (`gifts` per citizen, 0 for none), in govern after the
  // step's records are read and before the regime's govern. Nothing by default.
  virtual void reward_gifts(const view&, sim::world&, std::span<const amount_t> /*gifts*/) {}
  // What consenting to share one's data earns from the regime per step, in cash (0 by default), and what it
  // adds to the privacy cost a citizen feels (e.g. data that feeds an authority's surveillance), in cash.
  // The logit consent rule weighs both.
  virtual double consent_reward() const { return 0.0; }
  virtual double privacy_penalty() const { return 0.0; }
  // Columns a regime adds only under a choice rule that needs them (e.g. the DAF's turnout under its logit
  // turnout rule), after the shared regime columns, so runs under the default rules keep their column set.
  virtual std::vector<std::string> own_columns() const { return {}; }
  virtual void score_own(std::span<double> /*out*/) const {}

  // Whether govern reads step_acts (drawing every citizen's misconduct costs a pass over the population).
  virtual bool observes_acts() const { return false; }
  virtual void govern(const view&, sim::world&, const step_acts&) {}
  // Fills the regime columns it has, by name (the others keep their defaults: 0 for counts, NaN otherwise).
  virtual void score(const view&, const sim::world&, regime_row& row) const = 0;
  // Per-agent regime scores for snapshots (agents); NaN where none applies.
  virtual double agent_score(agent_id) const;
};

// The /series columns every regime fills (in this order).

}  // namespace civitas::society
