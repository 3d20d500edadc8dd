#include "society/society_model.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/assert.hpp"
#include "core/rng.hpp"
#include "scoring/inequality.hpp"
#include "scoring/personal_value.hpp"
#include "scoring/se_ratio.hpp"
#include "sim/world.hpp"
#include "core/error.hpp"
#include "society/dimensions.hpp"
#include "society/pool.hpp"
#include "society/tender.hpp"

namespace civitas::society {
namespace {

using ledger::reason;
using ledger::transfer_intent;

constexpr std::uint32_t no_employer = std::numeric_limits<std::uint32_t>::max();
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::uint16_t code(reason r) { return static_cast<std::uint16_t>(r); }

amount_t share_of(amount_t base, double share) {
  return base <= 0 ? 0 : static_cast<amount_t>(std::floor(static_cast<double>(base) * share));
}

// Uniform in (0, 1): never 0, so logarithms stay finite.
double open01(rng_stream& r) { return (static_cast<double>(r.next_u64() >> 11) + 0.5) * 0x1.0p-53; }

double standard_normal(rng_stream& r) {
  const double u = open01(r), v = open01(r);
  return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
}

double lognormal_mean_one(rng_stream& r, double sigma) {
  return std::exp(sigma * standard_normal(r) - 0.5 * sigma * sigma);
}


}  // namespace

society_model::society_model(const params::scenario& s, std::unique_ptr<policy> regime)
    : run_(s.get<sim::run_params>()),
      org_(s.get<organisation_params>()),
      values_p_(s.get<values_params>()),
      endowment_(s.get<endowment_params>()),
      labour_(s.get<labour_params>()),
      consumption_(s.get<consumption_params>()),
      production_(s.get<production_params>()),
      giving_(s.get<giving_params>()),
      charity_(s.get<charity_params>()),
      deeds_(s.get<deed_params>()),
      pools_(s.get<pool_params>()),
      data_(s.get<data_params>()),
      welfare_(s.get<welfare_params>()),
      tenders_(s.get<tender_params>()),
      scores_(s.get<score_params>()),
      graph_p_(s.get<social_graph_params>()),
      misconduct_p_(s.get<misconduct_params>()),
      citizens_(s.get<sim::population_params>().citizens), firms_(org_.firms), charities_(org_.charities),
      dims_(values_p_.dimensions), wages_table_(scoring::minimum_wage_table::load_default()), regime_(std::move(regime)) {
  wages_table_.hourly(static_cast<int>(scores_.year));  // fail early, naming the known years
  columns_ = make_columns();
  dimensions_ = load_default_dimensions();
  if (dimensions_.size() < dims_)
    throw input_error(std::vector<diagnostic>{{(scoring::data_dir() / "sdg_dimensions.csv").string(), 0, 0,
                                               "values.dimensions is " + std::to_string(dims_) + " but the table names only " +
                                                   std::to_string(dimensions_.size())}});
}

agent_kind society_model::kind_of_owner(agent_id a) const {
  return a == system_agent ? agent_kind::government : kind_of(a);  // system accounts: nobody's, never a charity
}

agent_kind society_model::kind_of(agent_id a) const {
  if (a < citizens_) return agent_kind::citizen;
  if (a < citizens_ + firms_) return agent_kind::firm;
  if (a < government()) return agent_kind::charity;
  return agent_kind::government;
}

double society_model::alignment(agent_id citizen, agent_id other) const {
  const double norm = citizen_norm_[citizen];
  if (norm == 0) return 0;
  const double* v = values_->data() + static_cast<std::size_t>(citizen) * dims_;
  const float* u = org_unit_.data() + static_cast<std::size_t>(other - citizens_) * dims_;
  // Four running sums in a fixed order: the same result on every run, without one long dependency chain.
  double sum[4] = {0, 0, 0, 0};
  std::uint32_t k = 0;
  for (; k + 4 <= dims_; k += 4)
    for (std::uint32_t j = 0; j < 4; ++j) sum[j] += v[k + j] * u[k + j];
  for (; k < dims_; ++k) sum[0] += v[k] * u[k];
  return ((sum[0] + sum[1]) + (sum[2] + sum[3])) / norm;
}

double society_model::feedback_positive(double quality) const { return 0.2 + 0.7 * quality; }

// ---------------------------------------------------------------------------------------------------
// set-up

void society_model::setup(sim::world& w) {
  const std::uint32_t n = government() + 1;
  population& p = w.agents();
  p.kind.resize(n);
  p.values.resize(n, dims_);

  // Values: citizens and firms spread over many goals (u^3), charities focus on a few (u^6); the
  // government values every goal equally. One stream per agent, so generation is order-free.
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, n, 4096), [&](const auto& r) {
    for (agent_id a = r.begin(); a != r.end(); ++a) {
      const agent_kind k = kind_of(a);
      p.kind[a] = k;
      rng_stream draws(run_.seed, a, 0, rng_purpose::initial_state);
      for (std::uint32_t d = 0; d < dims_; ++d) {
        const double u = draws.uniform01();
        p.values(a, d) = k == agent_kind::government ? 1.0 : k == agent_kind::charity ? std::pow(u, 6) : u * u * u;
      }
    }
  });
  values_ = &p.values;

  citizen_norm_.resize(citizens_);
  for (agent_id c = 0; c < citizens_; ++c) citizen_norm_[c] = p.values.row(c).norm();
  org_unit_.resize(dims_, firms_ + charities_);
  for (std::uint32_t o = 0; o < firms_ + charities_; ++o) {
    const auto row = p.values.row(citizens_ + o);
    const double norm = row.norm();
    org_unit_.col(o) = norm > 0 ? (row / norm).transpose().cast<float>().eval() : Eigen::VectorXf::Zero(dims_);
  }

  // Firms: a stage in the supply chain, and traits drawn from each firm's own stream.
  chain_ = network::make_supply_chain(firms_, production_.raw_share, production_.manufacturer_share, production_.suppliers_per_firm, run_.seed);
  firm_.resize(firms_);
  std::vector<double> size_weight(firms_);
  for (std::uint32_t f = 0; f < firms_; ++f) {
    rng_stream draws(run_.seed, firm_agent(f), 1, rng_purpose::initial_state);
    firm_traits& t = firm_[f];
    t.stage = chain_.stage[f];
    size_weight[f] = lognormal_mean_one(draws, labour_.firm_size_sigma);
    t.wage = std::max<amount_t>(1, std::llround(static_cast<double>(labour_.wage_mean) * lognormal_mean_one(draws, labour_.wage_sigma)));
    t.price = lognormal_mean_one(draws, consumption_.price_sigma);
    t.co2 = production_.co2_per_1000 * lognormal_mean_one(draws, production_.co2_sigma);
    t.conduct = draws.uniform01();
    t.sv_share = 0.2 * draws.uniform01();
    t.reliability = 0.5 + 0.5 * draws.uniform01();
    if (t.stage == 2) {
      retailers_.push_back(f);
      retail_price_.push_back(t.price);
    }
  }
  // Each firm gives to the charity whose mission is closest to its own values.
  for (std::uint32_t f = 0; f < firms_; ++f) {
    double best = -2;
    for (std::uint32_t h = 0; h < charities_; ++h) {
      const double a = org_unit_.col(f).cast<double>().dot(org_unit_.col(firms_ + h).cast<double>());
      if (a > best) {
        best = a;
        firm_[f].charity = h;
      }
    }
  }
  charity_quality_.resize(charities_);
  for (std::uint32_t h = 0; h < charities_; ++h) {
    rng_stream draws(run_.seed, charity_agent(h), 1, rng_purpose::initial_state);
    charity_quality_[h] = 0.5 + 0.5 * draws.uniform01();
  }

  // Citizens: data consent, employment, deed category weights. Employers are assigned in citizen order,
  // each firm taking a run of consecutive employed citizens in proportion to its size: co-workers are
  // then neighbours on the small-world ring (workplaces are part of the social fabric), and a payroll
  // credits neighbouring accounts, which keeps settling wages cache-friendly at 10^6 citizens.
  std::vector<double> cumulative(firms_);
  std::partial_sum(size_weight.begin(), size_weight.end(), cumulative.begin());
  consent_.resize(citizens_);
  employer_.assign(citizens_, no_employer);
  std::vector<std::uint8_t> employed(citizens_);
  for (auto& weights : deed_weight_) weights.resize(citizens_);
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, citizens_, 4096), [&](const auto& r) {
    for (agent_id c = r.begin(); c != r.end(); ++c) {
      rng_stream draws(run_.seed, c, 1, rng_purpose::initial_state);
      consent_[c] = draws.uniform01() < data_.data_consent;
      employed[c] = draws.uniform01() < labour_.employment_rate;
      double total = 0;
      for (std::size_t k = 0; k < deed_categories; ++k) {
        const std::uint32_t d = deed_category_sdg[k];
        total += d < dims_ ? p.values(c, d) : 1.0 / deed_categories;
        deed_weight_[k][c] = total;
      }
    }
  });
  const auto workforce = static_cast<double>(std::count(employed.begin(), employed.end(), 1));
  std::uint64_t rank = 0;
  for (agent_id c = 0; c < citizens_; ++c) {
    if (!employed[c]) continue;
    const double x = (static_cast<double>(rank++) + 0.5) / workforce * cumulative.back();
    employer_[c] = static_cast<std::uint32_t>(std::min<std::size_t>(
        firms_ - 1, static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin())));
  }
  staff_offsets_.assign(firms_ + 1, 0);
  for (agent_id c = 0; c < citizens_; ++c)
    if (employer_[c] != no_employer) ++staff_offsets_[employer_[c] + 1];
  std::partial_sum(staff_offsets_.begin(), staff_offsets_.end(), staff_offsets_.begin());
  staff_.resize(staff_offsets_.back());
  {
    std::vector<std::uint64_t> next(staff_offsets_.begin(), staff_offsets_.end() - 1);
    for (agent_id c = 0; c < citizens_; ++c)
      if (employer_[c] != no_employer) staff_[next[employer_[c]]++] = c;
  }

  graph_ = network::make_social_graph(graph_p_.graph, citizens_, graph_p_.mean_degree, graph_p_.graph_param, run_.seed);

  // Ledger: cash (system issuer), one value token per category (the government is the rewarding body).
  ledger::ledger& l = w.ledger();
  const token_id cash = l.add_token({"cash", ledger::token_kind::cash}, system_agent);
  l.authorise_mint(cash, code(reason::endowment));
  for (std::size_t k = 0; k < deed_categories; ++k) {
    const token_id t = l.add_token({deed_category_names[k], ledger::token_kind::value}, government());
    CIVITAS_ASSERT(t == value_token(k));
    l.authorise_mint(t, code(reason::good_deed));
    l.authorise_mint(t, code(reason::endowment));  // the pools' opening reserves
  }
  first_cash_account_ = static_cast<account_id>(l.account_count());
  for (agent_id a = 0; a < n; ++a) l.open_account(a, cash);
  first_value_account_ = static_cast<account_id>(l.account_count());
  for (std::size_t k = 0; k < deed_categories; ++k)
    for (agent_id c = 0; c < citizens_; ++c) l.open_account(c, value_token(k));
  reserve_account_ = l.open_account(government(), cash);
  for (std::size_t k = 0; k < deed_categories; ++k) {
    pool_cash_[k] = l.open_account(system_agent, cash);
    pool_tokens_[k] = l.open_account(system_agent, value_token(k));
  }

  firm_books_.assign(firms_, {});
  charity_books_.assign(charities_, {});
  citizen_books_.assign(citizens_, {});
  edge_spend_.assign(chain_.suppliers.size(), 0);
  did_deed_.assign(citizens_, 0);
  firm_own_.assign(firms_, {nan, std::nullopt, 0});
  for (std::uint32_t f = 0; f < firms_; ++f) firm_own_[f].co2_per_1000 = firm_[f].co2;
  firm_ms_.assign(firms_, nan);
  charity_se_.assign(charities_, nan);
  passports_ = compute_passports(chain_, firm_own_, std::vector<double>(edge_spend_.size(), 0.0), production_.input_share);
  misconduct_.assign(citizens_, 0);
  regime_->setup(*this, w);  // last: the regime's accounts follow the society's
}

