// Generators for the social graph and the supply chain. The only translation unit that includes
// Boost.Graph (see the design note in graphs.hpp).
//
// [SECTION] csr_graph
// [SECTION] social graphs
// [SECTION] supply chain
#include "network/graphs.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/plod_generator.hpp>
#include <boost/graph/small_world_generator.hpp>
#include <boost/graph/topological_sort.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>

namespace civitas::network {

namespace {

using edge = std::pair<std::uint32_t, std::uint32_t>;

[[noreturn]] void bad_argument(const std::string& what) { throw std::invalid_argument(what); }

// The Boost generators take their engine by type and copy it into boost::uniform_01 on every edge
// (small_world_iterator then copies it back). mt19937_64 is 2.5 KB, so they get this one-pointer
// handle instead: the same numbers from the same engine, without ten million 2.5 KB copies.
class engine_handle {
 public:
  using result_type = std::mt19937_64::result_type;
  explicit engine_handle(std::mt19937_64& engine) : engine_(&engine) {}
  static constexpr result_type min() { return std::mt19937_64::min(); }
  static constexpr result_type max() { return std::mt19937_64::max(); }
  result_type operator()() { return (*engine_)(); }

 private:
  std::mt19937_64* engine_;
};

// Only names a graph type for the generators' traits (vertices_size_type, directed_category); never built.
using undirected_tag_graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

}  // namespace

// [SECTION] csr_graph

std::vector<edge> csr_graph::edge_list() const {
  std::vector<edge> out;
  out.reserve(edges());
  for (std::uint32_t u = 0; u < nodes(); ++u)
    for (const std::uint32_t v : neighbours_of(u))
      if (u < v) out.emplace_back(u, v);  // rows ascend and each row ascends, so this is already sorted
  return out;
}

csr_graph make_csr_graph(std::uint32_t nodes, std::span<const edge> edges) {
  // Counting sort by endpoint (both orientations), then sort and dedupe each short row in place:
  // O(E) plus tiny sorts, where sorting 2E pairs globally would dominate the generators' own cost.
  csr_graph g;
  g.offsets.assign(std::size_t{nodes} + 1, 0);
  for (const auto& [u, v] : edges) {
    if (u >= nodes || v >= nodes)
      bad_argument("edge (" + std::to_string(u) + ", " + std::to_string(v) +
                   ") names a node >= " + std::to_string(nodes));
    if (u == v) continue;
    ++g.offsets[u + 1];
    ++g.offsets[v + 1];
  }
  for (std::size_t i = 1; i < g.offsets.size(); ++i) g.offsets[i] += g.offsets[i - 1];
  g.neighbours.resize(g.offsets.back());
  std::vector<std::uint64_t> cursor(g.offsets.begin(), g.offsets.end() - 1);
  for (const auto& [u, v] : edges) {
    if (u == v) continue;
    g.neighbours[cursor[u]++] = v;
    g.neighbours[cursor[v]++] = u;
  }
  // Compact: row v moves down to `write`, which never passes its old start, so rows do not overlap.
  std::uint64_t write = 0;
  for (std::uint32_t v = 0; v < nodes; ++v) {
    const auto first = g.neighbours.begin() + static_cast<std::ptrdiff_t>(g.offsets[v]);
    const auto last = g.neighbours.begin() + static_cast<std::ptrdiff_t>(g.offsets[v + 1]);
    std::sort(first, last);
    const auto unique_end = std::unique(first, last);
    g.offsets[v] = write;
    write = static_cast<std::uint64_t>(
        std::copy(first, unique_end, g.neighbours.begin() + static_cast<std::ptrdiff_t>(write)) -
        g.neighbours.begin());
  }
  g.offsets[nodes] = write;
  g.neighbours.resize(write);
  g.neighbours.shrink_to_fit();
  return g;
}

// [SECTION] social graphs

namespace {

// Drains a Boost edge generator into pairs. The generators yield std::size_t; nodes fit in 32 bits.
// `first` is taken by reference so that callers can look at where it stopped.
template <typename Iterator>
std::vector<edge> collect_edges(Iterator& first, Iterator last, std::size_t expected) {
  std::vector<edge> out;
  out.reserve(expected + 1);
  for (; first != last; ++first)
    out.emplace_back(static_cast<std::uint32_t>(first->first), static_cast<std::uint32_t>(first->second));
  return out;
}

csr_graph small_world(std::uint32_t nodes, std::uint32_t k, double p, std::mt19937_64& engine) {
  if (k % 2 != 0)
    bad_argument("small_world mean_degree must be even (k/2 neighbours each side), got " + std::to_string(k));
  if (!(p >= 0.0 && p <= 1.0)) bad_argument("small_world rewiring probability must be in [0, 1]");
  // A rewired edge must land outside the source's window of k+1 nodes; with no node outside it,
  // small_world_iterator would loop for ever.
  if (p > 0.0 && std::uint64_t{k} + 1 >= nodes)
    bad_argument("small_world with rewiring needs mean_degree <= nodes - 2");
  // The iterator's lattice walk cannot express k = 0 (it would still emit edge (0, 1)).
  if (k == 0) return make_csr_graph(nodes, {});
  // Boost quirk kept as is: the first lattice edge, (0, 1), is emitted before any draw and never rewired.
  engine_handle handle(engine);
  using iterator = boost::small_world_iterator<engine_handle, undirected_tag_graph>;
  iterator it(handle, nodes, k, p);
  const auto pairs = collect_edges(it, iterator(), std::size_t{nodes} * (k / 2));
  return make_csr_graph(nodes, pairs);
}

// Expected mean of PLOD's degree sequence for a given beta, using the generator's own formula
// degree(x) = clamp(floor(beta * x^-alpha), 1, n-1) over x uniform in [0, n). weight[x] = x^-alpha is
// decreasing, so the scan stops where every later term is clamped up to 1.
double plod_expected_mean(const std::vector<double>& weight, double beta, std::size_t n) {
  const double top = static_cast<double>(n - 1);
  double sum = 0;
  std::size_t x = 1;
  for (; x < n; ++x) {
    const double raw = beta * weight[x];
    if (raw < 2.0) break;
    sum += std::min(std::floor(raw), top);
  }
  sum += static_cast<double>(n - x) + 1.0;  // the tail, and x = 0 (degree 0 becomes 1)
  return sum / static_cast<double>(n);
}

csr_graph scale_free(std::uint32_t nodes, std::uint32_t mean_degree, double alpha, std::mt19937_64& engine) {
  // PLOD's alpha is a rank exponent (degree ~ rank^-alpha), so the degree distribution's exponent is
  // 1 + 1/alpha. At alpha >= 1 that is <= 2: the mean degree is then carried by a few saturated hubs
  // whose stubs PLOD cannot pair, and the graph comes out far sparser than asked (mean 5.5 of 10 at
  // alpha = 1, 1.2 at alpha = 2). Refusing it also catches a degree exponent such as 2.5 passed as alpha.
  if (!(alpha > 0.0 && alpha < 1.0))
    bad_argument(
        "scale_free alpha (PLOD rank exponent; degree exponent is 1 + 1/alpha) must be in (0, 1), got " +
        std::to_string(alpha));
  if (mean_degree < 1) bad_argument("scale_free mean_degree must be >= 1 (PLOD gives every node a link)");
  const std::size_t n = nodes;
  std::vector<double> weight(n, 0.0);
  for (std::size_t x = 1; x < n; ++x) weight[x] = std::pow(static_cast<double>(x), -alpha);
  // Bisect log(beta): at beta = 1 every degree is 1; at beta = (n-1)^(1+alpha) every x >= 1 saturates.
  double lo = 0.0, hi = (1.0 + alpha) * std::log(static_cast<double>(n - 1)) + 1.0;
  while (hi - lo > 1e-9) {  // ~35 halvings; each scan can cover all n nodes when alpha is small
    const double mid = 0.5 * (lo + hi);
    (plod_expected_mean(weight, std::exp(mid), n) < mean_degree ? lo : hi) = mid;
  }
  const double beta = std::exp(hi);
  weight = {};

  engine_handle handle(engine);
  using iterator = boost::plod_iterator<engine_handle, undirected_tag_graph>;
  iterator it(handle, n, alpha, beta);
  auto pairs = collect_edges(it, iterator(), n * mean_degree / 2);
  // Boost quirk: the iterator compares equal to the end as soon as its stubs run out, so the edge its
  // last step made (which used up those stubs) is never yielded; it is still in the iterator. Small
  // graphs need it (2 nodes would otherwise have no edge), and were Boost fixed, it would only be a
  // duplicate, which make_csr_graph drops.
  pairs.emplace_back(static_cast<std::uint32_t>(it->first), static_cast<std::uint32_t>(it->second));
  return make_csr_graph(nodes, pairs);
}

}  // namespace

csr_graph make_social_graph(social_graph_kind kind, std::uint32_t nodes, std::uint32_t mean_degree,
                            double param, std::uint64_t seed) {
  if (nodes < 2) bad_argument("a social graph needs at least 2 nodes, got " + std::to_string(nodes));
  if (mean_degree >= nodes)
    bad_argument("mean_degree " + std::to_string(mean_degree) + " must be below the node count " +
                 std::to_string(nodes));
  std::mt19937_64 engine(seed);
  switch (kind) {
    case social_graph_kind::small_world:
      return small_world(nodes, mean_degree, param, engine);
    case social_graph_kind::scale_free:
      return scale_free(nodes, mean_degree, param, engine);
  }
  bad_argument("unknown social_graph_kind");
}

// [SECTION] supply chain

std::vector<edge> supply_chain::edge_list() const {
  std::vector<edge> out;
  out.reserve(suppliers.size());
  for (std::uint32_t f = 0; f < firms(); ++f)
    for (const std::uint32_t s : suppliers_of(f)) out.emplace_back(s, f);
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

// The invariant behind "supply chain": goods flow one way. Checked with Boost's topological sort on
// (supplier -> customer) edges; staging makes a cycle impossible, so a failure is a bug here.
void check_acyclic(const supply_chain& chain) {
  using dag = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  dag g(chain.firms());
  for (const auto& [supplier, customer] : chain.edge_list()) boost::add_edge(supplier, customer, g);
  std::vector<dag::vertex_descriptor> order;
  order.reserve(chain.firms());
  try {
    boost::topological_sort(g, std::back_inserter(order));
  } catch (const boost::not_a_dag&) {
    throw std::logic_error("supply chain generator produced a cycle");
  }
}

std::uint32_t rounded_share(double share, std::uint32_t firms) {
  return static_cast<std::uint32_t>(std::llround(share * static_cast<double>(firms)));
}

}  // namespace

supply_chain make_supply_chain(std::uint32_t firms, double raw_share, double manufacturer_share,
                               std::uint32_t suppliers_per_firm, std::uint64_t seed) {
  if (firms < 3)
    bad_argument("a supply chain needs at least 3 firms (one per stage), got " + std::to_string(firms));
  if (!(raw_share >= 0.0 && raw_share <= 1.0) || !(manufacturer_share >= 0.0 && manufacturer_share <= 1.0))
    bad_argument("supply chain stage shares must be in [0, 1]");
  // A little slack so that shares like 0.7 + 0.3 written in decimal are not rejected for rounding.
  if (raw_share + manufacturer_share > 1.0 + 1e-9)
    bad_argument("supply chain raw and manufacturer shares sum over 1");

  // Clamping in stage order keeps at least one firm for each later stage.
  const std::uint32_t raw = std::clamp(rounded_share(raw_share, firms), 1u, firms - 2);
  const std::uint32_t manufacturers =
      std::clamp(rounded_share(manufacturer_share, firms), 1u, firms - raw - 1);
  const std::uint32_t stage_begin[4] = {0, raw, raw + manufacturers, firms};

  supply_chain chain;
  chain.stage.resize(firms);
  chain.offsets.assign(std::size_t{firms} + 1, 0);
  for (std::uint8_t s = 0; s < 3; ++s)
    std::fill(chain.stage.begin() + stage_begin[s], chain.stage.begin() + stage_begin[s + 1], s);

  std::mt19937_64 engine(seed);
  std::vector<char> taken;  // membership over the previous stage, cleared after each firm
  std::vector<std::uint32_t> picked;
  for (std::uint32_t f = 0; f < firms; ++f) {
    const std::uint8_t s = chain.stage[f];
    if (s > 0) {
      const std::uint32_t base = stage_begin[s - 1];
      const std::uint32_t pool = stage_begin[s] - base;
      const std::uint32_t k = std::min(suppliers_per_firm, pool);
      taken.resize(std::max<std::size_t>(taken.size(), pool), 0);
      // Floyd's algorithm: a uniform k-subset of [0, pool) in k draws, whatever k is relative to pool.
      picked.clear();
      for (std::uint32_t j = pool - k; j < pool; ++j) {
        const std::uint32_t t = boost::random::uniform_int_distribution<std::uint32_t>(0, j)(engine);
        const std::uint32_t chosen = taken[t] ? j : t;
        taken[chosen] = 1;
        picked.push_back(chosen);
      }
      std::sort(picked.begin(), picked.end());
      for (const std::uint32_t i : picked) {
        taken[i] = 0;
        chain.suppliers.push_back(base + i);
      }
    }
    chain.offsets[f + 1] = chain.suppliers.size();
  }
  check_acyclic(chain);
  return chain;
}

}  // namespace civitas::network
