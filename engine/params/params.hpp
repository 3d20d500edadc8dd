// Parameters: typed declarations kept beside the code that reads them, and one generic reader.
//
// Design (after Box2D's b2WorldDef + b2DefaultWorldDef):
// - A module's parameters are a plain struct whose member initialisers are the documented defaults, with a
//   static `declare()` giving each field its key, type, range, unit, meaning and source:
//       struct welfare_params {
//         amount_t threshold = 200;   // citizens below this cash receive welfare
//         static std::vector<params::param> declare();
//       };
//       std::vector<params::param> welfare_params::declare() {
//         return {params::integer("welfare_threshold", &welfare_params::threshold, 0, 1e12, "cash",
//                                 "Citizens below this cash receive welfare", "modelling choice")};
//       }
//   A struct may also give `static std::vector<params::rule> rules()` over its own fields.
// - A `catalogue` mounts such structs under TOML tables ("society", "daf", ...) in a fixed order: that
//   order is the order of the canonical text (and so of every ledger's block 0) and of `civitas params`.
//   One registry file (sim/registry.cpp) builds the catalogue; nothing in this module names a parameter.
// - A `scenario` holds one instance of every mounted struct; `s.get<welfare_params>()` reads one.
// - The reader (reader.cpp) turns TOML text and `--set key=value` overrides into a scenario, collecting
//   every problem as a `file:line:col` diagnostic (did-you-mean for unknown keys, ranges, cross-field
//   rules placed where the user set the first value they read), and writes the canonical text back.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <typeindex>
#include <utility>
#include <variant>
#include <vector>

#include "core/assert.hpp"

