// The one list of governance regimes: each regime's name, its parameters and how to make it. The CLI, the
// visualiser, the scenario schema and the docs all read this list; adding a regime is one file in this
// folder plus one line in registry.cpp.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "governance/regime.hpp"
#include "params/params.hpp"

namespace civitas::governance {

// [governance]
struct governance_params {
  std::string regime = "market";  // one of regime_names()

  static std::vector<params::param> declare();
};

struct regime_entry {
  std::string name;
  std::string summary;  // one line for listings
  std::function<std::unique_ptr<regime>(const params::scenario&)> make;
  std::span<const ledger::code_name> reasons;       // its transfers' reason codes
  std::span<const civitas::purpose_name> purposes;  // its random streams
  // Mounts the regime's own parameters (if any) under the table `name`; `read` tells whether a scenario
  // runs this regime.
  std::function<void(params::catalogue&, std::function<bool(const params::scenario&)> read)> mount;
};

const std::vector<regime_entry>& regimes();
const std::vector<std::string>& regime_names();

// The scenario's regime (governance.regime).
std::unique_ptr<regime> make_regime(const params::scenario& s);

}  // namespace civitas::governance
