// The visualiser's one state struct, and the frame it draws: a self-contained, immutable picture of a run
// at one step, published by a source (a live engine thread or a run file) and read by the panels.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "ledger/record.hpp"
#include "params/params.hpp"
#include "viz/money_flows.hpp"
#include "viz/network_layout.hpp"
#include "viz/side_by_side.hpp"

namespace civitas::viz {

struct block_view {
  step_t step = 0;
  std::string hash;  // hex
  std::uint64_t transfers = 0, rejected = 0;
};

// A minted value-token lot with the transfer that backed it (when known).
struct traced_lot {
  ledger::lineage_record lot;
  bool has_backing = false;
  ledger::transfer_record backing;
};

// What does not change during a run: read once, shared by every frame.
struct run_constants {
  std::string title;                // scenario name and source
  std::string step_unit = "step";   // "week" for the society, whose parameters are set per week
  std::vector<std::uint8_t> kinds;  // per agent: 0 citizen, 1 firm, 2 charity, 3 government
  std::vector<std::string> token_names;
  std::vector<std::string> score_columns;
  std::uint32_t value_dimensions = 0;
  std::vector<double> values;  // agents x K
  std::vector<std::string> value_names;
  std::vector<ledger::account_info> accounts;  // owners and tokens of the ledger's accounts
  std::vector<std::pair<std::uint32_t, std::uint32_t>> social_edges;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> supply_edges;  // supplier -> customer (agents)
  std::vector<std::pair<std::uint16_t, std::string>> reasons;         // the model's reason codes, named
};

struct frame {
  std::shared_ptr<const run_constants> run;
  step_t step = 0;  // the block this frame shows
  step_t steps_planned = 0;
  // /series up to `step`: one row per block, one value per column.
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;
  // Agents at the frame's snapshot.
  step_t snapshot_step = 0;
  std::vector<amount_t> balances;  // agents x tokens
  std::vector<double> scores;      // agents x score columns
  // The ledger.
  std::vector<block_view> blocks;
  step_t records_step = 0;
  std::vector<ledger::transfer_record> records;  // of records_step (empty for a headers-only file)
  std::vector<traced_lot> lots;                  // most recent lots first (bounded)
  std::string verification;                      // status of the chain

