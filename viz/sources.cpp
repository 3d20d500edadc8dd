#include "viz/sources.hpp"

#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <boost/math/distributions/students_t.hpp>
#include <chrono>
#include <cmath>
#include <future>
#include <map>
#include <mutex>
#include <numeric>
#include <thread>

#include "core/error.hpp"
#include "driver/registry.hpp"
#include "driver/verify.hpp"
#include "io/hdf5.hpp"
#include "io/run_file.hpp"
#include "ledger/hash.hpp"
#include "sim/world.hpp"

namespace civitas::viz {
namespace {

using clock_type = std::chrono::steady_clock;
constexpr std::size_t max_lots = 2000;

// The society's behaviours are calibrated per week ("modelling choice: weekly steps" in its parameter
// sources), so its steps are shown as weeks; other models' steps have no calendar meaning.
std::string step_unit_of(const params::scenario* s) {
  return s && s->get<driver::model_params>().model == "society" ? "week" : "step";
}

std::shared_ptr<const run_constants> constants_of(const io::run_layout& layout, const std::string& title,
                                                  const params::scenario* s) {
  auto c = std::make_shared<run_constants>();
  c->title = title;
  c->step_unit = step_unit_of(s);
  c->kinds = layout.agent_kinds;
  for (const auto& t : layout.tokens) c->token_names.push_back(t.name);
  c->score_columns = layout.score_columns;
  c->value_dimensions = layout.value_dimensions;
  c->values = layout.agent_values;
  c->value_names = layout.value_dimension_names;
  c->accounts = layout.accounts;
  c->social_edges = layout.social_edges;
  c->supply_edges = layout.supply_edges;
  for (const auto& r : layout.reasons) c->reasons.emplace_back(r.code, r.name);
  return c;
}

block_view block_of(const ledger::block_header& h) {
  return {h.step, ledger::to_hex(h.hash), h.transfer_count, h.rejected_count};
}

// ---------------------------------------------------------------------------------------------------
// Live: the engine steps on its own thread and publishes frames; the UI only ever swaps a pointer.

class live_source final : public source {
 public:
  live_source(std::string path, std::vector<std::string> overrides, unsigned threads)
      : path_(std::move(path)), overrides_(std::move(overrides)), threads_(threads) {
    scenario_ = driver::load_scenario(path_, overrides_);  // bad input fails here, on the caller's thread
    shown_ = std::make_shared<const params::scenario>(scenario_);
    thread_ = std::thread([this] { run(); });
  }
  ~live_source() override {
    quit_ = true;
    if (thread_.joinable()) thread_.join();
  }

  std::shared_ptr<const frame> latest() override {
    std::lock_guard lock(mutex_);
    return published_;
  }
  bool live() const override { return true; }
  void play(bool on) override { playing_ = on; }
  bool playing() const override { return playing_; }
  void single_step() override { ++step_requests_; }
  void set_speed(float steps_per_second) override { speed_ = steps_per_second; }
  void restart(const std::vector<std::string>& overrides) override {
    params::scenario next =
        driver::load_scenario(path_, overrides);  // validated before the engine is touched
    shown_ = std::make_shared<const params::scenario>(next);
    std::lock_guard lock(mutex_);
    pending_ = next;
    restart_ = true;
  }
  std::shared_ptr<const params::scenario> scenario() const override { return shown_; }

 private:
  void run() {
    while (!quit_) {
      params::scenario s = driver::default_scenario();
      {
        std::lock_guard lock(mutex_);
        if (pending_) scenario_ = *pending_;
        pending_.reset();
        s = scenario_;
        restart_ = false;
      }
      tbb::task_arena arena(threads_ == 0 ? tbb::task_arena::automatic : static_cast<int>(threads_));
      arena.execute([&] { simulate(s); });
    }
  }

