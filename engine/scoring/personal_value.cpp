#include "scoring/personal_value.hpp"

#include <cmath>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "scoring/se_ratio.hpp"  // gbp_per_tonne_co2

namespace civitas::scoring {
namespace {
std::string number_text(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}
}  // namespace

personal_value_result personal_value(const personal_value_inputs& in) {
  for (const double v : {in.worth, in.co2_tonnes, in.giving, in.people, in.money_leveraged})
    if (!std::isfinite(v))
      throw input_error("personal value: inputs must be finite numbers, got " + number_text(v));
  if (in.giving <= 0)
    throw input_error("personal value: giving must be positive (cv divides by it), got " +
                      number_text(in.giving));
  if (in.people < 0)
    throw input_error("personal value: people must not be negative, got " + number_text(in.people));

  personal_value_result r;
  r.environment = in.carbon_price * in.co2_tonnes;
  r.people_value = 0.5 * in.people * in.worth;
  r.numerator = r.environment + in.money_leveraged + in.giving + r.people_value;
  r.cv = r.numerator / in.giving;
  if (!(r.cv > 0))
    throw input_error("personal value: cv = " + number_text(r.cv) +
                      " is not positive, so it has no logarithm");
  r.log2_cv = std::log2(r.cv);
  r.pv = std::round(r.log2_cv * 10) / 10;
  return r;
}

}  // namespace civitas::scoring
