// verify and the run's identity, through the driver API: one model gives one head whatever is stored; a
// signed run verifies with its key and no other; a re-run catches a change the chain cannot see.
#include "driver/verify.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/error.hpp"
#include "driver/registry.hpp"
#include "driver/run.hpp"
#include "ledger/signature.hpp"

namespace fs = std::filesystem;
using namespace civitas;

namespace {
class Verify : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("civitas_verify_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  driver::run_summary run(const std::string& scenario, const std::string& out, std::vector<std::string> sets,
                          const std::string& key = "") {
    sets.push_back("run.steps=4");
    driver::run_options o;
    o.out_path = file(out);
    o.threads = 2;
    o.sign_key = key;
    return driver::run_scenario(driver::load_scenario(params::resolve_scenario(scenario), sets), o);
  }
  fs::path dir_;
};
}  // namespace

// What is stored is not what is simulated: the ledger log and the metric and snapshot cadence change the
// file (its seal), never the head, for the exchange models, the society and every regime.
TEST_F(Verify, IdentityExcludesOutputSettings) {
  for (const std::string scenario : {"validation/random_exchange", "society/default", "regimes/social_credit",
                                     "regimes/daf", "regimes/alliance"}) {
    SCOPED_TRACE(scenario);
    const auto a = run(scenario, "a.h5", {"population.citizens=300", "daf.voters=300"});
    const auto b = run(scenario, "b.h5",
                       {"population.citizens=300", "daf.voters=300", "output.ledger=headers",
                        "output.metrics_every=3", "output.snapshot_every=2"});
    EXPECT_EQ(a.head_hash, b.head_hash);
    EXPECT_NE(a.file_seal, b.file_seal);
    for (const char* f : {"a.h5", "b.h5"}) {
      const auto r = driver::verify_run(file(f));
      EXPECT_TRUE(r.ok) << f << ": " << r.message;
    }
    fs::remove(file("a.h5"));
    fs::remove(file("b.h5"));
  }
}

TEST_F(Verify, ReplayComparesEverythingTheRunProduces) {
  run("society/default", "run.h5", {"population.citizens=300", "output.snapshot_every=2"});
  driver::verify_options o;
  o.replay = true;
  const auto r = driver::verify_run(file("run.h5"), o);
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_TRUE(r.reran);
  EXPECT_EQ(r.blocks_checked, 5u);
}

TEST_F(Verify, SignedHeadVerifiesWithItsKeyOnly) {
  ledger::generate_key_pair(file("k"), file("k.pub"));
  ledger::generate_key_pair(file("other"), file("other.pub"));
  EXPECT_EQ(fs::status(file("k")).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  const auto s = run("validation/random_exchange", "run.h5", {"population.citizens=50"}, file("k"));
  EXPECT_TRUE(s.signed_head);

  driver::verify_options o;
  o.key_path = file("k.pub");
  auto r = driver::verify_run(file("run.h5"), o);
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_TRUE(r.signature_checked);

  o.key_path = file("other.pub");
  r = driver::verify_run(file("run.h5"), o);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("another key"), std::string::npos) << r.message;

  // Unsigned file, asked for a signature.
  run("validation/random_exchange", "plain.h5", {"population.citizens=50"});
  o.key_path = file("k.pub");
  r = driver::verify_run(file("plain.h5"), o);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("no signature"), std::string::npos) << r.message;
}

TEST_F(Verify, BadKeysAreInputErrorsAndKeysAreNeverOverwritten) {
  ledger::generate_key_pair(file("k"), file("k.pub"));
  EXPECT_THROW(ledger::generate_key_pair(file("k"), file("k2.pub")), input_error);
  driver::verify_options o;
  o.key_path = file("k");  // a private key where a public one is wanted
  run("validation/random_exchange", "run.h5", {"population.citizens=20"});
  EXPECT_THROW(driver::verify_run(file("run.h5"), o), input_error);
  o.key_path = file("missing.pub");
  EXPECT_THROW(driver::verify_run(file("run.h5"), o), input_error);
  // A bad signing key fails before the run, leaving no file.
  EXPECT_THROW(run("validation/random_exchange", "never.h5", {"population.citizens=20"}, file("k.pub")),
               input_error);
  EXPECT_FALSE(fs::exists(file("never.h5")));
  EXPECT_FALSE(fs::exists(file("never.h5.partial")));
}
