#include "exchange/exchange_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "core/assert.hpp"
#include "core/permutation.hpp"
#include "scoring/inequality.hpp"
#include "sim/world.hpp"

namespace civitas::exchange {

using sim::world;

using ledger::transfer_intent;

exchange_model::exchange_model(const params::scenario& s)
    : p_(s.get<exchange_params>()),
      run_(s.get<sim::run_params>()),
      citizens_(s.get<sim::population_params>().citizens) {}

void exchange_model::setup(world& w) {
  population& p = w.agents();
  p.kind.assign(citizens_, agent_kind::citizen);
  p.values.resize(citizens_, 0);
  ledger::ledger& l = w.ledger();
  const token_id cash = l.add_token({"cash", ledger::token_kind::cash}, system_agent);
  l.authorise_mint(cash, static_cast<std::uint16_t>(ledger::reason::endowment));
  for (agent_id a = 0; a < citizens_; ++a) {
    [[maybe_unused]] const account_id acc = l.open_account(a, cash);
    CIVITAS_ASSERT(acc == account_of(a));
  }
}

void exchange_model::endow(world& w) {
  ledger::ledger& l = w.ledger();
  for (agent_id a = 0; a < citizens_; ++a) {
    const transfer_intent mint{l.issuer_account(0),
                               account_of(a),
                               p_.initial_cash,
                               0,
                               0,
                               static_cast<std::uint16_t>(ledger::reason::endowment)};
    l.apply(std::span(&mint, 1), system_agent);
  }
}

void exchange_model::decide(const world& w, ledger::intent_chunk& chunk, agent_id first, agent_id end) const {
  for_agents(w, [&](auto&& one) {
    for (agent_id a = first; a < end; ++a) one(a, chunk);
  });
}

void exchange_model::decide_agents(const world& w, std::span<const agent_id> agents,
                                   ledger::intent_chunk& chunk) const {
  for_agents(w, [&](auto&& one) {
    for (const agent_id a : agents) one(a, chunk);
  });
}

bool exchange_model::streams_intents() const {
  // A Boltzmann gift is a draw of (seed, agent, step) alone: under random-sequential activation every
  // agent states it, broke or not, so nothing before it in the walk changes it. Not the pairwise rules:
  // both members of a pair read the pair's wealth to learn which of them pays, and by the later
  // member's turn the earlier one may already have paid (with step-start wealth it would still know).
  return p_.rule == exchange_rule::boltzmann;
}

template <typename Loop>
void exchange_model::for_agents(const world& w, Loop&& loop) const {
  const step_t step = w.ledger().current_step();
  if (p_.rule == exchange_rule::boltzmann) {
    const auto balances = w.ledger().balances();  // only the giver's own: always held here
    const std::uint32_t n = citizens_;
    // Random-sequential: money may arrive before this agent's turn, so every agent states its gift and
    // settle rejects it if the agent is broke by then (as Mesa's `if self.wealth > 0` does at its turn).
    const bool intent_when_broke = run_.activation == sim::activation_kind::random_sequential;
    loop([&](agent_id a, ledger::intent_chunk& chunk) {
      chunk.start_agent();
      rng_stream draws(run_.seed, a, step, exchange_purpose::partner);
      const agent_id other = draws.below(n);
      if (other == a) return;  // giving to oneself changes nothing
      if (!intent_when_broke && balances[account_of(a)] <= 0) return;
      chunk.intents.push_back(transfer_intent{account_of(a), account_of(other), 1, 0, 0,
                                              static_cast<std::uint16_t>(exchange::exchange_reason::gift)});
    });
    return;
  }
  const feistel_permutation matching = matching_at(step);
  loop([&](agent_id a, ledger::intent_chunk& chunk) {
    chunk.start_agent();
    const std::optional<pairing> pair = pair_of(matching, a);
    if (!pair) return;  // odd one out this step
    // Both members compute the same exchange from the pair's own stream; only the payer states it.
    const agent_id p = pair->first ? a : pair->partner;
    const agent_id q = pair->first ? pair->partner : a;
    rng_stream draws(run_.seed, pair->pair, step, exchange_purpose::exchange_share);
    // The partner may live on another shard: step_start_balance reads it from the halo there.
    const amount_t mp = w.step_start_balance(account_of(p));
    const amount_t mq = w.step_start_balance(account_of(q));
    const amount_t delta = first_share(mp, mq, draws) - mp;  // > 0: q pays p
    const agent_id payer = delta > 0 ? q : p;
    if (delta == 0 || payer != a) return;
    const agent_id payee = payer == p ? q : p;
    chunk.intents.push_back(transfer_intent{account_of(payer), account_of(payee), delta > 0 ? delta : -delta,
                                            0, 0,
                                            static_cast<std::uint16_t>(exchange::exchange_reason::exchange)});
  });
}

feistel_permutation exchange_model::matching_at(step_t step) const {
  return feistel_permutation(run_.seed, step, exchange_purpose::pairing, citizens_);
}

std::optional<exchange_model::pairing> exchange_model::pair_of(const feistel_permutation& matching,
                                                               agent_id a) {
  // Positions 2k and 2k + 1 of the permutation are pair k.
  const std::uint32_t position = matching.inverse(a);
  const std::uint32_t partner_position = position ^ 1u;
  if (partner_position >= matching.size()) return std::nullopt;
  return pairing{matching(partner_position), position >> 1, (position & 1u) == 0};
}

void exchange_model::halo_accounts(const world& w, agent_id first, agent_id end,
                                   std::vector<account_id>& out) const {
  // Every paired agent reads its partner's balance (payer or payee, it must learn which it is).
  const feistel_permutation matching = matching_at(w.ledger().current_step());
  for (agent_id a = first; a < end; ++a)
    if (const std::optional<pairing> pair = pair_of(matching, a)) out.push_back(account_of(pair->partner));
}

amount_t exchange_model::first_share(amount_t mine, amount_t theirs, rng_stream& draws) const {
  const amount_t total = mine + theirs;
  switch (p_.rule) {
    case exchange_rule::random_exchange: {
      // floor(eps * total) with eps uniform on [0, 1) as a 64-bit fraction: exact integer arithmetic.
      __extension__ using u128 = unsigned __int128;
      const u128 product = static_cast<u128>(draws.next_u64()) * static_cast<std::uint64_t>(total);
      return static_cast<amount_t>(product >> 64);
    }
    case exchange_rule::saving: {
      const double lambda = p_.saving_propensity;
      const double eps = draws.uniform01();
      const double kept =
          lambda * static_cast<double>(mine) + eps * (1.0 - lambda) * static_cast<double>(total);
      return std::clamp(static_cast<amount_t>(std::floor(kept)), amount_t{0}, total);
    }
    case exchange_rule::yard_sale: {
      const auto stake = static_cast<amount_t>(
          std::floor(p_.yard_sale_fraction * static_cast<double>(std::min(mine, theirs))));
      return (draws.next_u32() & 1) ? mine + stake : mine - stake;
    }
    case exchange_rule::boltzmann:
      break;
  }
  return mine;
}

std::vector<std::string> exchange_model::metric_columns() const {
  return {"gini_cash", "top10_share_cash", "bottom50_share_cash", "normalised_variance_cash",
          "mean_cash", "max_cash",         "zero_share_cash"};
}

void exchange_model::score(const world& w, bool full, std::span<double> out) const {
  if (!full) {
    std::fill(out.begin(), out.end(), std::numeric_limits<double>::quiet_NaN());
    return;
  }
  const auto balances = w.ledger().balances();
  std::vector<amount_t> cash(balances.begin() + 1, balances.begin() + 1 + citizens_);
  const scoring::distribution_summary d = scoring::summarize(std::move(cash));
  const double values[] = {d.gini, d.top10_share, d.bottom50_share, d.normalised_variance,
                           d.mean, d.max,         d.zero_share};
  std::copy(std::begin(values), std::end(values), out.begin());
}

std::vector<amount_t> exchange_model::snapshot_balances(const world& w) const {
  const auto balances = w.ledger().balances();
  return {balances.begin() + 1, balances.begin() + 1 + citizens_};
}

std::vector<ledger::code_name> exchange_model::reasons() const {
  std::vector<ledger::code_name> out(ledger::ledger_reasons.begin(), ledger::ledger_reasons.end());
  out.insert(out.end(), exchange_reasons.begin(), exchange_reasons.end());
  return out;
}

std::vector<params::param> exchange_params::declare() {
  return {
      params::choice("rule", &exchange_params::rule, exchange_rule_names,
                     "Validation exchange model (domain.md §7)",
                     "domain.md §7: Drăgulescu & Yakovenko 2000; Chakraborti & Chakrabarti 2000; Hayes 2002; "
                     "Mesa Boltzmann wealth model"),
      params::integer("initial_cash", &exchange_params::initial_cash, 1, 1'000'000'000'000, "cash",
                      "Every citizen's endowment in cash units, minted at genesis", "modelling choice"),
      params::real("saving_propensity", &exchange_params::saving_propensity, params::right_open(0.0, 1.0), "",
                   "Share lambda each party keeps under the saving rule",
                   "Chakraborti & Chakrabarti 2000: λ = 0.25 gives Gini 0.375"),
      params::real("yard_sale_fraction", &exchange_params::yard_sale_fraction, params::left_open(0.0, 1.0),
                   "", "Share of the poorer party's wealth at stake in a yard-sale exchange", "Hayes 2002"),
      params::boolean("record_unfunded", &exchange_params::record_unfunded,
                      "Random sequential: record a gift the giver cannot fund at its turn as a rejection "
                      "(off: no record; the same money moves)",
                      "modelling choice (issue #13)"),
  };
}

}  // namespace civitas::exchange
