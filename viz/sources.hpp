// The two sources of frames: a live engine on its own thread, and a run file (also while it is written).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "viz/state.hpp"

namespace civitas::viz {

// Runs the scenario (file path, with overrides) on a background thread. Throws input_error for a bad
// scenario before the thread starts.
std::unique_ptr<source> make_live_source(const std::string& scenario_path,
                                         const std::vector<std::string>& overrides, unsigned threads = 0);

// Opens a run file (.h5 or a .h5.partial still being written: refreshed every second). Throws data_error.
std::unique_ptr<source> make_replay_source(const std::string& path);

// A sweep or comparison file (`civitas sweep`, `civitas compare`): one for the comparison view, not a run.
bool is_sweep_file(const std::string& path);

}  // namespace civitas::viz
