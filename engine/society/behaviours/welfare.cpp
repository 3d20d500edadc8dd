#include "society/behaviours/welfare.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/world.hpp"
#include "society/state.hpp"

namespace civitas::society {

std::vector<params::param> welfare_params::declare() {
  return {
      params::integer("welfare_threshold", &welfare_params::welfare_threshold, 0, 1'000'000'000'000, "cash",
                      "Citizens below this cash receive welfare", "modelling choice"),
      params::integer("welfare_amount", &welfare_params::welfare_amount, 0, 1'000'000'000'000, "cash",
                      "Welfare paid per step to each citizen below the threshold", "modelling choice"),
  };
}

namespace welfare {

using ledger::transfer_intent;

void decide(const society_state& s, std::span<const amount_t> balances, std::vector<transfer_intent>& out) {
  if (s.welfare_.welfare_amount <= 0) return;
  const account_id state = s.cash_account(s.government());
  amount_t treasury = balances[state];
  for (agent_id c = 0; c < s.citizens_ && treasury >= s.welfare_.welfare_amount; ++c) {
    if (balances[s.cash_account(c)] >= s.welfare_.welfare_threshold) continue;
    out.push_back(
        {state, s.cash_account(c), s.welfare_.welfare_amount, 0, 0, code(society::reason::welfare)});
    treasury -= s.welfare_.welfare_amount;
  }
}

void read(record_table& t) {
  t.on(society::reason::welfare,
       [](society_state& s, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
         income::add_net(s, rr.owner(r.credit), r.amount);
         f.welfare += r.amount;
         ++f.welfare_recipients;
       });
}

std::vector<column> columns(const society_state& s) {
  return {{"welfare", [&s](const report&) { return as_double(s.flows_.welfare); }},
          {"welfare_recipients", [&s](const report&) { return as_double(s.flows_.welfare_recipients); }}};
}

}  // namespace welfare

}  // namespace civitas::society
