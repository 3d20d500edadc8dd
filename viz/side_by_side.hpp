// Regimes side by side, live: two to four copies of one scenario, each under its own regime and all on the
// same seed (common random numbers), each engine on its own thread. They advance in lockstep: no lane runs
// more than one step ahead of the slowest, so at any moment the charts compare the regimes at the same
// step and their curves diverge only because the regimes differ.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/types.hpp"
#include "params/params.hpp"

namespace civitas::viz {

// What one lane has published: immutable, swapped under a short lock.
struct lane_view {
  std::string regime;
  step_t step = 0;  // last sealed block
  std::shared_ptr<const std::vector<std::string>> columns;
  std::vector<std::vector<double>> rows;  // /series, one row per block up to `step`
  std::string head;                       // the head hash (hex)
  std::string error;                      // the engine failed: what it said (the lane stops)
};

class side_by_side {
 public:
  static constexpr std::size_t min_lanes = 2, max_lanes = 4;
  // One lane per scenario (from regime_scenarios: they differ in their regime). Engines use `threads`
  // threads in all (0: every core), shared out between the lanes; results do not depend on it.
  explicit side_by_side(std::vector<params::scenario> scenarios, unsigned threads = 0);
  ~side_by_side();
  side_by_side(const side_by_side&) = delete;
  side_by_side& operator=(const side_by_side&) = delete;

  // Each lane's latest view (null until its block 0 is sealed). Also paces the lanes: while playing, the
  // common target step advances at the set speed, never past one step beyond the slowest lane.
  std::vector<std::shared_ptr<const lane_view>> latest();
  const std::vector<std::string>& regimes() const { return regimes_; }
  step_t steps_planned() const { return steps_; }
  const std::string& step_unit() const { return step_unit_; }
  // The scenario each lane runs (the base with its regime).
  const params::scenario& scenario_of(std::size_t lane) const { return lanes_[lane]->scenario; }

  void play(bool on);
  bool playing() const { return playing_; }
  void single_step();                               // every lane one step further (when paused)
  void set_speed(float steps_per_second);           // 1000 or more: as fast as the slowest lane goes
  step_t target() const { return target_.load(); }  // the step every lane is heading for

 private:
  struct lane {
    explicit lane(params::scenario s) : scenario(std::move(s)) {}
    params::scenario scenario;
    std::thread thread;
    std::mutex mutex;
    std::shared_ptr<const lane_view> published;
    std::atomic<step_t> reached{0};
    std::atomic<bool> started{false};  // block 0 sealed
  };
  void run_lane(lane& l, const std::string& regime, unsigned threads);
  step_t slowest() const;

  std::vector<std::string> regimes_;
  std::vector<std::unique_ptr<lane>> lanes_;
  step_t steps_ = 0;
  std::string step_unit_ = "step";
  std::atomic<step_t> target_{0};
  std::atomic<bool> playing_{false}, quit_{false};
  float speed_ = 20.0f;
  double owed_ = 0;  // fractional steps the pacer owes at the set speed
  std::chrono::steady_clock::time_point paced_at_ = std::chrono::steady_clock::now();
};

// The scenario under each of `regimes` (2 to 4 names, each once): the scenario file `path` with `overrides`
// and the regime set, so the file's tables for every regime count; with no path (a replayed run), the
// canonical text of `base` (which holds only the tables its own regime reads). Throws input_error for a
// bad choice or a model without regimes, before any engine starts.
std::vector<params::scenario> regime_scenarios(const params::scenario& base, const std::string& path,
                                               const std::vector<std::string>& overrides,
                                               const std::vector<std::string>& regimes);
// The regimes a list such as "market,daf" names, checked (throws input_error naming the bad one).
std::vector<std::string> parse_regime_list(const std::string& text);

}  // namespace civitas::viz
