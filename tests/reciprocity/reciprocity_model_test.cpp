// Indirect reciprocity by image scoring: the acts are real ledger chains (c from the donor, b - c created),
// strategies act as declared, images score the last act, strategies change only at generation ends, and
// the validation: with b/c = 5, cooperation persists for q above c/b = 0.2 and collapses below it
// (scenarios/validation/reciprocity.toml run through the binary and read back from HDF5).
#include "reciprocity/reciprocity_model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <numeric>

#include "core/error.hpp"
#include "io/run_file.hpp"
#include "support/captured_run.hpp"
#include "support/process.hpp"

using namespace civitas;
using reciprocity::reciprocity_model;
using reciprocity::strategy;
namespace fs = std::filesystem;

namespace {
params::scenario small(const std::vector<std::string>& extra = {}) {
  std::vector<std::string> o = {"run.model=reciprocity", "run.activation=simultaneous",
                                "population.citizens=600", "run.steps=30", "reciprocity.generation=10"};
  o.insert(o.end(), extra.begin(), extra.end());
  return driver::parse_scenario("", "test", o);
}

struct model_state {
  network::csr_graph graph;
  std::vector<strategy> strategies;
};

test::captured_run run(const params::scenario& s, model_state* state = nullptr) {
  return test::capture(s, 2, [&](const sim::world& w) {
    if (!state) return;
    const auto& m = dynamic_cast<const reciprocity_model&>(w.active_model());
    *state = {m.graph(), m.strategies()};
  });
}
}  // namespace

TEST(Reciprocity, HelpingIsALinkedChainThatCostsTheDonorCAndGivesTheRecipientB) {
  // No update within the run, so the final strategies are the ones that acted.
  model_state state;
  const auto r = run(small({"reciprocity.generation=1000", "reciprocity.share_discriminator=0.5",
                            "reciprocity.share_alld=0.3", "reciprocity.q=0.5"}),
                     &state);
  std::size_t helps = 0;
  for (step_t step = 1; step < r.blocks.size(); ++step) {
    const auto& records = r.blocks[step].records;
    for (std::size_t i = 0; i < records.size(); ++i) {
      const auto& rec = records[i];
      if (rec.reason != ledger::code(reciprocity::reason::help)) continue;
      ASSERT_EQ(rec.status, 0);
      ++helps;
      const agent_id donor = rec.origin, recipient = r.accounts[rec.credit].owner;
      EXPECT_EQ(r.accounts[rec.debit].owner, donor);
      EXPECT_EQ(rec.amount, 1);
      EXPECT_NE(state.strategies[donor], strategy::alld);
      const auto nb = state.graph.neighbours_of(donor);
      EXPECT_TRUE(std::binary_search(nb.begin(), nb.end(), recipient));
      ASSERT_LT(i + 1, records.size());
      const auto& value = records[i + 1];  // the linked mint of the value created
      EXPECT_EQ(value.reason, ledger::code(reciprocity::reason::help_value));
      EXPECT_EQ(value.credit, rec.credit);
      EXPECT_EQ(value.amount, 4);
    }
    // Money grows by exactly b - c per help (the ledger checks that balances sum to zero).
    const double step_helps = r.metric(step, "helps");
    EXPECT_EQ(r.blocks[step].header.supplies[0] - r.blocks[step - 1].header.supplies[0],
              static_cast<amount_t>(4 * step_helps));
    EXPECT_DOUBLE_EQ(r.metric(step, "mean_payoff"), 4 * step_helps / 600);
  }
  EXPECT_GT(helps, 0u);
}

TEST(Reciprocity, StrategiesActAsDeclared) {
  const auto defectors = run(small({"reciprocity.share_discriminator=0", "reciprocity.share_alld=1"}));
  const auto cooperators = run(small({"reciprocity.share_discriminator=0", "reciprocity.share_alld=0"}));
  // Discriminators who never know an image help everyone; who always know it still help everyone, as
  // nobody's image ever turns bad.
  const auto blind =
      run(small({"reciprocity.share_discriminator=1", "reciprocity.share_alld=0", "reciprocity.q=0"}));
  const auto sighted =
      run(small({"reciprocity.share_discriminator=1", "reciprocity.share_alld=0", "reciprocity.q=1"}));
  for (step_t step = 1; step <= 30; ++step) {
    EXPECT_EQ(defectors.metric(step, "cooperation_rate"), 0.0);
    EXPECT_EQ(cooperators.metric(step, "cooperation_rate"), 1.0);
    EXPECT_EQ(blind.metric(step, "cooperation_rate"), 1.0);
    EXPECT_EQ(sighted.metric(step, "cooperation_rate"), 1.0);
  }
  EXPECT_EQ(defectors.final("share_alld"), 1.0);
  EXPECT_EQ(defectors.final("good_image"), 0.0);
}

