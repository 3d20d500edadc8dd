// The society model (issue #3; docs/ODD.md is its full description): citizens, firms along a supply chain,
// charities and one government, trading cash and value tokens through the ledger.
//
// Agent ids: citizens [0, C), firms [C, C+F), charities [C+F, C+F+H), the government C+F+H.
// Tokens: cash (token 0, issued by the system at genesis only) and one value token per good-deed category
// (green ~ SDG13, care ~ SDG3, learning ~ SDG4), issued by the government as the authorised rewarding body.
//
// Each step:
//   decide (parallel, read-only): citizens buy from one of a few sampled retailers (logit on price and
//     value alignment), donate, sell value tokens; firms buy inputs upstream, pay CSR, data tax and pledged
//     social value, then wages as linked chains (gross to the worker, income tax on to the government);
//     charities serve beneficiaries; the government pays welfare to citizens below the threshold.
//   govern (serial, in a fixed order): read the step's records (revenue, feedback, giving, ...), clear the
//     value-token pools, pay tax relief, reward verified good deeds (a linked chain: sponsor
//     cash into the deed reserve, then the mint whose lineage names that backing transfer), run tenders,
//     then score every organisation and product.
// Everything the model remembers between steps lives here and is written only in govern.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "society/policy.hpp"
#include "society/view.hpp"
#include "network/graphs.hpp"
#include "scoring/alignment.hpp"
#include "scoring/modern_slavery.hpp"
#include "scoring/se_ratio.hpp"
#include "sim/model.hpp"
#include "society/dimensions.hpp"
#include "society/behaviours/charity_services.hpp"
#include "society/behaviours/consumption.hpp"
#include "society/behaviours/data.hpp"
#include "society/behaviours/giving.hpp"
#include "society/behaviours/good_deeds.hpp"
#include "society/behaviours/labour.hpp"
#include "society/behaviours/misconduct.hpp"
#include "society/behaviours/organisation_scores.hpp"
#include "society/behaviours/pools.hpp"
#include "society/behaviours/population.hpp"
#include "society/behaviours/production.hpp"
#include "society/behaviours/social_ties.hpp"
#include "society/behaviours/tenders.hpp"
#include "society/behaviours/welfare.hpp"
#include "sim/settings.hpp"
#include "params/params.hpp"
#include "society/passport.hpp"

namespace civitas::society {

// Margin of error (%) a firm's or charity's feedback survey claims (the S/E small-sample correction uses it).
inline constexpr double survey_margin_pct = 5.0;
// Tonnes of CO2 a green deed saves (a low-carbon trip, the alliance pilot's unit of measure).
inline constexpr double co2_per_green_deed = 0.1;

class society_model final : public sim::model, public view {
 public:
  society_model(const params::scenario& s, std::unique_ptr<policy> regime);
  void setup(sim::world& w) override;
  void endow(sim::world& w) override;
  void decide(const sim::world& w, ledger::intent_chunk& chunk, agent_id first, agent_id end) const override;
  void govern(sim::world& w) override;
  std::vector<std::string> metric_columns() const override;
  void score(const sim::world& w, bool full, std::span<double> out) const override;
  std::vector<amount_t> snapshot_balances(const sim::world& w) const override;
  std::vector<std::string> score_columns() const override;
  std::vector<double> snapshot_scores(const sim::world& w) const override;
  void describe(io::run_layout& layout) const override;

  // ---- layout, for tests and tools ----
  std::uint32_t citizens() const override { return citizens_; }
  std::uint32_t firms() const override { return firms_; }
  std::uint32_t charities() const override { return charities_; }
  agent_id firm_agent(std::uint32_t f) const override { return citizens_ + f; }
  agent_id charity_agent(std::uint32_t h) const override { return citizens_ + firms_ + h; }
  agent_id government() const override { return citizens_ + firms_ + charities_; }
  account_id cash_account(agent_id a) const override { return first_cash_account_ + a; }
  account_id value_account(std::size_t category, std::uint32_t citizen) const override {
    return first_value_account_ + static_cast<account_id>(category * citizens_ + citizen);
  }
  account_id reserve_account() const { return reserve_account_; }
  account_id pool_cash_account(std::size_t c) const { return pool_cash_[c]; }
  account_id pool_token_account(std::size_t c) const { return pool_tokens_[c]; }
  token_id value_token(std::size_t category) const { return static_cast<token_id>(1 + category); }
  const network::supply_chain& supply() const { return chain_; }
  const network::csr_graph& social() const { return graph_; }
  const std::vector<passport>& passports() const { return passports_; }
  const std::vector<own_score>& firm_scores() const { return firm_own_; }
  double alignment(agent_id citizen, agent_id other) const;
  std::span<const std::uint32_t> retailers() const override { return retailers_; }
  bool consents(agent_id citizen) const { return consent_[citizen] != 0; }
  std::uint64_t staff_of(std::uint32_t f) const override { return staff_offsets_[f + 1] - staff_offsets_[f]; }
  const policy& regime() const { return *regime_; }

 private:
  struct firm_traits {
    std::uint8_t stage = 0;
    amount_t wage = 0;        // gross wage per employee per step
    double price = 1;         // price level (retailers), around 1
    double co2 = 0;           // tonnes per 1000 cash of own value added
    double conduct = 0;       // hidden quality in [0, 1]: customers' feedback and staff sentiment
    double sv_share = 0;      // social value offered in tenders, as a share of the bid price
    double reliability = 1;   // share of pledged social value actually delivered
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
    amount_t wages_paid = 0, social_spend = 0, data_tax_now = 0, delivered_now = 0;
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

