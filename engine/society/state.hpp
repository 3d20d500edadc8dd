// Everything the society model knows, shared by its behaviours (society/behaviours/). The model
// (society_model.cpp) builds it in setup and runs the behaviours over it in one fixed order; a behaviour is a
// file of free functions over this state: its decide part (read-only, on step-start balances), its
// handlers for the step's records, its govern part and its metric columns.
//
// Agent ids: citizens [0, C), firms [C, C+F), charities [C+F, C+F+H), the government C+F+H.
// Tokens: cash (token 0, issued by the system at genesis only) and one value token per good-deed category
// (green ~ SDG13, care ~ SDG3, learning ~ SDG4), issued by the government as the authorised rewarding body.
// Members keep the model's naming (a trailing underscore): they are the model's state, not an API.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "agents/population.hpp"
#include "core/rng.hpp"
#include "ledger/ledger.hpp"
#include "network/graphs.hpp"
#include "params/params.hpp"
#include "scoring/alignment.hpp"
#include "scoring/inequality.hpp"
#include "scoring/modern_slavery.hpp"
#include "scoring/se_ratio.hpp"
#include "sim/settings.hpp"
#include "society/behaviours/charity_services.hpp"
#include "society/behaviours/consumption.hpp"
#include "society/behaviours/data.hpp"
#include "society/behaviours/firm_strategy.hpp"
#include "society/behaviours/giving.hpp"
#include "society/behaviours/good_deeds.hpp"
#include "society/behaviours/income.hpp"
#include "society/behaviours/job_market.hpp"
#include "society/behaviours/labour.hpp"
#include "society/behaviours/misconduct.hpp"
#include "society/behaviours/organisation_scores.hpp"
#include "society/behaviours/pools.hpp"
#include "society/behaviours/population.hpp"
#include "society/behaviours/production.hpp"
#include "society/behaviours/social_ties.hpp"
#include "society/behaviours/tenders.hpp"
#include "society/behaviours/welfare.hpp"
#include "society/dimensions.hpp"
#include "society/passport.hpp"
#include "society/policy.hpp"
#include "society/view.hpp"

namespace civitas::sim {
class world;
}

