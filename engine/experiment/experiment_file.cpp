#include "experiment/experiment_file.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <tuple>

#include "core/assert.hpp"
#include "driver/registry.hpp"
#include "experiment/grid.hpp"
#include "ledger/hash.hpp"
#include "params/params.hpp"
#include "params/toml_input.hpp"

namespace civitas::experiment {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t max_experiment_bytes = 16 << 10;  // a page of settings
// The scenario's text is stored as a /meta attribute, which HDF5 keeps in a 64 KiB object header.
constexpr std::size_t max_stored_scenario_bytes = 32 << 10;

diagnostic place(const std::string& file, const toml::source_region& r) {
  return {file, static_cast<int>(r.begin.line), static_cast<int>(r.begin.column), ""};
}

// A value at a dotted path under some table, with the places of its key and of its value.
struct leaf {
  std::string path;
  const toml::node* node = nullptr;
  diagnostic key_at, value_at;
};

// Collects the problems of one file, each where it was written, and reads typed values.
class file_reader {
 public:
  explicit file_reader(std::string source) : source_(std::move(source)) {}

  void error(diagnostic at, std::string message) {
    at.message = std::move(message);
    errors_.push_back(std::move(at));
  }
  const std::vector<diagnostic>& errors() const { return errors_; }
  diagnostic key_place(const toml::key& k) const { return place(source_, k.source()); }
  diagnostic value_place(const toml::node& n) const { return place(source_, n.source()); }
  diagnostic top() const { return {source_, 1, 1, ""}; }

  // Unknown keys of a table of the schema (not of the scenario's: those the scenario reader checks).
  void only(const toml::table& t, const std::string& prefix, const std::vector<std::string>& keys) {
    for (auto&& [k, node] : t)
      if (std::find(keys.begin(), keys.end(), k.str()) == keys.end())
        error(key_place(k), "unknown key " + params::quote(prefix + std::string(k.str())) +
                                params::suggest(std::string(k.str()), keys));
  }

  // The node at `key`, if present and of type T (else an "expected" error naming `what`).
  template <class T>
  const T* get(const toml::table& t, std::string_view key, const std::string& path, std::string_view what) {
    const toml::node* n = t.get(key);
    if (!n) return nullptr;
    if (const T* v = n->as<T>()) return v;
    error(value_place(*n), path + ": expected " + std::string(what) + ", got " +
                               std::string(params::node_type_text(n->type())));
    return nullptr;
  }
  std::optional<std::string> text(const toml::table& t, std::string_view key, const std::string& path) {
    const auto* v = get<toml::value<std::string>>(t, key, path, "a string");
    return v ? std::optional(v->get()) : std::nullopt;
  }
  std::optional<std::int64_t> integer(const toml::table& t, std::string_view key, const std::string& path,
                                      std::int64_t min, std::int64_t max) {
    const auto* v = get<toml::value<std::int64_t>>(t, key, path, "an integer");
    if (!v) return std::nullopt;
    if (v->get() < min || v->get() > max) {
      error(value_place(*v), path + ": " + std::to_string(v->get()) + " is out of range (" +
                                 params::range_text(min, max) + ")");
      return std::nullopt;
    }
    return v->get();
  }
  // A list of strings, each with its place.
  std::optional<std::vector<std::pair<std::string, diagnostic>>> strings(const toml::table& t,
                                                                         std::string_view key,
                                                                         const std::string& path) {
    const auto* a = get<toml::array>(t, key, path, "a list of strings");
    if (!a) return std::nullopt;
    if (a->empty()) {
      error(value_place(*a), path + ": an empty list");
      return std::nullopt;
    }
    std::vector<std::pair<std::string, diagnostic>> out;
    for (const toml::node& n : *a) {
      if (const auto* s = n.as_string()) {
        out.emplace_back(s->get(), value_place(n));
        continue;
      }
      error(value_place(n),
            path + ": expected a string, got " + std::string(params::node_type_text(n.type())));
      return std::nullopt;
    }
    return out;
  }

