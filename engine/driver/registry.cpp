// The one place that names every model and mounts every parameter struct.
#include "driver/registry.hpp"

#include <unistd.h>

#include <cstdio>

#include "core/assert.hpp"
#include "exchange/exchange_model.hpp"
#include "governance/alliance.hpp"
#include "governance/daf.hpp"
#include "governance/registry.hpp"
#include "governance/social_credit.hpp"
#include "network/graphs.hpp"
#include "reciprocity/reciprocity_model.hpp"
#include "sim/settings.hpp"
#include "society/behaviours/charity_services.hpp"
#include "society/behaviours/consumption.hpp"
#include "society/behaviours/data.hpp"
#include "society/behaviours/firm_strategy.hpp"
#include "society/behaviours/giving.hpp"
#include "society/behaviours/good_deeds.hpp"
#include "society/behaviours/labour.hpp"
#include "society/behaviours/misconduct.hpp"
#include "society/behaviours/organisation_scores.hpp"
#include "society/behaviours/pools.hpp"
#include "society/behaviours/population.hpp"
#include "society/behaviours/production.hpp"
#include "society/behaviours/social_ties.hpp"
#include "society/behaviours/tenders.hpp"
#include "society/behaviours/welfare.hpp"
#include "society/society_model.hpp"

namespace civitas::driver {
namespace {

bool is_society(const params::scenario& s) { return s.get<model_params>().model == "society"; }
bool is_exchange(const params::scenario& s) { return s.get<model_params>().model == "exchange"; }
bool is_reciprocity(const params::scenario& s) { return s.get<model_params>().model == "reciprocity"; }

// The social graph's rules for a model whose graph parameters are under `table` (society, reciprocity).
std::string graph_problem(const std::string& table, network::social_graph_kind graph,
                          std::uint32_t mean_degree, double graph_param, std::uint32_t citizens) {
  if (mean_degree + 2 > citizens) return table + ".mean_degree must be at most population.citizens - 2";
  if (graph == network::social_graph_kind::small_world && mean_degree % 2 != 0)
    return table + ".mean_degree must be even for a small_world graph (k/2 neighbours on each side)";
  if (graph == network::social_graph_kind::scale_free && mean_degree < 1)
    return table + ".mean_degree must be at least 1 for a scale_free graph (PLOD gives every citizen a link)";
  if (graph == network::social_graph_kind::scale_free && (graph_param <= 0.0 || graph_param >= 1.0))
    return table + ".graph_param (PLOD alpha) must be strictly between 0 and 1 for a scale_free graph";
  return {};
}

params::catalogue build() {
  using namespace society;
  params::catalogue c;
  c.mount<sim::run_params>("run");
  c.mount<model_params>("run");
  c.mount<sim::shard_params>(
      "run", [](const params::scenario& s) { return s.get<sim::shard_params>().shards != 1; });
  c.mount<sim::population_params>("population");
  c.mount<organisation_params>("population", is_society);
  c.mount<values_params>("values", is_society);
  c.mount<exchange::exchange_params>("exchange", is_exchange);
  c.mount<reciprocity::reciprocity_params>("reciprocity", is_reciprocity);
  // The society's behaviours, each with its own parameters under [society].
  c.mount<endowment_params>("society", is_society);
  c.mount<labour_params>("society", is_society);
  c.mount<consumption_params>("society", is_society);
  c.mount<production_params>("society", is_society);
  c.mount<giving_params>("society", is_society);
  c.mount<charity_params>("society", is_society);
  c.mount<deed_params>("society", is_society);
  c.mount<pool_params>("society", is_society);
  c.mount<data_params>("society", is_society);
  c.mount<welfare_params>("society", is_society);
  c.mount<tender_params>("society", is_society);
  c.mount<score_params>("society", is_society);
  c.mount<social_graph_params>("society", is_society);
  c.mount<misconduct_params>("society", is_society);
  c.mount<firm_strategy_params>("society", is_society);
  c.mount<governance::governance_params>("governance", is_society);
  for (const auto& r : governance::regimes())
    r.mount(c, [name = r.name](const params::scenario& s) {
      return is_society(s) && s.get<governance::governance_params>().regime == name;
    });
  c.mount<sim::output_params>("output");
  // What is stored is not what is simulated: the same model must give the same head hash whether it
  // keeps every transfer or only headers, and whatever its metric and snapshot cadence.
  c.exclude_from_identity("output");

  // Rules across modules (a module's rules over its own struct live with it).
  c.add_rule({"run.shards", "population.citizens"}, [](const params::scenario& s) -> std::string {
    const std::uint32_t shards = s.get<sim::shard_params>().shards;
    const std::uint32_t citizens = s.get<sim::population_params>().citizens;
    if (shards <= citizens) return {};
    return "run.shards = " + std::to_string(shards) +
           " exceeds population.citizens = " + std::to_string(citizens) +
           " (every shard holds at least one agent)";
  });
  // What a sharded step supports so far (docs/distributed.md): the simultaneous settle of the exchange
  // model, every rule (the pairwise ones read the partner's step-start balance through the halo).
  // Random-sequential activation is one serial walk; the society's govern and chains span shards.
  c.add_rule({"run.shards", "run.model", "run.activation"}, [](const params::scenario& s) -> std::string {
    const std::uint32_t shards = s.get<sim::shard_params>().shards;
    if (shards == 1) return {};
    const std::string prefix = "run.shards = " + std::to_string(shards) + " ";
    if (!is_exchange(s))
      return prefix + "needs run.model = \"exchange\" (a sharded " + s.get<model_params>().model +
             " run is not supported yet)";
    if (s.get<sim::run_params>().activation != sim::activation_kind::simultaneous)
      return prefix +
             "needs run.activation = \"simultaneous\" (random-sequential activation is one serial walk "
             "over every agent: not offered sharded; every exchange.rule is offered under simultaneous)";
    return {};
  });
  c.add_rule({"exchange.initial_cash", "population.citizens"}, [](const params::scenario& s) -> std::string {
    // Total money must fit in amount_t with headroom: sums of balances and supplies are int64.
    constexpr std::int64_t limit = std::int64_t{1} << 62;
    const std::int64_t n = s.get<sim::population_params>().citizens;
    const amount_t cash = s.get<exchange::exchange_params>().initial_cash;
    if (n == 0 || cash <= limit / n) return {};
    return "total money population.citizens * exchange.initial_cash = " + std::to_string(n) + " * " +
           std::to_string(cash) + " exceeds 2^62 = " + std::to_string(limit) +
           " (balances are signed 64-bit integers)";
  });
  c.add_rule(
      {"society.raw_share", "society.manufacturer_share", "run.model"},
      [](const params::scenario& s) -> std::string {
        const auto& p = s.get<production_params>();
        if (!is_society(s) || p.raw_share + p.manufacturer_share <= 1.0) return {};
        return "society.raw_share + society.manufacturer_share must not exceed 1 (the rest are retailers)";
      });
  c.add_rule(
      {"society.consumption_share", "society.donation_share", "run.model"},
      [](const params::scenario& s) -> std::string {
        if (!is_society(s) ||
            s.get<consumption_params>().consumption_share + s.get<giving_params>().donation_share <= 1.0)
          return {};
        return "society.consumption_share + society.donation_share must not exceed 1 (a citizen cannot spend "
               "more than it holds)";
      });
  c.add_rule({"society.mean_degree", "society.social_graph", "society.graph_param", "population.citizens",
              "run.model"},
             [](const params::scenario& s) -> std::string {
               if (!is_society(s)) return {};
               const auto& g = s.get<social_graph_params>();
               return graph_problem("society", g.graph, g.mean_degree, g.graph_param,
                                    s.get<sim::population_params>().citizens);
             });
  c.add_rule({"reciprocity.mean_degree", "reciprocity.social_graph", "reciprocity.graph_param",
              "population.citizens", "run.model"},
             [](const params::scenario& s) -> std::string {
               if (!is_reciprocity(s)) return {};
               const auto& r = s.get<reciprocity::reciprocity_params>();
               return graph_problem("reciprocity", r.graph, r.mean_degree, r.graph_param,
                                    s.get<sim::population_params>().citizens);
             });
  c.add_rule({"reciprocity.benefit", "reciprocity.cost", "run.model"},
             [](const params::scenario& s) -> std::string {
               const auto& r = s.get<reciprocity::reciprocity_params>();
               if (!is_reciprocity(s) || r.benefit > r.cost) return {};
               return "reciprocity.benefit must exceed reciprocity.cost (a donation game)";
             });
  c.add_rule(
      {"reciprocity.share_discriminator", "reciprocity.share_alld", "run.model"},
      [](const params::scenario& s) -> std::string {
        const auto& r = s.get<reciprocity::reciprocity_params>();
        if (!is_reciprocity(s) || r.share_discriminator + r.share_alld <= 1.0) return {};
        return "reciprocity.share_discriminator + reciprocity.share_alld must not exceed 1 (the rest are "
               "allc)";
      });
  c.add_rule(
      {"reciprocity.initial_cash", "reciprocity.benefit", "run.steps", "population.citizens", "run.model"},
      [](const params::scenario& s) -> std::string {
        // Helping mints b - c a step at most per agent: the run's money must stay within amount_t.
        if (!is_reciprocity(s)) return {};
        const auto& r = s.get<reciprocity::reciprocity_params>();
        const double money = static_cast<double>(s.get<sim::population_params>().citizens) *
                             (static_cast<double>(r.initial_cash) +
                              static_cast<double>(s.get<sim::run_params>().steps) * r.benefit);
        if (money <= 0x1p62) return {};
        return "population.citizens * (reciprocity.initial_cash + run.steps * reciprocity.benefit) exceeds "
               "2^62 (balances are signed 64-bit integers)";
      });
  c.add_rule({"social_credit.grade_a", "social_credit.grade_b", "social_credit.grade_c", "governance.regime"},
             [](const params::scenario& s) -> std::string {
               const auto& p = s.get<governance::social_credit_params>();
               if (s.get<governance::governance_params>().regime != "social_credit" ||
                   (p.grade_a > p.grade_b && p.grade_b > p.grade_c))
                 return {};
               return "social credit grades need grade_a > grade_b > grade_c";
             });
  // The DAF's voters and citizen proposers are distinct citizens, so they cannot outnumber the citizens.
  // One rule per count, so that the error is placed at the count.
  struct daf_count {
    const char* key;
    std::uint32_t governance::daf_params::*field;
  };
  for (const daf_count count :
       {daf_count{"daf.voters", &governance::daf_params::voters},
        daf_count{"daf.citizen_proposals", &governance::daf_params::citizen_proposals}}) {
    c.add_rule({count.key, "population.citizens", "governance.regime"},
               [count](const params::scenario& s) -> std::string {
                 if (!is_society(s) || s.get<governance::governance_params>().regime != "daf") return {};
                 const std::uint32_t n = s.get<governance::daf_params>().*count.field;
                 const std::uint32_t citizens = s.get<sim::population_params>().citizens;
                 if (n <= citizens) return {};
                 return std::string(count.key) + " = " + std::to_string(n) +
                        " exceeds population.citizens = " + std::to_string(citizens) +
                        " (they are distinct citizens)";
               });
  }
  c.add_rule(
      {"society.cash_citizen", "society.cash_government_per_citizen", "population.citizens", "run.model"},
      [](const params::scenario& s) -> std::string {
        constexpr std::int64_t limit = std::int64_t{1} << 60;
        const std::int64_t n = s.get<sim::population_params>().citizens;
        const auto& e = s.get<endowment_params>();
        if (!is_society(s)) return {};
        if (e.cash_citizen <= limit / n && e.cash_government_per_citizen <= limit / n) return {};
        return "genesis cash of citizens or government exceeds 2^60 (balances are signed 64-bit integers)";
      });
  // A run that cannot fit in memory is refused before it starts, naming the estimate (measured: about 200
  // bytes an agent for the exchange models, 900 for the society with its firms and accounts).
  c.add_rule(
      {"population.citizens", "population.firms", "population.charities", "run.model"},
      [](const params::scenario& s) -> std::string {
        const double citizens = s.get<sim::population_params>().citizens;
        const auto& org = s.get<society::organisation_params>();
        const double bytes = is_society(s)
                                 ? 900.0 * (citizens + org.firms + org.charities) + 4000.0 * org.firms
                                 : 200.0 * citizens;
        const double memory = static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGE_SIZE);
        if (memory <= 0 || bytes <= 0.9 * memory) return {};
        char text[160];
        std::snprintf(text, sizeof text,
                      "this population needs about %.1f GB of memory, more than this machine's %.1f GB",
                      bytes / 1e9, memory / 1e9);
        return text;
      });
  return c;
}

}  // namespace