void society_model::endow(sim::world& w) {
  ledger::ledger& l = w.ledger();
  const account_id cash_issuer = l.issuer_account(0);
  auto mint = [&](account_id issuer, account_id to, amount_t amount, token_id token) {
    if (amount <= 0) return;
    const transfer_intent t{issuer, to, amount, 0, token, code(reason::endowment)};
    l.apply(std::span(&t, 1), system_agent);
  };
  for (agent_id c = 0; c < citizens_; ++c) mint(cash_issuer, cash_account(c), endowment_.cash_citizen, 0);
  for (std::uint32_t f = 0; f < firms_; ++f) {
    const auto staff = static_cast<amount_t>(staff_offsets_[f + 1] - staff_offsets_[f]);
    mint(cash_issuer, cash_account(firm_agent(f)),
         static_cast<amount_t>(labour_.firm_cash_weeks) * std::max(staff, amount_t{1}) * firm_[f].wage, 0);
  }
  for (std::uint32_t h = 0; h < charities_; ++h) mint(cash_issuer, cash_account(charity_agent(h)), endowment_.cash_charity, 0);
  mint(cash_issuer, cash_account(government()), endowment_.cash_government_per_citizen * citizens_, 0);
  for (std::size_t k = 0; k < deed_categories; ++k) {
    mint(cash_issuer, pool_cash_[k], pools_.pool_cash_per_citizen * citizens_, 0);
    mint(l.issuer_account(value_token(k)), pool_tokens_[k], pools_.pool_tokens_per_citizen * citizens_, value_token(k));
  }
  regime_->endow(*this, w);
}

