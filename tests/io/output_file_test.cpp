// Safe output (io/output_file.hpp): a run never writes through a planted link or onto a device, never
// overwrites a stale .partial, and refuses before it runs. Device nodes and FIFOs are made by the test in
// its own temporary directory, never the system's.
#include "io/output_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "driver/registry.hpp"
#include "io/run_file.hpp"
#include "support/process.hpp"

using namespace civitas;
namespace fs = std::filesystem;

namespace {
class OutputFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("civitas_output_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  // `civitas run` of a tiny scenario writing OUT.
  test::run_result run_to(const std::string& out) const {
    return test::run_civitas(
        "run validation/boltzmann --steps 2 --set population.citizens=50 --quiet --out '" + out + "'");
  }
  fs::path dir_;
};
}  // namespace

TEST_F(OutputFile, ADeviceIsRefusedAndLeftAlone) {
  if (geteuid() != 0) GTEST_SKIP() << "making a device node needs root";
  const std::string dev = path("null");
  ASSERT_EQ(::mknod(dev.c_str(), S_IFCHR | 0666, makedev(1, 3)), 0);  // like /dev/null, but the test's own
  const auto r = run_to(dev);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("it is a device"), std::string::npos) << r.err;
  struct stat st {};
  ASSERT_EQ(::lstat(dev.c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "the device node was replaced";
  EXPECT_FALSE(fs::exists(dev + ".partial"));
}

TEST_F(OutputFile, AFifoIsRefusedWithoutHanging) {
  const std::string fifo = path("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  const auto r = run_to(fifo);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("it is a FIFO"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_fifo(fifo));
}

TEST_F(OutputFile, APlantedPartialLinkIsNeverFollowed) {
  const std::string victim = path("victim"), out = path("run.h5");
  std::ofstream(victim) << "precious";
  fs::create_symlink(victim, out + ".partial");
  const auto r = run_to(out);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is a symbolic link"), std::string::npos) << r.err;
  EXPECT_EQ(test::slurp(victim), "precious");
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(OutputFile, ALinkAsTheOutputIsRefused) {
  const std::string victim = path("victim"), out = path("run.h5");
  std::ofstream(victim) << "precious";
  fs::create_symlink(victim, out);
  EXPECT_EQ(run_to(out).exit_code, 2);
  EXPECT_EQ(test::slurp(victim), "precious");
  EXPECT_TRUE(fs::is_symlink(out));
}

TEST_F(OutputFile, AStalePartialIsReportedAndKept) {
  const std::string out = path("run.h5");
  std::ofstream(out + ".partial") << "a killed run's steps";
  const auto r = run_to(out);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("left by a run that was killed or is still running"), std::string::npos) << r.err;
  EXPECT_EQ(test::slurp(out + ".partial"), "a killed run's steps");
  // Once the user has dealt with it, the run goes ahead and replaces a regular file.
  fs::remove(out + ".partial");
  std::ofstream(out) << "old";
  EXPECT_EQ(run_to(out).exit_code, 0);
  EXPECT_GT(fs::file_size(out), 100u);
}

TEST_F(OutputFile, TheTargetIsCheckedAgainBeforeTheRename) {
  const std::string out = path("run.h5");
  const auto s = driver::parse_scenario("", "t", {"run.steps=1", "population.citizens=20"});
  const auto w = driver::make_world(s);
  io::run_meta meta;
  meta.scenario = w->canonical_scenario();
  meta.ledger_log = "full";
  io::run_writer writer(out, meta, w->layout());
  w->genesis([&](io::step_packet&& p) { writer.push(std::move(p)); });
  ASSERT_EQ(::mkfifo(out.c_str(), 0644), 0);  // someone puts a FIFO where the file will go
  EXPECT_THROW(writer.finish("00", 0), write_error);
  EXPECT_TRUE(fs::is_fifo(out));
  EXPECT_TRUE(fs::is_regular_file(out + ".partial"));  // the run is kept
}

TEST_F(OutputFile, CompareRefusesABadReportPathBeforeItRuns) {
  const std::string fifo = path("report.csv");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  const auto r = test::run_civitas("compare regimes/compare --replicates 1 --steps 1 --quiet --out '" +
                                   path("c.h5") + "' --report '" + path("report") + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("it is a FIFO"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("c.h5")));
}
