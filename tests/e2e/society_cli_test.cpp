// The society end to end: the real `civitas` binary on the shipped scenario, read back from its HDF5 file.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "io/run_file.hpp"
#include "support/process.hpp"

using namespace civitas;
using civitas::test::contains;
using civitas::test::run_civitas;
namespace fs = std::filesystem;

namespace {
const std::string scenario = std::string(CIVITAS_SOURCE_DIR) + "/scenarios/society/default.toml";
const std::string small =
    " --set population.citizens=1500 --set population.firms=30 --set population.charities=4";

fs::path temp(const std::string& name) { return fs::temp_directory_path() / ("civitas_society_" + name); }
}  // namespace

TEST(SocietyCli, ShippedScenarioRunsVerifiesAndWritesScoresAndNetworks) {
  const auto out = temp("run.h5");
  const auto r = run_civitas("run '" + scenario + "' --steps 12 --out '" + out.string() + "'" + small);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "gini_cash")) << r.out;

  const io::run_reader file(out.string());
  const auto& layout = file.layout();
  EXPECT_EQ(file.headers().size(), 13u);
  EXPECT_EQ(layout.tokens.size(), 4u);  // cash and three value-token categories
  EXPECT_EQ(layout.agent_kinds.size(), 1500u + 30 + 4 + 1);
  EXPECT_EQ(layout.value_dimensions, 17u);
  ASSERT_EQ(layout.value_dimension_names.size(), 17u);
  EXPECT_EQ(layout.value_dimension_names[12], "SDG13 Climate action");
  // Snapshots carry per-agent scores: firms have S/E or Modern Slavery, citizens have none of those.
  const auto& cols = file.score_columns();
  ASSERT_FALSE(cols.empty());
  const auto ms =
      static_cast<std::size_t>(std::find(cols.begin(), cols.end(), "modern_slavery") - cols.begin());
  ASSERT_LT(ms, cols.size());
  const auto last = file.snapshot_steps().size() - 1;
  const auto scores = file.snapshot_scores(last);
  ASSERT_EQ(scores.size(), layout.agent_kinds.size() * cols.size());
  std::size_t firms_scored = 0;
  for (std::size_t a = 0; a < layout.agent_kinds.size(); ++a) {
    const double v = scores[a * cols.size() + ms];
    if (layout.agent_kinds[a] == 1)
      firms_scored += !std::isnan(v);
    else
      EXPECT_TRUE(std::isnan(v)) << "agent " << a;
  }
  EXPECT_GT(firms_scored, 20u);
  // The networks: 1500 citizens at mean degree 10 have about 7500 ties; every supply edge joins two firms.
  EXPECT_GT(layout.social_edges.size(), 7000u);
  EXPECT_LE(layout.social_edges.size(), 7500u);
  ASSERT_FALSE(layout.supply_edges.empty());
  for (const auto& [from, to] : layout.supply_edges) {
    EXPECT_EQ(layout.agent_kinds.at(from), 1);
    EXPECT_EQ(layout.agent_kinds.at(to), 1);
  }
  // Lineage of value tokens is in the file, and the whole chain verifies by replay.
  EXPECT_FALSE(file.lineage().empty());
  const auto v = run_civitas("verify '" + out.string() + "'");
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;

  // Holdings by origin: the holder of the first rewarded lot sees it traced to the government's backing.
  const auto lots = file.lineage();
  const auto rewarded = std::find_if(lots.begin(), lots.end(), [](const auto& l) { return l.backing != 0; });
  ASSERT_NE(rewarded, lots.end());
  const agent_id holder = layout.accounts.at(rewarded->holder).owner;
  const auto mine = run_civitas("lineage '" + out.string() + "' --agent " + std::to_string(holder));
  EXPECT_EQ(mine.exit_code, 0) << mine.err;
  EXPECT_TRUE(contains(mine.out, "lot " + std::to_string(rewarded->lot))) << mine.out;
  EXPECT_TRUE(contains(mine.out, "backed by transfer " + std::to_string(rewarded->backing))) << mine.out;
  EXPECT_TRUE(contains(mine.out, "from agent 1534 (deed_backing)")) << mine.out;  // the government
  const auto summary = run_civitas("lineage '" + out.string() + "' --json");
  EXPECT_EQ(summary.exit_code, 0);
  EXPECT_TRUE(contains(summary.out, "\"green\": {\"lots\"")) << summary.out;
  EXPECT_EQ(run_civitas("lineage '" + out.string() + "' --agent 99999999").exit_code, 2);
  EXPECT_EQ(run_civitas("lineage '" + out.string() + "' --lot 1").exit_code, 2);
  fs::remove(out);
}

TEST(SocietyCli, BadSocietyParametersAreRejectedWithTheirPlace) {
  const auto path = temp("bad.toml");
  std::ofstream(path) << "[run]\nmodel = \"society\"\n\n[society]\nmean_degree = 7\nincome_tax = 1.5\n";
  const auto r = run_civitas("run '" + path.string() + "' --out '" + temp("never.h5").string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, path.string() + ":6:")) << r.err;  // income_tax out of range, with its line
  EXPECT_TRUE(contains(r.err, "income_tax")) << r.err;
  EXPECT_FALSE(fs::exists(temp("never.h5")));
  std::ofstream(path) << "[run]\nmodel = \"society\"\n\n[society]\nmean_degree = 7\n";
  const auto odd = run_civitas("run '" + path.string() + "' --out '" + temp("never.h5").string() + "'");
  EXPECT_EQ(odd.exit_code, 2);
  EXPECT_TRUE(contains(odd.err, path.string() + ":5:")) << odd.err;
  EXPECT_TRUE(contains(odd.err, "even")) << odd.err;
  const auto flag = run_civitas("run '" + scenario + "' --set society.social_graph=lattice --steps 1");
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_TRUE(contains(flag.err, "small_world")) << flag.err;
  fs::remove(path);
}
