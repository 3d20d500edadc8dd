// The one place that maps governance.regime to a regime.
#include <limits>

#include "governance/alliance.hpp"
#include "governance/daf.hpp"
#include "governance/market.hpp"
#include "governance/regime.hpp"
#include "governance/social_credit.hpp"

namespace civitas::governance {

const std::vector<std::string>& regime_metric_columns() {
  static const std::vector<std::string> columns = {
      "sanctions",        // punishments applied this step (score penalties)
      "warnings",         // warnings given instead of a first punishment this step
      "rewards",          // rewards given this step (score rewards)
      "rebates_paid",     // cash paid as rewards this step
      "blacklisted_citizens", "blacklisted_firms",
      "mean_credit_score",
      "grade_a_share", "grade_b_share", "grade_c_share", "grade_d_share",
      "false_accusations",  // penalties or warnings given for misconduct that did not happen, this step
      "treasury",           // cash in the common fund
      "grants",             // cash granted from the common fund this step
      "projects_funded",    // projects funded this step
      "treasury_efficiency",  // true impact funded / impact of the best use of the same money, cumulative
      "points_issued",      // alliance points credited for verified trips this step
      "points_redeemed",    // points retired at clearing this step (redeemed for sponsors' offers)
      "points_clawed_back", // points the supervisor took back this step
      "frozen_accounts",    // points accounts frozen by the supervisor
      "cleared_cash",       // cash the clearing moved to sponsors this step (net settlement)
  };
  return columns;
}

double regime::agent_score(agent_id) const { return std::numeric_limits<double>::quiet_NaN(); }

std::unique_ptr<regime> make_regime(const io::scenario& s) {
  switch (s.regime) {
    case io::regime_kind::market: return std::make_unique<market>(s);
    case io::regime_kind::social_credit: return std::make_unique<social_credit>(s);
    case io::regime_kind::daf: return std::make_unique<daf>(s);
    case io::regime_kind::alliance: return std::make_unique<alliance>(s);
  }
  return nullptr;
}

}  // namespace civitas::governance
