// Sensitivity analysis: the designs and estimators on functions whose indices are known (Ishigami &
// Homma 1990; an additive function), their determinism, and `civitas sensitivity` end to end.
#include "experiment/sensitivity.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <numbers>

#include "core/error.hpp"
#include "experiment/sensitivity_study.hpp"
#include "io/hdf5.hpp"
#include "support/process.hpp"

using namespace civitas;
using namespace civitas::experiment;
using civitas::test::contains;
using civitas::test::run_civitas;
namespace fs = std::filesystem;

namespace {

constexpr double pi = std::numbers::pi, a = 7, b = 0.1;

double ishigami(const std::vector<double>& u) {  // u on [0, 1]^3, x on [-pi, pi]^3
  const double x1 = -pi + 2 * pi * u[0], x2 = -pi + 2 * pi * u[1], x3 = -pi + 2 * pi * u[2];
  return std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1);
}

std::vector<double> evaluate(const unit_design& points, double (*f)(const std::vector<double>&)) {
  std::vector<double> y;
  for (const auto& p : points) y.push_back(f(p));
  return y;
}

// The analytic indices (Ishigami & Homma 1990; Sobol' & Levitan 1999): partial variances V1, V2 and V13.
struct analytic {
  double s1[3], st[3];
};
analytic ishigami_indices() {
  const double v1 = 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2), v2 = a * a / 8;
  const double v13 = b * b * std::pow(pi, 8) * 8 / 225, v = v1 + v2 + v13;
  return {{v1 / v, v2 / v, 0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

}  // namespace

TEST(SobolIndices, AnalyticIshigamiValuesAreTheLiterature) {
  const analytic x = ishigami_indices();
  EXPECT_NEAR(x.s1[0], 0.3139, 1e-4);
  EXPECT_NEAR(x.s1[1], 0.4424, 1e-4);
  EXPECT_NEAR(x.st[0], 0.5576, 1e-4);
  EXPECT_NEAR(x.st[2], 0.2437, 1e-4);
}

TEST(SobolIndices, RecoverIshigamiWithinTheirIntervalsAndThreeHundredths) {
  const std::size_t n = 8192;
  const saltelli_design d = make_saltelli(3, n);
  ASSERT_EQ(d.points.size(), n * 5);
  const auto indices = sobol_indices(3, evaluate(d.points, ishigami), 1);
  const analytic x = ishigami_indices();
  for (std::size_t i = 0; i < 3; ++i) {
    const sobol_index& s = indices[i];
    SCOPED_TRACE("x" + std::to_string(i + 1));
    EXPECT_NEAR(s.s1, x.s1[i], 0.03);
    EXPECT_NEAR(s.st, x.st[i], 0.03);
    EXPECT_LE(s.s1_low, x.s1[i]);
    EXPECT_GE(s.s1_high, x.s1[i]);
    EXPECT_LE(s.st_low, x.st[i]);
    EXPECT_GE(s.st_high, x.st[i]);
    EXPECT_LT(s.s1_high - s.s1_low, 0.1);  // intervals that say something
    EXPECT_LT(s.st_high - s.st_low, 0.1);
    std::printf("x%zu  S1 %.4f [%.4f, %.4f] (analytic %.4f)   ST %.4f [%.4f, %.4f] (analytic %.4f)\n", i + 1,
                s.s1, s.s1_low, s.s1_high, x.s1[i], s.st, s.st_low, s.st_high, x.st[i]);
  }
}

TEST(SobolIndices, SaltelliRowsAreABAndAWithOneColumnOfB) {
  const saltelli_design d = make_saltelli(4, 16);
  ASSERT_EQ(d.points.size(), 16u * 6u);
  for (std::size_t j = 0; j < 16; ++j) {
    const auto& A = d.points[j * 6];
    const auto& B = d.points[j * 6 + 1];
    // (A and B may share a coordinate at some j: an unscrambled Sobol' sequence's dimensions do.)
    for (std::size_t i = 0; i < 4; ++i) {
      EXPECT_GE(A[i], 0.0);
      EXPECT_LT(A[i], 1.0);
      for (std::size_t c = 0; c < 4; ++c) EXPECT_EQ(d.points[j * 6 + 2 + i][c], c == i ? B[c] : A[c]);
    }
  }
  // A Sobol' sequence's first points (after its zero): 1/2 in every coordinate, then 3/4 or 1/4.
  EXPECT_EQ(d.points[0], (std::vector<double>{0.5, 0.5, 0.5, 0.5}));
  // More samples extend the design of fewer.
  const saltelli_design more = make_saltelli(4, 32);
  EXPECT_TRUE(std::equal(d.points.begin(), d.points.end(), more.points.begin()));
}

TEST(SobolIndices, ConstantOutputsGiveUndefinedIndices) {
  const std::vector<double> flat(10 * 4, 3.0);
  for (const auto& s : sobol_indices(2, flat, 1)) {
    EXPECT_TRUE(std::isnan(s.s1));
    EXPECT_TRUE(std::isnan(s.st_high));
  }
}

TEST(MorrisDesign, TrajectoriesMoveOneFactorByDeltaOnTheGrid) {
  const morris_design d = make_morris(5, 30, 4, 42);
  ASSERT_EQ(d.points.size(), 30u * 6u);
  const double delta = 4.0 / (2 * 3);
  for (std::size_t t = 0; t < 30; ++t) {
    EXPECT_EQ(d.moved[t * 6], 5u);
    std::vector<bool> seen(5, false);
    for (std::size_t s = 1; s <= 5; ++s) {
      const std::size_t row = t * 6 + s, i = d.moved[row];
      ASSERT_LT(i, 5u);
      EXPECT_FALSE(seen[i]) << "each factor moves once per trajectory";
      seen[i] = true;
      for (std::size_t c = 0; c < 5; ++c) {
        const double step = d.points[row][c] - d.points[row - 1][c];
        EXPECT_NEAR(std::fabs(step), c == i ? delta : 0.0, 1e-15);
        const double level = d.points[row][c] * 3;
        EXPECT_NEAR(level, std::round(level), 1e-12) << "on the 4-level grid";
      }
    }
  }
}

TEST(MorrisIndices, AdditiveFunctionGivesItsCoefficientsAndNoSpread) {
  // f = 1 x1 - 2 x2 + 4 x3 + 0.5 x4 on [0, 1]^4: every elementary effect is the coefficient.
  const std::vector<double> c = {1, -2, 4, 0.5};
  const morris_design d = make_morris(4, 20, 6, 7);
  std::vector<double> y;
  for (const auto& p : d.points) {
    double v = 10;
    for (std::size_t i = 0; i < 4; ++i) v += c[i] * p[i];
    y.push_back(v);
  }
  const auto m = morris_indices(d, y, 7);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(m[i].mu_star, std::fabs(c[i]), 1e-12);
    EXPECT_NEAR(m[i].mu, c[i], 1e-12);
    EXPECT_NEAR(m[i].sigma, 0, 1e-12);
    EXPECT_NEAR(m[i].mu_star_low, std::fabs(c[i]), 1e-12);
    EXPECT_NEAR(m[i].mu_star_high, std::fabs(c[i]), 1e-12);
  }
  EXPECT_GT(m[2].mu_star, m[1].mu_star);  // ranked by |coefficient|
  EXPECT_GT(m[1].mu_star, m[0].mu_star);
  EXPECT_GT(m[0].mu_star, m[3].mu_star);
}

