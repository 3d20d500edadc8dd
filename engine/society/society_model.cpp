// The society model: builds the state in setup and runs the behaviours (society/behaviours/) over it in
// one fixed order per phase. That order is part of every head hash (docs/architecture.md, "One step"):
//   decide, per citizen (one stream, drawn in this order): consumption, giving, the regime's extra
//     intents, pools;  per firm (one purse, paid in this order): production inputs, data tax, CSR, the
//     pledge due, wages;  per charity: services;  the government: welfare;
//   govern: read the step's records (each behaviour's handlers), the regime's reward for the step's gifts,
//     data consent for the next step (logit rule), income, clear the pools, tax relief, good
//     deeds, the tender, pledges, organisation scores, misconduct, the regime's govern, and misconduct
//     learning (from the sanctions the regime charged), and firms' review of their levers (on review steps);
//   score: the behaviours' columns in this order: population, labour, consumption, production, giving,
//     charity services, data, welfare, good deeds, pools, tenders, organisation scores, misconduct, income,
//     firm strategy; then the regime's.
#include "society/society_model.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/assert.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "scoring/inequality.hpp"
#include "sim/world.hpp"
#include "society/dimensions.hpp"
#include "society/pool.hpp"

namespace civitas::society {
namespace {

using ledger::transfer_intent;

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
    : society_state(s, std::move(regime)) {
  wages_table_.hourly(static_cast<int>(scores_.year));  // fail early, naming the known years
  columns_ = make_columns();
  dimensions_ = load_default_dimensions();
  if (dimensions_.size() < dims_)
    throw input_error(
        std::vector<diagnostic>{{(scoring::data_dir() / "sdg_dimensions.csv").string(), 0, 0,
                                 "values.dimensions is " + std::to_string(dims_) +
                                     " but the table names only " + std::to_string(dimensions_.size())}});
}

// ---------------------------------------------------------------------------------------------------
// set-up

void society_model::setup(sim::world& w) {
  const std::uint32_t n = government() + 1;
  civitas::population& p = w.agents();
  p.kind.resize(n);
  p.values.resize(n, dims_);

  // Values: citizens and firms spread over many goals (u^e, e = values.spread_exponent), charities focus on
  // a few (values.focus_exponent); the government values every goal equally. One stream per agent, so
  // generation is order-free.
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, n, 4096), [&](const auto& r) {
    for (agent_id a = r.begin(); a != r.end(); ++a) {
      const agent_kind k = kind_of(a);
      p.kind[a] = k;
      rng_stream draws(run_.seed, a, 0, rng_purpose::initial_state);
      for (std::uint32_t d = 0; d < dims_; ++d) {
        const double u = draws.uniform01();
        p.values(a, d) = k == agent_kind::government ? 1.0
                         : k == agent_kind::charity  ? std::pow(u, values_p_.focus_exponent)
                                                     : std::pow(u, values_p_.spread_exponent);
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
    org_unit_.col(o) =
        norm > 0 ? (row / norm).transpose().cast<float>().eval() : Eigen::VectorXf::Zero(dims_);
  }

  // Firms: a stage in the supply chain, and traits drawn from each firm's own stream.
  chain_ = network::make_supply_chain(firms_, production_.raw_share, production_.manufacturer_share,
                                      production_.suppliers_per_firm, run_.seed);
  firm_.resize(firms_);
  std::vector<double> size_weight(firms_);
  for (std::uint32_t f = 0; f < firms_; ++f) {
    rng_stream draws(run_.seed, firm_agent(f), 1, rng_purpose::initial_state);
    firm_traits& t = firm_[f];
    t.stage = chain_.stage[f];
    size_weight[f] = lognormal_mean_one(draws, labour_.firm_size_sigma);
    t.wage = std::max<amount_t>(1, std::llround(static_cast<double>(labour_.wage_mean) *
                                                lognormal_mean_one(draws, labour_.wage_sigma)));
    t.price = lognormal_mean_one(draws, consumption_.price_sigma);
    t.co2 = production_.co2_per_1000 * lognormal_mean_one(draws, production_.co2_sigma);
    t.conduct = draws.uniform01();
    t.sv_share = tenders_.sv_share_max * draws.uniform01();
    t.reliability = tenders_.reliability_min + (1 - tenders_.reliability_min) * draws.uniform01();
    t.csr = production_.csr_share;
    stage_firms_[t.stage].push_back(f);
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
  firm_base_ = firm_;
  charity_quality_.resize(charities_);
  for (std::uint32_t h = 0; h < charities_; ++h) {
    rng_stream draws(run_.seed, charity_agent(h), 1, rng_purpose::initial_state);
    charity_quality_[h] = charity_.quality_min + (1 - charity_.quality_min) * draws.uniform01();
  }

  // Citizens: data consent, employment, deed category weights. Employers are assigned in citizen order,
  // each firm taking a run of consecutive employed citizens in proportion to its size: co-workers are
  // then neighbours on the small-world ring (workplaces are part of the social fabric), and a payroll
  // credits neighbouring accounts, which keeps settling wages cache-friendly at 10^6 citizens. Under
  // staffing = "market" the job market then moves staff between firms (job_market.hpp).
  std::vector<double> cumulative(firms_);
  std::partial_sum(size_weight.begin(), size_weight.end(), cumulative.begin());
  consent_.resize(citizens_);
  // The first step's consent: under the logit rule its chance, from the same draw (data.hpp).
  const double consent_chance = data::consent_probability(*this);
  employer_.assign(citizens_, no_employer);
  seeking_.assign(citizens_, 0);
  productivity_.resize(citizens_);
  spend_share_.resize(citizens_);
  std::vector<std::uint8_t> employed(citizens_);
  for (auto& weights : deed_weight_) weights.resize(citizens_);
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, citizens_, 4096), [&](const auto& r) {
    for (agent_id c = r.begin(); c != r.end(); ++c) {
      rng_stream draws(run_.seed, c, 1, rng_purpose::initial_state);
      consent_[c] = draws.uniform01() < consent_chance;
      employed[c] = draws.uniform01() < labour_.employment_rate;
      // Drawn after the traits above, so a zero sigma (a multiplier of exactly 1) changes nothing.
      productivity_[c] = static_cast<std::uint32_t>(
          std::llround(labour::productivity_unit * lognormal_mean_one(draws, labour_.productivity_sigma)));
      spend_share_[c] = std::min(1.0, consumption_.consumption_share *
                                          lognormal_mean_one(draws, consumption_.consumption_share_sigma));
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
        firms_ - 1, static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), x) -
                                             cumulative.begin())));
  }
  job_market::list_staff(*this);

  graph_ = network::make_social_graph(graph_p_.graph, citizens_, graph_p_.mean_degree, graph_p_.graph_param,
                                      run_.seed);

  // Ledger: cash (system issuer), one value token per category (the government is the rewarding body).
  ledger::ledger& l = w.ledger();
  const token_id cash = l.add_token({"cash", ledger::token_kind::cash}, system_agent);
  l.authorise_mint(cash, code(ledger::reason::endowment));
  for (std::size_t k = 0; k < deed_categories; ++k) {
    const token_id t = l.add_token({deed_category_names[k], ledger::token_kind::value}, government());
    CIVITAS_ASSERT(t == value_token(k));
    l.authorise_mint(t, code(society::reason::good_deed));
    l.authorise_mint(t, code(ledger::reason::endowment));  // the pools' opening reserves
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
  income::start(*this);
  edge_spend_.assign(chain_.suppliers.size(), 0);
  did_deed_.assign(citizens_, 0);
  gift_now_.assign(citizens_, 0);
  gave_.assign(citizens_, 0);
  firm_own_.assign(firms_, {nan, std::nullopt, 0});
  for (std::uint32_t f = 0; f < firms_; ++f) firm_own_[f].co2_per_1000 = firm_[f].co2;
  firm_ms_.assign(firms_, nan);
  wage_marks_.assign(static_cast<std::size_t>(firms_) * scores_.ms_window, 0);
  charity_se_.assign(charities_, nan);
  charity_social_impact_.assign(charities_, nan);
  passports_ = compute_passports(chain_, firm_own_, std::vector<double>(edge_spend_.size(), 0.0),
                                 production_.input_share);
  misconduct_.assign(citizens_, 0);
  regime_->setup(*this, w);  // last: the regime's accounts follow the society's
}

