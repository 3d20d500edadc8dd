#include "network/graphs.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

using namespace civitas::network;

namespace {

using edge = std::pair<std::uint32_t, std::uint32_t>;

// Checks every csr_graph invariant stated in graphs.hpp (fatal gtest failure at the first broken one).
void expect_valid_csr(const csr_graph& g, std::size_t nodes) {
  ASSERT_EQ(g.nodes(), nodes);
  ASSERT_EQ(g.offsets.size(), nodes + 1);
  ASSERT_EQ(g.offsets.front(), 0u);
  ASSERT_EQ(g.offsets.back(), g.neighbours.size());
  ASSERT_EQ(g.neighbours.size() % 2, 0u);
  for (std::uint32_t v = 0; v < nodes; ++v) {
    ASSERT_LE(g.offsets[v], g.offsets[v + 1]);
    const auto row = g.neighbours_of(v);
    for (std::size_t i = 0; i < row.size(); ++i) {
      ASSERT_LT(row[i], nodes);
      ASSERT_NE(row[i], v) << "self-loop at " << v;
      if (i > 0) {
        ASSERT_LT(row[i - 1], row[i]) << "row " << v << " not strictly ascending";
      }
      const auto back = g.neighbours_of(row[i]);
      ASSERT_TRUE(std::binary_search(back.begin(), back.end(), v))
          << v << " -> " << row[i] << " not mirrored";
    }
  }
}

double mean_degree(const csr_graph& g) {
  return 2.0 * static_cast<double>(g.edges()) / static_cast<double>(g.nodes());
}

std::size_t max_degree(const csr_graph& g) {
  std::size_t m = 0;
  for (std::uint32_t v = 0; v < g.nodes(); ++v) m = std::max(m, g.neighbours_of(v).size());
  return m;
}

// Mean local clustering coefficient (nodes of degree < 2 count as 0), by sorted-row intersection.
double clustering(const csr_graph& g) {
  double sum = 0;
  for (std::uint32_t v = 0; v < g.nodes(); ++v) {
    const auto row = g.neighbours_of(v);
    const std::size_t d = row.size();
    if (d < 2) continue;
    std::size_t links = 0;
    for (const std::uint32_t u : row) {
      const auto other = g.neighbours_of(u);
      std::vector<std::uint32_t> common;
      std::set_intersection(row.begin(), row.end(), other.begin(), other.end(), std::back_inserter(common));
      links += common.size();
    }
    sum += static_cast<double>(links) / static_cast<double>(d * (d - 1));  // each link seen twice
  }
  return sum / static_cast<double>(g.nodes());
}

}  // namespace

// --- make_csr_graph -----------------------------------------------------------------------------------

TEST(CsrGraph, SymmetrisesAndDropsLoopsAndDuplicates) {
  const std::vector<edge> edges = {{2, 0}, {0, 2}, {1, 1}, {3, 1}, {0, 2}, {1, 3}, {0, 3}};
  const csr_graph g = make_csr_graph(5, edges);
  expect_valid_csr(g, 5);
  EXPECT_EQ(g.edges(), 3u);
  EXPECT_EQ(std::vector<std::uint32_t>(g.neighbours_of(0).begin(), g.neighbours_of(0).end()),
            (std::vector<std::uint32_t>{2, 3}));
  EXPECT_TRUE(g.neighbours_of(4).empty());
  EXPECT_EQ(g.edge_list(), (std::vector<edge>{{0, 2}, {0, 3}, {1, 3}}));
}

TEST(CsrGraph, RejectsOutOfRangeEndpoint) {
  const std::vector<edge> edges = {{0, 5}};
  EXPECT_THROW(make_csr_graph(5, edges), std::invalid_argument);
}

// --- small world -------------------------------------------------------------------------------------