namespace civitas::society {

inline constexpr std::uint32_t no_employer = std::numeric_limits<std::uint32_t>::max();
inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Random streams of the society (numbers never reused; see core/rng.hpp; 9 and 13 are retired: giving and
// selling draw from a citizen's one stream).
enum class purpose : rng_purpose_code {
  citizen = 8,         // a citizen's choices in a step (purchase, giving, selling, in that order)
  deed = 10,           // good deeds and their verification
  feedback = 11,       // sentiment of a customer or beneficiary
  service = 12,        // which citizens a charity serves
  tender = 14,         // procurement bidders and bids
  misconduct = 16,     // whether a citizen misbehaves this step
  donation = 22,       // a citizen's donation choice under the logit rule (charities sampled, the choice)
  consent = 23,        // a citizen's data consent under the logit rule, decided each step
  firm_strategy = 30,  // a firm's review of its levers (reinforcement draws, imitation model, mutation)
  job_market = 31,     // the order in which job seekers fill the step's vacancies
};
inline constexpr std::array<purpose_name, 12> society_purposes{{{8, "citizen"},
                                                                {9, "donation (retired)"},
                                                                {10, "deed"},
                                                                {11, "feedback"},
                                                                {12, "service"},
                                                                {13, "sell (retired)"},
                                                                {14, "tender"},
                                                                {16, "misconduct"},
                                                                {22, "donation"},
                                                                {23, "consent"},
                                                                {30, "firm_strategy"},
                                                                {31, "job_market"}}};

using ledger::code;

// Why the society moves money (numbers stable and never reused: they are hashed; see ledger/record.hpp).
enum class reason : ledger::reason_code {
  wage = 4,              // firm -> employee, net wage (gross less the income tax withheld)
  income_tax = 5,        // firm -> government, the income tax withheld from a payroll, linked with its wages
  purchase = 6,          // citizen -> retailer
  input_purchase = 7,    // firm -> upstream supplier
  csr = 8,               // firm -> charity, corporate social responsibility spend
  donation = 9,          // citizen -> charity
  service = 10,          // charity -> beneficiary citizen
  data_tax = 11,         // firm -> charity, social tax on value created from citizens' data
  welfare = 12,          // government -> citizen
  deed_backing = 13,     // sponsor (government) -> deed reserve: the money that backs a minted lot
  good_deed = 14,        // value-token issuer -> citizen: mint for a verified good deed
  sell_value = 15,       // citizen -> exchange pool, value tokens sold
  exchange_payout = 16,  // exchange pool -> citizen, cash for tokens sold
  procurement = 17,      // government -> firm, payment for a won tender
  social_value = 18,     // firm -> charity, social value pledged in a tender and delivered
  tax_relief = 19,       // government -> firm, refund of part of the data tax
  daf_levy = 24,         // citizen -> a regime's common fund, the levy on a purchase (linked with it)
  theft = 33,      // victim -> thief, misconduct under the logit rule (the record's origin is the thief)
  deed_help = 35,  // doer -> helped citizen, the cost of a good deed under the logit rule
};
inline constexpr std::array<ledger::code_name, 19> society_reasons{{{4, "wage"},
                                                                    {5, "income_tax"},
                                                                    {6, "purchase"},
                                                                    {7, "input_purchase"},
                                                                    {8, "csr"},
                                                                    {9, "donation"},
                                                                    {10, "service"},
                                                                    {11, "data_tax"},
                                                                    {12, "welfare"},
                                                                    {13, "deed_backing"},
                                                                    {14, "good_deed"},
                                                                    {15, "sell_value"},
                                                                    {16, "exchange_payout"},
                                                                    {17, "procurement"},
                                                                    {18, "social_value"},
                                                                    {19, "tax_relief"},
                                                                    {24, "daf_levy"},
                                                                    {33, "theft"},
                                                                    {35, "deed_help"}}};
// floor(base x share), never negative.
inline amount_t share_of(amount_t base, double share) {
  return base <= 0 ? 0 : static_cast<amount_t>(std::floor(static_cast<double>(base) * share));
}
inline double as_double(amount_t v) { return static_cast<double>(v); }
// Mean of the non-NaN values, NaN when there are none (a serial sum in order: thread-independent).
double mean_of_finite(std::span<const double> xs);

struct firm_traits {
  std::uint8_t stage = 0;
  amount_t wage = 0;          // gross wage per employee per step
  double price = 1;           // price level (retailers), around 1
  double co2 = 0;             // tonnes per 1000 cash of own value added
  double conduct = 0;         // hidden quality in [0, 1]: customers' feedback and staff sentiment
  double csr = 0;             // share of last step's revenue given as CSR
  double sv_share = 0;        // social value offered in tenders, as a share of the bid price
  double reliability = 1;     // share of pledged social value actually delivered
  std::uint32_t charity = 0;  // best-aligned charity (index)
};
// Sentiment of the people an organisation served (the S/E survey's P+, P0, P-).
struct feedback {
  std::uint64_t positive = 0, neutral = 0, negative = 0;
  // Positive with chance p; the rest split evenly between neutral and negative. u is uniform in [0, 1).
  // Atomic, so that parallel readers of the step's records can count into the same survey.
  void add_atomic(double u, double p);
  std::uint64_t total() const { return positive + neutral + negative; }
};
// Cumulative and last-step bookkeeping per firm, rebuilt from the ledger's records in govern.
struct firm_books {
  amount_t revenue_last = 0, revenue_now = 0, revenue_total = 0;
  std::uint32_t consenting_last = 0, consenting_now = 0;
  amount_t wages_paid = 0, wages_now = 0, social_spend = 0, data_tax_now = 0, delivered_now = 0;
  std::uint64_t sales = 0;
  feedback survey;
  amount_t pledge_remaining = 0, pledge_rate = 0, pledge_payment = 0;
};
struct charity_books {
  amount_t received = 0, spent = 0;
  std::uint64_t served = 0;
  feedback survey;
};
struct citizen_books {
  amount_t giving = 0;
  std::uint32_t gifts = 0;
  std::uint32_t deeds[deed_categories] = {};
};
// This step's flows, for the series.
struct flows {
  amount_t wages = 0, income_tax = 0, purchases = 0, inputs = 0, csr = 0, donations = 0, services = 0,
           data_tax = 0, welfare = 0, welfare_recipients = 0, deeds = 0, minted = 0, sold = 0, payout = 0,
           procurement = 0, relief = 0, delivered = 0, misconduct = 0, stolen = 0, deeds_done = 0, helped = 0,
           donors = 0, consenting = 0;
  double alignment_spend = 0;  // sum of amount x alignment over purchases
  std::array<std::vector<std::pair<agent_id, amount_t>>, deed_categories>
      sells;  // (seller, tokens) in record order
};

struct society_state {
  // Every behaviour's parameters from the scenario; the layout is filled by the model's setup.
  society_state(const params::scenario& s, std::unique_ptr<policy> regime);

  // ---- layout ----
  std::uint32_t citizens() const { return citizens_; }
  agent_id firm_agent(std::uint32_t f) const { return citizens_ + f; }
  agent_id charity_agent(std::uint32_t h) const { return citizens_ + firms_ + h; }
  agent_id government() const { return citizens_ + firms_ + charities_; }
  account_id cash_account(agent_id a) const { return first_cash_account_ + a; }
  account_id value_account(std::size_t category, std::uint32_t citizen) const {
    return first_value_account_ + static_cast<account_id>(category * citizens_ + citizen);
  }
  token_id value_token(std::size_t category) const { return static_cast<token_id>(1 + category); }
  agent_kind kind_of(agent_id a) const;
  agent_kind kind_of_owner(agent_id a) const;  // like kind_of, also for system_agent
  // Cosine similarity of a citizen's values and an organisation's.
  double alignment(agent_id citizen, agent_id other) const;
  // The share of a citizen's social neighbours whose flag is set (0 without neighbours): the social term.
  double neighbour_share(agent_id citizen, std::span<const std::uint8_t> flags) const {
    const auto friends = graph_.neighbours_of(citizen);
    std::uint32_t set = 0;
    for (const std::uint32_t f : friends) set += flags[f];
    return friends.empty() ? 0.0 : static_cast<double>(set) / static_cast<double>(friends.size());
  }
  // Chance that someone served by an organisation of this quality is satisfied.
  double feedback_positive(double quality) const {
    return scores_.feedback_base + scores_.feedback_per_quality * quality;
  }

  // ---- parameters ----
  sim::run_params run_;
  organisation_params org_;
  values_params values_p_;
  endowment_params endowment_;
  labour_params labour_;
  consumption_params consumption_;
  production_params production_;
  giving_params giving_;
  charity_params charity_;
  deed_params deeds_;
  pool_params pools_;
  data_params data_;
  welfare_params welfare_;
  tender_params tenders_;
  score_params scores_;
  social_graph_params graph_p_;
  misconduct_params misconduct_p_;
  firm_strategy_params firm_strategy_p_;

  std::uint32_t citizens_ = 0, firms_ = 0, charities_ = 0, dims_ = 0;
  account_id first_cash_account_ = 0, first_value_account_ = 0, reserve_account_ = 0;
  std::array<account_id, deed_categories> pool_cash_{}, pool_tokens_{};
  scoring::minimum_wage_table wages_table_;
  std::unique_ptr<policy> regime_;
  std::vector<value_dimension> dimensions_;  // names of the value dimensions (data/sdg_dimensions.csv)

  // ---- fixed after setup ----
  const scoring::row_major_matrix* values_ = nullptr;  // the world's population values (N x K), owned by it
  std::vector<double> citizen_norm_;                   // |values| per citizen
  // K x (F + H): unit value vectors of firms, then charities. Single precision halves what the purchase
  // choice reads per offer (10^4 retailers then stay in a core's L2 cache).
  Eigen::MatrixXf org_unit_;
  std::vector<std::uint8_t> consent_;        // per citizen
  std::vector<std::uint32_t> productivity_;  // per citizen: pay weight, labour::productivity_unit = 1
  std::vector<double> spend_share_;          // per citizen: share of cash spent per step
  std::vector<firm_traits> firm_;
  std::vector<firm_traits> firm_base_;  // the traits each firm drew: its levers multiply them
  std::array<std::vector<std::uint32_t>, 3> stage_firms_;  // firm indices by supply-chain stage, ascending
  std::vector<double> charity_quality_;
  std::vector<std::uint32_t> retailers_;  // firm indices at stage 2
  std::vector<double> retail_price_;      // their price levels, packed for the purchase choice
  std::array<std::vector<double>, deed_categories>
      deed_weight_;  // per citizen: category draw weights (cumulative)
  network::supply_chain chain_;
  network::csr_graph graph_;

  // ---- state, written in govern ----
  // Employment: drawn at setup; under staffing = "market" the job market moves staff after each payroll.
  std::vector<std::uint32_t> employer_;       // per citizen, firm index or no_employer
  std::vector<std::uint64_t> staff_offsets_;  // per firm + 1
  std::vector<std::uint32_t> staff_;          // citizen ids by employer, in citizen order
  std::vector<std::uint8_t> seeking_;         // per citizen: let go and looking for a job
  job_books jobs_;
  std::vector<firm_books> firm_books_;
  std::vector<charity_books> charity_books_;
  std::vector<citizen_books> citizen_books_;
  income_books income_;
  std::vector<amount_t>
      edge_spend_;  // aligned with chain_.suppliers: what each firm spent with each supplier
  std::vector<std::uint8_t> did_deed_;      // per citizen: verified deed last step (peer influence)
  std::vector<amount_t> gift_now_;          // per citizen: cash it gave to a charity this step (0: none)
  std::vector<std::uint8_t> gave_;          // per citizen: gave last step (the logit donation rule's peers)
  std::vector<std::uint8_t> misconduct_;    // per citizen: misbehaved this step
  std::vector<amount_t> misconduct_taken_;  // per citizen: cash its theft took this step
  // Per citizen, under the reinforcement rule: its Roth-Erev propensities to steal and to abstain.
  std::vector<double> steal_propensity_, abstain_propensity_;
  // Per citizen, under imitation: its realised misconduct payoff last step (taken less fined).
  std::vector<double> misconduct_payoff_;
  std::vector<firm_strategy::posture> posture_;  // per firm: its levers and what it learns them from
  std::vector<own_score> firm_own_;
  std::vector<double> firm_ms_;  // Modern Slavery score (NaN unscored)
  // Per firm, scores.ms_window marks of its cumulative wages (the Modern Slavery score's window; empty at 0).
  std::vector<amount_t> wage_marks_;
  std::vector<double> charity_se_;
  std::vector<double> charity_social_impact_;  // SI = C x S/E of what each charity has spent (NaN unscored)
  std::vector<passport> passports_;
  amount_t pledged_total_ = 0, delivered_total_ = 0;
  step_t steps_seen_ = 0;
  flows flows_;
};

// ---- what behaviours plug into the step ----

// A firm's cash for this step's obligations, paid in order and each capped by what is left, so nothing a
// firm states is rejected for lack of funds.
struct firm_purse {
  account_id me;
  amount_t cash;
  std::vector<ledger::transfer_intent>& out;
  void pay(account_id to, amount_t amount, reason why) {
    amount = std::min(amount, cash);
    if (amount <= 0) return;
    out.push_back({me, to, amount, 0, 0, code(why)});
    cash -= amount;
  }
};

// The step's records, read by reason code.
struct record_reader {
  const ledger::ledger& l;
  step_t step;
  const ledger::transfer_record* first;  // the block's first record: a record's position is its offset
  agent_id owner(account_id acc) const { return l.account(acc).owner; }
  // The record's position in the block (its id less the step: records carry no id).
  std::uint32_t position(const ledger::transfer_record& r) const {
    return static_cast<std::uint32_t>(&r - first);
  }
};
using record_handler =
    std::function<void(society_state&, const record_reader&, const ledger::transfer_record&, flows&)>;
struct record_table {
  std::vector<record_handler> by_reason;  // index = reason code; empty: not read
  void on(reason why, record_handler h) {
    const auto i = static_cast<std::size_t>(why);
    if (by_reason.size() <= i) by_reason.resize(i + 1);
    by_reason[i] = std::move(h);
  }
};
// Additions from parallel record readers: integer sums commute, so the totals never depend on the threads.
template <class T>
void add_atomic(T& target, T amount) {
  std::atomic_ref<T>(target).fetch_add(amount, std::memory_order_relaxed);
}

// A sale's or a service's sentiment, drawn from the record's own stream, counted into `survey`.
void record_sentiment(const society_state& s, const record_reader& rr, const ledger::transfer_record& r,
                      double quality, feedback& survey);
// A firm's sale: revenue, the sale count and the customer's sentiment.
void record_sale(society_state& s, const record_reader& rr, std::uint32_t firm,
                 const ledger::transfer_record& r);
// A firm's social spend (CSR, data tax, delivered social value), to a charity or a common fund; its books.
firm_books& record_social_spend(society_state& s, const record_reader& rr, const ledger::transfer_record& r);

// What the step's /series columns are read from: computed once per step (society_model::score).
struct report {
  const ledger::ledger& l;
  bool full;  // costly columns (inequality, Personal Value) only on full steps; NaN otherwise
  scoring::distribution_summary cash, value, total;
  // Total value = financial value (every agent's cash and value tokens) + social impact (the scored
  // organisations' SI = C x S/E); added social value ASV = SI - C (docs/ODD.md, "Social value").
  double financial_value = 0, social_impact = 0, social_spend = 0, total_value = 0;
  // The organisations' SI is heavy-tailed (a tender winner's assets enter its S/E): median and 90th centile.
  double social_impact_median = 0, social_impact_p90 = 0;
  // Wealth: cash + value tokens at the pools' price, across citizens (full steps only).
  double wealth_gini = std::numeric_limits<double>::quiet_NaN();
  amount_t held = 0;
  double mean_personal_value = 0;
};
// One /series column: its name and the code that computes it (as Mesa's reporters pair them).
struct column {
  std::string name;
  std::function<double(const report&)> value;
};

}  // namespace civitas::society
