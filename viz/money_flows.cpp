#include "viz/money_flows.hpp"

namespace civitas::viz {

const char* flow_group_name(flow_group g) {
  static constexpr std::array<const char*, flow_groups> names = {
      "citizens",  "raw-material firms", "manufacturers",   "retailers",
      "charities", "government",         "funds and pools", "issuer"};
  return names[static_cast<std::size_t>(g)];
}

std::vector<flow_group> agent_groups(std::span<const std::uint8_t> kinds,
                                     std::span<const std::pair<std::uint32_t, std::uint32_t>> supply_edges) {
  std::vector<std::uint8_t> supplied(kinds.size()), supplies(kinds.size());
  for (const auto& [supplier, customer] : supply_edges) {
    if (supplier < kinds.size()) supplies[supplier] = 1;
    if (customer < kinds.size()) supplied[customer] = 1;
  }
  std::vector<flow_group> out(kinds.size(), flow_group::citizens);
  for (std::size_t a = 0; a < kinds.size(); ++a) switch (kinds[a]) {
      case 1:
        out[a] = !supplied[a] && supplies[a] ? flow_group::raw_firms
                 : supplies[a]               ? flow_group::manufacturers
                                             : flow_group::retailers;
        break;
      case 2:
        out[a] = flow_group::charities;
        break;
      case 3:
        out[a] = flow_group::government;
        break;
      default:
        out[a] = flow_group::citizens;
    }
  return out;
}

step_flows sum_flows(std::span<const ledger::transfer_record> records,
                     std::span<const ledger::account_info> accounts, std::span<const flow_group> groups,
                     token_id token) {
  auto group_of = [&](account_id a) {
    const ledger::account_info& info = accounts[a];
    if (info.owner < groups.size()) return groups[info.owner];
    return info.flags & ledger::account_flag::issuer ? flow_group::issuer : flow_group::funds;
  };
  step_flows f;
  for (const auto& r : records) {
    if (r.status != 0 || r.token != token || r.debit >= accounts.size() || r.credit >= accounts.size())
      continue;
    const auto from = static_cast<std::size_t>(group_of(r.debit)),
               to = static_cast<std::size_t>(group_of(r.credit));
    f.amount[from][to] += r.amount;
    f.by_reason[from][to][r.reason] += r.amount;
    f.total += r.amount;
    ++f.transfers;
  }
  return f;
}

}  // namespace civitas::viz
