// Social Earnings Ratio (S/E) of an organisation (docs/domain.md §6).
//
//   1. Small-sample correction (z = 1.65, p = 0.5):
//        n_c = z^2 p(1-p) / (e/100)^2            responses needed for margin e on an infinite population
//        n_r = n_c / (1 + n_c / N_T)              the same, corrected for the finite target population
//      If n < n_c and n < n_r the survey is too small for the margin it claims: the true margin is
//        e' = 100 sqrt(z^2 p(1-p) / n)
//      and the positive count is discounted by the excess margin, P+ <- P+ (1 - (e' - e)/100).
//      (n_r <= n_c whenever N_T > 0, so the test is in effect n < n_r; both are kept as written.)
//   2. Environment E = 54 tau (GBP 54 per tonne of CO2 reduced); people B = p + staff.
//   3. S/E = [E + M + C + A (B/S)(P+/n)] / C;  social impact SI = C S/E;  added social value ASV = SI - C.
//
// The result carries every intermediate value, so a person can see how the number was made.
// Bad inputs (no responses, margin outside (0, 100), non-positive C, S, N_T or staff, negative counts,
// non-finite values) raise civitas::input_error naming the field.
#pragma once

namespace civitas::scoring {

// z of a one-sided 95% (two-sided 90%) confidence level, as the CCEG platform used it.
inline constexpr double se_confidence_z = 1.65;
// Worst-case response proportion: maximises p(1 - p) = 0.25, so the sample size is never understated.
inline constexpr double se_response_p = 0.5;
// GBP of social value per tonne of CO2 reduced: the default of the inputs' carbon price (CCEG's figure).
inline constexpr double gbp_per_tonne_co2 = 54.0;

struct se_ratio_inputs {
  double positive = 0;                      // P+: responses with positive sentiment (count, >= 0)
  double neutral = 0;                       // P0: neutral responses (count, >= 0)
  double negative = 0;                      // P-: negative responses (count, >= 0)
  double margin_pct = 0;                    // e: survey margin of error claimed, percent, in (0, 100)
  double target_population = 0;             // N_T: people the survey stands for (> 0)
  double csr_spend = 0;                     // C: CSR spend, GBP (> 0: it divides)
  double service_users = 0;                 // S: service users (> 0: it divides)
  double net_assets = 0;                    // A: net assets, GBP (any sign)
  double staff = 0;                         // staff head count (> 0)
  double co2_tonnes = 0;                    // tau: tonnes of CO2 reduced (any sign)
  double people_benefiting = 0;             // p: people benefiting (>= 0)
  double money_leveraged = 0;               // M: money leveraged, GBP (any sign)
  double carbon_price = gbp_per_tonne_co2;  // GBP per tonne of CO2 reduced (E = price x tau)
};

struct se_ratio_result {
  double n = 0;                   // responses, P+ + P0 + P-
  double n_c = 0;                 // responses needed for margin e, infinite population
  double n_r = 0;                 // responses needed for margin e, population N_T
  bool corrected = false;         // whether the small-sample correction applied
  double margin_used_pct = 0;     // e' when corrected, else e
  double positive_adjusted = 0;   // P+ after the correction (P+ itself when not corrected)
  double environment = 0;         // E = 54 tau, GBP
  double people = 0;              // B = p + staff
  double sentiment_value = 0;     // A (B/S)(P+/n), GBP
  double se_ratio = 0;            // S/E
  double social_impact = 0;       // SI = C S/E, GBP
  double added_social_value = 0;  // ASV = SI - C, GBP
};

// Throws civitas::input_error when an input is out of its documented range.
se_ratio_result se_ratio(const se_ratio_inputs& in);

}  // namespace civitas::scoring
