// End to end: the `civitas` binary on real scenario files, and the HDF5 it writes.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <signal.h>
#include <spawn.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "io/run_file.hpp"
#include "ledger/hash.hpp"
#include "support/process.hpp"

extern char** environ;

namespace fs = std::filesystem;
using civitas::test::contains;
using civitas::test::run_civitas;
using civitas::test::run_result;

namespace {
// A fresh directory per test (ctest runs tests in parallel processes).
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("civitas_cli_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name)) << text;
    return path(name);
  }
  fs::path dir_;
};

std::string head_of(const run_result& inspect_json) {
  std::smatch m;
  const std::regex re("\"head_hash\": \"([0-9a-f]{64})\"");
  return std::regex_search(inspect_json.out, m, re) ? m[1].str() : "";
}

// Overwrites the amount of one stored transfer, as a tamperer with write access to the file would.
void tamper_transfer_amount(const std::string& file, hsize_t row) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  const hid_t d = H5Dopen2(f, "/ledger/transfers", H5P_DEFAULT);
  ASSERT_GE(d, 0);
  const hid_t mem = H5Tcreate(H5T_COMPOUND, sizeof(std::int64_t));
  H5Tinsert(mem, "amount", 0, H5T_NATIVE_INT64);
  const hid_t space = H5Dget_space(d);
  H5Sselect_elements(space, H5S_SELECT_SET, 1, &row);
  const hsize_t one = 1;
  const hid_t mspace = H5Screate_simple(1, &one, nullptr);
  std::int64_t amount = 0;
  ASSERT_GE(H5Dread(d, mem, mspace, space, H5P_DEFAULT, &amount), 0);
  amount += 1;
  ASSERT_GE(H5Dwrite(d, mem, mspace, space, H5P_DEFAULT, &amount), 0);
  H5Sclose(mspace);
  H5Sclose(space);
  H5Tclose(mem);
  H5Dclose(d);
  H5Fclose(f);
}

const std::string small_run =
    "run validation/random_exchange --steps 12 --set population.citizens=500 --quiet";
}  // namespace

TEST_F(CliTest, RunWritesAFileThatVerifiesAndInspects) {
  const std::string out = path("a.h5");
  const run_result r =
      run_civitas("run validation/random_exchange --steps 12 --set population.citizens=500 --out " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "500 agents"));
  EXPECT_TRUE(contains(r.out, "head hash"));
  EXPECT_TRUE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out + ".partial"));

  const run_result v = run_civitas("verify " + out);
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_TRUE(contains(v.out, "13 blocks verified by replaying every transfer")) << v.out;

  const run_result j = run_civitas("inspect --json " + out);
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_TRUE(contains(j.out, "\"steps\": 12"));
  EXPECT_TRUE(contains(j.out, "\"agents\": 500"));
  EXPECT_TRUE(contains(j.out, "\"complete\": true"));
  EXPECT_TRUE(contains(j.out, "\"cash\": 500000"));
  EXPECT_TRUE(contains(v.out, head_of(j)));
  const run_result text = run_civitas("inspect " + out);
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_TRUE(contains(text.out, "gini_cash"));

  // The file is plain HDF5: the reader gets the series and the stored records back.
  const civitas::io::run_reader file(out);
  EXPECT_EQ(file.headers().size(), 13u);
  EXPECT_EQ(file.series("step").back(), 12.0);
  EXPECT_EQ(file.transfers(0).size(), 500u);  // genesis: one endowment each
}

TEST_F(CliTest, HeadersOnlyRunVerifiesByReRunning) {
  const std::string out = path("h.h5");
  ASSERT_EQ(run_civitas(small_run + " --ledger headers --out " + out).exit_code, 0);
  const run_result v = run_civitas("verify " + out);
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_TRUE(contains(v.out, "by re-running the scenario")) << v.out;
  const civitas::io::run_reader file(out);
  EXPECT_FALSE(file.has_transfers());
}