  // The values under a table as dotted paths ("society.alpha = 1" and "\"society.alpha\" = 1" alike), in
  // the order they are written (toml++ keeps a table's keys sorted, and a grid's axis order matters).
  // A table for which `is_leaf` holds is a value itself.
  std::vector<leaf> leaves(const toml::table& t, const std::string& prefix,
                           bool (*is_leaf)(const toml::table&) = nullptr) const {
    std::vector<leaf> out;
    collect(t, prefix, is_leaf, out);
    std::stable_sort(out.begin(), out.end(), [](const leaf& a, const leaf& b) {
      return std::tie(a.key_at.line, a.key_at.column) < std::tie(b.key_at.line, b.key_at.column);
    });
    return out;
  }

 private:
  // `start`: where the dotted key being read began ("society" of "society.alpha = 1"), so a value's key is
  // placed at the start of its line rather than at its last part.
  void collect(const toml::table& t, const std::string& prefix, bool (*is_leaf)(const toml::table&),
               std::vector<leaf>& out, const diagnostic* start = nullptr) const {
    for (auto&& [k, node] : t) {
      const std::string path = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
      const diagnostic here = key_place(k);
      const diagnostic& begins = start && start->line == here.line ? *start : here;
      const toml::table* sub = node.as_table();
      if (sub && !(is_leaf && is_leaf(*sub)))
        collect(*sub, path, is_leaf, out, &begins);
      else
        out.push_back({path, &node, begins, value_place(node)});
    }
  }

  std::string source_;
  std::vector<diagnostic> errors_;
};

// A TOML scalar as a parameter value (what --set would give), or nothing for arrays, tables and dates.
std::optional<params::value> scalar(const toml::node& n) {
  if (const auto* i = n.as_integer()) return params::value(i->get());
  if (const auto* f = n.as_floating_point()) return params::value(f->get());
  if (const auto* b = n.as_boolean()) return params::value(b->get());
  if (const auto* s = n.as_string()) return params::value(s->get());
  return std::nullopt;
}

// A grid value as one types it after --grid: strings bare, numbers as TOML writes them.
std::string grid_value(const params::value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return params::toml_value_text(v);
}

bool is_range_table(const toml::table& t) { return t.contains("lo") || t.contains("hi"); }

// Calls `parse` (a command's own parser of a flag's argument); its diagnostics move to `at`.
template <class F>
auto parsed_at(file_reader& r, const diagnostic& at, F&& parse) -> std::optional<decltype(parse())> {
  try {
    return parse();
  } catch (const input_error& e) {
    for (const auto& d : e.diagnostics()) r.error(at, d.message);
    return std::nullopt;
  }
}

std::string join(const std::vector<std::string>& items, std::string_view by) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : std::string(by)) + s;
  return out;
}

// The scenario a file names: a path relative to the file's directory (or absolute), else a shipped name.
std::optional<std::string> find_scenario(file_reader& r, const std::string& name, const diagnostic& at,
                                         const std::string& base_dir) {
  std::error_code ec;
  const fs::path beside = fs::path(base_dir) / name;
  if (fs::is_regular_file(beside, ec)) return beside.string();
  const fs::path shipped = params::scenario_directory();
  for (const fs::path& p : {shipped / name, shipped / (name + ".toml")})
    if (fs::is_regular_file(p, ec)) return p.string();
  r.error(at, "scenario: no file " + params::quote(beside.string()) +
                  " and no shipped scenario of that name (see `civitas scenarios`)");
  return std::nullopt;
}

