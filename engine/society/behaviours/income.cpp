#include "society/behaviours/income.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "society/state.hpp"

namespace civitas::society::income {
namespace {

// Gini of non-negative doubles, through the integer routine: scaled to hundredths (Gini is scale-free).
double gini_of(std::vector<double> xs) {
  std::vector<amount_t> v(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) v[i] = std::llround(std::max(0.0, xs[i]) * 100.0);
  return scoring::summarize(std::move(v)).gini;
}

}  // namespace

void start(society_state& s) {
  income_books& b = s.income_;
  b.net_now.assign(s.citizens_, 0);
  b.wage_now.assign(s.citizens_, 0);
  b.tax_now.assign(s.firms_, 0);
  b.net_annual.assign(s.citizens_, 0);
  b.gross_annual.assign(s.citizens_, 0);
  b.earnings_annual.assign(s.citizens_, 0);
  b.steps_employed.assign(s.citizens_, 0);
}

void add_net(society_state& s, agent_id citizen, amount_t amount) {
  add_atomic(s.income_.net_now[citizen], amount);
}

void update(society_state& s) {
  income_books& b = s.income_;
  // A running mean over the steps so far, then over the last year (weight 1/year): the first year is
  // then exact, and later years forget at the survey's horizon.
  const double weight =
      1.0 / static_cast<double>(std::min<std::uint64_t>(s.steps_seen_, s.scores_.steps_per_year));
  const bool individual = labour::individual_pay(s.labour_);
  tbb::parallel_for(tbb::blocked_range<agent_id>(0, s.citizens_, 4096), [&](const auto& range) {
    for (agent_id c = range.begin(); c != range.end(); ++c) {
      const std::uint32_t firm = s.employer_[c];
      // One wage per firm: the firm's tax per worker; individual pay: the tax on this worker's net wage,
      // as labour::pay_wages withheld it.
      const amount_t tax = b.wage_now[c] <= 0 || firm == no_employer ? 0
                           : individual
                               ? labour::gross_of_net(b.wage_now[c], s.labour_.income_tax) - b.wage_now[c]
                               : b.tax_now[firm];
      const auto net = static_cast<double>(b.net_now[c]);
      b.net_annual[c] += weight * (net - b.net_annual[c]);
      b.gross_annual[c] += weight * (net + static_cast<double>(tax) - b.gross_annual[c]);
      if (b.wage_now[c] > 0) {
        ++b.steps_employed[c];
        const double w =
            1.0 / static_cast<double>(std::min<std::uint32_t>(b.steps_employed[c], s.scores_.steps_per_year));
        b.earnings_annual[c] += w * (static_cast<double>(b.wage_now[c] + tax) - b.earnings_annual[c]);
      }
      b.net_now[c] = b.wage_now[c] = 0;
    }
  });
  std::fill(b.tax_now.begin(), b.tax_now.end(), 0);
}

std::vector<column> columns(const society_state& s) {
  // Distributions only on full steps (output.metrics_every), as the other inequality columns.
  return {
      {"gini_income_net", [&s](const report& r) { return r.full ? gini_of(s.income_.net_annual) : nan; }},
      {"gini_income_gross", [&s](const report& r) { return r.full ? gini_of(s.income_.gross_annual) : nan; }},
      {"mean_income_net",
       [&s](const report&) {
         double sum = 0;  // in citizen order: thread-independent
         for (const double x : s.income_.net_annual) sum += x;
         return s.citizens_ ? sum / s.citizens_ : nan;
       }},
      {"earnings_p90_p10",
       [&s](const report& r) {
         if (!r.full) return nan;
         std::vector<double> employed;
         for (agent_id c = 0; c < s.citizens_; ++c)
           if (s.income_.steps_employed[c] > 0) employed.push_back(s.income_.earnings_annual[c]);
         const double p10 = scoring::quantile(employed, 0.1);
         return p10 > 0 ? scoring::quantile(employed, 0.9) / p10 : nan;
       }},
      {"gini_wealth", [](const report& r) { return r.full ? r.wealth_gini : nan; }},
  };
}

}  // namespace civitas::society::income
