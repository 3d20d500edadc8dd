#include "governance/daf_rules.hpp"

#include <cmath>
#include <limits>

#include "core/assert.hpp"

namespace civitas::governance::daf_rules {

std::vector<double> quadratic_votes(double budget, std::span<const double> preference) {
  std::vector<double> votes(preference.size(), 0.0);
  double norm2 = 0;
  for (const double p : preference) {
    CIVITAS_ASSERT(p >= 0);
    norm2 += p * p;
  }
  if (budget <= 0 || norm2 <= 0) return votes;
  const double scale = std::sqrt(budget / norm2);
  for (std::size_t j = 0; j < preference.size(); ++j) votes[j] = scale * preference[j];
  return votes;
}

qf_result quadratic_funding(const std::vector<std::vector<double>>& contributions, double pool) {
  qf_result r;
  double wanted = 0;
  std::vector<double> direct;
  for (const auto& cs : contributions) {
    double roots = 0, sum = 0;
    for (const double c : cs) {
      CIVITAS_ASSERT(c >= 0);
      roots += std::sqrt(c);
      sum += c;
    }
    r.raised.push_back(roots * roots);
    direct.push_back(sum);
    wanted += roots * roots - sum;
  }
  r.scale = wanted > pool && wanted > 0 ? pool / wanted : 1.0;
  for (std::size_t j = 0; j < contributions.size(); ++j) {
    r.subsidy.push_back((r.raised[j] - direct[j]) * r.scale);
    r.total.push_back(direct[j] + r.subsidy.back());
  }
  return r;
}

double conviction_step(double y, double stake, double alpha) { return alpha * y + stake; }

double conviction_after(double y0, double stake, double alpha, unsigned t) {
  const double at = std::pow(alpha, static_cast<double>(t));
  return y0 * at + stake * (1.0 - at) / (1.0 - alpha);
}

double conviction_threshold(double request, double funds, double supply, double alpha, double beta,
                            double rho) {
  if (funds <= 0 || request / funds >= beta) return std::numeric_limits<double>::infinity();
  const double gap = beta - request / funds;
  return rho * supply / ((1.0 - alpha) * gap * gap);
}

}  // namespace civitas::governance::daf_rules