TEST(Reciprocity, AnImageScoresTheLastActAndDiscriminatorsRefuseKnownBadImages) {
  const auto r = run(small({"reciprocity.generation=1000", "reciprocity.share_discriminator=0.6",
                            "reciprocity.share_alld=0.2", "reciprocity.q=1"}));
  // Final snapshot: (strategy, good_image) per agent. ALLD's last act was a refusal, ALLC's a help.
  const auto& scores = r.blocks.back().snapshot->scores;
  ASSERT_EQ(scores.size(), 2u * 600);
  for (agent_id a = 0; a < 600; ++a) {
    const auto s = static_cast<strategy>(scores[2 * a]);
    if (s == strategy::alld) {
      EXPECT_EQ(scores[2 * a + 1], 0.0);
    } else if (s == strategy::allc) {
      EXPECT_EQ(scores[2 * a + 1], 1.0);
    }
  }
  // With full information discriminators refuse the defectors (and those who refused them), so the
  // rate sits between ALLC's share and 1 - ALLD's share.
  const double rate = r.final("cooperation_rate");
  EXPECT_LT(rate, 1 - r.final("share_alld"));
  EXPECT_GT(rate, r.final("share_allc"));
}

TEST(Reciprocity, StrategiesChangeOnlyAtTheEndOfAGeneration) {
  const auto r = run(small({"reciprocity.share_discriminator=0.5", "reciprocity.share_alld=0.5",
                            "reciprocity.q=0.1", "reciprocity.beta=1"}));
  bool changed = false;
  for (step_t step = 1; step <= 30; ++step) {
    const double before = r.metric(step - 1, "share_alld"), now = r.metric(step, "share_alld");
    if (step % 10 != 0)
      EXPECT_EQ(now, before) << step;
    else
      changed = changed || now != before;
  }
  EXPECT_TRUE(changed);
}

TEST(Reciprocity, ParametersAreChecked) {
  EXPECT_THROW(small({"reciprocity.benefit=1", "reciprocity.cost=1"}), civitas::input_error);
  EXPECT_THROW(small({"reciprocity.share_discriminator=0.8", "reciprocity.share_alld=0.3"}),
               civitas::input_error);
  EXPECT_THROW(small({"reciprocity.mean_degree=7"}), civitas::input_error);
  EXPECT_THROW(small({"population.citizens=5"}), civitas::input_error);
}

// ---- validation through the binary ----

namespace {
class ReciprocityValidation : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("civitas_reciprocity_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string out(const std::string& name) const { return (dir_ / name).string(); }

  // Runs validation/reciprocity at detection q and a seed (headers only: the test reads /series).
  std::string run_at(double q, int seed, const std::string& extra = "--ledger headers") const {
    const std::string file = out("q" + std::to_string(q) + "_s" + std::to_string(seed) + ".h5");
    const auto r = test::run_civitas("run validation/reciprocity --quiet " + extra +
                                     " --set reciprocity.q=" + std::to_string(q) +
                                     " --set run.seed=" + std::to_string(seed) + " --out '" + file + "'");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return file;
  }

  // Cooperation rate over the last generation (the last 10 steps), averaged over three seeds.
  double final_cooperation(double q) const {
    double sum = 0;
    for (const int seed : {1, 2, 3}) {
      const auto rate = io::run_reader(run_at(q, seed)).series("cooperation_rate");
      sum += std::accumulate(rate.end() - 10, rate.end(), 0.0) / 10;
    }
    return sum / 3;
  }

  fs::path dir_;
};
}  // namespace

TEST_F(ReciprocityValidation, CooperationPersistsWhenQExceedsCOverBAndCollapsesBelow) {
  // b = 5, c = 1: the threshold is q = c/b = 0.2. Measured (seeds 1-3): 0, 0.0055, 1, 1.
  for (const double q : {0.05, 0.1, 0.4, 0.6}) {
    const double rate = final_cooperation(q);
    std::printf("reciprocity: q = %.2f, cooperation over the last generation %.4f\n", q, rate);
    if (q > 0.2)
      EXPECT_GT(rate, 0.5) << "q = " << q;
    else
      EXPECT_LT(rate, 0.1) << "q = " << q;
  }
}

TEST_F(ReciprocityValidation, TheRunVerifiesAndConservesMoney) {
  const std::string file = run_at(0.4, 1, "--steps 40");
  const auto v = test::run_civitas("verify '" + file + "'");
  EXPECT_EQ(v.exit_code, 0) << v.err << v.out;
  EXPECT_TRUE(test::contains(v.out, "41 blocks verified by replaying every transfer")) << v.out;
  // Cash supply = endowments + b - c per help.
  const io::run_reader f(file);
  const auto helps = f.series("helps");
  const double total_helps = std::accumulate(helps.begin() + 1, helps.end(), 0.0);
  EXPECT_EQ(f.headers().back().supplies[0], static_cast<amount_t>(1000 * 1000 + 4 * total_helps));
}
