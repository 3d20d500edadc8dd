#include <imgui.h>

#include <algorithm>

#include "viz/chart.hpp"
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
      s.compare_message.clear();
    } catch (const std::exception& e) {
      s.compare_message = e.what();
    }
  }
  ImGui::SameLine();
  if (ImGui::Button("Clear")) s.compared.clear(), s.compare_message.clear();
  if (!s.compare_message.empty()) {  // in red, right under the field that caused it
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.38f, 0.35f, 1.0f));
    ImGui::TextWrapped("%s", s.compare_message.c_str());
    ImGui::PopStyleColor();
  }
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
  // Runs of different populations are not like for like: say so rather than overlay them silently.
  const std::size_t citizens =
      f && f->run ? static_cast<std::size_t>(std::count(f->run->kinds.begin(), f->run->kinds.end(), 0)) : 0;
  const viz_state::compared_run* unlike = nullptr;
  for (const auto& r : s.compared) {
    const auto it = std::find(r.columns.begin(), r.columns.end(), metric);
    if (it == r.columns.end()) continue;
    const auto c = static_cast<std::size_t>(it - r.columns.begin());
    std::vector<double> v;
    for (const auto& row : r.rows) v.push_back(row[c]);
    names.push_back(r.name);
    curves.push_back(std::move(v));
    if (citizens > 0 && r.citizens > 0 && r.citizens != citizens && !unlike) unlike = &r;
  }
  if (unlike)  // one line, not one per curve
    ImGui::TextColored(ImVec4(1.0f, 0.85f, 0.3f, 1.0f),
                       "note: this run has %zu citizens, %s has %zu: levels of totals differ by size",
                       citizens, unlike->name.c_str(), unlike->citizens);
  std::vector<chart::series> shown;
  for (std::size_t k = 0; k < curves.size(); ++k) shown.push_back({names[k], curves[k]});
  chart::options o;
  o.x_label = f && f->run ? f->run->step_unit.c_str() : "step";
  o.y_label = metric.c_str();
  o.x_integer = true;
  if (f) o.x_min_span = f->steps_planned;
  chart::plot("compare", shown, o, ImVec2(0, -4));
  ImGui::End();
}

}  // namespace civitas::viz
