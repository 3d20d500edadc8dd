// The one registry: every module's reason codes and random-stream purposes are distinct numbers (they are
// hashed: a clash would make two acts indistinguishable or two streams identical), and every record a
// model writes carries a reason its layout names.
#include "driver/registry.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "core/error.hpp"
#include "governance/registry.hpp"

using namespace civitas;

namespace {
void expect_unique(const std::vector<driver::named_code>& codes, const char* what) {
  std::map<std::uint32_t, std::string> seen;
  for (const auto& c : codes) {
    const auto [it, fresh] = seen.emplace(c.code, c.module + "." + c.name);
    EXPECT_TRUE(fresh) << what << " " << c.code << " is claimed by " << it->second << " and " << c.module
                       << "." << c.name;
  }
}
}  // namespace

TEST(Registry, ReasonCodesAreDistinct) {
  expect_unique(driver::reason_codes(), "reason");
  EXPECT_EQ(driver::reason_name(6), "purchase");
  EXPECT_EQ(driver::reason_name(20), "credit_reward");
  EXPECT_EQ(driver::reason_name(9999), "unknown");
}

TEST(Registry, RandomPurposesAreDistinct) { expect_unique(driver::rng_purposes(), "rng purpose"); }

TEST(Registry, EveryRecordCarriesAReasonItsLayoutNames) {
  for (const auto& regime : governance::regime_names()) {
    const auto s = driver::parse_scenario(
        "", "t",
        {"run.model=society", "run.activation=simultaneous", "run.steps=4", "population.citizens=600",
         "population.firms=12", "population.charities=3", "daf.voters=600", "society.procurement_every=2",
         "governance.regime=" + regime});
    const auto w = driver::make_world(s);
    std::set<std::uint16_t> named;
    for (const auto& r : w->layout().reasons) named.insert(r.code);
    std::set<std::uint16_t> used;
    w->genesis([&](io::step_packet&& p) {
      for (const auto& r : p.records) used.insert(r.reason);
    });
    for (step_t i = 0; i < 4; ++i) w->step();
    for (const auto code : used)
      EXPECT_TRUE(named.count(code)) << regime << ": reason " << code << " not in the layout";
    EXPECT_GT(used.size(), 8u) << regime;
  }
}

// The README's table of scenario sections names every table of the catalogue (the parameters themselves
// are listed by `civitas params` and, with their sources, in docs/ODD.md, both generated).
TEST(Registry, TheReadmeNamesEveryScenarioSection) {
  std::ifstream in(std::string(CIVITAS_SOURCE_DIR) + "/README.md");
  const std::string readme((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(readme.empty());
  std::set<std::string> tables;
  for (const auto& s : driver::catalogue().sections()) tables.insert(s.table);
  for (const auto& t : tables)
    EXPECT_NE(readme.find("`[" + t + "]`"), std::string::npos) << "README lacks [" << t << "]";
}

namespace {
std::string first_error(const std::vector<std::string>& overrides) {
  try {
    driver::parse_scenario("", "t", overrides);
  } catch (const input_error& e) {
    return e.diagnostics().front().message;
  }
  return "";
}
}  // namespace

// Rules the models rely on are checked before anything runs (issue #12): each was an exit 4 or an
// out-of-memory crash before. DAF voters and proposing citizens are distinct citizens: no more than the
// population.
TEST(Registry, RulesTheModelsRelyOnAreCheckedBeforeRunning) {
  EXPECT_NE(first_error({"run.model=society", "society.social_graph=scale_free", "society.graph_param=0.5",
                         "society.mean_degree=0"})
                .find("at least 1 for a scale_free graph"),
            std::string::npos);
  EXPECT_NE(first_error({"run.model=society", "population.citizens=100000000", "population.firms=2000000"})
                .find("GB of memory, more than this machine's"),
            std::string::npos);
  EXPECT_NE(first_error({"daf.citizen_proposals=10001"}).find("out of range"), std::string::npos);
  EXPECT_NE(
      first_error({"run.model=society", "governance.regime=daf", "population.citizens=50", "daf.voters=51"})
          .find("daf.voters = 51 exceeds population.citizens = 50"),
      std::string::npos);
}

// The society's modelling constants are parameters (docs/ODD.md); the pairs that make one probability or
// one percentage are checked together.
TEST(Registry, ModellingConstantsThatMakeOneQuantityAreCheckedTogether) {
  EXPECT_NE(
      first_error({"run.model=society", "society.feedback_base=0.5", "society.feedback_per_quality=0.6"})
          .find("society.feedback_base + society.feedback_per_quality must not exceed 1"),
      std::string::npos);
  EXPECT_NE(first_error({"run.model=society", "society.staff_sentiment_base=70",
                         "society.staff_sentiment_per_conduct=40"})
                .find("must not exceed 100"),
            std::string::npos);
  EXPECT_NE(first_error({"run.model=society", "governance.regime=daf", "daf.request_min=0.5",
                         "daf.request_spread=0.6"})
                .find("daf.request_min + daf.request_spread must not exceed 1"),
            std::string::npos);
  EXPECT_NE(first_error({"run.model=society", "society.survey_margin=100"}).find("society.survey_margin"),
            std::string::npos);
  // At their limits they are accepted.
  EXPECT_EQ(first_error({"run.model=society", "society.feedback_base=0.3", "society.feedback_per_quality=0.7",
                         "society.bid_min=0.5", "society.bid_spread=0", "values.focus_exponent=1"}),
            "");
}
