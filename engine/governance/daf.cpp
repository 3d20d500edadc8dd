#include "governance/daf.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/rng.hpp"
#include "governance/daf_rules.hpp"
#include "ledger/ledger.hpp"
#include "sim/settings.hpp"
#include "sim/world.hpp"
#include "society/behaviours/pools.hpp"
#include "society/view.hpp"

namespace civitas::governance {
namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double open01(rng_stream& r) { return (static_cast<double>(r.next_u64() >> 11) + 0.5) * 0x1.0p-53; }
double normal(rng_stream& r) {
  const double u = open01(r), v = open01(r);
  return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
}

// Indices of the (up to) three largest values, largest first; ties to the lower index.
std::vector<std::size_t> top3(const std::vector<double>& v) {
  std::vector<std::size_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  const std::size_t k = std::min<std::size_t>(3, idx.size());
  std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end(),
                    [&](std::size_t a, std::size_t b) { return v[a] > v[b] || (v[a] == v[b] && a < b); });
  idx.resize(k);
  return idx;
}
}  // namespace

daf::daf(const params::scenario& s)
    : p_(s.get<daf_params>()),
      seed_(s.get<sim::run_params>().seed),
      tradable_(s.get<society::pool_params>().value_tradable) {}

void daf::setup(const society::view&, sim::world& w) {
  treasury_ = w.ledger().open_account(system_agent, 0);  // the common fund belongs to no one
}

amount_t daf::grant(const society::view& m, sim::world& w, const proposal& p, amount_t amount) {
  ledger::ledger& l = w.ledger();
  amount = std::min(amount, l.balance(treasury_));
  if (amount <= 0) return 0;
  const ledger::transfer_intent t{
      treasury_, m.cash_account(p.proposer), amount, 0, 0, code(governance::daf_reason::daf_grant)};
  if (l.apply(std::span(&t, 1), system_agent) != ledger::status::applied) return 0;
  step_.granted += amount;
  ++step_.funded;
  return amount;
}

void daf::govern(const society::view& m, sim::world& w, const step_acts&) {
  step_ = {};
  const step_t step = w.ledger().current_step();
  const bool proposals_due = p_.period != 0 && step % p_.period == 0;
  // Conviction is continuous: stakes accumulate every step; the other rules decide once per round.
  if (proposals_due || (p_.rule == daf_rule::conviction && !open_.empty())) run_round(m, w, proposals_due);
}