TEST_F(CliTest, ThreadCountDoesNotChangeTheBytes) {
  const std::string one = path("t1.h5"), two = path("t2.h5");
  ASSERT_EQ(run_civitas("run validation/boltzmann --steps 20 --threads 1 --quiet --out " + one).exit_code, 0);
  ASSERT_EQ(run_civitas("run validation/boltzmann --steps 20 --threads 2 --quiet --out " + two).exit_code, 0);
  EXPECT_EQ(head_of(run_civitas("inspect --json " + one)), head_of(run_civitas("inspect --json " + two)));
  const civitas::io::run_reader a(one), b(two);
  for (civitas::step_t s = 0; s <= 20; ++s) {
    const auto ra = a.transfers(s), rb = b.transfers(s);
    ASSERT_EQ(ra.size(), rb.size());
    EXPECT_EQ(0, std::memcmp(ra.data(), rb.data(), ra.size() * sizeof(ra[0]))) << "step " << s;
  }
  EXPECT_EQ(a.series("gini_cash"), b.series("gini_cash"));
}

TEST_F(CliTest, TamperedTransferIsReportedAtItsBlock) {
  const std::string out = path("t.h5");
  ASSERT_EQ(run_civitas(small_run + " --out " + out).exit_code, 0);
  // Block 0 holds 500 endowments; every later block ~250 exchanges. Row 500 + 300 lies in block 2.
  {
    const civitas::io::run_reader before(out);
    ASSERT_LT(before.headers()[1].transfer_count, 300u);
  }  // closed before the file is reopened for writing
  tamper_transfer_amount(out, 500 + 300);
  const run_result v = run_civitas("verify " + out);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_TRUE(contains(v.err, "FAILED at block 2")) << v.err;
  const run_result j = run_civitas("verify --json " + out);
  EXPECT_TRUE(contains(j.out, "\"first_bad_step\": 2")) << j.out;
}

TEST_F(CliTest, TamperedScenarioBreaksTheGenesisBinding) {
  const std::string out = path("s.h5");
  ASSERT_EQ(run_civitas(small_run + " --out " + out).exit_code, 0);
  const hid_t f = H5Fopen(out.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  const hid_t meta = H5Gopen2(f, "/meta", H5P_DEFAULT);
  ASSERT_GE(meta, 0);
  const hid_t attr = H5Aopen(meta, "seed", H5P_DEFAULT);
  ASSERT_GE(attr, 0);
  const std::uint64_t other_seed = 999;
  const herr_t written = H5Awrite(attr, H5T_NATIVE_UINT64, &other_seed);
  if (written < 0) H5Eprint2(H5E_DEFAULT, stderr);
  ASSERT_GE(written, 0);
  H5Aclose(attr);
  H5Gclose(meta);
  H5Fclose(f);
  const run_result v = run_civitas("verify " + out);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_TRUE(contains(v.err, "block 0")) << v.err;
}

TEST_F(CliTest, CorruptFilesAreDataErrorsNotCrashes) {
  const std::string out = path("c.h5");
  ASSERT_EQ(run_civitas(small_run + " --out " + out).exit_code, 0);
  const std::string truncated = path("truncated.h5");
  fs::copy_file(out, truncated);
  fs::resize_file(truncated, fs::file_size(out) / 2);
  const std::string garbage = write("garbage.h5", "this is not an HDF5 file at all\n");
  for (const std::string& bad : {truncated, garbage, path("missing.h5")}) {
    for (const std::string cmd : {"verify ", "inspect "}) {
      const run_result r = run_civitas(cmd + bad);
      EXPECT_EQ(r.exit_code, 3) << cmd << bad << "\n" << r.err;
      EXPECT_TRUE(contains(r.err, bad)) << r.err;
    }
  }
}

TEST_F(CliTest, BadScenarioNamesFileLineColumnAndExits2) {
  const std::string toml = write("bad.toml", "[run]\nsteps = 10\n\n[exchange]\nrulee = \"boltzmann\"\n");
  const run_result r = run_civitas("run " + toml + " --out " + path("x.h5"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, toml + ":5:1")) << r.err;
  EXPECT_TRUE(contains(r.err, "did you mean")) << r.err;
  EXPECT_FALSE(fs::exists(path("x.h5")));
  EXPECT_FALSE(fs::exists(path("x.h5.partial")));
}

TEST_F(CliTest, BadFlagsExit2) {
  EXPECT_EQ(run_civitas("run --set exchange.rule=nonsense --out " + path("x.h5")).exit_code, 2);
  EXPECT_EQ(run_civitas("run --steps -5 --out " + path("x.h5")).exit_code, 2);
  EXPECT_EQ(run_civitas("run --threads many").exit_code, 2);
  EXPECT_EQ(run_civitas("run --no-such-flag").exit_code, 2);
  EXPECT_EQ(run_civitas("").exit_code, 2);
  EXPECT_EQ(run_civitas("run no/such/scenario").exit_code, 2);
  const run_result typo = run_civitas("run --set exchange.rulle=saving");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_TRUE(contains(typo.err, "--set:1:")) << typo.err;
}

TEST_F(CliTest, UnwritableOutputIsBadInputAndLeavesNothing) {
  const run_result r = run_civitas(small_run + " --out /nonexistent-dir/x.h5");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "/nonexistent-dir/x.h5")) << r.err;
}

