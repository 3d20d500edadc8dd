// The network view: a breadth-first sample of the social graph (around the selected citizen) or of the
// supply chain, laid out off the UI thread, nodes coloured by kind, cash or a score, edges widened by the
// cash that moved between their two agents in the shown step.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "viz/palette.hpp"
#include "viz/panels.hpp"

namespace civitas::viz {
namespace {

std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) {
  return (static_cast<std::uint64_t>(std::min(a, b)) << 32) | std::max(a, b);
}

// Cash moved between two agents in the frame's records, either way, for the picture's edges only.
std::vector<amount_t> edge_flows(const frame& f, const network_picture& p) {
  std::vector<amount_t> flow(p.edges.size(), 0);
  if (f.records.empty() || p.edges.empty()) return flow;
  std::unordered_map<std::uint64_t, std::size_t> edge_of;
  edge_of.reserve(p.edges.size());
  for (std::size_t e = 0; e < p.edges.size(); ++e)
    edge_of.emplace(pair_key(p.agents[p.edges[e].first], p.agents[p.edges[e].second]), e);
  const auto& accounts = f.run->accounts;
  for (const auto& r : f.records) {
    if (r.status != 0 || r.token != 0 || r.debit >= accounts.size() || r.credit >= accounts.size()) continue;
    const auto it = edge_of.find(pair_key(accounts[r.debit].owner, accounts[r.credit].owner));
    if (it != edge_of.end()) flow[it->second] += r.amount;
  }
  return flow;
}

}  // namespace

