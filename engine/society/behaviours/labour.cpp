#include "society/behaviours/labour.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/world.hpp"
#include "society/state.hpp"

namespace civitas::society {

std::vector<params::param> labour_params::declare() {
  return {
      params::integer("firm_cash_weeks", &labour_params::firm_cash_weeks, 0, 10000, "steps",
                      "Genesis cash of a firm, in steps of its full payroll",
                      "modelling choice: a month of payroll"),
      params::real(
          "profit_share", &labour_params::profit_share, params::closed(0.0, 1.0), "share",
          "Share of a firm's cash above its buffer (firm_cash_weeks of payroll) paid to staff per step",
          "modelling choice: keeps money circulating instead of piling up in firms"),
      params::real("employment_rate", &labour_params::employment_rate, params::closed(0.0, 1.0),
                   "probability", "Share of citizens employed by a firm",
                   "modelling choice: 10% of citizens without an employer (unemployed or inactive)"),
      params::real("firm_size_sigma", &labour_params::firm_size_sigma, params::closed(0.0, 5.0),
                   "lognormal sigma", "Lognormal sigma of firm sizes (weights for drawing employers)",
                   "modelling choice: skewed firm sizes (lognormal)"),
      params::integer("wage_mean", &labour_params::wage_mean, 1, 1'000'000'000, "cash",
                      "Mean gross wage per step across firms",
                      "modelling choice: £500/week ≈ £26k/year, near the UK median"),
      params::real("wage_sigma", &labour_params::wage_sigma, params::closed(0.0, 3.0), "lognormal sigma",
                   "Lognormal sigma of firms' wage levels", "modelling choice: wage dispersion across firms"),
      params::real("income_tax", &labour_params::income_tax, params::right_open(0.0, 1.0), "share",
                   "Income tax rate withheld from every wage for the government", "UK basic rate 20%"),
  };
}

namespace labour {

using ledger::transfer_intent;

void pay_wages(const society_state& s, std::uint32_t f, firm_purse& purse) {
  const firm_traits& t = s.firm_[f];
  const account_id me = purse.me;
  const amount_t cash = purse.cash;
  auto& out = purse.out;
  // Wages from what is left: the full wage when the payroll fits, else an equal cut for everyone.
  const std::uint64_t first = s.staff_offsets_[f], last = s.staff_offsets_[f + 1];
  if (last == first) return;
  const auto staff = static_cast<amount_t>(last - first);
  // Above its buffer a firm shares part of the excess with its staff as a bonus, so money the market
  // brings in returns to households instead of piling up in firms.
  const amount_t buffer = static_cast<amount_t>(s.labour_.firm_cash_weeks) * staff * t.wage;
  const amount_t bonus = cash - staff * t.wage > buffer
                             ? share_of(cash - staff * t.wage - buffer, s.labour_.profit_share) / staff
                             : 0;
  const amount_t gross = std::min(t.wage + bonus, cash / staff);
  if (gross <= 0) return;
  // One linked chain per payroll, as an employer withholds tax (PAYE): the income tax of every worker to
  // the government, then each worker's net wage. It settles whole or not at all.
  const amount_t tax = share_of(gross, s.labour_.income_tax);
  if (tax > 0)
    out.push_back({me, s.cash_account(s.government()), tax * staff, 0, 0, code(society::reason::income_tax),
                   ledger::intent_flag::linked});
  for (std::uint64_t i = first; i < last; ++i)
    out.push_back({me, s.cash_account(s.staff_[i]), gross - tax, 0, 0, code(society::reason::wage),
                   i + 1 < last ? ledger::intent_flag::linked : ledger::intent_flag::none});
}

void read(record_table& t) {
  // Gross pay is the net wages plus the tax withheld from them.
  t.on(society::reason::wage,
       [](society_state& s, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
         add_atomic(s.firm_books_[rr.owner(r.debit) - s.citizens_].wages_paid, r.amount);
         f.wages += r.amount;
         const agent_id worker = rr.owner(r.credit);
         income::add_net(s, worker, r.amount);
         add_atomic(s.income_.wage_now[worker], r.amount);
       });
  t.on(society::reason::income_tax,
       [](society_state& s, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
         const std::uint32_t firm = rr.owner(r.debit) - s.citizens_;
         // One record per payroll for all the staff: the same tax was withheld from each.
         const auto staff = static_cast<amount_t>(s.staff_offsets_[firm + 1] - s.staff_offsets_[firm]);
         if (staff > 0) s.income_.tax_now[firm] = r.amount / staff;
         add_atomic(s.firm_books_[firm].wages_paid, r.amount);
         f.wages += r.amount;
         f.income_tax += r.amount;
       });
}

std::vector<column> columns(const society_state& s) {
  return {{"wages", [&s](const report&) { return as_double(s.flows_.wages); }},
          {"income_tax", [&s](const report&) { return as_double(s.flows_.income_tax); }}};
}

}  // namespace labour

}  // namespace civitas::society