TEST(SocialGraph, SmallWorldAtPZeroIsTheRingLattice) {
  const std::uint32_t n = 101, k = 6;
  const csr_graph g = make_social_graph(social_graph_kind::small_world, n, k, 0.0, 7);
  expect_valid_csr(g, n);
  EXPECT_EQ(g.edges(), std::size_t{n} * k / 2);
  for (std::uint32_t v = 0; v < n; ++v) {
    std::set<std::uint32_t> nearest;
    for (std::uint32_t j = 1; j <= k / 2; ++j) {
      nearest.insert((v + j) % n);
      nearest.insert((v + n - j) % n);
    }
    const auto row = g.neighbours_of(v);
    EXPECT_EQ(std::set<std::uint32_t>(row.begin(), row.end()), nearest) << "node " << v;
  }
}

TEST(SocialGraph, SmallWorldHasMeanDegreeAndNoSelfLoops) {
  const std::uint32_t n = 5000, k = 10;
  for (const double p : {0.1, 0.5, 1.0}) {
    const csr_graph g = make_social_graph(social_graph_kind::small_world, n, k, p, 11);
    expect_valid_csr(g, n);
    // Only duplicates made by rewiring are lost: about k^2/n of the edges at worst.
    EXPECT_LE(mean_degree(g), k);
    EXPECT_GT(mean_degree(g), k * 0.99) << "p = " << p;
  }
}

TEST(SocialGraph, SmallWorldClusteringFallsWithRewiring) {
  const std::uint32_t n = 4000, k = 10;
  const double lattice = clustering(make_social_graph(social_graph_kind::small_world, n, k, 0.0, 3));
  const double random = clustering(make_social_graph(social_graph_kind::small_world, n, k, 1.0, 3));
  // The ring lattice's clustering is 3(k-2)/(4(k-1)); a random graph's is about k/n.
  EXPECT_NEAR(lattice, 3.0 * (k - 2) / (4.0 * (k - 1)), 1e-12);
  EXPECT_LT(random, 0.02);
  // Watts-Strogatz's point: a little rewiring keeps most of the clustering.
  const double small = clustering(make_social_graph(social_graph_kind::small_world, n, k, 0.01, 3));
  EXPECT_GT(small, 0.9 * lattice);
}

TEST(SocialGraph, SmallWorldIsDeterministicPerSeed) {
  const auto a = make_social_graph(social_graph_kind::small_world, 3000, 8, 0.2, 99);
  const auto b = make_social_graph(social_graph_kind::small_world, 3000, 8, 0.2, 99);
  const auto c = make_social_graph(social_graph_kind::small_world, 3000, 8, 0.2, 100);
  EXPECT_EQ(a.offsets, b.offsets);
  EXPECT_EQ(a.neighbours, b.neighbours);
  EXPECT_NE(a.neighbours, c.neighbours);
}

TEST(SocialGraph, SmallWorldZeroDegreeIsEdgeless) {
  const csr_graph g = make_social_graph(social_graph_kind::small_world, 10, 0, 0.5, 1);
  expect_valid_csr(g, 10);
  EXPECT_EQ(g.edges(), 0u);
}

TEST(SocialGraph, SmallWorldCompleteGraphAtPZero) {
  // k = n - 1 is allowed without rewiring: every node is in every window.
  const csr_graph g = make_social_graph(social_graph_kind::small_world, 9, 8, 0.0, 1);
  expect_valid_csr(g, 9);
  EXPECT_EQ(g.edges(), 9u * 8 / 2);
}

// --- scale free --------------------------------------------------------------------------------------

TEST(SocialGraph, ScaleFreeHasHeavyTail) {
  const std::uint32_t n = 20000, k = 10;
  const csr_graph g = make_social_graph(social_graph_kind::scale_free, n, k, 0.6, 5);
  expect_valid_csr(g, n);
  EXPECT_GT(mean_degree(g), 0.8 * k);
  EXPECT_LE(mean_degree(g), k + 0.5);
  EXPECT_GT(max_degree(g), 10 * mean_degree(g));
  // Heavy tail: far more high-degree nodes than a Poisson(k) graph would have (P(D >= 4k) ~ 1e-9).
  std::size_t hubs = 0;
  for (std::uint32_t v = 0; v < n; ++v) hubs += g.neighbours_of(v).size() >= 4 * k;
  EXPECT_GT(hubs, 200u);
  // ...and most nodes below the mean.
  std::size_t below = 0;
  for (std::uint32_t v = 0; v < n; ++v) below += g.neighbours_of(v).size() < k;
  EXPECT_GT(below, n / 2);
}

