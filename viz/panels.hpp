// One function per panel; each draws one ImGui window from the state's current frame. They need an ImGui
// frame in progress and nothing else (no window system), so tests draw them headless.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "viz/state.hpp"

namespace civitas::viz {

void draw_controls(viz_state& s);      // play/pause/step/speed, scenario, regime, parameters; replay scrubber
void draw_series(viz_state& s);        // time series of chosen /series columns, with hover values
void draw_society(viz_state& s);       // agents as a scatter: wealth x score, coloured, pan and zoom
void draw_inspector(viz_state& s);     // one agent: balances, scores, values, this step's transfers
void draw_ledger(viz_state& s);        // blocks and hashes, a step's transfers, lineage of lots, verification
void draw_comparison(viz_state& s);    // series of several run files overlaid
void draw_distribution(viz_state& s);  // Lorenz curve and histogram of citizens' cash
void draw_network(viz_state& s);       // the social graph or the supply chain, force-directed, with flows
void draw_flows(viz_state& s);         // where the step's money or value goes, group to group (Sankey)
void draw_lanes(viz_state& s);         // regimes live side by side: which, play/pause, the lanes' state
void draw_lane_charts(viz_state& s);   // their metrics as small multiples, a curve per regime

// Starts the regimes ticked on the side-by-side page from the scenario in force (stopping any running);
// an error goes to s.lane_message. Returns whether they started.
bool try_start_lanes(viz_state& s);

// Begins a panel's window and returns the frame it draws; when no run is loaded, says so, ends the window
// and returns nullptr.
inline const frame* begin_panel(viz_state& s, const char* title) {
  ImGui::Begin(title);
  const frame* f = s.view.get();
  if (f && f->run) return f;
  ImGui::TextUnformatted("No run loaded.");
  ImGui::End();
  return nullptr;
}

// All panels at their default places in a window of the given size.
void draw_all(viz_state& s, float width, float height);

}  // namespace civitas::viz