void society_model::endow(sim::world& w) {
  population::endow(*this, w);
  regime_->endow(*this, w);
  firm_strategy::start(*this, w);  // after genesis: a firm's first review measures from its opening cash
}

// ---------------------------------------------------------------------------------------------------
// decide

void society_model::decide(const sim::world& w, ledger::intent_chunk& chunk, agent_id first,
                           agent_id end) const {
  const auto balances = w.ledger().balances();
  const step_t step = w.ledger().current_step();
  for (agent_id a = first; a < end; ++a) {
    chunk.start_agent();
    switch (kind_of(a)) {
      case agent_kind::citizen:
        decide_citizen(balances, step, a, chunk.intents);
        break;
      case agent_kind::firm:
        decide_firm(balances, a - citizens_, chunk.intents);
        break;
      case agent_kind::charity:
        charity_services::decide(*this, balances, step, a - citizens_ - firms_, chunk.intents);
        break;
      case agent_kind::government:
        welfare::decide(*this, balances, chunk.intents);
        break;
    }
  }
}

void society_model::decide_citizen(std::span<const amount_t> balances, step_t step, agent_id a,
                                   std::vector<transfer_intent>& out) const {
  const amount_t cash = balances[cash_account(a)];
  // One stream for all of a citizen's choices in a step, drawn in a fixed order.
  rng_stream draws(run_.seed, a, step, purpose::citizen);
  consumption::decide(*this, a, cash, draws, out);
  giving::decide(*this, a, cash, step, draws, out);
  regime_->decide_citizen(a, balances, step, out);
  pools::decide(*this, balances, a, draws, out);
}

