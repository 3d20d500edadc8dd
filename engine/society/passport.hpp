// Provenance passports of products along the supply chain (docs/domain.md §5).
//
// A firm's product is its own value added plus its inputs. Its passport is, per stage, what went into it:
//   S/E  = spend-weighted mean of the firm's own S/E (weight: own value-added share) and its suppliers'
//          product S/E (weights: the input share split by what the firm actually spent with each supplier,
//          equally while it has spent nothing yet);
//   RAG  = the worst link: the firm's own Modern Slavery RAG and every supplier's product RAG;
//   CO2  = tonnes per 1000 cash of product, weighted the same way as S/E.
// A firm without a score of its own (no CSR spend or no staff yet) contributes no S/E and no RAG; its
// weight goes to its suppliers (or the passport's S/E is NaN when nothing in the chain is scored).
#pragma once

#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "network/graphs.hpp"
#include "scoring/modern_slavery.hpp"

namespace civitas::society {

struct own_score {
  double se = 0;                    // NaN when unscored
  std::optional<scoring::rag> rag;  // nullopt when unscored
  double co2_per_1000 = 0;          // emission intensity of the firm's own value added
  // SI = C x S/E of the firm's social spend C so far, GBP (NaN when unscored).
  double social_impact = std::numeric_limits<double>::quiet_NaN();
};

struct passport {
  double se = 0;                    // NaN when nothing in the chain is scored
  std::optional<scoring::rag> rag;  // worst link; nullopt when nothing in the chain is scored
  double co2_per_1000 = 0;
};

// `edge_spend` is aligned with chain.suppliers (spend of firm f with its i-th supplier at
// chain.offsets[f] + i). `input_share` in [0, 1) is the weight of the inputs against own value added.
std::vector<passport> compute_passports(const network::supply_chain& chain, std::span<const own_score> own,
                                        std::span<const double> edge_spend, double input_share);

}  // namespace civitas::society
