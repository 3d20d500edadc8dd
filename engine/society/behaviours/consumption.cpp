#include "society/behaviours/consumption.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/world.hpp"
#include "society/state.hpp"

namespace civitas::society {

std::vector<params::param> consumption_params::declare() {
  return {
      params::real("consumption_share", &consumption_params::consumption_share, params::closed(0.0, 1.0),
                   "share", "Share of step-start cash a citizen spends on one purchase per step",
                   "modelling choice"),
      params::integer("offers_sampled", &consumption_params::offers_sampled, 1, 1000, "agents",
                      "Retailers (and charities) a citizen samples before choosing",
                      "domain.md §2: 'a small sampled set of offers'"),
      params::real("alpha", &consumption_params::alpha, params::closed(0.0, 1000.0), "",
                   "Weight of value alignment in the purchase logit (the seeds' AI Ubot)",
                   "domain.md §2: the AI Ubot's strength"),
      params::real("price_sensitivity", &consumption_params::price_sensitivity, params::closed(0.0, 1000.0),
                   "", "Weight of relative price in the purchase logit", "modelling choice"),
      params::real("price_sigma", &consumption_params::price_sigma, params::closed(0.0, 2.0),
                   "lognormal sigma", "Lognormal sigma of retailers' price levels around 1",
                   "modelling choice"),
      params::real("consumption_share_sigma", &consumption_params::consumption_share_sigma,
                   params::closed(0.0, 3.0), "lognormal sigma",
                   "Lognormal sigma (mean 1) of each citizen's consumption share around consumption_share, "
                   "capped at 1: heterogeneous saving propensities",
                   "calibration: the WAS 2018-2020 total-wealth Gini 0.60 (scenarios/calibrated/uk.toml); 0 "
                   "keeps one share for all"),
      params::real(
          "label_weight", &consumption_params::label_weight, params::closed(0.0, 1000.0), "",
          "Weight in the purchase logit of a retailer's published label, from -1 (worst) to 1 (best): "
          "the regime's own (social credit's grade) or the product passport's RAG",
          "modelling choice: ethical-label premia (Hainmueller, Hiscox & Sequeira 2015)"),
      params::boolean("passport_labels", &consumption_params::passport_labels,
                      "Publish every retailer's product-passport RAG (Red -1, Amber 0, Green 1) where the "
                      "regime publishes no label of its own",
                      "domain.md §6: the value passport"),
  };
}

namespace consumption {

using ledger::transfer_intent;

double label_of(const society_state& s, std::uint32_t firm) {
  if (const auto own = s.regime_->label(firm)) return *own;
  if (!s.consumption_.passport_labels || !s.passports_[firm].rag) return 0.0;
  switch (*s.passports_[firm].rag) {
    case scoring::rag::red:
      return -1.0;
    case scoring::rag::amber:
      return 0.0;
    case scoring::rag::green:
      return 1.0;
  }
  return 0.0;
}

// Utility -beta (price - 1) + alpha alignment + label_weight label, drawn by inverting the softmax (one
// uniform and one exp per offer): the same law as adding Gumbel noise and taking the best, at a third of the
// cost.
void decide(const society_state& s, agent_id a, amount_t cash, rng_stream& draws,
            std::vector<transfer_intent>& out) {
  const amount_t budget = s.regime_->purchase_budget(
      a, share_of(cash, s.consumption_.consumption_share_sigma > 0 ? s.spend_share_[a]
                                                                   : s.consumption_.consumption_share));
  if (budget > 0 && !s.retailers_.empty()) {
    constexpr std::uint32_t max_offers = 1000;  // the schema's bound on offers_sampled
    std::array<std::uint32_t, max_offers> offer;
    std::array<double, max_offers> weight;
    double best = -std::numeric_limits<double>::infinity();
    for (std::uint32_t i = 0; i < s.consumption_.offers_sampled; ++i) {
      const std::uint32_t pick = draws.below(static_cast<std::uint32_t>(s.retailers_.size()));
      offer[i] = s.retailers_[pick];
      weight[i] = -s.consumption_.price_sensitivity * (s.retail_price_[pick] - 1.0) +
                  s.consumption_.alpha * s.alignment(a, s.firm_agent(offer[i]));
      if (s.consumption_.label_weight > 0) weight[i] += s.consumption_.label_weight * label_of(s, offer[i]);
      best = std::max(best, weight[i]);
    }
    double total = 0;
    for (std::uint32_t i = 0; i < s.consumption_.offers_sampled; ++i)
      total += weight[i] = std::exp(weight[i] - best);
    double x = draws.uniform01() * total;
    std::uint32_t chosen = 0;
    while (chosen + 1 < s.consumption_.offers_sampled && x >= weight[chosen]) x -= weight[chosen++];
    // Under a common fund with a levy, the levy is part of the same purchase: a linked chain.
    const amount_t levy = share_of(budget, s.regime_->purchase_levy());
    const auto fund = s.regime_->common_fund();
    const bool levied = levy > 0 && fund && levy < budget;
    out.push_back({s.cash_account(a), s.cash_account(s.firm_agent(offer[chosen])),
                   levied ? budget - levy : budget, 0, 0, code(society::reason::purchase),
                   levied ? ledger::intent_flag::linked : ledger::intent_flag::none});
    if (levied) out.push_back({s.cash_account(a), *fund, levy, 0, 0, code(society::reason::daf_levy)});
  }
}

void read(record_table& t) {
  t.on(society::reason::purchase,
       [](society_state& s, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
         const agent_id buyer = rr.owner(r.debit);
         const std::uint32_t firm = rr.owner(r.credit) - s.citizens_;
         record_sale(s, rr, firm, r);
         if (s.consent_[buyer]) add_atomic<std::uint32_t>(s.firm_books_[firm].consenting_now, 1);
         f.purchases += r.amount;
         f.alignment_spend += static_cast<double>(r.amount) * s.alignment(buyer, rr.owner(r.credit));
       });
}

std::vector<column> columns(const society_state& s) {
  return {{"purchases", [&s](const report&) { return as_double(s.flows_.purchases); }},
          {"purchase_alignment", [&s](const report&) {
             return s.flows_.purchases > 0
                        ? s.flows_.alignment_spend / static_cast<double>(s.flows_.purchases)
                        : nan;
           }}};
}

}  // namespace consumption

}  // namespace civitas::society
