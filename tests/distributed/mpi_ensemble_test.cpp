// The MPI ensemble in process, run under `mpirun -n 3` (ctest: mpi_ensemble_ranks): every job runs once
// and comes back in job order on rank 0, a job that throws is a failed run while the others complete, and a
// sweep with a failing run writes the others plus /failed and then says so (failed_runs_error).
#include "distributed/mpi_ensemble.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include "cli/study.hpp"
#include "experiment/ensemble.hpp"
#include "experiment/sensitivity_study.hpp"
#include "experiment/sweep.hpp"
#include "io/hdf5.hpp"

using namespace civitas;
using experiment::job_result;
namespace fs = std::filesystem;

namespace {

distributed::mpi_session* session = nullptr;
const experiment::ensemble& ranks() { return session->ensemble(); }

// The same ensemble, with one job made to throw: a failure provoked where the engine has none to give.
class failing_ensemble final : public experiment::ensemble {
 public:
  failing_ensemble(const experiment::ensemble& inner, std::size_t bad) : inner_(inner), bad_(bad) {}
  bool root() const override { return inner_.root(); }
  std::vector<job_result> run(std::size_t n, unsigned threads, const experiment::job_work& work,
                              const experiment::job_progress& progress) const override {
    return inner_.run(
        n, threads,
        [&](std::size_t i) {
          if (i == bad_) throw std::runtime_error("injected failure");
          return work(i);
        },
        progress);
  }

 private:
  const experiment::ensemble& inner_;
  std::size_t bad_;
};

experiment::sweep_spec small_sweep() {
  experiment::sweep_spec spec;
  spec.scenario_path = std::string(CIVITAS_SOURCE_DIR) + "/scenarios/validation/boltzmann.toml";
  spec.overrides = {"run.steps=10", "population.citizens=100"};
  spec.axes = {experiment::parse_grid("exchange.initial_cash=1,2")};
  spec.replicates = 2;
  return spec;
}

}  // namespace

TEST(MpiEnsemble, EveryJobRunsOnceAndComesBackInJobOrder) {
  const std::size_t n = 23;
  std::vector<std::size_t> progress;
  const auto results = ranks().run(
      n, 1,
      [](std::size_t i) {
        // Uneven costs, as runs have: a later job is not always a later answer.
        std::this_thread::sleep_for(std::chrono::milliseconds(i % 4 == 0 ? 30 : 2));
        return std::to_string(i) + "@" + std::to_string(session->rank());
      },
      [&](std::size_t done, std::size_t total) {
        EXPECT_EQ(total, n);
        progress.push_back(done);
      });
  if (!ranks().root()) {
    EXPECT_TRUE(results.empty());
    return;
  }
  ASSERT_EQ(results.size(), n);
  std::set<std::string> workers;
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_TRUE(results[i].ok) << results[i].data;
    const auto at = results[i].data.find('@');
    EXPECT_EQ(results[i].data.substr(0, at), std::to_string(i));
    workers.insert(results[i].data.substr(at + 1));
  }
  EXPECT_GE(workers.size(), 2u) << "only one rank ran jobs";
  ASSERT_EQ(progress.size(), n);
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(progress[i], i + 1);
}

TEST(MpiEnsemble, FewerJobsThanRanksAndNoJobsAtAll) {
  for (const std::size_t n : {std::size_t{0}, std::size_t{1}}) {
    const auto results = ranks().run(n, 1, [](std::size_t i) { return std::to_string(i); }, {});
    if (ranks().root()) {
      ASSERT_EQ(results.size(), n);
      if (n == 1) {
        EXPECT_EQ(results[0].data, "0");
      }
    }
  }
}

TEST(MpiEnsemble, AThrowingJobFailsAloneWithItsMessage) {
  const auto results = ranks().run(9, 1,
                                   [](std::size_t i) -> std::string {
                                     if (i == 4) throw std::runtime_error("job four broke");
                                     return std::to_string(i);
                                   },
                                   {});
  if (!ranks().root()) return;
  ASSERT_EQ(results.size(), 9u);
  for (std::size_t i = 0; i < 9; ++i) {
    EXPECT_EQ(results[i].ok, i != 4);
    EXPECT_EQ(results[i].data, i == 4 ? "job four broke" : std::to_string(i));
  }
}

TEST(MpiEnsemble, TheSweepIsTheLocalOne) {
  const auto local = experiment::run_sweep(small_sweep(), {}, experiment::current_ensemble());
  const auto spread = experiment::run_sweep(small_sweep(), {}, ranks());
  if (!ranks().root()) {
    EXPECT_TRUE(spread.runs.empty());
    return;
  }
  ASSERT_EQ(spread.runs.size(), local.runs.size());
  EXPECT_EQ(spread.columns, local.columns);
  for (std::size_t i = 0; i < local.runs.size(); ++i) {
    EXPECT_EQ(spread.runs[i].run_id, local.runs[i].run_id);
    EXPECT_EQ(spread.runs[i].seed, local.runs[i].seed);
    EXPECT_EQ(spread.runs[i].head_hash, local.runs[i].head_hash);
    EXPECT_EQ(spread.runs[i].series, local.runs[i].series);
  }
}

