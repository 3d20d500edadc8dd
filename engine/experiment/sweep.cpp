#include "experiment/sweep.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <sstream>

#include "core/error.hpp"
#include "core/version.hpp"
#include "driver/registry.hpp"
#include "driver/run.hpp"
#include "io/hdf5.hpp"
#include "io/output_file.hpp"
#include "ledger/hash.hpp"
#include "sim/world.hpp"

namespace civitas::experiment {
namespace h5 = io::h5;
namespace {

params::scenario load(const sweep_spec& spec, const std::vector<std::string>& overrides) {
  if (spec.scenario_path.empty()) return driver::parse_scenario("", "<built-in default>", overrides);
  return driver::load_scenario(spec.scenario_path, overrides);
}

std::string point_label(const grid_point& p) {
  std::string s;
  for (const auto& [key, value] : p) s += (s.empty() ? "" : ", ") + key + "=" + value;
  return s.empty() ? "(base)" : s;
}

std::string number(double v) {
  if (std::isnan(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

std::vector<params::scenario> plan_sweep(const sweep_spec& spec, std::vector<grid_point>& points) {
  points = expand_grid(spec.axes, spec.zip);
  std::vector<params::scenario> plan;
  const params::scenario base = load(spec, spec.overrides);  // the base alone first: its errors name the file
  for (const grid_point& p : points) {
    std::vector<std::string> overrides = spec.overrides;
    for (const auto& [key, value] : p) overrides.push_back(key + "=" + value);
    params::scenario s = driver::default_scenario();
    try {
      s = load(spec, overrides);
    } catch (const input_error& e) {
      std::vector<diagnostic> d{
          {"--grid", 0, 0, "grid point " + point_label(p) + " is not a valid scenario:"}};
      d.insert(d.end(), e.diagnostics().begin(), e.diagnostics().end());
      throw input_error(d);
    }
    for (unsigned r = 0; r < spec.replicates; ++r) {
      params::scenario run = s;
      run.get<sim::run_params>().seed =
          base.get<sim::run_params>().seed + r;  // the same seeds at every point
      plan.push_back(run);
    }
  }
  return plan;
}

sweep_result run_sweep(const sweep_spec& spec,
                       const std::function<void(std::size_t, std::size_t)>& progress) {
  sweep_result result;
  const auto plan = plan_sweep(spec, result.points);
  const params::scenario base = load(spec, spec.overrides);
  result.canonical_base = params::canonical_toml(base);
  result.citizens = base.get<sim::population_params>().citizens;
  result.runs.resize(plan.size());
  std::mutex report;
  std::size_t done = 0;
  std::vector<std::vector<std::string>> columns_of(plan.size());
  tbb::task_arena arena(static_cast<int>(driver::resolve_threads(spec.threads)));
  arena.execute([&] {
    // One task per run; each world also runs its phases in parallel inside the same arena.
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, plan.size(), 1), [&](const auto& range) {
      for (std::size_t i = range.begin(); i != range.end(); ++i) {
        run_outcome& out = result.runs[i];
        out.run_id = static_cast<std::uint32_t>(i);
        out.point = static_cast<std::uint32_t>(i / spec.replicates);
        out.replicate = static_cast<std::uint32_t>(i % spec.replicates);
        out.seed = plan[i].get<sim::run_params>().seed;
        out.params = result.points[out.point];
        const auto world_owner = driver::make_world(plan[i]);
        sim::world& w = *world_owner;
        w.genesis();
        out.series.push_back(w.metrics());
        for (step_t s = 0; s < w.run().steps; ++s) {
          w.step();
          out.series.push_back(w.metrics());
        }
        out.head_hash = ledger::to_hex(w.ledger().head().hash);
        columns_of[i] = w.metric_columns();
        std::lock_guard lock(report);
        ++done;
        if (progress) progress(done, plan.size());
      }
    });
  });
  // Grid points may add columns (a regime's token has its own supply column): the table holds the union,
  // in order of first appearance, with NaN where a run has no such column.
  for (const auto& columns : columns_of)
    for (const auto& c : columns)
      if (std::find(result.columns.begin(), result.columns.end(), c) == result.columns.end())
        result.columns.push_back(c);
  for (std::size_t i = 0; i < result.runs.size(); ++i) {
    if (columns_of[i] == result.columns) continue;
    std::vector<std::size_t> at;
    for (const auto& c : result.columns) {
      const auto it = std::find(columns_of[i].begin(), columns_of[i].end(), c);
      at.push_back(it == columns_of[i].end() ? SIZE_MAX
                                             : static_cast<std::size_t>(it - columns_of[i].begin()));
    }
    for (auto& row : result.runs[i].series) {
      std::vector<double> merged;
      for (const std::size_t k : at) merged.push_back(k == SIZE_MAX ? std::nan("") : row[k]);
      row = std::move(merged);
    }
  }
  return result;
}

void check_writable(const std::string& path) {
  // Made and removed at once: the run's start proves the file can be written where the study will end.
  std::filesystem::remove(io::create_partial(path));
}

void write_sweep(const std::string& path, const sweep_result& r, const std::string& grid_text,
                 unsigned replicates) {
  const std::string partial = io::create_partial(path);
  try {
    h5::file file = h5::create_file(partial, false);
    h5::group meta = h5::create_group(file.get(), "meta");
    h5::write_attribute(meta.get(), "scenario", r.canonical_base);
    h5::write_attribute(meta.get(), "grid", grid_text);
    h5::write_attribute(meta.get(), "engine_version", std::string_view(engine_version));
    h5::write_attribute(meta.get(), "replicates", static_cast<std::uint32_t>(replicates));

    h5::group runs = h5::create_group(file.get(), "runs");
    const hsize_t n = r.runs.size();
    std::vector<std::uint32_t> id, point, replicate;
    std::vector<std::uint64_t> seed;
    std::vector<std::string> head;
    for (const auto& run : r.runs) {
      id.push_back(run.run_id);
      point.push_back(run.point);
      replicate.push_back(run.replicate);
      seed.push_back(run.seed);
      head.push_back(run.head_hash);
    }
    const hsize_t dims[1] = {n};
    h5::create_fixed(runs.get(), "run_id", H5T_STD_U32LE, dims, H5T_NATIVE_UINT32, id.data());
    h5::create_fixed(runs.get(), "point", H5T_STD_U32LE, dims, H5T_NATIVE_UINT32, point.data());
    h5::create_fixed(runs.get(), "replicate", H5T_STD_U32LE, dims, H5T_NATIVE_UINT32, replicate.data());
    h5::create_fixed(runs.get(), "seed", H5T_STD_U64LE, dims, H5T_NATIVE_UINT64, seed.data());
    h5::create_strings(runs.get(), "head_hash", head);
    if (!r.points.empty())
      for (std::size_t k = 0; k < r.points[0].size(); ++k) {
        std::vector<std::string> values;
        for (const auto& run : r.runs) values.push_back(run.params[k].second);
        h5::create_strings(runs.get(), "param_" + r.points[0][k].first, values);
      }

    h5::group series = h5::create_group(file.get(), "series");
    std::vector<std::uint32_t> run_of_row, step_of_row;
    for (const auto& run : r.runs)
      for (std::size_t s = 0; s < run.series.size(); ++s) {
        run_of_row.push_back(run.run_id);
        step_of_row.push_back(static_cast<std::uint32_t>(s));
      }
    const hsize_t rows[1] = {run_of_row.size()};
    h5::create_fixed(series.get(), "run_id", H5T_STD_U32LE, rows, H5T_NATIVE_UINT32, run_of_row.data());
    h5::create_fixed(series.get(), "step", H5T_STD_U32LE, rows, H5T_NATIVE_UINT32, step_of_row.data());
    std::string columns;
    for (std::size_t c = 0; c < r.columns.size(); ++c) {
      if (r.columns[c] == "step") continue;
      std::vector<double> values;
      for (const auto& run : r.runs)
        for (const auto& row : run.series) values.push_back(row.at(c));
      h5::create_fixed(series.get(), r.columns[c], H5T_IEEE_F64LE, rows, H5T_NATIVE_DOUBLE, values.data());
      columns += (columns.empty() ? "" : ",") + r.columns[c];
    }
    h5::write_attribute(series.get(), "columns", columns);
  } catch (const data_error& e) {  // HDF5 could not write (no space, I/O error): a write failure
    std::filesystem::remove(partial);
    throw write_error(e.what());
  }
  io::check_rename_target(path);
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec) throw write_error(path + ": cannot rename " + partial + " into place: " + ec.message());
}

double summarise_run(const run_outcome& run, const std::vector<std::string>& columns, const table_metric& m,
                     std::uint32_t citizens) {
  const auto it = std::find(columns.begin(), columns.end(), m.column);
  if (it == columns.end() || run.series.empty()) return std::nan("");
  const auto c = static_cast<std::size_t>(it - columns.begin());
  if (m.how == table_metric::summary::final) return run.series.back()[c];
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t s = 1; s < run.series.size(); ++s)
    if (std::isfinite(run.series[s][c])) {
      sum += run.series[s][c];
      ++n;
    }
  const double mean = n ? sum / static_cast<double>(n) : std::nan("");
  return m.how == table_metric::summary::mean_per_citizen ? mean / std::max<std::uint32_t>(1, citizens)
                                                          : mean;
}

comparison_table make_table(const sweep_result& r, const std::vector<table_metric>& metrics,
                            bool values_only) {
  comparison_table t;
  t.metrics = metrics;
  for (const auto& p : r.points) {
    std::string values;
    for (const auto& kv : p) values += (values.empty() ? "" : ", ") + kv.second;
    t.groups.push_back(values_only ? values : point_label(p));
  }
  for (const auto& m : metrics) {
    std::vector<table_cell> row;
    for (std::size_t g = 0; g < r.points.size(); ++g) {
      std::vector<double> values;
      for (const auto& run : r.runs)
        if (run.point == g) values.push_back(summarise_run(run, r.columns, m, r.citizens));
      table_cell cell{mean_ci(values), false};
      if (g > 0) cell.differs = separated(cell.ci, row[0].ci);
      row.push_back(cell);
    }
    t.cells.push_back(std::move(row));
  }
  return t;
}

std::vector<table_metric> final_value_metrics(const sweep_result& r) {
  std::vector<table_metric> m;
  for (const auto& c : r.columns)
    if (c != "step") m.push_back({c, c, table_metric::summary::final});
  return m;
}

std::string table_csv(const comparison_table& t) {
  std::ostringstream o;
  o << "metric,group,mean,ci_low,ci_high,n,differs_from_first\n";
  for (std::size_t m = 0; m < t.metrics.size(); ++m)
    for (std::size_t g = 0; g < t.groups.size(); ++g) {
      const table_cell& c = t.cells[m][g];
      o << t.metrics[m].label << ",\"" << t.groups[g] << "\"," << number(c.ci.mean) << ","
        << number(c.ci.low()) << "," << number(c.ci.high()) << "," << c.ci.n << ","
        << (c.differs ? "yes" : "no") << "\n";
    }
  return o.str();
}

std::string table_markdown(const comparison_table& t, const std::string& title) {
  std::ostringstream o;
  o << "# " << title << "\n\nMean across replicates ± half-width of the 95% confidence interval (Student t). "
    << "**Bold** marks a value whose interval does not overlap the first column's.\n\n| metric |";
  for (const auto& g : t.groups) o << " " << g << " |";
  o << "\n|---|";
  for (std::size_t g = 0; g < t.groups.size(); ++g) o << "---|";
  o << "\n";
  for (std::size_t m = 0; m < t.metrics.size(); ++m) {
    o << "| " << t.metrics[m].label << " |";
    for (const auto& c : t.cells[m]) {
      const std::string v =
          number(c.ci.mean) + (std::isfinite(c.ci.half_width) ? " ± " + number(c.ci.half_width) : "");
      o << " " << (c.differs ? "**" + v + "**" : v) << " |";
    }
    o << "\n";
  }
  return o.str();
}

std::string table_text(const comparison_table& t) {
  std::ostringstream o;
  std::size_t width = 6;
  for (const auto& m : t.metrics) width = std::max(width, m.label.size());
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-*s", static_cast<int>(width), "metric");
  o << buf;
  for (const auto& g : t.groups) {
    std::snprintf(buf, sizeof buf, "  %26s", g.substr(0, 26).c_str());
    o << buf;
  }
  o << "\n";
  for (std::size_t m = 0; m < t.metrics.size(); ++m) {
    std::snprintf(buf, sizeof buf, "%-*s", static_cast<int>(width), t.metrics[m].label.c_str());
    o << buf;
    for (const auto& c : t.cells[m]) {
      const std::string v = number(c.ci.mean) +
                            (std::isfinite(c.ci.half_width) ? " ±" + number(c.ci.half_width) : "") +
                            (c.differs ? " *" : "  ");
      std::snprintf(buf, sizeof buf, "  %26s", v.c_str());
      o << buf;
    }
    o << "\n";
  }
  o << "(mean ± 95% CI half-width across replicates; * : interval separate from the first column)\n";
  return o.str();
}

}  // namespace civitas::experiment
