#include "society/policy.hpp"

#include <algorithm>
#include <limits>

#include "core/assert.hpp"

namespace civitas::society {

// Counts are 0 under a regime that never does the act; other quantities are NaN where a regime has none.
const std::vector<regime_column>& regime_columns() {
  static const std::vector<regime_column> columns = {
      {"sanctions", true},     // punishments applied this step (score penalties)
      {"warnings", true},      // warnings given instead of a first punishment this step
      {"rewards", true},       // rewards given this step (score rewards)
      {"rebates_paid", true},  // cash paid as rewards this step
      {"blacklisted_citizens", true},
      {"blacklisted_firms", true},
      {"mean_credit_score", false},
      {"grade_a_share", false},
      {"grade_b_share", false},
      {"grade_c_share", false},
      {"grade_d_share", false},
      {"false_accusations",
       true},               // penalties or warnings given for misconduct that did not happen, this step
      {"treasury", false},  // cash in the common fund
      {"grants", false},    // cash granted from the common fund this step
      {"projects_funded", false},  // projects funded this step
      {"treasury_efficiency",
       false},                   // true impact funded / impact of the best use of the same money, cumulative
      {"points_issued", false},  // alliance points credited for verified trips this step
      {"points_redeemed", false},     // points retired at clearing this step (redeemed for sponsors' offers)
      {"points_clawed_back", false},  // points the supervisor took back this step
      {"frozen_accounts", false},     // points accounts frozen by the supervisor
      {"cleared_cash", false},        // cash the clearing moved to sponsors this step (net settlement)
      {"fines_paid", true},           // cash paid in fines for misconduct seen this step
      {"trips", false},               // low-carbon trips made this step (alliance)
      {"discounts_paid", false},      // cash value of redeemed offers given to citizens this step (alliance)

      // DAF proposals this step: submitted, of those unable to pass even with every stake behind them
      // (conviction), and open at the end of the step.
      {"proposals_submitted", false},
      {"proposals_unpassable", false},
      {"open_proposals", false},
      // The social-credit authority this step: misconduct rightly seen / all misconduct seen (precision)
      // and / misconduct done (recall); NaN when there is nothing to divide by.
      {"accusation_precision", false},
      {"accusation_recall", false},
  };
  return columns;
}

const std::vector<std::string>& regime_metric_columns() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& c : regime_columns()) out.emplace_back(c.name);
    return out;
  }();
  return names;
}

regime_row::regime_row(std::span<double> out) : out_(out) {
  CIVITAS_ASSERT(out.size() == regime_columns().size());
  for (std::size_t i = 0; i < out.size(); ++i)
    out_[i] = regime_columns()[i].count ? 0.0 : std::numeric_limits<double>::quiet_NaN();
}

void regime_row::set(std::string_view column, double value) {
  const auto& columns = regime_columns();
  const auto it =
      std::find_if(columns.begin(), columns.end(), [&](const regime_column& c) { return c.name == column; });
  CIVITAS_ASSERT(it != columns.end() && "a regime column named in regime_columns()");
  out_[static_cast<std::size_t>(it - columns.begin())] = value;
}

double policy::agent_score(agent_id) const { return std::numeric_limits<double>::quiet_NaN(); }

}  // namespace civitas::society
