// The generic parameter reader: TOML text and --set overrides into a params::scenario, with every
// problem as a file:line:col diagnostic; the canonical text; listings. It knows no parameter by name:
// everything comes from the catalogue (params.hpp).
//
// Design:
// - Values travel as `value` (int64, double, bool or string; enums as their name). A value is converted
//   from TOML by type, checked against the parameter's range, and only then stored, so a struct never
//   holds an out-of-range value and `set` may narrow without checking.
// - Cross-field rules run once on the final values (file, then overrides) and are skipped when one of their
//   parameters already had an error, to avoid piling a consequence on a cause.
// - Every problem becomes a diagnostic; the reader throws one input_error at the end with all of them,
//   file diagnostics in file order, then --set ones in argument order.
// - toml++ recurses on nested tables and overflows the stack near 20,000 levels (a few hundred KB of
//   `[a.a.a...]`). `parse_toml` refuses lines with more than `max_dots_per_line` dots first: table depth
//   can only grow through dotted keys on one line and inline tables (capped at 256 by toml++), so this
//   bounds the depth to under a thousand whatever the input.
//
// [SECTION] values and their TOML text
// [SECTION] builders' checks
// [SECTION] catalogue and scenario
// [SECTION] did-you-mean
// [SECTION] reader
// [SECTION] public functions
#include <fcntl.h>
#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

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

#include "core/assert.hpp"
#include "core/error.hpp"
#include "params/params.hpp"
#include "params/toml_input.hpp"

