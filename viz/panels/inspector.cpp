#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "driver/registry.hpp"
#include "ledger/record.hpp"
#include "viz/panels.hpp"

namespace civitas::viz {

void draw_inspector(viz_state& s) {
  ImGui::Begin("Agent");
  const frame* f = s.view.get();
  if (!f || f->agents() == 0) {
    ImGui::End();
    return;
  }
  int id = static_cast<int>(s.selected_agent);
  ImGui::SetNextItemWidth(140);
  if (ImGui::InputInt("agent", &id))
    s.selected_agent = std::clamp<std::int64_t>(id, 0, static_cast<std::int64_t>(f->agents()) - 1);
  const auto a = static_cast<std::size_t>(
      std::clamp<std::int64_t>(s.selected_agent, 0, static_cast<std::int64_t>(f->agents()) - 1));
  static const char* kinds[] = {"citizen", "firm", "charity", "government"};
  ImGui::Text("%s %zu", kinds[std::min<int>(3, f->run->kinds[a])], a);
  if (ImGui::BeginTable("balances", 2, ImGuiTableFlags_Borders)) {
    for (std::size_t t = 0; t < f->tokens() && a * f->tokens() + t < f->balances.size(); ++t) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%s", f->run->token_names[t].c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(f->balance(a, t)));
    }
    ImGui::EndTable();
  }
  const auto& cols = f->run->score_columns;
  if (!f->scores.empty())
    for (std::size_t c = 0; c < cols.size(); ++c) {
      const double v = f->scores[a * cols.size() + c];
      if (!std::isnan(v)) ImGui::Text("%s: %.4g", cols[c].c_str(), v);
    }
  // Its three strongest values.
  const std::size_t k = f->run->value_dimensions;
  if (k > 0 && f->run->values.size() >= (a + 1) * k) {
    std::vector<std::size_t> order(k);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
      return f->run->values[a * k + x] > f->run->values[a * k + y];
    });
    ImGui::Text("values:");
    for (std::size_t i = 0; i < std::min<std::size_t>(3, k); ++i)
      ImGui::BulletText(
          "%s %.2f",
          order[i] < f->run->value_names.size() ? f->run->value_names[order[i]].c_str() : "dimension",
          f->run->values[a * k + order[i]]);
  }
  // This block's transfers touching its accounts.
  ImGui::Separator();
  ImGui::Text("transfers of block %u:", f->records_step);
  int shown = 0;
  const auto& acc = f->run->accounts;
  if (ImGui::BeginTable("transfers", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY, ImVec2(0, 180))) {
    for (const auto& r : f->records) {
      const bool mine = (r.debit < acc.size() && acc[r.debit].owner == a) ||
                        (r.credit < acc.size() && acc[r.credit].owner == a);
      if (!mine) continue;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%s", driver::reason_name(r.reason).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%s%lld", acc[r.debit].owner == a ? "-" : "+", static_cast<long long>(r.amount));
      ImGui::TableNextColumn();
      ImGui::Text("%s", r.token < f->tokens() ? f->run->token_names[r.token].c_str() : "?");
      ImGui::TableNextColumn();
      ImGui::Text("%s", ledger::status_name(static_cast<ledger::status>(r.status)));
      if (++shown >= 200) break;
    }
    ImGui::EndTable();
  }
  if (shown == 0) ImGui::TextDisabled(f->records.empty() ? "(no transfers stored for this block)" : "(none)");
  ImGui::End();
}

}  // namespace civitas::viz
