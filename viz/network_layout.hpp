// Pictures of the run's two networks (the citizens' social graph, the firms' supply chain): a connected
// sample of the agents, laid out by Fruchterman-Reingold force direction (Boost.Graph) on a worker thread
// so that the UI never waits for it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace civitas::viz {

using edge_list = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

struct network_picture {
  std::vector<std::uint32_t> agents;                           // the agents drawn, a node each
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;  // between nodes (indices into agents)
  std::vector<float> x, y;                                     // node positions in [-1, 1]
};

// At most `max_nodes` agents of the network, breadth first from `start` over its edges taken both ways
// (so a sample is a neighbourhood, and keeps its edges), then from the next unvisited agent that has an
// edge, until full; every edge between two sampled agents. `start` is included when it has an edge.
network_picture sample_network(std::span<const std::pair<std::uint32_t, std::uint32_t>> edges,
                               std::uint32_t start, std::size_t max_nodes);

// Positions from a seeded random start, then `iterations` rounds of Fruchterman-Reingold with linear
// cooling, scaled into [-1, 1]: the same picture for the same sample.
void lay_out(network_picture& p, int iterations = 150);

// One layout at a time on its own thread. start() hands a sample over; finished() returns the laid-out
// picture once, when ready (nullptr before), and never blocks.
class background_layout {
 public:
  void start(network_picture sample, int iterations = 150);
  std::shared_ptr<const network_picture> finished();
  bool busy() const { return job_.valid(); }

 private:
  std::future<network_picture> job_;
  std::vector<std::future<network_picture>> retired_;  // superseded layouts still running
};

}  // namespace civitas::viz
