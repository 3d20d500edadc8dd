#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "scoring/inequality.hpp"
#include "viz/chart.hpp"
#include "viz/panels.hpp"

namespace civitas::viz {

void draw_distribution(viz_state& s) {
  ImGui::Begin("Distribution");
  const frame* f = s.view.get();
  if (!f || f->agents() == 0 || f->balances.size() < f->agents() * f->tokens()) {
    ImGui::End();
    return;
  }
  if (s.distribution_of != f) {  // sort once per new frame, not once per UI frame
    s.distribution_of = f;
    s.sorted_cash.clear();
    for (std::size_t a = 0; a < f->agents(); ++a)
      if (f->run->kinds[a] == 0) s.sorted_cash.push_back(f->balance(a, 0));
    std::sort(s.sorted_cash.begin(), s.sorted_cash.end());
    s.cash_bins.assign(40, 0.0);
    s.lorenz_x.clear(), s.lorenz_y.clear();
    for (const auto& [x, y] : scoring::lorenz_sorted(s.sorted_cash, 100))
      s.lorenz_x.push_back(x), s.lorenz_y.push_back(y);
    if (!s.sorted_cash.empty()) {
      // Histogram in 40 bins up to the 99th percentile (the richest would squash the rest).
      s.cash_top = static_cast<double>(s.sorted_cash[s.sorted_cash.size() * 99 / 100]) + 1;
      for (const amount_t c : s.sorted_cash)
        s.cash_bins[std::min<std::size_t>(
            39, static_cast<std::size_t>(static_cast<double>(std::max<amount_t>(0, c)) / s.cash_top * 40))] +=
            1;
    }
  }
  const std::vector<amount_t>& cash = s.sorted_cash;
  if (cash.empty()) {
    ImGui::End();
    return;
  }
  const double gini = scoring::gini_sorted(cash);
  ImGui::Text("citizens' cash at step %u: Gini %.4f, top 10%% %.3f, bottom 50%% %.3f", f->snapshot_step, gini,
              scoring::top_share_sorted(cash, 0.1), scoring::bottom_share_sorted(cash, 0.5));
  // The Lorenz curve against the line of equality, and the histogram beside it.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side = std::max(160.0f, std::min(avail.x * 0.45f, avail.y));
  static const double equal[] = {0, 1};
  const chart::series lorenz[] = {
      {"equality", equal, equal, {}, {}, chart::mark::line, IM_COL32(150, 150, 150, 255)},
      {"citizens' cash", s.lorenz_y, s.lorenz_x}};
  chart::options lo;
  lo.x_label = "share of citizens, poorest first";
  lo.y_label = "share of cash (Lorenz curve)";
  lo.hover_x = "poorest";
  lo.x_zoom = false, lo.y_toggles = false;
  lo.x_fixed = lo.y_fixed = chart::range{0, 1};
  ImGui::BeginGroup();
  chart::plot("lorenz", lorenz, lo, ImVec2(side, avail.y));
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  const chart::series bins[] = {{"citizens", s.cash_bins, {}, {}, {}, chart::mark::bars}};
  chart::options ho;
  ho.x_label = "cash (40 bins to the 99th percentile)";
  ho.y_label = "citizens";
  ho.hover_x = "cash";
  ho.x0 = 0, ho.dx = s.cash_top / static_cast<double>(s.cash_bins.size());
  ho.x_zoom = false, ho.from_zero = true, ho.legend = false;
  chart::plot("histogram", bins, ho, ImVec2(0, avail.y));
  ImGui::EndGroup();
  ImGui::End();
}

void draw_all(viz_state& s, float width, float height) {
  // Two pages, chosen in the menu bar: the overview, and the networks with the step's money flows.
  float top = 0;
  if (ImGui::BeginMainMenuBar()) {
    if (ImGui::MenuItem("Overview", nullptr, s.page == 0)) s.page = 0;
    if (ImGui::MenuItem("Network and money flows", nullptr, s.page == 1)) s.page = 1;
    if (ImGui::MenuItem("Regimes side by side", nullptr, s.page == 2)) s.page = 2;
    top = ImGui::GetWindowSize().y;
    ImGui::EndMainMenuBar();
  }
  height -= top;
  // The lanes are paced here, every UI frame, whichever page is shown.
  if (s.lanes) s.lane_views = s.lanes->latest();
  // A fixed first layout (windows can then be moved and resized). Overview: controls and series on the
  // left, the society in the middle, inspector and ledger on the right, distribution and comparison below.
  const float w3 = width / 3, h2 = height * 0.55f;
  auto place = [top](float x, float y, float w, float h) {
    ImGui::SetNextWindowPos(ImVec2(x, top + y), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(w, h), ImGuiCond_FirstUseEver);
  };
  // The Run panel is tall enough for its hint, the restart button and an error under it.
  const float controls = std::min(250.0f, h2 * 0.5f);
  if (s.page == 2) {
    // The lanes' controls on the left, their charts on the rest.
    place(0, 0, w3 * 0.8f, height);
    draw_lanes(s);
    place(w3 * 0.8f, 0, width - w3 * 0.8f, height);
    draw_lane_charts(s);
    return;
  }
  place(0, 0, w3, controls);
  draw_controls(s);
  if (s.page == 1) {
    // The network below the controls, the flow diagram on the right half.
    place(0, controls, width / 2, height - controls);
    draw_network(s);
    place(width / 2, 0, width / 2, height);
    draw_flows(s);
    return;
  }
  place(0, controls, w3, h2 - controls);
  draw_series(s);
  place(w3, 0, w3, h2);
  draw_society(s);
  place(2 * w3, 0, w3, h2 * 0.5f);
  draw_inspector(s);
  place(2 * w3, h2 * 0.5f, w3, h2 * 0.5f);
  draw_ledger(s);
  place(0, h2, width / 2, height - h2);
  draw_distribution(s);
  place(width / 2, h2, width / 2, height - h2);
  draw_comparison(s);
}

}  // namespace civitas::viz