  std::size_t agents() const { return run ? run->kinds.size() : 0; }
  std::size_t tokens() const { return run ? run->token_names.size() : 0; }
  // Value of `column` at every block, or empty when there is no such column.
  std::vector<double> column(const std::string& name) const;
  amount_t balance(std::size_t agent, std::size_t token) const { return balances[agent * tokens() + token]; }
};

class source {
 public:
  virtual ~source() = default;
  // The latest published frame; never blocks on the engine (a shared pointer swap under a short lock).
  virtual std::shared_ptr<const frame> latest() = 0;
  virtual bool live() const = 0;
  // Replay: choose the step to show (clamped). Live: ignored.
  virtual void seek(step_t) {}
  // Live controls.
  virtual void play(bool) {}
  virtual bool playing() const { return false; }
  virtual void single_step() {}
  virtual void set_speed(float /*steps_per_second*/) {}
  virtual void restart(const std::vector<std::string>& /*overrides*/) {}
  // Replay: the records of another step (loads from the file).
  virtual void show_records_of(step_t) {}
  virtual void verify() {}
  // The scenario this source runs (live) or that wrote the file (replay); null when unknown. Read and
  // replaced on the UI thread only.
  virtual std::shared_ptr<const params::scenario> scenario() const { return nullptr; }
};

// What the panels share besides the frame.
struct viz_state {
  std::unique_ptr<source> src;
  std::shared_ptr<const frame> view;   // the frame being drawn this UI frame
  std::string scenario_path;           // live mode: the scenario file (for restarting)
  std::vector<std::string> overrides;  // live mode: --set overrides in force
  // Run panel: parameters the user changed (by path) since the scenario in force started; a restart applies
  // exactly these, so nothing the user did not touch changes (viz/run_settings.hpp).
  std::map<std::string, params::value, std::less<>> edits;
  char override_text[256] = "";
  float speed = 20.0f;
  // Society view.
  int color_by = 0;                               // 0 kind, 1 RAG, 2 a score column
  int y_column = -1;                              // score column for the y axis (-1: value tokens)
  float zoom = 1.0f, pan_x = 0.0f, pan_y = 0.0f;  // pan in the plot's (log-cash, y) units
  // The points of the scatter: recomputed only when a new frame arrives or the axis or sample changes.
  struct society_points {
    const frame* of = nullptr;
    int y_column = -2, max_points = 0;
    std::vector<std::uint32_t> agents;      // drawn: every firm, charity and the government, sampled citizens
    std::vector<double> x, y;               // log10(1 + cash) and the y value of each
    std::vector<float> spread_x, spread_y;  // its fixed place in the unit disc, for spreading discrete values
    double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;
    double x_gap = 0, y_gap = 0;  // smallest gap between distinct values when few (discrete), else 0
    bool x_discrete = false, y_discrete = false;
  } society;
  std::int64_t selected_agent = 0;
  int max_points = 5'000;  // citizens drawn in the scatter (a fixed stride sample beyond this)
  // Series view.
  std::vector<int> shown_columns;
  // Ledger explorer.
  int selected_block = -1;
  int selected_lot = -1;
  // Comparison view: other runs' series, overlaid.
  struct compared_run {
    std::string name;
    std::size_t citizens = 0;  // 0: not known (a sweep file)
    std::vector<std::string> columns;
    std::vector<std::vector<double>> rows;
    // A point of a sweep or comparison file: rows are the mean over its replicates, lo/hi the 95% interval
    // of that mean (Student's t, NaN below two replicates); diff* the mean paired difference against the
    // file's first point over the replicates they share (same seeds) with its 95% interval. Same shape as
    // rows; empty for a single run and diff* for the first point itself.
    std::vector<std::vector<double>> lo, hi, diff, diff_lo, diff_hi;
    std::size_t replicates = 1;
    std::string baseline;  // the first point's label, when diff is set
  };
  std::vector<compared_run> compared;
  char compare_path[512] = "";
  int compare_column = 0;
  bool compare_bands = true;      // the 95% band of each mean
  bool compare_paired = false;    // paired differences against the baseline instead of levels
  std::vector<int> compare_more;  // small multiples: further metrics (column indices) drawn beside
  std::string message;            // last notice or error of the Run panel, shown under what caused it
  bool message_is_error = false;
  std::string compare_message;  // the comparison panel's last error, shown under its file field
  bool save_png = false;        // set by the controls; the frame loop saves the window as PNG
  // Distribution view: recomputed only when a new frame arrives.
  const frame* distribution_of = nullptr;
  std::vector<amount_t> sorted_cash;
  std::vector<double> cash_bins;           // citizens per cash bin
  std::vector<double> lorenz_x, lorenz_y;  // the Lorenz curve
  double cash_top = 0;
  int page = 0;  // 0 overview, 1 network and money flows, 2 regimes side by side (draw_all's menu bar)
  // Side-by-side page: regimes running live at once, their latest views (taken once per UI frame, which
  // also paces them), which regimes are ticked, the metrics drawn.
  std::unique_ptr<side_by_side> lanes;
  std::vector<std::shared_ptr<const lane_view>> lane_views;
  std::array<bool, 8> lane_chosen{true, true, true, true};  // by position in governance::regime_names()
  std::vector<std::string> lane_columns;  // metrics drawn, by name (each regime adds its own columns)
  bool lane_differences = false;
  float lane_speed = 10.0f;
  unsigned lane_threads = 0;  // engine threads shared by the lanes (0: every core)
  std::string lane_message;   // why they did not start, shown in red under the button
  // Network view: which network, how many agents, coloured by what; the picture being drawn and the one
  // being laid out (for the run, network, centre and size it was asked for).
  int network_kind = 0;   // 0 social graph, 1 supply chain
  int network_color = 0;  // 0 kind, 1 cash, 2.. score column 2 - 2
  int network_nodes = 600;
  std::shared_ptr<const network_picture> network;
  background_layout network_layout;
  const run_constants* network_of = nullptr;
  int network_kind_of = -1, network_nodes_of = -1;
  std::int64_t network_centre_of = -1;
  // Cash moved along each of the picture's edges in the frame's step: recomputed only when the frame or
  // the picture changes (a step of 10^6 agents has millions of records).
  std::vector<amount_t> network_flows;
  std::shared_ptr<const frame> network_flows_of;
  std::shared_ptr<const network_picture> network_flows_for;
  // Flow diagram: which token, and the sums for the frame and token they were made of (recomputed only when
  // either changes: a step of 10^6 agents has millions of records).
  int flow_token = 0;
  std::shared_ptr<const frame> flows_of;
  int flows_token_of = -1;
  step_flows flows;
  std::vector<flow_group> groups;  // per agent, for flows_of's run
  // Frame timing (for the benchmark and the status line).
  double mean_frame_ms = 0;
};

// Loads series for the comparison view (throws civitas::data_error): a run file gives one run; a sweep or
// comparison file (`civitas sweep`, `civitas compare`) gives one curve per grid point (per regime), the mean
// across its replicates at each step.
std::vector<viz_state::compared_run> load_compared_runs(const std::string& path);

}  // namespace civitas::viz
