// The scenario reader's TOML machinery for civitas's other TOML inputs (experiment files), so that every
// input reports its errors alike: the same syntax diagnostics and depth limit, the same type names in
// "expected X, got Y", the same did-you-mean. Kept out of params.hpp so only its users see toml++.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace civitas::params {

// Parses TOML; syntax errors, invalid UTF-8 and keys nested too deep become diagnostics in `out`.
std::optional<toml::table> parse_toml_document(std::string_view text, const std::string& file,
                                               std::vector<diagnostic>& out);
// "an integer", "a table", ...
std::string_view node_type_text(toml::node_type t);
// " (did you mean "x"?)" when a candidate is near enough to be what was meant, else "".
std::string suggest(std::string_view wrong, const std::vector<std::string>& candidates);
// Input quoted for a message (a TOML string, cut short when long).
std::string quote(std::string_view s);

}  // namespace civitas::params