  void simulate(const params::scenario& s) {
    const auto world_owner = driver::make_world(s);
    sim::world& w = *world_owner;
    w.genesis();
    const auto constants = constants_of(w.layout(), s.get<sim::run_params>().name + " (live)", &s);
    std::vector<std::vector<double>> rows{w.metrics()};
    std::vector<block_view> blocks{block_of(w.ledger().head())};
    std::vector<traced_lot> lots;
    collect_lots(w, lots);
    publish(w, s, constants, rows, blocks, lots);
    auto last_publish = clock_type::now();
    while (!quit_ && !restart_) {
      const bool finished = w.current_step() >= s.get<sim::run_params>().steps;
      if (finished) playing_ = false;
      if (finished || (!playing_ && step_requests_ == 0)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      if (step_requests_ > 0) --step_requests_;
      const auto started = clock_type::now();
      w.step();
      rows.push_back(w.metrics());
      blocks.push_back(block_of(w.ledger().head()));
      collect_lots(w, lots);
      // Publishing copies the snapshot: at most 20 times a second, and always when paused or at the last
      // step (else a fast run could end on an unpublished frame and the viewer would never see its end).
      const bool last = w.current_step() >= s.get<sim::run_params>().steps;
      if (!playing_ || last || clock_type::now() - last_publish > std::chrono::milliseconds(50)) {
        publish(w, s, constants, rows, blocks, lots);
        last_publish = clock_type::now();
      }
      const float speed = speed_;
      if (playing_ && speed > 0 && speed < 1000) {
        const auto period = std::chrono::duration<double>(1.0 / speed);
        std::this_thread::sleep_until(started + std::chrono::duration_cast<clock_type::duration>(period));
      }
    }
  }

  // Lots minted this step, each with its backing transfer (in the same block).
  static void collect_lots(const sim::world& w, std::vector<traced_lot>& lots) {
    const auto& records = w.ledger().step_records();
    const step_t step = w.ledger().current_step();
    for (const auto& l : w.ledger().step_lineage()) {
      traced_lot t{l, false, {}};
      if (l.backing != 0 && ledger::transfer_step(l.backing) == step) {
        const auto seq = static_cast<std::uint32_t>(l.backing);
        if (seq < records.size()) {
          t.has_backing = true;
          t.backing = records[seq];
        }
      }
      lots.push_back(t);
    }
    if (lots.size() > max_lots)
      lots.erase(lots.begin(), lots.begin() + static_cast<std::ptrdiff_t>(lots.size() - max_lots));
  }

  void publish(const sim::world& w, const params::scenario& s,
               const std::shared_ptr<const run_constants>& constants,
               const std::vector<std::vector<double>>& rows, const std::vector<block_view>& blocks,
               const std::vector<traced_lot>& lots) {
    auto f = std::make_shared<frame>();
    f->run = constants;
    f->step = w.current_step();
    f->steps_planned = s.get<sim::run_params>().steps;
    f->columns = w.metric_columns();
    f->rows = rows;
    const io::agent_snapshot snap = w.snapshot();
    f->snapshot_step = snap.step;
    f->balances = snap.balances;
    f->scores = snap.scores;
    f->blocks = blocks;
    f->records_step = f->step;
    f->records = w.ledger().step_records();
    f->lots.assign(lots.rbegin(), lots.rend());
    f->verification = "live: block " + std::to_string(f->step) +
                      " sealed, conservation checked every step; head " + blocks.back().hash.substr(0, 16) +
                      "...";
    std::lock_guard lock(mutex_);
    published_ = std::move(f);
  }

  std::string path_;
  std::vector<std::string> overrides_;
  unsigned threads_;
  params::scenario scenario_ = driver::default_scenario();
  std::optional<params::scenario> pending_;
  std::shared_ptr<const params::scenario> shown_;  // what the UI shows as running: UI thread only
  std::mutex mutex_;
  std::shared_ptr<const frame> published_;
  std::atomic<bool> playing_{false}, quit_{false}, restart_{false};
  std::atomic<int> step_requests_{0};
  std::atomic<float> speed_{20.0f};
  std::thread thread_;
};

// ---------------------------------------------------------------------------------------------------
// Replay: a run file, scrubbed step by step; a .partial file is re-read every second (SWMR).

class replay_source final : public source {
 public:
  explicit replay_source(std::string path) : path_(std::move(path)) {
    load();
    step_ = headers_.empty() ? 0 : headers_.back().step;
    show_records_of(step_);  // the shown step's transfers, as after a seek (the flow diagram reads them)
  }

