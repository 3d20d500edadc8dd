#include <imgui.h>

#include <algorithm>

#include "viz/chart.hpp"
#include "viz/panels.hpp"

namespace civitas::viz {

void draw_series(viz_state& s) {
  ImGui::Begin("Time series");
  const frame* f = s.view.get();
  if (!f) {
    ImGui::End();
    return;
  }
  if (s.shown_columns.empty()) {
    // A sensible first view: inequality if the run has it.
    for (const char* name : {"gini_cash", "gini_total", "gini_value"}) {
      const auto it = std::find(f->columns.begin(), f->columns.end(), name);
      if (it != f->columns.end()) s.shown_columns.push_back(static_cast<int>(it - f->columns.begin()));
    }
    if (s.shown_columns.empty() && f->columns.size() > 1) s.shown_columns.push_back(1);
  }
  // Pick columns: a scrollable list of checkboxes beside the chart.
  ImGui::BeginChild("columns", ImVec2(190, 0), true);
  for (std::size_t c = 1; c < f->columns.size(); ++c) {
    bool on = std::find(s.shown_columns.begin(), s.shown_columns.end(), static_cast<int>(c)) !=
              s.shown_columns.end();
    if (ImGui::Checkbox(f->columns[c].c_str(), &on)) {
      if (on)
        s.shown_columns.push_back(static_cast<int>(c));
      else
        s.shown_columns.erase(
            std::remove(s.shown_columns.begin(), s.shown_columns.end(), static_cast<int>(c)),
            s.shown_columns.end());
    }
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginGroup();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // One chart per column: their scales differ too much to share an axis. Each keeps its own zoom.
  const std::size_t shown = std::max<std::size_t>(1, s.shown_columns.size());
  const float each = std::max(110.0f, avail.y / static_cast<float>(shown) - ImGui::GetStyle().ItemSpacing.y);
  chart::options o;
  o.x_label = f->run->step_unit.c_str();
  o.x_integer = true;
  o.x_min_span = f->steps_planned;  // the whole run's time from the start: the curve grows into it
  o.legend = false;                 // the column's name heads its chart
  for (const int c : s.shown_columns) {
    if (c <= 0 || static_cast<std::size_t>(c) >= f->columns.size()) continue;
    const std::vector<double> values = f->column(f->columns[c]);
    const chart::series one{f->columns[c], values};
    o.y_label = f->columns[c].c_str();
    chart::plot(f->columns[c].c_str(), std::span(&one, 1), o, ImVec2(avail.x, each));
  }
  ImGui::EndGroup();
  ImGui::End();
}

}  // namespace civitas::viz
