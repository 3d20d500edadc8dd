#include "society/state.hpp"

namespace civitas::society {

society_state::society_state(const params::scenario& s, std::unique_ptr<policy> regime)
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
      firm_strategy_p_(s.get<firm_strategy_params>()),
      citizens_(s.get<sim::population_params>().citizens),
      firms_(org_.firms),
      charities_(org_.charities),
      dims_(values_p_.dimensions),
      wages_table_(scoring::minimum_wage_table::load_default()),
      regime_(std::move(regime)) {}

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

agent_kind society_state::kind_of_owner(agent_id a) const {
  return a == system_agent ? agent_kind::government
                           : kind_of(a);  // system accounts: nobody's, never a charity
}

agent_kind society_state::kind_of(agent_id a) const {
  if (a < citizens_) return agent_kind::citizen;
  if (a < citizens_ + firms_) return agent_kind::firm;
  if (a < government()) return agent_kind::charity;
  return agent_kind::government;
}

double society_state::alignment(agent_id citizen, agent_id other) const {
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

void feedback::add_atomic(double u, double p) {
  society::add_atomic<std::uint64_t>(u < p ? positive : u < p + 0.5 * (1 - p) ? neutral : negative, 1);
}

void record_sentiment(const society_state& s, const record_reader& rr, const ledger::transfer_record& r,
                      double quality, feedback& survey) {
  rng_stream draws(s.run_.seed, rr.position(r), rr.step, purpose::feedback);
  survey.add_atomic(draws.uniform01(), s.feedback_positive(quality));
}

void record_sale(society_state& s, const record_reader& rr, std::uint32_t f,
                 const ledger::transfer_record& r) {
  firm_books& b = s.firm_books_[f];
  add_atomic(b.revenue_now, r.amount);
  add_atomic(b.revenue_total, r.amount);
  add_atomic<std::uint64_t>(b.sales, 1);
  record_sentiment(s, rr, r, s.firm_[f].conduct, b.survey);
}

firm_books& record_social_spend(society_state& s, const record_reader& rr, const ledger::transfer_record& r) {
  firm_books& b = s.firm_books_[rr.owner(r.debit) - s.citizens_];
  add_atomic(b.social_spend, r.amount);
  if (s.kind_of_owner(rr.owner(r.credit)) == agent_kind::charity)  // not when paid into a common fund
    add_atomic(s.charity_books_[rr.owner(r.credit) - s.citizens_ - s.firms_].received, r.amount);
  return b;
}

}  // namespace civitas::society
