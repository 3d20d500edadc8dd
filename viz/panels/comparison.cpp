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
  // Bands and paired differences exist for the points of sweep and comparison files.
  const auto has = [&](auto member) {
    return std::any_of(s.compared.begin(), s.compared.end(),
                       [&](const auto& r) { return !(r.*member).empty(); });
  };
  const bool bands = has(&viz_state::compared_run::lo), pairs = has(&viz_state::compared_run::diff);
  if (bands) {
    ImGui::SameLine();
    ImGui::Checkbox("95% band", &s.compare_bands);
  }
  std::string baseline;
  for (const auto& r : s.compared)
    if (!r.diff.empty()) baseline = r.baseline;
  if (pairs) {
    ImGui::SameLine();
    ImGui::Checkbox(("paired difference vs " + baseline).c_str(), &s.compare_paired);
  }
  // Small multiples: further metrics drawn beside the first, each in its own chart.
  ImGui::SetNextItemWidth(240);
  int more = -1;
  if (ImGui::Combo("add a chart", &more, labels.data(), static_cast<int>(labels.size())) && more > 0 &&
      std::find(s.compare_more.begin(), s.compare_more.end(), more) == s.compare_more.end() &&
      s.compare_more.size() < 5)
    s.compare_more.push_back(more);
  if (!s.compare_more.empty()) {
    ImGui::SameLine();
    if (ImGui::Button("one chart")) s.compare_more.clear();
  }
  // Runs of different populations are not like for like: say so rather than overlay them silently.
  const std::size_t citizens =
      f && f->run ? static_cast<std::size_t>(std::count(f->run->kinds.begin(), f->run->kinds.end(), 0)) : 0;
  const viz_state::compared_run* unlike = nullptr;
  for (const auto& r : s.compared)
    if (citizens > 0 && r.citizens > 0 && r.citizens != citizens && !unlike) unlike = &r;
  if (unlike)  // one line, not one per curve
    ImGui::TextColored(ImVec4(1.0f, 0.85f, 0.3f, 1.0f),
                       "note: this run has %zu citizens, %s has %zu: levels of totals differ by size",
                       citizens, unlike->name.c_str(), unlike->citizens);
  const bool paired = pairs && s.compare_paired;
  // One chart of a metric: the current run and every compared run (or, paired, every difference), with bands.
  auto draw_chart = [&](const std::string& m, ImVec2 size, const char* id) {
    std::vector<std::string> names;
    std::vector<std::vector<double>> ys, los, his;
    auto column_of = [&](const std::vector<std::vector<double>>& rows, std::size_t c) {
      std::vector<double> v;
      for (const auto& row : rows) v.push_back(row[c]);
      return v;
    };
    if (f && !paired) {
      names.push_back("this run");
      ys.push_back(f->column(m));
      los.emplace_back(), his.emplace_back();
    }
    for (const auto& r : s.compared) {
      const auto it = std::find(r.columns.begin(), r.columns.end(), m);
      if (it == r.columns.end() || (paired && r.diff.empty())) continue;
      const auto c = static_cast<std::size_t>(it - r.columns.begin());
      names.push_back(paired ? r.name + " - baseline" : r.name);
      ys.push_back(column_of(paired ? r.diff : r.rows, c));
      const bool band = s.compare_bands && !(paired ? r.diff_lo : r.lo).empty();
      los.push_back(band ? column_of(paired ? r.diff_lo : r.lo, c) : std::vector<double>{});
      his.push_back(band ? column_of(paired ? r.diff_hi : r.hi, c) : std::vector<double>{});
    }
    std::vector<chart::series> shown;
    for (std::size_t k = 0; k < ys.size(); ++k) shown.push_back({names[k], ys[k], {}, los[k], his[k]});
    chart::options o;
    o.x_label = f && f->run ? f->run->step_unit.c_str() : "step";
    const std::string y_label = paired ? m + " minus " + baseline : m;
    o.y_label = y_label.c_str();
    o.x_integer = true;
    if (f) o.x_min_span = f->steps_planned;
    chart::plot(id, shown, o, size);
  };
  if (paired)
    ImGui::TextDisabled(
        "Each curve: the mean over replicates of (regime - baseline) on the same seed, with its 95%% band.");
  if (s.compare_more.empty()) {
    draw_chart(metric, ImVec2(0, -4), "compare");
  } else {
    // A grid of two columns: the chosen metric first, then the added ones.
    std::vector<std::string> metrics{metric};
    for (const int c : s.compare_more)
      metrics.push_back(
          columns[static_cast<std::size_t>(std::min<int>(c, static_cast<int>(columns.size()) - 1))]);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const std::size_t rows = (metrics.size() + 1) / 2;
    const ImVec2 cell((avail.x - 8) / 2, std::max(120.0f, (avail.y - 4) / static_cast<float>(rows) - 6));
    for (std::size_t i = 0; i < metrics.size(); ++i) {
      if (i % 2) ImGui::SameLine();
      ImGui::BeginChild(("cell" + std::to_string(i)).c_str(), cell);
      ImGui::TextUnformatted(metrics[i].c_str());
      draw_chart(metrics[i], ImVec2(0, -2), ("compare" + std::to_string(i)).c_str());
      ImGui::EndChild();
    }
  }
  ImGui::End();
}

}  // namespace civitas::viz