void read_sweep(file_reader& r, const toml::table& t, experiment_file& x) {
  r.only(t, "sweep.", {"grid", "zip"});
  if (const auto* zip = r.get<toml::value<bool>>(t, "zip", "sweep.zip", "a boolean")) {
    x.sweep.zip = zip->get();
    x.flag_at["--zip"] = r.value_place(*zip);
  }
  const toml::node* grid_node = t.get("grid");
  if (!grid_node) {
    r.error(r.value_place(t), "[sweep] needs a `grid` table: KEY = [values] or KEY = \"LO:HI:N\" per axis");
    return;
  }
  const auto* grid = r.get<toml::table>(t, "grid", "sweep.grid", "a table");
  if (!grid) return;
  x.flag_at["--grid"] = r.value_place(*grid);
  if (!x.flag_at.contains("--zip")) x.flag_at["--zip"] = x.flag_at["--grid"];
  const auto axes = r.leaves(*grid, "");
  if (axes.empty())
    r.error(r.value_place(*grid),
            "sweep.grid: the grid is empty; give at least one axis, KEY = [values] or "
            "KEY = \"LO:HI:N\"");
  std::vector<std::string> arguments;
  for (const leaf& a : axes) {
    const std::string path = "sweep.grid." + a.path;
    std::string argument = a.path + "=";
    if (const auto* range = a.node->as_string()) {
      argument += range->get();
    } else if (const auto* list = a.node->as_array()) {
      if (list->empty()) {
        r.error(a.value_at, path + ": an empty list of values");
        continue;
      }
      bool ok = true;
      std::vector<std::string> values;
      for (const toml::node& n : *list) {
        const auto v = scalar(n);
        if (!v) {
          r.error(r.value_place(n), path + ": a grid value is a number, boolean or string, not " +
                                        std::string(params::node_type_text(n.type())));
          ok = false;
        } else if (grid_value(*v).find(',') != std::string::npos) {
          r.error(r.value_place(n), path + ": a grid value may not contain ','");
          ok = false;
        } else {
          values.push_back(grid_value(*v));
        }
      }
      if (!ok) continue;
      argument += join(values, ",");
    } else {
      r.error(a.value_at, path + ": expected a list of values or a range \"LO:HI:N\", got " +
                              std::string(params::node_type_text(a.node->type())));
      continue;
    }
    if (const auto axis = parsed_at(r, a.value_at, [&] { return parse_grid(argument); })) {
      x.sweep.axes.push_back(*axis);
      x.axis_at.push_back(a.value_at);
      arguments.push_back(argument);
    }
  }
  // As `civitas sweep` writes it: the --grid arguments, then whether they were zipped.
  x.grid_text = join(arguments, " ") + (x.sweep.zip ? " (zipped)" : "");
}

void read_compare(file_reader& r, const toml::table& t, experiment_file& x) {
  r.only(t, "compare.", {"regimes"});
  // The regimes are governance.regime's choices: the one list of them, read through the catalogue.
  const auto* regime = driver::catalogue().find("governance.regime");
  CIVITAS_ASSERT(regime != nullptr);
  const std::vector<std::string>& known = regime->p->choices;
  std::vector<std::string> names = known;
  diagnostic at = r.value_place(t);
  if (const auto given = r.strings(t, "regimes", "compare.regimes")) {
    at = r.value_place(*t.get("regimes"));
    names.clear();
    for (const auto& [name, where] : *given) {
      if (std::find(known.begin(), known.end(), name) == known.end())
        r.error(where, "compare.regimes: no regime " + params::quote(name) +
                           " (regimes: " + join(known, ", ") + ")" + params::suggest(name, known));
      else if (std::find(names.begin(), names.end(), name) != names.end())
        r.error(where, "compare.regimes: regime " + params::quote(name) + " appears twice");
      else
        names.push_back(name);
    }
  }
  // As `civitas compare` builds it: one axis over governance.regime.
  x.grid_text = "governance.regime=" + join(names, ",");
  if (const auto axis = parsed_at(r, at, [&] { return parse_grid(x.grid_text); })) {
    x.sweep.axes.push_back(*axis);
    x.axis_at.push_back(at);
  }
  x.flag_at["--regimes"] = x.flag_at["--grid"] = at;
}