void society_model::decide_firm(std::span<const amount_t> balances, std::uint32_t f,
                                std::vector<transfer_intent>& out) const {
  // Obligations first, each capped by what is left; wages from the rest.
  const account_id me = cash_account(firm_agent(f));
  firm_purse purse{me, balances[me], out};
  production::buy_inputs(*this, f, purse);
  data::pay_tax(*this, f, purse);
  production::pay_csr(*this, f, purse);
  tenders::pay_pledge(*this, f, purse);
  labour::pay_wages(*this, f, purse);
}

// ---------------------------------------------------------------------------------------------------
// govern

void society_model::govern(sim::world& w) {
  flows_ = {};
  ++steps_seen_;
  read_records(w);
  giving::reward(*this, *this, w);
  data::decide_consent(*this, w);    // for the next step's purchases
  job_market::move_staff(*this, w);  // from this step's wages, before income::update clears them
  income::update(*this);
  pools::clear(*this, w);
  data::pay_relief(*this, w);
  good_deeds::reward(*this, w);
  tenders::run(*this, w);
  tenders::plan_pledges(*this);
  organisation_scores::score(*this, w);
  let_regime_govern(w);
  firm_strategy::review(*this, w);  // last: profits include the sanctions the regime has just charged
}

void society_model::let_regime_govern(sim::world& w) {
  if (!misconduct::modelled(*this)) {
    regime_->govern(*this, w, step_acts{});
    return;
  }
  misconduct::draw(*this, w);
  std::vector<std::uint8_t> firm_good(firms_), firm_bad(firms_);
  for (std::uint32_t f = 0; f < firms_; ++f) {
    firm_good[f] = firm_books_[f].delivered_now > 0;
    firm_bad[f] = firm_own_[f].rag == scoring::rag::red;
  }
  const std::size_t first_record = w.ledger().step_records().size();
  regime_->govern(*this, w, step_acts{did_deed_, misconduct_, firm_good, firm_bad});
  misconduct::learn(*this, w, first_record);  // from the sanctions the regime has just charged
}

// Every behaviour's handlers of the step's records, by reason code.
const record_table& society_model::records() {
  static const record_table table = [] {
    record_table t;
    labour::read(t);
    consumption::read(t);
    production::read(t);
    data::read(t);
    tenders::read(t);
    giving::read(t);
    charity_services::read(t);
    welfare::read(t);
    pools::read(t);
    return t;
  }();
  return table;
}

