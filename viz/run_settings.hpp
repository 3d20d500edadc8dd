// What the Run panel's parameter controls show and what a restart applies. The controls start from the
// scenario in force (never from a fixed default), the user's changes are kept apart from it, and a restart
// passes the overrides already in force plus exactly those changes, as `--set` text validated by the same
// reader as `civitas run --set`. Pure logic over viz_state: tested without ImGui.
#pragma once

#include <string>
#include <vector>

#include "viz/state.hpp"

namespace civitas::viz {

// The scenario's parameter at `path`, or null (no scenario, or no such parameter).
const params::catalogue::entry* find_param(const viz_state& s, std::string_view path);
// The value the controls show: the user's edit, else the scenario's value.
params::value shown_value(const viz_state& s, const params::catalogue::entry& e);
// Records the user's choice; choosing the scenario's own value again drops the edit.
void edit_value(viz_state& s, const params::catalogue::entry& e, const params::value& v);
// Whether the scenario's model reads the parameter (its section is in the scenario's canonical text).
bool is_read(const params::scenario& sc, const params::catalogue::entry& e);
// "a=1 b=2" into {"a=1", "b=2"}.
std::vector<std::string> split_overrides(const std::string& text);
// What a restart passes: the overrides in force, then each edit as "path=value", then the --set text.
std::vector<std::string> restart_overrides(const viz_state& s);
// Restarts the live source with restart_overrides(s); on success they become the overrides in force and
// the edits and text clear. Throws input_error (nothing changes) as the source does.
void restart(viz_state& s);
// The Run panel's button: restart(s), with the outcome in s.message (an error: the first diagnostic,
// message_is_error set, shown in red under the button). Returns whether it restarted.
bool try_restart(viz_state& s);

}  // namespace civitas::viz
