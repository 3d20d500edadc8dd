// Sweeps and comparisons: grids, statistics, and the sweep file against plain runs.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "core/error.hpp"
#include "experiment/grid.hpp"
#include "experiment/stats.hpp"
#include "experiment/sweep.hpp"
#include "io/hdf5.hpp"
#include "io/run_file.hpp"
#include "support/process.hpp"

using namespace civitas;
using namespace civitas::experiment;
using civitas::test::contains;
using civitas::test::run_civitas;
namespace fs = std::filesystem;

TEST(Grid, ListsRangesAndTheirTypes) {
  EXPECT_EQ(parse_grid("daf.rule=token,quadratic,conviction").values,
            (std::vector<std::string>{"token", "quadratic", "conviction"}));
  EXPECT_EQ(parse_grid("social_credit.q=0.1:0.9:5").values,
            (std::vector<std::string>{"0.1", "0.30000000000000004", "0.5", "0.7000000000000001", "0.9"}));
  EXPECT_EQ(parse_grid("population.citizens=100:300:3").values,
            (std::vector<std::string>{"100", "200", "300"}));
  EXPECT_EQ(parse_grid("social_credit.q=0.5:0.5:1").values, (std::vector<std::string>{"0.5"}));
}

TEST(Grid, BadGridsNameTheArgument) {
  for (const std::string bad :
       {"nokey", "=1,2", "no.such_key=1,2", "population.citizens=100:150:4", "exchange.rule=a:b:2",
        "social_credit.q=0.1:0.9:0", "daf.rule=token,,quadratic", "daf.rule=token,token"}) {
    try {
      parse_grid(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const input_error& e) {
      EXPECT_TRUE(contains(e.what(), "--grid")) << e.what();
      EXPECT_TRUE(contains(e.what(), bad)) << e.what();
    }
  }
}

TEST(Grid, CartesianVariesTheLastAxisFastestAndZipPairs) {
  const std::vector<grid_axis> axes = {{"a.x", {"1", "2"}}, {"b.y", {"p", "q", "r"}}};
  const auto cross = expand_grid(axes, false);
  ASSERT_EQ(cross.size(), 6u);
  EXPECT_EQ(cross[1], (grid_point{{"a.x", "1"}, {"b.y", "q"}}));
  EXPECT_EQ(cross[3], (grid_point{{"a.x", "2"}, {"b.y", "p"}}));
  const auto zipped = expand_grid({{"a.x", {"1", "2"}}, {"b.y", {"p", "q"}}}, true);
  EXPECT_EQ(zipped, (std::vector<grid_point>{{{"a.x", "1"}, {"b.y", "p"}}, {{"a.x", "2"}, {"b.y", "q"}}}));
  EXPECT_THROW(expand_grid(axes, true), input_error);  // unequal lengths cannot zip
  EXPECT_EQ(expand_grid({}, false).size(), 1u);
}

TEST(Stats, StudentQuantileAndIntervalOfAKnownSample) {
  EXPECT_NEAR(t_quantile_975(4), 2.7764451, 1e-6);
  EXPECT_NEAR(t_quantile_975(1), 12.7062047, 1e-6);
  EXPECT_NEAR(t_quantile_975(1000), 1.9623391, 1e-6);
  const double xs[] = {2, 4, 4, 4, 5, 5, 7, 9};  // mean 5, sample sd sqrt(32/7)
  const auto ci = mean_ci(xs);
  EXPECT_DOUBLE_EQ(ci.mean, 5);
  EXPECT_NEAR(ci.half_width, t_quantile_975(7) * std::sqrt(32.0 / 7.0) / std::sqrt(8.0), 1e-12);
  const double with_nan[] = {1, std::nan(""), 3};
  EXPECT_EQ(mean_ci(with_nan).n, 2u);
  EXPECT_TRUE(separated({1, 0.5, 3}, {3, 0.4, 3}));
  EXPECT_FALSE(separated({1, 1.5, 3}, {3, 0.6, 3}));
}

// Reference figures from SciPy 1.10 (scipy.stats.ttest_rel and t.ppf) on the same data.
TEST(Stats, PairedTestMatchesTheReference) {
  const double a[] = {1.0, 2.0, 3.0, 4.0, 5.0};
  const double b[] = {1.3, 2.1, 3.6, 4.2, 5.9};
  const auto d = paired_test(a, b);
  EXPECT_EQ(d.diff.n, 5u);
  EXPECT_NEAR(d.diff.mean, 0.42, 1e-12);
  EXPECT_NEAR(d.sd, 0.3271085446759226, 1e-12);
  EXPECT_NEAR(d.p_value, 0.04542003267455378, 1e-10);  // t = 2.8711, 4 df
  EXPECT_NEAR(d.diff.half_width, t_quantile_975(4) * 0.3271085446759226 / std::sqrt(5.0), 1e-12);
  EXPECT_NEAR(d.min_detectable, 0.5438101539883233, 1e-10);
  // The observed 0.42 is below what 5 pairs detect with 80% power, so more are suggested.
  EXPECT_GT(d.replicates_needed, 5u);
  EXPECT_LE(min_detectable_difference(d.sd, d.replicates_needed), 0.42);
  EXPECT_GT(min_detectable_difference(d.sd, d.replicates_needed - 1), 0.42);
  // sd 1, effect 0.5: 34 pairs (SciPy: the first n with (t.975 + t.8) / sqrt(n) <= 0.5).
  EXPECT_EQ(replicates_for(0.5, 1.0), 34u);
  EXPECT_EQ(replicates_for(0.0, 1.0), 0u);
  // A pair with a NaN drops out of the pairing, not one side of it.
  const double a2[] = {1, std::nan(""), 3};
  const double b2[] = {2, 5, 4};
  EXPECT_EQ(paired_test(a2, b2).diff.n, 2u);
  EXPECT_DOUBLE_EQ(paired_test(a2, b2).p_value, 0.0);  // the same +1 every time
  EXPECT_DOUBLE_EQ(paired_test(a2, a2).p_value, 1.0);
  EXPECT_TRUE(std::isnan(paired_test(std::span(a2, 1), std::span(b2, 1)).p_value));
}

// Holm (1979): sorted p-values p(k) are rejected while p(k) <= alpha / (m - k); adjusted p-values are the
// running maximum of (m - k) p(k).
TEST(Stats, HolmStepsDownAndStopsAtTheFirstAcceptance) {
  std::vector<paired_difference> t(5);
  const double p[] = {0.01, 0.04, 0.03, 0.005, std::nan("")};
  for (std::size_t i = 0; i < t.size(); ++i) t[i].p_value = p[i];
  std::vector<paired_difference*> family;
  for (auto& x : t) family.push_back(&x);
  holm(family);
  // Four defined tests: 0.005 <= 0.05/4 yes; 0.01 <= 0.05/3 yes; 0.03 <= 0.05/2 no: stop.
  EXPECT_TRUE(t[3].significant);
  EXPECT_TRUE(t[0].significant);
  EXPECT_FALSE(t[2].significant);
  EXPECT_FALSE(t[1].significant);
  EXPECT_FALSE(t[4].significant);
  EXPECT_NEAR(t[3].p_adjusted, 0.02, 1e-12);
  EXPECT_NEAR(t[0].p_adjusted, 0.03, 1e-12);
  EXPECT_NEAR(t[2].p_adjusted, 0.06, 1e-12);
  EXPECT_NEAR(t[1].p_adjusted, 0.06, 1e-12);  // max(0.06, 1 * 0.04)
  EXPECT_TRUE(std::isnan(t[4].p_adjusted));
}

// The end-of-run value is a trailing mean, so a spike on the last step does not decide it.
TEST(Stats, EndOfRunValueIsTheTrailingWindowMean) {
  run_outcome run;
  for (int s = 0; s <= 8; ++s) run.series.push_back({s == 8 ? 100.0 : static_cast<double>(s)});
  const std::vector<std::string> columns{"x"};
  const table_metric end{"x", "x", table_metric::summary::end};
  EXPECT_EQ(window_steps(0, 8), 2u);  // a quarter of 8 steps
  EXPECT_DOUBLE_EQ(summarise_run(run, columns, end, 1, 0), (7 + 100) / 2.0);
  EXPECT_DOUBLE_EQ(summarise_run(run, columns, end, 1, 1), 100);
  EXPECT_DOUBLE_EQ(summarise_run(run, columns, end, 1, 4), (5 + 6 + 7 + 100) / 4.0);
  EXPECT_EQ(window_steps(50, 8), 8u);  // never beyond the run
  EXPECT_EQ(window_steps(0, 3), 1u);   // at least one step
  const table_metric mean{"x", "x", table_metric::summary::mean};
  EXPECT_DOUBLE_EQ(summarise_run(run, columns, mean, 1, 0), (1 + 2 + 3 + 4 + 5 + 6 + 7 + 100) / 8.0);
}

namespace {
fs::path temp(const std::string& name) { return fs::temp_directory_path() / ("civitas_experiment_" + name); }
const std::string boltzmann = std::string(CIVITAS_SOURCE_DIR) + "/scenarios/validation/boltzmann.toml";

std::vector<double> read_doubles(const std::string& file, const std::string& name) {
  io::h5::file f = io::h5::open_file(file, H5F_ACC_RDONLY, false);
  io::h5::dataset d = io::h5::open_dataset(f.get(), name);
  std::vector<double> v(io::h5::extent(d.get())[0]);
  io::h5::read_all(d.get(), H5T_NATIVE_DOUBLE, v.data());
  return v;
}
std::vector<std::uint32_t> read_u32(const std::string& file, const std::string& name) {
  io::h5::file f = io::h5::open_file(file, H5F_ACC_RDONLY, false);
  io::h5::dataset d = io::h5::open_dataset(f.get(), name);
  std::vector<std::uint32_t> v(io::h5::extent(d.get())[0]);
  io::h5::read_all(d.get(), H5T_NATIVE_UINT32, v.data());
  return v;
}
}  // namespace

TEST(SweepCli, EveryRunEqualsAPlainRunWithTheSameSeedAndOverrides) {
  const auto out = temp("sweep.h5");
  const auto r = run_civitas("sweep '" + boltzmann +
                             "' --set population.citizens=200 --steps 20 --seed 7 --grid "
                             "exchange.rule=boltzmann,random_exchange --replicates 3 --quiet --out '" +
                             out.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto run_ids = read_u32(out.string(), "/series/run_id");
  const auto gini = read_doubles(out.string(), "/series/gini_cash");
  ASSERT_EQ(run_ids.size(), 6u * 21u);
  for (const std::uint32_t run :
       {0u, 2u, 4u}) {  // boltzmann seed 7, boltzmann seed 9, random_exchange seed 8
    const std::string rule = run < 3 ? "boltzmann" : "random_exchange";
    const std::string seed = std::to_string(7 + run % 3);
    const auto single = temp("single.h5");
    const auto p =
        run_civitas("run '" + boltzmann + "' --set population.citizens=200 --steps 20 --seed " + seed +
                    " --set exchange.rule=" + rule + " --quiet --out '" + single.string() + "'");
    ASSERT_EQ(p.exit_code, 0) << p.err;
    const auto expected = io::run_reader(single.string()).series("gini_cash");
    for (std::size_t step = 0; step <= 20; ++step) {
      const std::size_t row = run * 21 + step;
      ASSERT_EQ(run_ids[row], run);
      EXPECT_EQ(gini[row], expected[step]) << "run " << run << " step " << step;
    }
    fs::remove(single);
  }
  fs::remove(out);
}

TEST(SweepCli, ThreadCountDoesNotChangeTheFile) {
  std::vector<std::vector<double>> results;
  for (const std::string threads : {"1", "2"}) {
    const auto out = temp("threads" + threads + ".h5");
    const auto r = run_civitas(
        "compare society/default --set population.citizens=600 --set population.firms=12 "
        "--set population.charities=3 --set daf.voters=600 --steps 8 --replicates 2 --regimes market,daf "
        "--quiet "
        "--threads " +
        threads + " --out '" + out.string() + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    results.push_back(read_doubles(out.string(), "/series/gini_total"));
    // A comparison leaves its report beside the file, with a row per metric and regime.
    const auto csv = civitas::test::slurp(temp("threads" + threads + ".csv"));
    EXPECT_TRUE(contains(csv, "gini_cash,\"market\",")) << csv;
    EXPECT_TRUE(contains(csv, "treasury_efficiency,\"daf\",")) << csv;
    EXPECT_TRUE(
        contains(civitas::test::slurp(temp("threads" + threads + ".md")), "| metric | market | daf |"));
    fs::remove(temp("threads" + threads + ".csv"));
    fs::remove(temp("threads" + threads + ".md"));
    const auto treasury = read_doubles(out.string(), "/series/treasury");
    results.back().insert(results.back().end(), treasury.begin(), treasury.end());
    fs::remove(out);
  }
  ASSERT_EQ(results[0].size(), results[1].size());
  for (std::size_t i = 0; i < results[0].size(); ++i)
    EXPECT_TRUE(results[0][i] == results[1][i] || (std::isnan(results[0][i]) && std::isnan(results[1][i])))
        << i;
}

TEST(SweepCli, BadGridsAndPathsExitTwoBeforeRunning) {
  const auto bad_key = run_civitas("sweep '" + boltzmann + "' --grid exchange.rulle=saving --quiet --out " +
                                   temp("x.h5").string());
  EXPECT_EQ(bad_key.exit_code, 2);
  EXPECT_TRUE(contains(bad_key.err, "exchange.rulle")) << bad_key.err;
  const auto bad_value =
      run_civitas("sweep '" + boltzmann + "' --grid exchange.saving_propensity=0.5,1.5 --quiet --out " +
                  temp("x.h5").string());
  EXPECT_EQ(bad_value.exit_code, 2);
  EXPECT_TRUE(contains(bad_value.err, "saving_propensity")) << bad_value.err;
  const auto bad_path =
      run_civitas("sweep '" + boltzmann + "' --grid exchange.rule=saving --quiet --out /no/such/dir/x.h5");
  EXPECT_EQ(bad_path.exit_code, 2);
  EXPECT_FALSE(fs::exists(temp("x.h5")));
  const auto bad_regime =
      run_civitas("compare society/default --regimes market,anarchy --quiet --out " + temp("x.h5").string());
  EXPECT_EQ(bad_regime.exit_code, 2);
  EXPECT_TRUE(contains(bad_regime.err, "anarchy")) << bad_regime.err;
}