  std::shared_ptr<const frame> latest() override {
    const bool growing = path_.size() > 8 && path_.ends_with(".partial");
    if (growing && clock_type::now() - loaded_ > std::chrono::seconds(1)) {
      const bool at_end = headers_.empty() || step_ == headers_.back().step;
      try {
        load();
        if (at_end && !headers_.empty()) step_ = headers_.back().step;  // follow the run as it grows
        rebuild();
      } catch (const std::exception&) {
        // A block half written at this instant: try again next second.
      }
    }
    if (verifying_.valid() && verifying_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      const driver::verify_report r = verifying_.get();
      verification_ = (r.ok ? "verified: " : "FAILED: ") + r.message;
      rebuild();
    }
    return published_;
  }
  bool live() const override { return false; }
  std::shared_ptr<const params::scenario> scenario() const override { return scenario_; }
  void seek(step_t step) override {
    const step_t last = headers_.empty() ? 0 : headers_.back().step;
    step_ = std::min(step, last);
    if (records_step_ != step_) show_records_of(step_);
    rebuild();
  }
  void show_records_of(step_t step) override {
    records_step_ = step;
    records_.clear();
    if (reader_->has_transfers() && step < headers_.size()) records_ = reader_->transfers(step);
    rebuild();
  }
  void verify() override {
    if (verifying_.valid()) return;
    verification_ = "verifying...";
    verifying_ = std::async(std::launch::async,
                            [path = path_] { return driver::verify_run(path, driver::verify_options{1}); });
    rebuild();
  }

 private:
  void load() {
    reader_ = std::make_unique<io::run_reader>(path_);
    loaded_ = clock_type::now();
    const auto& meta = reader_->meta();
    if (!scenario_) {
      try {  // the file's canonical scenario text: its parameters, for the controls and the time unit
        scenario_ = std::make_shared<const params::scenario>(driver::parse_scenario(meta.scenario, path_));
      } catch (const input_error&) {
        // Written by another version of the engine: the run still replays, without its parameters.
      }
    }
    if (!constants_)
      constants_ = constants_of(reader_->layout(), meta.scenario_name + " (" + path_ + ")", scenario_.get());
    headers_ = reader_->headers();
    steps_planned_ = meta.steps_planned;
    columns_ = reader_->layout().metric_columns;
    std::vector<std::vector<double>> by_column;
    for (const auto& c : columns_) by_column.push_back(reader_->series(c));
    rows_.assign(headers_.size(), std::vector<double>(columns_.size(), 0.0));
    for (std::size_t c = 0; c < columns_.size(); ++c)
      for (std::size_t r = 0; r < rows_.size() && r < by_column[c].size(); ++r) rows_[r][c] = by_column[c][r];
    snapshot_steps_ = reader_->snapshot_steps();
    snapshots_.clear();
    if (lots_.empty()) trace_lots();
    if (verification_.empty())
      verification_ =
          meta.complete ? "not verified yet (press Verify)" : "run still being written (or interrupted)";
  }

  void trace_lots() {
    const auto lineage = reader_->lineage();
    const std::size_t first = lineage.size() > max_lots ? lineage.size() - max_lots : 0;
    std::map<step_t, std::vector<ledger::transfer_record>> blocks;
    for (std::size_t i = lineage.size(); i-- > first;) {
      const auto& l = lineage[i];
      traced_lot t{l, false, {}};
      if (reader_->has_transfers() && l.backing != 0) {
        const step_t s = ledger::transfer_step(l.backing);
        auto it = blocks.find(s);
        if (it == blocks.end()) it = blocks.emplace(s, reader_->transfers(s)).first;
        const auto seq = static_cast<std::uint32_t>(l.backing);
        if (seq < it->second.size()) {
          t.has_backing = true;
          t.backing = it->second[seq];
        }
      }
      lots_.push_back(t);
    }
  }