// ---------------------------------------------------------------------------------------------------
// decide

void society_model::decide(const sim::world& w, ledger::intent_chunk& chunk, agent_id first, agent_id end) const {
  const auto balances = w.ledger().balances();
  const step_t step = w.ledger().current_step();
  for (agent_id a = first; a < end; ++a) {
    chunk.start_agent();
    switch (kind_of(a)) {
      case agent_kind::citizen: decide_citizen(balances, step, a, chunk.intents); break;
      case agent_kind::firm: decide_firm(balances, a - citizens_, chunk.intents); break;
      case agent_kind::charity: decide_charity(balances, step, a - citizens_ - firms_, chunk.intents); break;
      case agent_kind::government: decide_welfare(balances, chunk.intents); break;
    }
  }
}

void society_model::decide_citizen(std::span<const amount_t> balances, step_t step, agent_id a,
                                   std::vector<transfer_intent>& out) const {
  const amount_t cash = balances[cash_account(a)];
  // Consumption: the logit choice among a few sampled offers, utility -beta (price - 1) + alpha alignment.
  // Drawn by inverting the softmax (one uniform and one exp per offer): the same law as adding Gumbel noise
  // and taking the best, at a third of the cost.
  // One stream for all of a citizen's choices in a step, drawn in a fixed order: purchase, giving, selling.
  rng_stream draws(run_.seed, a, step, rng_purpose::citizen);
  const amount_t budget = regime_->purchase_budget(a, share_of(cash, consumption_.consumption_share));
  if (budget > 0 && !retailers_.empty()) {
    constexpr std::uint32_t max_offers = 1000;  // the schema's bound on offers_sampled
    std::array<std::uint32_t, max_offers> offer;
    std::array<double, max_offers> weight;
    double best = -std::numeric_limits<double>::infinity();
    for (std::uint32_t i = 0; i < consumption_.offers_sampled; ++i) {
      const std::uint32_t pick = draws.below(static_cast<std::uint32_t>(retailers_.size()));
      offer[i] = retailers_[pick];
      weight[i] = -consumption_.price_sensitivity * (retail_price_[pick] - 1.0) + consumption_.alpha * alignment(a, firm_agent(offer[i]));
      best = std::max(best, weight[i]);
    }
    double total = 0;
    for (std::uint32_t i = 0; i < consumption_.offers_sampled; ++i) total += weight[i] = std::exp(weight[i] - best);
    double x = draws.uniform01() * total;
    std::uint32_t chosen = 0;
    while (chosen + 1 < consumption_.offers_sampled && x >= weight[chosen]) x -= weight[chosen++];
    // Under a common fund with a levy, the levy is part of the same purchase: a linked chain.
    const amount_t levy = share_of(budget, regime_->purchase_levy());
    const auto fund = regime_->common_fund();
    const bool levied = levy > 0 && fund && levy < budget;
    out.push_back({cash_account(a), cash_account(firm_agent(offer[chosen])), levied ? budget - levy : budget, 0, 0,
                   code(reason::purchase), levied ? ledger::intent_flag::linked : ledger::intent_flag::none});
    if (levied) out.push_back({cash_account(a), *fund, levy, 0, 0, code(reason::daf_levy)});
  }
  // Giving: to the best-aligned of a few sampled charities.
  if (draws.uniform01() < giving_.donation_probability) {
    const amount_t gift = share_of(cash, giving_.donation_share);
    if (gift > 0) {
      std::uint32_t chosen = 0;
      double best = -2;
      for (std::uint32_t i = 0; i < consumption_.offers_sampled; ++i) {
        const std::uint32_t h = draws.below(charities_);
        const double fit = alignment(a, charity_agent(h));
        if (fit > best) {
          best = fit;
          chosen = h;
        }
      }
      out.push_back({cash_account(a), cash_account(charity_agent(chosen)), gift, 0, 0, code(reason::donation)});
    }
  }
  regime_->decide_citizen(a, balances, step, out);
  // Selling value tokens on the pools, where the regime lets them trade.
  if (regime_->value_tradable()) {
    if (draws.uniform01() < pools_.sell_probability)
      for (std::size_t k = 0; k < deed_categories; ++k) {
        const amount_t held = balances[value_account(k, a)];
        if (held > 0) out.push_back({value_account(k, a), pool_tokens_[k], held, 0, value_token(k), code(reason::sell_value)});
      }
  }
}

void society_model::decide_firm(std::span<const amount_t> balances, std::uint32_t f,
                                std::vector<transfer_intent>& out) const {
  const firm_traits& t = firm_[f];
  const firm_books& b = firm_books_[f];
  const account_id me = cash_account(firm_agent(f));
  amount_t cash = balances[me];
  // Obligations first, each capped by what is left, so nothing this firm states is rejected for lack of funds.
  auto pay = [&](account_id to, amount_t amount, reason why) {
    amount = std::min(amount, cash);
    if (amount <= 0) return;
    out.push_back({me, to, amount, 0, 0, code(why)});
    cash -= amount;
  };
  const auto suppliers = chain_.suppliers_of(f);
  if (!suppliers.empty()) {
    const amount_t inputs = std::min(share_of(b.revenue_last, production_.input_share), cash);
    const auto count = static_cast<amount_t>(suppliers.size());
    for (std::size_t i = 0; i < suppliers.size(); ++i)
      pay(cash_account(firm_agent(suppliers[i])), inputs / count + (i == 0 ? inputs % count : 0), reason::input_purchase);
  }
  const account_id charity = cash_account(charity_agent(t.charity));
  const auto fund = regime_->common_fund();
  if (t.stage == 2)
    pay(fund && regime_->data_tax_to_fund() ? *fund : charity,
        share_of(static_cast<amount_t>(b.consenting_last) * data_.data_value_per_customer, data_.data_tax), reason::data_tax);
  pay(fund && regime_->csr_to_fund() ? *fund : charity, share_of(b.revenue_last, production_.csr_share), reason::csr);
  pay(charity, b.pledge_payment, reason::social_value);

  // Wages from what is left: the full wage when the payroll fits, else an equal cut for everyone.
  const std::uint64_t first = staff_offsets_[f], last = staff_offsets_[f + 1];
  if (last == first) return;
  const auto staff = static_cast<amount_t>(last - first);
  // Above its buffer a firm shares part of the excess with its staff as a bonus, so money the market
  // brings in returns to households instead of piling up in firms.
  const amount_t buffer = static_cast<amount_t>(labour_.firm_cash_weeks) * staff * t.wage;
  const amount_t bonus = cash - staff * t.wage > buffer ? share_of(cash - staff * t.wage - buffer, labour_.profit_share) / staff : 0;
  const amount_t gross = std::min(t.wage + bonus, cash / staff);
  if (gross <= 0) return;
  // One linked chain per payroll, as an employer withholds tax (PAYE): the income tax of every worker to
  // the government, then each worker's net wage. It settles whole or not at all.
  const amount_t tax = share_of(gross, labour_.income_tax);
  if (tax > 0) out.push_back({me, cash_account(government()), tax * staff, 0, 0, code(reason::income_tax), ledger::intent_flag::linked});
  for (std::uint64_t i = first; i < last; ++i)
    out.push_back({me, cash_account(staff_[i]), gross - tax, 0, 0, code(reason::wage),
                   i + 1 < last ? ledger::intent_flag::linked : ledger::intent_flag::none});
}

