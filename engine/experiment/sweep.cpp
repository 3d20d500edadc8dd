#include "experiment/sweep.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
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
  return load_study_scenario(spec.scenario_path, spec.scenario_text, overrides);
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

params::scenario load_study_scenario(const std::string& scenario_path,
                                     const std::optional<std::string>& scenario_text,
                                     const std::vector<std::string>& overrides) {
  if (scenario_text) return driver::parse_scenario(*scenario_text, scenario_path, overrides);
  if (scenario_path.empty()) return driver::parse_scenario("", "<built-in default>", overrides);
  return driver::load_scenario(scenario_path, overrides);
}

void check_metrics(const std::vector<params::scenario>& scenarios, const std::vector<std::string>& metrics) {
  std::vector<std::string> missing = metrics, known;
  for (const params::scenario& s : scenarios) {
    if (missing.empty()) return;
    const auto world = driver::make_world(s);
    const auto& columns = world->metric_columns();
    std::erase_if(missing, [&](const std::string& m) {
      return std::find(columns.begin(), columns.end(), m) != columns.end();
    });
    for (const auto& c : columns)
      if (c != "step" && std::find(known.begin(), known.end(), c) == known.end()) known.push_back(c);
  }
  if (missing.empty()) return;
  std::string list;
  for (const auto& c : known) list += (list.empty() ? "" : ", ") + c;
  throw input_error(std::vector<diagnostic>{
      {"--metric", 0, 0,
       "no metric '" + missing.front() + "' in this scenario's /series (metrics: " + list + ")"}});
}

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

sweep_result run_sweep(const sweep_spec& spec, const std::function<void(std::size_t, std::size_t)>& progress,
                       const ensemble& where) {
  sweep_result result;
  const auto plan = plan_sweep(spec, result.points);
  const params::scenario base = load(spec, spec.overrides);
  result.canonical_base = params::canonical_toml(base);
  result.citizens = base.get<sim::population_params>().citizens;
  result.summary_window = base.get<sim::output_params>().summary_window;
  result.replicates = spec.replicates;
  // A run's bytes: its head hash, its columns and its rows (the rest follows from the plan).
  const auto work = [&](std::size_t i) {
    const auto world_owner = driver::make_world(plan[i]);
    sim::world& w = *world_owner;
    w.genesis();
    std::vector<std::vector<double>> rows{w.metrics()};
    for (step_t s = 0; s < w.run().steps; ++s) {
      w.step();
      rows.push_back(w.metrics());
    }
    byte_writer out;
    out.u64(w.metric_columns().size());  // as the run ends
    for (const auto& c : w.metric_columns()) out.text(c);
    out.text(ledger::to_hex(w.ledger().head().hash));
    out.u64(rows.size());
    for (const auto& row : rows) out.f64s(row);
    return out.take();
  };
  const auto results = where.run(plan.size(), spec.threads, work, progress);
  std::vector<std::vector<std::string>> columns_of;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto id = static_cast<std::uint32_t>(i);
    const auto point = static_cast<std::uint32_t>(i / spec.replicates);
    const auto replicate = static_cast<std::uint32_t>(i % spec.replicates);
    const std::uint64_t seed = plan[i].get<sim::run_params>().seed;
    if (!results[i].ok) {
      result.failures.push_back({id, point, replicate, seed, result.points[point], results[i].data});
      continue;
    }
    byte_reader in(results[i].data);
    run_outcome& out = result.runs.emplace_back();
    out = {id, point, replicate, seed, result.points[point], {}, {}};
    columns_of.emplace_back(in.u64());
    for (auto& c : columns_of.back()) c = in.text();
    out.head_hash = in.text();
    out.series.resize(in.u64());
    for (auto& row : out.series) row = in.f64s();
  }
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
                 unsigned replicates, const meta_attributes& extra) {
  io::write_via_partial(path, [&](const std::string& partial) {
    h5::file file = h5::create_file(partial, false);
    h5::group meta = h5::create_group(file.get(), "meta");
    h5::write_attribute(meta.get(), "scenario", r.canonical_base);
    h5::write_attribute(meta.get(), "grid", grid_text);
    h5::write_attribute(meta.get(), "engine_version", std::string_view(engine_version));
    h5::write_attribute(meta.get(), "replicates", static_cast<std::uint32_t>(replicates));
    h5::write_attribute(meta.get(), "summary_window", r.summary_window);
    for (const auto& [name, text] : extra) h5::write_attribute(meta.get(), name, text);

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

    std::vector<std::string> keys;
    if (!r.points.empty())
      for (const auto& kv : r.points[0]) keys.push_back(kv.first);
    write_failures(file.get(), r.failures, keys);
  });
}

