// The one registry of the engine: which models exist, which parameter structs make up a scenario (and in
// which order, which is the order of the canonical text and so part of every ledger's block 0), and the
// rules across modules. Everything above it (run, verify, experiment, the CLI, the visualiser) reads
// scenarios and makes models through here; nothing below it names a concrete model.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ledger/ledger.hpp"
#include "params/params.hpp"
#include "sim/model.hpp"
#include "sim/world.hpp"

namespace civitas::driver {

// run.model
struct model_params {
  std::string model = "exchange";  // one of model_names()

  static std::vector<params::param> declare();
};

const std::vector<std::string>& model_names();

// Every parameter of every module, mounted in canonical order.
const params::catalogue& catalogue();

// A scenario with every parameter at its default.
params::scenario default_scenario();
// Reads and validates a scenario file (or text), then applies overrides; throws civitas::input_error.
params::scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});
params::scenario parse_scenario(std::string_view text, const std::string& source_name,
                                const std::vector<std::string>& overrides = {});

// Every module's reason codes and random-stream purposes, as declared beside the code that uses them
// (a test checks that no number is claimed twice).
struct named_code {
  std::uint32_t code;
  std::string module;
  std::string name;
};
const std::vector<named_code>& reason_codes();
const std::vector<named_code>& rng_purposes();
// The name of a reason code, whatever module declared it; "unknown" for none.
std::string reason_name(std::uint32_t code);

std::unique_ptr<sim::model> make_model(const params::scenario& s);
// A world running the scenario's model.
// `peers`: the ranks of a sharded run (sim::world); none runs every shard in this process.
std::unique_ptr<sim::world> make_world(const params::scenario& s, ledger::ledger_options options = {},
                                       sim::transport* peers = nullptr);

}  // namespace civitas::driver