namespace civitas::params {

// A parameter's value as it travels between TOML and a struct: enums travel as their name.
using value = std::variant<std::int64_t, double, bool, std::string>;

enum class param_type { integer, floating, boolean, string, enumeration };
enum class bound { inclusive, exclusive };

// A range of a floating parameter.
struct interval {
  double min = 0, max = 0;
  bound low = bound::inclusive, high = bound::inclusive;
};
constexpr interval closed(double min, double max) { return {min, max, bound::inclusive, bound::inclusive}; }
constexpr interval right_open(double min, double max) {
  return {min, max, bound::inclusive, bound::exclusive};
}
constexpr interval left_open(double min, double max) {
  return {min, max, bound::exclusive, bound::inclusive};
}

// Constraints on a string parameter's text.
struct text_rule {
  std::size_t min_chars = 0;
  std::size_t max_chars = 0;
  // When set, only ASCII letters, digits and these characters are allowed (identifiers, file names).
  std::optional<std::string_view> punctuation = std::nullopt;
};

// One field of a parameter struct, type-erased: get/set read and write that field of the struct at `object`.
struct param {
  std::string key;  // within its table: "alpha"
  param_type type = param_type::integer;
  std::string unit;                  // "share", "cash", "steps", ... ("" when dimensionless or obvious)
  std::string doc;                   // what it means
  std::string source;                // where its default comes from
  std::string range;                 // human text for listings and messages; "" when unrestricted
  std::vector<std::string> choices;  // enumeration only; for an enum field, index = enum value
  std::function<value(const void* object)> get;
  std::function<void(void* object, const value&)> set;  // only given values that passed `check`
  // Why an already well-typed value is unacceptable, as text after "path: "; "" when it is fine.
  std::function<std::string(const value&)> check;
};

// A rule over several parameters, checked once on the final values. `keys` are the parameters it reads
// (within the struct for a struct's own rules, full dotted paths for a catalogue's rules); its error is
// placed where the first of them the user set was set.
template <class S>
struct rule_of {
  std::vector<std::string> keys;
  std::function<std::string(const S&)> check;  // the message, or "" when satisfied
};

// ---- builders (definitions below; the checks' text helpers live in reader.cpp) ----

std::string range_text(std::int64_t min, std::int64_t max);
std::string range_text(interval i);
std::string range_text(const text_rule& r);
std::string check_integer(std::int64_t v, std::int64_t min, std::int64_t max, const std::string& range);
std::string check_floating(double v, interval i, const std::string& range);
std::string check_text(const std::string& v, const text_rule& r);
std::string check_choice(const std::string& v, const std::vector<std::string>& choices);

template <class S, class T>
param integer(std::string key, T S::*field, std::int64_t min, std::int64_t max, std::string unit,
              std::string doc, std::string source) {
  static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
  // The whole range must fit the field, so `set` can narrow without a check.
  CIVITAS_ASSERT(min <= max && std::in_range<T>(min) && std::in_range<T>(max));
  param p{std::move(key), param_type::integer, std::move(unit),
          std::move(doc), std::move(source),   range_text(min, max)};
  p.get = [field](const void* o) {
    return value(static_cast<std::int64_t>(static_cast<const S*>(o)->*field));
  };
  p.set = [field](void* o, const value& v) {
    static_cast<S*>(o)->*field = static_cast<T>(std::get<std::int64_t>(v));
  };
  p.check = [min, max, range = p.range](const value& v) {
    return check_integer(std::get<std::int64_t>(v), min, max, range);
  };
  return p;
}

template <class S>
param real(std::string key, double S::*field, interval range, std::string unit, std::string doc,
           std::string source) {
  param p{std::move(key), param_type::floating, std::move(unit),
          std::move(doc), std::move(source),    range_text(range)};
  p.get = [field](const void* o) { return value(static_cast<const S*>(o)->*field); };
  p.set = [field](void* o, const value& v) { static_cast<S*>(o)->*field = std::get<double>(v); };
  p.check = [range, text = p.range](const value& v) {
    return check_floating(std::get<double>(v), range, text);
  };
  return p;
}

template <class S>
param boolean(std::string key, bool S::*field, std::string doc, std::string source) {
  param p{std::move(key), param_type::boolean, "", std::move(doc), std::move(source), ""};
  p.get = [field](const void* o) { return value(static_cast<const S*>(o)->*field); };
  p.set = [field](void* o, const value& v) { static_cast<S*>(o)->*field = std::get<bool>(v); };
  p.check = [](const value&) { return std::string(); };
  return p;
}

template <class S>
param text(std::string key, std::string S::*field, text_rule rule, std::string doc, std::string source) {
  param p{std::move(key), param_type::string, "", std::move(doc), std::move(source), range_text(rule)};
  p.get = [field](const void* o) { return value(static_cast<const S*>(o)->*field); };
  p.set = [field](void* o, const value& v) { static_cast<S*>(o)->*field = std::get<std::string>(v); };
  p.check = [rule](const value& v) { return check_text(std::get<std::string>(v), rule); };
  return p;
}

// An enum field named by `names` (index = enum value).
template <class S, class E, std::size_t N>
param choice(std::string key, E S::*field, const std::array<std::string_view, N>& names, std::string doc,
             std::string source) {
  param p{std::move(key), param_type::enumeration, "", std::move(doc), std::move(source), ""};
  p.choices.assign(names.begin(), names.end());
  p.get = [field, names](const void* o) {
    const auto i = static_cast<std::size_t>(static_cast<const S*>(o)->*field);
    return value(std::string(i < N ? names[i] : std::string_view("unknown")));
  };
  p.set = [field, choices = p.choices](void* o, const value& v) {
    const auto it = std::find(choices.begin(), choices.end(), std::get<std::string>(v));
    static_cast<S*>(o)->*field = static_cast<E>(it - choices.begin());
  };
  p.check = [choices = p.choices](const value& v) { return check_choice(std::get<std::string>(v), choices); };
  return p;
}

// A string field that must be one of `names` (a registry's list, such as the regimes).
template <class S>
param choice(std::string key, std::string S::*field, std::vector<std::string> names, std::string doc,
             std::string source) {
  param p{std::move(key), param_type::enumeration, "", std::move(doc), std::move(source), ""};
  p.choices = std::move(names);
  p.get = [field](const void* o) { return value(static_cast<const S*>(o)->*field); };
  p.set = [field](void* o, const value& v) { static_cast<S*>(o)->*field = std::get<std::string>(v); };
  p.check = [choices = p.choices](const value& v) { return check_choice(std::get<std::string>(v), choices); };
  return p;
}

class scenario;

// The mounted parameter structs of a program, in canonical order, and the rules across them.
class catalogue {
 public:
  struct section {
    std::string table;  // TOML table: "society", "social_credit", ...
    std::type_index type = typeid(void);
    std::vector<param> params;
    std::function<std::shared_ptr<void>()> make;             // a default instance
    std::function<std::shared_ptr<void>(const void*)> copy;  // a copy of an instance
    std::function<bool(const scenario&)> read;               // read by this scenario's model
  };
  struct rule {
    std::vector<std::string> paths;  // full dotted paths
    std::function<std::string(const scenario&)> check;
  };
  // One parameter, flattened: its full path and where it lives.
  struct entry {
    std::string path;  // "society.alpha"
    std::size_t section = 0;
    const param* p = nullptr;
  };

  // Mounts struct S under `table`. `read` says whether a scenario's model reads these parameters (the
  // canonical text leaves out those it does not); empty means always.
  template <class S>
  void mount(std::string table, std::function<bool(const scenario&)> read = {});
  void add_rule(std::vector<std::string> paths, std::function<std::string(const scenario&)> check);
  // Marks a table as output-only: what is stored, not what is simulated. identity_toml() leaves it out.
  void exclude_from_identity(std::string table);
  bool in_identity(std::string_view table) const;

