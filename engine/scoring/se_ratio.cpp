#include "scoring/se_ratio.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <utility>

#include "core/error.hpp"

namespace civitas::scoring {
namespace {
[[noreturn]] void reject(const char* field, const std::string& rule, double got) {
  std::ostringstream o;
  o << "S/E ratio: " << field << " " << rule << ", got " << got;
  throw input_error(o.str());
}

void check_inputs(const se_ratio_inputs& in) {
  const std::pair<const char*, double> all[] = {{"positive", in.positive},
                                                {"neutral", in.neutral},
                                                {"negative", in.negative},
                                                {"margin_pct", in.margin_pct},
                                                {"target_population", in.target_population},
                                                {"csr_spend", in.csr_spend},
                                                {"service_users", in.service_users},
                                                {"net_assets", in.net_assets},
                                                {"staff", in.staff},
                                                {"co2_tonnes", in.co2_tonnes},
                                                {"people_benefiting", in.people_benefiting},
                                                {"money_leveraged", in.money_leveraged},
                                                {"carbon_price", in.carbon_price}};
  for (const auto& [field, v] : all)
    if (!std::isfinite(v)) reject(field, "must be a finite number", v);
  if (in.positive < 0) reject("positive", "must not be negative", in.positive);
  if (in.neutral < 0) reject("neutral", "must not be negative", in.neutral);
  if (in.negative < 0) reject("negative", "must not be negative", in.negative);
  if (in.positive + in.neutral + in.negative <= 0)
    reject("positive + neutral + negative", "must be positive (no responses)", 0);
  if (!(in.margin_pct > 0 && in.margin_pct < 100)) reject("margin_pct", "must be in (0, 100)", in.margin_pct);
  if (in.target_population <= 0) reject("target_population", "must be positive", in.target_population);
  if (in.csr_spend <= 0) reject("csr_spend", "must be positive (S/E divides by it)", in.csr_spend);
  if (in.service_users <= 0)
    reject("service_users", "must be positive (S/E divides by it)", in.service_users);
  if (in.staff <= 0) reject("staff", "must be positive", in.staff);
  if (in.people_benefiting < 0) reject("people_benefiting", "must not be negative", in.people_benefiting);
}
}  // namespace

se_ratio_result se_ratio(const se_ratio_inputs& in) {
  check_inputs(in);
  se_ratio_result r;
  const double z2pq = se_confidence_z * se_confidence_z * se_response_p * (1 - se_response_p);

  r.n = in.positive + in.neutral + in.negative;
  const double e = in.margin_pct / 100;
  r.n_c = z2pq / (e * e);
  r.n_r = r.n_c / (1 + r.n_c / in.target_population);
  r.corrected = r.n < r.n_c && r.n < r.n_r;
  r.margin_used_pct = in.margin_pct;
  r.positive_adjusted = in.positive;
  if (r.corrected) {
    // n < n_c implies e' > e, so this only ever discounts P+. With whole responses (n >= 1) e' <= 82.5 and
    // the factor stays positive; the clamp only matters for fractional n, where a count can't go below 0.
    r.margin_used_pct = 100 * std::sqrt(z2pq / r.n);
    r.positive_adjusted = in.positive * std::max(0.0, 1 - (r.margin_used_pct - in.margin_pct) / 100);
  }

  r.environment = in.carbon_price * in.co2_tonnes;
  r.people = in.people_benefiting + in.staff;
  r.sentiment_value = in.net_assets * (r.people / in.service_users) * (r.positive_adjusted / r.n);
  r.se_ratio = (r.environment + in.money_leveraged + in.csr_spend + r.sentiment_value) / in.csr_spend;
  r.social_impact = in.csr_spend * r.se_ratio;
  r.added_social_value = r.social_impact - in.csr_spend;
  return r;
}

}  // namespace civitas::scoring