void draw_network(viz_state& s) {
  const frame* f = begin_panel(s, "Network");
  if (!f) return;
  const run_constants& rc = *f->run;
  static const char* networks[] = {"social graph (citizens)", "supply chain (firms)"};
  ImGui::SetNextItemWidth(190);
  ImGui::Combo("network", &s.network_kind, networks, 2);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(140);
  ImGui::SliderInt("agents", &s.network_nodes, 50, 2000);
  std::vector<const char*> colourings = {"kind", "cash"};
  for (const auto& c : rc.score_columns) colourings.push_back(c.c_str());
  s.network_color = std::clamp(s.network_color, 0, static_cast<int>(colourings.size()) - 1);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(150);
  ImGui::Combo("colour", &s.network_color, colourings.data(), static_cast<int>(colourings.size()));

  const auto& edges = s.network_kind == 0 ? rc.social_edges : rc.supply_edges;
  if (edges.empty()) {
    ImGui::TextWrapped("This run has no %s.", s.network_kind == 0 ? "social graph" : "supply chain");
    ImGui::End();
    return;
  }
  // The social graph is sampled around the selected agent; the supply chain from its first supplier.
  const std::int64_t centre = s.network_kind == 0 && s.selected_agent >= 0
                                  ? s.selected_agent
                                  : static_cast<std::int64_t>(edges[0].first);
  if (s.network_of != &rc || s.network_kind_of != s.network_kind || s.network_nodes_of != s.network_nodes ||
      s.network_centre_of != centre) {
    s.network_layout.start(
        sample_network(edges, static_cast<std::uint32_t>(centre), static_cast<std::size_t>(s.network_nodes)));
    s.network_of = &rc;
    s.network_kind_of = s.network_kind;
    s.network_nodes_of = s.network_nodes;
    s.network_centre_of = centre;
  }
  if (auto done = s.network_layout.finished()) s.network = std::move(done);
  const network_picture* p = s.network.get();
  const std::size_t agents = f->agents();
  // A picture of another run (still being replaced) may name agents this run does not have.
  if (p && std::any_of(p->agents.begin(), p->agents.end(), [&](std::uint32_t a) { return a >= agents; }))
    p = nullptr;
  if (!p) {
    ImGui::TextUnformatted("Laying out the network...");
    ImGui::End();
    return;
  }
  if (s.network_flows_of != s.view || s.network_flows_for != s.network) {
    s.network_flows = edge_flows(*f, *p);
    s.network_flows_of = s.view;
    s.network_flows_for = s.network;
  }
  const std::vector<amount_t>& flow = s.network_flows;
  const amount_t top_flow = flow.empty() ? 0 : *std::max_element(flow.begin(), flow.end());
  ImGui::TextWrapped(
      "%zu agents (breadth first from agent %lld), %zu edges%s. Edge width: cash moved between the two "
      "agents in step %u%s.",
      p->agents.size(), static_cast<long long>(centre), p->edges.size(),
      s.network_layout.busy() ? ", re-laying out" : "", f->records_step,
      f->records.empty() ? " (no records in this file: run with --ledger full)" : "");

  // Values for colouring: cash (log scale) or a score column, with the range for the colour bar.
  const int colour = s.network_color;
  auto value_of = [&](std::uint32_t a) -> double {
    if (colour == 1) return std::log10(1.0 + std::max<double>(0, static_cast<double>(f->balance(a, 0))));
    const std::size_t c = static_cast<std::size_t>(colour - 2), cols = rc.score_columns.size();
    return a * cols + c < f->scores.size() ? f->scores[a * cols + c]
                                           : std::numeric_limits<double>::quiet_NaN();
  };
  double lo = std::numeric_limits<double>::max(), hi = -lo;
  if (colour > 0)
    for (const std::uint32_t a : p->agents)
      if (const double v = value_of(a); std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (hi < lo) lo = 0, hi = 1;
  if (hi == lo) hi = lo + 1;

  const float legend_height = ImGui::GetTextLineHeightWithSpacing() * 1.6f;
  ImVec2 size = ImGui::GetContentRegionAvail();
  size.y -= legend_height;
  if (size.x < 40 || size.y < 40) {
    ImGui::End();
    return;
  }
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("network canvas", size);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + size.y), IM_COL32(20, 20, 26, 255));
  dl->PushClipRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), true);
  const float margin = 12, scale = std::min(size.x, size.y) / 2 - margin;
  const ImVec2 mid(origin.x + size.x / 2, origin.y + size.y / 2);
  auto at = [&](std::size_t i) { return ImVec2(mid.x + p->x[i] * scale, mid.y + p->y[i] * scale); };
  const double log_top = std::log1p(static_cast<double>(top_flow));
  for (std::size_t e = 0; e < p->edges.size(); ++e) {
    const auto [a, b] = p->edges[e];
    if (flow[e] > 0)
      dl->AddLine(at(a), at(b), IM_COL32(255, 190, 90, 200),
                  1.0f + 4.0f * static_cast<float>(std::log1p(static_cast<double>(flow[e])) / log_top));
    else
      dl->AddLine(at(a), at(b), IM_COL32(150, 150, 160, 55), 1.0f);
  }
  const ImGuiIO& io = ImGui::GetIO();
  double best = 64;  // pixels squared: hover within 8 px
  std::int64_t hovered = -1;
  for (std::size_t i = 0; i < p->agents.size(); ++i) {
    const std::uint32_t a = p->agents[i];
    const std::uint8_t kind = rc.kinds[a];
    const double v = colour > 0 ? value_of(a) : 0;
    const ImU32 c = colour == 0        ? kind_colour(kind)
                    : std::isfinite(v) ? ramp_colour((v - lo) / (hi - lo))
                                       : IM_COL32(90, 90, 90, 160);
    const ImVec2 q = at(i);
    dl->AddCircleFilled(q, kind == 0 ? 3.0f : 5.0f, c, 10);
    if (static_cast<std::int64_t>(a) == s.selected_agent)
      dl->AddCircle(q, 8, IM_COL32(255, 255, 255, 255), 16, 2);
    const double d =
        (q.x - io.MousePos.x) * (q.x - io.MousePos.x) + (q.y - io.MousePos.y) * (q.y - io.MousePos.y);
    if (d < best) best = d, hovered = a;
  }
  dl->PopClipRect();
  if (ImGui::IsItemHovered() && hovered >= 0) {
    const auto a = static_cast<std::size_t>(hovered);
    ImGui::SetTooltip("agent %zu (%s)\ncash %lld%s", a, kind_name(rc.kinds[a]),
                      static_cast<long long>(f->balance(a, 0)), colour > 1 ? "\nscore shown in colour" : "");
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) s.selected_agent = hovered;
  }
  // Legend: the kinds, or a colour bar with its range.
  if (colour == 0) {
    const std::uint8_t shown[] = {0, 1, 2, 3};
    for (const std::uint8_t k : shown) {
      if (std::none_of(p->agents.begin(), p->agents.end(), [&](std::uint32_t a) { return rc.kinds[a] == k; }))
        continue;
      const ImVec2 c = ImGui::GetCursorScreenPos();
      dl->AddCircleFilled(ImVec2(c.x + 6, c.y + ImGui::GetTextLineHeight() / 2), 5, kind_colour(k), 10);
      ImGui::Dummy(ImVec2(14, ImGui::GetTextLineHeight()));
      ImGui::SameLine();
      ImGui::TextUnformatted(kind_name(k));
      ImGui::SameLine(0, 18);
    }
    ImGui::TextDisabled("| orange edges: cash moved this step");
  } else {
    ImGui::Text(colour == 1 ? "log10(1 + cash) %.2f" : "%.3g", lo);
    ImGui::SameLine();
    const ImVec2 c = ImGui::GetCursorScreenPos();
    const float w = 180, h = ImGui::GetTextLineHeight();
    for (int i = 0; i < 30; ++i)
      dl->AddRectFilled(ImVec2(c.x + w * i / 30, c.y), ImVec2(c.x + w * (i + 1) / 30, c.y + h),
                        ramp_colour(i / 29.0, 255));
    ImGui::Dummy(ImVec2(w, h));
    ImGui::SameLine();
    ImGui::Text("%.3g  (%s; grey: not scored)", hi, colourings[static_cast<std::size_t>(colour)]);
  }
  ImGui::End();
}

}  // namespace civitas::viz