  void rebuild() {
    auto f = std::make_shared<frame>();
    f->run = constants_;
    f->step = step_;
    f->steps_planned = steps_planned_;
    f->columns = columns_;
    f->rows.assign(rows_.begin(), rows_.begin() + static_cast<std::ptrdiff_t>(
                                                      std::min<std::size_t>(rows_.size(), step_ + 1)));
    // The latest snapshot at or before the step shown.
    std::size_t index = 0;
    bool found = false;
    for (std::size_t i = 0; i < snapshot_steps_.size(); ++i)
      if (snapshot_steps_[i] <= step_) {
        index = i;
        found = true;
      }
    if (found) {
      auto it = snapshots_.find(index);
      if (it == snapshots_.end())
        it = snapshots_
                 .emplace(index,
                          std::make_pair(reader_->snapshot_balances(index), reader_->snapshot_scores(index)))
                 .first;
      f->snapshot_step = snapshot_steps_[index];
      f->balances = it->second.first;
      f->scores = it->second.second;
    } else {
      f->balances.assign(f->agents() * f->tokens(), 0);
    }
    for (const auto& h : headers_)
      if (h.step <= step_) f->blocks.push_back(block_of(h));
    f->records_step = records_step_;
    f->records = records_;
    for (const auto& t : lots_)
      if (t.lot.step <= step_) f->lots.push_back(t);
    f->verification = verification_;
    published_ = std::move(f);
  }