TEST_F(CliTest, FailedRunLeavesExistingOutputUntouched) {
  const std::string out = write("keep.h5", "precious earlier results");
  EXPECT_EQ(run_civitas("run --set population.citizens=1 --out " + out).exit_code, 2);
  EXPECT_EQ(civitas::test::slurp(out), "precious earlier results");
}

TEST_F(CliTest, KilledRunLeavesAVerifiablePartialFile) {
  const std::string out = write("killed.h5", "earlier results");
  const std::string partial = out + ".partial";
  // Long enough that it is still running when killed.
  const std::string binary = CIVITAS_BINARY;
  const char* argv[] = {binary.c_str(), "run",   "validation/random_exchange", "--quiet", "--steps",
                        "1000000",      "--set", "population.citizens=20000",  "--out",   out.c_str(),
                        nullptr};
  pid_t child = 0;
  ASSERT_EQ(posix_spawn(&child, binary.c_str(), nullptr, nullptr, const_cast<char**>(argv), environ), 0);
  // Wait until a few blocks are durable, then kill without warning.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::size_t blocks = 0;
  while (blocks < 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    try {
      if (fs::exists(partial)) blocks = civitas::io::run_reader(partial).headers().size();
    } catch (const std::exception&) {
      // Not yet readable: keep polling.
    }
  }
  ASSERT_GE(blocks, 5u);
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));

  EXPECT_EQ(civitas::test::slurp(out), "earlier results");  // never replaced by a half-written run
  const run_result v = run_civitas("verify " + partial);
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_TRUE(contains(v.out, "interrupted run")) << v.out;
  const run_result i = run_civitas("inspect " + partial);
  EXPECT_EQ(i.exit_code, 0) << i.err;
  EXPECT_TRUE(contains(i.out, "INCOMPLETE")) << i.out;
}

TEST_F(CliTest, ScenariosAndParamsList) {
  const run_result s = run_civitas("scenarios");
  EXPECT_EQ(s.exit_code, 0);
  for (const char* name :
       {"validation/boltzmann", "validation/random_exchange", "validation/saving", "validation/yard_sale"})
    EXPECT_TRUE(contains(s.out, name)) << name;
  EXPECT_FALSE(contains(s.out, "invalid"));
  const run_result p = run_civitas("params");
  EXPECT_EQ(p.exit_code, 0);
  EXPECT_TRUE(contains(p.out, "exchange.rule"));
  EXPECT_TRUE(contains(p.out, "run.activation"));
}

TEST_F(CliTest, DefaultScenarioRunsWithoutArguments) {
  const std::string out = path("d.h5");
  const run_result r = run_civitas("run --steps 3 --profile --out " + out);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "scenario \"society\"")) << r.out;  // scenarios/society/default.toml
  EXPECT_TRUE(contains(r.out, "settle"));                         // the phase profile
  EXPECT_EQ(run_civitas("verify " + out).exit_code, 0);
}

TEST(CliEmptyValues, AnEmptyScenarioOrFlagValueIsBadInput) {
  for (const std::string args :
       {"run ''", "run validation/boltzmann --steps ''", "run validation/boltzmann --seed ''",
        "run validation/boltzmann --ledger ''"}) {
    const auto r = run_civitas(args + " --quiet --out /nonexistent-dir/x.h5");
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_TRUE(r.err.find("empty") != std::string::npos || r.err.find("missing value") != std::string::npos)
        << args << "\n"
        << r.err;
  }
}
