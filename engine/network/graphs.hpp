// Networks among agents: the citizens' social graph and the firms' supply chain (docs/domain.md §2).
//
// Design note
// - Graphs are stored in compressed sparse row form (offsets + one flat neighbour array): one
//   allocation per array, cache-friendly scans in the step loop, and trivially written to files.
// - Boost.Graph generates them (small_world_iterator, plod_iterator, topological_sort) but stays inside
//   graphs.cpp: this header exposes std types only, so the rest of the engine never compiles Boost.Graph.
// - Every generator is a pure function of its arguments and seed (a std::mt19937_64 drives the Boost
//   generators; every uniform integer goes through Boost.Random's portable algorithms).
// - Invariants of csr_graph: offsets.size() == nodes + 1, offsets non-decreasing from 0 to
//   neighbours.size(); each neighbour list is strictly ascending, has no self-loop, and u lists v
//   exactly when v lists u.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace civitas::network {

// Undirected graph in compressed sparse row form: neighbours of v are
// neighbours[offsets[v] .. offsets[v+1]), sorted ascending, no self-loops, no duplicates.
struct csr_graph {
  std::vector<std::uint64_t> offsets;  // nodes + 1
  std::vector<std::uint32_t> neighbours;

  std::size_t nodes() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  // Undirected edges, each counted once (every edge is stored in both endpoints' lists).
  std::size_t edges() const { return neighbours.size() / 2; }
  std::span<const std::uint32_t> neighbours_of(std::uint32_t v) const {
    return {neighbours.data() + offsets[v], static_cast<std::size_t>(offsets[v + 1] - offsets[v])};
  }
  // Each undirected edge once as (u, v) with u < v, sorted: for writing to files.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edge_list() const;
};

// Builds a csr_graph on `nodes` nodes from arbitrary edge pairs: symmetrises, drops self-loops and
// duplicates (in either orientation). Throws std::invalid_argument if an endpoint is >= nodes.
csr_graph make_csr_graph(std::uint32_t nodes, std::span<const std::pair<std::uint32_t, std::uint32_t>> edges);

enum class social_graph_kind { small_world, scale_free };
inline constexpr std::array<std::string_view, 2> social_graph_kind_names{"small_world", "scale_free"};

// small_world: Watts-Strogatz via boost::small_world_iterator: a ring lattice in which each node links
//   to its mean_degree/2 nearest nodes on either side, then each lattice edge's far end is rewired with
//   probability p = `param` to a uniformly drawn node outside the source's window. Rewiring can make a
//   duplicate, which is dropped, so the realised mean degree is mean_degree exactly at p = 0 and a
//   little below it otherwise. mean_degree must be even (0 gives the edgeless graph), and <= nodes - 2
//   when p > 0 so that a rewired edge has somewhere to go.
// scale_free: boost::plod_iterator (Palmer & Steffan's Power Law Out Degree): each node draws x uniform
//   in [0, nodes) and gets degree max(1, min(nodes-1, floor(beta * x^-alpha))) with alpha = `param`;
//   stubs are then paired at random. beta is solved here so that the expected degree sequence has mean
//   `mean_degree`. alpha is PLOD's rank exponent, not the degree distribution's: P(degree >= d) ~
//   d^(-1/alpha), i.e. degree exponent gamma = 1 + 1/alpha (alpha = 0.5 gives gamma = 3, 0.667 gives
//   2.5). alpha must be in (0, 1) (gamma > 2). PLOD leaves some of the largest hubs' stubs unpaired and
//   repeated pairs are dropped, so the realised mean degree falls a little below mean_degree, more so
//   as alpha grows (10 asked at 10^6 nodes: 9.9 at alpha 0.5, 9.5 at 0.667, 7.2 at 0.9).
// Deterministic for a seed. Throws std::invalid_argument on bad arguments (nodes < 2,
// mean_degree >= nodes, odd mean_degree for small_world, p outside [0, 1], alpha outside (0, 1), ...).
csr_graph make_social_graph(social_graph_kind kind, std::uint32_t nodes, std::uint32_t mean_degree,
                            double param, std::uint64_t seed);

// Supply chain among firms: a DAG by stage (0 raw material -> 1 manufacturer -> 2 retailer).
struct supply_chain {
  std::vector<std::uint8_t> stage;     // per firm
  std::vector<std::uint64_t> offsets;  // firms + 1
  std::vector<std::uint32_t>
      suppliers;  // suppliers of f: [offsets[f], offsets[f+1]), all of stage[f]-1, sorted

  std::size_t firms() const { return stage.size(); }
  std::span<const std::uint32_t> suppliers_of(std::uint32_t firm) const {
    return {suppliers.data() + offsets[firm], static_cast<std::size_t>(offsets[firm + 1] - offsets[firm])};
  }
  // Every (supplier, customer) pair once, sorted ascending.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edge_list() const;
};

// Firms 0..firms-1 are assigned stages by the shares (raw, manufacturer, retail = the rest): the first
// round(raw_share*firms) firms are raw, the next round(manufacturer_share*firms) manufacturers, the rest
// retailers — except that each stage is given at least one firm (taken from the later stages' counts),
// so a share of 0 still yields one firm. Each manufacturer and retailer gets
// min(suppliers_per_firm, size of previous stage) distinct suppliers drawn uniformly from the previous
// stage. Throws std::invalid_argument if firms < 3 or a share is outside [0, 1] or they sum over 1.
supply_chain make_supply_chain(std::uint32_t firms, double raw_share, double manufacturer_share,
                               std::uint32_t suppliers_per_firm, std::uint64_t seed);

}  // namespace civitas::network
