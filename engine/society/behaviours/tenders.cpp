#include "society/behaviours/tenders.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/world.hpp"
#include "society/state.hpp"
#include "society/tender.hpp"

namespace civitas::society {

std::vector<params::param> tender_params::declare() {
  return {
      params::integer("procurement_every", &tender_params::procurement_every, 0, 1'000'000, "steps",
                      "Steps between procurement tenders (0: none)", "modelling choice"),
      params::real("procurement_share", &tender_params::procurement_share, params::closed(0.0, 1.0), "share",
                   "Share of government cash a tender spends", "modelling choice"),
      params::integer("procurement_bidders", &tender_params::procurement_bidders, 1, 1000, "agents",
                      "Firms bidding in each tender", "modelling choice"),
      params::real("social_value_weight", &tender_params::social_value_weight, params::closed(0.0, 1.0),
                   "share", "Weight of offered social value (vs price) in tender scores",
                   "domain.md §5: UK Social Value Act practice weights social value 10–30%"),
      params::real("bid_min", &tender_params::bid_min, params::left_open(0.0, 10.0), "share of budget",
                   "Lowest bid price, as a share of the tender's budget (bids are uniform above it)",
                   "modelling choice: bids within ±20% of the budget"),
      params::real("bid_spread", &tender_params::bid_spread, params::closed(0.0, 10.0), "share of budget",
                   "Width of the bid price range above bid_min (prices above the budget are capped at it)",
                   "modelling choice: bids within ±20% of the budget"),
      params::real("sv_share_max", &tender_params::sv_share_max, params::closed(0.0, 1.0), "share of bid",
                   "Largest social value a firm offers in a tender, as a share of its bid (uniform per firm)",
                   "modelling choice: Social Value Act offers of a few % to 20%"),
      params::real("reliability_min", &tender_params::reliability_min, params::closed(0.0, 1.0), "share",
                   "Lowest share of its pledged social value a firm delivers (uniform per firm up to 1)",
                   "modelling choice"),
  };
}

namespace tenders {

using ledger::transfer_intent;

void pay_pledge(const society_state& s, std::uint32_t f, firm_purse& purse) {
  purse.pay(s.cash_account(s.charity_agent(s.firm_[f].charity)), s.firm_books_[f].pledge_payment,
            society::reason::social_value);
}

void run(society_state& s, sim::world& w) {
  ledger::ledger& l = w.ledger();
  const step_t step = l.current_step();
  if (s.tenders_.procurement_every == 0 || step % s.tenders_.procurement_every != 0) return;
  const account_id state = s.cash_account(s.government());
  const amount_t budget = share_of(l.balance(state), s.tenders_.procurement_share);
  if (budget <= 0) return;
  rng_stream draws(s.run_.seed, 0, step, purpose::tender);
  std::vector<bid> bids;
  for (std::uint32_t i = 0; i < s.tenders_.procurement_bidders; ++i) {
    const std::uint32_t f = draws.below(s.firms_);
    const amount_t price = std::clamp<amount_t>(
        share_of(budget, s.tenders_.bid_min + s.tenders_.bid_spread * draws.uniform01()), 1, budget);
    bids.push_back({s.firm_agent(f), price, share_of(price, s.firm_[f].sv_share), s.regime_->may_bid(f),
                    s.regime_->tender_bonus(f)});
  }
  const auto won = winning_bid(bids, s.tenders_.social_value_weight);
  if (!won) return;
  const bid& b = bids[*won];
  const transfer_intent t{state, s.cash_account(b.firm), b.price, 0, 0, code(society::reason::procurement)};
  if (l.apply(std::span(&t, 1), s.government()) != ledger::status::applied) return;
  s.flows_.procurement += b.price;
  firm_books& books = s.firm_books_[b.firm - s.citizens_];
  books.pledge_remaining += b.social_value;
  const amount_t period = std::max<amount_t>(1, s.tenders_.procurement_every);
  books.pledge_rate = (books.pledge_remaining + period - 1) / period;
  s.pledged_total_ += b.social_value;
  // The contract is a sale like any other: revenue for the next step's spending, and a satisfied or
  // unsatisfied customer (the government) by the firm's conduct.
  books.revenue_now += b.price;
  books.revenue_total += b.price;
  ++books.sales;
  books.survey.add_atomic(draws.uniform01(), s.feedback_positive(s.firm_[b.firm - s.citizens_].conduct));
}

void plan_pledges(society_state& s) {
  for (std::uint32_t f = 0; f < s.firms_; ++f) {
    firm_books& b = s.firm_books_[f];
    const amount_t due = std::min(b.pledge_remaining, b.pledge_rate);
    b.pledge_remaining -= due;
    // An unreliable firm delivers only part of what falls due; the rest of the promise is broken.
    b.pledge_payment = share_of(due, s.firm_[f].reliability);
    b.revenue_last = b.revenue_now;
    b.consenting_last = b.consenting_now;
  }
}

void read(record_table& t) {
  t.on(society::reason::social_value,
       [](society_state& s, const record_reader& rr, const ledger::transfer_record& r, flows& f) {
         add_atomic(record_social_spend(s, rr, r).delivered_now, r.amount);
         f.delivered += r.amount;
       });
}

std::vector<column> columns(const society_state& s) {
  return {{"procurement", [&s](const report&) { return as_double(s.flows_.procurement); }},
          {"social_value_pledged", [&s](const report&) { return as_double(s.pledged_total_); }},
          {"social_value_delivered", [&s](const report&) { return as_double(s.delivered_total_); }}};
}

}  // namespace tenders

}  // namespace civitas::society