void read_sensitivity(file_reader& r, const toml::table& t, experiment_file& x) {
  r.only(t, "sensitivity.", {"method", "params", "samples", "levels", "resamples"});
  sensitivity_spec& s = x.sensitivity;
  const std::vector<std::string> methods{"morris", "sobol"};
  if (const auto method = r.text(t, "method", "sensitivity.method")) {
    if (*method == "sobol")
      s.method = sensitivity_method::sobol;
    else if (*method != "morris")
      r.error(r.value_place(*t.get("method")), "sensitivity.method: " + params::quote(*method) +
                                                   " is not one of morris, sobol" +
                                                   params::suggest(*method, methods));
  } else if (!t.contains("method")) {
    r.error(r.value_place(t), "[sensitivity] needs `method`: \"morris\" or \"sobol\"");
  }
  const auto setting = [&](std::string_view key, const std::string& flag, std::int64_t min, std::int64_t max,
                           auto& field) {
    if (const auto v = r.integer(t, key, "sensitivity." + std::string(key), min, max)) {
      field = static_cast<std::remove_reference_t<decltype(field)>>(*v);
      x.flag_at[flag] = r.value_place(*t.get(key));
    } else {
      x.flag_at[flag] = r.value_place(t);
    }
  };
  s.samples = s.method == sensitivity_method::morris ? 10 : 64;  // as the command's defaults
  setting("samples", "--samples", 2, std::int64_t{1} << 20, s.samples);
  setting("levels", "--levels", 2, 1000, s.levels);
  setting("resamples", "--resamples", 100, 100000, s.resamples);

  const toml::table* params_table = nullptr;
  if (!t.contains("params"))
    r.error(r.value_place(t),
            "[sensitivity] needs a `params` table: KEY = { lo = LO, hi = HI } per parameter");
  else
    params_table = r.get<toml::table>(t, "params", "sensitivity.params", "a table");
  if (!params_table) return;
  x.flag_at["--param"] = r.value_place(*params_table);
  const auto ranges = r.leaves(*params_table, "", is_range_table);
  if (ranges.empty())
    r.error(r.value_place(*params_table),
            "sensitivity.params: no parameters; give KEY = { lo = LO, hi = HI }");
  for (const leaf& p : ranges) {
    const std::string path = "sensitivity.params." + p.path;
    const toml::table* range = p.node->as_table();
    if (!range) {
      r.error(p.value_at, path + ": expected a range { lo = LO, hi = HI }, got " +
                              std::string(params::node_type_text(p.node->type())));
      continue;
    }
    r.only(*range, path + ".", {"lo", "hi"});
    std::string bounds[2];
    bool ok = true;
    for (int i = 0; i < 2; ++i) {
      const char* key = i == 0 ? "lo" : "hi";
      const toml::node* n = range->get(key);
      if (!n) {
        r.error(p.value_at, path + ": missing `" + key + "`");
        ok = false;
      } else if (!n->is_number()) {
        r.error(r.value_place(*n), path + "." + key + ": expected a number, got " +
                                       std::string(params::node_type_text(n->type())));
        ok = false;
      } else {
        bounds[i] = params::toml_value_text(*scalar(*n));
      }
    }
    if (!ok) continue;
    const std::string argument = p.path + "=" + bounds[0] + ":" + bounds[1];
    if (const auto param = parsed_at(r, p.value_at, [&] { return parse_sensitivity_param(argument); })) {
      s.params.push_back(*param);
      x.param_at.push_back(p.value_at);
    }
  }
}

}  // namespace

std::string text_sha256(std::string_view text) {
  return ledger::to_hex(ledger::thread_hasher().hash(
      std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())));
}

std::string_view kind_name(study_kind k) {
  switch (k) {
    case study_kind::sweep:
      return "sweep";
    case study_kind::compare:
      return "compare";
    case study_kind::sensitivity:
      return "sensitivity";
  }
  return "unknown";
}