  const std::vector<section>& sections() const { return sections_; }
  const std::vector<rule>& rules() const { return rules_; }
  const std::vector<entry>& entries() const { return entries_; }
  const entry* find(std::string_view path) const;
  std::size_t index_of(std::type_index type) const;  // asserts that the type is mounted

 private:
  void add_section(section s);
  std::vector<section> sections_;
  std::vector<rule> rules_;
  std::vector<entry> entries_;
  std::vector<std::string> output_only_;
};

// One value for every parameter of a catalogue (defaults unless read or set otherwise).
class scenario {
 public:
  explicit scenario(const catalogue& c);
  scenario(const scenario& other);
  scenario& operator=(const scenario& other);
  scenario(scenario&&) noexcept = default;
  scenario& operator=(scenario&&) noexcept = default;

  template <class S>
  const S& get() const {
    return *static_cast<const S*>(sections_[catalogue_->index_of(typeid(S))].get());
  }
  template <class S>
  S& get() {
    return *static_cast<S*>(sections_[catalogue_->index_of(typeid(S))].get());
  }
  const catalogue& schema() const { return *catalogue_; }
  value get(const catalogue::entry& e) const { return e.p->get(sections_[e.section].get()); }
  void set(const catalogue::entry& e, const value& v) { e.p->set(sections_[e.section].get(), v); }

  // Same value for every parameter.
  bool operator==(const scenario& other) const;

 private:
  const catalogue* catalogue_;
  std::vector<std::shared_ptr<void>> sections_;  // one per catalogue section, owned (deep-copied on copy)
};

template <class S>
void catalogue::mount(std::string table, std::function<bool(const scenario&)> read) {
  section s;
  s.table = std::move(table);
  s.type = typeid(S);
  s.params = S::declare();
  s.make = [] { return std::static_pointer_cast<void>(std::make_shared<S>()); };
  s.copy = [](const void* o) {
    return std::static_pointer_cast<void>(std::make_shared<S>(*static_cast<const S*>(o)));
  };
  s.read = std::move(read);
  if constexpr (requires { S::rules(); }) {
    for (auto& r : S::rules()) {
      std::vector<std::string> paths;
      for (const auto& k : r.keys) paths.push_back(s.table + "." + k);
      // A struct's own rules hold only where its model reads it (the society's rules do not bind a run
      // of an exchange model, which never reads those values).
      rules_.push_back({std::move(paths), [check = std::move(r.check), read = s.read](const scenario& sc) {
                          return !read || read(sc) ? check(sc.get<S>()) : std::string();
                        }});
    }
  }
  add_section(std::move(s));
}

// A diagnostic-free description of one parameter, for listings and generated docs.
struct param_info {
  std::string path;          // "exchange.rule"
  std::string table;         // "exchange"
  std::string type;          // "integer", "float", "boolean", "string", or "one of: a, b, c"
  std::string default_text;  // as TOML
  std::string range;         // "1 to 10000000", "" when unrestricted
  std::string unit;
  std::string doc;
  std::string source;
};
std::vector<param_info> list(const catalogue& c);

// Reads and validates scenario text, then applies overrides ("path=value", value in TOML syntax; a bare
// word is taken as a string). Throws civitas::input_error with every diagnostic. `source_name` names the
// text in diagnostics.
scenario parse(const catalogue& c, std::string_view text, const std::string& source_name,
               const std::vector<std::string>& overrides = {});
// The same from a file.
scenario load(const catalogue& c, const std::string& path, const std::vector<std::string>& overrides = {});

// The text of a bounded regular file (at most `max_bytes`; no FIFO, device or directory), for the inputs
// civitas reads: throws input_error "PATH: cannot read WHAT file: ...".
std::string read_input_file(const std::string& path, const std::string& what, std::size_t max_bytes);
// A value as TOML text (a float always with a point or exponent, a string quoted), as the canonical text
// writes it.
std::string toml_value_text(const value& v);

// Every parameter the scenario's model reads, in catalogue order with its value, as TOML. Two scenarios are
// the same run exactly when their canonical texts are equal; parse(canonical_toml(s)) == s whenever the
// parameters the model does not read hold their defaults.
std::string canonical_toml(const scenario& s);
// The canonical text without the output-only tables: what makes a run the run it is. Two runs that differ
// only in what they store (the ledger log, the metric and snapshot cadence) have the same identity text.
std::string identity_toml(const scenario& s);

// A scenario argument as a path: the path itself when it exists, else a shipped scenario ("society/default",
// with or without .toml) under $CIVITAS_SCENARIO_DIR or the repository's scenarios/. Throws input_error.
std::string resolve_scenario(const std::string& argument);
// The shipped scenarios' directory ($CIVITAS_SCENARIO_DIR or the repository's scenarios/).
std::string scenario_directory();

}  // namespace civitas::params