  // decide, per kind
  void decide_citizen(std::span<const amount_t> balances, step_t step, agent_id a,
                      std::vector<ledger::transfer_intent>& out) const;
  void decide_firm(std::span<const amount_t> balances, std::uint32_t f, std::vector<ledger::transfer_intent>& out) const;
  void decide_charity(std::span<const amount_t> balances, step_t step, std::uint32_t h,
                      std::vector<ledger::transfer_intent>& out) const;
  void decide_welfare(std::span<const amount_t> balances, std::vector<ledger::transfer_intent>& out) const;
  // govern, in order
  struct record_reader;
  struct flows;
  using record_handler = std::function<void(society_model&, const record_reader&, const ledger::transfer_record&, flows&)>;
  static const std::vector<record_handler>& record_handlers();  // by reason code; empty: not read
  void record_sentiment(const record_reader& rr, const ledger::transfer_record& r, double quality, feedback& survey) const;
  void record_sale(const record_reader& rr, std::uint32_t firm, const ledger::transfer_record& r);
  void read_records(sim::world& w);
  void clear_pools(sim::world& w);
  void pay_tax_relief(sim::world& w);
  void reward_deeds(sim::world& w);
  void run_tender(sim::world& w);
  void plan_pledges();
  void score_organisations(const sim::world& w);
  void let_regime_govern(sim::world& w);  // draws this step's misconduct and hands the acts to the regime

  // One /series column: its name and the code that computes it from the step's report.
  struct report;
  struct column {
    std::string name;
    std::function<double(const report&)> value;
  };
  std::vector<column> make_columns() const;  // the society's columns, in the order of /series
  double rag_share(scoring::rag which) const;  // share of rated firms with this Modern Slavery RAG

  double feedback_positive(double quality) const;
  // S/E inputs common to firms and charities: the survey, the people reached, the social spend, assets, staff.
  static scoring::se_ratio_inputs survey_inputs(const feedback& survey, std::uint64_t reached, amount_t spend,
                                                amount_t assets, double staff);
  double personal_value_of(const sim::world& w, agent_id citizen) const;  // NaN before any giving
  agent_kind kind_of(agent_id a) const;
  agent_kind kind_of_owner(agent_id a) const;  // like kind_of, also for system_agent

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
  std::uint32_t citizens_ = 0, firms_ = 0, charities_ = 0, dims_ = 0;
  account_id first_cash_account_ = 0, first_value_account_ = 0, reserve_account_ = 0;
  std::array<account_id, deed_categories> pool_cash_{}, pool_tokens_{};
  scoring::minimum_wage_table wages_table_;
  std::unique_ptr<policy> regime_;
  std::vector<value_dimension> dimensions_;
  std::vector<column> columns_;  // names of the value dimensions (data/sdg_dimensions.csv)

  // fixed after setup
  const scoring::row_major_matrix* values_ = nullptr;  // the world's population values (N x K), owned by it
  std::vector<double> citizen_norm_;           // |values| per citizen
  // K x (F + H): unit value vectors of firms, then charities. Single precision halves what the purchase
  // choice reads per offer (10^4 retailers then stay in a core's L2 cache).
  Eigen::MatrixXf org_unit_;
  std::vector<std::uint8_t> consent_;          // per citizen
  std::vector<std::uint32_t> employer_;        // per citizen, firm index or no_employer
  std::vector<std::uint64_t> staff_offsets_;   // per firm + 1
  std::vector<std::uint32_t> staff_;           // citizen ids by employer
  std::vector<firm_traits> firm_;
  std::vector<double> charity_quality_;
  std::vector<std::uint32_t> retailers_;       // firm indices at stage 2
  std::vector<double> retail_price_;           // their price levels, packed for the purchase choice
  std::array<std::vector<double>, deed_categories> deed_weight_;  // per citizen: category draw weights (cumulative)
  network::supply_chain chain_;
  network::csr_graph graph_;

  // state, written in govern
  std::vector<firm_books> firm_books_;
  std::vector<charity_books> charity_books_;
  std::vector<citizen_books> citizen_books_;
  std::vector<amount_t> edge_spend_;           // aligned with chain_.suppliers: what each firm spent with each supplier
  std::vector<std::uint8_t> did_deed_;         // per citizen: verified deed last step (peer influence)
  std::vector<std::uint8_t> misconduct_;       // per citizen: misbehaved this step
  std::vector<own_score> firm_own_;
  std::vector<double> firm_ms_;                // Modern Slavery score (NaN unscored)
  std::vector<double> charity_se_;
  std::vector<passport> passports_;
  amount_t pledged_total_ = 0, delivered_total_ = 0;
  step_t steps_seen_ = 0;

  // this step's flows, for the series
  struct flows {
    amount_t wages = 0, income_tax = 0, purchases = 0, inputs = 0, csr = 0, donations = 0, services = 0,
             data_tax = 0, welfare = 0, welfare_recipients = 0, deeds = 0, minted = 0, sold = 0, payout = 0,
             procurement = 0, relief = 0, delivered = 0, misconduct = 0;
    double alignment_spend = 0;  // sum of amount x alignment over purchases
    std::array<std::vector<std::pair<agent_id, amount_t>>, deed_categories> sells;  // (seller, tokens) in record order
  } flows_;
};

}  // namespace civitas::society
