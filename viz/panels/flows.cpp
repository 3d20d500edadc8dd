// The flow diagram: the shown step's transfers of one token summed from group to group (money_flows.hpp),
// drawn as a Sankey chart (senders left, receivers right, band width proportional to the amount), with a
// hover read-out per band and the largest flows listed with their reasons.
#include <imgui.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "viz/panels.hpp"

namespace civitas::viz {
namespace {

ImU32 group_colour(std::size_t g, int alpha) {
  static constexpr std::array<std::array<int, 3>, flow_groups> rgb = {{{86, 180, 233},
                                                                       {204, 121, 167},
                                                                       {213, 94, 0},
                                                                       {230, 159, 0},
                                                                       {0, 158, 115},
                                                                       {240, 228, 66},
                                                                       {160, 130, 230},
                                                                       {150, 150, 150}}};
  return IM_COL32(rgb[g][0], rgb[g][1], rgb[g][2], alpha);
}

std::string reason_name(const run_constants& rc, std::uint16_t code) {
  for (const auto& [c, name] : rc.reasons)
    if (c == code) return name;
  return "reason " + std::to_string(code);
}

// "1.2 M", "34 k", "950".
std::string short_amount(amount_t v) {
  char buf[32];
  const double x = static_cast<double>(v);
  if (x >= 1e9)
    std::snprintf(buf, sizeof buf, "%.3g G", x / 1e9);
  else if (x >= 1e6)
    std::snprintf(buf, sizeof buf, "%.3g M", x / 1e6);
  else if (x >= 1e4)
    std::snprintf(buf, sizeof buf, "%.3g k", x / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  return buf;
}

// The reasons of one band, largest first, as "wage 60%, purchase 30%".
std::string reasons_of(const run_constants& rc, const std::map<std::uint16_t, amount_t>& by_reason,
                       amount_t total, std::size_t most) {
  std::vector<std::pair<amount_t, std::uint16_t>> sorted;
  for (const auto& [code, amount] : by_reason) sorted.emplace_back(amount, code);
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  std::string out;
  for (std::size_t i = 0; i < sorted.size() && i < most; ++i) {
    char share[16];
    std::snprintf(share, sizeof share, " %.0f%%", 100.0 * static_cast<double>(sorted[i].first) / total);
    out += (i ? ", " : "") + reason_name(rc, sorted[i].second) + share;
  }
  return out;
}

}  // namespace

void draw_flows(viz_state& s) {
  const frame* f = begin_panel(s, "Money flows");
  if (!f) return;
  const run_constants& rc = *f->run;
  std::vector<const char*> tokens;
  for (const auto& t : rc.token_names) tokens.push_back(t.c_str());
  if (tokens.empty()) {
    ImGui::End();
    return;
  }
  s.flow_token = std::clamp(s.flow_token, 0, static_cast<int>(tokens.size()) - 1);
  ImGui::SetNextItemWidth(140);
  ImGui::Combo("token", &s.flow_token, tokens.data(), static_cast<int>(tokens.size()));
  if (s.flows_of != s.view || s.flows_token_of != s.flow_token) {
    if (!s.flows_of || s.flows_of->run != f->run) s.groups = agent_groups(rc.kinds, rc.supply_edges);
    s.flows = sum_flows(f->records, rc.accounts, s.groups, static_cast<token_id>(s.flow_token));
    s.flows_of = s.view;
    s.flows_token_of = s.flow_token;
  }
  const step_flows& fl = s.flows;
  ImGui::SameLine();
  if (f->records.empty()) {
    ImGui::TextWrapped(
        "Step %u has no records here (a headers-only run file): run with --ledger full, or live.",
        f->records_step);
    ImGui::End();
    return;
  }
  ImGui::Text("step %u: %s %s in %llu transfers", f->records_step, short_amount(fl.total).c_str(),
              tokens[static_cast<std::size_t>(s.flow_token)], static_cast<unsigned long long>(fl.transfers));
  if (fl.total == 0) {
    ImGui::TextDisabled("No %s moved in this step.", tokens[static_cast<std::size_t>(s.flow_token)]);
    ImGui::End();
    return;
  }
  std::array<amount_t, flow_groups> out{}, in{};
  for (std::size_t a = 0; a < flow_groups; ++a)
    for (std::size_t b = 0; b < flow_groups; ++b) out[a] += fl.amount[a][b], in[b] += fl.amount[a][b];

  const float table_height = ImGui::GetTextLineHeightWithSpacing() * 7.5f;
  ImVec2 size = ImGui::GetContentRegionAvail();
  size.y = std::max(120.0f, size.y - table_height);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("flows canvas", size);
  const bool hovering = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + size.y), IM_COL32(20, 20, 26, 255));
  // The column headings take the top line; the nodes share the rest.
  const float label_w = std::min(190.0f, size.x * 0.28f), bar_w = 12, gap = 10, pad = 8,
              head = ImGui::GetTextLineHeight() + 6;
  const float left_x = origin.x + label_w, right_x = origin.x + size.x - label_w - bar_w;
  // Node heights share the canvas height (less the gaps) in proportion to the amounts.
  auto column = [&](const std::array<amount_t, flow_groups>& totals) {
    std::array<float, flow_groups> top{}, height{};
    const auto used =
        static_cast<float>(std::count_if(totals.begin(), totals.end(), [](amount_t v) { return v > 0; }));
    const float usable = size.y - head - 2 * pad - gap * std::max(0.0f, used - 1);
    float y = origin.y + head + pad;
    for (std::size_t g = 0; g < flow_groups; ++g) {
      if (totals[g] <= 0) continue;
      top[g] = y;
      height[g] = std::max(1.0f, usable * static_cast<float>(static_cast<double>(totals[g]) / fl.total));
      y += height[g] + gap;
    }
    return std::pair{top, height};
  };
  const auto [left_top, left_h] = column(out);
  const auto [right_top, right_h] = column(in);
  std::array<float, flow_groups> left_used{}, right_used{};
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  int hovered_from = -1, hovered_to = -1;
  for (std::size_t a = 0; a < flow_groups; ++a)
    for (std::size_t b = 0; b < flow_groups; ++b) {
      if (fl.amount[a][b] <= 0) continue;
      const float share = static_cast<float>(static_cast<double>(fl.amount[a][b]) / out[a]) * left_h[a];
      const float share_in = static_cast<float>(static_cast<double>(fl.amount[a][b]) / in[b]) * right_h[b];
      const float y0 = left_top[a] + left_used[a], y1 = right_top[b] + right_used[b];
      left_used[a] += share;
      right_used[b] += share_in;
      // A band: top and bottom edges eased from left to right (smoothstep), as quads; hit-tested first so
      // that the hovered band is drawn brighter.
      constexpr int segments = 24;
      std::array<std::array<ImVec2, 4>, segments> quads;
      bool inside = false;
      const float x0 = left_x + bar_w, x1 = right_x;
      for (int i = 0; i < segments; ++i) {
        const float t0 = static_cast<float>(i) / segments, t1 = static_cast<float>(i + 1) / segments;
        const float e0 = t0 * t0 * (3 - 2 * t0), e1 = t1 * t1 * (3 - 2 * t1);
        const float xa = x0 + (x1 - x0) * t0, xb = x0 + (x1 - x0) * t1;
        const float ta = y0 + (y1 - y0) * e0, tb = y0 + (y1 - y0) * e1;
        const float ba = ta + share + (share_in - share) * e0, bb = tb + share + (share_in - share) * e1;
        quads[static_cast<std::size_t>(i)] = {ImVec2(xa, ta), ImVec2(xb, tb), ImVec2(xb + 0.5f, bb),
                                              ImVec2(xa, ba)};
        if (hovering && mouse.x >= xa && mouse.x < xb && mouse.y >= ta && mouse.y <= ba) inside = true;
      }
      for (const auto& q : quads)
        dl->AddQuadFilled(q[0], q[1], q[2], q[3], group_colour(a, inside ? 200 : 95));
      if (inside) hovered_from = static_cast<int>(a), hovered_to = static_cast<int>(b);
    }
  // Nodes and their labels: senders' names left of the left bars, receivers' right of the right bars.
  for (std::size_t g = 0; g < flow_groups; ++g) {
    const std::string name = flow_group_name(static_cast<flow_group>(g));
    if (out[g] > 0) {
      dl->AddRectFilled(ImVec2(left_x, left_top[g]), ImVec2(left_x + bar_w, left_top[g] + left_h[g]),
                        group_colour(g, 255));
      const std::string label = name + "  " + short_amount(out[g]);
      const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
      dl->AddText(ImVec2(left_x - ts.x - 6, left_top[g] + left_h[g] / 2 - ts.y / 2),
                  IM_COL32(235, 235, 235, 255), label.c_str());
    }
    if (in[g] > 0) {
      dl->AddRectFilled(ImVec2(right_x, right_top[g]), ImVec2(right_x + bar_w, right_top[g] + right_h[g]),
                        group_colour(g, 255));
      const std::string label = name + "  " + short_amount(in[g]);
      const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
      dl->AddText(ImVec2(right_x + bar_w + 6, right_top[g] + right_h[g] / 2 - ts.y / 2),
                  IM_COL32(235, 235, 235, 255), label.c_str());
    }
  }
  // Column headings above the bars.
  dl->AddText(ImVec2(left_x + bar_w - ImGui::CalcTextSize("senders").x, origin.y + 4),
              IM_COL32(170, 170, 170, 255), "senders");
  dl->AddText(ImVec2(right_x, origin.y + 4), IM_COL32(170, 170, 170, 255), "receivers");
  if (hovered_from >= 0) {
    const auto a = static_cast<std::size_t>(hovered_from), b = static_cast<std::size_t>(hovered_to);
    ImGui::SetTooltip("%s -> %s\n%s (%.1f%% of the step)\n%s", flow_group_name(static_cast<flow_group>(a)),
                      flow_group_name(static_cast<flow_group>(b)), short_amount(fl.amount[a][b]).c_str(),
                      100.0 * static_cast<double>(fl.amount[a][b]) / fl.total,
                      reasons_of(rc, fl.by_reason[a][b], fl.amount[a][b], 4).c_str());
  }
  // The largest flows, with their reasons.
  std::vector<std::pair<amount_t, std::pair<std::size_t, std::size_t>>> largest;
  for (std::size_t a = 0; a < flow_groups; ++a)
    for (std::size_t b = 0; b < flow_groups; ++b)
      if (fl.amount[a][b] > 0) largest.push_back({fl.amount[a][b], {a, b}});
  std::sort(largest.begin(), largest.end(), std::greater<>());
  if (ImGui::BeginTable("largest flows", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("from");
    ImGui::TableSetupColumn("to");
    ImGui::TableSetupColumn("amount");
    ImGui::TableSetupColumn("reasons");
    ImGui::TableHeadersRow();
    for (std::size_t i = 0; i < largest.size() && i < 6; ++i) {
      const auto [a, b] = largest[i].second;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(flow_group_name(static_cast<flow_group>(a)));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(flow_group_name(static_cast<flow_group>(b)));
      ImGui::TableNextColumn();
      ImGui::Text("%s (%.1f%%)", short_amount(largest[i].first).c_str(),
                  100.0 * static_cast<double>(largest[i].first) / fl.total);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(reasons_of(rc, fl.by_reason[a][b], largest[i].first, 3).c_str());
    }
    ImGui::EndTable();
  }
  ImGui::End();
}

}  // namespace civitas::viz