TEST(SocialGraph, ScaleFreeOnTwoNodesIsOneEdge) {
  // Both nodes get degree 1; their one pairing is PLOD's final step, which Boost does not yield.
  const csr_graph g = make_social_graph(social_graph_kind::scale_free, 2, 1, 0.5, 1);
  expect_valid_csr(g, 2);
  EXPECT_EQ(g.edges(), 1u);
}

TEST(SocialGraph, ScaleFreeTailGrowsWithAlpha) {
  const std::uint32_t n = 20000, k = 10;
  const auto light = make_social_graph(social_graph_kind::scale_free, n, k, 0.3, 5);
  const auto heavy = make_social_graph(social_graph_kind::scale_free, n, k, 0.8, 5);
  EXPECT_LT(max_degree(light), max_degree(heavy));
}

TEST(SocialGraph, ScaleFreeIsSymmetricAndDeterministicPerSeed) {
  const auto a = make_social_graph(social_graph_kind::scale_free, 5000, 6, 0.5, 21);
  const auto b = make_social_graph(social_graph_kind::scale_free, 5000, 6, 0.5, 21);
  const auto c = make_social_graph(social_graph_kind::scale_free, 5000, 6, 0.5, 22);
  expect_valid_csr(a, 5000);
  EXPECT_EQ(a.offsets, b.offsets);
  EXPECT_EQ(a.neighbours, b.neighbours);
  EXPECT_NE(a.neighbours, c.neighbours);
}

TEST(SocialGraph, EdgeListMatchesAdjacency) {
  const auto g = make_social_graph(social_graph_kind::scale_free, 2000, 8, 0.5, 4);
  const auto list = g.edge_list();
  ASSERT_EQ(list.size(), g.edges());
  EXPECT_TRUE(std::is_sorted(list.begin(), list.end()));
  EXPECT_EQ(std::adjacent_find(list.begin(), list.end()), list.end());
  for (const auto& [u, v] : list) EXPECT_LT(u, v);
  // Rebuilding from the list gives the same graph.
  const csr_graph rebuilt = make_csr_graph(2000, list);
  EXPECT_EQ(rebuilt.offsets, g.offsets);
  EXPECT_EQ(rebuilt.neighbours, g.neighbours);
}

TEST(SocialGraph, BadArgumentsThrow) {
  using enum social_graph_kind;
  EXPECT_THROW(make_social_graph(small_world, 1, 0, 0.1, 1), std::invalid_argument);    // nodes < 2
  EXPECT_THROW(make_social_graph(small_world, 100, 5, 0.1, 1), std::invalid_argument);  // odd k
  EXPECT_THROW(make_social_graph(small_world, 10, 10, 0.0, 1), std::invalid_argument);  // k >= nodes
  EXPECT_THROW(make_social_graph(small_world, 9, 8, 0.1, 1), std::invalid_argument);    // no room to rewire
  EXPECT_THROW(make_social_graph(small_world, 100, 4, -0.1, 1), std::invalid_argument);
  EXPECT_THROW(make_social_graph(small_world, 100, 4, 1.5, 1), std::invalid_argument);
  EXPECT_THROW(make_social_graph(scale_free, 1, 1, 0.5, 1), std::invalid_argument);
  EXPECT_THROW(make_social_graph(scale_free, 100, 0, 0.5, 1), std::invalid_argument);
  EXPECT_THROW(make_social_graph(scale_free, 100, 100, 0.5, 1), std::invalid_argument);
  EXPECT_THROW(make_social_graph(scale_free, 100, 4, 0.0, 1), std::invalid_argument);
  EXPECT_THROW(make_social_graph(scale_free, 100, 4, 2.5, 1), std::invalid_argument);  // a degree exponent
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(make_social_graph(small_world, 100, 4, nan, 1), std::invalid_argument);
  EXPECT_THROW(make_social_graph(scale_free, 100, 4, nan, 1), std::invalid_argument);
}

