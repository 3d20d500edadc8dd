#include <imgui.h>

#include <algorithm>

#include "driver/registry.hpp"
#include "ledger/record.hpp"
#include "viz/panels.hpp"

namespace civitas::viz {

void draw_ledger(viz_state& s) {
  ImGui::Begin("Ledger");
  const frame* f = s.view.get();
  if (!f) {
    ImGui::End();
    return;
  }
  ImGui::TextWrapped("chain: %s", f->verification.c_str());
  if (s.src && !s.src->live()) {
    ImGui::SameLine();
    if (ImGui::Button("Verify")) s.src->verify();
  }
  auto owner = [&](account_id a) -> long long {
    return a < f->run->accounts.size() && f->run->accounts[a].owner != system_agent
               ? static_cast<long long>(f->run->accounts[a].owner)
               : -1;
  };
  if (ImGui::BeginTabBar("ledger tabs")) {
    if (ImGui::BeginTabItem("Blocks")) {
      if (ImGui::BeginTable("blocks", 4,
                            ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg,
                            ImVec2(0, 0))) {
        ImGui::TableSetupColumn("step");
        ImGui::TableSetupColumn("transfers");
        ImGui::TableSetupColumn("rejected");
        ImGui::TableSetupColumn("header hash");
        ImGui::TableHeadersRow();
        // Newest first; only the rows in view are laid out.
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(f->blocks.size()));
        while (clipper.Step())
          for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const block_view& b = f->blocks[f->blocks.size() - 1 - static_cast<std::size_t>(row)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            char label[32];
            std::snprintf(label, sizeof label, "%u", b.step);
            if (ImGui::Selectable(label, s.selected_block == static_cast<int>(b.step),
                                  ImGuiSelectableFlags_SpanAllColumns)) {
              s.selected_block = static_cast<int>(b.step);
              if (s.src) s.src->show_records_of(b.step);
            }
            ImGui::TableNextColumn();
            ImGui::Text("%llu", static_cast<unsigned long long>(b.transfers));
            ImGui::TableNextColumn();
            ImGui::Text("%llu", static_cast<unsigned long long>(b.rejected));
            ImGui::TableNextColumn();
            ImGui::Text("%s", b.hash.c_str());
          }
        ImGui::EndTable();
      }
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Transfers")) {
      ImGui::Text("block %u: %zu records", f->records_step, f->records.size());
      if (f->records.empty())
        ImGui::TextDisabled("(none stored: a live block not yet reached, or a headers-only file)");
      if (ImGui::BeginTable("records", 7,
                            ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg)) {
        for (const char* h : {"id", "reason", "from", "to", "amount", "token", "status"})
          ImGui::TableSetupColumn(h);
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(f->records.size()));
        while (clipper.Step())
          for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const auto& r = f->records[static_cast<std::size_t>(row)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("%d", row);  // the position in the block: the id less the step
            ImGui::TableNextColumn();
            ImGui::Text("%s%s", driver::reason_name(r.reason).c_str(),
                        (r.flags & ledger::intent_flag::linked) ? " +" : "");
            ImGui::TableNextColumn();
            ImGui::Text("%lld", owner(r.debit));
            ImGui::TableNextColumn();
            ImGui::Text("%lld", owner(r.credit));
            ImGui::TableNextColumn();
            ImGui::Text("%lld", static_cast<long long>(r.amount));
            ImGui::TableNextColumn();
            ImGui::Text("%s", r.token < f->tokens() ? f->run->token_names[r.token].c_str() : "?");
            ImGui::TableNextColumn();
            ImGui::Text("%s", ledger::status_name(static_cast<ledger::status>(r.status)));
          }
        ImGui::EndTable();
      }
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Lineage")) {
      ImGui::TextWrapped(
          "Value-token lots, newest first, each traced to the transfer whose money backed it.");
      if (ImGui::BeginTable("lots", 6,
                            ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg)) {
        for (const char* h : {"lot", "step", "token", "amount", "holder", "backed by"})
          ImGui::TableSetupColumn(h);
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(f->lots.size()));
        while (clipper.Step())
          for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const traced_lot& t = f->lots[static_cast<std::size_t>(row)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("%llu", static_cast<unsigned long long>(t.lot.lot));
            ImGui::TableNextColumn();
            ImGui::Text("%u", t.lot.step);
            ImGui::TableNextColumn();
            ImGui::Text("%s", t.lot.token < f->tokens() ? f->run->token_names[t.lot.token].c_str() : "?");
            ImGui::TableNextColumn();
            ImGui::Text("%lld", static_cast<long long>(t.lot.amount));
            ImGui::TableNextColumn();
            ImGui::Text("%lld", owner(t.lot.holder));
            ImGui::TableNextColumn();
            if (t.lot.backing == 0)
              ImGui::TextDisabled("genesis");
            else if (t.has_backing)
              ImGui::Text("%lld cash from agent %lld (%s)", static_cast<long long>(t.backing.amount),
                          owner(t.backing.debit), driver::reason_name(t.backing.reason).c_str());
            else
              ImGui::Text("transfer %llu", static_cast<unsigned long long>(t.lot.backing));
          }
        ImGui::EndTable();
      }
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
}

}  // namespace civitas::viz