std::size_t window_steps(std::uint32_t window, std::size_t steps) {
  const std::size_t w = window > 0 ? window : std::max<std::size_t>(1, steps / 4);
  return std::min(w, std::max<std::size_t>(1, steps));
}

double summarise_run(const run_outcome& run, const std::vector<std::string>& columns, const table_metric& m,
                     std::uint32_t citizens, std::uint32_t window) {
  const auto it = std::find(columns.begin(), columns.end(), m.column);
  if (it == columns.end() || run.series.size() < 2) return std::nan("");
  const auto c = static_cast<std::size_t>(it - columns.begin());
  const std::size_t steps = run.series.size() - 1;  // row 0 is the state before the first step
  const std::size_t first = m.how == table_metric::summary::end ? steps + 1 - window_steps(window, steps) : 1;
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t s = first; s <= steps; ++s)
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
  t.replicates = r.replicates;
  t.window = r.summary_window;
  for (const auto& p : r.points) {
    std::string values;
    for (const auto& kv : p) values += (values.empty() ? "" : ", ") + kv.second;
    t.groups.push_back(values_only ? values : point_label(p));
  }
  for (const auto& m : metrics) {
    // values[g][replicate]: replicate r of every group ran with the same seed, so they pair.
    std::vector<std::vector<double>> values(r.points.size(), std::vector<double>(r.replicates, std::nan("")));
    for (const auto& run : r.runs)
      values[run.point][run.replicate] = summarise_run(run, r.columns, m, r.citizens, r.summary_window);
    std::vector<table_cell> row;
    for (std::size_t g = 0; g < r.points.size(); ++g) {
      table_cell cell{mean_ci(values[g]), {}};
      if (g > 0) cell.paired = paired_test(values[0], values[g]);
      row.push_back(cell);
    }
    t.cells.push_back(std::move(row));
  }
  // Holm's correction within each group: its family is the table's metrics compared with the first group.
  for (std::size_t g = 1; g < t.groups.size(); ++g) {
    std::vector<paired_difference*> family;
    for (auto& row : t.cells) family.push_back(&row[g].paired);
    holm(family);
  }
  return t;
}

std::vector<table_metric> final_value_metrics(const sweep_result& r) {
  std::vector<table_metric> m;
  for (const auto& c : r.columns)
    if (c != "step") m.push_back({c, c, table_metric::summary::end});
  return m;
}

std::string table_csv(const comparison_table& t) {
  std::ostringstream o;
  o << "metric,group,mean,ci_low,ci_high,n,diff_mean,diff_ci_low,diff_ci_high,pairs,p_value,p_holm,"
       "significant,min_detectable_diff,replicates_needed\n";
  for (std::size_t m = 0; m < t.metrics.size(); ++m)
    for (std::size_t g = 0; g < t.groups.size(); ++g) {
      const table_cell& c = t.cells[m][g];
      o << t.metrics[m].label << ",\"" << t.groups[g] << "\"," << number(c.ci.mean) << ","
        << number(c.ci.low()) << "," << number(c.ci.high()) << "," << c.ci.n << ",";
      if (g == 0) {
        o << ",,,,,,,,\n";  // the baseline: nothing to pair with
        continue;
      }
      const paired_difference& d = c.paired;
      o << number(d.diff.mean) << "," << number(d.diff.low()) << "," << number(d.diff.high()) << ","
        << d.diff.n << "," << number(d.p_value) << "," << number(d.p_adjusted) << ","
        << (d.significant ? "yes" : "no") << "," << number(d.min_detectable) << ","
        << (d.replicates_needed ? std::to_string(d.replicates_needed) : "") << "\n";
    }
  return o.str();
}

