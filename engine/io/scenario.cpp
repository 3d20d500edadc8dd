// Scenario files: one declarative schema drives reading, validation, --set overrides, the canonical
// text and the parameter listing.
//
// Design:
// - `schema()` is a table of `param` entries, built by param::integer / floating / boolean / text /
//   one_of. Each entry binds a dotted path to a `scenario` field through get/set functions, and knows
//   its type, range and doc. Nothing else in this file names a parameter, so adding one is one entry.
//   Defaults live in the struct (io/scenario.hpp) and are read back through `get`, so they cannot drift.
// - Values travel as `value` (int64, double, bool or string; enums as their name). A value is converted
//   from TOML by type, checked against the entry's range, and only then stored, so the struct never
//   holds an out-of-range value and `set` may narrow without checking.
// - Cross-field rules (`cross_rules()`) run once on the final values (file, then overrides) and are
//   skipped when one of their parameters already had an error, to avoid piling a consequence on a cause.
// - Every problem becomes a diagnostic; the reader throws one input_error at the end with all of them,
//   file diagnostics in file order, then --set ones in argument order.
// - toml++ recurses on nested tables and overflows the stack near 20,000 levels (a few hundred KB of
//   `[a.a.a...]`). `parse_toml` refuses lines with more than `max_dots_per_line` dots first: table depth
//   can only grow through dotted keys on one line and inline tables (capped at 256 by toml++), so this
//   bounds the depth to under a thousand whatever the input.
//
// [SECTION] names of enum values
// [SECTION] values and their TOML text
// [SECTION] the schema
// [SECTION] did-you-mean
// [SECTION] reader
// [SECTION] public functions
#include "io/scenario.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <tuple>
#include <utility>
#include <variant>

#include <toml++/toml.h>

#include "core/assert.hpp"
#include "core/error.hpp"

