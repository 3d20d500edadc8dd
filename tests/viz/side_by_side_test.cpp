// Regimes live side by side: each lane is exactly the run `civitas run` makes of its scenario (same series,
// same head hash), the lanes keep in step, bad choices are refused with a clear message, and the page draws
// headless from real engines.
#include "viz/side_by_side.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "driver/registry.hpp"
#include "driver/run.hpp"
#include "governance/registry.hpp"
#include "io/run_file.hpp"
#include "ledger/hash.hpp"
#include "sim/world.hpp"
#include "support/headless_imgui.hpp"
#include "viz/panels.hpp"
#include "viz/sources.hpp"

using namespace civitas;

namespace {

const std::string compare_toml = std::string(CIVITAS_SOURCE_DIR) + "/scenarios/regimes/compare.toml";
const std::vector<std::string> small{"population.citizens=500", "population.firms=10",
                                     "population.charities=3", "daf.voters=500", "run.steps=6"};

params::scenario small_society() { return driver::load_scenario(compare_toml, small); }

// Polls the lanes (which also paces them) until every lane has reached `step` or the time is up.
std::vector<std::shared_ptr<const viz::lane_view>> wait_for(
    viz::side_by_side& lanes, step_t step, std::chrono::seconds limit = std::chrono::seconds(300)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto views = lanes.latest();
    const bool done =
        std::all_of(views.begin(), views.end(), [&](const auto& v) { return v && v->step >= step; });
    if (done || std::chrono::steady_clock::now() > until) return views;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

bool same_value(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

}  // namespace

TEST(SideBySide, RegimeListsAreCheckedByName) {
  EXPECT_EQ(viz::parse_regime_list("market, daf"), (std::vector<std::string>{"market", "daf"}));
  try {
    viz::parse_regime_list("market,dictatorship");
    FAIL() << "an unknown regime was accepted";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.diagnostics().at(0).message).find("unknown regime 'dictatorship'"),
              std::string::npos);
  }
  EXPECT_THROW(viz::parse_regime_list("daf,daf"), input_error);
}

TEST(SideBySide, ChoicesOutsideTwoToFourRegimesOrWithoutRegimesAreRefused) {
  const auto base = small_society();
  EXPECT_THROW(viz::regime_scenarios(base, compare_toml, small, {"market"}), input_error);
  EXPECT_THROW(viz::regime_scenarios(base, compare_toml, small,
                                     {"market", "daf", "alliance", "social_credit", "market"}),
               input_error);
  const auto boltzmann =
      driver::load_scenario(std::string(CIVITAS_SOURCE_DIR) + "/scenarios/validation/boltzmann.toml");
  try {
    viz::regime_scenarios(boltzmann, "", {}, {"market", "daf"});
    FAIL() << "an exchange model was run under regimes";
  } catch (const input_error& e) {
    EXPECT_NE(e.diagnostics().at(0).message.find("has none"), std::string::npos);
  }
}

TEST(SideBySide, EachLaneKeepsTheFilesOwnTablesAndChangesOnlyItsRegime) {
  const auto base = small_society();
  const auto scenarios = viz::regime_scenarios(base, compare_toml, small, {"market", "social_credit"});
  ASSERT_EQ(scenarios.size(), 2u);
  EXPECT_EQ(scenarios[0].get<governance::governance_params>().regime, "market");
  EXPECT_EQ(scenarios[1].get<governance::governance_params>().regime, "social_credit");
  // compare.toml sets the social-credit fine; the lane under social credit must run with it.
  EXPECT_NE(params::canonical_toml(scenarios[1]).find("fine = 100"), std::string::npos);
  // Same seed, same society: only the regime's tables differ.
  EXPECT_EQ(scenarios[0].get<sim::run_params>().seed, scenarios[1].get<sim::run_params>().seed);
  EXPECT_EQ(scenarios[0].get<sim::population_params>().citizens, 500u);
}

TEST(SideBySide, EveryLaneIsTheRunItsScenarioMakesAlone) {
  const auto base = small_society();
  viz::side_by_side lanes(
      viz::regime_scenarios(base, compare_toml, small, {"market", "social_credit", "daf", "alliance"}), 2);
  lanes.set_speed(1000);
  lanes.play(true);
  const auto views = wait_for(lanes, 6);
  ASSERT_EQ(views.size(), 4u);
  std::set<std::string> heads;
  for (std::size_t i = 0; i < views.size(); ++i) {
    ASSERT_TRUE(views[i]);
    ASSERT_TRUE(views[i]->error.empty()) << views[i]->error;
    ASSERT_EQ(views[i]->step, 6u) << views[i]->regime;
    // The same scenario run alone, as `civitas run` runs it.
    const auto w = driver::make_world(lanes.scenario_of(i));
    w->genesis();
    std::vector<std::vector<double>> rows{w->metrics()};
    for (int s = 0; s < 6; ++s) {
      w->step();
      rows.push_back(w->metrics());
    }
    EXPECT_EQ(views[i]->head, ledger::to_hex(w->ledger().head().hash)) << views[i]->regime;
    ASSERT_EQ(views[i]->rows.size(), rows.size());
    for (std::size_t t = 0; t < rows.size(); ++t)
      for (std::size_t c = 0; c < rows[t].size(); ++c)
        ASSERT_TRUE(same_value(views[i]->rows[t][c], rows[t][c]))
            << views[i]->regime << " step " << t << " column " << (*views[i]->columns)[c];
    heads.insert(views[i]->head);
  }
  EXPECT_EQ(heads.size(), 4u) << "the regimes made the same ledger";
  EXPECT_FALSE(lanes.playing()) << "the lanes stop at the run's last step";
}