namespace {

std::string signed_number(double v) {
  if (std::isnan(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.4g", v);
  return buf;
}

std::string level_text(const table_cell& c) {
  return number(c.ci.mean) + (std::isfinite(c.ci.half_width) ? " ±" + number(c.ci.half_width) : "");
}
std::string difference_text(const paired_difference& d) {
  return signed_number(d.diff.mean) +
         (std::isfinite(d.diff.half_width) ? " ±" + number(d.diff.half_width) : "") +
         (d.significant ? " *" : "");
}
std::string power_text(const paired_difference& d) {
  if (!std::isfinite(d.min_detectable)) return "n/a";
  if (d.diff.mean == 0 && d.sd == 0) return "no difference";  // the same value on every seed
  return number(d.min_detectable) +
         (d.replicates_needed ? " (R=" + std::to_string(d.replicates_needed) + ")" : " (R>100000)");
}

std::string window_note(const comparison_table& t) {
  return t.window > 0 ? "the mean over the last " + std::to_string(t.window) + " steps"
                      : "the mean over the last quarter of the run";
}

// The three views of a table, each a grid of strings: levels, paired differences, power.
struct view {
  std::string title;
  std::size_t first_group;
  std::string (*cell)(const table_cell&);
};
std::vector<view> views(const comparison_table& t) {
  const std::string base = t.groups.empty() ? "" : t.groups[0];
  return {
      {"Mean across replicates ± 95% CI half-width (Student t)", 0,
       [](const table_cell& c) { return level_text(c); }},
      {"Paired difference against " + base +
           " (replicate r of each group shares seed base+r): mean ± 95% CI; * significant at 5% after Holm's "
           "correction across the metrics",
       1, [](const table_cell& c) { return difference_text(c.paired); }},
      {"Minimum detectable difference (80% power, 5% two-sided) with " + std::to_string(t.replicates) +
           " replicates; R: replicates needed to detect the observed difference",
       1, [](const table_cell& c) { return power_text(c.paired); }},
  };
}

}  // namespace

std::string table_markdown(const comparison_table& t, const std::string& title) {
  std::ostringstream o;
  o << "# " << title << "\n\nEnd-of-run values are " << window_note(t)
    << "; per-step rates are means over the whole run.\n";
  for (const auto& v : views(t)) {
    if (v.first_group >= t.groups.size()) continue;
    o << "\n" << v.title << ".\n\n| metric |";
    for (std::size_t g = v.first_group; g < t.groups.size(); ++g) o << " " << t.groups[g] << " |";
    o << "\n|---|";
    for (std::size_t g = v.first_group; g < t.groups.size(); ++g) o << "---|";
    o << "\n";
    for (std::size_t m = 0; m < t.metrics.size(); ++m) {
      o << "| " << t.metrics[m].label << " |";
      for (std::size_t g = v.first_group; g < t.groups.size(); ++g) o << " " << v.cell(t.cells[m][g]) << " |";
      o << "\n";
    }
  }
  return o.str();
}

std::string table_text(const comparison_table& t) {
  std::ostringstream o;
  std::size_t width = 6;
  for (const auto& m : t.metrics) width = std::max(width, m.label.size());
  char buf[256];
  // Groups side by side, as many as fit 140 columns (at least four: a comparison of the four regimes stays
  // one block); more groups continue in further blocks, each with the metric column again.
  const std::size_t per_block = std::max<std::size_t>(4, (140 - std::min<std::size_t>(width, 100)) / 26);
  for (const auto& v : views(t)) {
    if (v.first_group >= t.groups.size()) continue;
    o << v.title << ":\n";
    const std::size_t shown = t.groups.size() - v.first_group;
    for (std::size_t from = v.first_group; from < t.groups.size(); from += per_block) {
      const std::size_t to = std::min(t.groups.size(), from + per_block);
      if (shown > per_block)
        o << "(groups " << from - v.first_group + 1 << "-" << to - v.first_group << " of " << shown << ")\n";
      std::snprintf(buf, sizeof buf, "%-*s", static_cast<int>(width), "metric");
      o << buf;
      for (std::size_t g = from; g < to; ++g) {
        std::snprintf(buf, sizeof buf, "  %24s", t.groups[g].substr(0, 24).c_str());
        o << buf;
      }
      o << "\n";
      for (std::size_t m = 0; m < t.metrics.size(); ++m) {
        std::snprintf(buf, sizeof buf, "%-*s", static_cast<int>(width), t.metrics[m].label.c_str());
        o << buf;
        for (std::size_t g = from; g < to; ++g) {
          std::snprintf(buf, sizeof buf, "  %24s", v.cell(t.cells[m][g]).c_str());
          o << buf;
        }
        o << "\n";
      }
      o << "\n";
    }
  }
  o << "(end-of-run values: " << window_note(t) << "; per-step rates: means over the whole run)\n";
  return o.str();
}

}  // namespace civitas::experiment