// --- supply chain ------------------------------------------------------------------------------------

namespace {

std::vector<std::size_t> stage_counts(const supply_chain& c) {
  std::vector<std::size_t> counts(3, 0);
  for (const auto s : c.stage) ++counts.at(s);
  return counts;
}

}  // namespace

TEST(SupplyChain, StageCountsFollowShares) {
  const auto c = make_supply_chain(100, 0.2, 0.3, 4, 1);
  ASSERT_EQ(c.firms(), 100u);
  ASSERT_EQ(c.offsets.size(), 101u);
  EXPECT_EQ(stage_counts(c), (std::vector<std::size_t>{20, 30, 50}));
  // Stages are contiguous and in order.
  EXPECT_TRUE(std::is_sorted(c.stage.begin(), c.stage.end()));
  // Rounding to nearest: 0.25 * 10 = 2.5 rounds away from zero, 0.34 * 10 = 3.4 to 3.
  EXPECT_EQ(stage_counts(make_supply_chain(10, 0.25, 0.34, 2, 1)), (std::vector<std::size_t>{3, 3, 4}));
}

TEST(SupplyChain, EveryStageGetsAFirm) {
  EXPECT_EQ(stage_counts(make_supply_chain(3, 0.0, 0.0, 2, 1)), (std::vector<std::size_t>{1, 1, 1}));
  EXPECT_EQ(stage_counts(make_supply_chain(10, 1.0, 0.0, 2, 1)), (std::vector<std::size_t>{8, 1, 1}));
  EXPECT_EQ(stage_counts(make_supply_chain(10, 0.0, 1.0, 2, 1)), (std::vector<std::size_t>{1, 8, 1}));
  EXPECT_EQ(stage_counts(make_supply_chain(3, 0.5, 0.5, 2, 1)), (std::vector<std::size_t>{1, 1, 1}));
}

TEST(SupplyChain, SuppliersComeFromThePreviousStage) {
  const auto c = make_supply_chain(300, 0.1, 0.3, 5, 8);
  const auto counts = stage_counts(c);
  ASSERT_EQ(counts, (std::vector<std::size_t>{30, 90, 180}));
  ASSERT_EQ(c.offsets.back(), c.suppliers.size());
  for (std::uint32_t f = 0; f < c.firms(); ++f) {
    const auto sup = c.suppliers_of(f);
    if (c.stage[f] == 0) {
      EXPECT_TRUE(sup.empty()) << "raw firm " << f << " has suppliers";
      continue;
    }
    EXPECT_EQ(sup.size(), 5u);
    for (std::size_t i = 0; i < sup.size(); ++i) {
      ASSERT_LT(sup[i], c.firms());
      EXPECT_EQ(c.stage[sup[i]], c.stage[f] - 1) << "firm " << f << " supplier " << sup[i];
      if (i > 0) {
        EXPECT_LT(sup[i - 1], sup[i]);  // sorted, distinct
      }
    }
  }
}

TEST(SupplyChain, SupplierCountCappedByPreviousStage) {
  // 2 raw firms: manufacturers can only have 2 suppliers, all of them.
  const auto c = make_supply_chain(20, 0.1, 0.5, 6, 2);
  ASSERT_EQ(stage_counts(c), (std::vector<std::size_t>{2, 10, 8}));
  for (std::uint32_t f = 0; f < c.firms(); ++f) {
    const std::size_t expected = c.stage[f] == 0 ? 0 : c.stage[f] == 1 ? 2 : 6;
    EXPECT_EQ(c.suppliers_of(f).size(), expected) << "firm " << f;
  }
  EXPECT_EQ(std::vector<std::uint32_t>(c.suppliers_of(2).begin(), c.suppliers_of(2).end()),
            (std::vector<std::uint32_t>{0, 1}));
  // Zero suppliers per firm is a chain of isolated stages.
  EXPECT_TRUE(make_supply_chain(20, 0.3, 0.3, 0, 2).suppliers.empty());
}