void daf::run_round(const society::view& m, sim::world& w, bool new_proposals) {
  ledger::ledger& l = w.ledger();
  const step_t step = l.current_step();
  const amount_t pool =
      static_cast<amount_t>(std::floor(static_cast<double>(l.balance(treasury_)) * p_.spend_share));
  rng_stream draws(seed_, 0, step, daf_purpose::round);

  // This round's proposals: one per charity and a few from citizens (conviction keeps unfunded ones open).
  if (new_proposals) {
    if (p_.rule != daf_rule::conviction) open_.clear();
    auto propose = [&](agent_id who) {
      const double share = 0.02 + 0.18 * draws.uniform01();
      const double quality = std::exp(0.75 * normal(draws));
      open_.push_back(
          {who, std::max<amount_t>(1, static_cast<amount_t>(std::floor(share * static_cast<double>(pool)))),
           quality, 0, 0});
    };
    for (std::uint32_t h = 0; h < m.charities(); ++h) propose(m.charity_agent(h));
    for (std::uint32_t i = 0; i < p_.citizen_proposals; ++i) propose(draws.below(m.citizens()));
  }
  if (pool <= 0) return;

  // The sampled electorate: each voter's power and its (noisy) view of every open proposal.
  const bool funding = p_.rule == daf_rule::quadratic_funding;
  std::vector<voter> voters;
  double sample_power = 0, taking_part = 0;
  // At most the whole population votes: a sample larger than the citizens only costs time.
  const std::uint32_t sampled = std::min<std::uint32_t>(p_.voters, m.citizens());
  for (std::uint32_t i = 0; i < sampled; ++i) {
    const agent_id c = draws.below(m.citizens());
    double power = 0;
    if (funding) {
      power = std::floor(static_cast<double>(l.balance(m.cash_account(c))) * p_.contribution_share);
    } else {
      for (std::size_t k = 0; k < society::deed_categories; ++k)
        power += static_cast<double>(l.balance(m.value_account(k, c)));
    }
    sample_power += power;
    rng_stream view(seed_, c, step, daf_purpose::vote);
    if (view.uniform01() >= p_.turnout || power <= 0) continue;
    voter v{c, power, {}};
    for (const proposal& p : open_) v.perceived.push_back(p.quality * std::exp(p_.noise * normal(view)));
    taking_part += power;
    voters.push_back(std::move(v));
  }
  // Liquid democracy, one hop: a delegating voter hands its power to another participant.
  for (std::size_t i = 0; i < voters.size() && voters.size() > 1; ++i) {
    if (draws.uniform01() >= p_.delegation) continue;
    std::size_t to = draws.below(static_cast<std::uint32_t>(voters.size() - 1));
    if (to >= i) ++to;
    voters[to].power += voters[i].power;
    voters[i].power = 0;
  }
  if (sample_power <= 0 || taking_part < p_.quorum * sample_power) return;  // no quorum: nothing funded

  std::vector<amount_t> funded(open_.size(), 0);
  amount_t remaining = pool;
  auto fund_by_tally = [&](const std::vector<double>& tally) {
    std::vector<std::size_t> order(open_.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return tally[a] > tally[b]; });
    for (const std::size_t j : order)
      if (tally[j] > 0 && open_[j].request <= remaining)
        remaining -= funded[j] = grant(m, w, open_[j], open_[j].request);
  };

  switch (p_.rule) {
    case daf_rule::token: {
      std::vector<double> tally(open_.size(), 0.0);
      for (const voter& v : voters) tally[top3(v.perceived)[0]] += v.power;
      fund_by_tally(tally);
      break;
    }
    case daf_rule::quadratic: {
      std::vector<double> tally(open_.size(), 0.0);
      for (const voter& v : voters) {
        const auto best = top3(v.perceived);
        std::vector<double> preference;
        for (const std::size_t j : best) preference.push_back(v.perceived[j]);
        const auto votes = daf_rules::quadratic_votes(v.power, preference);
        for (std::size_t i = 0; i < best.size(); ++i) tally[best[i]] += votes[i];
      }
      fund_by_tally(tally);
      break;
    }
    case daf_rule::quadratic_funding: {
      // Contributions are the voters' own cash, paid straight to the projects they back.
      std::vector<std::vector<double>> contributions(open_.size());
      for (const voter& v : voters) {
        const auto best = top3(v.perceived);
        double weight = 0;
        for (const std::size_t j : best) weight += v.perceived[j];
        for (const std::size_t j : best) {
          const auto amount = static_cast<amount_t>(std::floor(v.power * v.perceived[j] / weight));
          if (amount <= 0) continue;
          const ledger::transfer_intent t{m.cash_account(v.citizen),
                                          m.cash_account(open_[j].proposer),
                                          amount,
                                          0,
                                          0,
                                          code(governance::daf_reason::daf_contribution)};
          if (l.apply(std::span(&t, 1), v.citizen) != ledger::status::applied) continue;
          contributions[j].push_back(static_cast<double>(amount));
          funded[j] += amount;
        }
      }
      const auto qf = daf_rules::quadratic_funding(contributions, static_cast<double>(pool));
      for (std::size_t j = 0; j < open_.size(); ++j)
        funded[j] += grant(m, w, open_[j], static_cast<amount_t>(std::floor(qf.subsidy[j])));
      break;
    }
    case daf_rule::conviction: {
      // Stakes accumulate per round; the supply is the power staked this round (the effective supply).
      std::vector<double> stake(open_.size(), 0.0);
      double staked = 0;
      for (const voter& v : voters) {
        stake[top3(v.perceived)[0]] += v.power;
        staked += v.power;
      }
      for (std::size_t j = 0; j < open_.size(); ++j) {
        proposal& p = open_[j];
        p.conviction = daf_rules::conviction_step(p.conviction, stake[j], p_.alpha);
        const double threshold = daf_rules::conviction_threshold(
            static_cast<double>(p.request), static_cast<double>(pool), staked, p_.alpha, p_.beta, p_.rho);
        if (p.conviction >= threshold && p.request <= remaining)
          remaining -= funded[j] = grant(m, w, p, p.request);
      }
      break;
    }
  }

  // How well did the money track true impact? Compare with the best use of the same money this round.
  double spent = 0, achieved = 0;
  for (std::size_t j = 0; j < open_.size(); ++j) {
    spent += static_cast<double>(funded[j]);
    achieved += open_[j].quality * static_cast<double>(funded[j]);
  }
  // The best use: the same total, poured into proposals by true impact per cash, each up to what it asked
  // (or what it got, when quadratic funding gave it more), so the actual allocation is one of the candidates.
  std::vector<std::size_t> by_quality(open_.size());
  std::iota(by_quality.begin(), by_quality.end(), 0);
  std::stable_sort(by_quality.begin(), by_quality.end(),
                   [&](std::size_t a, std::size_t b) { return open_[a].quality > open_[b].quality; });
  double left = spent, ideal = 0;
  for (const std::size_t j : by_quality) {
    const double amount = std::min(left, static_cast<double>(std::max(open_[j].request, funded[j])));
    ideal += open_[j].quality * amount;
    left -= amount;
  }
  achieved_ += achieved;
  ideal_ += ideal;

  if (p_.rule == daf_rule::conviction) {
    std::vector<proposal> still_open;
    for (std::size_t j = 0; j < open_.size(); ++j)
      if (funded[j] == 0 && ++open_[j].rounds < p_.proposal_rounds) still_open.push_back(open_[j]);
    open_ = std::move(still_open);
  }
}

