#include "scoring/modern_slavery.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/error.hpp"

#ifndef CIVITAS_SOURCE_DIR
#error "CIVITAS_SOURCE_DIR must name the repository root (the engine's CMake target defines it)"
#endif

namespace civitas::scoring {
namespace {
std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    out.push_back(trim(std::string_view(line).substr(start, comma - start)));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

// Whole-string parses: "12x" or "" are errors, not 12 or 0.
template <typename T>
bool parse_whole(const std::string& text, T& out) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

std::string number_text(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}
}  // namespace

const char* rag_name(rag r) {
  switch (r) {
    case rag::red:
      return "Red";
    case rag::amber:
      return "Amber";
    case rag::green:
      return "Green";
  }
  return "?";
}

rag rag_of(double score) {
  if (score > 2) return rag::green;
  if (score >= 0.5) return rag::amber;
  return rag::red;  // also NaN, which only a bug could produce: the cautious rating
}

modern_slavery_result modern_slavery(double total_salary, double staff, double sentiment,
                                     double hourly_minimum_wage) {
  if (!std::isfinite(total_salary) || total_salary < 0)
    throw input_error("modern slavery: total salary must be a finite amount >= 0, got " +
                      number_text(total_salary));
  if (!std::isfinite(staff) || staff <= 0)
    throw input_error("modern slavery: staff must be positive, got " + number_text(staff));
  if (!std::isfinite(sentiment) || sentiment < 0 || sentiment > 100)
    throw input_error("modern slavery: sentiment must be in [0, 100], got " + number_text(sentiment));
  if (!std::isfinite(hourly_minimum_wage) || hourly_minimum_wage <= 0)
    throw input_error("modern slavery: hourly minimum wage must be positive, got " +
                      number_text(hourly_minimum_wage));
  modern_slavery_result r;
  r.average_salary = total_salary / staff;
  r.adjusted_salary = r.average_salary + r.average_salary * (sentiment - 50) / 100;
  r.annual_minimum_wage = hourly_minimum_wage * full_time_hours_per_year;
  r.score = r.adjusted_salary / r.annual_minimum_wage;
  r.rating = rag_of(r.score);
  return r;
}

modern_slavery_result modern_slavery(double total_salary, double staff, double sentiment, int year,
                                     const minimum_wage_table& table) {
  return modern_slavery(total_salary, staff, sentiment, table.hourly(year));
}

minimum_wage_table minimum_wage_table::load(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::ifstream in(path);
  if (!in) throw input_error(std::vector<diagnostic>{{file, 0, 0, "cannot open the minimum wage table"}});
  auto fail = [&](int line, std::string message) {
    throw input_error(std::vector<diagnostic>{{file, line, 0, std::move(message)}});
  };

  minimum_wage_table table;
  table.source_ = path;
  bool header_seen = false;
  std::string raw;
  for (int line_no = 1; std::getline(in, raw); ++line_no) {
    const std::string line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    const std::vector<std::string> fields = split_fields(line);
    if (!header_seen) {
      if (fields.size() != 2 || fields[0] != "year" || fields[1] != "hourly_gbp")
        fail(line_no, "expected the header `year,hourly_gbp`, got `" + line + "`");
      header_seen = true;
      continue;
    }
    if (fields.size() != 2) fail(line_no, "expected `year,hourly_gbp`, got `" + line + "`");
    int year = 0;
    double hourly = 0;
    if (!parse_whole(fields[0], year)) fail(line_no, "year is not an integer: `" + fields[0] + "`");
    if (!parse_whole(fields[1], hourly) || !std::isfinite(hourly) || hourly <= 0)
      fail(line_no, "hourly_gbp is not a positive amount: `" + fields[1] + "`");
    if (!table.hourly_.emplace(year, hourly).second) fail(line_no, "year " + fields[0] + " appears twice");
  }
  if (table.hourly_.empty())
    fail(0, header_seen ? "the table has a header but no rows"
                        : "the table is empty (no `year,hourly_gbp` header)");
  return table;
}

minimum_wage_table minimum_wage_table::load_default() { return load(default_minimum_wage_path()); }

double minimum_wage_table::hourly(int year) const {
  const auto it = hourly_.find(year);
  if (it == hourly_.end())
    throw input_error("no UK minimum wage for year " + std::to_string(year) + " in " + source_.string() +
                      "; known years: " + known_years());
  return it->second;
}

std::string minimum_wage_table::known_years() const {
  if (hourly_.empty()) return "none";
  const int first = hourly_.begin()->first, last = hourly_.rbegin()->first;
  if (static_cast<std::size_t>(last - first) + 1 == hourly_.size())
    return first == last ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(last);
  std::string out;
  for (const auto& [year, wage] : hourly_) out += (out.empty() ? "" : ", ") + std::to_string(year);
  return out;
}

std::filesystem::path data_dir() {
  if (const char* env = std::getenv("CIVITAS_DATA_DIR"); env && *env) return env;
  return std::filesystem::path(CIVITAS_SOURCE_DIR) / "data";
}

std::filesystem::path default_minimum_wage_path() { return data_dir() / "minimum_wage_uk.csv"; }

}  // namespace civitas::scoring
