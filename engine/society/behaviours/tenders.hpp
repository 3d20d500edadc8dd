// Public procurement: tenders scored on price and offered social value; pledges delivered by the firm's
// reliability.
#pragma once

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct tender_params {
  std::uint32_t procurement_every = 4;
  double procurement_share = 0.5;
  std::uint32_t procurement_bidders = 5;
  double social_value_weight = 0.3;
  double bid_min =
      0.8;  // a bid's price, as a share of the budget, is uniform in [bid_min, bid_min + bid_spread]
  double bid_spread = 0.4;
  double sv_share_max =
      0.2;  // a firm's social-value offer, a share of its bid, is uniform in [0, sv_share_max]
  double reliability_min = 0.5;  // a firm delivers a share of its pledges uniform in [reliability_min, 1]

  static std::vector<params::param> declare();
};

namespace tenders {
// A firm delivers the part of its pledged social value that falls due (paid after CSR).
void pay_pledge(const society_state& s, std::uint32_t f, firm_purse& purse);
// A procurement tender every procurement_every steps, scored on price and offered social value.
void run(society_state& s, sim::world& w);
// What falls due of each firm's pledges next step; rolls the firms' last-step books.
void plan_pledges(society_state& s);
void read(record_table& t);                           // its handlers of the step's records
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace tenders

}  // namespace civitas::society
