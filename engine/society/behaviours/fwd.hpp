// What every behaviour header needs: the types a behaviour's functions take, declared (their definitions
// are in society/state.hpp, which includes the behaviour headers for their parameter structs), and the
// headers its parameter struct and signatures use.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/rng.hpp"
#include "core/types.hpp"
#include "ledger/record.hpp"
#include "params/params.hpp"

namespace civitas::sim {
class world;
}
namespace civitas::ledger {
class ledger;
}
namespace civitas::society {
struct society_state;
struct firm_purse;
struct record_table;
struct column;
class view;
}  // namespace civitas::society