  std::string path_;
  std::unique_ptr<io::run_reader> reader_;
  clock_type::time_point loaded_;
  std::shared_ptr<const run_constants> constants_;
  std::shared_ptr<const params::scenario> scenario_;
  std::vector<ledger::block_header> headers_;
  step_t steps_planned_ = 0, step_ = 0, records_step_ = 0;
  std::vector<std::string> columns_;
  std::vector<std::vector<double>> rows_;
  std::vector<step_t> snapshot_steps_;
  std::map<std::size_t, std::pair<std::vector<amount_t>, std::vector<double>>> snapshots_;
  std::vector<ledger::transfer_record> records_;
  std::vector<traced_lot> lots_;
  std::string verification_;
  std::future<driver::verify_report> verifying_;
  std::shared_ptr<const frame> published_;
};

}  // namespace

std::unique_ptr<source> make_live_source(const std::string& scenario_path,
                                         const std::vector<std::string>& overrides, unsigned threads) {
  return std::make_unique<live_source>(scenario_path, overrides, threads);
}

std::unique_ptr<source> make_replay_source(const std::string& path) {
  return std::make_unique<replay_source>(path);
}

std::vector<double> frame::column(const std::string& name) const {
  const auto it = std::find(columns.begin(), columns.end(), name);
  if (it == columns.end()) return {};
  const auto c = static_cast<std::size_t>(it - columns.begin());
  std::vector<double> out;
  for (const auto& r : rows) out.push_back(r[c]);
  return out;
}

namespace {
// A sweep file: /runs (run_id, point, param_*) and /series (run_id, step, one dataset per metric).
std::vector<viz_state::compared_run> load_sweep(const std::string& path) {
  namespace h5 = io::h5;
  h5::quiet_errors();
  h5::file f = h5::open_file(path, H5F_ACC_RDONLY, false);
  auto read_u32 = [&](const std::string& name) {
    h5::dataset d = h5::open_dataset(f.get(), name);
    h5::check_stored_size(d.get(), false);  // a sweep file is renamed into place whole
    std::vector<std::uint32_t> v(h5::extent(d.get()).at(0));
    h5::read_all(d.get(), H5T_NATIVE_UINT32, v.data());
    return v;
  };
  const auto point_of_run = read_u32("/runs/point");
  const auto run_of_row = read_u32("/series/run_id");
  const auto step_of_row = read_u32("/series/step");
  h5::group series = h5::open_group(f.get(), "series");
  const std::string columns_text = h5::read_string_attribute(series.get(), "columns");
  std::vector<std::string> columns{"step"};
  for (std::size_t start = 0; start <= columns_text.size();) {
    const auto comma = std::min(columns_text.find(',', start), columns_text.size());
    columns.push_back(columns_text.substr(start, comma - start));
    start = comma + 1;
  }
  // Group labels from the parameters of each point.
  std::vector<std::string> labels;
  for (const auto& name : std::vector<std::string>{"param_governance.regime"})
    if (h5::exists(f.get(), "/runs/" + name))
      labels = h5::read_strings(h5::open_dataset(f.get(), "/runs/" + name).get());
  const std::uint32_t points =
      point_of_run.empty() ? 0 : *std::max_element(point_of_run.begin(), point_of_run.end()) + 1;
  const std::uint32_t steps =
      step_of_row.empty() ? 0 : *std::max_element(step_of_row.begin(), step_of_row.end()) + 1;
  // The population of every point, from the base scenario in /meta (a grid over the population itself
  // would vary it: then it is left unknown).
  std::size_t citizens = 0;
  if (!h5::exists(f.get(), "/runs/param_population.citizens")) try {
      h5::group meta = h5::open_group(f.get(), "meta");
      citizens = driver::parse_scenario(h5::read_string_attribute(meta.get(), "scenario"), path)
                     .get<sim::population_params>()
                     .citizens;
    } catch (const std::exception&) {
      // No readable base scenario: the population stays unknown.
    }
  // Every run's value per step and column, then per point the mean with its interval and the paired
  // difference against point 0 (replicate r of every point shares seed base + r).
  const auto replicate_of_run = h5::exists(f.get(), "/runs/replicate")
                                    ? read_u32("/runs/replicate")
                                    : std::vector<std::uint32_t>(point_of_run.size(), 0);
  const std::size_t runs = point_of_run.size();
  if (replicate_of_run.size() != runs)
    throw std::runtime_error("/runs/replicate and /runs/point differ in length");
  std::vector<std::vector<std::vector<double>>> value(
      runs, std::vector<std::vector<double>>(steps, std::vector<double>(columns.size(), std::nan(""))));
  for (std::size_t c = 1; c < columns.size(); ++c) {
    h5::dataset d = h5::open_dataset(series.get(), columns[c]);
    h5::check_stored_size(d.get(), false);  // a sweep file is renamed into place whole
    std::vector<double> v(h5::extent(d.get()).at(0));
    h5::read_all(d.get(), H5T_NATIVE_DOUBLE, v.data());
    for (std::size_t row = 0; row < v.size() && row < run_of_row.size(); ++row)
      if (run_of_row[row] < runs && step_of_row[row] < steps)
        value[run_of_row[row]][step_of_row[row]][c] = v[row];
  }
  // Mean and 95% half-width of finite values (NaN half-width below two).
  auto summarise = [](const std::vector<double>& xs, double& mean, double& half) {
    const auto n = static_cast<double>(xs.size());
    mean = half = std::nan("");
    if (xs.empty()) return;
    mean = std::accumulate(xs.begin(), xs.end(), 0.0) / n;
    if (xs.size() < 2) return;
    double ss = 0;
    for (const double x : xs) ss += (x - mean) * (x - mean);
    const boost::math::students_t t(n - 1);
    half = boost::math::quantile(boost::math::complement(t, 0.025)) * std::sqrt(ss / (n - 1) / n);
  };
  // Each run's partner for the pairs: the first point's run of the same replicate (runs when none).
  std::vector<std::size_t> base_of_replicate, partner(runs, runs);
  for (std::size_t r = 0; r < runs; ++r)
    if (point_of_run[r] == 0) {
      if (replicate_of_run[r] >= base_of_replicate.size())
        base_of_replicate.resize(replicate_of_run[r] + 1, runs);
      base_of_replicate[replicate_of_run[r]] = r;
    }
  for (std::size_t r = 0; r < runs; ++r)
    if (replicate_of_run[r] < base_of_replicate.size()) partner[r] = base_of_replicate[replicate_of_run[r]];
  std::vector<viz_state::compared_run> out(points);
  for (std::uint32_t p = 0; p < points; ++p) {
    std::string label = "point " + std::to_string(p);
    std::vector<std::size_t> mine;  // this point's runs
    for (std::size_t r = 0; r < runs; ++r)
      if (point_of_run[r] == p) {
        if (r < labels.size()) label = labels[r];
        mine.push_back(r);
      }
    viz_state::compared_run& o = out[p];
    o.name = label + " (mean of replicates)";
    o.citizens = citizens;
    o.columns = columns;
    o.replicates = mine.size();
    const std::vector<double> blank(columns.size(), std::nan(""));
    o.rows.assign(steps, blank);
    o.lo = o.hi = o.rows;
    if (p > 0) o.diff = o.diff_lo = o.diff_hi = o.rows, o.baseline = out[0].name;
    for (std::uint32_t st = 0; st < steps; ++st) {
      o.rows[st][0] = o.lo[st][0] = o.hi[st][0] = st;
      for (std::size_t c = 1; c < columns.size(); ++c) {
        std::vector<double> xs, ds;
        for (const std::size_t r : mine) {
          const double x = value[r][st][c];
          if (!std::isfinite(x)) continue;
          xs.push_back(x);
          const std::size_t b = partner[r];
          if (p > 0 && b < runs && std::isfinite(value[b][st][c])) ds.push_back(x - value[b][st][c]);
        }
        double mean, half;
        summarise(xs, mean, half);
        o.rows[st][c] = mean, o.lo[st][c] = mean - half, o.hi[st][c] = mean + half;
        if (p == 0) continue;
        summarise(ds, mean, half);
        o.diff[st][c] = mean, o.diff_lo[st][c] = mean - half, o.diff_hi[st][c] = mean + half;
      }
    }
  }
  return out;
}
}  // namespace

bool is_sweep_file(const std::string& path) {
  try {
    io::h5::quiet_errors();
    io::h5::file f = io::h5::open_file(path, H5F_ACC_RDONLY, false);
    return io::h5::exists(f.get(), "/runs") && io::h5::exists(f.get(), "/series/run_id");
  } catch (const std::exception&) {
    return false;  // not readable as HDF5 here: the run reader gives its precise error
  }
}

std::vector<viz_state::compared_run> load_compared_runs(const std::string& path) {
  {
    if (is_sweep_file(path)) {
      try {
        return load_sweep(path);
      } catch (const data_error&) {
        throw;
      } catch (const std::exception& e) {
        throw data_error(path + ": not a readable sweep file: " + e.what());
      }
    }
  }
  const io::run_reader reader(path);
  viz_state::compared_run run;
  run.name = reader.meta().scenario_name + " (" + path + ")";
  const auto& kinds = reader.layout().agent_kinds;
  run.citizens = static_cast<std::size_t>(std::count(kinds.begin(), kinds.end(), 0));
  run.columns = reader.layout().metric_columns;
  std::vector<std::vector<double>> by_column;
  for (const auto& c : run.columns) by_column.push_back(reader.series(c));
  const std::size_t n = reader.headers().size();
  run.rows.assign(n, std::vector<double>(run.columns.size(), 0.0));
  for (std::size_t c = 0; c < run.columns.size(); ++c)
    for (std::size_t r = 0; r < n && r < by_column[c].size(); ++r) run.rows[r][c] = by_column[c][r];
  return {run};
}

}  // namespace civitas::viz
