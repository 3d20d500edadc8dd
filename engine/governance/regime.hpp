// A governance regime is the society's policy (society/policy.hpp): the decision points it overrides, over
// a read-only view of the society. Regimes live in this folder and are listed in registry.cpp.
#pragma once

#include "society/policy.hpp"

namespace civitas::governance {

using regime = society::policy;
using step_acts = society::step_acts;
using ledger::code;
using society::regime_metric_columns;
using society::regime_row;

}  // namespace civitas::governance