std::vector<params::param> model_params::declare() {
  return {
      params::choice("model", &model_params::model, model_names(),
                     "exchange: the validation exchange models; reciprocity: indirect reciprocity by image "
                     "scoring (Nowak & Sigmund 1998); society: citizens, firms, charities, government",
                     "")};
}

namespace {
template <class Table>
void add_codes(std::vector<named_code>& out, const std::string& module, const Table& table) {
  for (const auto& entry : table) out.push_back({entry.code, module, entry.name});
}
}  // namespace

const std::vector<named_code>& reason_codes() {
  static const std::vector<named_code> codes = [] {
    std::vector<named_code> out;
    add_codes(out, "ledger", ledger::ledger_reasons);
    add_codes(out, "exchange", exchange::exchange_reasons);
    add_codes(out, "reciprocity", reciprocity::reciprocity_reasons);
    add_codes(out, "society", society::society_reasons);
    for (const auto& r : governance::regimes()) add_codes(out, r.name, r.reasons);
    return out;
  }();
  return codes;
}

const std::vector<named_code>& rng_purposes() {
  static const std::vector<named_code> codes = [] {
    std::vector<named_code> out;
    add_codes(out, "engine", engine_purposes);
    add_codes(out, "exchange", exchange::exchange_purposes);
    add_codes(out, "reciprocity", reciprocity::reciprocity_purposes);
    add_codes(out, "society", society::society_purposes);
    for (const auto& r : governance::regimes()) add_codes(out, r.name, r.purposes);
    return out;
  }();
  return codes;
}

