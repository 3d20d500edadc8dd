// Flags that stand for one override (--seed for run.seed, --steps, --ledger): validated alone first, so an
// error names the flag the user typed rather than an --set they never wrote.
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"
#include "driver/registry.hpp"

namespace civitas::cli {

inline std::string shorthand_override(const std::string& flag, const std::string& key,
                                      const std::string& value) {
  const std::string text = key + "=" + value;
  try {
    driver::parse_scenario("", flag, {text});
  } catch (const input_error& e) {
    std::vector<diagnostic> named = e.diagnostics();
    for (auto& d : named) {
      d.file = flag;
      d.line = 0;
      d.column = 0;
    }
    throw input_error(named);
  }
  return text;
}

}  // namespace civitas::cli
