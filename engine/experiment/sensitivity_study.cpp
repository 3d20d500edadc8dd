#include "experiment/sensitivity_study.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "core/version.hpp"
#include "driver/registry.hpp"
#include "driver/run.hpp"
#include "experiment/grid.hpp"
#include "experiment/sweep.hpp"
#include "io/hdf5.hpp"
#include "io/output_file.hpp"
#include "ledger/hash.hpp"
#include "sim/world.hpp"

namespace civitas::experiment {
namespace h5 = io::h5;
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void fail(const std::string& flag, const std::string& message) {
  throw input_error(std::vector<diagnostic>{{flag, 0, 0, message}});
}

// A --param diagnostic, followed by the scenario's own diagnostics that explain it.
[[noreturn]] void fail_under(const std::string& message, const input_error& e) {
  std::vector<diagnostic> d{{"--param", 0, 0, message}};
  d.insert(d.end(), e.diagnostics().begin(), e.diagnostics().end());
  throw input_error(d);
}

bool parse_number(const std::string& text, double& out) {
  const char* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, out);
  return !text.empty() && r.ec == std::errc() && r.ptr == end && std::isfinite(out);
}

// A value as TOML text for an override: whole numbers for integer parameters, floats with a point.
std::string toml_value(double v, bool integer) {
  if (integer) return std::to_string(static_cast<long long>(v));
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

std::string number(double v) {
  if (std::isnan(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

params::scenario load(const sensitivity_spec& spec, const std::vector<std::string>& overrides) {
  return load_study_scenario(spec.scenario_path, spec.scenario_text, overrides);
}

bool is_morris(const sensitivity_spec& spec) { return spec.method == sensitivity_method::morris; }

// The mean of the finite values (NaN if none).
double finite_mean(const std::vector<double>& values) {
  double sum = 0;
  std::size_t n = 0;
  for (const double v : values)
    if (std::isfinite(v)) {
      sum += v;
      ++n;
    }
  return n ? sum / static_cast<double>(n) : nan;
}

}  // namespace

sensitivity_param parse_sensitivity_param(const std::string& argument) {
  const auto bad = [&](const std::string& why) { fail("--param", "'" + argument + "': " + why); };
  const auto eq = argument.find('=');
  if (eq == std::string::npos || eq == 0) bad("expected KEY=LO:HI");
  sensitivity_param p;
  p.key = argument.substr(0, eq);
  const auto schema = params::list(driver::catalogue());
  const auto info = std::find_if(schema.begin(), schema.end(),
                                 [&](const params::param_info& i) { return i.path == p.key; });
  if (info == schema.end()) bad("no scenario parameter '" + p.key + "' (see `civitas params`)");
  if (p.key == "run.seed") bad("seeds come from --seed and --replicates, not from the design");
  if (p.key == "run.steps") bad("every run of a study has the same length (--steps)");
  p.integer = info->type == "integer";
  if (!p.integer && info->type != "float")
    bad("a sensitivity parameter must be numeric; '" + p.key + "' is " + info->type);
  const auto range = split(argument.substr(eq + 1), ':');
  if (range.size() != 2 || !parse_number(range[0], p.lo) || !parse_number(range[1], p.hi))
    bad("expected KEY=LO:HI with numbers LO and HI");
  if (p.lo >= p.hi) bad("LO must be below HI");
  if (p.integer && (p.lo != std::floor(p.lo) || p.hi != std::floor(p.hi) || std::fabs(p.lo) >= 9.2e18 ||
                    std::fabs(p.hi) >= 9.2e18))
    bad("'" + p.key + "' is an integer: LO and HI must be whole numbers");
  return p;
}

std::string params_text(const std::vector<sensitivity_param>& params) {
  std::string s;
  for (const auto& p : params)
    s += (s.empty() ? "" : " ") + p.key + "=" + toml_value(p.lo, p.integer) + ":" +
         toml_value(p.hi, p.integer);
  return s;
}

sensitivity_plan plan_sensitivity(const sensitivity_spec& spec) {
  if (spec.params.empty()) fail("--param", "give at least one --param KEY=LO:HI");
  if (spec.metrics.empty()) fail("--metric", "give at least one --metric NAME (a /series column)");
  std::set<std::string> keys;
  for (const auto& p : spec.params)
    if (!keys.insert(p.key).second) fail("--param", "'" + p.key + "' has more than one --param");
  if (is_morris(spec) && (spec.levels < 2 || spec.levels % 2 != 0))
    fail("--levels", "Morris levels must be an even number of at least 2");
  const std::size_t k = spec.params.size();
  if (!is_morris(spec) && 2 * k > 3667) fail("--param", "Sobol' indices take at most 1833 parameters");
  if (spec.samples < 2)
    fail("--samples", is_morris(spec) ? "Morris needs at least 2 trajectories (sigma needs two effects)"
                                      : "Sobol' indices need at least 2 base samples");

  sensitivity_plan plan{load(spec, spec.overrides), "", 0, 0, {}, {}, {}, {}};  // the base's errors first
  plan.canonical_base = params::canonical_toml(plan.base);
  plan.steps = plan.base.get<sim::run_params>().steps;
  if (spec.window > plan.steps)
    fail("--window", "the window (" + std::to_string(spec.window) + " steps) is longer than the run (" +
                         std::to_string(plan.steps) + " steps)");
  // The scenario's output.summary_window, as compare and sweep tables read it, unless --window says.
  plan.window = static_cast<step_t>(window_steps(
      spec.window ? spec.window : plan.base.get<sim::output_params>().summary_window, plan.steps));

  // Each bound alone against the scenario's schema, so a range error names --param and the bound.
  for (const auto& p : spec.params)
    for (const double bound : {p.lo, p.hi}) {
      std::vector<std::string> overrides = spec.overrides;
      overrides.push_back(p.key + "=" + toml_value(bound, p.integer));
      try {
        load(spec, overrides);
      } catch (const input_error& e) {
        fail_under("'" + p.key + "' cannot be " + toml_value(bound, p.integer) + ":", e);
      }
    }
  check_metrics({plan.base}, spec.metrics);

  if (is_morris(spec)) {
    morris_design d = make_morris(k, spec.samples, spec.levels, plan.base.get<sim::run_params>().seed);
    plan.unit = std::move(d.points);
    plan.moved = std::move(d.moved);
  } else {
    plan.unit = make_saltelli(k, spec.samples).points;
  }
  for (const auto& u : plan.unit) {
    std::vector<double> values;
    std::vector<std::string> overrides = spec.overrides;
    std::string label;
    for (std::size_t i = 0; i < k; ++i) {
      const auto& p = spec.params[i];
      values.push_back(scale_unit(u[i], p.lo, p.hi, p.integer));
      const std::string text = p.key + "=" + toml_value(values.back(), p.integer);
      overrides.push_back(text);
      label += (label.empty() ? "" : ", ") + text;
    }
    try {
      plan.points.push_back(load(spec, overrides));
    } catch (const input_error& e) {  // a rule across parameters the bounds alone did not break
      fail_under("design point " + label + " is not a valid scenario:", e);
    }
    plan.values.push_back(std::move(values));
  }
  return plan;
}

sensitivity_result run_sensitivity(const sensitivity_spec& spec, const sensitivity_plan& plan,
                                   const std::function<void(std::size_t, std::size_t)>& progress,
                                   const ensemble& where) {
  sensitivity_result r;
  const std::size_t replicates = spec.replicates, runs = plan.points.size() * replicates;
  const std::uint64_t base_seed = plan.base.get<sim::run_params>().seed;
  for (std::size_t rep = 0; rep < replicates; ++rep) r.seeds.push_back(base_seed + rep);
  r.head_hashes.resize(runs);
  r.by_run.assign(spec.metrics.size(), std::vector<double>(runs, nan));
  // A run's bytes: its head hash and its windowed mean per metric.
  const auto work = [&](std::size_t run) {
    params::scenario s = plan.points[run / replicates];
    s.get<sim::run_params>().seed = r.seeds[run % replicates];
    const auto world = driver::make_world(s);
    sim::world& w = *world;
    std::vector<std::size_t> column;
    for (const auto& m : spec.metrics) {
      const auto& c = w.metric_columns();
      column.push_back(static_cast<std::size_t>(std::find(c.begin(), c.end(), m) - c.begin()));
    }
    std::vector<std::vector<double>> window(spec.metrics.size());
    w.genesis();
    for (step_t step = 1; step <= plan.steps; ++step) {
      w.step();
      if (step + plan.window <= plan.steps) continue;
      for (std::size_t m = 0; m < column.size(); ++m)
        window[m].push_back(column[m] < w.metrics().size() ? w.metrics()[column[m]] : nan);
    }
    std::vector<double> means;
    for (const auto& values : window) means.push_back(finite_mean(values));
    byte_writer out;
    out.text(ledger::to_hex(w.ledger().head().hash));
    out.f64s(means);
    return out.take();
  };
  const auto results = where.run(runs, spec.threads, work, progress);
  if (!where.root()) return r;
  for (std::size_t run = 0; run < runs; ++run) {
    const std::size_t point = run / replicates;
    if (!results[run].ok) {
      grid_point values;
      for (std::size_t i = 0; i < spec.params.size(); ++i)
        values.emplace_back(spec.params[i].key, toml_value(plan.values[point][i], spec.params[i].integer));
      r.failures.push_back({static_cast<std::uint32_t>(run), static_cast<std::uint32_t>(point),
                            static_cast<std::uint32_t>(run % replicates), r.seeds[run % replicates],
                            std::move(values), results[run].data});
      continue;  // its metrics stay NaN: the point's output is the mean of its other replicates
    }
    byte_reader in(results[run].data);
    r.head_hashes[run] = in.text();
    const std::vector<double> means = in.f64s();
    for (std::size_t m = 0; m < means.size() && m < r.by_run.size(); ++m) r.by_run[m][run] = means[m];
  }

  const std::size_t k = spec.params.size();
  const std::uint64_t bootstrap_seed = base_seed;
  for (const auto& values : r.by_run) {
    std::vector<double> outputs;
    for (std::size_t p = 0; p < plan.points.size(); ++p)
      outputs.push_back(finite_mean(
          std::vector<double>(values.begin() + static_cast<std::ptrdiff_t>(p * replicates),
                              values.begin() + static_cast<std::ptrdiff_t>((p + 1) * replicates))));
    if (is_morris(spec)) {
      const morris_design d{k, spec.samples, spec.levels, plan.unit, plan.moved};
      r.morris.push_back(morris_indices(d, outputs, bootstrap_seed, spec.resamples));
    } else {
      r.sobol.push_back(sobol_indices(k, outputs, bootstrap_seed, spec.resamples));
    }
    r.outputs.push_back(std::move(outputs));
  }
  return r;
}

void write_sensitivity(const std::string& path, const sensitivity_spec& spec, const sensitivity_plan& plan,
                       const sensitivity_result& r,
                       const std::vector<std::pair<std::string, std::string>>& extra) {
  io::write_via_partial(path, [&](const std::string& partial) {
    h5::file file = h5::create_file(partial, false);
    h5::group meta = h5::create_group(file.get(), "meta");
    h5::write_attribute(meta.get(), "scenario", plan.canonical_base);
    h5::write_attribute(meta.get(), "method", std::string_view(is_morris(spec) ? "morris" : "sobol"));
    h5::write_attribute(meta.get(), "params", params_text(spec.params));
    std::string metrics;
    for (const auto& m : spec.metrics) metrics += (metrics.empty() ? "" : ",") + m;
    h5::write_attribute(meta.get(), "metrics", metrics);
    h5::write_attribute(meta.get(), "samples", static_cast<std::uint64_t>(spec.samples));
    if (is_morris(spec)) h5::write_attribute(meta.get(), "levels", static_cast<std::uint32_t>(spec.levels));
    h5::write_attribute(meta.get(), "replicates", static_cast<std::uint32_t>(spec.replicates));
    h5::write_attribute(meta.get(), "steps", static_cast<std::uint64_t>(plan.steps));
    h5::write_attribute(meta.get(), "window", static_cast<std::uint64_t>(plan.window));
    h5::write_attribute(meta.get(), "seed", static_cast<std::uint64_t>(r.seeds.front()));
    h5::write_attribute(meta.get(), "resamples", static_cast<std::uint32_t>(spec.resamples));
    h5::write_attribute(meta.get(), "engine_version", std::string_view(engine_version));
    for (const auto& [name, text] : extra) h5::write_attribute(meta.get(), name, text);

    const std::size_t k = spec.params.size(), points = plan.points.size();
    h5::group design = h5::create_group(file.get(), "design");
    std::vector<double> unit;
    for (const auto& row : plan.unit) unit.insert(unit.end(), row.begin(), row.end());
    const hsize_t unit_dims[2] = {points, k}, point_dims[1] = {points};
    h5::create_fixed(design.get(), "unit", H5T_IEEE_F64LE, unit_dims, H5T_NATIVE_DOUBLE, unit.data());
    for (std::size_t i = 0; i < k; ++i) {
      std::vector<double> values;
      for (const auto& row : plan.values) values.push_back(row[i]);
      h5::create_fixed(design.get(), "param_" + spec.params[i].key, H5T_IEEE_F64LE, point_dims,
                       H5T_NATIVE_DOUBLE, values.data());
    }
    for (std::size_t m = 0; m < spec.metrics.size(); ++m)
      h5::create_fixed(design.get(), "output_" + spec.metrics[m], H5T_IEEE_F64LE, point_dims,
                       H5T_NATIVE_DOUBLE, r.outputs[m].data());
    std::vector<std::uint32_t> group_of(points), part(points);
    std::vector<std::int32_t> moved(points);
    for (std::size_t p = 0; p < points; ++p) {
      group_of[p] = static_cast<std::uint32_t>(p / (is_morris(spec) ? k + 1 : k + 2));
      part[p] = static_cast<std::uint32_t>(p % (k + 2));
      if (is_morris(spec)) moved[p] = plan.moved[p] < k ? static_cast<std::int32_t>(plan.moved[p]) : -1;
    }
    h5::create_fixed(design.get(), is_morris(spec) ? "trajectory" : "sample", H5T_STD_U32LE, point_dims,
                     H5T_NATIVE_UINT32, group_of.data());
    if (is_morris(spec))
      h5::create_fixed(design.get(), "moved", H5T_STD_I32LE, point_dims, H5T_NATIVE_INT32, moved.data());
    else
      h5::create_fixed(design.get(), "block", H5T_STD_U32LE, point_dims, H5T_NATIVE_UINT32, part.data());

    h5::group runs = h5::create_group(file.get(), "runs");
    const std::size_t n = r.head_hashes.size(), replicates = spec.replicates;
    std::vector<std::uint32_t> id(n), point(n), replicate(n);
    std::vector<std::uint64_t> seed(n);
    for (std::size_t i = 0; i < n; ++i) {
      id[i] = static_cast<std::uint32_t>(i);
      point[i] = static_cast<std::uint32_t>(i / replicates);
      replicate[i] = static_cast<std::uint32_t>(i % replicates);
      seed[i] = r.seeds[i % replicates];
    }
    const hsize_t run_dims[1] = {n};
    h5::create_fixed(runs.get(), "run_id", H5T_STD_U32LE, run_dims, H5T_NATIVE_UINT32, id.data());
    h5::create_fixed(runs.get(), "point", H5T_STD_U32LE, run_dims, H5T_NATIVE_UINT32, point.data());
    h5::create_fixed(runs.get(), "replicate", H5T_STD_U32LE, run_dims, H5T_NATIVE_UINT32, replicate.data());
    h5::create_fixed(runs.get(), "seed", H5T_STD_U64LE, run_dims, H5T_NATIVE_UINT64, seed.data());
    h5::create_strings(runs.get(), "head_hash", r.head_hashes);  // "" for a failed run
    for (std::size_t m = 0; m < spec.metrics.size(); ++m)
      h5::create_fixed(runs.get(), "metric_" + spec.metrics[m], H5T_IEEE_F64LE, run_dims, H5T_NATIVE_DOUBLE,
                       r.by_run[m].data());

    h5::group indices = h5::create_group(file.get(), "indices");
    std::vector<std::string> keys;
    for (const auto& p : spec.params) keys.push_back(p.key);
    h5::create_strings(indices.get(), "param", keys);
    const hsize_t k_dims[1] = {k};
    const auto column = [&](const h5::group& g, const std::string& name, const auto& rows, auto field) {
      std::vector<double> v;
      for (const auto& row : rows) v.push_back(row.*field);
      h5::create_fixed(g.get(), name, H5T_IEEE_F64LE, k_dims, H5T_NATIVE_DOUBLE, v.data());
    };
    for (std::size_t m = 0; m < spec.metrics.size(); ++m) {
      h5::group g = h5::create_group(indices.get(), spec.metrics[m]);
      if (is_morris(spec)) {
        column(g, "mu", r.morris[m], &morris_index::mu);
        column(g, "mu_star", r.morris[m], &morris_index::mu_star);
        column(g, "mu_star_low", r.morris[m], &morris_index::mu_star_low);
        column(g, "mu_star_high", r.morris[m], &morris_index::mu_star_high);
        column(g, "sigma", r.morris[m], &morris_index::sigma);
      } else {
        column(g, "S1", r.sobol[m], &sobol_index::s1);
        column(g, "S1_low", r.sobol[m], &sobol_index::s1_low);
        column(g, "S1_high", r.sobol[m], &sobol_index::s1_high);
        column(g, "ST", r.sobol[m], &sobol_index::st);
        column(g, "ST_low", r.sobol[m], &sobol_index::st_low);
        column(g, "ST_high", r.sobol[m], &sobol_index::st_high);
      }
    }

    write_failures(file.get(), r.failures, keys);
  });
}

namespace {

// One row per (metric, parameter): the cells of the table, formatted.
struct row {
  std::string metric, param;
  std::vector<double> cells;
};
std::vector<row> rows_of(const sensitivity_spec& spec, const sensitivity_result& r) {
  std::vector<row> rows;
  for (std::size_t m = 0; m < spec.metrics.size(); ++m)
    for (std::size_t i = 0; i < spec.params.size(); ++i) {
      row x{spec.metrics[m], spec.params[i].key, {}};
      if (is_morris(spec)) {
        const morris_index& v = r.morris[m][i];
        x.cells = {v.mu_star, v.mu_star_low, v.mu_star_high, v.mu, v.sigma};
      } else {
        const sobol_index& v = r.sobol[m][i];
        x.cells = {v.s1, v.s1_low, v.s1_high, v.st, v.st_low, v.st_high};
      }
      rows.push_back(std::move(x));
    }
  return rows;
}

std::string interval_text(double low, double high) { return "[" + number(low) + ", " + number(high) + "]"; }

}  // namespace

std::string sensitivity_text(const sensitivity_spec& spec, const sensitivity_result& r) {
  std::size_t mw = 6, pw = 9;
  for (const auto& m : spec.metrics) mw = std::max(mw, m.size());
  for (const auto& p : spec.params) pw = std::max(pw, p.key.size());
  std::ostringstream o;
  char buf[512];
  const int a = static_cast<int>(mw), b = static_cast<int>(pw);
  if (is_morris(spec))
    std::snprintf(buf, sizeof buf, "%-*s  %-*s  %10s  %-22s  %10s  %10s\n", a, "metric", b, "parameter",
                  "mu*", "mu* 95% interval", "mu", "sigma");
  else
    std::snprintf(buf, sizeof buf, "%-*s  %-*s  %10s  %-22s  %10s  %s\n", a, "metric", b, "parameter", "S1",
                  "S1 95% interval", "ST", "ST 95% interval");
  o << buf;
  for (const auto& x : rows_of(spec, r)) {
    const auto& c = x.cells;
    if (is_morris(spec))
      std::snprintf(buf, sizeof buf, "%-*s  %-*s  %10s  %-22s  %10s  %10s\n", a, x.metric.c_str(), b,
                    x.param.c_str(), number(c[0]).c_str(), interval_text(c[1], c[2]).c_str(),
                    number(c[3]).c_str(), number(c[4]).c_str());
    else
      std::snprintf(buf, sizeof buf, "%-*s  %-*s  %10s  %-22s  %10s  %s\n", a, x.metric.c_str(), b,
                    x.param.c_str(), number(c[0]).c_str(), interval_text(c[1], c[2]).c_str(),
                    number(c[3]).c_str(), interval_text(c[4], c[5]).c_str());
    o << buf;
  }
  o << (is_morris(spec) ? "(elementary effects per whole range of the parameter, in the metric's unit; "
                          "mu* = mean |effect|, sigma = its spread: interactions or non-linearity)\n"
                        : "(S1: share of the metric's variance due to the parameter alone; ST: including "
                          "its interactions; 95% bootstrap intervals)\n");
  return o.str();
}

std::string sensitivity_csv(const sensitivity_spec& spec, const sensitivity_result& r) {
  std::ostringstream o;
  o << (is_morris(spec) ? "metric,parameter,mu_star,mu_star_low,mu_star_high,mu,sigma\n"
                        : "metric,parameter,S1,S1_low,S1_high,ST,ST_low,ST_high\n");
  for (const auto& x : rows_of(spec, r)) {
    o << x.metric << "," << x.param;
    for (const double v : x.cells) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6g", v);
      o << "," << (std::isnan(v) ? "" : buf);
    }
    o << "\n";
  }
  return o.str();
}

std::string sensitivity_markdown(const sensitivity_spec& spec, const sensitivity_result& r,
                                 const std::string& title) {
  std::ostringstream o;
  o << "# " << title << "\n\n";
  if (is_morris(spec))
    o << "Morris elementary effects on a " << spec.levels << "-level grid, " << spec.samples
      << " trajectories; an effect is the change in the metric per whole range of the parameter. mu* is the "
         "mean absolute effect (with its 95% bootstrap interval), sigma the effects' standard deviation "
         "(large against mu*: interactions or non-linearity).\n\n"
         "| metric | parameter | mu* | mu* 95% interval | mu | sigma |\n|---|---|---|---|---|---|\n";
  else
    o << "Sobol' indices from " << spec.samples
      << " base samples (Saltelli design): S1 is the share of the metric's variance due to the parameter "
         "alone, ST the share including its interactions, each with a 95% bootstrap interval.\n\n"
         "| metric | parameter | S1 | S1 95% interval | ST | ST 95% interval |\n|---|---|---|---|---|---|\n";
  for (const auto& x : rows_of(spec, r)) {
    const auto& c = x.cells;
    o << "| " << x.metric << " | " << x.param << " | " << number(c[0]) << " | " << interval_text(c[1], c[2])
      << " | " << number(c[3]) << " | " << (is_morris(spec) ? number(c[4]) : interval_text(c[4], c[5]))
      << " |\n";
  }
  return o.str();
}

}  // namespace civitas::experiment
