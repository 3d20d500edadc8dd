// Core integer types shared by every module.
//
// Money and token amounts are signed 64-bit integers: the ledger never holds a float. Ids are dense
// indices, so per-entity data lives in plain arrays (structure of arrays) indexed by id.
#pragma once

#include <cstdint>
#include <limits>

namespace civitas {

using amount_t = std::int64_t;     // token units (for cash: pence, or whatever the scenario's unit is)
using agent_id = std::uint32_t;    // index into the population
using account_id = std::uint32_t;  // index into the ledger's account table
using token_id = std::uint16_t;    // index into the ledger's token table
using step_t = std::uint32_t;      // 0 is the genesis block, 1..N the simulated steps

// Owner of accounts that belong to no agent (a token's issuer in a scenario without a government).
inline constexpr agent_id system_agent = std::numeric_limits<agent_id>::max();

}  // namespace civitas