TEST(SideBySide, LanesKeepInStepAndPauseStops) {
  const auto base = small_society();
  viz::side_by_side lanes(viz::regime_scenarios(base, compare_toml, small, {"market", "daf", "alliance"}), 2);
  lanes.set_speed(8);
  lanes.play(true);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  step_t most_apart = 0, furthest = 0;
  while (std::chrono::steady_clock::now() < until && furthest < 6) {
    const auto views = lanes.latest();
    step_t lo = 1000, hi = 0;
    for (const auto& v : views) {
      const step_t s = v ? v->step : 0;
      lo = std::min(lo, s), hi = std::max(hi, s);
    }
    most_apart = std::max(most_apart, hi - lo);
    furthest = lo;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_EQ(furthest, 6u);
  EXPECT_LE(most_apart, 1u) << "a lane ran ahead of the slowest by more than a step";

  viz::side_by_side paused(viz::regime_scenarios(base, compare_toml, small, {"market", "daf"}), 2);
  wait_for(paused, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (const auto& v : paused.latest()) EXPECT_EQ(v->step, 0u) << "a lane moved while paused";
  paused.single_step();
  const auto one = wait_for(paused, 1, std::chrono::seconds(120));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (const auto& v : paused.latest()) EXPECT_EQ(v->step, 1u) << "a single step went further than one";
}

using SideBySidePage = test::Headless;

TEST_F(SideBySidePage, StartsFromTheScenarioInForceAndDrawsEveryLane) {
  viz::viz_state s;
  s.scenario_path = compare_toml;
  s.overrides = small;
  s.src = viz::make_live_source(compare_toml, small, 1);
  s.page = 2;
  // One regime ticked: refused, in words, and nothing runs.
  s.lane_chosen = {true, false, false, false};
  EXPECT_FALSE(viz::try_start_lanes(s));
  EXPECT_NE(s.lane_message.find("two to four"), std::string::npos) << s.lane_message;
  EXPECT_FALSE(s.lanes);
  s.lane_chosen = {true, true, false, false};
  ASSERT_TRUE(viz::try_start_lanes(s)) << s.lane_message;
  s.lanes->set_speed(1000);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  int vertices = 0;
  while (std::chrono::steady_clock::now() < until) {
    ImGui::NewFrame();
    viz::draw_all(s, 1600, 900);
    ImGui::Render();
    vertices = ImGui::FindWindowByName("Regimes side by side")->DrawList->VtxBuffer.Size;
    if (!s.lane_views.empty() && s.lane_views[0] && s.lane_views[0]->step >= 6 && s.lane_views[1] &&
        s.lane_views[1]->step >= 6)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(s.lane_views.size(), 2u);
  EXPECT_EQ(s.lane_views[1]->regime, governance::regime_names()[1]);
  EXPECT_FALSE(s.lane_columns.empty()) << "no metric drawn by default";
  EXPECT_GT(vertices, 2000) << "the charts drew next to nothing";
  ASSERT_TRUE(ImGui::FindWindowByName("Side by side"));
  s.lane_differences = true;
  ImGui::NewFrame();
  viz::draw_all(s, 1600, 900);
  ImGui::Render();
  EXPECT_GT(ImGui::FindWindowByName("Regimes side by side")->DrawList->VtxBuffer.Size, 1000);
}

TEST_F(SideBySidePage, AReplayedRunStartsLanesFromItsOwnScenario) {
  // The file's own regime as one lane: that lane must remake the file's ledger exactly.
  const auto path =
      std::filesystem::temp_directory_path() / ("civitas_side_replay_" + std::to_string(::getpid()) + ".h5");
  driver::run_options o;
  o.out_path = path.string();
  driver::run_scenario(small_society(), o);
  std::string file_head;
  {
    const io::run_reader reader(path.string());
    file_head = ledger::to_hex(reader.headers().back().hash);
  }
  viz::viz_state s;
  s.src = viz::make_replay_source(path.string());
  s.overrides = {"daf.voters=500"};  // the file keeps only the market's tables: the DAF lane needs its size
  s.lane_chosen = {true, false, true, false};
  ASSERT_TRUE(viz::try_start_lanes(s)) << s.lane_message;
  s.lanes->set_speed(1000);
  const auto views = wait_for(*s.lanes, 6);
  ASSERT_EQ(views.size(), 2u);
  EXPECT_EQ(views[0]->regime, "market");
  EXPECT_EQ(views[0]->head, file_head) << "the market lane is not the replayed run";
  EXPECT_NE(views[1]->head, file_head);
  s.lanes.reset();
  s.src.reset();
  std::filesystem::remove(path);
}
