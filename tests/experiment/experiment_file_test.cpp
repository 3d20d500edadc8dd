// Saved experiments (`civitas experiment`, issue #11 part 7): a file gives the same output as its command
// line, re-runs from its output alone, and a bad file exits 2 naming file:line:col. Runs the real binary
// on a small society (200 citizens, 6 steps).
#include "experiment/experiment_file.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <span>

#include "experiment/grid.hpp"
#include "io/hdf5.hpp"
#include "support/process.hpp"

using namespace civitas;
using civitas::test::contains;
using civitas::test::run_civitas;
using civitas::test::slurp;
namespace fs = std::filesystem;
namespace h5 = io::h5;

namespace {

// A fresh directory per test, removed at the end.
class ExperimentFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("civitas_experiment_file_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  // Runs the experiment FILE into x.h5 (report x.csv, x.md) and `command` into c.h5 (c.csv, c.md).
  bool run_both(const std::string& file, const std::string& command) const {
    for (const auto& [args, name] : {std::pair{"experiment '" + file + "'", "x"}, std::pair{command, "c"}}) {
      const auto r = run_civitas(args + " --quiet --out '" + path(std::string(name) + ".h5") +
                                 "' --report '" + path(name) + "'");
      if (r.exit_code != 0) {
        ADD_FAILURE() << args << ": exit " << r.exit_code << "\n" << r.err;
        return false;
      }
    }
    return true;
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name), std::ios::binary) << text;
    return path(name);
  }
  fs::path dir_;
};

// The small society every study here runs: the command line's --set flags, and the same as TOML.
const std::string small_sets =
    "--set population.citizens=200 --set population.firms=8 --set population.charities=2 "
    "--set output.summary_window=3";
const std::string small_overrides =
    "[overrides]\npopulation.citizens = 200\npopulation.firms = 8\npopulation.charities = 2\n\n"
    "[output]\nsummary_window = 3\n\n";

std::string attribute(const std::string& file, const std::string& name, const std::string& group = "meta") {
  const h5::file f = h5::open_file(file, H5F_ACC_RDONLY, false);
  const h5::group g = h5::open_group(f.get(), group);
  return h5::read_string_attribute(g.get(), name);
}
std::vector<std::string> strings(const std::string& file, const std::string& name) {
  const h5::file f = h5::open_file(file, H5F_ACC_RDONLY, false);
  const h5::dataset d = h5::open_dataset(f.get(), name);
  return h5::read_strings(d.get());
}
std::vector<double> doubles(const std::string& file, const std::string& name) {
  const h5::file f = h5::open_file(file, H5F_ACC_RDONLY, false);
  const h5::dataset d = h5::open_dataset(f.get(), name);
  std::vector<double> v(h5::extent(d.get())[0]);
  h5::read_all(d.get(), H5T_NATIVE_DOUBLE, v.data());
  return v;
}
// The same values bit for bit (NaN equals NaN: a regime's column it has no quantity for).
bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](double x, double y) {
           return x == y || (std::isnan(x) && std::isnan(y));
         });
}

// Two sweep files hold the same runs: every /series column, the run ids, seeds and head hashes.
void expect_same_sweep(const std::string& a, const std::string& b) {
  EXPECT_EQ(strings(a, "/runs/head_hash"), strings(b, "/runs/head_hash"));
  EXPECT_EQ(attribute(a, "scenario"), attribute(b, "scenario"));
  EXPECT_EQ(attribute(a, "grid"), attribute(b, "grid"));
  const std::string columns = attribute(a, "columns", "series");
  EXPECT_EQ(columns, attribute(b, "columns", "series"));
  std::size_t n = 0;
  for (const auto& c : experiment::split(columns, ',')) {
    EXPECT_TRUE(same_values(doubles(a, "/series/" + c), doubles(b, "/series/" + c))) << c;
    ++n;
  }
  EXPECT_GT(n, 20u);
}

std::string sha256_of(const std::string& text) { return experiment::text_sha256(text); }

}  // namespace