experiment_file parse_experiment(std::string_view text, const std::string& source,
                                 const std::string& base_dir, const std::string& scenario_text,
                                 const std::string& scenario_source) {
  std::vector<diagnostic> syntax;
  const auto doc = params::parse_toml_document(text, source, syntax);
  if (!doc) throw input_error(syntax);
  const toml::table& root = *doc;
  experiment_file x;
  x.source = source;
  x.text = std::string(text);
  x.sha256 = text_sha256(text);
  file_reader r(source);
  const std::vector<std::string> kinds{"sweep", "compare", "sensitivity"};
  r.only(root, "",
         {"scenario", "name", "description", "replicates", "seed", "steps", "metrics", "overrides", "output",
          "sweep", "compare", "sensitivity"});

  // The study: exactly one of its tables.
  const toml::table* study = nullptr;
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    const auto* t = r.get<toml::table>(root, kinds[k], kinds[k], "a table");
    if (!t) continue;
    if (study) {
      r.error(r.value_place(*t), "one study per file: [" + std::string(kind_name(x.kind)) + "] and [" +
                                     kinds[k] + "] are both given");
      continue;
    }
    study = t;
    x.kind = static_cast<study_kind>(k);
  }
  if (!study && std::none_of(kinds.begin(), kinds.end(), [&](const auto& k) { return root.contains(k); }))
    r.error(r.top(), "no study: give one [sweep], [compare] or [sensitivity] table");

  if (const auto name = r.text(root, "name", "name")) {
    const bool ok = !name->empty() && name->size() <= 64 && name->front() != '.' &&
                    std::all_of(name->begin(), name->end(), [](char c) {
                      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
                    });
    if (ok)
      x.name = *name;
    else
      r.error(r.value_place(*root.get("name")),
              "name: " + params::quote(*name) +
                  " must be 1 to 64 characters of A-Z a-z 0-9 _ - . (it names the output file)");
  }
  x.description = r.text(root, "description", "description").value_or("");

  // The overrides, in the order the command line takes them: --set (the [overrides], then the [output]
  // table's keys), then --seed, then --steps.
  const auto add_override = [&](const std::string& path, const toml::node& n, const diagnostic& at) {
    const auto v = scalar(n);
    if (!v) {
      r.error(at, path + ": expected a value (number, boolean or string), got " +
                      std::string(params::node_type_text(n.type())));
      return;
    }
    x.sweep.overrides.push_back(path + "=" + params::toml_value_text(*v));
    x.override_at.push_back(at);
  };
  for (const char* table : {"overrides", "output"})
    if (const auto* t = r.get<toml::table>(root, table, table, "a table"))
      for (const leaf& l : r.leaves(*t, std::string(table) == "output" ? "output" : ""))
        add_override(l.path, *l.node, l.key_at);
  for (const auto& [key, path] : {std::pair{"seed", "run.seed"}, std::pair{"steps", "run.steps"}})
    if (const auto* n = r.get<toml::value<std::int64_t>>(root, key, key, "an integer"))
      add_override(path, *n, r.value_place(*n));

  const std::int64_t default_replicates = x.kind == study_kind::sensitivity ? 1 : 5;  // as the commands'
  const auto replicates = r.integer(root, "replicates", "replicates", 1, 100000);
  x.sweep.replicates = static_cast<unsigned>(replicates.value_or(default_replicates));
  x.flag_at["--replicates"] = root.contains("replicates") ? r.value_place(*root.get("replicates")) : r.top();

  if (const auto metrics = r.strings(root, "metrics", "metrics")) {
    for (const auto& [name, at] : *metrics) {
      x.metrics.push_back(name);
      x.metric_at.push_back(at);
    }
    x.flag_at["--metric"] = r.value_place(*root.get("metrics"));
    if (study && x.kind == study_kind::compare)
      r.error(
          x.flag_at["--metric"],
          "metrics: a comparison tabulates its fixed outcomes; `metrics` is for [sweep] and [sensitivity]");
  } else if (study && x.kind == study_kind::sensitivity && !root.contains("metrics")) {
    r.error(r.top(), "a sensitivity study needs `metrics`: the /series columns to explain");
  }

  if (study) {
    if (x.kind == study_kind::sweep) read_sweep(r, *study, x);
    if (x.kind == study_kind::compare) read_compare(r, *study, x);
    if (x.kind == study_kind::sensitivity) read_sensitivity(r, *study, x);
  }

  // The scenario last: a file with mistakes of its own is not worth finding a scenario for.
  if (const auto scenario = r.text(root, "scenario", "scenario")) {
    x.scenario = *scenario;
    const diagnostic at = r.value_place(*root.get("scenario"));
    if (!scenario_source.empty()) {
      x.sweep.scenario_path = scenario_source;
      x.scenario_text = scenario_text;
    } else if (r.errors().empty()) {
      if (const auto path = find_scenario(r, *scenario, at, base_dir)) {
        x.sweep.scenario_path = *path;
        x.scenario_text = params::read_input_file(*path, "scenario", max_stored_scenario_bytes);
      }
    }
  } else if (!root.contains("scenario")) {
    r.error(r.top(),
            "missing `scenario`: a scenario file (relative to this file) or a shipped name such as "
            "\"regimes/compare\"");
  }

  if (!r.errors().empty()) {
    std::vector<diagnostic> errors = r.errors();
    std::stable_sort(errors.begin(), errors.end(), [](const diagnostic& a, const diagnostic& b) {
      return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    throw input_error(errors);
  }
  x.sweep.scenario_text = x.scenario_text;
  // The sensitivity spec shares the base: scenario, overrides, replicates and metrics.
  x.sensitivity.scenario_path = x.sweep.scenario_path;
  x.sensitivity.scenario_text = x.sweep.scenario_text;
  x.sensitivity.overrides = x.sweep.overrides;
  x.sensitivity.replicates = x.sweep.replicates;
  x.sensitivity.metrics = x.metrics;
  return x;
}

experiment_file read_experiment(const std::string& path) {
  const std::string text = params::read_input_file(path, "experiment", max_experiment_bytes);
  return parse_experiment(text, path, fs::path(path).parent_path().string());
}

input_error experiment_file::locate(const input_error& e) const {
  std::vector<diagnostic> out;
  constexpr std::size_t none = SIZE_MAX;
  std::size_t named = none;  // the parameter a --param diagnostic named: its bound's diagnostics follow
  const auto& extra = kind == study_kind::sensitivity ? param_at : axis_at;
  for (diagnostic d : e.diagnostics()) {
    const auto move_to = [&d](const diagnostic& at) {
      d.file = at.file;
      d.line = at.line;
      d.column = at.column;
    };
    if (d.file == "--set" && d.line >= 1) {
      // The n-th override: the file's own, then the grid point's or design point's values in order.
      const auto i = static_cast<std::size_t>(d.line - 1);
      if (i < override_at.size())
        move_to(override_at[i]);
      else if (named != none && kind == study_kind::sensitivity)
        move_to(param_at[named]);
      else if (i - override_at.size() < extra.size())
        move_to(extra[i - override_at.size()]);
    } else if (d.file == "--param") {
      named = none;
      for (std::size_t p = 0; p < sensitivity.params.size(); ++p)
        if (d.message.starts_with("'" + sensitivity.params[p].key + "'")) named = p;
      if (named != none)
        move_to(param_at[named]);
      else if (flag_at.contains("--param"))
        move_to(flag_at.at("--param"));
    } else if (d.file == "--metric" && flag_at.contains("--metric")) {
      move_to(flag_at.at("--metric"));
      for (std::size_t m = 0; m < metrics.size(); ++m)
        if (d.message.find("'" + metrics[m] + "'") != std::string::npos) move_to(metric_at[m]);
    } else if (const auto it = flag_at.find(d.file); it != flag_at.end()) {
      move_to(it->second);
    }
    out.push_back(std::move(d));
  }
  return input_error(out);
}

meta_attributes experiment_meta(const experiment_file& x) {
  return {{"experiment", x.text}, {"experiment_sha256", x.sha256}, {"experiment_scenario", x.scenario_text}};
}

}  // namespace civitas::experiment