std::string reason_name(std::uint32_t code) {
  for (const auto& c : reason_codes())
    if (c.code == code) return c.name;
  return "unknown";
}

const std::vector<std::string>& model_names() {
  static const std::vector<std::string> names = {"exchange", "reciprocity", "society"};
  return names;
}

const params::catalogue& catalogue() {
  static const params::catalogue c = build();
  return c;
}

params::scenario default_scenario() { return params::scenario(catalogue()); }

params::scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  return params::load(catalogue(), path, overrides);
}

params::scenario parse_scenario(std::string_view text, const std::string& source_name,
                                const std::vector<std::string>& overrides) {
  return params::parse(catalogue(), text, source_name, overrides);
}

std::unique_ptr<sim::model> make_model(const params::scenario& s) {
  const std::string& name = s.get<model_params>().model;
  if (name == "society") return std::make_unique<society::society_model>(s, governance::make_regime(s));
  if (name == "reciprocity") return std::make_unique<reciprocity::reciprocity_model>(s);
  CIVITAS_ASSERT(name == "exchange" && "run.model is validated against model_names()");
  return std::make_unique<exchange::exchange_model>(s);
}

std::unique_ptr<sim::world> make_world(const params::scenario& s, ledger::ledger_options options,
                                       sim::transport* peers) {
  return std::make_unique<sim::world>(s, make_model(s), options, peers);
}

}  // namespace civitas::driver
