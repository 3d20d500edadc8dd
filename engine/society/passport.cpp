#include "society/passport.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/assert.hpp"

namespace civitas::society {

std::vector<passport> compute_passports(const network::supply_chain& chain, std::span<const own_score> own,
                                        std::span<const double> edge_spend, double input_share) {
  const std::size_t n = chain.firms();
  CIVITAS_ASSERT(own.size() == n && edge_spend.size() == chain.suppliers.size());
  std::vector<passport> out(n);
  // Suppliers are always one stage upstream, so computing stage by stage sees every input's passport first.
  for (std::uint8_t stage = 0; stage < 3; ++stage) {
    for (std::uint32_t f = 0; f < n; ++f) {
      if (chain.stage[f] != stage) continue;
      const auto suppliers = chain.suppliers_of(f);
      const std::size_t base = chain.offsets[f];
      double spent = 0;
      for (std::size_t i = 0; i < suppliers.size(); ++i) spent += edge_spend[base + i];
      const double inputs = suppliers.empty() ? 0.0 : input_share;

      double se_sum = 0, se_weight = 0, co2 = (1.0 - inputs) * own[f].co2_per_1000;
      std::optional<scoring::rag> worst = own[f].rag;
      if (!std::isnan(own[f].se)) {
        se_sum += (1.0 - inputs) * own[f].se;
        se_weight += 1.0 - inputs;
      }
      for (std::size_t i = 0; i < suppliers.size(); ++i) {
        const double share =
            spent > 0 ? edge_spend[base + i] / spent : 1.0 / static_cast<double>(suppliers.size());
        const passport& p = out[suppliers[i]];
        const double w = inputs * share;
        co2 += w * p.co2_per_1000;
        if (!std::isnan(p.se) && w > 0) {
          se_sum += w * p.se;
          se_weight += w;
        }
        if (p.rag && (spent == 0 || edge_spend[base + i] > 0))
          worst = worst ? std::min(*worst, *p.rag) : *p.rag;
      }
      out[f].se = se_weight > 0 ? se_sum / se_weight : std::numeric_limits<double>::quiet_NaN();
      out[f].rag = worst;
      out[f].co2_per_1000 = co2;
    }
  }
  return out;
}

}  // namespace civitas::society
