// Scenario files: TOML read with toml++, checked against one declarative schema.
//
// Every parameter has a dotted path ("exchange.rule"), a type, a documented default and a range. The
// schema is the single source for reading, validating, --set overrides, the canonical form that feeds
// header 0, and the parameter table in the docs, so adding a parameter is one entry in scenario.cpp.
//
// Validation collects every error before giving up; each names its place as file:line:col (for --set
// overrides the pseudo-file is "--set"). Unknown keys are errors (with a did-you-mean suggestion).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace civitas::io {

enum class activation_kind { random_sequential, simultaneous };
enum class exchange_rule { boltzmann, random_exchange, saving, yard_sale };
enum class ledger_log { full, headers };

// A validated scenario. Defaults here are the documented defaults (keep in sync with the schema).
struct scenario {
  // [run]
  std::string name = "default";
  std::string description = "Boltzmann wealth exchange among 10,000 citizens";
  std::uint64_t seed = 1;
  step_t steps = 200;
  activation_kind activation = activation_kind::random_sequential;

  // [population]
  std::uint32_t citizens = 10'000;

  // [exchange]: the validation exchange models (DOMAIN.md section 6)
  exchange_rule rule = exchange_rule::boltzmann;
  amount_t initial_cash = 100;        // every citizen's endowment, minted at genesis
  double saving_propensity = 0.25;    // lambda of the saving rule, in [0, 1)
  double yard_sale_fraction = 0.1;    // share of the poorer party's wealth at stake, in (0, 1]

  // [output]
  ledger_log ledger = ledger_log::full;  // full: every transfer stored; headers: only block headers
  std::uint32_t snapshot_every = 0;      // agent snapshot every K steps (0: only the final state)
  std::uint32_t metrics_every = 1;       // compute inequality metrics every K steps (others: NaN)

  friend bool operator==(const scenario&, const scenario&) = default;
};

// One schema entry, for documentation and listings.
struct param_info {
  std::string path;          // "exchange.rule"
  std::string type;          // "integer", "float", "boolean", "string", or "one of: a, b, c"
  std::string default_text;  // as TOML
  std::string range;         // "1 to 10000000", "" when unrestricted
  std::string doc;
};
std::vector<param_info> scenario_schema();

// Reads and validates a scenario file, then applies overrides ("path=value", value in TOML syntax;
// a bare word is taken as a string). Throws civitas::input_error with every diagnostic.
scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});
// The same from text; `source_name` is used in diagnostics.
scenario parse_scenario(std::string_view text, const std::string& source_name,
                        const std::vector<std::string>& overrides = {});

// Every parameter in schema order with its value, as TOML. Two scenarios are the same run exactly when
// their canonical texts are equal; parse_scenario(canonical_toml(s)) == s.
std::string canonical_toml(const scenario& s);

std::string_view to_string(activation_kind a);
std::string_view to_string(exchange_rule r);
std::string_view to_string(ledger_log l);

}  // namespace civitas::io