namespace civitas::params {
namespace {

// ---------------------------------------------------------------------------------------------------
// [SECTION] values and their TOML text

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one (overlong forms,
// surrogates and code points above U+10FFFF included, as TOML requires).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  char32_t cp = 0;
  if ((c & 0xE0) == 0xC0)
    n = 2, cp = c & 0x1F;
  else if ((c & 0xF0) == 0xE0)
    n = 3, cp = c & 0x0F;
  else if ((c & 0xF8) == 0xF0)
    n = 4, cp = c & 0x07;
  else
    return 0;
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
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
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
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
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

bool ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

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
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

template <class Items>
std::string join(const Items& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

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
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::string_view last_component(std::string_view path) { return path.substr(path.rfind('.') + 1); }

// " (did you mean "x"?)" or "". A candidate whose last component equals the wrong name's is taken
// first, since the usual mistake is the section ("seed" at the top, "run.rule"); otherwise the nearest
// by edit distance, if near enough to be a typo rather than a different name.
template <class Candidates>
std::string did_you_mean(std::string_view wrong, const Candidates& candidates) {
  // Long inputs are not typos of short names, and the distance table is quadratic in length.
  if (wrong.size() > 200) return {};
  const auto leaf_matches = [&](std::string_view c) {
    return c != wrong && last_component(c) == last_component(wrong);
  };
  if (const auto it = std::find_if(candidates.begin(), candidates.end(), leaf_matches);
      it != candidates.end())
    return " (did you mean " + quoted(*it) + "?)";
  std::string_view best;
  std::size_t best_distance = std::max<std::size_t>(2, wrong.size() / 4) + 1;
  for (const auto& c : candidates) {
    // The distance is at least the difference in length: skip the quadratic table when that is too far.
    const std::size_t gap = wrong.size() > c.size() ? wrong.size() - c.size() : c.size() - wrong.size();
    // A quoted key holding a dot ("run.seed" = 1) equals a path but is not it: never suggest itself.
    if (gap >= best_distance || c == wrong) continue;
    const std::size_t d = edit_distance(wrong, c);
    if (d < best_distance) best = c, best_distance = d;
  }
  return best.empty() ? std::string() : " (did you mean " + quoted(best) + "?)";
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// [SECTION] builders' checks

std::string range_text(std::int64_t min, std::int64_t max) {
  return std::to_string(min) + " to " + std::to_string(max);
}

std::string range_text(interval i) {
  std::string r = shortest(i.min) + " to " + shortest(i.max);
  if (i.low == bound::exclusive) r += ", excluding " + shortest(i.min);
  if (i.high == bound::exclusive) r += ", excluding " + shortest(i.max);
  return r;
}

namespace {
std::string allowed_text(const text_rule& rule) {
  std::string allowed = "A-Z a-z 0-9";
  for (const char c : *rule.punctuation) (allowed += ' ') += c;
  return allowed;
}
}  // namespace

std::string range_text(const text_rule& rule) {
  std::string r = rule.min_chars > 0
                      ? std::to_string(rule.min_chars) + " to " + std::to_string(rule.max_chars)
                      : "at most " + std::to_string(rule.max_chars);
  r += " characters";
  if (rule.punctuation) r += ": " + allowed_text(rule);
  return r;
}

std::string check_integer(std::int64_t i, std::int64_t min, std::int64_t max, const std::string& range) {
  return i < min || i > max ? std::to_string(i) + " is out of range (" + range + ")" : std::string();
}

std::string check_floating(double d, interval r, const std::string& range) {
  const bool low = r.low == bound::inclusive ? d < r.min : d <= r.min;
  const bool high = r.high == bound::inclusive ? d > r.max : d >= r.max;
  return low || high ? toml_float(d) + " is out of range (" + range + ")" : std::string();
}

std::string check_text(const std::string& s, const text_rule& rule) {
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
      std::string msg = shown(s) + " may only contain " + allowed_text(rule);
      if (u > 0x20 && u < 0x7F)
        msg += std::string(" (found '") + c + "')";
      else if (u == ' ')
        msg += " (found a space)";
      return msg;
    }
  }
  return {};
}

std::string check_choice(const std::string& s, const std::vector<std::string>& choices) {
  if (std::find(choices.begin(), choices.end(), s) != choices.end()) return {};
  return shown(s) + " is not one of " + join(choices, ", ") + did_you_mean(s, choices);
}

// ---------------------------------------------------------------------------------------------------
// [SECTION] catalogue and scenario

void catalogue::add_section(section s) {
  for (const auto& existing : sections_) CIVITAS_ASSERT(existing.type != s.type);  // one mount per struct
  sections_.push_back(std::move(s));
  // Entries point into sections_, which just moved: rebuild them all.
  entries_.clear();
  for (std::size_t i = 0; i < sections_.size(); ++i)
    for (const param& p : sections_[i].params) {
      entries_.push_back({sections_[i].table + "." + p.key, i, &p});
      for (std::size_t j = 0; j + 1 < entries_.size(); ++j)
        CIVITAS_ASSERT(entries_[j].path != entries_.back().path);
    }
}

void catalogue::add_rule(std::vector<std::string> paths, std::function<std::string(const scenario&)> check) {
  rules_.push_back({std::move(paths), std::move(check)});
}

const catalogue::entry* catalogue::find(std::string_view path) const {
  const auto it =
      std::find_if(entries_.begin(), entries_.end(), [&](const entry& e) { return e.path == path; });
  return it == entries_.end() ? nullptr : &*it;
}

std::size_t catalogue::index_of(std::type_index type) const {
  for (std::size_t i = 0; i < sections_.size(); ++i)
    if (sections_[i].type == type) return i;
  CIVITAS_ASSERT(false && "parameter struct not mounted in the catalogue");
  return 0;
}

scenario::scenario(const catalogue& c) : catalogue_(&c) {
  for (const auto& s : c.sections()) sections_.push_back(s.make());
}

scenario::scenario(const scenario& other) : catalogue_(other.catalogue_) {
  for (std::size_t i = 0; i < other.sections_.size(); ++i)
    sections_.push_back(catalogue_->sections()[i].copy(other.sections_[i].get()));
}

scenario& scenario::operator=(const scenario& other) {
  if (this != &other) *this = scenario(other);
  return *this;
}

bool scenario::operator==(const scenario& other) const {
  if (catalogue_ != other.catalogue_) return false;
  for (const auto& e : catalogue_->entries())
    if (get(e) != other.get(e)) return false;
  return true;
}

namespace {

std::vector<std::string_view> param_paths(const catalogue& c) {
  std::vector<std::string_view> out;
  for (const auto& e : c.entries()) out.push_back(e.path);
  return out;
}

// Every table path the catalogue implies, in order: "run", and "a" and "a.b" for "a.b.c".
std::vector<std::string_view> section_paths(const catalogue& c) {
  std::vector<std::string_view> out;
  for (const auto& e : c.entries())
    for (std::size_t dot = e.path.find('.'); dot != std::string::npos; dot = e.path.find('.', dot + 1)) {
      const std::string_view s = std::string_view(e.path).substr(0, dot);
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
  return out;
}

bool is_section(const catalogue& c, std::string_view path) {
  const auto s = section_paths(c);
  return std::find(s.begin(), s.end(), path) != s.end();
}

std::string type_text(const param& p) {
  switch (p.type) {
    case param_type::integer:
      return "integer";
    case param_type::floating:
      return "float";
    case param_type::boolean:
      return "boolean";
    case param_type::string:
      return "string";
    case param_type::enumeration:
      return "one of: " + join(p.choices, ", ");
  }
  return "unknown";
}

std::string expected_text(const param& p) {
  switch (p.type) {
    case param_type::integer:
      return "an integer";
    case param_type::floating:
      return "a float";
    case param_type::boolean:
      return "a boolean";
    case param_type::string:
      return "a string";
    case param_type::enumeration:
      return "a string (one of " + join(p.choices, ", ") + ")";
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
constexpr std::size_t max_diagnostics = 100;
constexpr std::size_t max_scenario_bytes = 1 << 20;  // 1 MiB: a scenario is a page of settings

struct place {
  std::string file;
  int line = 0;
  int column = 0;
};

place place_of(const std::string& file, const toml::source_region& r) {
  return {file, static_cast<int>(r.begin.line), static_cast<int>(r.begin.column)};
}

// Parses TOML, turning both syntax errors and input too deep for toml++ into diagnostics.
std::optional<toml::table> parse_toml(std::string_view text, const std::string& file,
                                      std::vector<diagnostic>& out) {
  int line = 1;
  int column = 1;  // in characters, as toml++ counts
  std::size_t dots = 0;
  std::optional<diagnostic> bad_utf8;  // the first invalid byte or control character, named exactly
  for (std::size_t i = 0; i < text.size(); ++column) {
    if (text[i] == '\n') {
      ++line, dots = 0, column = 0, ++i;
      continue;
    }
    if (text[i] == '.' && ++dots > max_dots_per_line) {
      out.push_back({file, line, column,
                     "more than " + std::to_string(max_dots_per_line) +
                         " '.' on one line: keys nested this deep are not supported"});
      return std::nullopt;
    }
    const std::size_t n = utf8_sequence_length(text, i);
    const auto c = static_cast<unsigned char>(text[i]);
    // TOML allows no control character but tab anywhere (CR only before LF).
    const bool control =
        (c < 0x20 && c != '\t' && !(c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) || c == 0x7F;
    if ((n == 0 || control) && !bad_utf8) {
      char code[16];
      std::snprintf(code, sizeof code, n == 0 ? "byte 0x%02X" : "U+%04X", c);
      bad_utf8 = diagnostic{file, line, column,
                            std::string(n == 0 ? "invalid UTF-8 (" : "control character (") + code + ")"};
    }
    i += n == 0 ? 1 : n;
  }
  try {
    auto table = toml::parse(text, std::string_view(file));
    if (!bad_utf8) return table;
    out.push_back(*bad_utf8);  // TOML requires UTF-8 even where toml++ let it pass
  } catch (const toml::parse_error& e) {
    // toml++ names the character before an invalid UTF-8 byte: name the byte itself. Otherwise the first
    // fault in the file is reported: the bad byte or control character, or toml++'s error if earlier.
    const std::string_view what = e.description();
    const auto before = [&](const diagnostic& d) {
      return std::pair(d.line, d.column) <=
             std::pair(static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column));
    };
    if (bad_utf8 && (what.find("utf-8") != std::string_view::npos || before(*bad_utf8)))
      out.push_back(*bad_utf8);
    else
      out.push_back({file, static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column),
                     std::string(what)});
  }
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

class reader {
 public:
  reader(const catalogue& c, std::string source_name)
      : c_(c),
        source_(std::move(source_name)),
        s_(c),
        set_at_(c.entries().size()),
        failed_(c.entries().size(), false) {}

  void read_text(std::string_view text) {
    std::vector<diagnostic> syntax;
    const auto doc = parse_toml(text, source_, syntax);
    for (auto& d : syntax) error({d.file, d.line, d.column}, std::move(d.message));
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
    const catalogue::entry* e = c_.find(key);
    if (!e) {
      const std::string name = shown(key);
      if (is_section(c_, key))
        error(key_place, name + " is a section; set one of its parameters, such as " +
                             quoted(std::string(key) + "." + std::string(first_key_of(key))));
      else
        error_with(key_place, [this, name, key = std::string(key)] {
          return "unknown key " + name + did_you_mean(key, param_paths(c_));
        });
      return;
    }
    const param& p = *e->p;
    std::size_t value_start = eq + 1;
    while (value_start < text.size() && (text[value_start] == ' ' || text[value_start] == '\t'))
      ++value_start;
    const place value_place{std::string(set_file), index, static_cast<int>(value_start) + 1};
    const std::string_view raw = trim(text.substr(eq + 1));
    const bool textual = p.type == param_type::string || p.type == param_type::enumeration;

    // The value in TOML syntax. Its own syntax errors are not reported: for a string they mean a bare
    // word, and for other types "cannot parse" says more than toml++'s view of "v = ...".
    std::vector<diagnostic> ignored;
    const std::string doc_text = "v = " + std::string(raw);
    const auto doc = parse_toml(doc_text, value_place.file, ignored);
    const toml::node* node = doc && doc->size() == 1 ? doc->get("v") : nullptr;

    // A bare word is a string; so is anything that is not a TOML string, for a string parameter
    // (run.name=2024 names a run "2024").
    if (textual && (!node || !node->is_string())) {
      accept(*e, value(std::string(raw)), value_place);
      return;
    }
    if (!node) {
      if (raw.empty())
        error(value_place, e->path + ": missing value (expected " + expected_text(p) + ")");
      else
        error(value_place, e->path + ": cannot parse " + shown(raw) + " as " + expected_text(p));
      failed_[index_of(*e)] = true;
      return;
    }
    read_param(*e, *node, value_place);
  }

  scenario finish() {
    if (!incomplete_) {
      for (const auto& rule : c_.rules()) {
        const bool any_failed =
            std::any_of(rule.paths.begin(), rule.paths.end(), [&](const std::string& path) {
              const catalogue::entry* e = c_.find(path);
              CIVITAS_ASSERT(e != nullptr);
              return failed_[index_of(*e)];
            });
        if (any_failed) continue;
        const std::string message = rule.check(s_);
        if (message.empty()) continue;
        place at;  // no place when every parameter it reads kept its default
        for (const auto& path : rule.paths)
          if (const auto& given = set_at_[index_of(*c_.find(path))]) {
            at = *given;
            break;
          }
        error(at, message);
      }
    }
    if (kept_.empty()) return s_;
    // The kept errors in file order, then --set order; only now are their messages built.
    std::sort(kept_.begin(), kept_.end(), [](const pending& a, const pending& b) { return a.rank < b.rank; });
    std::vector<diagnostic> out;
    out.reserve(kept_.size() + 1);
    for (auto& k : kept_) out.push_back({k.at.file, k.at.line, k.at.column, k.message()});
    if (dropped_ > 0)
      out.push_back({"", 0, 0, "... and " + std::to_string(dropped_) + " more errors not shown"});
    throw input_error(std::move(out));
  }

 private:
  std::size_t index_of(const catalogue::entry& e) const {
    return static_cast<std::size_t>(&e - c_.entries().data());
  }

  std::string_view first_key_of(std::string_view section) const {
    for (const auto& e : c_.entries())
      if (e.path.size() > section.size() && e.path.starts_with(section) && e.path[section.size()] == '.')
        return std::string_view(e.path).substr(section.size() + 1);
    return {};
  }

  // At most max_diagnostics are kept (a file of a million unknown keys must not print a million lines):
  // the first ones in file order, then --set order, then those without a place; the rest are counted.
  // toml++ walks tables in key order, so an error found later may come earlier in the file: the kept
  // ones are a max-heap on that order, and an earlier error pushes out the latest kept.
  void error(const place& at, std::string message) {
    error_with(at, [m = std::move(message)] { return m; });
  }

  // error() for a message that is costly to build (did-you-mean): built only for the errors printed, so
  // a file of thousands of unknown keys does not spend seconds on suggestions nobody sees.
  template <class Message>
  void error_with(const place& at, Message&& message) {
    const int source_kind = at.file.empty() ? 2 : at.file == set_file ? 1 : 0;
    pending p{{source_kind, at.line, at.column, next_error_++}, at, std::forward<Message>(message)};
    const auto later = [](const pending& a, const pending& b) { return a.rank < b.rank; };
    if (kept_.size() < max_diagnostics) {
      kept_.push_back(std::move(p));
      std::push_heap(kept_.begin(), kept_.end(), later);
      return;
    }
    ++dropped_;
    if (!(p.rank < kept_.front().rank)) return;
    std::pop_heap(kept_.begin(), kept_.end(), later);
    kept_.back() = std::move(p);
    std::push_heap(kept_.begin(), kept_.end(), later);
  }

  place where(const toml::node& n, const toml::key& k) const {
    // Implicit tables may have no region of their own; the key always has one.
    return place_of(source_, n.source().begin.line > 0 ? n.source() : k.source());
  }

  // Walks only the tables the catalogue knows, so recursion depth is bounded by it, not by the input.
  void read_table(const toml::table& table, const std::string& prefix) {
    for (auto&& [k, node] : table) {
      const std::string_view name = k.str();
      const std::string path = prefix.empty() ? std::string(name) : prefix + "." + std::string(name);
      // A quoted key such as "exchange.rule" = 1 is one key containing a dot, not a path.
      const bool plain = !name.empty() && name.find('.') == std::string_view::npos;
      if (const catalogue::entry* e = plain ? c_.find(path) : nullptr) {
        read_param(*e, node, where(node, k));
      } else if (plain && is_section(c_, path)) {
        if (const auto* sub = node.as_table())
          read_table(*sub, path);
        else
          error(where(node, k), path + ": expected a table, got " + std::string(describe(node.type())));
      } else if (node.is_table()) {
        error_with(place_of(source_, k.source()), [this, path] {
          return "unknown section " + shown(path) + did_you_mean(path, section_paths(c_));
        });
      } else {
        error_with(place_of(source_, k.source()), [this, path] {
          return "unknown key " + shown(path) + did_you_mean(path, param_paths(c_));
        });
      }
    }
  }

  void read_param(const catalogue::entry& e, const toml::node& node, const place& at) {
    auto converted = convert(*e.p, node);
    if (auto* message = std::get_if<std::string>(&converted)) {
      error(at, e.path + ": " + *message);
      failed_[index_of(e)] = true;
      return;
    }
    accept(e, std::move(std::get<value>(converted)), at);
  }

  void accept(const catalogue::entry& e, value v, const place& at) {
    if (std::string message = e.p->check(v); !message.empty()) {
      error(at, e.path + ": " + message);
      failed_[index_of(e)] = true;
      return;
    }
    s_.set(e, v);
    set_at_[index_of(e)] = at;
  }

  const catalogue& c_;
  std::string source_;
  scenario s_;
  // An error not yet printed: its order (source kind, line, column, then the order found) and its message.
  struct pending {
    std::tuple<int, int, int, std::size_t> rank;
    place at;
    std::function<std::string()> message;
  };
  std::vector<pending> kept_;  // a max-heap on rank, at most max_diagnostics
  std::size_t next_error_ = 0;
  std::vector<std::optional<place>> set_at_;  // per entry: where its value was last given
  std::vector<bool> failed_;                  // per entry: some value given for it was rejected
  bool incomplete_ = false;                   // the file did not parse; cross-field rules would mislead
  std::size_t dropped_ = 0;                   // errors beyond max_diagnostics
};

}  // namespace

// ---------------------------------------------------------------------------------------------------
// [SECTION] public functions

std::vector<param_info> list(const catalogue& c) {
  const scenario defaults(c);
  std::vector<param_info> out;
  for (const auto& e : c.entries())
    out.push_back({e.path, c.sections()[e.section].table, type_text(*e.p), toml_text(defaults.get(e)),
                   e.p->range, e.p->unit, e.p->doc, e.p->source});
  return out;
}

scenario parse(const catalogue& c, std::string_view text, const std::string& source_name,
               const std::vector<std::string>& overrides) {
  reader r(c, source_name);
  r.read_text(text);
  for (std::size_t i = 0; i < overrides.size(); ++i) r.apply_override(overrides[i], static_cast<int>(i) + 1);
  return r.finish();
}

std::optional<toml::table> parse_toml_document(std::string_view text, const std::string& file,
                                               std::vector<diagnostic>& out) {
  return parse_toml(text, file, out);
}
std::string_view node_type_text(toml::node_type t) { return describe(t); }
std::string suggest(std::string_view wrong, const std::vector<std::string>& candidates) {
  return did_you_mean(wrong, candidates);
}
std::string quote(std::string_view s) { return shown(s); }
std::string toml_value_text(const value& v) { return toml_text(v); }

std::string read_input_file(const std::string& path, const std::string& what, std::size_t max_bytes) {
  const auto cannot_read = [&](int err) {
    return input_error(
        std::vector<diagnostic>{{path, 0, 0, "cannot read " + what + " file: " + std::strerror(err)}});
  };
  const auto refuse = [&](const std::string& why) {
    return input_error(std::vector<diagnostic>{{path, 0, 0, "cannot read " + what + " file: " + why}});
  };
  // Non-blocking, so a FIFO cannot hang the open; then only a regular file of a bounded size is read
  // (`run /dev/zero` must not read without end).
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw cannot_read(errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    throw cannot_read(err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw refuse(S_ISDIR(st.st_mode) ? std::string(std::strerror(EISDIR))
                                     : std::string("it is not a regular file (a device, FIFO or socket)"));
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    throw refuse("it is " + std::to_string(st.st_size) + " bytes; a " + what + " file is at most " +
                 std::to_string(max_bytes) + " bytes");
  }
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw cannot_read(err);
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > max_bytes) {  // it grew while we read
      ::close(fd);
      throw refuse("it is more than " + std::to_string(max_bytes) + " bytes");
    }
  }
  ::close(fd);
  return text;
}

scenario load(const catalogue& c, const std::string& path, const std::vector<std::string>& overrides) {
  return parse(c, read_input_file(path, "scenario", max_scenario_bytes), path, overrides);
}

void catalogue::exclude_from_identity(std::string table) { output_only_.push_back(std::move(table)); }

bool catalogue::in_identity(std::string_view table) const {
  return std::find(output_only_.begin(), output_only_.end(), table) == output_only_.end();
}

namespace {
std::string toml_of(const scenario& s, bool identity_only) {
  const catalogue& c = s.schema();
  const auto read = [&](const catalogue::section& sec) { return !sec.read || sec.read(s); };
  std::vector<std::string_view> tables;
  for (const auto& sec : c.sections())
    if (read(sec) && !sec.params.empty() && (!identity_only || c.in_identity(sec.table)) &&
        std::find(tables.begin(), tables.end(), sec.table) == tables.end())
      tables.push_back(sec.table);
  std::string out;
  for (const auto table : tables) {
    if (!out.empty()) out += '\n';
    ((out += '[') += table) += "]\n";
    for (const auto& e : c.entries()) {
      const auto& sec = c.sections()[e.section];
      if (sec.table == table && read(sec)) (((out += e.p->key) += " = ") += toml_text(s.get(e))) += '\n';
    }
  }
  return out;
}
}  // namespace

std::string canonical_toml(const scenario& s) { return toml_of(s, false); }
std::string identity_toml(const scenario& s) { return toml_of(s, true); }

}  // namespace civitas::params
