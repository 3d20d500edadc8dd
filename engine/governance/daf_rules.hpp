// The DAF's voting and funding rules (docs/domain.md §4), as pure functions so each can be checked
// against its formula.
//
//   token-weighted     a voter's weight is its token balance, cast for its preferred project
//   quadratic voting   v votes cost v^2 voice credits; a voter with budget B spreads votes over projects
//                      in proportion to how much it values them, v_j = sqrt(B) p_j / |p|, so sum v_j^2 = B
//   quadratic funding  a project with contributions c_i raises (sum_i sqrt(c_i))^2; the subsidy
//                      (sum sqrt c)^2 - sum c is scaled pro rata when the matching pool cannot cover it all
//   conviction voting  y_{t+1} = alpha y_t + stake, so y(t) = y0 alpha^t + x (1 - alpha^t)/(1 - alpha);
//                      a request r passes when y >= y*(r) = rho S / ((1 - alpha)(beta - r/R)^2), r/R < beta
//                      (S token supply, R funds in the pool)
#pragma once

#include <span>
#include <vector>

namespace civitas::governance::daf_rules {

// Quadratic voting: votes over projects in proportion to `preference` (>= 0), costing exactly `budget`
// voice credits in total (sum of squares). All zeros when the budget or every preference is 0.
std::vector<double> quadratic_votes(double budget, std::span<const double> preference);

struct qf_result {
  std::vector<double> raised;   // (sum sqrt c)^2 per project, before scaling
  std::vector<double> subsidy;  // matched amount per project, after pro-rata scaling to the pool
  std::vector<double> total;    // contributions + subsidy
  double scale = 1;             // the pro-rata factor applied to every subsidy (<= 1)
};
// contributions[j] lists the contributions to project j (each >= 0); `pool` is the matching pool.
qf_result quadratic_funding(const std::vector<std::vector<double>>& contributions, double pool);

// One step of conviction: alpha y + stake.
double conviction_step(double y, double stake, double alpha);
// Closed form after t steps from y0 with a constant stake x.
double conviction_after(double y0, double stake, double alpha, unsigned t);
// y*(r); +infinity when r/R >= beta (the request can never pass) or R <= 0.
double conviction_threshold(double request, double funds, double supply, double alpha, double beta,
                            double rho);

}  // namespace civitas::governance::daf_rules
