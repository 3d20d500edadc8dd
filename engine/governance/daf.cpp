#include "governance/daf.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/assert.hpp"
#include "core/rng.hpp"
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

// Indices of the (up to) `count` largest values, largest first; ties to the lower index.
std::vector<std::size_t> favourites(const std::vector<double>& v, std::size_t count) {
  std::vector<std::size_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  const std::size_t k = std::min<std::size_t>(count, idx.size());
  std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end(),
                    [&](std::size_t a, std::size_t b) { return v[a] > v[b] || (v[a] == v[b] && a < b); });
  idx.resize(k);
  return idx;
}

// A citizen's noisy view of each proposal's true impact per cash.
std::vector<double> perceive(rng_stream& view, const std::vector<daf_rules::proposal>& open, double noise) {
  std::vector<double> out;
  out.reserve(open.size());
  for (const auto& p : open) out.push_back(p.quality * std::exp(noise * normal(view)));
  return out;
}
}  // namespace

daf::daf(const params::scenario& s)
    : p_(s.get<daf_params>()),
      seed_(s.get<sim::run_params>().seed),
      tradable_(s.get<society::pool_params>().value_tradable) {}

void daf::setup(const society::view& m, sim::world& w) {
  treasury_ = w.ledger().open_account(system_agent, 0);  // the common fund belongs to no one
  if (p_.rule == daf_rule::conviction)
    book_.emplace(daf_rules::conviction_book::settings{p_.alpha, p_.beta, p_.rho, p_.min_stake_share,
                                                       p_.proposal_rounds, p_.max_open},
                  m.citizens());
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

amount_t daf::value_holdings(const society::view& m, const sim::world& w, agent_id citizen) const {
  amount_t sum = 0;
  for (std::size_t k = 0; k < society::deed_categories; ++k)
    sum += w.ledger().balance(m.value_account(k, citizen));
  return sum;
}

void daf::govern(const society::view& m, sim::world& w, const step_acts&) {
  step_ = {};
  const step_t step = w.ledger().current_step();
  const bool proposals_due = p_.period != 0 && step % p_.period == 0;
  // Conviction is continuous: stakes accumulate every step; the other rules decide once per round.
  if (p_.rule == daf_rule::conviction)
    run_conviction(m, w, proposals_due);
  else if (proposals_due)
    run_round(m, w);
}

std::vector<daf::proposal> daf::propose(const society::view& m, rng_stream& draws, amount_t pool) {
  // One per charity and a few from distinct citizens.
  std::vector<proposal> out;
  auto add = [&](agent_id who) {
    const double share = p_.request_min + p_.request_spread * draws.uniform01();
    const double quality = std::exp(p_.impact_sigma * normal(draws));
    const auto request =
        std::max<amount_t>(1, static_cast<amount_t>(std::floor(share * static_cast<double>(pool))));
    out.push_back({next_id_++, who, request, quality, 0, 0});
  };
  for (std::uint32_t h = 0; h < m.charities(); ++h) add(m.charity_agent(h));
  for (const agent_id c : daf_rules::sample_without_replacement(draws, m.citizens(), p_.citizen_proposals))
    add(c);
  return out;
}

void daf::account(const std::vector<proposal>& candidates, const std::vector<amount_t>& funded) {
  double spent = 0, achieved = 0;
  for (std::size_t j = 0; j < candidates.size(); ++j) {
    spent += static_cast<double>(funded[j]);
    achieved += candidates[j].quality * static_cast<double>(funded[j]);
  }
  // The best use: the same total, poured into proposals by true impact per cash, each up to what it asked
  // (or what it got, when quadratic funding gave it more), so the actual allocation is one of the candidates.
  std::vector<std::size_t> by_quality(candidates.size());
  std::iota(by_quality.begin(), by_quality.end(), 0);
  std::stable_sort(by_quality.begin(), by_quality.end(), [&](std::size_t a, std::size_t b) {
    return candidates[a].quality > candidates[b].quality;
  });
  double left = spent, ideal = 0;
  for (const std::size_t j : by_quality) {
    const double amount = std::min(left, static_cast<double>(std::max(candidates[j].request, funded[j])));
    ideal += candidates[j].quality * amount;
    left -= amount;
  }
  achieved_ += achieved;
  ideal_ += ideal;
}

void daf::run_round(const society::view& m, sim::world& w) {
  ledger::ledger& l = w.ledger();
  const step_t step = l.current_step();
  const amount_t pool =
      static_cast<amount_t>(std::floor(static_cast<double>(l.balance(treasury_)) * p_.spend_share));
  rng_stream draws(seed_, 0, step, daf_purpose::round);
  std::vector<proposal> open = propose(m, draws, pool);
  if (open.size() > p_.max_open) open.resize(p_.max_open);  // later proposers are turned away
  step_.submitted = open.size();
  open_count_ = open.size();
  if (pool <= 0) return;

  // The sampled electorate, distinct citizens: each voter's power and its (noisy) view of every proposal.
  const bool funding = p_.rule == daf_rule::quadratic_funding;
  std::vector<voter> voters;
  double sample_power = 0, taking_part = 0;
  const double chance = turnout_probability();
  for (const agent_id c : daf_rules::sample_without_replacement(draws, m.citizens(), p_.voters)) {
    double power = 0;
    if (funding)
      power = std::floor(static_cast<double>(l.balance(m.cash_account(c))) * p_.contribution_share);
    else
      power = static_cast<double>(value_holdings(m, w, c));
    sample_power += power;
    rng_stream view(seed_, c, step, daf_purpose::vote);
    ++step_.deciding;
    const bool votes = view.uniform01() < chance;
    step_.voting += votes;
    if (!votes || power <= 0) continue;
    taking_part += power;
    voters.push_back({c, power, perceive(view, open, p_.noise)});
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

  std::vector<amount_t> funded(open.size(), 0);
  amount_t remaining = pool;
  auto fund_by_tally = [&](const std::vector<double>& tally) {
    std::vector<std::size_t> order(open.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return tally[a] > tally[b]; });
    for (const std::size_t j : order)
      if (tally[j] > 0 && open[j].request <= remaining)
        remaining -= funded[j] = grant(m, w, open[j], open[j].request);
  };

  switch (p_.rule) {
    case daf_rule::token: {
      std::vector<double> tally(open.size(), 0.0);
      for (const voter& v : voters) tally[favourites(v.perceived, 1)[0]] += v.power;
      fund_by_tally(tally);
      break;
    }
    case daf_rule::quadratic: {
      std::vector<double> tally(open.size(), 0.0);
      for (const voter& v : voters) {
        const auto best = favourites(v.perceived, p_.ballot_size);
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
      std::vector<daf_rules::contribution> contributions;
      for (const voter& v : voters) {
        const auto best = favourites(v.perceived, p_.ballot_size);
        double weight = 0;
        for (const std::size_t j : best) weight += v.perceived[j];
        for (const std::size_t j : best) {
          const auto amount = static_cast<amount_t>(std::floor(v.power * v.perceived[j] / weight));
          if (amount <= 0) continue;
          const ledger::transfer_intent t{m.cash_account(v.citizen),
                                          m.cash_account(open[j].proposer),
                                          amount,
                                          0,
                                          0,
                                          code(governance::daf_reason::daf_contribution)};
          if (l.apply(std::span(&t, 1), v.citizen) != ledger::status::applied) continue;
          contributions.push_back({j, v.citizen, static_cast<double>(amount)});
          funded[j] += amount;
        }
      }
      const double bound =
          p_.matching == qf_matching::pairwise ? p_.pairwise_bound : std::numeric_limits<double>::infinity();
      const auto qf =
          daf_rules::quadratic_funding(contributions, open.size(), static_cast<double>(pool), bound);
      for (std::size_t j = 0; j < open.size(); ++j)
        funded[j] += grant(m, w, open[j], static_cast<amount_t>(std::floor(qf.subsidy[j])));
      break;
    }
    case daf_rule::conviction:
      CIVITAS_ASSERT(false && "conviction runs in run_conviction");
      break;
  }
  // How well did the money track true impact? Compare with the best use of the same money this round.
  account(open, funded);
}

void daf::run_conviction(const society::view& m, sim::world& w, bool new_proposals) {
  ledger::ledger& l = w.ledger();
  const step_t step = l.current_step();
  const auto treasury = static_cast<double>(l.balance(treasury_));
  if (new_proposals) {
    rng_stream draws(seed_, 0, step, daf_purpose::round);
    const auto pool = static_cast<amount_t>(std::floor(treasury * p_.spend_share));
    for (const proposal& p : propose(m, draws, pool)) {
      if (!book_->submit(p)) continue;  // the cap: turned away
      ++step_.submitted;
      if (!daf_rules::conviction_reachable(static_cast<double>(p.request), treasury, p_.beta, p_.rho))
        ++step_.unpassable;
    }
  }

  // Every citizen's stake: shrunk to its holding, and moved when its holder reviews it.
  double supply = 0;
  const double chance = turnout_probability();
  for (agent_id c = 0; c < m.citizens(); ++c) {
    const amount_t holding = value_holdings(m, w, c);
    supply += static_cast<double>(holding);
    book_->cap(c, holding);
    rng_stream view(seed_, c, step, daf_purpose::vote);
    if (view.uniform01() >= p_.reconsider) continue;
    const auto& open = book_->open();
    ++step_.deciding;
    const bool votes = view.uniform01() < chance;
    step_.voting += votes;
    if (!votes || holding <= 0 || open.empty()) {
      book_->withdraw(c);
      continue;
    }
    const std::vector<double> perceived = perceive(view, open, p_.noise);
    book_->stake(c, favourites(perceived, 1)[0], holding);
  }

  const std::vector<proposal> before = book_->open();
  const auto outcome = book_->step(treasury, supply);
  std::vector<amount_t> funded(before.size(), 0);
  for (const proposal& p : outcome.passed) {
    const auto j = static_cast<std::size_t>(
        std::find_if(before.begin(), before.end(), [&](const proposal& q) { return q.id == p.id; }) -
        before.begin());
    funded[j] = grant(m, w, p, p.request);
  }
  open_count_ = book_->open().size();
  account(before, funded);
}

void daf::score(const society::view&, const sim::world& w, regime_row& row) const {
  row.set("treasury", static_cast<double>(w.ledger().balance(treasury_)));
  row.set("grants", static_cast<double>(step_.granted));
  row.set("projects_funded", static_cast<double>(step_.funded));
  row.set("treasury_efficiency", ideal_ > 0 ? achieved_ / ideal_ : nan);
  row.set("proposals_submitted", static_cast<double>(step_.submitted));
  if (p_.rule == daf_rule::conviction) row.set("proposals_unpassable", static_cast<double>(step_.unpassable));
  row.set("open_proposals", static_cast<double>(open_count_));
}

double daf::turnout_probability() const {
  if (p_.turnout_rule != behaviour::rule::logit) return p_.turnout;
  const behaviour::utility u{p_.turnout_duty, p_.turnout_benefit, p_.turnout_cost, 0};
  return behaviour::logit_probability(p_.turnout_lambda, u.total());
}

std::vector<std::string> daf::own_columns() const {
  if (p_.turnout_rule != behaviour::rule::logit) return {};
  return {"turnout"};
}

void daf::score_own(std::span<double> out) const {
  out[0] = step_.deciding > 0 ? static_cast<double>(step_.voting) / static_cast<double>(step_.deciding) : nan;
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
                   "Share of the treasury a round may spend (the pool proposals ask 2% to 20% of)",
                   "modelling choice"),
      params::integer(
          "voters", &daf_params::voters, 1, 100'000'000, "agents",
          "Distinct citizens sampled to vote each round, at most population.citizens (round rules)",
          "modelling choice: a sample stands for the electorate"),
      params::integer("citizen_proposals", &daf_params::citizen_proposals, 0, 10'000, "proposals",
                      "Proposals from distinct citizens each round (besides one per charity), at most "
                      "population.citizens",
                      "domain.md §4"),
      params::integer("max_open", &daf_params::max_open, 1, 1'000'000, "proposals",
                      "Proposals open at once; later ones are turned away",
                      "modelling choice: a curated queue, as DAOs keep one"),
      params::real("noise", &daf_params::noise, params::closed(0.0, 10.0), "lognormal sigma",
                   "Lognormal sigma of a voter's view of a project's true impact",
                   "modelling choice: wisdom of the crowd"),
      params::real("turnout", &daf_params::turnout, params::closed(0.0, 1.0), "probability",
                   "Chance that a sampled voter takes part (conviction: that a reviewing citizen stakes)",
                   "modelling choice"),
      params::real("quorum", &daf_params::quorum, params::closed(0.0, 1.0), "share",
                   "Participating power needed, as a share of the sample's power (round rules)",
                   "domain.md §4"),
      params::real("delegation", &daf_params::delegation, params::closed(0.0, 1.0), "share",
                   "Share of participants who delegate their power to another, one hop (round rules)",
                   "domain.md §4"),
      params::real("contribution_share", &daf_params::contribution_share, params::closed(0.0, 1.0), "share",
                   "Quadratic funding: share of its cash a participant contributes", "modelling choice"),
      params::choice("qf_matching", &daf_params::matching, qf_matching_names,
                     "Quadratic funding: plain CLR match or Gitcoin's pairwise-bounded match",
                     "Buterin, Hitzig & Weyl 2019; Buterin 2019, Pairwise coordination subsidies"),
      params::real("pairwise_bound", &daf_params::pairwise_bound, params::left_open(0.0, 1e12), "cash",
                   "Quadratic funding, pairwise: M; a pair of contributors is matched below 2M in all",
                   "Gitcoin CLR: threshold 25"),
      params::real("alpha", &daf_params::alpha, params::right_open(0.0, 1.0), "",
                   "Conviction kept from one step to the next",
                   "domain.md §4: 2^(-1/3) (1Hive conviction voting)"),
      params::real("beta", &daf_params::beta, params::left_open(0.0, 1.0), "",
                   "Conviction: largest share of the treasury one request may take", "domain.md §4: 0.2"),
      params::real("rho", &daf_params::rho, params::left_open(0.0, 1.0), "", "Conviction: threshold weight",
                   "domain.md §4: 0.0025"),
      params::real("min_stake_share", &daf_params::min_stake_share, params::closed(0.0, 1.0), "share",
                   "Conviction: floor of the staked supply in the threshold, as a share of all value tokens",
                   "1Hive minThresholdStakePercentage; Gardens default 20%"),
      params::real("reconsider", &daf_params::reconsider, params::closed(0.0, 1.0), "probability",
                   "Conviction: chance per step that a citizen reviews its stake (else it stays put)",
                   "modelling choice: about monthly at weekly steps"),
      params::integer("proposal_rounds", &daf_params::proposal_rounds, 1, 1'000'000, "steps",
                      "Conviction: steps an unfunded proposal stays open before it expires",
                      "modelling choice"),
      params::real("request_min", &daf_params::request_min, params::closed(0.0, 1.0), "share of pool",
                   "Smallest request of a proposal, as a share of the pool (uniform above it)",
                   "modelling choice: grants of 2-20% of a round's pool"),
      params::real("request_spread", &daf_params::request_spread, params::closed(0.0, 1.0), "share of pool",
                   "Width of the request range above request_min", "modelling choice"),
      params::real("impact_sigma", &daf_params::impact_sigma, params::closed(0.0, 10.0), "lognormal sigma",
                   "Spread of proposals' true impact per cash (lognormal, median 1)",
                   "modelling choice: impact varies several-fold between projects"),
      params::integer("ballot_size", &daf_params::ballot_size, 1, 1000, "proposals",
                      "Quadratic voting and funding: the favourite proposals a voter backs",
                      "modelling choice"),
      params::choice("turnout_rule", &daf_params::turnout_rule, behaviour::rule_names,
                     "fixed: a citizen takes part at daf.turnout; logit: the calculus of voting, on the "
                     "expected benefit, civic duty and the cost of voting",
                     "Riker & Ordeshook 1968; McFadden 1974"),
      params::real("turnout_lambda", &daf_params::turnout_lambda, params::closed(0.0, 100.0), "per cash",
                   "Logit turnout: precision of the choice; 0 makes every citizen toss a fair coin",
                   "McKelvey & Palfrey 1995"),
      params::real("turnout_benefit", &daf_params::turnout_benefit, params::closed(0.0, 1e9), "cash",
                   "Logit turnout: p B, the expected benefit of taking part (the chance of deciding the "
                   "outcome times what the citizen gains from it), one value for every citizen",
                   "Riker & Ordeshook 1968: the P B term; modelling choice"),
      params::real("turnout_duty", &daf_params::turnout_duty, params::closed(0.0, 1e9), "cash",
                   "Logit turnout: D, the satisfaction of doing one's civic duty by taking part",
                   "Riker & Ordeshook 1968: the D term"),
      params::real("turnout_cost", &daf_params::turnout_cost, params::closed(0.0, 1e9), "cash",
                   "Logit turnout: C, the cost of taking part (time, attention)",
                   "Riker & Ordeshook 1968: the C term; Downs 1957"),
  };
}

std::vector<params::rule_of<daf_params>> daf_params::rules() {
  return {{{"request_min", "request_spread"}, [](const daf_params& p) -> std::string {
             return p.request_min + p.request_spread <= 1.0 ? ""
                                                            : "daf.request_min + daf.request_spread must not "
                                                              "exceed 1 (a request is a share of the pool)";
           }}};
}

}  // namespace civitas::governance
