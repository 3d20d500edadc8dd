#include "viz/run_settings.hpp"

#include "core/error.hpp"

namespace civitas::viz {

const params::catalogue::entry* find_param(const viz_state& s, std::string_view path) {
  const auto sc = s.src ? s.src->scenario() : nullptr;
  return sc ? sc->schema().find(path) : nullptr;
}

params::value shown_value(const viz_state& s, const params::catalogue::entry& e) {
  if (const auto it = s.edits.find(e.path); it != s.edits.end()) return it->second;
  return s.src->scenario()->get(e);
}

void edit_value(viz_state& s, const params::catalogue::entry& e, const params::value& v) {
  if (v == s.src->scenario()->get(e))
    s.edits.erase(e.path);
  else
    s.edits[e.path] = v;
}

bool is_read(const params::scenario& sc, const params::catalogue::entry& e) {
  const auto& section = sc.schema().sections()[e.section];
  return !section.read || section.read(sc);
}

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

std::vector<std::string> restart_overrides(const viz_state& s) {
  std::vector<std::string> out = s.overrides;
  for (const auto& [path, v] : s.edits) out.push_back(path + "=" + params::toml_value_text(v));
  for (auto& o : split_overrides(s.override_text)) out.push_back(std::move(o));
  return out;
}

void restart(viz_state& s) {
  auto overrides = restart_overrides(s);
  s.src->restart(overrides);  // throws before anything changes
  s.overrides = std::move(overrides);
  s.edits.clear();
  s.override_text[0] = '\0';
}

bool try_restart(viz_state& s) {
  try {
    restart(s);
    s.message = "restarted at step 0", s.message_is_error = false;
    return true;
  } catch (const input_error& e) {
    s.message = e.diagnostics().empty() ? e.what() : e.diagnostics().front().str();
    s.message_is_error = true;
    return false;
  }
}

}  // namespace civitas::viz