TEST(MorrisIndices, IshigamiAsTheLiteratureScreensIt) {
  // On the 4-level grid {-pi, -pi/3, pi/3, pi} with delta = 2/3, the design's expected mu* are exact:
  // x2: 7 * 0.75 / (2/3) = 7.875 for every effect; x1: (sqrt(3)/2) / (2/3) * (1 + 0.1 E[x3^4]) = 7.704;
  // x3: 0.1 (pi^4 - (pi/3)^4) / (2/3) * E|sin x1| = 6.249. As with Sobol's ST, x3 ranks last but is far from
  // negligible; x2's effect is non-monotone (mu ~ 0) and x3 acts only through its interaction with x1
  // (mu ~ 0, sigma ~ mu*): the reading Morris (1991) and Campolongo et al. (2007) give of such a model.
  const morris_design d = make_morris(3, 400, 4, 2024);
  const auto m = morris_indices(d, evaluate(d.points, ishigami), 2024);
  EXPECT_NEAR(m[1].mu_star, 7.875, 1e-9);
  EXPECT_NEAR(m[0].mu_star, 7.704, 0.5);
  EXPECT_NEAR(m[2].mu_star, 6.249, 0.6);
  EXPECT_LE(m[0].mu_star_low, 7.704);
  EXPECT_GE(m[0].mu_star_high, 7.704);
  EXPECT_LE(m[2].mu_star_low, 6.249);
  EXPECT_GE(m[2].mu_star_high, 6.249);
  EXPECT_LT(m[2].mu_star, m[0].mu_star);
  EXPECT_LT(m[2].mu_star, m[1].mu_star);
  EXPECT_GT(m[2].mu_star, 3.0);
  EXPECT_LT(std::fabs(m[1].mu), 0.25 * m[1].mu_star);
  EXPECT_LT(std::fabs(m[2].mu), 0.25 * m[2].mu_star);
  EXPECT_GT(m[2].sigma, 0.8 * m[2].mu_star);
  for (std::size_t i = 0; i < 3; ++i)
    std::printf("x%zu  mu* %.3f [%.3f, %.3f]  mu %.3f  sigma %.3f\n", i + 1, m[i].mu_star, m[i].mu_star_low,
                m[i].mu_star_high, m[i].mu, m[i].sigma);
}

