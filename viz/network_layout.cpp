#include "viz/network_layout.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/fruchterman_reingold.hpp>
#include <boost/graph/random_layout.hpp>
#include <boost/graph/topology.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <chrono>
#include <cmath>
#include <deque>
#include <limits>
#include <unordered_map>

namespace civitas::viz {

network_picture sample_network(std::span<const std::pair<std::uint32_t, std::uint32_t>> edges,
                               std::uint32_t start, std::size_t max_nodes) {
  network_picture p;
  if (edges.empty() || max_nodes == 0) return p;
  // Adjacency by agent id (ids are sparse for the supply chain: firms only).
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> next;
  std::vector<std::uint32_t> order;  // agents with an edge, in order of first appearance
  for (const auto& [a, b] : edges) {
    for (const std::uint32_t v : {a, b})
      if (!next.count(v)) order.push_back(v), next[v];
    next[a].push_back(b);
    next[b].push_back(a);
  }
  std::unordered_map<std::uint32_t, std::uint32_t> node;  // agent -> node index
  auto visit_from = [&](std::uint32_t root) {
    if (node.count(root) || p.agents.size() >= max_nodes) return;
    std::deque<std::uint32_t> queue{root};
    node[root] = static_cast<std::uint32_t>(p.agents.size());
    p.agents.push_back(root);
    while (!queue.empty() && p.agents.size() < max_nodes) {
      const std::uint32_t v = queue.front();
      queue.pop_front();
      for (const std::uint32_t w : next[v]) {
        if (node.count(w)) continue;
        if (p.agents.size() >= max_nodes) break;
        node[w] = static_cast<std::uint32_t>(p.agents.size());
        p.agents.push_back(w);
        queue.push_back(w);
      }
    }
  };
  if (next.count(start)) visit_from(start);
  for (const std::uint32_t v : order) visit_from(v);
  for (const auto& [a, b] : edges) {
    const auto i = node.find(a), j = node.find(b);
    if (i != node.end() && j != node.end() && i->second != j->second)
      p.edges.emplace_back(i->second, j->second);
  }
  return p;
}

void lay_out(network_picture& p, int iterations) {
  using topology = boost::rectangle_topology<boost::random::mt19937>;
  using graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
  const std::size_t n = p.agents.size();
  p.x.assign(n, 0.0f);
  p.y.assign(n, 0.0f);
  if (n < 2) return;
  graph g(n);
  for (const auto& [a, b] : p.edges) boost::add_edge(a, b, g);
  boost::random::mt19937 gen(1);  // fixed: the same sample gives the same picture
  // The unit square centred on 0: Boost's repulsion grid assumes centred coordinates (a square_topology
  // draws in [0, side) and crowds half the nodes into the last cells) and sizes its cells as
  // 2 x volume / sqrt(n), twice the ideal edge length sqrt(volume / n) only at volume 1. Otherwise each
  // round is quadratic in the nodes.
  topology space(gen, -0.5, -0.5, 0.5, 0.5);
  std::vector<topology::point_type> position(n);
  auto positions = boost::make_iterator_property_map(position.begin(), boost::get(boost::vertex_index, g));
  boost::random_graph_layout(g, positions, space);
  // Moves start at a tenth of the square and cool linearly to nothing (Boost's default starts at
  // iterations / 10 units, meant for a square of side about sqrt(n), far too hot for the unit square).
  // Boost's default force pairs are a grid (repulsion only between nearby nodes): near-linear per round.
  boost::fruchterman_reingold_force_directed_layout(
      g, positions, space, boost::cooling(boost::linear_cooling<double>(iterations, 0.1)));
  double lo_x = std::numeric_limits<double>::max(), hi_x = -lo_x, lo_y = lo_x, hi_y = -lo_x;
  for (const auto& q : position) {
    lo_x = std::min(lo_x, q[0]), hi_x = std::max(hi_x, q[0]);
    lo_y = std::min(lo_y, q[1]), hi_y = std::max(hi_y, q[1]);
  }
  // One scale for both axes keeps the picture's proportions.
  const double half = std::max({(hi_x - lo_x) / 2, (hi_y - lo_y) / 2, 1e-9});
  const double mid_x = (lo_x + hi_x) / 2, mid_y = (lo_y + hi_y) / 2;
  for (std::size_t i = 0; i < n; ++i) {
    p.x[i] = static_cast<float>((position[i][0] - mid_x) / half);
    p.y[i] = static_cast<float>((position[i][1] - mid_y) / half);
  }
}

void background_layout::start(network_picture sample, int iterations) {
  // A superseded layout finishes on its own thread and is dropped. Its future is kept aside rather than
  // destroyed here, since destroying a std::async future waits for the work.
  if (job_.valid()) retired_.push_back(std::move(job_));
  std::erase_if(retired_, [](const auto& f) {
    return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  });
  job_ = std::async(std::launch::async, [sample = std::move(sample), iterations]() mutable {
    lay_out(sample, iterations);
    return std::move(sample);
  });
}

std::shared_ptr<const network_picture> background_layout::finished() {
  if (!job_.valid() || job_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return nullptr;
  return std::make_shared<const network_picture>(job_.get());
}

}  // namespace civitas::viz