namespace civitas::io {
namespace {

// ---------------------------------------------------------------------------------------------------
// [SECTION] names of enum values. Index = enum value; to_string and the schema both read these.

constexpr std::array<std::string_view, 2> activation_names{"random_sequential", "simultaneous"};
constexpr std::array<std::string_view, 4> exchange_rule_names{"boltzmann", "random_exchange", "saving",
                                                              "yard_sale"};
constexpr std::array<std::string_view, 2> ledger_log_names{"full", "headers"};
constexpr std::array<std::string_view, 2> model_names{"exchange", "society"};
constexpr std::array<std::string_view, 2> social_graph_names{"small_world", "scale_free"};
constexpr std::array<std::string_view, 4> regime_names{"market", "social_credit", "daf", "alliance"};
constexpr std::array<std::string_view, 4> daf_rule_names{"token", "quadratic", "quadratic_funding", "conviction"};

template <class E, std::size_t N>
std::string_view name_of(E e, const std::array<std::string_view, N>& names) {
  const auto i = static_cast<std::size_t>(e);
  return i < N ? names[i] : std::string_view("unknown");
}

// ---------------------------------------------------------------------------------------------------
// [SECTION] values and their TOML text

using value = std::variant<std::int64_t, double, bool, std::string>;

enum class param_type { integer, floating, boolean, string, enumeration };

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one (overlong forms,
// surrogates and code points above U+10FFFF included, as TOML requires).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  char32_t cp = 0;
  if ((c & 0xE0) == 0xC0) n = 2, cp = c & 0x1F;
  else if ((c & 0xF0) == 0xE0) n = 3, cp = c & 0x0F;
  else if ((c & 0xF8) == 0xF0) n = 4, cp = c & 0x07;
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  constexpr std::array<char32_t, 5> min_for_length{0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_for_length[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::size_t utf8_length(std::string_view s) {
  // Counts code points of valid text; every byte that does not continue a sequence starts one.
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// A TOML basic string. Used for the canonical text and for quoting input in messages, so it must stay
// valid TOML for any bytes: invalid UTF-8 becomes U+FFFD (values that reach the struct are valid).
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) {
      out += "\\uFFFD";
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        if (u < 0x20 || u == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(u));
          out += buf;
        } else {
          out += c;
        }
    }
    ++i;
  }
  return out + '"';
}

// Input quoted for a message, cut short so one huge value cannot flood the terminal.
std::string shown(std::string_view s) {
  constexpr std::size_t limit = 60;
  if (s.size() <= limit) return quoted(s);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole characters only
  return quoted(s.substr(0, cut)) + "...";
}

bool ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Shortest text that reads back to the same double (std::to_chars guarantees the round trip).
std::string shortest(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  CIVITAS_ASSERT(ec == std::errc());
  return std::string(buf, end);
}

// A double as a TOML float: TOML reads "1" as an integer, so a float always gets a '.' or exponent.
std::string toml_float(double d) {
  std::string s = shortest(d);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

std::string toml_text(const value& v) {
  struct visitor {
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return toml_float(d); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(const std::string& s) const { return quoted(s); }
  };
  return std::visit(visitor{}, v);
}

// "an integer", "a table", ... for "expected X, got Y" messages.
std::string_view describe(toml::node_type t) {
  switch (t) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::string join(std::span<const std::string_view> items, std::string_view separator) {
  std::string out;
  for (const auto item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// [SECTION] the schema

enum class bound { inclusive, exclusive };

// Constraints on a string parameter's text.
struct text_rule {
  std::size_t min_chars = 0;
  std::size_t max_chars = 0;
  // When set, only ASCII letters, digits and these characters are allowed (identifiers, file names).
  std::optional<std::string_view> punctuation = std::nullopt;
};

struct param {
  std::string path;  // "section.key"; the section may itself be dotted
  param_type type = param_type::integer;
  std::string doc;
  std::string range;                      // human text for listings and messages; "" when unrestricted
  std::vector<std::string_view> choices;  // enumeration only; index = enum value
  std::function<value(const scenario&)> get;
  std::function<void(scenario&, const value&)> set;  // only given values that passed `check`
  // Why an already well-typed value is unacceptable, as text after "path: "; "" when it is fine.
  std::function<std::string(const value&)> check;

  std::string_view section() const { return std::string_view(path).substr(0, path.rfind('.')); }
  std::string_view key() const { return std::string_view(path).substr(path.rfind('.') + 1); }

  // Builders, one per type. Fields are bound by pointer to member; a parameter stored elsewhere (a
  // nested struct, a vector element) can be added by filling get/set with its own lambdas.
  template <class T>
  static param integer(std::string path, T scenario::*field, std::int64_t min, std::int64_t max, std::string doc) {
    static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
    // The whole range must fit the field, so `set` can narrow without a check.
    CIVITAS_ASSERT(min <= max && std::in_range<T>(min) && std::in_range<T>(max));
    param p;
    p.path = std::move(path);
    p.type = param_type::integer;
    p.doc = std::move(doc);
    p.range = std::to_string(min) + " to " + std::to_string(max);
    p.get = [field](const scenario& s) { return value(static_cast<std::int64_t>(s.*field)); };
    p.set = [field](scenario& s, const value& v) { s.*field = static_cast<T>(std::get<std::int64_t>(v)); };
    p.check = [min, max, range = p.range](const value& v) {
      const std::int64_t i = std::get<std::int64_t>(v);
      return i < min || i > max ? std::to_string(i) + " is out of range (" + range + ")" : std::string();
    };
    return p;
  }

  static param floating(std::string path, double scenario::*field, double min, bound min_bound, double max,
                        bound max_bound, std::string doc) {
    param p;
    p.path = std::move(path);
    p.type = param_type::floating;
    p.doc = std::move(doc);
    p.range = shortest(min) + " to " + shortest(max);
    if (min_bound == bound::exclusive) p.range += ", excluding " + shortest(min);
    if (max_bound == bound::exclusive) p.range += ", excluding " + shortest(max);
    p.get = [field](const scenario& s) { return value(s.*field); };
    p.set = [field](scenario& s, const value& v) { s.*field = std::get<double>(v); };
    p.check = [=, range = p.range](const value& v) {
      const double d = std::get<double>(v);
      const bool low = min_bound == bound::inclusive ? d < min : d <= min;
      const bool high = max_bound == bound::inclusive ? d > max : d >= max;
      return low || high ? toml_float(d) + " is out of range (" + range + ")" : std::string();
    };
    return p;
  }

  static param boolean(std::string path, bool scenario::*field, std::string doc) {
    param p;
    p.path = std::move(path);
    p.type = param_type::boolean;
    p.doc = std::move(doc);
    p.get = [field](const scenario& s) { return value(s.*field); };
    p.set = [field](scenario& s, const value& v) { s.*field = std::get<bool>(v); };
    p.check = [](const value&) { return std::string(); };
    return p;
  }

  static param text(std::string path, std::string scenario::*field, text_rule rule, std::string doc) {
    param p;
    p.path = std::move(path);
    p.type = param_type::string;
    p.doc = std::move(doc);
    std::string allowed;
    if (rule.punctuation) {
      allowed = "A-Z a-z 0-9";
      for (const char c : *rule.punctuation) (allowed += ' ') += c;
    }
    p.range = rule.min_chars > 0 ? std::to_string(rule.min_chars) + " to " + std::to_string(rule.max_chars)
                                 : "at most " + std::to_string(rule.max_chars);
    p.range += " characters";
    if (rule.punctuation) p.range += ": " + allowed;
    p.get = [field](const scenario& s) { return value(s.*field); };
    p.set = [field](scenario& s, const value& v) { s.*field = std::get<std::string>(v); };
    p.check = [rule, allowed](const value& v) -> std::string {
      const std::string& s = std::get<std::string>(v);
      // Text from --set comes straight from argv; the canonical TOML must stay valid UTF-8.
      if (!valid_utf8(s)) return shown(s) + " is not valid UTF-8";
      const std::size_t n = utf8_length(s);
      if (n == 0 && rule.min_chars > 0) return "must not be empty";
      if (n < rule.min_chars)
        return shown(s) + " is too short (at least " + std::to_string(rule.min_chars) + " characters)";
      if (n > rule.max_chars)
        return shown(s) + " is " + std::to_string(n) + " characters long (at most " +
               std::to_string(rule.max_chars) + ")";
      if (rule.punctuation) {
        for (const char c : s) {
          const auto u = static_cast<unsigned char>(c);
          const bool ok = ascii_alnum(c) || rule.punctuation->find(c) != std::string_view::npos;
          if (ok) continue;
          std::string msg = shown(s) + " may only contain " + allowed;
          if (u > 0x20 && u < 0x7F) msg += std::string(" (found '") + c + "')";
          else if (u == ' ') msg += " (found a space)";
          return msg;
        }
      }
      return {};
    };
    return p;
  }

  template <class E, std::size_t N>
  static param one_of(std::string path, E scenario::*field, const std::array<std::string_view, N>& names,
                      std::string doc);
};

// ---------------------------------------------------------------------------------------------------
// [SECTION] did-you-mean

// Optimal string alignment distance: edits, with a swap of neighbours counted as one ("exhcange").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::string_view last_component(std::string_view path) { return path.substr(path.rfind('.') + 1); }

// " (did you mean "x"?)" or "". A candidate whose last component equals the wrong name's is taken
// first, since the usual mistake is the section ("seed" at the top, "run.rule"); otherwise the nearest
// by edit distance, if near enough to be a typo rather than a different name.
std::string did_you_mean(std::string_view wrong, std::span<const std::string_view> candidates) {
  // Long inputs are not typos of short names, and the distance table is quadratic in length.
  if (wrong.size() > 200) return {};
  const auto leaf_matches = [&](std::string_view c) {
    return c != wrong && last_component(c) == last_component(wrong);
  };
  if (const auto it = std::find_if(candidates.begin(), candidates.end(), leaf_matches); it != candidates.end())
    return " (did you mean " + quoted(*it) + "?)";
  std::string_view best;
  std::size_t best_distance = std::max<std::size_t>(2, wrong.size() / 4) + 1;
  for (const auto c : candidates) {
    const std::size_t d = edit_distance(wrong, c);
    if (d < best_distance) best = c, best_distance = d;
  }
  return best.empty() ? std::string() : " (did you mean " + quoted(best) + "?)";
}

template <class E, std::size_t N>
param param::one_of(std::string path, E scenario::*field, const std::array<std::string_view, N>& names,
                    std::string doc) {
  param p;
  p.path = std::move(path);
  p.type = param_type::enumeration;
  p.doc = std::move(doc);
  p.choices.assign(names.begin(), names.end());
  p.get = [field, &names](const scenario& s) { return value(std::string(name_of(s.*field, names))); };
  p.set = [field, &names](scenario& s, const value& v) {
    const auto it = std::find(names.begin(), names.end(), std::get<std::string>(v));
    s.*field = static_cast<E>(it - names.begin());
  };
  p.check = [&names](const value& v) -> std::string {
    const std::string& s = std::get<std::string>(v);
    if (std::find(names.begin(), names.end(), s) != names.end()) return {};
    return shown(s) + " is not one of " + join(names, ", ") + did_you_mean(s, names);
  };
  return p;
}

// The single source of truth. Order here is the order of the canonical text and of `civitas params`;
// appending changes the canonical text (and so every ledger's header 0), as it should.
const std::vector<param>& schema() {
  static const std::vector<param> entries = [] {
    std::vector<param> e;
    // [run]
    e.push_back(param::text("run.name", &scenario::name, {1, 64, "_.-"},
                            "Short name of the run; the default output file is NAME.h5"));
    e.push_back(param::text("run.description", &scenario::description, {0, 500},
                            "One line shown by `civitas scenarios`"));
    e.push_back(param::integer("run.seed", &scenario::seed, 0, std::numeric_limits<std::int64_t>::max(),
                               "Master random seed: same scenario and seed give the same ledger"));
    e.push_back(param::integer("run.steps", &scenario::steps, 1, 10'000'000,
                               "Steps simulated after the genesis block"));
    e.push_back(param::one_of("run.activation", &scenario::activation, activation_names,
                              "Agents act one after another in a random order, or all on the previous state"));
    e.push_back(param::one_of("run.model", &scenario::model, model_names,
                              "exchange: the validation models; society: citizens, firms, charities, government"));
    // [population]
    e.push_back(param::integer("population.citizens", &scenario::citizens, 2, 100'000'000,
                               "Number of citizen agents"));
    e.push_back(param::integer("population.firms", &scenario::firms, 3, 10'000'000,
                               "Number of firms (society model)"));
    e.push_back(param::integer("population.charities", &scenario::charities, 1, 10'000'000,
                               "Number of charities (society model; there is always one government)"));
    // [values]
    e.push_back(param::integer("values.dimensions", &scenario::value_dimensions, 1, 17,
                               "Value dimensions: the first K UN SDGs of data/sdg_dimensions.csv"));
    // [exchange]
    e.push_back(param::one_of("exchange.rule", &scenario::rule, exchange_rule_names,
                              "Validation exchange model (DOMAIN.md section 6)"));
    e.push_back(param::integer("exchange.initial_cash", &scenario::initial_cash, 1, 1'000'000'000'000,
                               "Every citizen's endowment in cash units, minted at genesis"));
    e.push_back(param::floating("exchange.saving_propensity", &scenario::saving_propensity, 0.0, bound::inclusive,
                                1.0, bound::exclusive, "Share lambda each party keeps under the saving rule"));
    e.push_back(param::floating("exchange.yard_sale_fraction", &scenario::yard_sale_fraction, 0.0,
                                bound::exclusive, 1.0, bound::inclusive,
                                "Share of the poorer party's wealth at stake in a yard-sale exchange"));
    // [society]
    e.push_back(param::integer("society.cash_citizen", &scenario::cash_citizen, 0, 1'000'000'000'000,
                               "Genesis cash of every citizen"));
    e.push_back(param::integer("society.cash_charity", &scenario::cash_charity, 0, 1'000'000'000'000,
                               "Genesis cash of every charity"));
    e.push_back(param::integer("society.cash_government_per_citizen", &scenario::cash_government_per_citizen, 0, 1'000'000'000'000,
                               "Genesis cash of the government, per citizen"));
    e.push_back(param::integer("society.firm_cash_weeks", &scenario::firm_cash_weeks, 0, 10000,
                               "Genesis cash of a firm, in steps of its full payroll"));
    e.push_back(param::floating("society.profit_share", &scenario::profit_share, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Share of a firm's cash above its buffer (firm_cash_weeks of payroll) paid to staff per step"));
    e.push_back(param::floating("society.employment_rate", &scenario::employment_rate, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Share of citizens employed by a firm"));
    e.push_back(param::floating("society.firm_size_sigma", &scenario::firm_size_sigma, 0.0, bound::inclusive, 5.0, bound::inclusive,
                                "Lognormal sigma of firm sizes (weights for drawing employers)"));
    e.push_back(param::integer("society.wage_mean", &scenario::wage_mean, 1, 1'000'000'000,
                               "Mean gross wage per step across firms"));
    e.push_back(param::floating("society.wage_sigma", &scenario::wage_sigma, 0.0, bound::inclusive, 3.0, bound::inclusive,
                                "Lognormal sigma of firms' wage levels"));
    e.push_back(param::floating("society.income_tax", &scenario::income_tax, 0.0, bound::inclusive, 1.0, bound::exclusive,
                                "Income tax rate withheld from every wage for the government"));
    e.push_back(param::floating("society.consumption_share", &scenario::consumption_share, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Share of step-start cash a citizen spends on one purchase per step"));
    e.push_back(param::integer("society.offers_sampled", &scenario::offers_sampled, 1, 1000,
                               "Retailers (and charities) a citizen samples before choosing"));
    e.push_back(param::floating("society.alpha", &scenario::alpha, 0.0, bound::inclusive, 1000.0, bound::inclusive,
                                "Weight of value alignment in the purchase logit (the seeds' AI Ubot)"));
    e.push_back(param::floating("society.price_sensitivity", &scenario::price_sensitivity, 0.0, bound::inclusive, 1000.0, bound::inclusive,
                                "Weight of relative price in the purchase logit"));
    e.push_back(param::floating("society.price_sigma", &scenario::price_sigma, 0.0, bound::inclusive, 2.0, bound::inclusive,
                                "Lognormal sigma of retailers' price levels around 1"));
    e.push_back(param::floating("society.raw_share", &scenario::raw_share, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Share of firms at the raw-material stage"));
    e.push_back(param::floating("society.manufacturer_share", &scenario::manufacturer_share, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Share of firms at the manufacturing stage (the rest retail)"));
    e.push_back(param::integer("society.suppliers_per_firm", &scenario::suppliers_per_firm, 1, 1000,
                               "Upstream suppliers of each manufacturer and retailer"));
    e.push_back(param::floating("society.input_share", &scenario::input_share, 0.0, bound::inclusive, 1.0, bound::exclusive,
                                "Share of last step's revenue a firm spends on inputs from its suppliers"));
    e.push_back(param::floating("society.csr_share", &scenario::csr_share, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Share of last step's revenue a firm gives to its best-aligned charity"));
    e.push_back(param::floating("society.co2_per_1000", &scenario::co2_per_1000, 0.0, bound::inclusive, 1000.0, bound::inclusive,
                                "Mean tonnes of CO2 emitted per 1000 cash of revenue"));
    e.push_back(param::floating("society.co2_sigma", &scenario::co2_sigma, 0.0, bound::inclusive, 3.0, bound::inclusive,
                                "Lognormal sigma of firms' CO2 intensity"));
    e.push_back(param::floating("society.donation_probability", &scenario::donation_probability, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Chance per step that a citizen donates"));
    e.push_back(param::floating("society.donation_share", &scenario::donation_share, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Share of step-start cash a donation gives"));
    e.push_back(param::floating("society.service_share", &scenario::service_share, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Share of a charity's cash spent on services per step"));
    e.push_back(param::integer("society.beneficiaries_per_step", &scenario::beneficiaries_per_step, 1, 1'000'000,
                               "Citizens a charity serves per step"));
    e.push_back(param::integer("society.charity_staff", &scenario::charity_staff, 1, 1'000'000,
                               "Staff of each charity (S/E people term)"));
    e.push_back(param::floating("society.deed_probability", &scenario::deed_probability, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Chance per step that a citizen does a good deed, before peer influence"));
    e.push_back(param::floating("society.peer_influence", &scenario::peer_influence, 0.0, bound::inclusive, 100.0, bound::inclusive,
                                "Deed chance multiplier per share of social neighbours who did a verified deed last step"));
    e.push_back(param::floating("society.verification_probability", &scenario::verification_probability, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Chance that a deed is verified and rewarded"));
    e.push_back(param::integer("society.deed_backing", &scenario::deed_backing, 1, 1'000'000'000'000,
                               "Sponsor cash put in reserve per verified deed"));
    e.push_back(param::integer("society.deed_tokens", &scenario::deed_tokens, 1, 1'000'000'000'000,
                               "Value tokens minted per verified deed"));
    e.push_back(param::boolean("society.value_tradable", &scenario::value_tradable, "Value tokens may be sold for cash on the constant-product pool"));
    e.push_back(param::floating("society.sell_probability", &scenario::sell_probability, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Chance per step that a citizen sells its value tokens"));
    e.push_back(param::integer("society.pool_cash_per_citizen", &scenario::pool_cash_per_citizen, 1, 1'000'000,
                               "Cash reserve of each category's pool at genesis, per citizen"));
    e.push_back(param::integer("society.pool_tokens_per_citizen", &scenario::pool_tokens_per_citizen, 1, 1'000'000,
                               "Token reserve of each category's pool at genesis, per citizen"));
    e.push_back(param::floating("society.data_consent", &scenario::data_consent, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Share of citizens who consent to share their data"));
    e.push_back(param::integer("society.data_value_per_customer", &scenario::data_value_per_customer, 0, 1'000'000'000,
                               "Value a retailer creates per consenting customer per step"));
    e.push_back(param::floating("society.data_tax", &scenario::data_tax, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Social tax on the value created from data, paid to charities"));
    e.push_back(param::floating("society.data_tax_relief", &scenario::data_tax_relief, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Share of the data tax the government refunds as tax relief"));
    e.push_back(param::integer("society.welfare_threshold", &scenario::welfare_threshold, 0, 1'000'000'000'000,
                               "Citizens below this cash receive welfare"));
    e.push_back(param::integer("society.welfare_amount", &scenario::welfare_amount, 0, 1'000'000'000'000,
                               "Welfare paid per step to each citizen below the threshold"));
    e.push_back(param::integer("society.procurement_every", &scenario::procurement_every, 0, 1'000'000,
                               "Steps between procurement tenders (0: none)"));
    e.push_back(param::floating("society.procurement_share", &scenario::procurement_share, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Share of government cash a tender spends"));
    e.push_back(param::integer("society.procurement_bidders", &scenario::procurement_bidders, 1, 1000,
                               "Firms bidding in each tender"));
    e.push_back(param::floating("society.social_value_weight", &scenario::social_value_weight, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Weight of offered social value (vs price) in tender scores"));
    e.push_back(param::integer("society.year", &scenario::year, 2012, 2018,
                               "Year of the UK minimum wage for Modern Slavery scores"));
    e.push_back(param::integer("society.steps_per_year", &scenario::steps_per_year, 1, 1'000'000,
                               "Steps in a year (annualises wages for Modern Slavery)"));
    e.push_back(param::one_of("society.social_graph", &scenario::graph, social_graph_names,
                              "Citizens' social graph: Watts-Strogatz small world or PLOD scale free"));
    e.push_back(param::integer("society.mean_degree", &scenario::mean_degree, 0, 1000,
                               "Mean degree of the social graph (even for small_world)"));
    e.push_back(param::floating("society.graph_param", &scenario::graph_param, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "small_world: rewiring probability; scale_free: PLOD alpha in (0, 1)"));
    e.push_back(param::floating("society.misconduct_probability", &scenario::misconduct_probability, 0.0, bound::inclusive,
                                1.0, bound::inclusive, "Chance per step that a citizen misbehaves (seen only by a regime that looks)"));
    // [governance]
    e.push_back(param::one_of("governance.regime", &scenario::regime, regime_names,
                              "Governance regime (DOMAIN.md section 3; society model)"));
    // [social_credit]
    e.push_back(param::floating("social_credit.q", &scenario::credit_q, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Chance the authority sees an act"));
    e.push_back(param::floating("social_credit.error", &scenario::credit_error, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Error rate: chance per observation of seeing misconduct that did not happen"));
    e.push_back(param::integer("social_credit.start", &scenario::credit_start, 0, 1'000'000'000, "Everyone's starting score"));
    e.push_back(param::integer("social_credit.reward", &scenario::credit_reward, 0, 1'000'000'000, "Score added for a good act seen"));
    e.push_back(param::integer("social_credit.penalty", &scenario::credit_penalty, 0, 1'000'000'000,
                               "Score taken for misconduct seen (after the first, which earns a warning)"));
    e.push_back(param::floating("social_credit.decay", &scenario::credit_decay, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Share of the gap to the starting score closed at each review"));
    e.push_back(param::integer("social_credit.review_every", &scenario::credit_review_every, 0, 1'000'000,
                               "Steps between reviews (0: scores never decay)"));
    e.push_back(param::integer("social_credit.grade_a", &scenario::grade_a, 0, 1'000'000'000, "Lowest score of grade A"));
    e.push_back(param::integer("social_credit.grade_b", &scenario::grade_b, 0, 1'000'000'000, "Lowest score of grade B"));
    e.push_back(param::integer("social_credit.grade_c", &scenario::grade_c, 0, 1'000'000'000,
                               "Lowest score of grade C; below it is D, the blacklist"));
    e.push_back(param::integer("social_credit.rebate", &scenario::credit_rebate, 0, 1'000'000'000,
                               "Cash paid per step by the government to each A-grade citizen"));
    e.push_back(param::floating("social_credit.luxury_cap", &scenario::luxury_cap, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Share of its planned spend a blacklisted citizen may spend"));
    e.push_back(param::floating("social_credit.whistleblow", &scenario::whistleblow, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Chance per worker per step of reporting the employer's misconduct"));
    e.push_back(param::floating("social_credit.priority_bonus", &scenario::priority_bonus, 0.0, bound::inclusive, 10.0,
                                bound::inclusive, "Added to an A-grade firm's tender score"));
    // [daf]
    e.push_back(param::one_of("daf.rule", &scenario::daf_voting, daf_rule_names, "How the DAF's electorate decides"));
    e.push_back(param::floating("daf.levy", &scenario::daf_levy, 0.0, bound::inclusive, 1.0, bound::exclusive,
                                "Share of each purchase paid into the treasury"));
    e.push_back(param::boolean("daf.csr_to_fund", &scenario::daf_csr_to_fund, "Firms' CSR goes to the treasury, not a charity"));
    e.push_back(param::boolean("daf.data_tax_to_fund", &scenario::daf_data_tax_to_fund,
                               "The data social tax goes to the treasury, not a charity"));
    e.push_back(param::integer("daf.period", &scenario::daf_period, 0, 1'000'000, "Steps between funding rounds (0: none)"));
    e.push_back(param::floating("daf.spend_share", &scenario::daf_spend_share, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Share of the treasury one round may spend (the pool R)"));
    e.push_back(param::integer("daf.voters", &scenario::daf_voters, 1, 100'000'000, "Citizens sampled to vote each round"));
    e.push_back(param::integer("daf.citizen_proposals", &scenario::daf_citizen_proposals, 0, 1'000'000,
                               "Proposals from citizens each round (besides one per charity)"));
    e.push_back(param::floating("daf.noise", &scenario::daf_noise, 0.0, bound::inclusive, 10.0, bound::inclusive,
                                "Lognormal sigma of a voter's view of a project's true impact"));
    e.push_back(param::floating("daf.turnout", &scenario::daf_turnout, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Chance that a sampled voter takes part"));
    e.push_back(param::floating("daf.quorum", &scenario::daf_quorum, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Participating power needed, as a share of the sample's power"));
    e.push_back(param::floating("daf.delegation", &scenario::daf_delegation, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Share of participants who delegate their power to another (one hop)"));
    e.push_back(param::floating("daf.contribution_share", &scenario::daf_contribution_share, 0.0, bound::inclusive, 1.0,
                                bound::inclusive, "Quadratic funding: share of its cash a participant contributes"));
    e.push_back(param::floating("daf.alpha", &scenario::daf_alpha, 0.0, bound::inclusive, 1.0, bound::exclusive,
                                "Conviction kept from one step to the next"));
    e.push_back(param::floating("daf.beta", &scenario::daf_beta, 0.0, bound::exclusive, 1.0, bound::inclusive,
                                "Conviction: largest share of the pool one request may take"));
    e.push_back(param::floating("daf.rho", &scenario::daf_rho, 0.0, bound::exclusive, 1.0, bound::inclusive,
                                "Conviction: threshold weight"));
    e.push_back(param::integer("daf.proposal_rounds", &scenario::daf_proposal_rounds, 1, 1'000'000,
                               "Conviction: steps (votes) an unfunded proposal stays open"));
    // [alliance]
    e.push_back(param::integer("alliance.sponsors", &scenario::alliance_sponsors, 0, 1'000'000, "Largest retailers that sponsor offers"));
    e.push_back(param::floating("alliance.trip_probability", &scenario::trip_probability, 0.0, bound::inclusive, 1.0,
                                bound::inclusive, "Chance per step that a citizen makes a low-carbon trip"));
    e.push_back(param::integer("alliance.points_per_trip", &scenario::points_per_trip, 1, 1'000'000'000, "Points a verified trip earns"));
    e.push_back(param::floating("alliance.verification", &scenario::trip_verification, 0.0, bound::inclusive, 1.0,
                                bound::inclusive, "Chance the distributor verifies a real trip"));
    e.push_back(param::floating("alliance.fraud_probability", &scenario::fraud_probability, 0.0, bound::inclusive, 1.0,
                                bound::inclusive, "Chance per step that a citizen claims a trip that never happened"));
    e.push_back(param::floating("alliance.fake_pass", &scenario::fake_pass, 0.0, bound::inclusive, 1.0, bound::inclusive,
                                "Chance a fake claim passes the distributor's check"));
    e.push_back(param::integer("alliance.offer_points", &scenario::offer_points, 1, 1'000'000'000, "Points a sponsor's offer costs"));
    e.push_back(param::integer("alliance.offer_value", &scenario::offer_value, 0, 1'000'000'000,
                               "Cash value of the good a sponsor gives for an offer"));
    e.push_back(param::floating("alliance.redeem_probability", &scenario::redeem_probability, 0.0, bound::inclusive, 1.0,
                                bound::inclusive, "Chance per step that a citizen with enough points redeems"));
    e.push_back(param::integer("alliance.commitment", &scenario::commitment, 0, 1'000'000'000'000,
                               "Cash each sponsor commits per clearing period"));
    e.push_back(param::integer("alliance.period", &scenario::alliance_period, 0, 1'000'000, "Steps between clearings and audits"));
    e.push_back(param::floating("alliance.audit_probability", &scenario::audit_probability, 0.0, bound::inclusive, 1.0,
                                bound::inclusive, "Chance the supervisor finds a cheat's fake points"));
    e.push_back(param::integer("alliance.freeze_steps", &scenario::freeze_steps, 0, 1'000'000,
                               "Steps a found cheat's points account stays frozen"));
    // [output]
    e.push_back(param::one_of("output.ledger", &scenario::ledger, ledger_log_names,
                              "full: every transfer stored; headers: only block headers"));
    e.push_back(param::integer("output.snapshot_every", &scenario::snapshot_every, 0, 10'000'000,
                               "Agent snapshot every K steps (0: only the final state)"));
    e.push_back(param::integer("output.metrics_every", &scenario::metrics_every, 1, 10'000'000,
                               "Inequality metrics every K steps (other steps: NaN)"));
    return e;
  }();
  return entries;
}

// A rule over several parameters, checked on the final values.
struct cross_rule {
  // The parameters it reads. The error is placed where the first of them the user set was set.
  std::vector<std::string_view> paths;
  std::function<std::string(const scenario&)> check;  // the message, or "" when satisfied
};

const std::vector<cross_rule>& cross_rules() {
  static const std::vector<cross_rule> rules = {
      // Total money must fit in amount_t with headroom: sums of balances and supplies are int64.
      {{"exchange.initial_cash", "population.citizens"},
       [](const scenario& s) -> std::string {
         constexpr std::int64_t limit = std::int64_t{1} << 62;
         const std::int64_t n = s.citizens;
         if (n == 0 || s.initial_cash <= limit / n) return {};
         return "total money population.citizens * exchange.initial_cash = " + std::to_string(n) + " * " +
                std::to_string(s.initial_cash) + " exceeds 2^62 = " + std::to_string(limit) +
                " (balances are signed 64-bit integers)";
       }},
      // The society's rules only bind when the society model runs.
      {{"society.raw_share", "society.manufacturer_share", "run.model"},
       [](const scenario& s) -> std::string {
         if (s.model != model_kind::society || s.raw_share + s.manufacturer_share <= 1.0) return {};
         return "society.raw_share + society.manufacturer_share must not exceed 1 (the rest are retailers)";
       }},
      {{"society.consumption_share", "society.donation_share", "run.model"},
       [](const scenario& s) -> std::string {
         if (s.model != model_kind::society || s.consumption_share + s.donation_share <= 1.0) return {};
         return "society.consumption_share + society.donation_share must not exceed 1 (a citizen cannot spend "
                "more than it holds)";
       }},
      {{"society.mean_degree", "society.social_graph", "society.graph_param", "population.citizens", "run.model"},
       [](const scenario& s) -> std::string {
         if (s.model != model_kind::society) return {};
         if (s.mean_degree + 2 > s.citizens)
           return "society.mean_degree must be at most population.citizens - 2";
         if (s.graph == social_graph::small_world && s.mean_degree % 2 != 0)
           return "society.mean_degree must be even for a small_world graph (k/2 neighbours on each side)";
         if (s.graph == social_graph::scale_free && (s.graph_param <= 0.0 || s.graph_param >= 1.0))
           return "society.graph_param (PLOD alpha) must be strictly between 0 and 1 for a scale_free graph";
         return {};
       }},
      {{"social_credit.grade_a", "social_credit.grade_b", "social_credit.grade_c", "governance.regime"},
       [](const scenario& s) -> std::string {
         if (s.regime != regime_kind::social_credit || (s.grade_a > s.grade_b && s.grade_b > s.grade_c)) return {};
         return "social credit grades need grade_a > grade_b > grade_c";
       }},
      {{"society.cash_citizen", "society.cash_government_per_citizen", "population.citizens", "run.model"},
       [](const scenario& s) -> std::string {
         constexpr std::int64_t limit = std::int64_t{1} << 60;
         const std::int64_t n = s.citizens;
         if (s.model != model_kind::society) return {};
         if (s.cash_citizen <= limit / n && s.cash_government_per_citizen <= limit / n) return {};
         return "genesis cash of citizens or government exceeds 2^60 (balances are signed 64-bit integers)";
       }},
  };
  return rules;
}

const param* find_param(std::string_view path) {
  const auto& s = schema();
  const auto it = std::find_if(s.begin(), s.end(), [&](const param& p) { return p.path == path; });
  return it == s.end() ? nullptr : &*it;
}

std::size_t index_of(const param& p) { return static_cast<std::size_t>(&p - schema().data()); }

std::vector<std::string_view> param_paths() {
  std::vector<std::string_view> out;
  for (const auto& p : schema()) out.push_back(p.path);
  return out;
}

// Every table path the schema implies, in schema order: "run", and "a" and "a.b" for "a.b.c".
std::vector<std::string_view> section_paths() {
  std::vector<std::string_view> out;
  for (const auto& p : schema())
    for (std::size_t dot = p.path.find('.'); dot != std::string::npos; dot = p.path.find('.', dot + 1)) {
      const std::string_view s = std::string_view(p.path).substr(0, dot);
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
  return out;
}

bool is_section(std::string_view path) {
  const auto s = section_paths();
  return std::find(s.begin(), s.end(), path) != s.end();
}

std::string type_text(const param& p) {
  switch (p.type) {
    case param_type::integer: return "integer";
    case param_type::floating: return "float";
    case param_type::boolean: return "boolean";
    case param_type::string: return "string";
    case param_type::enumeration: return "one of: " + join(p.choices, ", ");
  }
  return "unknown";
}

std::string expected_text(const param& p) {
  switch (p.type) {
    case param_type::integer: return "an integer";
    case param_type::floating: return "a float";
    case param_type::boolean: return "a boolean";
    case param_type::string: return "a string";
    case param_type::enumeration: return "a string (one of " + join(p.choices, ", ") + ")";
  }
  return "a value";
}

// A TOML node as the parameter's value, or why it cannot be one (text after "path: ").
std::variant<value, std::string> convert(const param& p, const toml::node& n) {
  switch (p.type) {
    case param_type::integer:
      if (const auto* i = n.as_integer()) return value(i->get());
      break;
    case param_type::floating: {
      // TOML has no implicit conversion, but "0" for a float is what people write.
      if (const auto* i = n.as_integer()) return value(static_cast<double>(i->get()));
      const auto* f = n.as_floating_point();
      if (!f) break;
      if (!std::isfinite(f->get())) return "expected a finite number, got " + shortest(f->get());
      return value(f->get());
    }
    case param_type::boolean:
      if (const auto* b = n.as_boolean()) return value(b->get());
      break;
    case param_type::string:
    case param_type::enumeration:
      if (const auto* s = n.as_string()) return value(s->get());
      break;
  }
  return "expected " + expected_text(p) + ", got " + std::string(describe(n.type()));
}

// ---------------------------------------------------------------------------------------------------
// [SECTION] reader

constexpr std::string_view set_file = "--set";
constexpr std::size_t max_dots_per_line = 256;

struct place {
  std::string file;
  int line = 0;
  int column = 0;
};

place place_of(const std::string& file, const toml::source_region& r) {
  return {file, static_cast<int>(r.begin.line), static_cast<int>(r.begin.column)};
}

// Parses TOML, turning both syntax errors and input too deep for toml++ into diagnostics.
std::optional<toml::table> parse_toml(std::string_view text, const std::string& file, std::vector<diagnostic>& out) {
  int line = 1;
  std::size_t dots = 0;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line, dots = 0, line_start = i + 1;
    } else if (text[i] == '.' && ++dots > max_dots_per_line) {
      out.push_back({file, line, static_cast<int>(i - line_start) + 1,
                     "more than " + std::to_string(max_dots_per_line) +
                         " '.' on one line: keys nested this deep are not supported"});
      return std::nullopt;
    }
  }
  try {
    return toml::parse(text, std::string_view(file));
  } catch (const toml::parse_error& e) {
    out.push_back({file, static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column),
                   std::string(e.description())});
    return std::nullopt;
  }
}

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

class reader {
 public:
  explicit reader(std::string source_name)
      : source_(std::move(source_name)), set_at_(schema().size()), failed_(schema().size(), false) {}

  void read_text(std::string_view text) {
    const auto doc = parse_toml(text, source_, diagnostics_);
    if (!doc) {
      incomplete_ = true;
      return;
    }
    read_table(*doc, "");
  }

  // One "path=value" override; `index` is its 1-based position among the overrides.
  void apply_override(std::string_view text, int index) {
    const place key_place{std::string(set_file), index, 1};
    const std::size_t eq = text.find('=');
    const std::string_view key = trim(text.substr(0, eq));
    if (eq == std::string_view::npos || key.empty()) {
      error(key_place, "expected PATH=VALUE (such as exchange.rule=saving), got " + shown(text));
      return;
    }
    const param* p = find_param(key);
    if (!p) {
      const std::string name = shown(key);
      if (is_section(key))
        error(key_place, name + " is a section; set one of its parameters, such as " +
                             quoted(std::string(key) + "." + std::string(first_key_of(key))));
      else
        error(key_place, "unknown key " + name + did_you_mean(key, param_paths()));
      return;
    }
    std::size_t value_start = eq + 1;
    while (value_start < text.size() && (text[value_start] == ' ' || text[value_start] == '\t')) ++value_start;
    const place value_place{std::string(set_file), index, static_cast<int>(value_start) + 1};
    const std::string_view raw = trim(text.substr(eq + 1));
    const bool textual = p->type == param_type::string || p->type == param_type::enumeration;

    // The value in TOML syntax. Its own syntax errors are not reported: for a string they mean a bare
    // word, and for other types "cannot parse" says more than toml++'s view of "v = ...".
    std::vector<diagnostic> ignored;
    const std::string doc_text = "v = " + std::string(raw);
    const auto doc = parse_toml(doc_text, value_place.file, ignored);
    const toml::node* node = doc && doc->size() == 1 ? doc->get("v") : nullptr;

    // A bare word is a string; so is anything that is not a TOML string, for a string parameter
    // (run.name=2024 names a run "2024").
    if (textual && (!node || !node->is_string())) {
      accept(*p, value(std::string(raw)), value_place);
      return;
    }
    if (!node) {
      if (raw.empty())
        error(value_place, p->path + ": missing value (expected " + expected_text(*p) + ")");
      else
        error(value_place, p->path + ": cannot parse " + shown(raw) + " as " + expected_text(*p));
      failed_[index_of(*p)] = true;
      return;
    }
    read_param(*p, *node, value_place);
  }

  scenario finish() {
    if (!incomplete_) {
      for (const auto& rule : cross_rules()) {
        const bool any_failed = std::any_of(rule.paths.begin(), rule.paths.end(), [&](std::string_view path) {
          const param* p = find_param(path);
          CIVITAS_ASSERT(p != nullptr);
          return failed_[index_of(*p)];
        });
        if (any_failed) continue;
        const std::string message = rule.check(s_);
        if (message.empty()) continue;
        place at;  // no place when every parameter it reads kept its default
        for (const auto path : rule.paths)
          if (const auto& given = set_at_[index_of(*find_param(path))]) {
            at = *given;
            break;
          }
        error(at, message);
      }
    }
    if (diagnostics_.empty()) return s_;
    // toml++ tables iterate in key order; people read errors in file order, then --set order.
    const auto rank = [&](const diagnostic& d) {
      return std::tuple(d.file.empty() ? 2 : d.file == set_file ? 1 : 0, d.line, d.column);
    };
    std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                     [&](const diagnostic& a, const diagnostic& b) { return rank(a) < rank(b); });
    throw input_error(std::move(diagnostics_));
  }

 private:
  static std::string_view first_key_of(std::string_view section) {
    for (const auto& p : schema())
      if (p.path.size() > section.size() && p.path.starts_with(section) && p.path[section.size()] == '.')
        return std::string_view(p.path).substr(section.size() + 1);
    return {};
  }

  void error(const place& at, std::string message) {
    diagnostics_.push_back({at.file, at.line, at.column, std::move(message)});
  }

  place where(const toml::node& n, const toml::key& k) const {
    // Implicit tables may have no region of their own; the key always has one.
    return place_of(source_, n.source().begin.line > 0 ? n.source() : k.source());
  }

  // Walks only the tables the schema knows, so recursion depth is bounded by the schema, not the input.
  void read_table(const toml::table& table, const std::string& prefix) {
    for (auto&& [k, node] : table) {
      const std::string_view name = k.str();
      const std::string path = prefix.empty() ? std::string(name) : prefix + "." + std::string(name);
      // A quoted key such as "exchange.rule" = 1 is one key containing a dot, not a path.
      const bool plain = !name.empty() && name.find('.') == std::string_view::npos;
      if (const param* p = plain ? find_param(path) : nullptr) {
        read_param(*p, node, where(node, k));
      } else if (plain && is_section(path)) {
        if (const auto* sub = node.as_table())
          read_table(*sub, path);
        else
          error(where(node, k), path + ": expected a table, got " + std::string(describe(node.type())));
      } else if (node.is_table()) {
        error(place_of(source_, k.source()), "unknown section " + shown(path) + did_you_mean(path, section_paths()));
      } else {
        error(place_of(source_, k.source()), "unknown key " + shown(path) + did_you_mean(path, param_paths()));
      }
    }
  }

  void read_param(const param& p, const toml::node& node, const place& at) {
    auto converted = convert(p, node);
    if (auto* message = std::get_if<std::string>(&converted)) {
      error(at, p.path + ": " + *message);
      failed_[index_of(p)] = true;
      return;
    }
    accept(p, std::move(std::get<value>(converted)), at);
  }

  void accept(const param& p, value v, const place& at) {
    if (std::string message = p.check(v); !message.empty()) {
      error(at, p.path + ": " + message);
      failed_[index_of(p)] = true;
      return;
    }
    p.set(s_, v);
    set_at_[index_of(p)] = at;
  }

  std::string source_;
  scenario s_;
  std::vector<diagnostic> diagnostics_;
  std::vector<std::optional<place>> set_at_;  // per schema entry: where its value was last given
  std::vector<bool> failed_;                  // per schema entry: some value given for it was rejected
  bool incomplete_ = false;                   // the file did not parse; cross-field rules would mislead
};

}  // namespace

// ---------------------------------------------------------------------------------------------------
// [SECTION] public functions

std::vector<param_info> scenario_schema() {
  const scenario defaults;
  std::vector<param_info> out;
  for (const auto& p : schema()) out.push_back({p.path, type_text(p), toml_text(p.get(defaults)), p.range, p.doc});
  return out;
}

scenario parse_scenario(std::string_view text, const std::string& source_name,
                        const std::vector<std::string>& overrides) {
  reader r(source_name);
  r.read_text(text);
  for (std::size_t i = 0; i < overrides.size(); ++i) r.apply_override(overrides[i], static_cast<int>(i) + 1);
  return r.finish();
}

scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  const auto cannot_read = [&](int err) {
    return input_error(std::vector<diagnostic>{{path, 0, 0, std::string("cannot read scenario file: ") + std::strerror(err)}});
  };
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw cannot_read(errno);
  std::string text;
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  // A directory opens fine on Linux and fails on the first read (EISDIR).
  const int err = std::ferror(f) ? errno : 0;
  std::fclose(f);
  if (err != 0) throw cannot_read(err);
  return parse_scenario(text, path, overrides);
}

namespace {
// Whether the scenario's model reads a parameter: the exchange models ignore the society's, and the
// society ignores the exchange rules'.
bool read_by_model(const param& p, const scenario& s) {
  const bool society_only = p.section() == "society" || p.section() == "values" || p.section() == "governance" ||
                            p.path == "population.firms" || p.path == "population.charities";
  if (s.model != model_kind::society)
    return !society_only && p.section() != "social_credit" && p.section() != "daf" && p.section() != "alliance";
  if (p.section() == "social_credit") return s.regime == regime_kind::social_credit;
  if (p.section() == "daf") return s.regime == regime_kind::daf;
  if (p.section() == "alliance") return s.regime == regime_kind::alliance;
  return p.section() != "exchange";
}

}  // namespace

std::string canonical_toml(const scenario& s) {
  std::vector<std::string_view> sections;
  for (const auto& p : schema())
    if (read_by_model(p, s) && std::find(sections.begin(), sections.end(), p.section()) == sections.end())
      sections.push_back(p.section());
  std::string out;
  for (const auto section : sections) {
    if (!out.empty()) out += '\n';
    ((out += '[') += section) += "]\n";
    for (const auto& p : schema())
      if (p.section() == section && read_by_model(p, s)) (((out += p.key()) += " = ") += toml_text(p.get(s))) += '\n';
  }
  return out;
}

std::string_view to_string(activation_kind a) { return name_of(a, activation_names); }
std::string_view to_string(exchange_rule r) { return name_of(r, exchange_rule_names); }
std::string_view to_string(ledger_log l) { return name_of(l, ledger_log_names); }
std::string_view to_string(model_kind m) { return name_of(m, model_names); }
std::string_view to_string(social_graph g) { return name_of(g, social_graph_names); }
std::string_view to_string(regime_kind r) { return name_of(r, regime_names); }
std::string_view to_string(daf_rule r) { return name_of(r, daf_rule_names); }

}  // namespace civitas::io
