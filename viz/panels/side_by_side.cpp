// The side-by-side page: two to four regimes running live on common seeds (viz/side_by_side.hpp), their
// metrics as small multiples, one curve per regime, or each regime's difference from the first.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "governance/registry.hpp"
#include "sim/settings.hpp"
#include "viz/chart.hpp"
#include "viz/panels.hpp"

namespace civitas::viz {
namespace {

const ImVec4 error_red(1.0f, 0.38f, 0.35f, 1.0f);

// The metrics a policymaker asks about first, where the run has them.
constexpr const char* first_metrics[] = {"misconduct", "deeds_done", "gini_cash", "total_value"};

// The regimes ticked on the page, in the registry's order.
std::vector<std::string> chosen_regimes(const viz_state& s) {
  std::vector<std::string> out;
  const auto& names = governance::regime_names();
  for (std::size_t i = 0; i < names.size() && i < s.lane_chosen.size(); ++i)
    if (s.lane_chosen[i]) out.push_back(names[i]);
  return out;
}

}  // namespace

// Every lane's metric columns, in the order they first appear (the step column left out).
std::vector<std::string> lane_metrics(const viz_state& s) {
  std::vector<std::string> out;
  for (const auto& v : s.lane_views)
    if (v && v->columns)
      for (std::size_t c = 1; c < v->columns->size(); ++c)
        if (std::find(out.begin(), out.end(), (*v->columns)[c]) == out.end()) out.push_back((*v->columns)[c]);
  return out;
}

// Where a lane keeps the metric `name` (npos when its regime does not measure it).
std::size_t column_of(const lane_view& v, const std::string& name) {
  const auto it = std::find(v.columns->begin(), v.columns->end(), name);
  return it == v.columns->end() ? std::string::npos : static_cast<std::size_t>(it - v.columns->begin());
}

void draw_lanes(viz_state& s) {
  ImGui::Begin("Side by side");
  ImGui::TextWrapped(
      "Run the scenario in force under two to four regimes at once, on the same seed: each regime's engine "
      "on its own thread, in step with the others, so the curves part only where the rules differ.");
  const auto& names = governance::regime_names();
  for (std::size_t i = 0; i < names.size() && i < s.lane_chosen.size(); ++i) {
    if (i > 0) ImGui::SameLine();
    bool on = s.lane_chosen[i];
    if (ImGui::Checkbox(names[i].c_str(), &on)) s.lane_chosen[i] = on;
  }
  if (ImGui::Button(s.lanes ? "Restart side by side" : "Run side by side")) try_start_lanes(s);
  if (s.lanes) {
    ImGui::SameLine();
    if (ImGui::Button("Stop")) {
      s.lanes.reset();
      s.lane_views.clear();
    }
  }
  if (!s.lane_message.empty()) {  // in red, right under the button that caused it
    ImGui::PushStyleColor(ImGuiCol_Text, error_red);
    ImGui::TextWrapped("%s", s.lane_message.c_str());
    ImGui::PopStyleColor();
  }
  if (!s.lanes) {
    ImGui::End();
    return;
  }
  ImGui::Separator();
  side_by_side& lanes = *s.lanes;
  if (ImGui::Button(lanes.playing() ? "Pause" : "Play")) lanes.play(!lanes.playing());
  ImGui::SameLine();
  if (ImGui::Button("Step")) lanes.single_step();
  ImGui::SameLine();
  ImGui::SetNextItemWidth(160);
  if (ImGui::SliderFloat("steps/s", &s.lane_speed, 1.0f, 1000.0f, "%.0f", ImGuiSliderFlags_Logarithmic))
    lanes.set_speed(s.lane_speed);
  step_t slowest = lanes.steps_planned();
  for (const auto& v : s.lane_views) slowest = std::min(slowest, v ? v->step : step_t{0});
  ImGui::Text("%s %u of %u, seed %llu for every regime", lanes.step_unit().c_str(), slowest,
              lanes.steps_planned(),
              static_cast<unsigned long long>(lanes.scenario_of(0).get<sim::run_params>().seed));
  // Each lane: its colour, regime, step and head hash (each a reproducible `civitas run` of its own).
  for (std::size_t i = 0; i < s.lane_views.size(); ++i) {
    const auto& v = s.lane_views[i];
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + 2), ImVec2(p.x + h - 4, p.y + h - 2),
                                              chart::palette(i));
    ImGui::Dummy(ImVec2(h, h));
    ImGui::SameLine();
    if (!v) {
      ImGui::Text("%s: setting up...", lanes.regimes()[i].c_str());
    } else if (!v->error.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, error_red);
      ImGui::TextWrapped("%s stopped: %s", v->regime.c_str(), v->error.c_str());
      ImGui::PopStyleColor();
    } else {
      ImGui::Text("%-13s %s %3u  head %.16s...", v->regime.c_str(), lanes.step_unit().c_str(), v->step,
                  v->head.c_str());
    }
  }
  ImGui::Checkbox(("difference from " + lanes.regimes()[0]).c_str(), &s.lane_differences);
  // The metrics drawn: a list of checkboxes (at most six charts), over every lane's columns (each regime
  // adds its own, so a column's place differs from lane to lane: metrics go by name).
  const std::vector<std::string> columns = lane_metrics(s);
  if (!columns.empty()) {
    if (s.lane_columns.empty()) {
      for (const char* name : first_metrics)
        if (std::find(columns.begin(), columns.end(), name) != columns.end()) s.lane_columns.push_back(name);
      for (std::size_t c = 0; s.lane_columns.empty() && c < columns.size() && c < 4; ++c)
        s.lane_columns.push_back(columns[c]);
    }
    ImGui::TextUnformatted("metrics (up to six):");
    ImGui::BeginChild("lane metrics", ImVec2(0, 0), true);
    for (const auto& name : columns) {
      const auto it = std::find(s.lane_columns.begin(), s.lane_columns.end(), name);
      bool on = it != s.lane_columns.end();
      if (ImGui::Checkbox(name.c_str(), &on)) {
        if (!on)
          s.lane_columns.erase(it);
        else if (s.lane_columns.size() < 6)
          s.lane_columns.push_back(name);
      }
    }
    ImGui::EndChild();
  }
  ImGui::End();
}