TEST(SensitivityDeterminism, DesignsAndIntervalsArePureFunctionsOfTheSeed) {
  const auto d1 = make_morris(3, 12, 4, 5), d2 = make_morris(3, 12, 4, 5), other = make_morris(3, 12, 4, 6);
  EXPECT_EQ(d1.points, d2.points);
  EXPECT_EQ(d1.moved, d2.moved);
  EXPECT_NE(d1.points, other.points);
  const auto longer = make_morris(3, 20, 4, 5);  // more trajectories extend the design of fewer
  EXPECT_TRUE(std::equal(d1.points.begin(), d1.points.end(), longer.points.begin()));
  const auto y = evaluate(d1.points, ishigami);
  const auto m1 = morris_indices(d1, y, 9), m2 = morris_indices(d1, y, 9);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(m1[i].mu_star_low, m2[i].mu_star_low);
    EXPECT_EQ(m1[i].mu_star_high, m2[i].mu_star_high);
  }
  const saltelli_design s = make_saltelli(3, 256);
  const auto ys = evaluate(s.points, ishigami);
  const auto s1 = sobol_indices(3, ys, 3), s2 = sobol_indices(3, ys, 3);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(s1[i].s1, s2[i].s1);
    EXPECT_EQ(s1[i].s1_low, s2[i].s1_low);
    EXPECT_EQ(s1[i].st_high, s2[i].st_high);
  }
}

TEST(SensitivityScale, WholeNumbersGetEqualBinsAndRealsTheLine) {
  EXPECT_EQ(scale_unit(0.0, 10, 20, false), 10);
  EXPECT_EQ(scale_unit(0.25, 10, 20, false), 12.5);
  EXPECT_EQ(scale_unit(0.0, 1, 3, true), 1);
  EXPECT_EQ(scale_unit(0.34, 1, 3, true), 2);
  EXPECT_EQ(scale_unit(0.99, 1, 3, true), 3);
  EXPECT_EQ(scale_unit(1.0, 1, 3, true), 3);  // the Morris grid's top level
}

