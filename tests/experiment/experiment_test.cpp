// Sweeps and comparisons: grids, statistics, and the sweep file against plain runs.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "core/error.hpp"
#include "experiment/grid.hpp"
#include "experiment/stats.hpp"
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
        "--set population.charities=3 --steps 8 --replicates 2 --regimes market,daf --quiet "
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