TEST(SupplyChain, SuppliersAreDrawnUniformly) {
  // 10 raw firms, 2000 manufacturers each picking 3: every raw firm expects 600 customers (sd ~ 20).
  const auto c = make_supply_chain(2011, 10.0 / 2011, 2000.0 / 2011, 3, 17);
  ASSERT_EQ(stage_counts(c), (std::vector<std::size_t>{10, 2000, 1}));
  std::map<std::uint32_t, int> customers;
  for (std::uint32_t f = 10; f < 2010; ++f)
    for (const auto s : c.suppliers_of(f)) ++customers[s];
  ASSERT_EQ(customers.size(), 10u);
  for (const auto& [s, n] : customers) EXPECT_NEAR(n, 600, 100) << "raw firm " << s;
}

TEST(SupplyChain, IsAcyclic) {
  // Independent check by Kahn's algorithm: every firm can be ordered after all its suppliers.
  const auto c = make_supply_chain(500, 0.2, 0.4, 4, 3);
  std::vector<std::size_t> waiting(c.firms());
  std::vector<std::vector<std::uint32_t>> customers(c.firms());
  for (std::uint32_t f = 0; f < c.firms(); ++f) {
    waiting[f] = c.suppliers_of(f).size();
    for (const auto s : c.suppliers_of(f)) customers[s].push_back(f);
  }
  std::vector<std::uint32_t> ready;
  for (std::uint32_t f = 0; f < c.firms(); ++f)
    if (waiting[f] == 0) ready.push_back(f);
  std::size_t ordered = 0;
  while (!ready.empty()) {
    const auto f = ready.back();
    ready.pop_back();
    ++ordered;
    for (const auto g : customers[f])
      if (--waiting[g] == 0) ready.push_back(g);
  }
  EXPECT_EQ(ordered, c.firms());
}

TEST(SupplyChain, IsDeterministicPerSeed) {
  const auto a = make_supply_chain(400, 0.2, 0.3, 3, 5);
  const auto b = make_supply_chain(400, 0.2, 0.3, 3, 5);
  const auto c = make_supply_chain(400, 0.2, 0.3, 3, 6);
  EXPECT_EQ(a.stage, b.stage);
  EXPECT_EQ(a.offsets, b.offsets);
  EXPECT_EQ(a.suppliers, b.suppliers);
  EXPECT_NE(a.suppliers, c.suppliers);
}

TEST(SupplyChain, EdgeListMatchesSuppliers) {
  const auto c = make_supply_chain(200, 0.25, 0.25, 3, 9);
  const auto list = c.edge_list();
  ASSERT_EQ(list.size(), c.suppliers.size());
  EXPECT_TRUE(std::is_sorted(list.begin(), list.end()));
  EXPECT_EQ(std::adjacent_find(list.begin(), list.end()), list.end());
  for (const auto& [supplier, customer] : list) {
    const auto sup = c.suppliers_of(customer);
    EXPECT_TRUE(std::binary_search(sup.begin(), sup.end(), supplier));
    EXPECT_EQ(c.stage[supplier] + 1, c.stage[customer]);
  }
}

TEST(SupplyChain, BadArgumentsThrow) {
  EXPECT_THROW(make_supply_chain(2, 0.3, 0.3, 2, 1), std::invalid_argument);
  EXPECT_THROW(make_supply_chain(10, -0.1, 0.3, 2, 1), std::invalid_argument);
  EXPECT_THROW(make_supply_chain(10, 0.3, 1.1, 2, 1), std::invalid_argument);
  EXPECT_THROW(make_supply_chain(10, 0.6, 0.6, 2, 1), std::invalid_argument);
  EXPECT_THROW(make_supply_chain(10, std::numeric_limits<double>::quiet_NaN(), 0.3, 2, 1),
               std::invalid_argument);
  EXPECT_NO_THROW(make_supply_chain(10, 0.7, 0.3, 2, 1));  // sums to 1 up to rounding
}
