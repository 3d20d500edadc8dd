#include "viz/side_by_side.hpp"

#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "driver/registry.hpp"
#include "governance/registry.hpp"
#include "ledger/hash.hpp"
#include "sim/world.hpp"

namespace civitas::viz {

std::vector<std::string> parse_regime_list(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start <= text.size();) {
    const auto comma = std::min(text.find(',', start), text.size());
    std::string name = text.substr(start, comma - start);
    start = comma + 1;
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (name.empty()) continue;
    const auto& known = governance::regime_names();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw input_error({{"--side-by-side", 0, 0, "unknown regime '" + name + "' (one of: " + list + ")"}});
    }
    if (std::find(out.begin(), out.end(), name) != out.end())
      throw input_error({{"--side-by-side", 0, 0, "regime '" + name + "' is named twice"}});
    out.push_back(name);
  }
  return out;
}

std::vector<params::scenario> regime_scenarios(const params::scenario& base, const std::string& path,
                                               const std::vector<std::string>& overrides,
                                               const std::vector<std::string>& regimes) {
  if (regimes.size() < side_by_side::min_lanes || regimes.size() > side_by_side::max_lanes)
    throw input_error(
        {{"--side-by-side", 0, 0,
          "choose two to four regimes to run side by side (" + std::to_string(regimes.size()) + " chosen)"}});
  if (base.get<driver::model_params>().model != "society")
    throw input_error({{"--side-by-side", 0, 0,
                        "regimes govern the society; this scenario runs the '" +
                            base.get<driver::model_params>().model + "' model, which has none"}});
  std::vector<params::scenario> out;
  for (const auto& r : regimes) {
    std::vector<std::string> with = overrides;
    with.push_back("governance.regime=" + r);
    if (!path.empty()) {
      out.push_back(driver::load_scenario(path, with));
    } else {
      const std::string name = base.get<sim::run_params>().name;
      out.push_back(driver::parse_scenario(params::canonical_toml(base), name, with));
    }
  }
  return out;
}

side_by_side::side_by_side(std::vector<params::scenario> scenarios, unsigned threads) {
  if (scenarios.size() < min_lanes || scenarios.size() > max_lanes)
    throw input_error({{"--side-by-side", 0, 0, "two to four scenarios run side by side"}});
  for (auto& sc : scenarios) {
    regimes_.push_back(sc.get<governance::governance_params>().regime);
    lanes_.push_back(std::make_unique<lane>(std::move(sc)));
  }
  const params::scenario& base = lanes_.front()->scenario;
  steps_ = base.get<sim::run_params>().steps;
  step_unit_ = "week";  // the society's behaviours are calibrated per week
  const unsigned cores = threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : threads;
  const unsigned each = std::max(1u, cores / static_cast<unsigned>(lanes_.size()));
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    lane& l = *lanes_[i];
    l.thread = std::thread([this, &l, r = regimes_[i], each] { run_lane(l, r, each); });
  }
}

side_by_side::~side_by_side() {
  quit_ = true;
  for (auto& l : lanes_)
    if (l->thread.joinable()) l->thread.join();
}

void side_by_side::run_lane(lane& l, const std::string& regime, unsigned threads) {
  auto publish = [&l](lane_view v) {
    auto p = std::make_shared<const lane_view>(std::move(v));
    std::lock_guard lock(l.mutex);
    l.published = std::move(p);
  };
  lane_view v;
  v.regime = regime;
  try {
    tbb::task_arena arena(static_cast<int>(threads));
    arena.execute([&] {
      const auto owner = driver::make_world(l.scenario);
      sim::world& w = *owner;
      w.genesis();
      v.columns = std::make_shared<const std::vector<std::string>>(w.metric_columns());
      v.rows.push_back(w.metrics());
      v.head = ledger::to_hex(w.ledger().head().hash);
      publish(v);
      l.started = true;
      while (!quit_) {
        if (w.current_step() >= target_.load() || w.current_step() >= steps_) {
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
          continue;
        }
        w.step();
        v.step = w.current_step();
        v.rows.push_back(w.metrics());
        v.head = ledger::to_hex(w.ledger().head().hash);
        publish(v);
        l.reached = v.step;
      }
    });
  } catch (const std::exception& e) {
    // An engine that fails (out of memory, a broken invariant) stops its lane and says so; the others go on.
    v.error = e.what();
    publish(v);
    l.started = true;
    l.reached = steps_;  // never holds the others back
  }
}

step_t side_by_side::slowest() const {
  step_t s = steps_;
  for (const auto& l : lanes_) s = std::min(s, l->started ? l->reached.load() : step_t{0});
  return s;
}

std::vector<std::shared_ptr<const lane_view>> side_by_side::latest() {
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - paced_at_).count();
  paced_at_ = now;
  bool all_started = true;
  for (const auto& l : lanes_) all_started = all_started && l->started;
  if (playing_ && all_started) {
    // Lockstep: the target moves at the set speed but never more than one step past the slowest lane.
    const step_t cap = std::min<step_t>(steps_, slowest() + 1);
    if (speed_ >= 1000.0f) {
      target_ = cap;
    } else {
      owed_ += elapsed * speed_;
      while (owed_ >= 1.0 && target_ < cap) {
        target_ = target_ + 1;
        owed_ -= 1.0;
      }
      if (target_ >= cap) owed_ = std::min(owed_, 1.0);  // no debt piles up while the slowest catches up
    }
    if (slowest() >= steps_) playing_ = false;
  }
  std::vector<std::shared_ptr<const lane_view>> out;
  for (const auto& l : lanes_) {
    std::lock_guard lock(l->mutex);
    out.push_back(l->published);
  }
  return out;
}

void side_by_side::play(bool on) {
  playing_ = on;
  owed_ = 0;
  paced_at_ = std::chrono::steady_clock::now();
}

void side_by_side::single_step() {
  if (playing_) return;
  target_ = std::min<step_t>(steps_, slowest() + 1);
}

void side_by_side::set_speed(float steps_per_second) { speed_ = std::max(0.1f, steps_per_second); }

}  // namespace civitas::viz
