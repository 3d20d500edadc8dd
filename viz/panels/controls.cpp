#include <imgui.h>

#include <cstdio>

#include "driver/registry.hpp"
#include "viz/panels.hpp"
#include "viz/run_settings.hpp"
#include "viz/sources.hpp"

namespace civitas::viz {

namespace {

const ImVec4 error_color(1.0f, 0.38f, 0.35f, 1.0f);
const ImVec4 hint_color(1.0f, 0.85f, 0.3f, 1.0f);
const ImVec4 edited_color(0.55f, 0.85f, 1.0f, 1.0f);

// The numeric bounds of a declared range. Declarations write ranges as "MIN to MAX" (params::range_text),
// the one format of every integer and floating parameter; false when there is none.
bool bounds_of(const params::param& p, double& lo, double& hi) {
  return std::sscanf(p.range.c_str(), "%lf to %lf", &lo, &hi) == 2;
}

void describe(const params::catalogue::entry& e) {
  const params::param& p = *e.p;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
  ImGui::TextUnformatted(e.path.c_str());
  ImGui::TextUnformatted(p.doc.c_str());
  if (!p.range.empty()) ImGui::TextDisabled("range: %s", p.range.c_str());
  if (!p.unit.empty()) ImGui::TextDisabled("unit: %s", p.unit.c_str());
  if (!p.source.empty()) ImGui::TextDisabled("source: %s", p.source.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

// One parameter's control, made from its declaration: a combo for a choice, a checkbox for a boolean, a
// slider over a moderate declared range, else a field. Returns whether the user changed it. The value is
// checked by the parameter's own check (the one `--set` runs); the rules across parameters run on restart.
bool param_control(viz_state& s, const params::catalogue::entry& e, const char* label, float width) {
  const params::param& p = *e.p;
  params::value v = shown_value(s, e);
  const bool edited = s.edits.contains(e.path);
  ImGui::PushID(e.path.c_str());
  ImGui::SetNextItemWidth(width);
  bool changed = false;
  double lo = 0, hi = 0;
  const bool bounded = bounds_of(p, lo, hi);
  switch (p.type) {
    case params::param_type::enumeration: {
      const std::string& current = std::get<std::string>(v);
      if (ImGui::BeginCombo(label, current.c_str())) {
        for (const auto& c : p.choices)
          if (ImGui::Selectable(c.c_str(), c == current)) v = c, changed = c != current;
        ImGui::EndCombo();
      }
      break;
    }
    case params::param_type::boolean:
      changed = ImGui::Checkbox(label, &std::get<bool>(v));
      break;
    case params::param_type::integer: {
      auto& i = std::get<std::int64_t>(v);
      if (bounded && hi - lo <= 1000) {
        const auto min = static_cast<std::int64_t>(lo), max = static_cast<std::int64_t>(hi);
        changed = ImGui::SliderScalar(label, ImGuiDataType_S64, &i, &min, &max);
      } else {
        const std::int64_t one = 1;
        changed = ImGui::InputScalar(label, ImGuiDataType_S64, &i, &one);
      }
      break;
    }
    case params::param_type::floating: {
      auto& d = std::get<double>(v);
      if (bounded && hi - lo <= 1000)
        changed = ImGui::SliderScalar(label, ImGuiDataType_Double, &d, &lo, &hi, "%.4g");
      else
        changed = ImGui::InputDouble(label, &d, 0, 0, "%.6g");
      break;
    }
    case params::param_type::string:  // names and descriptions: shown, changed only with --set
      ImGui::Text("%s  %s", std::get<std::string>(v).c_str(), label);
      break;
  }
  if (ImGui::IsItemHovered()) describe(e);
  if (edited && !changed) {
    ImGui::SameLine();
    ImGui::TextColored(edited_color, "(was %s)", params::toml_value_text(s.src->scenario()->get(e)).c_str());
  }
  if (changed) edit_value(s, e, v);
  // A value the declaration refuses is shown at once, in red under its control.
  if (const auto it = s.edits.find(e.path); it != s.edits.end())
    if (const std::string why = p.check(it->second); !why.empty())
      ImGui::TextColored(error_color, "%s: %s", e.path.c_str(), why.c_str());
  ImGui::PopID();
  return changed;
}

// Every parameter the scenario's model reads, by table, generated from the declarations.
void parameters(viz_state& s, bool editable) {
  const auto sc = s.src->scenario();
  if (!sc) return;
  char header[96];
  if (editable)
    std::snprintf(header, sizeof header, "Parameters (%zu changed)###parameters", s.edits.size());
  else
    std::snprintf(header, sizeof header, "Parameters of this run###parameters");
  if (!ImGui::CollapsingHeader(header)) return;
  ImGui::BeginDisabled(!editable);
  const std::string* table = nullptr;
  bool open = false;
  for (const auto& e : sc->schema().entries()) {
    // Live, the regime has its own control above; a replay shows it here with the rest.
    if (!is_read(*sc, e) || (editable && e.path == "governance.regime")) continue;
    const std::string& t = sc->schema().sections()[e.section].table;
    if (!table || *table != t) {
      if (open) ImGui::TreePop();
      table = &t;
      open = ImGui::TreeNode(t.c_str());
    }
    if (open) param_control(s, e, e.p->key.c_str(), 160);
  }
  if (open) ImGui::TreePop();
  ImGui::EndDisabled();
}

void show_message(const viz_state& s) {
  if (s.message.empty()) return;
  if (s.message_is_error) {
    ImGui::PushStyleColor(ImGuiCol_Text, error_color);
    ImGui::TextWrapped("%s", s.message.c_str());
    ImGui::PopStyleColor();
  } else {
    ImGui::TextWrapped("%s", s.message.c_str());
  }
}

void live_controls(viz_state& s, const frame* f) {
  // Run / Pause toggles with Space too (when no text field has the keyboard).
  const bool playing = s.src->playing();
  const bool space =
      !ImGui::GetIO().WantTextInput && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false);
  if (ImGui::Button(playing ? "Pause" : "Run") || space) s.src->play(!playing);
  ImGui::SameLine();
  if (ImGui::Button("Step")) s.src->single_step();
  ImGui::SameLine();
  ImGui::SetNextItemWidth(140);
  if (ImGui::SliderFloat("steps/s", &s.speed, 1.0f, 1000.0f, "%.0f", ImGuiSliderFlags_Logarithmic))
    s.src->set_speed(s.speed);
  ImGui::SameLine();
  if (ImGui::Button("Save PNG")) s.save_png = true;
  if (f && f->step == 0 && !playing)  // the first thing a newcomer sees: why nothing moves
    ImGui::TextColored(hint_color, "Paused at step 0: press Run (or Space) to start, Step for one step.");

  // The regime, from the scenario in force; then the --set text. A restart applies only what changed.
  if (const auto* regime = find_param(s, "governance.regime"); regime && is_read(*s.src->scenario(), *regime))
    param_control(s, *regime, "regime", 160);
  ImGui::SetNextItemWidth(std::max(120.0f, ImGui::GetContentRegionAvail().x - 50));
  ImGui::InputTextWithHint("--set", "key=value key=value", s.override_text, sizeof s.override_text);
  if (ImGui::Button("Restart with these")) try_restart(s);
  if (!s.edits.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(edited_color, "%zu change(s) apply on restart", s.edits.size());
    ImGui::SameLine();
    if (ImGui::SmallButton("undo")) s.edits.clear();
  }
  show_message(s);  // right under the button that caused it

  // Another shipped scenario: a new engine replaces the old one.
  static char scenario[256] = "";
  ImGui::SetNextItemWidth(std::max(120.0f, ImGui::GetContentRegionAvail().x - 110));
  ImGui::InputTextWithHint("##scenario", "scenario (e.g. regimes/daf)", scenario, sizeof scenario);
  ImGui::SameLine();
  if (ImGui::Button("Open scenario")) {
    try {
      const std::string path = params::resolve_scenario(scenario);
      s.src = make_live_source(path, {});
      s.scenario_path = path;
      s.overrides.clear();
      s.edits.clear();
      s.message = "opened " + path, s.message_is_error = false;
    } catch (const std::exception& e) {
      s.message = e.what(), s.message_is_error = true;
    }
  }
  parameters(s, true);
}

void replay_controls(viz_state& s, const frame* f) {
  int step = static_cast<int>(f->step);
  const int last = f->blocks.empty() ? 0 : static_cast<int>(f->blocks.back().step);
  ImGui::SetNextItemWidth(std::max(120.0f, ImGui::GetContentRegionAvail().x - 190));
  if (ImGui::SliderInt(f->run->step_unit.c_str(), &step, 0, std::max(last, static_cast<int>(f->step))))
    s.src->seek(static_cast<step_t>(step));
  ImGui::SameLine();
  if (ImGui::Button("<")) s.src->seek(f->step > 0 ? f->step - 1 : 0);
  ImGui::SameLine();
  if (ImGui::Button(">")) s.src->seek(f->step + 1);
  ImGui::SameLine();
  if (ImGui::Button("Save PNG")) s.save_png = true;
  show_message(s);
  parameters(s, false);
}

}  // namespace

void draw_controls(viz_state& s) {
  ImGui::Begin("Run");
  const frame* f = s.view.get();
  if (f && f->run) {
    ImGui::TextWrapped("%s", f->run->title.c_str());
    ImGui::Text("%s %u of %u, %zu agents, %zu tokens; frame %.1f ms", f->run->step_unit.c_str(), f->step,
                f->steps_planned, f->agents(), f->tokens(), s.mean_frame_ms);
  }
  if (s.src && s.src->live())
    live_controls(s, f);
  else if (s.src && f)
    replay_controls(s, f);
  ImGui::End();
}

}  // namespace civitas::viz
