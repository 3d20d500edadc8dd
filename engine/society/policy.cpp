#include "society/policy.hpp"

#include <limits>

namespace civitas::society {

const std::vector<std::string>& regime_metric_columns() {
  static const std::vector<std::string> columns = {
      "sanctions",     // punishments applied this step (score penalties)
      "warnings",      // warnings given instead of a first punishment this step
      "rewards",       // rewards given this step (score rewards)
      "rebates_paid",  // cash paid as rewards this step
      "blacklisted_citizens",
      "blacklisted_firms",
      "mean_credit_score",
      "grade_a_share",
      "grade_b_share",
      "grade_c_share",
      "grade_d_share",
      "false_accusations",    // penalties or warnings given for misconduct that did not happen, this step
      "treasury",             // cash in the common fund
      "grants",               // cash granted from the common fund this step
      "projects_funded",      // projects funded this step
      "treasury_efficiency",  // true impact funded / impact of the best use of the same money, cumulative
      "points_issued",        // alliance points credited for verified trips this step
      "points_redeemed",      // points retired at clearing this step (redeemed for sponsors' offers)
      "points_clawed_back",   // points the supervisor took back this step
      "frozen_accounts",      // points accounts frozen by the supervisor
      "cleared_cash",         // cash the clearing moved to sponsors this step (net settlement)
  };
  return columns;
}

double policy::agent_score(agent_id) const { return std::numeric_limits<double>::quiet_NaN(); }

}  // namespace civitas::society