// Welfare is decided on step-start balances, like everything else in decide, and paid in citizen order
// until the treasury's step-start cash runs out. The government's other acts (rewards, tenders) follow
// in govern, after the market has settled.
void society_model::decide_welfare(std::span<const amount_t> balances, std::vector<transfer_intent>& out) const {
  if (welfare_.welfare_amount <= 0) return;
  const account_id state = cash_account(government());
  amount_t treasury = balances[state];
  for (agent_id c = 0; c < citizens_ && treasury >= welfare_.welfare_amount; ++c) {
    if (balances[cash_account(c)] >= welfare_.welfare_threshold) continue;
    out.push_back({state, cash_account(c), welfare_.welfare_amount, 0, 0, code(reason::welfare)});
    treasury -= welfare_.welfare_amount;
  }
}

void society_model::decide_charity(std::span<const amount_t> balances, step_t step, std::uint32_t h,
                                   std::vector<transfer_intent>& out) const {
  const agent_id me = charity_agent(h);
  const amount_t each = share_of(balances[cash_account(me)], charity_.service_share) / charity_.beneficiaries_per_step;
  if (each <= 0) return;
  // Of two citizens drawn at random, the poorer is served: need-based targeting at O(1) cost.
  rng_stream draws(run_.seed, me, step, rng_purpose::service);
  for (std::uint32_t i = 0; i < charity_.beneficiaries_per_step; ++i) {
    const agent_id x = draws.below(citizens_), y = draws.below(citizens_);
    const agent_id served = balances[cash_account(y)] < balances[cash_account(x)] ? y : x;
    out.push_back({cash_account(me), cash_account(served), each, 0, 0, code(reason::service)});
  }
}

// ---------------------------------------------------------------------------------------------------
// govern

void society_model::govern(sim::world& w) {
  flows_ = {};
  ++steps_seen_;
  read_records(w);
  clear_pools(w);
  pay_tax_relief(w);
  reward_deeds(w);
  run_tender(w);
  plan_pledges();
  score_organisations(w);
  let_regime_govern(w);
}

void society_model::let_regime_govern(sim::world& w) {
  if (!regime_->observes_acts()) {
    regime_->govern(*this, w, step_acts{});
    return;
  }
  const step_t step = w.ledger().current_step();
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, citizens_, 4096), [&](const auto& r) {
    for (agent_id c = r.begin(); c != r.end(); ++c) {
      rng_stream draws(run_.seed, c, step, rng_purpose::misconduct);
      misconduct_[c] = draws.uniform01() < misconduct_p_.misconduct_probability;
    }
  });
  flows_.misconduct = std::count(misconduct_.begin(), misconduct_.end(), 1);
  std::vector<std::uint8_t> firm_good(firms_), firm_bad(firms_);
  for (std::uint32_t f = 0; f < firms_; ++f) {
    firm_good[f] = firm_books_[f].delivered_now > 0;
    firm_bad[f] = firm_own_[f].rag == scoring::rag::red;
  }
  regime_->govern(*this, w, step_acts{did_deed_, misconduct_, firm_good, firm_bad});
}

// The step's records, read by reason code: each behaviour's handler counts what it needs into the books
// and the step's flows. A table, not a switch: adding a reason is one `on` line beside its handler.
struct society_model::record_reader {
  const society_model& m;  // layout and traits (read-only)
  const ledger::ledger& l;
  step_t step;
  agent_id owner(account_id acc) const { return l.account(acc).owner; }
};

namespace {
// Additions from parallel record readers: integer sums commute, so the totals never depend on the threads.
template <class T>
void add(T& target, T amount) {
  std::atomic_ref<T>(target).fetch_add(amount, std::memory_order_relaxed);
}
}  // namespace

void society_model::feedback::add_atomic(double u, double p) {
  add<std::uint64_t>(u < p ? positive : u < p + 0.5 * (1 - p) ? neutral : negative, 1);
}

// A sale's or a service's sentiment, drawn from the record's own stream.
void society_model::record_sentiment(const record_reader& rr, const ledger::transfer_record& r, double quality,
                                     feedback& survey) const {
  rng_stream draws(run_.seed, static_cast<std::uint32_t>(r.id), rr.step, rng_purpose::feedback);
  survey.add_atomic(draws.uniform01(), feedback_positive(quality));
}

void society_model::record_sale(const record_reader& rr, std::uint32_t f, const ledger::transfer_record& r) {
  firm_books& b = firm_books_[f];
  add(b.revenue_now, r.amount);
  add(b.revenue_total, r.amount);
  add<std::uint64_t>(b.sales, 1);
  record_sentiment(rr, r, firm_[f].conduct, b.survey);
}

