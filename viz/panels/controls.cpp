#include <imgui.h>

#include <filesystem>

#include "core/error.hpp"
#include "driver/registry.hpp"
#include "governance/registry.hpp"
#include "viz/panels.hpp"
#include "viz/sources.hpp"

namespace civitas::viz {

namespace {
// Splits "a=1 b=2" (spaces between overrides) into overrides.
std::vector<std::string> split_overrides(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (const char c : text) {
    if (c == ' ') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}
}  // namespace

void draw_controls(viz_state& s) {
  ImGui::Begin("Run");
  const frame* f = s.view.get();
  if (f && f->run) {
    ImGui::Text("%s", f->run->title.c_str());
    ImGui::Text("step %u of %u, %zu agents, %zu tokens", f->step, f->steps_planned, f->agents(), f->tokens());
  }
  if (s.src && s.src->live()) {
    const bool playing = s.src->playing();
    if (ImGui::Button(playing ? "Pause" : "Play")) s.src->play(!playing);
    ImGui::SameLine();
    if (ImGui::Button("Step")) s.src->single_step();
    ImGui::SameLine();
    ImGui::SetNextItemWidth(160);
    if (ImGui::SliderFloat("steps/s", &s.speed, 1.0f, 1000.0f, "%.0f", ImGuiSliderFlags_Logarithmic))
      s.src->set_speed(s.speed);
    // Regime and parameters: a restart validates them like `civitas run --set`.
    // The one list of regimes (governance/registry).
    const auto& names = governance::regime_names();
    static int regime = 0;
    ImGui::SetNextItemWidth(160);
    ImGui::Combo(
        "regime", &regime,
        [](void* data, int i, const char** out) {
          *out = (*static_cast<const std::vector<std::string>*>(data))[static_cast<std::size_t>(i)].c_str();
          return true;
        },
        const_cast<std::vector<std::string>*>(&names), static_cast<int>(names.size()));
    ImGui::SetNextItemWidth(320);
    ImGui::InputText("--set", s.override_text, sizeof s.override_text);
    if (ImGui::Button("Restart with these")) {
      auto overrides = s.overrides;
      for (auto& o : split_overrides(s.override_text)) overrides.push_back(o);
      if (f && f->run && f->agents() > 0 && f->run->kinds.back() == 3)
        overrides.push_back("governance.regime=" + names[static_cast<std::size_t>(regime)]);
      try {
        s.src->restart(overrides);
        s.message = "restarted";
      } catch (const input_error& e) {
        s.message = e.diagnostics().empty() ? e.what() : e.diagnostics().front().str();
      }
    }
    // Another shipped scenario: a new engine replaces the old one.
    static char scenario[256] = "";
    ImGui::SetNextItemWidth(320);
    ImGui::InputText("scenario", scenario, sizeof scenario);
    ImGui::SameLine();
    if (ImGui::Button("Open")) {
      try {
        const std::string path = params::resolve_scenario(scenario);
        s.src = make_live_source(path, {});
        s.scenario_path = path;
        s.message = "opened " + path;
      } catch (const std::exception& e) {
        s.message = e.what();
      }
    }
  } else if (s.src && f) {
    int step = static_cast<int>(f->step);
    const int last = f->blocks.empty() ? 0 : static_cast<int>(f->blocks.back().step);
    ImGui::SetNextItemWidth(400);
    if (ImGui::SliderInt("step", &step, 0, std::max(last, static_cast<int>(f->step))))
      s.src->seek(static_cast<step_t>(step));
    ImGui::SameLine();
    if (ImGui::Button("<")) s.src->seek(f->step > 0 ? f->step - 1 : 0);
    ImGui::SameLine();
    if (ImGui::Button(">")) s.src->seek(f->step + 1);
  }
  ImGui::Text("frame %.2f ms", s.mean_frame_ms);
  ImGui::SameLine();
  if (ImGui::Button("Save PNG")) s.save_png = true;
  if (!s.message.empty()) ImGui::TextWrapped("%s", s.message.c_str());
  ImGui::End();
}

}  // namespace civitas::viz
