// Where shipped scenarios live, and how a scenario argument becomes a path (kept apart from scenario.cpp,
// whose own quoted() would meet std::quoted through <filesystem>).
#include <cstdlib>
#include <filesystem>

#include "core/error.hpp"
#include "params/params.hpp"

namespace civitas::params {

std::string scenario_directory() {
  if (const char* env = std::getenv("CIVITAS_SCENARIO_DIR")) return env;
  return (std::filesystem::path(CIVITAS_SOURCE_DIR) / "scenarios").string();
}

std::string resolve_scenario(const std::string& argument) {
  namespace fs = std::filesystem;
  if (argument.empty())
    throw input_error(std::vector<diagnostic>{{"", 0, 0,
                                               "the scenario argument is empty (name a file or a "
                                               "shipped scenario, see `civitas scenarios`)"}});
  // The error_code forms: a symbolic-link loop or an unreadable directory is not an internal error.
  std::error_code ec;
  if (fs::symlink_status(argument, ec).type() != fs::file_type::not_found && !ec) return argument;
  const fs::path dir = scenario_directory();
  for (const fs::path& candidate : {dir / argument, dir / (argument + ".toml")})
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  throw input_error(std::vector<diagnostic>{
      {argument, 0, 0,
       "no such scenario file, and no shipped scenario of that name (see `civitas scenarios`)"}});
}

}  // namespace civitas::params