TEST_F(ExperimentFile, SweepEqualsItsCommandLineAndStoresTheFile) {
  const std::string text =
      "scenario = \"regimes/compare\"\nreplicates = 2\nseed = 3\nsteps = 6\n"
      "metrics = [\"misconduct\", \"gini_cash\"]\n\n" +
      small_overrides +
      "[sweep]\ngrid.\"governance.regime\" = [\"social_credit\"]\n"
      "grid.social_credit.q = [0.2, 0.8]\n";
  const std::string file = write("q.toml", text);
  ASSERT_TRUE(
      run_both(file, "sweep regimes/compare " + small_sets +
                         " --grid governance.regime=social_credit --grid social_credit.q=0.2,0.8"
                         " --metric misconduct --metric gini_cash --replicates 2 --seed 3 --steps 6"));
  expect_same_sweep(path("x.h5"), path("c.h5"));
  EXPECT_EQ(slurp(path("x.csv")), slurp(path("c.csv")));
  EXPECT_EQ(slurp(path("x.md")), slurp(path("c.md")));
  EXPECT_TRUE(
      contains(slurp(path("x.csv")), "misconduct,\"governance.regime=social_credit, social_credit.q=0.8\""))
      << slurp(path("x.csv"));
  EXPECT_FALSE(contains(slurp(path("x.csv")), "gini_value"));  // only the metrics asked for
  // The file is stored verbatim with its digest and its scenario's text.
  EXPECT_EQ(attribute(path("x.h5"), "experiment"), text);
  EXPECT_EQ(attribute(path("x.h5"), "experiment_sha256"), sha256_of(text));
  EXPECT_EQ(attribute(path("x.h5"), "experiment_scenario"),
            slurp(std::string(CIVITAS_SOURCE_DIR) + "/scenarios/regimes/compare.toml"));
}

TEST_F(ExperimentFile, CompareEqualsItsCommandLine) {
  const std::string file =
      write("cmp.toml", "scenario = \"regimes/compare\"\nreplicates = 2\nsteps = 6\n\n" + small_overrides +
                            "[compare]\nregimes = [\"market\", \"social_credit\"]\n");
  const auto x = run_civitas("experiment '" + file + "' --quiet --out '" + path("x.h5") + "'");
  ASSERT_EQ(x.exit_code, 0) << x.err;
  const auto c = run_civitas("compare regimes/compare " + small_sets +
                             " --regimes market,social_credit --replicates 2 --steps 6 --quiet --out '" +
                             path("c.h5") + "'");
  ASSERT_EQ(c.exit_code, 0) << c.err;
  expect_same_sweep(path("x.h5"), path("c.h5"));
  // A comparison leaves its report beside its file, as `compare` does.
  EXPECT_EQ(slurp(path("x.csv")), slurp(path("c.csv")));
  EXPECT_TRUE(contains(slurp(path("x.csv")), "sanctions_per_step,\"social_credit\","))
      << slurp(path("x.csv"));
}

TEST_F(ExperimentFile, SensitivityEqualsItsCommandLine) {
  const std::string file = write("s.toml",
                                 "scenario = \"regimes/compare\"\nsteps = 6\nseed = 2\n"
                                 "metrics = [\"gini_cash\", \"mean_se_firms\"]\n\n" +
                                     small_overrides +
                                     "[sensitivity]\nmethod = \"morris\"\nsamples = 2\n"
                                     "[sensitivity.params]\n"
                                     "society.income_tax = { lo = 0.1, hi = 0.4 }\n"
                                     "society.alpha = { lo = 0, hi = 2 }\n");
  ASSERT_TRUE(
      run_both(file, "sensitivity regimes/compare " + small_sets +
                         " --method morris --param society.income_tax=0.1:0.4 --param society.alpha=0:2"
                         " --metric gini_cash --metric mean_se_firms --samples 2 --steps 6 --seed 2"));
  EXPECT_EQ(strings(path("x.h5"), "/runs/head_hash"), strings(path("c.h5"), "/runs/head_hash"));
  EXPECT_EQ(strings(path("x.h5"), "/runs/head_hash").size(), 6u);  // (2 + 1) points x 2 trajectories
  EXPECT_EQ(attribute(path("x.h5"), "params"), attribute(path("c.h5"), "params"));
  EXPECT_TRUE(same_values(doubles(path("x.h5"), "/indices/gini_cash/mu_star"),
                          doubles(path("c.h5"), "/indices/gini_cash/mu_star")));
  EXPECT_EQ(slurp(path("x.csv")), slurp(path("c.csv")));
  EXPECT_EQ(slurp(path("x.md")), slurp(path("c.md")));
}