void society_model::read_records(sim::world& w) {
  const ledger::ledger& l = w.ledger();
  for (auto& b : firm_books_) {
    b.revenue_now = 0;
    b.wages_now = 0;
    b.consenting_now = 0;
    b.data_tax_now = 0;
    b.delivered_now = 0;
  }
  std::fill(gift_now_.begin(), gift_now_.end(), 0);
  const auto& rows = l.step_records();
  const record_reader rr{l, l.current_step(), rows.data()};
  const auto& handlers = records().by_reason;
  society_state& s = *this;
  // Fixed blocks of records, each with its own flow totals, summed in block order: the floating-point
  // alignment sum then never depends on how blocks were spread over threads.
  constexpr std::size_t block = 1 << 15;
  std::vector<flows> parts((rows.size() + block - 1) / block);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, parts.size(), 1), [&](const auto& range) {
    for (std::size_t part = range.begin(); part != range.end(); ++part) {
      flows& f = parts[part];
      const std::size_t end = std::min(rows.size(), (part + 1) * block);
      for (std::size_t i = part * block; i < end; ++i) {
        const ledger::transfer_record& r = rows[i];
        if (r.status != 0 || r.reason >= handlers.size() || !handlers[r.reason]) continue;
        handlers[r.reason](s, rr, r, f);
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
    flows_.donors += p.donors;
    flows_.services += p.services;
    flows_.welfare += p.welfare;
    flows_.welfare_recipients += p.welfare_recipients;
    delivered_total_ += p.delivered;
    for (std::size_t k = 0; k < deed_categories; ++k)
      flows_.sells[k].insert(flows_.sells[k].end(), p.sells[k].begin(), p.sells[k].end());
  }
}

// ---------------------------------------------------------------------------------------------------
// output

std::vector<column> society_model::make_columns() const {
  std::vector<column> c;
  for (auto part :
       {population::columns(*this), labour::columns(*this), consumption::columns(*this),
        production::columns(*this), giving::columns(*this), charity_services::columns(*this),
        data::columns(*this), welfare::columns(*this), good_deeds::columns(*this), pools::columns(*this),
        tenders::columns(*this), organisation_scores::columns(*this), misconduct::columns(*this),
        income::columns(*this), job_market::columns(*this), firm_strategy::columns(*this)})
    for (auto& col : part) c.push_back(std::move(col));
  return c;
}

std::vector<std::string> society_model::metric_columns() const {
  std::vector<std::string> names;
  for (const auto& col : columns_) names.push_back(col.name);
  for (const auto& name : regime_metric_columns()) names.push_back(name);
  for (auto& name : regime_->own_columns()) names.push_back(std::move(name));
  return names;
}

double society_model::goal_weight(agent_id citizen, std::size_t category) const {
  const std::uint32_t goal = deed_category_sdg[category];
  return goal < dims_ ? (*values_)(citizen, goal) : 1.0 / deed_categories;
}

std::vector<ledger::code_name> society_model::reasons() const {
  std::vector<ledger::code_name> out(ledger::ledger_reasons.begin(), ledger::ledger_reasons.end());
  out.insert(out.end(), society_reasons.begin(), society_reasons.end());
  for (const auto& r : regime_->reasons()) out.push_back(r);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.code < b.code; });
  return out;
}

