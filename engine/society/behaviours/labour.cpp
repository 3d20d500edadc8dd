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
      params::real(
          "productivity_sigma", &labour_params::productivity_sigma, params::closed(0.0, 2.0),
          "lognormal sigma",
          "Lognormal sigma (mean 1) of each citizen's productivity: its pay is its firm's wage times it",
          "calibration: with wage_sigma, the ASHE 2023 hourly-earnings 90:10 ratio 3.03 "
          "(scenarios/calibrated/uk.toml); 0 keeps one wage per firm"),
      params::choice("pay_rule", &labour_params::pay, labour::pay_rule_names,
                     "A firm short of cash for its payroll: cut = everyone's pay cut by the same share; "
                     "ration = the contracted wage to the staff it can pay, in staff order, none to the rest",
                     "calibration: ration keeps hourly pay contractual (ASHE measures pay of those paid)"),
      params::choice("staffing", &labour_params::staffing, labour::staffing_rule_names,
                     "Who works where: fixed = as drawn at genesis; market = after each payroll a firm lets "
                     "go of the staff it did not pay and one that paid a bonus hires a job seeker for every "
                     "whole contract the bonus would pay (firm sizes follow sales)",
                     "calibration: a labour market that clears (scenarios/calibrated/uk.toml)"),
  };
}

namespace labour {

using ledger::transfer_intent;

bool individual_pay(const labour_params& p) { return p.productivity_sigma > 0 || p.pay == pay_rule::ration; }

amount_t gross_of_net(amount_t net, double rate) {
  if (net <= 0) return 0;
  // g - floor(g x rate) never decreases and rises by at most 1 per unit of g: start near the answer and
  // step to the smallest g that reaches `net` (it then equals it).
  auto net_of = [rate](amount_t g) { return g - share_of(g, rate); };
  auto g = static_cast<amount_t>(std::ceil(static_cast<double>(net) / (1.0 - rate)));
  while (net_of(g) < net) ++g;
  while (g > 0 && net_of(g - 1) >= net) --g;
  return g;
}

namespace {

// Individual pay: each worker earns `base` (the firm's wage and bonus) times its productivity; a firm
// that cannot pay the whole payroll pays each the same share of it. Every gross is the smallest with its
// net wage (at most one unit below the rule's), so the worker's tax can be read back from its net.
void pay_individually(const society_state& s, std::uint32_t f, amount_t base, firm_purse& purse) {
  __extension__ using wide = __int128;  // payroll x weight sums exceed 64 bits at large firms
  const std::uint64_t first = s.staff_offsets_[f], last = s.staff_offsets_[f + 1];
  wide weights = 0;
  for (std::uint64_t i = first; i < last; ++i) weights += s.productivity_[s.staff_[i]];
  if (weights == 0 || base <= 0 || purse.cash <= 0) return;
  const bool short_of_cash = wide{base} * weights / productivity_unit > wide{purse.cash};
  const bool cut = short_of_cash && s.labour_.pay == pay_rule::cut;
  amount_t left = purse.cash;  // under rationing: what the contracts paid so far leave
  const double rate = s.labour_.income_tax;
  amount_t tax = 0;
  const std::size_t chain = purse.out.size();
  purse.out.push_back({purse.me, s.cash_account(s.government()), 0, 0, 0, code(society::reason::income_tax),
                       ledger::intent_flag::linked});
  for (std::uint64_t i = first; i < last; ++i) {
    const wide w = s.productivity_[s.staff_[i]];
    const auto wanted =
        static_cast<amount_t>(cut ? wide{purse.cash} * w / weights : wide{base} * w / productivity_unit);
    const amount_t net = wanted - share_of(wanted, rate);
    if (net <= 0) continue;
    if (short_of_cash && !cut) {
      if (gross_of_net(net, rate) > left) break;  // the rest are on short time this step
      left -= gross_of_net(net, rate);
    }
    tax += gross_of_net(net, rate) - net;
    purse.out.push_back({purse.me, s.cash_account(s.staff_[i]), net, 0, 0, code(society::reason::wage),
                         ledger::intent_flag::linked});
  }
  if (purse.out.size() == chain + 1) {  // nobody paid
    purse.out.pop_back();
    return;
  }
  purse.out.back().flags = ledger::intent_flag::none;
  if (tax > 0)
    purse.out[chain].amount = tax;
  else
    purse.out.erase(purse.out.begin() + static_cast<std::ptrdiff_t>(chain));
}

}  // namespace

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
  if (individual_pay(s.labour_)) {
    pay_individually(s, f, t.wage + bonus, purse);
    return;
  }
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

double contracted_payroll(const society_state& s, std::uint32_t f, amount_t wage) {
  double weight = 0;
  for (std::uint64_t i = s.staff_offsets_[f]; i < s.staff_offsets_[f + 1]; ++i)
    weight += static_cast<double>(s.productivity_[s.staff_[i]]);
  return static_cast<double>(wage) * weight / static_cast<double>(productivity_unit);
}

void read(record_table& t) {
  // Gross pay is the net wages plus the tax withheld from them.
  t.on(society::reason::wage,
       [](society_state& s, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
         firm_books& b = s.firm_books_[rr.owner(r.debit) - s.citizens_];
         add_atomic(b.wages_paid, r.amount);
         add_atomic(b.wages_now, r.amount);
         f.wages += r.amount;
         const agent_id worker = rr.owner(r.credit);
         income::add_net(s, worker, r.amount);
         add_atomic(s.income_.wage_now[worker], r.amount);
       });
  t.on(society::reason::income_tax,
       [](society_state& s, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
         const std::uint32_t firm = rr.owner(r.debit) - s.citizens_;
         // One record per payroll for all the staff: under one wage per firm the same tax was withheld
         // from each; under individual pay income::update reads each worker's tax from its net wage.
         const auto staff = static_cast<amount_t>(s.staff_offsets_[firm + 1] - s.staff_offsets_[firm]);
         if (staff > 0) s.income_.tax_now[firm] = r.amount / staff;
         add_atomic(s.firm_books_[firm].wages_paid, r.amount);
         add_atomic(s.firm_books_[firm].wages_now, r.amount);
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
