// Modern Slavery risk of a firm (docs/domain.md §6).
//
//   avg = total salary / staff
//   MS  = (avg + avg (sentiment - 50)/100) / (minimum wage[year] x 2040 h)
//   RAG: Green when MS > 2, Amber when 0.5 <= MS <= 2 (both ends inclusive), Red when MS < 0.5.
//
// Staff sentiment (0..100, 50 neutral) scales pay up or down by up to half: content staff count as better
// paid than their salary says, unhappy staff as worse. The result is compared with a full-time year (2040 h)
// at the UK adult minimum wage, read from data/minimum_wage_uk.csv (`year,hourly_gbp`, '#' comment lines).
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace civitas::scoring {

// Full-time hours in a year (40 h x 51 weeks) used to annualise the hourly minimum wage.
inline constexpr double full_time_hours_per_year = 2040.0;

enum class rag { red, amber, green };
const char* rag_name(rag r);  // "Red", "Amber", "Green"
rag rag_of(double modern_slavery_score);

struct modern_slavery_result {
  double average_salary = 0;       // GBP per staff member per year
  double adjusted_salary = 0;      // average scaled by sentiment, GBP per year
  double annual_minimum_wage = 0;  // hourly minimum x 2040 h, GBP per year
  double score = 0;                // MS
  rag rating = rag::red;
};

// total_salary in GBP per year (>= 0); staff > 0; sentiment in [0, 100]; hourly_minimum_wage in GBP (> 0).
// Throws civitas::input_error when an input is outside those ranges.
modern_slavery_result modern_slavery(double total_salary, double staff, double sentiment,
                                     double hourly_minimum_wage);

// The UK minimum wage by year.
class minimum_wage_table {
 public:
  // Reads `year,hourly_gbp` CSV: a header line, then one row per year; blank lines and lines starting with
  // '#' are skipped. Throws civitas::input_error naming path:line for a missing file, a missing header,
  // a malformed row, a non-positive wage or a repeated year.
  static minimum_wage_table load(const std::filesystem::path& path);
  // load(default_minimum_wage_path()).
  static minimum_wage_table load_default();

  bool contains(int year) const { return hourly_.count(year) != 0; }
  // GBP per hour; throws civitas::input_error listing the known years when `year` is not in the table.
  double hourly(int year) const;
  // The known years, e.g. "2012-2018" (or a comma-separated list when the years have gaps).
  std::string known_years() const;
  const std::filesystem::path& source() const { return source_; }

 private:
  std::filesystem::path source_;
  std::map<int, double> hourly_;
};

// $CIVITAS_DATA_DIR when set, else the repository's data/ directory (CIVITAS_SOURCE_DIR "/data").
std::filesystem::path data_dir();
// data_dir() / "minimum_wage_uk.csv".
std::filesystem::path default_minimum_wage_path();

// modern_slavery() with the hourly minimum wage of `year` taken from `table`.
modern_slavery_result modern_slavery(double total_salary, double staff, double sentiment, int year,
                                     const minimum_wage_table& table);

}  // namespace civitas::scoring
