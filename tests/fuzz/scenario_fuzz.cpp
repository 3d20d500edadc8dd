// libFuzzer target: the bytes as a scenario file, through the same parse + validate path as `civitas run`
// (driver::parse_scenario: TOML syntax, the catalogue's types and ranges, the cross-field rules).
//
// Input format: the bytes are the scenario text, except that everything after a line "#--set" (a TOML
// comment, so a seed stays a readable scenario) is a list of --set overrides, one per line. This reaches
// the override parser too without a second target.
//
// Expected outcome for bad input: civitas::input_error. Anything else (another exception, a crash, a hang,
// a huge allocation) is a bug: other exceptions escape, so libFuzzer reports them as a crash.
//
// Oracle beyond "no crash": an accepted scenario's canonical text (part of every ledger's block 0) must
// itself be accepted and be a fixed point, or a run file could hold a scenario that `verify` cannot re-read.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "driver/registry.hpp"
#include "params/params.hpp"

namespace {

constexpr std::string_view set_marker = "\n#--set\n";

// Splits the input into scenario text and overrides (see the input format above).
std::string_view split(std::string_view input, std::vector<std::string>& overrides) {
  const std::size_t at = input.find(set_marker);
  if (at == std::string_view::npos) return input;
  std::string_view rest = input.substr(at + set_marker.size());
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    overrides.emplace_back(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  return input.substr(0, at);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace civitas;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> overrides;
  const std::string_view text = split(input, overrides);

  std::string canonical;
  try {
    canonical = params::canonical_toml(driver::parse_scenario(text, "fuzz.toml", overrides));
  } catch (const input_error&) {
    return 0;  // rejected with diagnostics: the expected outcome for most inputs
  }

  // Outside the try: an input_error here is a bug (the canonical text of a valid scenario was refused).
  const std::string again = params::canonical_toml(driver::parse_scenario(canonical, "canonical.toml"));
  if (again != canonical) {
    std::fprintf(stderr, "canonical text is not a fixed point:\n--- first\n%s--- again\n%s",
                 canonical.c_str(), again.c_str());
    std::abort();
  }
  return 0;
}