void daf::score(const society::view&, const sim::world& w, regime_row& row) const {
  row.set("treasury", static_cast<double>(w.ledger().balance(treasury_)));
  row.set("grants", static_cast<double>(step_.granted));
  row.set("projects_funded", static_cast<double>(step_.funded));
  row.set("treasury_efficiency", ideal_ > 0 ? achieved_ / ideal_ : nan);
}

std::vector<params::param> daf_params::declare() {
  return {
      params::choice("rule", &daf_params::rule, daf_rule_names, "How the DAF's electorate decides",
                     "domain.md §4"),
      params::real("levy", &daf_params::levy, params::right_open(0.0, 1.0), "share",
                   "Share of each purchase paid into the treasury", "domain.md §4: a share of transactions"),
      params::boolean("csr_to_fund", &daf_params::csr_to_fund,
                      "Firms' CSR goes to the treasury, not a charity", "domain.md §4"),
      params::boolean("data_tax_to_fund", &daf_params::data_tax_to_fund,
                      "The data social tax goes to the treasury, not a charity",
                      "domain.md §4, domain.md §5"),
      params::integer("period", &daf_params::period, 0, 1'000'000, "steps",
                      "Steps between funding rounds (0: none)", "modelling choice"),
      params::real("spend_share", &daf_params::spend_share, params::closed(0.0, 1.0), "share",
                   "Share of the treasury one round may spend (the pool R)", "modelling choice"),
      params::integer("voters", &daf_params::voters, 1, 100'000'000, "agents",
                      "Citizens sampled to vote each round (at most the population)",
                      "modelling choice: a sample stands for the electorate"),
      params::integer("citizen_proposals", &daf_params::citizen_proposals, 0, 10'000, "proposals",
                      "Proposals from citizens each round (besides one per charity)", "domain.md §4"),
      params::real("noise", &daf_params::noise, params::closed(0.0, 10.0), "lognormal sigma",
                   "Lognormal sigma of a voter's view of a project's true impact",
                   "modelling choice: wisdom of the crowd"),
      params::real("turnout", &daf_params::turnout, params::closed(0.0, 1.0), "probability",
                   "Chance that a sampled voter takes part", "modelling choice"),
      params::real("quorum", &daf_params::quorum, params::closed(0.0, 1.0), "share",
                   "Participating power needed, as a share of the sample's power", "domain.md §4"),
      params::real("delegation", &daf_params::delegation, params::closed(0.0, 1.0), "share",
                   "Share of participants who delegate their power to another (one hop)", "domain.md §4"),
      params::real("contribution_share", &daf_params::contribution_share, params::closed(0.0, 1.0), "share",
                   "Quadratic funding: share of its cash a participant contributes", "modelling choice"),
      params::real("alpha", &daf_params::alpha, params::right_open(0.0, 1.0), "",
                   "Conviction kept from one step to the next",
                   "domain.md §4: 2^(-1/3) (1Hive conviction voting)"),
      params::real("beta", &daf_params::beta, params::left_open(0.0, 1.0), "",
                   "Conviction: largest share of the pool one request may take", "domain.md §4: 0.2"),
      params::real("rho", &daf_params::rho, params::left_open(0.0, 1.0), "", "Conviction: threshold weight",
                   "domain.md §4: 0.0025"),
      params::integer("proposal_rounds", &daf_params::proposal_rounds, 1, 1'000'000, "steps",
                      "Conviction: steps (votes) an unfunded proposal stays open", "modelling choice"),
  };
}

}  // namespace civitas::governance
