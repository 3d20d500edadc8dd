#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "scoring/inequality.hpp"
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
    s.cash_bins.assign(40, 0.0f);
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
  // Lorenz curve against the line of equality.
  const auto lorenz = scoring::lorenz_sorted(cash, 100);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float side =
      std::min(ImGui::GetContentRegionAvail().x * 0.45f, ImGui::GetContentRegionAvail().y - 10.0f);
  if (side > 20) {
    ImGui::InvisibleButton("lorenz", ImVec2(side, side));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(origin, ImVec2(origin.x + side, origin.y + side), IM_COL32(25, 25, 30, 255));
    dl->AddLine(ImVec2(origin.x, origin.y + side), ImVec2(origin.x + side, origin.y),
                IM_COL32(120, 120, 120, 255));
    for (std::size_t i = 1; i < lorenz.size(); ++i) {
      const auto& [x0, y0] = lorenz[i - 1];
      const auto& [x1, y1] = lorenz[i];
      dl->AddLine(
          ImVec2(origin.x + static_cast<float>(x0) * side, origin.y + side - static_cast<float>(y0) * side),
          ImVec2(origin.x + static_cast<float>(x1) * side, origin.y + side - static_cast<float>(y1) * side),
          IM_COL32(86, 180, 233, 255), 2.0f);
    }
    dl->AddText(ImVec2(origin.x + 4, origin.y + 2), IM_COL32(200, 200, 200, 255), "Lorenz");
    ImGui::SameLine();
  }
  char overlay[64];
  std::snprintf(overlay, sizeof overlay, "cash 0 .. %.0f", s.cash_top);
  ImGui::PlotHistogram("##cash", s.cash_bins.data(), static_cast<int>(s.cash_bins.size()), 0, overlay, 0,
                       FLT_MAX, ImVec2(ImGui::GetContentRegionAvail().x, std::max(side, 60.0f)));
  ImGui::End();
}

void draw_all(viz_state& s, float width, float height) {
  // Two pages, chosen in the menu bar: the overview, and the networks with the step's money flows.
  float top = 0;
  if (ImGui::BeginMainMenuBar()) {
    if (ImGui::MenuItem("Overview", nullptr, s.page == 0)) s.page = 0;
    if (ImGui::MenuItem("Network and money flows", nullptr, s.page == 1)) s.page = 1;
    top = ImGui::GetWindowSize().y;
    ImGui::EndMainMenuBar();
  }
  height -= top;
  // A fixed first layout (windows can then be moved and resized). Overview: controls and series on the
  // left, the society in the middle, inspector and ledger on the right, distribution and comparison below.
  const float w3 = width / 3, h2 = height * 0.55f;
  auto place = [top](float x, float y, float w, float h) {
    ImGui::SetNextWindowPos(ImVec2(x, top + y), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(w, h), ImGuiCond_FirstUseEver);
  };
  place(0, 0, w3, 150);
  draw_controls(s);
  if (s.page == 1) {
    // The network below the controls, the flow diagram on the right half.
    place(0, 150, width / 2, height - 150);
    draw_network(s);
    place(width / 2, 0, width / 2, height);
    draw_flows(s);
    return;
  }
  place(0, 150, w3, h2 - 150);
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