const std::vector<society_model::record_handler>& society_model::record_handlers() {
  static const std::vector<record_handler> table = [] {
    std::vector<record_handler> t;
    const auto on = [&](reason why, record_handler h) {
      const auto i = static_cast<std::size_t>(why);
      if (t.size() <= i) t.resize(i + 1);
      t[i] = h;
    };
    on(reason::purchase, [](society_model& m, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
      const agent_id buyer = rr.owner(r.debit);
      const std::uint32_t firm = rr.owner(r.credit) - m.citizens_;
      m.record_sale(rr, firm, r);
      if (m.consent_[buyer]) add<std::uint32_t>(m.firm_books_[firm].consenting_now, 1);
      f.purchases += r.amount;
      f.alignment_spend += static_cast<double>(r.amount) * m.alignment(buyer, rr.owner(r.credit));
    });
    on(reason::input_purchase, [](society_model& m, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
      const std::uint32_t customer = rr.owner(r.debit) - m.citizens_, supplier = rr.owner(r.credit) - m.citizens_;
      m.record_sale(rr, supplier, r);
      const auto list = m.chain_.suppliers_of(customer);
      const auto it = std::lower_bound(list.begin(), list.end(), supplier);
      add(m.edge_spend_[m.chain_.offsets[customer] + static_cast<std::size_t>(it - list.begin())], r.amount);
      f.inputs += r.amount;
    });
    // Gross pay is the net wages plus the tax withheld from them.
    on(reason::wage, [](society_model& m, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
      add(m.firm_books_[rr.owner(r.debit) - m.citizens_].wages_paid, r.amount);
      f.wages += r.amount;
    });
    on(reason::income_tax, [](society_model& m, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
      add(m.firm_books_[rr.owner(r.debit) - m.citizens_].wages_paid, r.amount);
      f.wages += r.amount;
      f.income_tax += r.amount;
    });
    // A firm's social spend: CSR, the data tax and delivered social value, to a charity or a common fund.
    const auto social_spend = [](society_model& m, const record_reader& rr, const ledger::transfer_record& r) -> firm_books& {
      firm_books& b = m.firm_books_[rr.owner(r.debit) - m.citizens_];
      add(b.social_spend, r.amount);
      if (m.kind_of_owner(rr.owner(r.credit)) == agent_kind::charity)  // not when paid into a common fund
        add(m.charity_books_[rr.owner(r.credit) - m.citizens_ - m.firms_].received, r.amount);
      return b;
    };
    on(reason::csr, [=](society_model& m, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
      social_spend(m, rr, r);
      f.csr += r.amount;
    });
    on(reason::data_tax, [=](society_model& m, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
      add(social_spend(m, rr, r).data_tax_now, r.amount);
      f.data_tax += r.amount;
    });
    on(reason::social_value, [=](society_model& m, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
      add(social_spend(m, rr, r).delivered_now, r.amount);
      f.delivered += r.amount;
    });
    on(reason::donation, [](society_model& m, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
      citizen_books& c = m.citizen_books_[rr.owner(r.debit)];  // one donation per citizen per step
      c.giving += r.amount;
      ++c.gifts;
      add(m.charity_books_[rr.owner(r.credit) - m.citizens_ - m.firms_].received, r.amount);
      f.donations += r.amount;
    });
    on(reason::service, [](society_model& m, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
      const std::uint32_t h = rr.owner(r.debit) - m.citizens_ - m.firms_;
      charity_books& b = m.charity_books_[h];
      add(b.spent, r.amount);
      add<std::uint64_t>(b.served, 1);
      m.record_sentiment(rr, r, m.charity_quality_[h], b.survey);
      f.services += r.amount;
    });
    on(reason::welfare, [](society_model&, const record_reader&, const ledger::transfer_record& r, flows& f) {
      f.welfare += r.amount;
      ++f.welfare_recipients;
    });
    on(reason::sell_value, [](society_model&, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
      f.sells[r.token - 1].emplace_back(rr.owner(r.debit), r.amount);
    });
    return t;
  }();
  return table;
}

void society_model::read_records(sim::world& w) {
  const ledger::ledger& l = w.ledger();
  for (auto& b : firm_books_) {
    b.revenue_now = 0;
    b.consenting_now = 0;
    b.data_tax_now = 0;
    b.delivered_now = 0;
  }
  const auto& records = l.step_records();
  const record_reader rr{*this, l, l.current_step()};
  const auto& handlers = record_handlers();
  // Fixed blocks of records, each with its own flow totals, summed in block order: the floating-point
  // alignment sum then never depends on how blocks were spread over threads.
  constexpr std::size_t block = 1 << 15;
  std::vector<flows> parts((records.size() + block - 1) / block);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, parts.size(), 1), [&](const auto& range) {
    for (std::size_t part = range.begin(); part != range.end(); ++part) {
      flows& f = parts[part];
      const std::size_t end = std::min(records.size(), (part + 1) * block);
      for (std::size_t i = part * block; i < end; ++i) {
        const ledger::transfer_record& r = records[i];
        if (r.status != 0 || r.reason >= handlers.size() || !handlers[r.reason]) continue;
        handlers[r.reason](*this, rr, r, f);
      }
    }
  });
  for (const flows& p : parts) {
    flows_.purchases += p.purchases;
    flows_.alignment_spend += p.alignment_spend;
    flows_.inputs += p.inputs;
    flows_.wages += p.wages;
    flows_.income_tax += p.income_tax;
    flows_.csr += p.csr;
    flows_.data_tax += p.data_tax;
    flows_.donations += p.donations;
    flows_.services += p.services;
    flows_.welfare += p.welfare;
    flows_.welfare_recipients += p.welfare_recipients;
    delivered_total_ += p.delivered;
    for (std::size_t k = 0; k < deed_categories; ++k)
      flows_.sells[k].insert(flows_.sells[k].end(), p.sells[k].begin(), p.sells[k].end());
  }
}

void society_model::clear_pools(sim::world& w) {
  ledger::ledger& l = w.ledger();
  for (std::size_t k = 0; k < deed_categories; ++k) {
    const auto& sells = flows_.sells[k];  // in record order
    if (sells.empty()) continue;
    amount_t sold = 0;
    std::vector<amount_t> amounts;
    for (const auto& [who, amount] : sells) {
      sold += amount;
      amounts.push_back(amount);
    }
    const amount_t reserve_before = l.balance(pool_tokens_[k]) - sold;
    const auto paid = clear_sells(reserve_before, l.balance(pool_cash_[k]), amounts);
    flows_.sold += sold;
    for (std::size_t i = 0; i < paid.size(); ++i) {
      if (paid[i] <= 0) continue;
      const transfer_intent t{pool_cash_[k], cash_account(sells[i].first), paid[i], 0, 0, code(reason::exchange_payout)};
      if (l.apply(std::span(&t, 1), system_agent) == ledger::status::applied) flows_.payout += paid[i];
    }
  }
}

void society_model::pay_tax_relief(sim::world& w) {
  if (data_.data_tax_relief <= 0) return;
  ledger::ledger& l = w.ledger();
  for (std::uint32_t f = 0; f < firms_; ++f) {
    const amount_t relief = share_of(firm_books_[f].data_tax_now, data_.data_tax_relief);
    if (relief <= 0) continue;
    const transfer_intent t{cash_account(government()), cash_account(firm_agent(f)), relief, 0, 0, code(reason::tax_relief)};
    if (l.apply(std::span(&t, 1), government()) == ledger::status::applied) flows_.relief += relief;
  }
}

