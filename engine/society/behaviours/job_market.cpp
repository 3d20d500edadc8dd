#include "society/behaviours/job_market.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/world.hpp"
#include "society/state.hpp"

namespace civitas::society::job_market {

void list_staff(society_state& s) {
  s.staff_offsets_.assign(s.firms_ + 1, 0);
  for (agent_id c = 0; c < s.citizens_; ++c)
    if (s.employer_[c] != no_employer) ++s.staff_offsets_[s.employer_[c] + 1];
  std::partial_sum(s.staff_offsets_.begin(), s.staff_offsets_.end(), s.staff_offsets_.begin());
  s.staff_.resize(s.staff_offsets_.back());
  std::vector<std::uint64_t> next(s.staff_offsets_.begin(), s.staff_offsets_.end() - 1);
  for (agent_id c = 0; c < s.citizens_; ++c)
    if (s.employer_[c] != no_employer) s.staff_[next[s.employer_[c]]++] = c;
}

void move_staff(society_state& s, const sim::world& w) {
  job_books& j = s.jobs_;
  j.hires_now = j.layoffs_now = j.seekers_now = 0;
  if (s.labour_.staffing != labour::staffing_rule::market) return;
  std::vector<std::uint32_t> vacancies(s.firms_, 0);
  for (std::uint32_t f = 0; f < s.firms_; ++f) {
    const std::uint64_t first = s.staff_offsets_[f], last = s.staff_offsets_[f + 1];
    const auto staff = static_cast<double>(last - first);
    const amount_t wage = s.firm_[f].wage;
    if (last == first) {
      // A firm without staff hires one worker once its cash covers that worker's buffer and a step's pay.
      const amount_t cash = w.ledger().balance(s.cash_account(s.firm_agent(f)));
      vacancies[f] = cash >= static_cast<amount_t>(s.labour_.firm_cash_weeks + 1) * wage ? 1 : 0;
      continue;
    }
    // Staff the payroll did not reach this step are let go (under `ration`, the last in staff order).
    for (std::uint64_t i = first; i < last; ++i) {
      const agent_id c = s.staff_[i];
      if (s.income_.wage_now[c] > 0) continue;
      s.employer_[c] = no_employer;
      s.seeking_[c] = 1;
      ++j.layoffs_now;
    }
    // A bonus above the contracts (beyond the payroll's rounding of a unit per worker) opens vacancies.
    const double contracted = labour::contracted_payroll(s, f, wage);
    const auto paid = static_cast<double>(s.firm_books_[f].wages_now);
    if (paid > contracted + staff + 1)
      vacancies[f] = static_cast<std::uint32_t>(std::floor((paid - contracted) / (contracted / staff)));
  }
  // Job seekers in a random order for the step (Fisher-Yates on one stream), then the vacancies filled
  // firm by firm.
  std::vector<agent_id> seekers;  // seeking_ is set when a worker is let go and cleared when it is hired
  for (agent_id c = 0; c < s.citizens_; ++c)
    if (s.seeking_[c]) seekers.push_back(c);
  rng_stream draws(s.run_.seed, s.government(), w.ledger().current_step(), purpose::job_market);
  for (std::size_t i = seekers.size(); i > 1; --i)
    std::swap(seekers[i - 1], seekers[draws.below(static_cast<std::uint32_t>(i))]);
  std::size_t next = 0;
  for (std::uint32_t f = 0; f < s.firms_ && next < seekers.size(); ++f)
    for (std::uint32_t v = 0; v < vacancies[f] && next < seekers.size(); ++v) {
      s.employer_[seekers[next]] = f;
      s.seeking_[seekers[next++]] = 0;
      ++j.hires_now;
    }
  j.seekers_now = seekers.size() - next;
  if (j.hires_now > 0 || j.layoffs_now > 0) list_staff(s);
}

std::vector<column> columns(const society_state& s) {
  return {{"employed_share",
           [&s](const report&) {
             return s.citizens_ ? static_cast<double>(s.staff_offsets_[s.firms_]) / s.citizens_ : nan;
           }},
          {"job_seekers", [&s](const report&) { return static_cast<double>(s.jobs_.seekers_now); }},
          {"hires", [&s](const report&) { return static_cast<double>(s.jobs_.hires_now); }},
          {"layoffs", [&s](const report&) { return static_cast<double>(s.jobs_.layoffs_now); }}};
}

}  // namespace civitas::society::job_market