void society_model::score(const sim::world& w, bool full, std::span<double> out) const {
  const ledger::ledger& l = w.ledger();
  report r{l, full};
  // Distributions over citizens: cash, value tokens (at face value), and their sum.
  if (full) {
    // Wealth values the tokens at what the pools would pay now (face value where a pool is empty).
    std::array<double, deed_categories> price{};
    for (std::size_t k = 0; k < deed_categories; ++k) {
      price[k] = pool_price(l.balance(pool_tokens_[k]), l.balance(pool_cash_[k]));
      if (!std::isfinite(price[k])) price[k] = 1;
    }
    std::vector<amount_t> cash(citizens_), value(citizens_), total(citizens_), wealth(citizens_);
    tbb::parallel_for(tbb::blocked_range<agent_id>(0, citizens_, 4096), [&](const auto& range) {
      for (agent_id c = range.begin(); c != range.end(); ++c) {
        cash[c] = l.balance(cash_account(c));
        value[c] = 0;
        double w = static_cast<double>(cash[c]);
        for (std::size_t k = 0; k < deed_categories; ++k) {
          const amount_t tokens = l.balance(value_account(k, c));
          value[c] += tokens;
          w += price[k] * static_cast<double>(tokens);
        }
        total[c] = cash[c] + value[c];
        wealth[c] = std::max<amount_t>(0, std::llround(w));
      }
    });
    tbb::parallel_invoke([&] { r.cash = scoring::summarize(std::move(cash)); },
                         [&] { r.value = scoring::summarize(std::move(value)); },
                         [&] { r.total = scoring::summarize(std::move(total)); },
                         [&] { r.wealth_gini = scoring::summarize(std::move(wealth)).gini; });
    std::vector<double> pv(citizens_);
    tbb::parallel_for(tbb::blocked_range<agent_id>(0, citizens_, 4096), [&](const auto& range) {
      for (agent_id c = range.begin(); c != range.end(); ++c)
        pv[c] = organisation_scores::personal_value_of(*this, l, c);
    });
    r.mean_personal_value =
        mean_of_finite(pv);  // a serial sum in citizen order: the same at any thread count
  }
  // Total value = financial value (every agent's cash and value tokens) + social impact SI = C x S/E of
  // each scored organisation's social spend C (its cash enters S/E once, through the sentiment term, so
  // the sum grows with cash, not with cash squared as cash x S/E did).
  for (agent_id a = 0; a <= government(); ++a)
    r.financial_value += static_cast<double>(l.balance(cash_account(a)));
  for (std::size_t k = 0; k < deed_categories; ++k)
    for (agent_id c = 0; c < citizens_; ++c) r.held += l.balance(value_account(k, c));
  r.financial_value += static_cast<double>(r.held);
  std::vector<double> impacts;  // in organisation order: the sums are the same at any thread count
  for (std::uint32_t f = 0; f < firms_; ++f)
    if (!std::isnan(firm_own_[f].social_impact)) {
      impacts.push_back(firm_own_[f].social_impact);
      r.social_spend += static_cast<double>(firm_books_[f].social_spend);
    }
  for (std::uint32_t h = 0; h < charities_; ++h)
    if (!std::isnan(charity_social_impact_[h])) {
      impacts.push_back(charity_social_impact_[h]);
      r.social_spend += static_cast<double>(charity_books_[h].spent);
    }
  for (const double si : impacts) r.social_impact += si;
  r.total_value = r.financial_value + r.social_impact;
  r.social_impact_median = scoring::quantile(impacts, 0.5);
  r.social_impact_p90 = scoring::quantile(impacts, 0.9);
  const std::size_t shared = regime_metric_columns().size(), own = regime_->own_columns().size();
  CIVITAS_ASSERT(out.size() == columns_.size() + shared + own);
  for (std::size_t i = 0; i < columns_.size(); ++i) out[i] = columns_[i].value(r);
  // A regime fills the columns it has; the others keep their defaults (0 for counts, NaN otherwise).
  regime_row row(out.subspan(columns_.size(), shared));
  regime_->score(*this, w, row);
  if (own > 0) regime_->score_own(out.subspan(columns_.size() + shared));
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
  return {"se_ratio",     "modern_slavery", "rag",   "passport_se",        "passport_rag",
          "passport_co2", "personal_value", "deeds", "alignment_employer", "credit_score"};
}

std::vector<double> society_model::snapshot_scores(const sim::world& w) const {
  const std::size_t cols = score_columns().size();
  std::vector<double> out((government() + 1) * cols, nan);
  auto rag_value = [](const std::optional<scoring::rag>& r) { return r ? static_cast<double>(*r) : nan; };
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, citizens_, 4096), [&](const auto& r) {
    for (agent_id c = r.begin(); c != r.end(); ++c) {
      double* row = &out[c * cols];
      row[6] = organisation_scores::personal_value_of(*this, w.ledger(), c);
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