TEST(SensitivityParam, BadArgumentsNameTheFlag) {
  const auto p = parse_sensitivity_param("society.income_tax=0.1:0.3");
  EXPECT_EQ(p.key, "society.income_tax");
  EXPECT_EQ(p.lo, 0.1);
  EXPECT_FALSE(p.integer);
  EXPECT_TRUE(parse_sensitivity_param("population.citizens=100:300").integer);
  for (const std::string bad :
       {"society.income_tax", "no.such_key=0:1", "society.income_tax=0.3:0.1", "society.income_tax=0.2:0.2",
        "society.income_tax=a:b", "society.income_tax=0:1:3", "run.seed=1:9", "population.citizens=100.5:300",
        "society.social_graph=0:1"}) {
    try {
      parse_sensitivity_param(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const input_error& e) {
      EXPECT_TRUE(contains(e.what(), "--param")) << e.what();
      EXPECT_TRUE(contains(e.what(), bad)) << e.what();
    }
  }
}

namespace {

fs::path temp(const std::string& name) { return fs::temp_directory_path() / ("civitas_sensitivity_" + name); }

const std::string small_society =
    "society/default --set population.citizens=200 --set population.firms=8 --set population.charities=2 "
    "--steps 8 --seed 3";

std::vector<double> read_doubles(const std::string& file, const std::string& name) {
  io::h5::file f = io::h5::open_file(file, H5F_ACC_RDONLY, false);
  io::h5::dataset d = io::h5::open_dataset(f.get(), name);
  std::size_t n = 1;
  for (const auto e : io::h5::extent(d.get())) n *= e;
  std::vector<double> v(n);
  io::h5::read_all(d.get(), H5T_NATIVE_DOUBLE, v.data());
  return v;
}
std::vector<std::string> read_strings(const std::string& file, const std::string& name) {
  io::h5::file f = io::h5::open_file(file, H5F_ACC_RDONLY, false);
  return io::h5::read_strings(io::h5::open_dataset(f.get(), name).get());
}

}  // namespace

TEST(SensitivityCli, MorrisOnASmallSocietyWritesTheFileTableAndReportAlikeAtAnyThreadCount) {
  std::vector<std::string> csvs, outs;
  std::vector<std::vector<double>> data;
  std::vector<std::vector<std::string>> hashes;
  for (const std::string threads : {"1", "2"}) {
    const auto out = temp("morris" + threads + ".h5"), report = temp("morris" + threads);
    const auto r = run_civitas("sensitivity " + small_society +
                               " --method morris --param society.income_tax=0.1:0.3 --param "
                               "society.alpha=0.5:1.5 --metric gini_cash --metric mean_se_firms --samples 3 "
                               "--threads " +
                               threads + " --out '" + out.string() + "' --report '" + report.string() + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "mu*")) << r.out;
    EXPECT_TRUE(contains(r.out, "society.income_tax")) << r.out;
    EXPECT_TRUE(contains(r.out, "(9 runs)")) << r.out;  // 3 trajectories of 2 + 1 points
    outs.push_back(r.out.substr(0, r.out.find("  output")));
    const std::string csv = civitas::test::slurp(report.string() + ".csv");
    EXPECT_TRUE(contains(csv, "metric,parameter,mu_star,mu_star_low,mu_star_high,mu,sigma\n")) << csv;
    EXPECT_TRUE(contains(csv, "\ngini_cash,society.alpha,")) << csv;
    EXPECT_TRUE(contains(civitas::test::slurp(report.string() + ".md"), "| metric | parameter | mu* |"));
    csvs.push_back(csv);

    const std::string file = out.string();
    const auto tax = read_doubles(file, "/design/param_society.income_tax");
    ASSERT_EQ(tax.size(), 9u);
    for (const double v : tax) {  // on the 4-level grid of [0.1, 0.3]
      const double level = (v - 0.1) / 0.2 * 3;
      EXPECT_NEAR(level, std::round(level), 1e-9) << v;
    }
    EXPECT_EQ(read_doubles(file, "/runs/run_id").size(), 9u);
    EXPECT_EQ(read_strings(file, "/indices/param"),
              (std::vector<std::string>{"society.income_tax", "society.alpha"}));
    const auto mu_star = read_doubles(file, "/indices/gini_cash/mu_star");
    ASSERT_EQ(mu_star.size(), 2u);
    EXPECT_TRUE(std::isfinite(mu_star[0]) && mu_star[0] >= 0) << mu_star[0];
    std::vector<double> all;
    for (const std::string name : {"/design/unit", "/design/param_society.alpha", "/design/output_gini_cash",
                                   "/design/moved", "/runs/seed", "/runs/metric_mean_se_firms",
                                   "/indices/gini_cash/mu_star_low", "/indices/mean_se_firms/sigma"}) {
      const auto v = read_doubles(file, name);
      all.insert(all.end(), v.begin(), v.end());
    }
    data.push_back(all);
    hashes.push_back(read_strings(file, "/runs/head_hash"));
    fs::remove(out);
    fs::remove(report.string() + ".csv");
    fs::remove(report.string() + ".md");
  }
  EXPECT_EQ(outs[0], outs[1]);
  EXPECT_EQ(csvs[0], csvs[1]);
  EXPECT_EQ(hashes[0], hashes[1]);
  ASSERT_EQ(data[0].size(), data[1].size());
  for (std::size_t i = 0; i < data[0].size(); ++i)
    EXPECT_TRUE(data[0][i] == data[1][i] || (std::isnan(data[0][i]) && std::isnan(data[1][i]))) << i;
}