void society_model::reward_deeds(sim::world& w) {
  ledger::ledger& l = w.ledger();
  const step_t step = l.current_step();
  // Who did a verified deed, and of which category: drawn in parallel (one stream per citizen), applied in
  // citizen order. Peer influence reads last step's deeds of the citizen's social neighbours.
  constexpr std::uint8_t none = 0xff;
  std::vector<std::uint8_t> deed(citizens_, none);
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, citizens_, 4096), [&](const auto& r) {
    for (agent_id c = r.begin(); c != r.end(); ++c) {
      const auto friends = graph_.neighbours_of(c);
      std::uint32_t active = 0;
      for (const std::uint32_t f : friends) active += did_deed_[f];
      const double peers = friends.empty() ? 0.0 : static_cast<double>(active) / static_cast<double>(friends.size());
      const double p = std::min(1.0, deeds_.deed_probability * (1.0 + deeds_.peer_influence * peers));
      rng_stream draws(run_.seed, c, step, rng_purpose::deed);
      if (draws.uniform01() >= p) continue;
      const double x = draws.uniform01() * deed_weight_[deed_categories - 1][c];
      std::uint8_t k = 0;
      while (static_cast<std::size_t>(k) + 1 < deed_categories && x >= deed_weight_[k][c]) ++k;
      if (draws.uniform01() < deeds_.verification_probability) deed[c] = k;
    }
  });
  const account_id sponsor = cash_account(government());
  std::fill(did_deed_.begin(), did_deed_.end(), 0);
  for (agent_id c = 0; c < citizens_; ++c) {
    if (deed[c] == none) continue;
    if (l.balance(sponsor) < deeds_.deed_backing) break;  // no sponsor money left: later deeds go unrewarded
    const std::size_t k = deed[c];
    // The mint names the backing transfer, which is the next record of this block.
    const std::uint64_t backing_id = ledger::make_transfer_id(step, static_cast<std::uint32_t>(l.step_records().size()));
    const transfer_intent chain[2] = {
        {sponsor, reserve_account_, deeds_.deed_backing, 0, 0, code(reason::deed_backing), ledger::intent_flag::linked},
        {l.issuer_account(value_token(k)), value_account(k, c), deeds_.deed_tokens, backing_id, value_token(k),
         code(reason::good_deed)}};
    if (l.apply(chain, government()) != ledger::status::applied) continue;
    did_deed_[c] = 1;
    ++citizen_books_[c].deeds[k];
    ++flows_.deeds;
    flows_.minted += deeds_.deed_tokens;
  }
}

void society_model::run_tender(sim::world& w) {
  ledger::ledger& l = w.ledger();
  const step_t step = l.current_step();
  if (tenders_.procurement_every == 0 || step % tenders_.procurement_every != 0) return;
  const account_id state = cash_account(government());
  const amount_t budget = share_of(l.balance(state), tenders_.procurement_share);
  if (budget <= 0) return;
  rng_stream draws(run_.seed, 0, step, rng_purpose::tender);
  std::vector<bid> bids;
  for (std::uint32_t i = 0; i < tenders_.procurement_bidders; ++i) {
    const std::uint32_t f = draws.below(firms_);
    const amount_t price = std::clamp<amount_t>(share_of(budget, 0.8 + 0.4 * draws.uniform01()), 1, budget);
    bids.push_back({firm_agent(f), price, share_of(price, firm_[f].sv_share), regime_->may_bid(f), regime_->tender_bonus(f)});
  }
  const auto won = winning_bid(bids, tenders_.social_value_weight);
  if (!won) return;
  const bid& b = bids[*won];
  const transfer_intent t{state, cash_account(b.firm), b.price, 0, 0, code(reason::procurement)};
  if (l.apply(std::span(&t, 1), government()) != ledger::status::applied) return;
  flows_.procurement += b.price;
  firm_books& books = firm_books_[b.firm - citizens_];
  books.pledge_remaining += b.social_value;
  const amount_t period = std::max<amount_t>(1, tenders_.procurement_every);
  books.pledge_rate = (books.pledge_remaining + period - 1) / period;
  pledged_total_ += b.social_value;
  // The contract is a sale like any other: revenue for the next step's spending, and a satisfied or
  // unsatisfied customer (the government) by the firm's conduct.
  books.revenue_now += b.price;
  books.revenue_total += b.price;
  ++books.sales;
  books.survey.add_atomic(draws.uniform01(), feedback_positive(firm_[b.firm - citizens_].conduct));
}

void society_model::plan_pledges() {
  for (std::uint32_t f = 0; f < firms_; ++f) {
    firm_books& b = firm_books_[f];
    const amount_t due = std::min(b.pledge_remaining, b.pledge_rate);
    b.pledge_remaining -= due;
    // An unreliable firm delivers only part of what falls due; the rest of the promise is broken.
    b.pledge_payment = share_of(due, firm_[f].reliability);
    b.revenue_last = b.revenue_now;
    b.consenting_last = b.consenting_now;
  }
}

scoring::se_ratio_inputs society_model::survey_inputs(const feedback& survey, std::uint64_t reached, amount_t spend,
                                                      amount_t assets, double staff) {
  scoring::se_ratio_inputs in;
  in.positive = static_cast<double>(survey.positive);
  in.neutral = static_cast<double>(survey.neutral);
  in.negative = static_cast<double>(survey.negative);
  in.margin_pct = survey_margin_pct;
  in.target_population = static_cast<double>(reached);  // everyone served was asked
  in.csr_spend = static_cast<double>(spend);
  in.service_users = static_cast<double>(reached);
  in.net_assets = static_cast<double>(assets);
  in.staff = staff;
  return in;
}

void society_model::score_organisations(const sim::world& w) {
  const ledger::ledger& l = w.ledger();
  const double minimum_wage = wages_table_.hourly(static_cast<int>(scores_.year));
  for (std::uint32_t f = 0; f < firms_; ++f) {
    const firm_books& b = firm_books_[f];
    const auto staff = static_cast<double>(staff_offsets_[f + 1] - staff_offsets_[f]);
    own_score& o = firm_own_[f];
    o.se = nan;
    o.rag.reset();
    firm_ms_[f] = nan;
    if (staff > 0 && b.wages_paid > 0) {
      const double annual = static_cast<double>(b.wages_paid) * scores_.steps_per_year / static_cast<double>(steps_seen_);
      const auto ms = scoring::modern_slavery(annual, staff, 30.0 + 40.0 * firm_[f].conduct, minimum_wage);
      firm_ms_[f] = ms.score;
      o.rag = ms.rating;
    }
    if (staff > 0 && b.survey.total() > 0 && b.social_spend > 0) {
      scoring::se_ratio_inputs in = survey_inputs(b.survey, b.sales, b.social_spend,
                                                  l.balance(cash_account(firm_agent(f))), staff);
      // CO2 reduced against the society's mean intensity, over everything the firm has sold.
      in.co2_tonnes = (production_.co2_per_1000 - firm_[f].co2) * 0.001 * static_cast<double>(b.revenue_total);
      o.se = scoring::se_ratio(in).se_ratio;
    }
  }
  const std::vector<double> spend(edge_spend_.begin(), edge_spend_.end());
  passports_ = compute_passports(chain_, firm_own_, spend, production_.input_share);
  for (std::uint32_t h = 0; h < charities_; ++h) {
    const charity_books& b = charity_books_[h];
    charity_se_[h] = nan;
    if (b.survey.total() == 0 || b.spent <= 0) continue;
    scoring::se_ratio_inputs in = survey_inputs(b.survey, b.served, b.spent, l.balance(cash_account(charity_agent(h))),
                                                charity_.charity_staff);
    in.people_benefiting = static_cast<double>(b.served);
    in.money_leveraged = static_cast<double>(b.received);
    charity_se_[h] = scoring::se_ratio(in).se_ratio;
  }
}

