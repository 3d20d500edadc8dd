#include "reciprocity/reciprocity_model.hpp"

#include <limits>

#include "behaviour/choice.hpp"
#include "core/assert.hpp"
#include "sim/world.hpp"

namespace civitas::reciprocity {

using ledger::transfer_intent;
using sim::world;

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
std::size_t index(strategy s) { return static_cast<std::size_t>(s); }
}  // namespace

reciprocity_model::reciprocity_model(const params::scenario& s)
    : p_(s.get<reciprocity_params>()),
      seed_(s.get<sim::run_params>().seed),
      agents_(s.get<sim::population_params>().citizens) {}

void reciprocity_model::setup(world& w) {
  population& pop = w.agents();
  pop.kind.assign(agents_, agent_kind::citizen);
  pop.values.resize(agents_, 0);
  graph_ = network::make_social_graph(p_.graph, agents_, p_.mean_degree, p_.graph_param, seed_);
  strategy_.resize(agents_);
  for (agent_id a = 0; a < agents_; ++a) {
    rng_stream draws(seed_, a, 0, purpose::strategy);
    const double u = draws.uniform01();
    strategy_[a] = u < p_.share_discriminator                   ? strategy::discriminator
                   : u < p_.share_discriminator + p_.share_alld ? strategy::alld
                                                                : strategy::allc;
  }
  good_image_.assign(agents_, 1);  // nobody has refused anyone yet

  ledger::ledger& l = w.ledger();
  const token_id cash = l.add_token({"cash", ledger::token_kind::cash}, system_agent);
  l.authorise_mint(cash, ledger::code(ledger::reason::endowment));
  l.authorise_mint(cash, ledger::code(reason::help_value));
  for (agent_id a = 0; a < agents_; ++a) {
    [[maybe_unused]] const account_id acc = l.open_account(a, cash);
    CIVITAS_ASSERT(acc == account_of(a));
  }
}

void reciprocity_model::endow(world& w) {
  ledger::ledger& l = w.ledger();
  for (agent_id a = 0; a < agents_; ++a) {
    const transfer_intent mint{
        l.issuer_account(0), account_of(a), p_.initial_cash, 0, 0, ledger::code(ledger::reason::endowment)};
    l.apply(std::span(&mint, 1), system_agent);
  }
  step_start_.assign(agents_, p_.initial_cash);
  generation_start_ = step_start_;
}

void reciprocity_model::decide(const world& w, ledger::intent_chunk& chunk, agent_id first,
                               agent_id end) const {
  const step_t step = w.ledger().current_step();
  const account_id issuer = w.ledger().issuer_account(0);
  for (agent_id a = first; a < end; ++a) {
    chunk.start_agent();
    const auto neighbours = graph_.neighbours_of(a);
    if (neighbours.empty()) continue;  // nobody to help: not a donor
    rng_stream draws(seed_, a, step, purpose::donation);
    const agent_id recipient = neighbours[draws.below(static_cast<std::uint32_t>(neighbours.size()))];
    bool helps = strategy_[a] == strategy::allc;
    if (strategy_[a] == strategy::discriminator) {
      const bool knows = draws.uniform01() < p_.q;
      helps = !knows || good_image_[recipient];
    }
    if (!helps) continue;
    // One chain, so the value is created only if the donor pays.
    chunk.intents.push_back(transfer_intent{account_of(a), account_of(recipient), p_.cost, 0, 0,
                                            ledger::code(reason::help), ledger::intent_flag::linked});
    chunk.intents.push_back(transfer_intent{issuer, account_of(recipient), p_.benefit - p_.cost, 0, 0,
                                            ledger::code(reason::help_value)});
  }
}

void reciprocity_model::govern(world& w) {
  const auto balances = w.ledger().balances();
  step_metrics m;
  // Image scoring: a donor's image is what it did this step; a help the ledger refused (the donor could
  // not pay) is no help.
  for (agent_id a = 0; a < agents_; ++a)
    if (!graph_.neighbours_of(a).empty()) {
      good_image_[a] = 0;
      ++m.donors;
    }
  for (const auto& r : w.ledger().step_records())
    if (r.reason == ledger::code(reason::help) && r.status == 0) {
      good_image_[r.origin] = 1;
      ++m.helps;
    }
  for (agent_id a = 0; a < agents_; ++a) {
    const amount_t now = balances[account_of(a)];
    m.gain[index(strategy_[a])] += static_cast<double>(now - step_start_[a]);
    ++m.count[index(strategy_[a])];
    step_start_[a] = now;
  }
  last_ = m;
  const step_t step = w.ledger().current_step();
  if (step % p_.generation == 0) imitation_update(w, step);
}

void reciprocity_model::imitation_update(const world& w, step_t step) {
  // What each agent gained over the generation, read from the ledger; payoffs then start again from zero.
  const auto balances = w.ledger().balances();
  std::vector<double> payoff(agents_);
  for (agent_id a = 0; a < agents_; ++a)
    payoff[a] = static_cast<double>(balances[account_of(a)] - generation_start_[a]);
  // Everyone compares with the old strategies, so the update does not depend on any order.
  std::vector<strategy> next(agents_);
  for (agent_id a = 0; a < agents_; ++a) {
    rng_stream draws(seed_, a, step, purpose::imitation);
    next[a] = strategy_[behaviour::imitate(a, graph_.neighbours_of(a), payoff, p_.beta, draws)];
    if (p_.mutation > 0 && draws.uniform01() < p_.mutation)
      next[a] = static_cast<strategy>(draws.below(static_cast<std::uint32_t>(strategy_names.size())));
  }
  strategy_ = std::move(next);
  for (agent_id a = 0; a < agents_; ++a) generation_start_[a] = balances[account_of(a)];
}