TEST_F(ExperimentFile, ReRunsFromItsOutputAlone) {
  // The scenario sits beside the experiment file; both are gone before the re-run.
  write("tiny.toml",
        "[run]\nname = \"tiny\"\nmodel = \"society\"\nsteps = 6\n\n[population]\ncitizens = 200\nfirms = 8\n"
        "charities = 2\n");
  const std::string text =
      "scenario = \"tiny.toml\"\nreplicates = 2\n\n[sweep]\ngrid.society.alpha = \"0:2:3\"\n";
  const std::string file = write("alpha.toml", text);
  const auto first = run_civitas("experiment '" + file + "' --quiet --threads 2 --report '" + path("first") +
                                 "' --out '" + path("first.h5") + "'");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  fs::remove(file);
  fs::remove(path("tiny.toml"));

  const auto print = run_civitas("experiment --from '" + path("first.h5") + "' --print");
  ASSERT_EQ(print.exit_code, 0) << print.err;
  EXPECT_EQ(print.out, text);
  // Default output: beside the result, never over it.
  const auto again = run_civitas("experiment --from '" + path("first.h5") + "' --threads 1 --report '" +
                                 path("again") + "'");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out,
                       "civitas experiment: " + path("first.h5") + ":/meta/experiment (sweep of tiny.toml)"))
      << again.out;
  expect_same_sweep(path("first.h5"), path("first-rerun.h5"));
  EXPECT_EQ(slurp(path("first.csv")), slurp(path("again.csv")));
  EXPECT_EQ(slurp(path("first.md")), slurp(path("again.md")));
  EXPECT_EQ(attribute(path("first-rerun.h5"), "experiment"), text);

  const auto over =
      run_civitas("experiment --from '" + path("first.h5") + "' --quiet --out '" + path("first.h5") + "'");
  EXPECT_EQ(over.exit_code, 2);
  EXPECT_TRUE(contains(over.err, "is the file the experiment is read from")) << over.err;
  const auto plain =
      run_civitas("run validation/boltzmann --steps 2 --quiet --out '" + path("plain.h5") + "'");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const auto not_ours = run_civitas("experiment --from '" + path("plain.h5") + "' --quiet");
  EXPECT_EQ(not_ours.exit_code, 2);
  EXPECT_TRUE(contains(not_ours.err, "no /meta experiment")) << not_ours.err;
  EXPECT_EQ(run_civitas("experiment --from '" + path("missing.h5") + "' --quiet").exit_code, 3);
}

TEST_F(ExperimentFile, BadFilesExitTwoNamingTheirPlace) {
  const std::string head = "scenario = \"regimes/compare\"\nsteps = 4\n";  // lines 1-2
  struct bad_case {
    std::string text, place, message;
  };
  const std::vector<bad_case> cases = {
      {head + "replicate = 2\n[sweep]\ngrid.society.alpha = [0, 1]\n",
       ":3:1:", "unknown key \"replicate\" (did you mean \"replicates\"?)"},
      {head + "replicates = \"two\"\n[sweep]\ngrid.society.alpha = [0, 1]\n",
       ":3:14:", "replicates: expected an integer, got a string"},
      {"steps = 4\n[sweep]\ngrid.society.alpha = [0, 1]\n", ":1:1:", "missing `scenario`"},
      {"scenario = \"no/such\"\n[sweep]\ngrid.society.alpha = [0, 1]\n", ":1:12:", "no shipped scenario"},
      {head + "metrics = [\"gini_cash\"]\n[sensitivity]\nmethod = \"morris\"\n"
              "params.society.alpha = { lo = 2, hi = 1 }\n",
       ":6:24:", "LO must be below HI"},
      {head + "metrics = [\"gini_cash\", \"gini_cahs\"]\n[sweep]\ngrid.society.alpha = [0, 1]\n",
       ":3:25:", "no metric 'gini_cahs'"},
      {head + "[sweep]\n[sweep.grid]\n", ":4:1:", "the grid is empty"},
      {head + "[sweep]\ngrid.society.alpha = []\n", ":4:22:", "an empty list of values"},
      {head + "[overrides]\nsociety.alpah = 1\n[sweep]\ngrid.society.alpha = [0, 1]\n",
       ":4:1:", "unknown key \"society.alpah\" (did you mean \"society.alpha\"?)"},
      {head + "[sweep]\ngrid.social_credit.q = [0.5, 1.5]\n",
       ":4:24:", "social_credit.q: 1.5 is out of range"},
      {head + "[compare]\nregimes = [\"market\", \"anarchy\"]\n", ":4:22:", "no regime \"anarchy\""},
      {head + "[sensitivity]\nmethod = \"moris\"\n", ":4:10:", "(did you mean \"morris\"?)"},
      {head + "replicates = 2\n", ":1:1:", "no study"},
      {head + "[sweep]\ngrid = [1, 2\n", ":4:", ""},  // a TOML syntax error
  };
  for (const auto& c : cases) {
    const std::string file = write("bad.toml", c.text);
    const auto r = run_civitas("experiment '" + file + "' --quiet --out '" + path("out.h5") + "'");
    EXPECT_EQ(r.exit_code, 2) << c.text << r.err;
    EXPECT_TRUE(contains(r.err, file + c.place)) << c.text << "\n" << r.err;
    EXPECT_TRUE(contains(r.err, c.message)) << c.text << "\n" << r.err;
    EXPECT_FALSE(fs::exists(path("out.h5"))) << c.text;
  }
}