// ---------------------------------------------------------------------------------------------------
// output

namespace {
double mean_of_finite(std::span<const double> xs) {
  double sum = 0;
  std::size_t n = 0;
  for (const double x : xs)
    if (!std::isnan(x)) {
      sum += x;
      ++n;
    }
  return n ? sum / static_cast<double>(n) : nan;
}
}  // namespace

double society_model::personal_value_of(const sim::world& w, agent_id c) const {
  const citizen_books& b = citizen_books_[c];
  if (b.giving <= 0) return nan;
  const ledger::ledger& l = w.ledger();
  amount_t worth = l.balance(cash_account(c));
  for (std::size_t k = 0; k < deed_categories; ++k) worth += l.balance(value_account(k, c));
  scoring::personal_value_inputs in;
  in.worth = static_cast<double>(worth);
  in.co2_tonnes = co2_per_green_deed * b.deeds[0];
  in.giving = static_cast<double>(b.giving);
  in.people = static_cast<double>(b.gifts + b.deeds[0] + b.deeds[1] + b.deeds[2]);
  return scoring::personal_value(in).pv;
}

// What the step's /series columns are read from: computed once per step, then each column's reporter
// picks its value (Mesa's reporters: a name paired with the code that computes it, never a position).
struct society_model::report {
  const sim::world& w;
  const ledger::ledger& l;
  bool full;  // costly columns (inequality, Personal Value) only on full steps; NaN otherwise
  scoring::distribution_summary cash, value, total;
  double total_value = 0;
  amount_t held = 0;
  double mean_personal_value = 0;
};

std::vector<society_model::column> society_model::make_columns() const {
  const auto amount = [](amount_t v) { return static_cast<double>(v); };
  const auto full_only = [](double v, const report& r) { return r.full ? v : nan; };
  std::vector<column> c = {
      {"gini_cash", [=](const report& r) { return full_only(r.cash.gini, r); }},
      {"gini_value", [=](const report& r) { return full_only(r.value.gini, r); }},
      {"gini_total", [=](const report& r) { return full_only(r.total.gini, r); }},
      {"top10_share_cash", [=](const report& r) { return full_only(r.cash.top10_share, r); }},
      {"bottom50_share_cash", [=](const report& r) { return full_only(r.cash.bottom50_share, r); }},
      {"top10_share_value", [=](const report& r) { return full_only(r.value.top10_share, r); }},
      {"bottom50_share_value", [=](const report& r) { return full_only(r.value.bottom50_share, r); }},
      {"top10_share_total", [=](const report& r) { return full_only(r.total.top10_share, r); }},
      {"bottom50_share_total", [=](const report& r) { return full_only(r.total.bottom50_share, r); }},
      {"mean_cash_citizen", [=](const report& r) { return full_only(r.cash.mean, r); }},
      {"total_value", [](const report& r) { return r.total_value; }},
      {"government_cash", [this](const report& r) { return static_cast<double>(r.l.balance(cash_account(government()))); }},
      {"wages", [=, this](const report&) { return amount(flows_.wages); }},
      {"income_tax", [=, this](const report&) { return amount(flows_.income_tax); }},
      {"purchases", [=, this](const report&) { return amount(flows_.purchases); }},
      {"purchase_alignment",
       [this](const report&) { return flows_.purchases > 0 ? flows_.alignment_spend / static_cast<double>(flows_.purchases) : nan; }},
      {"input_purchases", [=, this](const report&) { return amount(flows_.inputs); }},
      {"csr", [=, this](const report&) { return amount(flows_.csr); }},
      {"donations", [=, this](const report&) { return amount(flows_.donations); }},
      {"services", [=, this](const report&) { return amount(flows_.services); }},
      {"data_tax", [=, this](const report&) { return amount(flows_.data_tax); }},
      {"tax_relief", [=, this](const report&) { return amount(flows_.relief); }},
      {"welfare", [=, this](const report&) { return amount(flows_.welfare); }},
      {"welfare_recipients", [=, this](const report&) { return amount(flows_.welfare_recipients); }},
      {"deeds_verified", [=, this](const report&) { return amount(flows_.deeds); }},
      {"value_minted", [=, this](const report&) { return amount(flows_.minted); }},
      {"value_held", [=](const report& r) { return amount(r.held); }},
      {"value_sold", [=, this](const report&) { return amount(flows_.sold); }},
      {"exchange_payout", [=, this](const report&) { return amount(flows_.payout); }},
  };
  for (std::size_t k = 0; k < deed_categories; ++k)
    c.push_back({std::string("pool_price_") + deed_category_names[k],
                 [this, k](const report& r) { return pool_price(r.l.balance(pool_tokens_[k]), r.l.balance(pool_cash_[k])); }});
  const std::vector<column> organisations = {
      {"procurement", [=, this](const report&) { return amount(flows_.procurement); }},
      {"social_value_pledged", [=, this](const report&) { return amount(pledged_total_); }},
      {"social_value_delivered", [=, this](const report&) { return amount(delivered_total_); }},
      {"mean_se_firms",
       [this](const report&) {
         std::vector<double> se(firms_);
         for (std::uint32_t k = 0; k < firms_; ++k) se[k] = firm_own_[k].se;
         return mean_of_finite(se);
       }},
      {"mean_se_charities", [this](const report&) { return mean_of_finite(charity_se_); }},
      {"share_red", [this](const report&) { return rag_share(scoring::rag::red); }},
      {"share_amber", [this](const report&) { return rag_share(scoring::rag::amber); }},
      {"share_green", [this](const report&) { return rag_share(scoring::rag::green); }},
      {"mean_passport_se",
       [this](const report&) {
         std::vector<double> se;
         for (const std::uint32_t r : retailers_) se.push_back(passports_[r].se);
         return mean_of_finite(se);
       }},
      {"share_red_passport",
       [this](const report&) {
         double red = 0, passported = 0;
         for (const std::uint32_t r : retailers_)
           if (passports_[r].rag) {
             ++passported;
             red += *passports_[r].rag == scoring::rag::red;
           }
         return passported > 0 ? red / passported : nan;
       }},
      {"mean_passport_co2",
       [this](const report&) {
         std::vector<double> co2;
         for (const std::uint32_t r : retailers_) co2.push_back(passports_[r].co2_per_1000);
         return mean_of_finite(co2);
       }},
      {"mean_personal_value", [=](const report& r) { return full_only(r.mean_personal_value, r); }},
      // Misconduct is drawn only under a regime that watches for it; elsewhere it is not modelled (NaN).
      {"misconduct", [=, this](const report&) { return regime_->observes_acts() ? amount(flows_.misconduct) : nan; }},
  };
  c.insert(c.end(), organisations.begin(), organisations.end());
  return c;
}

