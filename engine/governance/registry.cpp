// The one place that names every regime.
#include "governance/registry.hpp"

#include <limits>

#include "governance/alliance.hpp"
#include "governance/daf.hpp"
#include "governance/market.hpp"
#include "governance/social_credit.hpp"

namespace civitas::governance {
namespace {

template <class Regime>
regime_entry entry(std::string name, std::string summary) {
  return {std::move(name),
          std::move(summary),
          [](const params::scenario& s) { return std::make_unique<Regime>(s); },
          {},
          {},
          [](params::catalogue&, std::function<bool(const params::scenario&)>) {}};
}

// A regime with parameters of its own, reason codes and random streams.
template <class Regime, class Params>
regime_entry entry_with(std::string name, std::string summary, std::span<const ledger::code_name> reasons,
                        std::span<const purpose_name> purposes) {
  regime_entry e = entry<Regime>(name, std::move(summary));
  e.reasons = reasons;
  e.purposes = purposes;
  e.mount = [name](params::catalogue& c, std::function<bool(const params::scenario&)> read) {
    c.mount<Params>(name, std::move(read));
  };
  return e;
}

}  // namespace

const std::vector<regime_entry>& regimes() {
  static const std::vector<regime_entry> list = {
      entry<market>("market", "no central score; prices, voluntary giving, tradable value tokens"),
      entry_with<social_credit, social_credit_params>(
          "social_credit", "a central authority scores acts, rewards and sanctions", social_credit_reasons,
          social_credit_purposes),
      entry_with<daf, daf_params>("daf", "a treasury whose grants the citizens vote on", daf_reasons,
                                  daf_purposes),
      entry_with<alliance, alliance_params>("alliance",
                                            "seven roles reward verified good deeds with closed-loop points",
                                            alliance_reasons, alliance_purposes),
  };
  return list;
}

const std::vector<std::string>& regime_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& r : regimes()) out.push_back(r.name);
    return out;
  }();
  return names;
}

std::vector<params::param> governance_params::declare() {
  return {params::choice("regime", &governance_params::regime, regime_names(),
                         "Governance regime (society model)", "domain.md §4")};
}

std::unique_ptr<regime> make_regime(const params::scenario& s) {
  const std::string& name = s.get<governance_params>().regime;
  for (const auto& r : regimes())
    if (r.name == name) return r.make(s);
  CIVITAS_ASSERT(false && "governance.regime is validated against regime_names()");
  return nullptr;
}

}  // namespace civitas::governance
