// Citizens' purchases: a logit choice among a few sampled retailers on price, value alignment (the seeds'
// AI Ubot) and whatever label the regime publishes (a grade, a passport).
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct consumption_params {
  double consumption_share = 0.3;  // share of step-start cash a citizen spends per step
  std::uint32_t offers_sampled = 5;
  double alpha = 1.0;              // weight of value alignment in the purchase choice
  double price_sensitivity = 5.0;  // beta: weight of relative price in the purchase choice
  double price_sigma = 0.1;        // lognormal sigma of retailers' price levels
  // Lognormal sigma (mean 1) of each citizen's consumption share around consumption_share (capped at 1):
  // thrifty and spendthrift households. 0: every citizen spends the same share.
  double consumption_share_sigma = 0.0;
  // Weight of a retailer's published label (in [-1, 1]) in the purchase choice: the regime's own label
  // (social credit's grade) or, where it has none and passport_labels is on, the product passport's RAG.
  double label_weight = 0.0;
  bool passport_labels = false;

  static std::vector<params::param> declare();
};

namespace consumption {
// The label a citizen reads on a retailer's offer, in [-1, 1] (worst to best): the regime's own label,
// else the passport's RAG (Red -1, Amber 0, Green 1) where passports are published, else 0 (none).
double label_of(const society_state& s, std::uint32_t firm);
// A citizen's purchase: a logit choice among a few sampled retailers on price and value alignment,
// from the step's stream of the citizen's choices (drawn first).
void decide(const society_state& s, agent_id a, amount_t cash, rng_stream& draws,
            std::vector<ledger::transfer_intent>& out);
void read(record_table& t);                           // its handlers of the step's records
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace consumption

}  // namespace civitas::society
