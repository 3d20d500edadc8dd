#include <imgui.h>

#include <algorithm>

#include "viz/panels.hpp"

namespace civitas::viz {

void draw_comparison(viz_state& s) {
  ImGui::Begin("Compare runs");
  ImGui::TextWrapped(
      "Overlay a metric of run files, or open a `civitas compare` file to see each regime side by side "
      "(mean over replicates).");
  ImGui::SetNextItemWidth(360);
  ImGui::InputText("run file", s.compare_path, sizeof s.compare_path);
  ImGui::SameLine();
  if (ImGui::Button("Add")) {
    try {
      for (auto& run : load_compared_runs(s.compare_path)) s.compared.push_back(std::move(run));
    } catch (const std::exception& e) {
      s.message = e.what();
    }
  }
  ImGui::SameLine();
  if (ImGui::Button("Clear")) s.compared.clear();
  // The current run is always the first curve.
  std::vector<std::string> names;
  std::vector<std::vector<double>> curves;
  std::vector<std::string> columns;
  const frame* f = s.view.get();
  if (f) columns = f->columns;
  for (const auto& r : s.compared)
    for (const auto& c : r.columns)
      if (std::find(columns.begin(), columns.end(), c) == columns.end()) columns.push_back(c);
  if (columns.empty()) {
    ImGui::End();
    return;
  }
  if (s.compare_column == 0) {  // column 0 is the step number: start on inequality when the run has it
    const auto it = std::find(columns.begin(), columns.end(), "gini_cash");
    if (it != columns.end()) s.compare_column = static_cast<int>(it - columns.begin());
  }
  s.compare_column = std::clamp(s.compare_column, 0, static_cast<int>(columns.size()) - 1);
  std::vector<const char*> labels;
  for (const auto& c : columns) labels.push_back(c.c_str());
  ImGui::SetNextItemWidth(240);
  ImGui::Combo("metric", &s.compare_column, labels.data(), static_cast<int>(labels.size()));
  const std::string& metric = columns[static_cast<std::size_t>(s.compare_column)];
  if (f) {
    names.push_back("this run");
    curves.push_back(f->column(metric));
  }
  for (const auto& r : s.compared) {
    const auto it = std::find(r.columns.begin(), r.columns.end(), metric);
    if (it == r.columns.end()) continue;
    const auto c = static_cast<std::size_t>(it - r.columns.begin());
    std::vector<double> v;
    for (const auto& row : r.rows) v.push_back(row[c]);
    names.push_back(r.name);
    curves.push_back(std::move(v));
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  plot_lines("compare", curves, names, avail.x, std::max(80.0f, avail.y - 30.0f));
  ImGui::End();
}

}  // namespace civitas::viz
