// Where a step's money (or value) goes: the step's applied ledger records summed from one group of
// accounts to another (citizens, firms by supply-chain stage, charities, the government, common funds and
// pools, the token's issuer), with the amounts by reason code, for the flow diagram.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/types.hpp"
#include "ledger/record.hpp"

namespace civitas::viz {

enum class flow_group : std::uint8_t {
  citizens,
  raw_firms,
  manufacturers,
  retailers,
  charities,
  government,
  funds,   // accounts no agent owns: the value pools, the DAF treasury
  issuer,  // the token's issuer: minting and burning
};
inline constexpr std::size_t flow_groups = 8;
const char* flow_group_name(flow_group g);

// Per agent, its group: by kind (0 citizen, 1 firm, 2 charity, 3 government), a firm by its place in the
// supply chain (supplier -> customer edges between agents): no suppliers = raw, suppliers but no
// customers = retailer, both = manufacturer. A firm with no edges at all counts as a retailer.
std::vector<flow_group> agent_groups(std::span<const std::uint8_t> kinds,
                                     std::span<const std::pair<std::uint32_t, std::uint32_t>> supply_edges);

struct step_flows {
  // amount[from][to]: the sum of applied transfers of the token from one group's accounts to another's.
  std::array<std::array<amount_t, flow_groups>, flow_groups> amount{};
  // The same split by reason code.
  std::array<std::array<std::map<std::uint16_t, amount_t>, flow_groups>, flow_groups> by_reason;
  amount_t total = 0;
  std::uint64_t transfers = 0;
};

// Sums the applied records (status 0) of `token` by the groups of their debit and credit accounts.
step_flows sum_flows(std::span<const ledger::transfer_record> records,
                     std::span<const ledger::account_info> accounts, std::span<const flow_group> groups,
                     token_id token);

}  // namespace civitas::viz