void draw_lane_charts(viz_state& s) {
  ImGui::Begin("Regimes side by side");
  if (!s.lanes) {
    ImGui::TextWrapped(
        "Nothing running side by side yet: tick two to four regimes in the Side by side panel and press "
        "\"Run side by side\".");
    ImGui::End();
    return;
  }
  const auto& views = s.lane_views;
  const bool ready = !views.empty() && std::all_of(views.begin(), views.end(), [](const auto& v) {
    return v && (v->columns || !v->error.empty());
  });
  const lane_view* base = ready ? views[0].get() : nullptr;
  if (!base || !base->columns) {
    ImGui::TextUnformatted("Setting up the societies...");
    ImGui::End();
    return;
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const std::size_t charts = std::max<std::size_t>(1, s.lane_columns.size());
  const std::size_t across = avail.x > 900 && charts > 1 ? 2 : 1;
  const std::size_t down = (charts + across - 1) / across;
  const ImGuiStyle& style = ImGui::GetStyle();
  const ImVec2 each(
      (avail.x - style.ItemSpacing.x * static_cast<float>(across - 1)) / static_cast<float>(across),
      std::max(170.0f,
               (avail.y - style.ItemSpacing.y * static_cast<float>(down - 1)) / static_cast<float>(down)));
  chart::options o;
  o.x_label = s.lanes->step_unit().c_str();
  o.x_integer = true;
  o.x_min_span = s.lanes->steps_planned();
  for (std::size_t k = 0; k < s.lane_columns.size(); ++k) {
    const std::string& metric = s.lane_columns[k];
    const std::size_t base_column = column_of(*base, metric);
    // Each lane's values of the metric (its difference from lane 0 at the steps both have reached).
    std::vector<std::vector<double>> values(views.size());
    std::vector<chart::series> curves;
    std::vector<std::string> names(views.size()), missing;
    for (std::size_t i = 0; i < views.size(); ++i) {
      if (!views[i] || !views[i]->error.empty() || (s.lane_differences && i == 0)) continue;
      const std::size_t c = column_of(*views[i], metric);
      if (c == std::string::npos || (s.lane_differences && base_column == std::string::npos)) {
        missing.push_back(views[i]->regime);
        continue;
      }
      const auto& rows = views[i]->rows;
      const std::size_t n = s.lane_differences ? std::min(rows.size(), base->rows.size()) : rows.size();
      for (std::size_t t = 0; t < n; ++t)
        values[i].push_back(s.lane_differences ? rows[t][c] - base->rows[t][base_column] : rows[t][c]);
      names[i] = s.lane_differences ? views[i]->regime + " - " + base->regime : views[i]->regime;
      chart::series one{names[i], values[i]};
      one.color = chart::palette(i);
      curves.push_back(one);
    }
    const std::string label =
        s.lane_differences ? metric + " (difference from " + base->regime + ")" : metric;
    o.y_label = label.c_str();
    if (k % across != 0) ImGui::SameLine();
    ImGui::BeginGroup();
    float note = 0;
    if (!missing.empty()) {  // say so, rather than draw a regime as if it measured zero
      std::string text = "not measured under";
      for (const auto& m : missing) text += " " + m;
      ImGui::TextDisabled("%s", text.c_str());
      note = ImGui::GetTextLineHeightWithSpacing();
    }
    chart::plot(("##lane " + metric).c_str(), curves, o, ImVec2(each.x, each.y - note));
    ImGui::EndGroup();
  }
  ImGui::End();
}

bool try_start_lanes(viz_state& s) {
  s.lane_message.clear();
  const auto base = s.src ? s.src->scenario() : nullptr;
  if (!base) {
    s.lane_message = "no scenario to run: this file does not carry one this version can read";
    return false;
  }
  try {
    // Stop the running lanes first: two sets of societies need not share the cores or the memory.
    s.lanes.reset();
    s.lane_views.clear();
    const std::string path = s.src->live() ? s.scenario_path : "";
    auto lanes = std::make_unique<side_by_side>(regime_scenarios(*base, path, s.overrides, chosen_regimes(s)),
                                                s.lane_threads);
    lanes->set_speed(s.lane_speed);
    lanes->play(true);
    s.lanes = std::move(lanes);
    s.lane_columns.clear();  // the first metrics again, for the run's columns
    return true;
  } catch (const input_error& e) {
    s.lane_message = e.diagnostics().empty() ? e.what() : e.diagnostics().front().str();
  } catch (const std::exception& e) {
    s.lane_message = e.what();
  }
  return false;
}

}  // namespace civitas::viz