TEST(SensitivityCli, SobolRunsNTimesKPlusTwoPointsWithIntervals) {
  const auto out = temp("sobol.h5");
  const auto r =
      run_civitas("sensitivity " + small_society +
                  " --method sobol --param society.income_tax=0.1:0.3 --param "
                  "society.alpha=0.5:1.5 --metric gini_cash --samples 4 --window 4 --quiet --out '" +
                  out.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(read_doubles(out.string(), "/design/block").size(), 16u);
  for (const std::string name : {"S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"})
    EXPECT_EQ(read_doubles(out.string(), "/indices/gini_cash/" + name).size(), 2u) << name;
  // The figure script reads the file (Debian's python3 with h5py and matplotlib, where it is installed).
  if (std::system("/usr/bin/python3 -c 'import h5py, matplotlib' >/dev/null 2>&1") == 0) {
    const auto png = temp("sobol.png");
    const std::string plot = "/usr/bin/python3 '" + std::string(CIVITAS_SOURCE_DIR) +
                             "/analysis/plot_sensitivity.py' '" + out.string() + "' '" + png.string() +
                             "' >/dev/null";
    EXPECT_EQ(std::system(plot.c_str()), 0);
    EXPECT_GT(fs::exists(png) ? fs::file_size(png) : 0, 10000u);
    fs::remove(png);
  }
  fs::remove(out);
}

TEST(SensitivityCli, BadInputExitsTwoBeforeRunning) {
  const auto out = temp("bad.h5");
  const std::string base =
      "sensitivity " + small_society + " --method morris --quiet --out '" + out.string() + "'";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {" --metric gini_cash", "--param"},                                      // no --param
      {" --param society.income_tax=0.1:0.3", "--metric"},                     // no --metric
      {" --param society.incom_tax=0.1:0.3 --metric gini_cash", "incom_tax"},  // unknown key
      {" --param society.income_tax=0.3:0.1 --metric gini_cash", "LO must be below HI"},
      {" --param society.income_tax=0.1:1.7 --metric gini_cash", "1.7"},  // outside the schema's range
      {" --param society.income_tax=0.1:0.3 --metric gini_cashh", "gini_cashh"},
      {" --param society.income_tax=0.1:0.3 --metric gini_cash --window 9", "--window"},
      {" --param society.income_tax=0.1:0.3 --metric gini_cash --levels 3", "--levels"}};
  for (const auto& [args, expected] : cases) {
    const auto r = run_civitas(base + args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_TRUE(contains(r.err, expected)) << args << "\n" << r.err;
  }
  const auto no_method = run_civitas("sensitivity " + small_society +
                                     " --param society.income_tax=0.1:0.3 --metric gini_cash --quiet");
  EXPECT_EQ(no_method.exit_code, 2);
  const auto bad_path = run_civitas("sensitivity " + small_society +
                                    " --method morris --param society.income_tax=0.1:0.3 --metric gini_cash "
                                    "--quiet --out /no/such/dir/x.h5");
  EXPECT_EQ(bad_path.exit_code, 2);
  EXPECT_TRUE(contains(bad_path.err, "/no/such/dir")) << bad_path.err;
  EXPECT_FALSE(fs::exists(out));
}
