// The network view and the flow diagram: the sample and layout of a network, the sums of a step's flows by
// group from a real run's records, and both panels drawn headless from a real run file.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <set>
#include <thread>

#include "driver/registry.hpp"
#include "driver/run.hpp"
#include "support/headless_imgui.hpp"
#include "viz/money_flows.hpp"
#include "viz/network_layout.hpp"
#include "viz/panels.hpp"
#include "viz/sources.hpp"

using namespace civitas;
namespace fs = std::filesystem;

namespace {

viz::edge_list ring(std::uint32_t n) {
  viz::edge_list e;
  for (std::uint32_t i = 0; i < n; ++i) e.emplace_back(i, (i + 1) % n);
  return e;
}

// A full-ledger run file of a small society (its records are what the flow diagram sums).
std::string society_run_file(const std::string& regime) {
  const auto path = fs::temp_directory_path() / ("civitas_viz_flows_" + regime + ".h5");
  driver::run_options o;
  o.out_path = path.string();
  o.threads = 2;
  driver::run_scenario(
      driver::load_scenario(std::string(CIVITAS_SOURCE_DIR) + "/scenarios/regimes/" + regime + ".toml",
                            {"population.citizens=600", "population.firms=12", "population.charities=3",
                             "daf.voters=600", "run.steps=6"}),
      o);
  return path.string();
}

}  // namespace

TEST(NetworkLayout, ASampleIsTheNeighbourhoodOfItsStartWithItsEdges) {
  const auto edges = ring(100);
  const viz::network_picture p = viz::sample_network(edges, 10, 5);
  ASSERT_EQ(p.agents.size(), 5u);
  EXPECT_EQ(p.agents[0], 10u);
  EXPECT_EQ(std::set<std::uint32_t>(p.agents.begin(), p.agents.end()),
            (std::set<std::uint32_t>{8, 9, 10, 11, 12}));
  EXPECT_EQ(p.edges.size(), 4u);  // the path 8-9-10-11-12
  for (const auto& [a, b] : p.edges) {
    EXPECT_LT(a, p.agents.size());
    EXPECT_LT(b, p.agents.size());
    const auto d = (p.agents[a] + 100 - p.agents[b]) % 100;
    EXPECT_TRUE(d == 1 || d == 99);
  }
  // Room left after a component: the next component fills it.
  viz::edge_list two = {{0, 1}, {1, 2}, {50, 51}};
  EXPECT_EQ(viz::sample_network(two, 0, 10).agents.size(), 5u);
  EXPECT_TRUE(viz::sample_network({}, 0, 10).agents.empty());
}

TEST(NetworkLayout, ForceDirectedLayoutIsDeterministicBoundedAndPullsNeighboursTogether) {
  // Two rings of 60 joined by one edge.
  viz::edge_list edges = ring(60);
  for (std::uint32_t i = 0; i < 60; ++i) edges.emplace_back(60 + i, 60 + (i + 1) % 60);
  edges.emplace_back(0, 60);
  viz::network_picture a = viz::sample_network(edges, 0, 1000), b = a;
  viz::lay_out(a);
  viz::lay_out(b);
  ASSERT_EQ(a.x.size(), 120u);
  EXPECT_EQ(a.x, b.x);
  EXPECT_EQ(a.y, b.y);
  double edge_length = 0, pair_distance = 0;
  for (std::size_t i = 0; i < a.x.size(); ++i) {
    EXPECT_TRUE(std::isfinite(a.x[i]) && std::abs(a.x[i]) <= 1.0f + 1e-6f &&
                std::abs(a.y[i]) <= 1.0f + 1e-6f);
    for (std::size_t j = i + 1; j < a.x.size(); ++j)
      pair_distance += std::hypot(a.x[i] - a.x[j], a.y[i] - a.y[j]);
  }
  for (const auto& [i, j] : a.edges) edge_length += std::hypot(a.x[i] - a.x[j], a.y[i] - a.y[j]);
  edge_length /= static_cast<double>(a.edges.size());
  pair_distance /= 120.0 * 119 / 2;
  EXPECT_LT(edge_length, 0.25 * pair_distance);
}

TEST(NetworkLayout, TheBackgroundLayoutFinishesWithoutBlockingTheCaller) {
  viz::background_layout layout;
  EXPECT_FALSE(layout.busy());
  EXPECT_EQ(layout.finished(), nullptr);
  layout.start(viz::sample_network(ring(1000), 0, 1000));
  layout.start(viz::sample_network(ring(300), 0, 300));  // supersedes the first
  std::shared_ptr<const viz::network_picture> done;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!(done = layout.finished()) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->agents.size(), 300u);
  EXPECT_FALSE(layout.busy());
}

TEST(MoneyFlows, GroupsFollowKindAndSupplyChainStage) {
  // Agents: 0 citizen; firms 1 (raw), 2 (manufacturer), 3 (retailer), 4 (no edges); 5 charity; 6 government.
  const std::vector<std::uint8_t> kinds = {0, 1, 1, 1, 1, 2, 3};
  const viz::edge_list supply = {{1, 2}, {2, 3}};
  const auto g = viz::agent_groups(kinds, supply);
  using fg = viz::flow_group;
  EXPECT_EQ(g, (std::vector<fg>{fg::citizens, fg::raw_firms, fg::manufacturers, fg::retailers, fg::retailers,
                                fg::charities, fg::government}));
}

