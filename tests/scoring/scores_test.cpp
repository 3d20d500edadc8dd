// The worked numbers of docs/domain.md §6, to 4 decimals, and the edges of each score.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "scoring/alignment.hpp"
#include "scoring/modern_slavery.hpp"
#include "scoring/personal_value.hpp"
#include "scoring/se_ratio.hpp"

using namespace civitas;
using namespace civitas::scoring;

namespace {
constexpr double four_decimals = 5e-5;

// The docs/domain.md S/E example: e = 10, N_T = 1000, C = 1m, S = 1000, A = 10m, staff 50, tau 100, p 1000, M
// 0.5m.
se_ratio_inputs worked_se(double positive, double neutral, double negative) {
  se_ratio_inputs in;
  in.positive = positive;
  in.neutral = neutral;
  in.negative = negative;
  in.margin_pct = 10;
  in.target_population = 1000;
  in.csr_spend = 1e6;
  in.service_users = 1000;
  in.net_assets = 10e6;
  in.staff = 50;
  in.co2_tonnes = 100;
  in.people_benefiting = 1000;
  in.money_leveraged = 0.5e6;
  return in;
}

// A scratch directory for table files, removed with its contents at the end of the test.
class temp_dir {
 public:
  temp_dir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            (std::string("civitas_scores_") + info->name() + "_" + std::to_string(::getpid()));
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() { std::filesystem::remove_all(path_); }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    const auto p = path_ / name;
    std::ofstream(p) << text;
    return p;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The single diagnostic of an input_error thrown by `f`.
template <typename F>
diagnostic diagnostic_of(F&& f) {
  try {
    f();
  } catch (const input_error& e) {
    EXPECT_EQ(e.diagnostics().size(), 1u);
    return e.diagnostics().front();
  }
  ADD_FAILURE() << "expected civitas::input_error";
  return {};
}
}  // namespace

// ---------------------------------------------------------------------------------------------------------
// S/E ratio

TEST(SeRatio, WorkedExampleWithoutCorrection) {
  const se_ratio_result r = se_ratio(worked_se(60, 30, 10));
  EXPECT_DOUBLE_EQ(r.n, 100);
  EXPECT_NEAR(r.n_c, 68.0625, 1e-9);  // 1.65^2 x 0.25 / 0.1^2
  EXPECT_NEAR(r.n_r, 68.0625 / 1.0680625, 1e-9);
  EXPECT_FALSE(r.corrected);
  EXPECT_DOUBLE_EQ(r.margin_used_pct, 10);
  EXPECT_DOUBLE_EQ(r.positive_adjusted, 60);
  EXPECT_DOUBLE_EQ(r.environment, 5400);
  EXPECT_DOUBLE_EQ(r.people, 1050);
  EXPECT_NEAR(r.sentiment_value, 6.3e6, 1e-6);
  EXPECT_NEAR(r.se_ratio, 7.8054, four_decimals);
  EXPECT_NEAR(r.social_impact, 7.8054e6, 1);
  EXPECT_NEAR(r.added_social_value / 1e6, 6.8054, four_decimals);
}

TEST(SeRatio, WorkedExampleWithSmallSampleCorrection) {
  const se_ratio_result r = se_ratio(worked_se(18, 9, 3));
  EXPECT_DOUBLE_EQ(r.n, 30);
  EXPECT_TRUE(r.corrected);
  EXPECT_NEAR(r.margin_used_pct, 15.0624, four_decimals);
  EXPECT_NEAR(r.positive_adjusted, 17.0888, four_decimals);
  EXPECT_NEAR(r.se_ratio, 7.4865, four_decimals);
  EXPECT_NEAR(r.added_social_value, r.social_impact - 1e6, 1e-6);
}

TEST(SeRatio, CorrectionNeedsBothSampleSizesUnmet) {
  // A tiny population: n_r falls below n, so 30 responses are enough even though n < n_c.
  se_ratio_inputs in = worked_se(18, 9, 3);
  in.target_population = 40;
  const se_ratio_result r = se_ratio(in);
  EXPECT_LT(r.n, r.n_c);
  EXPECT_GE(r.n, r.n_r);
  EXPECT_FALSE(r.corrected);
  EXPECT_DOUBLE_EQ(r.positive_adjusted, 18);
}

TEST(SeRatio, RejectsBadInputs) {
  auto with = [](auto change) {
    se_ratio_inputs in = worked_se(60, 30, 10);
    change(in);
    return in;
  };
  EXPECT_THROW(se_ratio(worked_se(0, 0, 0)), input_error);
  EXPECT_THROW(se_ratio(worked_se(-1, 30, 10)), input_error);
  EXPECT_THROW(se_ratio(with([](se_ratio_inputs& in) { in.csr_spend = 0; })), input_error);
  EXPECT_THROW(se_ratio(with([](se_ratio_inputs& in) { in.service_users = 0; })), input_error);
  EXPECT_THROW(se_ratio(with([](se_ratio_inputs& in) { in.staff = -3; })), input_error);
  EXPECT_THROW(se_ratio(with([](se_ratio_inputs& in) { in.margin_pct = 0; })), input_error);
  EXPECT_THROW(se_ratio(with([](se_ratio_inputs& in) { in.margin_pct = 100; })), input_error);
  EXPECT_THROW(se_ratio(with([](se_ratio_inputs& in) { in.target_population = 0; })), input_error);
  EXPECT_THROW(se_ratio(with([](se_ratio_inputs& in) { in.net_assets = NAN; })), input_error);
}

// ---------------------------------------------------------------------------------------------------------
// Modern Slavery

TEST(ModernSlavery, WorkedExamples2018) {
  const minimum_wage_table table = minimum_wage_table::load_default();
  ASSERT_DOUBLE_EQ(table.hourly(2018), 7.83);

  const modern_slavery_result amber = modern_slavery(1e6, 50, 70, 2018, table);
  EXPECT_DOUBLE_EQ(amber.average_salary, 20000);
  EXPECT_DOUBLE_EQ(amber.adjusted_salary, 24000);
  EXPECT_NEAR(amber.annual_minimum_wage, 15973.2, 1e-9);
  EXPECT_NEAR(amber.score, 1.5025, four_decimals);
  EXPECT_EQ(amber.rating, rag::amber);

  const modern_slavery_result green = modern_slavery(2e6, 50, 50, 2018, table);
  EXPECT_NEAR(green.score, 2.504, 5e-4);  // docs/domain.md gives three decimals
  EXPECT_NEAR(green.score, 2.5042, four_decimals);
  EXPECT_EQ(green.rating, rag::green);

  const modern_slavery_result red = modern_slavery(0.3e6, 50, 30, 2018, table);
  EXPECT_NEAR(red.score, 0.3005, four_decimals);
  EXPECT_EQ(red.rating, rag::red);
}

TEST(ModernSlavery, RagBoundariesAreAmberOnBothEnds) {
  EXPECT_EQ(rag_of(0.5), rag::amber);
  EXPECT_EQ(rag_of(2.0), rag::amber);
  EXPECT_EQ(rag_of(std::nextafter(0.5, 0.0)), rag::red);
  EXPECT_EQ(rag_of(std::nextafter(2.0, 3.0)), rag::green);
  // The same through the formula: a GBP 10/h wage makes a year 20,400, and sentiment 50 leaves pay as it is.
  EXPECT_EQ(modern_slavery(50 * 40800.0, 50, 50, 10.0).score, 2.0);
  EXPECT_EQ(modern_slavery(50 * 40800.0, 50, 50, 10.0).rating, rag::amber);
  EXPECT_EQ(modern_slavery(50 * 10200.0, 50, 50, 10.0).score, 0.5);
  EXPECT_EQ(modern_slavery(50 * 10200.0, 50, 50, 10.0).rating, rag::amber);
  EXPECT_STREQ(rag_name(rag::red), "Red");
  EXPECT_STREQ(rag_name(rag::amber), "Amber");
  EXPECT_STREQ(rag_name(rag::green), "Green");
}

TEST(ModernSlavery, RejectsBadInputs) {
  EXPECT_THROW(modern_slavery(1e6, 0, 70, 7.83), input_error);
  EXPECT_THROW(modern_slavery(1e6, -3, 70, 7.83), input_error);
  EXPECT_THROW(modern_slavery(1e6, 50, -1, 7.83), input_error);
  EXPECT_THROW(modern_slavery(1e6, 50, 101, 7.83), input_error);
  EXPECT_THROW(modern_slavery(-1, 50, 70, 7.83), input_error);
  EXPECT_THROW(modern_slavery(1e6, 50, 70, 0.0), input_error);
}

TEST(MinimumWageTable, ShippedTableCoversDomainYears) {
  const minimum_wage_table table = minimum_wage_table::load_default();
  const double expected[] = {6.19, 6.31, 6.50, 6.70, 7.20, 7.50, 7.83};
  for (int year = 2012; year <= 2018; ++year)
    EXPECT_DOUBLE_EQ(table.hourly(year), expected[year - 2012]) << year;
  EXPECT_EQ(table.known_years(), "2012-2018");
  EXPECT_FALSE(table.contains(2011));
  EXPECT_FALSE(table.contains(2019));
}

TEST(MinimumWageTable, UnknownYearListsKnownRange) {
  const minimum_wage_table table = minimum_wage_table::load_default();
  const diagnostic d = diagnostic_of([&] { table.hourly(1999); });
  EXPECT_NE(d.message.find("1999"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("2012-2018"), std::string::npos) << d.message;
  EXPECT_THROW(modern_slavery(1e6, 50, 70, 2019, table), input_error);
}

TEST(MinimumWageTable, MissingFileNamesThePath) {
  const temp_dir dir;
  const auto missing = dir.path() / "no_such_table.csv";
  const diagnostic d = diagnostic_of([&] { minimum_wage_table::load(missing); });
  EXPECT_EQ(d.file, missing.string());
  EXPECT_EQ(d.line, 0);
}

TEST(MinimumWageTable, BadLinesNamePathAndLine) {
  const temp_dir dir;
  struct bad_case {
    const char* text;
    int line;
  };
  const bad_case cases[] = {
      {"# comment\nyear,hourly_gbp\n2012,6.19\n2013,abc\n", 4},  // not a number
      {"year,hourly_gbp\n2012,6.19,7\n", 2},                     // too many fields
      {"year,hourly_gbp\ntwenty,6.19\n", 2},                     // year not an integer
      {"year,hourly_gbp\n2012,-1\n", 2},                         // non-positive wage
      {"year,hourly_gbp\n2012,6.19\n\n2012,6.20\n", 4},          // repeated year
      {"yr,wage\n2012,6.19\n", 1},                               // wrong header
      {"2012,6.19\n", 1},                                        // no header
  };
  for (const bad_case& c : cases) {
    const auto path = dir.write("table.csv", c.text);
    try {
      minimum_wage_table::load(path);
      ADD_FAILURE() << "accepted:\n" << c.text;
    } catch (const input_error& e) {
      ASSERT_EQ(e.diagnostics().size(), 1u);
      EXPECT_EQ(e.diagnostics().front().file, path.string());
      EXPECT_EQ(e.diagnostics().front().line, c.line) << c.text;
      const std::string where = path.string() + ":" + std::to_string(c.line) + ": ";
      EXPECT_EQ(std::string(e.what()).rfind(where, 0), 0u) << e.what();
    }
  }
}

TEST(MinimumWageTable, SkipsCommentsAndBlankLinesAndReportsGaps) {
  const temp_dir dir;
  const auto path = dir.write(
      "table.csv", "# a comment\r\n\r\nyear, hourly_gbp\r\n  # indented comment\r\n2014,6.5\r\n2016,7.2\r\n");
  const minimum_wage_table table = minimum_wage_table::load(path);
  EXPECT_DOUBLE_EQ(table.hourly(2014), 6.5);
  EXPECT_DOUBLE_EQ(table.hourly(2016), 7.2);
  EXPECT_EQ(table.known_years(), "2014, 2016");
  EXPECT_EQ(table.source(), path);
}

TEST(MinimumWageTable, EmptyTableIsAnError) {
  const temp_dir dir;
  EXPECT_THROW(minimum_wage_table::load(dir.write("a.csv", "# only a comment\n")), input_error);
  EXPECT_THROW(minimum_wage_table::load(dir.write("b.csv", "year,hourly_gbp\n")), input_error);
}

TEST(MinimumWageTable, DataDirCanBeOverridden) {
  const char* old = std::getenv("CIVITAS_DATA_DIR");
  const std::string saved = old ? old : "";
  ::setenv("CIVITAS_DATA_DIR", "/elsewhere", 1);
  EXPECT_EQ(default_minimum_wage_path(), std::filesystem::path("/elsewhere/minimum_wage_uk.csv"));
  ::unsetenv("CIVITAS_DATA_DIR");
  EXPECT_EQ(data_dir(), std::filesystem::path(CIVITAS_SOURCE_DIR) / "data");
  if (old) ::setenv("CIVITAS_DATA_DIR", saved.c_str(), 1);
}

// ---------------------------------------------------------------------------------------------------------
// Personal Value

TEST(PersonalValue, WorkedExample) {
  personal_value_inputs in;
  in.worth = 200000;
  in.co2_tonnes = 2;
  in.giving = 1000;
  in.people = 10;
  in.money_leveraged = 0;
  const personal_value_result r = personal_value(in);
  EXPECT_DOUBLE_EQ(r.environment, 108);
  EXPECT_DOUBLE_EQ(r.people_value, 1e6);
  EXPECT_DOUBLE_EQ(r.numerator, 1001108);
  EXPECT_NEAR(r.cv, 1001.108, 1e-9);
  EXPECT_NEAR(r.log2_cv, std::log2(1001.108), 1e-12);
  EXPECT_DOUBLE_EQ(r.pv, 10.0);
}

TEST(PersonalValue, RoundsToOneDecimal) {
  personal_value_inputs in;
  in.giving = 1000;
  in.money_leveraged = 1000;  // cv = 2: log2 exactly 1
  EXPECT_DOUBLE_EQ(personal_value(in).pv, 1.0);
  in.money_leveraged = 1828.427;  // cv ~ 2.828: log2 ~ 1.49999
  EXPECT_DOUBLE_EQ(personal_value(in).pv, 1.5);
  in.money_leveraged = 0;  // cv = 1: log2 0
  EXPECT_DOUBLE_EQ(personal_value(in).pv, 0.0);
}

TEST(PersonalValue, RejectsBadInputs) {
  personal_value_inputs in;
  in.giving = 0;
  EXPECT_THROW(personal_value(in), input_error);
  in.giving = -5;
  EXPECT_THROW(personal_value(in), input_error);
  in.giving = 1000;
  in.people = -1;
  EXPECT_THROW(personal_value(in), input_error);
  in.people = 10;
  in.worth = -1e6;  // cv < 0: no logarithm
  EXPECT_THROW(personal_value(in), input_error);
}

// ---------------------------------------------------------------------------------------------------------
// Alignment and total value

TEST(Alignment, KnownAngles) {
  const Eigen::VectorXd a = Eigen::Vector3d(1, 2, 3);
  EXPECT_DOUBLE_EQ(alignment(a, a), 1.0);
  EXPECT_DOUBLE_EQ(alignment(a, Eigen::VectorXd(2.5 * a)), 1.0);
  EXPECT_DOUBLE_EQ(alignment(a, Eigen::VectorXd(-a)), -1.0);
  EXPECT_DOUBLE_EQ(alignment(Eigen::Vector2d(1, 0), Eigen::Vector2d(0, 1)), 0.0);
  EXPECT_DOUBLE_EQ(alignment(Eigen::Vector2d(1, 1), Eigen::Vector2d(1, 0)), std::sqrt(0.5));
}

TEST(Alignment, ZeroVectorAlignsWithNothing) {
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(3);
  const Eigen::VectorXd a = Eigen::Vector3d(1, 2, 3);
  EXPECT_EQ(alignment(zero, a), 0.0);
  EXPECT_EQ(alignment(a, zero), 0.0);
  EXPECT_EQ(alignment(zero, zero), 0.0);
  EXPECT_EQ(alignment(Eigen::VectorXd(), Eigen::VectorXd()), 0.0);
}

TEST(Alignment, SpansMatchEigen) {
  const std::vector<double> a = {0.3, -1.2, 4.5, 2.0}, b = {1.1, 0.4, -0.7, 3.3};
  const Eigen::Map<const Eigen::VectorXd> ea(a.data(), 4), eb(b.data(), 4);
  EXPECT_EQ(alignment(std::span<const double>(a), std::span<const double>(b)), alignment(ea, eb));
  EXPECT_DOUBLE_EQ(alignment(std::span<const double>(a), std::span<const double>(a)), 1.0);
}

TEST(Alignment, MismatchedLengthsAreInputErrors) {
  EXPECT_THROW(alignment(Eigen::VectorXd::Ones(3), Eigen::VectorXd::Ones(4)), input_error);
  const std::vector<double> a = {1, 2}, b = {1, 2, 3};
  EXPECT_THROW(alignment(std::span<const double>(a), std::span<const double>(b)), input_error);
  EXPECT_THROW(alignment_rows(row_major_matrix::Ones(2, 3), Eigen::VectorXd::Ones(4)), input_error);
}

TEST(Alignment, BatchEqualsPerRow) {
  // Odd K, so rows start at every alignment: results must still match a standalone vector bit for bit.
  const Eigen::Index n = 37, k = 5;
  row_major_matrix rows(n, k);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < k; ++j) rows(i, j) = std::sin(0.7 * static_cast<double>(i * k + j) + 0.1);
  rows.row(3).setZero();
  const Eigen::VectorXd v = (Eigen::VectorXd(k) << 0.5, -1.5, 2.0, 0.25, 1.0).finished();
  const Eigen::VectorXd batch = alignment_rows(rows, v);
  ASSERT_EQ(batch.size(), n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Eigen::VectorXd row = rows.row(i).transpose();
    EXPECT_EQ(batch[i], alignment(row, v)) << "row " << i;
    EXPECT_LE(std::fabs(batch[i]), 1.0);
  }
  EXPECT_EQ(batch[3], 0.0);
  EXPECT_EQ(alignment_rows(row_major_matrix(0, k), v).size(), 0);
}