TEST(MpiEnsemble, AFailedRunIsReportedWithItsParametersAndSeedAndTheOthersAreWritten) {
  const failing_ensemble failing(ranks(), 2);  // point 1 (initial_cash=2), replicate 0
  experiment::set_current_ensemble(&failing);
  const fs::path out = fs::temp_directory_path() / ("civitas-mpi-failed-" + std::to_string(getpid()) + ".h5");
  bool threw = false;
  try {
    cli::run_sweep_study("sweep", small_sweep(), "exchange.initial_cash=1,2", {},
                         {out.string(), "", true, {}, {}, {}});
  } catch (const experiment::failed_runs_error& e) {
    threw = true;
    ASSERT_EQ(e.failures().size(), 1u);
    const auto& f = e.failures()[0];
    EXPECT_EQ(f.run_id, 2u);
    EXPECT_EQ(f.point, 1u);
    EXPECT_EQ(f.replicate, 0u);
    EXPECT_EQ(f.seed, 1u);  // boltzmann's seed, replicate 0
    EXPECT_EQ(f.params, (experiment::grid_point{{"exchange.initial_cash", "2"}}));
    EXPECT_EQ(f.error, "injected failure");
    EXPECT_NE(std::string(e.what()).find("run 2 (point 1: exchange.initial_cash=2, replicate 0, seed 1)"),
              std::string::npos)
        << e.what();
  }
  experiment::set_current_ensemble(nullptr);
  if (!ranks().root()) {
    EXPECT_FALSE(threw);  // only rank 0 reports
    return;
  }
  ASSERT_TRUE(threw);
  const io::h5::file f = io::h5::open_file(out.string(), H5F_ACC_RDONLY, false);
  const io::h5::dataset ids = io::h5::open_dataset(f.get(), "runs/run_id");
  std::vector<std::uint32_t> id(io::h5::extent(ids.get())[0]);
  io::h5::read_all(ids.get(), H5T_NATIVE_UINT32, id.data());
  EXPECT_EQ(id, (std::vector<std::uint32_t>{0, 1, 3}));
  const io::h5::dataset failed = io::h5::open_dataset(f.get(), "failed/error");
  EXPECT_EQ(io::h5::read_strings(failed.get()), (std::vector<std::string>{"injected failure"}));
  const io::h5::dataset param = io::h5::open_dataset(f.get(), "failed/param_exchange.initial_cash");
  EXPECT_EQ(io::h5::read_strings(param.get()), (std::vector<std::string>{"2"}));
  fs::remove(out);
}

TEST(MpiEnsemble, ASensitivityStudyKeepsAFailedRunsRowAndRecordsIt) {
  experiment::sensitivity_spec spec;
  spec.scenario_path = std::string(CIVITAS_SOURCE_DIR) + "/scenarios/validation/boltzmann.toml";
  spec.overrides = {"run.steps=10", "population.citizens=100"};
  spec.params = {experiment::parse_sensitivity_param("exchange.initial_cash=1:4")};
  spec.metrics = {"gini_cash"};
  spec.samples = 2;
  spec.resamples = 100;
  const auto plan = experiment::plan_sensitivity(spec);
  const auto r = experiment::run_sensitivity(spec, plan, {}, failing_ensemble(ranks(), 1));
  if (!ranks().root()) return;
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].run_id, 1u);
  EXPECT_EQ(r.failures[0].params[0].first, "exchange.initial_cash");
  EXPECT_EQ(r.head_hashes[1], "");
  EXPECT_TRUE(std::isnan(r.by_run[0][1]));
  EXPECT_FALSE(std::isnan(r.by_run[0][0]));
  const fs::path out = fs::temp_directory_path() / ("civitas-mpi-sens-" + std::to_string(getpid()) + ".h5");
  experiment::write_sensitivity(out.string(), spec, plan, r);
  const io::h5::file f = io::h5::open_file(out.string(), H5F_ACC_RDONLY, false);
  const io::h5::dataset failed = io::h5::open_dataset(f.get(), "failed/error");
  EXPECT_EQ(io::h5::read_strings(failed.get()), (std::vector<std::string>{"injected failure"}));
  fs::remove(out);
}

int main(int argc, char** argv) {
  distributed::mpi_session mpi(argc, argv);
  session = &mpi;
  ::testing::InitGoogleTest(&argc, argv);
  // Every rank runs every test (the ensemble is collective); each reports its own checks.
  const int code = RUN_ALL_TESTS();
  return mpi.finish(code).code;
}