std::vector<std::string> reciprocity_model::metric_columns() const {
  return {"cooperation_rate", "helps",       "share_discriminator",  "share_alld",  "share_allc",
          "good_image",       "mean_payoff", "payoff_discriminator", "payoff_alld", "payoff_allc"};
}

void reciprocity_model::score(const world& w, bool, std::span<double> out) const {
  std::array<double, 3> count{};
  for (const strategy s : strategy_) ++count[index(s)];
  double good = 0;
  for (const auto g : good_image_) good += g;
  const double n = agents_;
  const bool genesis = w.ledger().current_step() == 0;
  const auto per = [](double sum, double k) { return k > 0 ? sum / k : nan; };
  const double gained = last_.gain[0] + last_.gain[1] + last_.gain[2];
  const double values[] = {genesis ? nan : per(last_.helps, last_.donors),
                           last_.helps,
                           count[0] / n,
                           count[1] / n,
                           count[2] / n,
                           good / n,
                           genesis ? nan : gained / n,
                           genesis ? nan : per(last_.gain[0], last_.count[0]),
                           genesis ? nan : per(last_.gain[1], last_.count[1]),
                           genesis ? nan : per(last_.gain[2], last_.count[2])};
  std::copy(std::begin(values), std::end(values), out.begin());
}

std::vector<amount_t> reciprocity_model::snapshot_balances(const world& w) const {
  const auto balances = w.ledger().balances();
  return {balances.begin() + 1, balances.begin() + 1 + agents_};
}

std::vector<std::string> reciprocity_model::score_columns() const { return {"strategy", "good_image"}; }

std::vector<double> reciprocity_model::snapshot_scores(const world&) const {
  std::vector<double> out;
  out.reserve(2 * agents_);
  for (agent_id a = 0; a < agents_; ++a) {
    out.push_back(static_cast<double>(index(strategy_[a])));
    out.push_back(good_image_[a]);
  }
  return out;
}

void reciprocity_model::describe(io::run_layout& layout) const { layout.social_edges = graph_.edge_list(); }

std::vector<ledger::code_name> reciprocity_model::reasons() const {
  std::vector<ledger::code_name> out(ledger::ledger_reasons.begin(), ledger::ledger_reasons.end());
  out.insert(out.end(), reciprocity_reasons.begin(), reciprocity_reasons.end());
  return out;
}

std::vector<params::param> reciprocity_params::declare() {
  using p = reciprocity_params;
  constexpr const char* ns98 = "Nowak & Sigmund 1998";
  return {
      params::integer("benefit", &p::benefit, 1, 1'000'000'000, "cash",
                      "b: what the recipient of help gains (b - c of it minted as the value created)", ns98),
      params::integer("cost", &p::cost, 1, 1'000'000'000, "cash", "c: what helping costs the donor", ns98),
      params::real("q", &p::q, params::closed(0, 1), "probability",
                   "Probability that a discriminator knows the recipient's image (helps when it does not)",
                   "Nowak & Sigmund 1998; 2005: cooperation is stable when q > c/b"),
      params::integer("generation", &p::generation, 1, 1'000'000, "steps",
                      "Steps between strategy updates; payoffs are what an agent gained over them",
                      "modelling choice"),
      params::real("beta", &p::beta, params::closed(0, 1e6), "per cash",
                   "Selection strength of the Fermi imitation rule",
                   "Szabó & Tőke 1998; Traulsen, Nowak & Pacheco 2006"),
      params::real("mutation", &p::mutation, params::closed(0, 1), "probability",
                   "Chance an agent takes a uniformly drawn strategy at an update", "modelling choice"),
      params::real("share_discriminator", &p::share_discriminator, params::closed(0, 1), "share",
                   "Expected share of discriminators at the start", "modelling choice"),
      params::real("share_alld", &p::share_alld, params::closed(0, 1), "share",
                   "Expected share of defectors (ALLD) at the start; the rest always cooperate (ALLC)",
                   "modelling choice"),
      params::integer("initial_cash", &p::initial_cash, 0, 1'000'000'000'000, "cash",
                      "Every agent's endowment, minted at genesis (a donor that cannot pay c does not help)",
                      "modelling choice"),
      params::choice("social_graph", &p::graph, network::social_graph_kind_names,
                     "Social graph: Watts-Strogatz small world or PLOD scale free; donors help neighbours",
                     "Watts & Strogatz 1998; Palmer & Steffan 2000"),
      params::integer("mean_degree", &p::mean_degree, 0, 1000, "neighbours",
                      "Mean degree of the social graph (even for small_world)", "modelling choice"),
      params::real("graph_param", &p::graph_param, params::closed(0.0, 1.0), "",
                   "small_world: rewiring probability; scale_free: PLOD alpha in (0, 1)",
                   "Watts & Strogatz 1998; Palmer & Steffan 2000"),
  };
}

}  // namespace civitas::reciprocity