TEST(MoneyFlows, AStepsFlowsAddUpToItsAppliedRecordsAndGoWhereTheirReasonsSay) {
  const std::string path = society_run_file("daf");
  auto src = viz::make_replay_source(path);
  src->show_records_of(4);
  const auto f = src->latest();
  ASSERT_TRUE(f && f->run);
  ASSERT_FALSE(f->records.empty());
  const auto groups = viz::agent_groups(f->run->kinds, f->run->supply_edges);
  const viz::step_flows flows = viz::sum_flows(f->records, f->run->accounts, groups, 0);
  amount_t applied_cash = 0, matrix = 0;
  std::uint64_t applied = 0;
  for (const auto& r : f->records)
    if (r.status == 0 && r.token == 0) applied_cash += r.amount, ++applied;
  for (const auto& row : flows.amount) matrix = std::accumulate(row.begin(), row.end(), matrix);
  EXPECT_EQ(flows.total, applied_cash);
  EXPECT_EQ(matrix, applied_cash);
  EXPECT_EQ(flows.transfers, applied);
  const auto code_of = [&](const std::string& name) {
    for (const auto& [c, n] : f->run->reasons)
      if (n == name) return c;
    ADD_FAILURE() << name;
    return std::uint16_t{0};
  };
  // Wages only from firms to citizens; purchases only from citizens to retailers; the levy to the fund.
  using fg = viz::flow_group;
  const auto wage = code_of("wage"), purchase = code_of("purchase"), levy = code_of("daf_levy");
  for (std::size_t a = 0; a < viz::flow_groups; ++a)
    for (std::size_t b = 0; b < viz::flow_groups; ++b) {
      const auto& reasons = flows.by_reason[a][b];
      const bool firm = a == std::size_t(fg::raw_firms) || a == std::size_t(fg::manufacturers) ||
                        a == std::size_t(fg::retailers);
      if (reasons.count(wage)) {
        EXPECT_TRUE(firm && b == std::size_t(fg::citizens)) << a << "->" << b;
      }
      if (reasons.count(purchase)) {
        EXPECT_TRUE(a == std::size_t(fg::citizens) && b == std::size_t(fg::retailers));
      }
      if (reasons.count(levy)) {
        EXPECT_TRUE(a == std::size_t(fg::citizens) && b == std::size_t(fg::funds));
      }
    }
  EXPECT_GT(flows.amount[std::size_t(fg::citizens)][std::size_t(fg::retailers)], 0);
  EXPECT_GT(flows.amount[std::size_t(fg::citizens)][std::size_t(fg::funds)], 0);
  fs::remove(path);
}

using HeadlessViews = test::Headless;

TEST_F(HeadlessViews, NetworkAndFlowsDrawAReplayedRunUnderEveryRegime) {
  for (const std::string regime : {"market", "social_credit", "daf", "alliance"}) {
    const std::string path = society_run_file(regime);
    viz::viz_state s;
    s.src = viz::make_replay_source(path);
    s.src->show_records_of(6);
    s.view = s.src->latest();
    ASSERT_TRUE(s.view);
    ASSERT_FALSE(s.view->records.empty());
    // The flow diagram: bands for the last step's transfers.
    EXPECT_GT(draw(s, viz::draw_flows, "Money flows"), 1000) << regime;
    // Both networks: laid out in the background, drawn once ready.
    for (const int kind : {0, 1}) {
      s.network_kind = kind;
      int vertices = 0;
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (std::chrono::steady_clock::now() < deadline) {
        vertices = draw(s, viz::draw_network, "Network");
        if (s.network && s.network_kind_of == kind && !s.network_layout.busy()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      vertices = draw(s, viz::draw_network, "Network");
      ASSERT_TRUE(s.network) << regime;
      EXPECT_GT(s.network->agents.size(), kind == 0 ? 500u : 10u) << regime;
      EXPECT_GT(vertices, kind == 0 ? 2000 : 500) << regime << " network " << kind;
    }
    fs::remove(path);
  }
}

TEST_F(HeadlessViews, NetworkAndFlowsFollowALiveEngine) {
  viz::viz_state s;
  s.src = viz::make_live_source(std::string(CIVITAS_SOURCE_DIR) + "/scenarios/regimes/daf.toml",
                                {"population.citizens=600", "population.firms=12", "population.charities=3",
                                 "daf.voters=600", "run.steps=6"},
                                2);
  s.src->single_step();
  s.src->single_step();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while ((!s.src->latest() || s.src->latest()->step < 2) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  s.view = s.src->latest();
  ASSERT_TRUE(s.view && s.view->step == 2);
  ASSERT_FALSE(s.view->records.empty());  // a live frame carries its step's transfers
  EXPECT_FALSE(s.view->run->supply_edges.empty());
  EXPECT_GT(draw(s, viz::draw_flows, "Money flows"), 1000);
  s.network_kind = 1;  // the supply chain, whose edges carry this step's input purchases
  while (std::chrono::steady_clock::now() < deadline) {
    draw(s, viz::draw_network, "Network");
    if (s.network && !s.network_layout.busy()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(s.network);
  EXPECT_GT(draw(s, viz::draw_network, "Network"), 500);
}