std::vector<std::string> society_model::metric_columns() const {
  std::vector<std::string> names;
  for (const auto& col : columns_) names.push_back(col.name);
  for (const auto& name : regime_metric_columns()) names.push_back(name);
  return names;
}

double society_model::rag_share(scoring::rag which) const {
  double count = 0, rated = 0;
  for (const own_score& o : firm_own_)
    if (o.rag) {
      count += *o.rag == which;
      ++rated;
    }
  return rated > 0 ? count / rated : nan;
}

void society_model::score(const sim::world& w, bool full, std::span<double> out) const {
  const ledger::ledger& l = w.ledger();
  report r{w, l, full};
  // Distributions over citizens: cash, value tokens (at face value), and their sum.
  if (full) {
    std::vector<amount_t> cash(citizens_), value(citizens_), total(citizens_);
    tbb::parallel_for(tbb::blocked_range<agent_id>(0, citizens_, 4096), [&](const auto& range) {
      for (agent_id c = range.begin(); c != range.end(); ++c) {
        cash[c] = l.balance(cash_account(c));
        value[c] = 0;
        for (std::size_t k = 0; k < deed_categories; ++k) value[c] += l.balance(value_account(k, c));
        total[c] = cash[c] + value[c];
      }
    });
    tbb::parallel_invoke([&] { r.cash = scoring::summarize(std::move(cash)); },
                         [&] { r.value = scoring::summarize(std::move(value)); },
                         [&] { r.total = scoring::summarize(std::move(total)); });
    std::vector<double> pv(citizens_);
    tbb::parallel_for(tbb::blocked_range<agent_id>(0, citizens_, 4096), [&](const auto& range) {
      for (agent_id c = range.begin(); c != range.end(); ++c) pv[c] = personal_value_of(w, c);
    });
    r.mean_personal_value = mean_of_finite(pv);  // a serial sum in citizen order: the same at any thread count
  }
  // Total value: every agent's cash and value tokens, plus each scored organisation's social value (its
  // cash x S/E).
  for (agent_id a = 0; a <= government(); ++a) r.total_value += static_cast<double>(l.balance(cash_account(a)));
  for (std::size_t k = 0; k < deed_categories; ++k)
    for (agent_id c = 0; c < citizens_; ++c) r.held += l.balance(value_account(k, c));
  r.total_value += static_cast<double>(r.held);
  for (std::uint32_t f = 0; f < firms_; ++f)
    if (!std::isnan(firm_own_[f].se))
      r.total_value += scoring::social_value(static_cast<double>(l.balance(cash_account(firm_agent(f)))), firm_own_[f].se) -
                       static_cast<double>(l.balance(cash_account(firm_agent(f))));
  for (std::uint32_t h = 0; h < charities_; ++h)
    if (!std::isnan(charity_se_[h]))
      r.total_value += scoring::social_value(static_cast<double>(l.balance(cash_account(charity_agent(h)))), charity_se_[h]) -
                       static_cast<double>(l.balance(cash_account(charity_agent(h))));
  CIVITAS_ASSERT(out.size() == columns_.size() + regime_metric_columns().size());
  for (std::size_t i = 0; i < columns_.size(); ++i) out[i] = columns_[i].value(r);
  // A regime fills the columns it has; the others stay NaN.
  const auto regime_out = out.subspan(columns_.size());
  std::fill(regime_out.begin(), regime_out.end(), nan);
  regime_->score(*this, w, regime_out);
}

std::vector<amount_t> society_model::snapshot_balances(const sim::world& w) const {
  // Every account an agent owns, by token: the society's cash and value tokens and whatever its regime
  // opened (credit scores, ...). System accounts (issuers, pools) belong to no agent and are left out.
  const ledger::ledger& l = w.ledger();
  const std::size_t tokens = l.token_count(), agents = government() + 1;
  std::vector<amount_t> out(agents * tokens, 0);
  for (std::size_t a = 0; a < l.account_count(); ++a) {
    const ledger::account_info& info = l.account(static_cast<account_id>(a));
    if (info.owner < agents && !(info.flags & ledger::account_flag::issuer))
      out[info.owner * tokens + info.token] += l.balance(static_cast<account_id>(a));
  }
  return out;
}

std::vector<std::string> society_model::score_columns() const {
  return {"se_ratio", "modern_slavery", "rag", "passport_se", "passport_rag", "passport_co2", "personal_value",
          "deeds", "alignment_employer", "credit_score"};
}

std::vector<double> society_model::snapshot_scores(const sim::world& w) const {
  const std::size_t cols = score_columns().size();
  std::vector<double> out((government() + 1) * cols, nan);
  auto rag_value = [](const std::optional<scoring::rag>& r) { return r ? static_cast<double>(*r) : nan; };
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, citizens_, 4096), [&](const auto& r) {
    for (agent_id c = r.begin(); c != r.end(); ++c) {
      double* row = &out[c * cols];
      row[6] = personal_value_of(w, c);
      const citizen_books& b = citizen_books_[c];
      row[7] = b.deeds[0] + b.deeds[1] + b.deeds[2];
      if (employer_[c] != no_employer) row[8] = alignment(c, firm_agent(employer_[c]));
    }
  });
  for (std::uint32_t f = 0; f < firms_; ++f) {
    double* row = &out[firm_agent(f) * cols];
    row[0] = firm_own_[f].se;
    row[1] = firm_ms_[f];
    row[2] = rag_value(firm_own_[f].rag);
    row[3] = passports_[f].se;
    row[4] = rag_value(passports_[f].rag);
    row[5] = passports_[f].co2_per_1000;
  }
  for (std::uint32_t h = 0; h < charities_; ++h) out[charity_agent(h) * cols] = charity_se_[h];
  for (agent_id a = 0; a <= government(); ++a) out[a * cols + 9] = regime_->agent_score(a);
  return out;
}

void society_model::describe(io::run_layout& layout) const {
  for (std::uint32_t k = 0; k < dims_; ++k)
    layout.value_dimension_names.push_back(dimensions_[k].code + " " + dimensions_[k].name);
  layout.social_edges = graph_.edge_list();
  for (const auto& [supplier, customer] : chain_.edge_list())
    layout.supply_edges.emplace_back(firm_agent(supplier), firm_agent(customer));
}

}  // namespace civitas::society
