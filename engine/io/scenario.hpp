// Scenario files: TOML read with toml++, checked against one declarative schema.
//
// Every parameter has a dotted path ("exchange.rule"), a type, a documented default and a range. The
// schema is the single source for reading, validating, --set overrides, the canonical form that feeds
// header 0, and the parameter table in the docs, so adding a parameter is one entry in scenario.cpp.
//
// Validation collects every error before giving up; each names its place as file:line:col (for --set
// overrides the pseudo-file is "--set"). Unknown keys are errors (with a did-you-mean suggestion).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace civitas::io {

enum class activation_kind { random_sequential, simultaneous };
enum class exchange_rule { boltzmann, random_exchange, saving, yard_sale };
enum class ledger_log { full, headers };
enum class model_kind { exchange, society };
enum class social_graph { small_world, scale_free };
enum class regime_kind { market, social_credit, daf, alliance };
enum class daf_rule { token, quadratic, quadratic_funding, conviction };

// A validated scenario. Defaults here are the documented defaults (keep in sync with the schema).
struct scenario {
  // [run]
  std::string name = "default";
  std::string description = "Boltzmann wealth exchange among 10,000 citizens";
  std::uint64_t seed = 1;
  step_t steps = 200;
  activation_kind activation = activation_kind::random_sequential;
  model_kind model = model_kind::exchange;

  // [population]
  std::uint32_t citizens = 10'000;
  std::uint32_t firms = 200;      // society model only
  std::uint32_t charities = 20;   // society model only (plus one government)

  // [values]
  std::uint32_t value_dimensions = 17;  // the first K of data/sdg_dimensions.csv

  // [exchange]: the validation exchange models (DOMAIN.md section 6)
  exchange_rule rule = exchange_rule::boltzmann;
  amount_t initial_cash = 100;        // every citizen's endowment, minted at genesis
  double saving_propensity = 0.25;    // lambda of the saving rule, in [0, 1)
  double yard_sale_fraction = 0.1;    // share of the poorer party's wealth at stake, in (0, 1]

  // [society]: the society model (DOMAIN.md sections 1, 2, 4; docs/ODD.md names each one's source)
  amount_t cash_citizen = 2'000;             // genesis cash per citizen
  amount_t cash_charity = 20'000;            // genesis cash per charity
  amount_t cash_government_per_citizen = 200;
  std::uint32_t firm_cash_weeks = 4;         // genesis cash of a firm, in steps of its payroll
  double profit_share = 0.25;                // share of cash above that buffer paid to staff per step
  double employment_rate = 0.9;
  double firm_size_sigma = 1.0;              // lognormal sigma of firm size (employment weights)
  amount_t wage_mean = 500;                  // mean gross wage per step
  double wage_sigma = 0.35;                  // lognormal sigma of firms' wage levels
  double income_tax = 0.2;
  double consumption_share = 0.3;            // share of step-start cash a citizen spends per step
  std::uint32_t offers_sampled = 5;
  double alpha = 1.0;                        // weight of value alignment in the purchase choice
  double price_sensitivity = 5.0;            // beta: weight of relative price in the purchase choice
  double price_sigma = 0.1;                  // lognormal sigma of retailers' price levels
  double raw_share = 0.2;
  double manufacturer_share = 0.3;
  std::uint32_t suppliers_per_firm = 3;
  double input_share = 0.6;                  // share of last step's revenue spent on inputs
  double csr_share = 0.02;                   // share of last step's revenue given as CSR
  double co2_per_1000 = 0.3;                 // mean tonnes CO2 per 1000 cash of revenue
  double co2_sigma = 0.5;
  double donation_probability = 0.1;
  double donation_share = 0.05;
  double service_share = 0.5;                // share of a charity's cash spent on services per step
  std::uint32_t beneficiaries_per_step = 20;
  std::uint32_t charity_staff = 10;
  double deed_probability = 0.05;
  double peer_influence = 1.0;
  double verification_probability = 0.9;
  amount_t deed_backing = 10;                // cash the sponsor puts in reserve per verified deed
  amount_t deed_tokens = 10;                 // value tokens minted per verified deed
  bool value_tradable = true;
  double sell_probability = 0.02;
  amount_t pool_cash_per_citizen = 10;       // constant-product pool reserves per category at genesis
  amount_t pool_tokens_per_citizen = 10;
  double data_consent = 0.6;
  amount_t data_value_per_customer = 10;
  double data_tax = 0.19;
  double data_tax_relief = 0.0;
  amount_t welfare_threshold = 200;
  amount_t welfare_amount = 100;
  std::uint32_t procurement_every = 4;
  double procurement_share = 0.5;
  std::uint32_t procurement_bidders = 5;
  double social_value_weight = 0.3;
  std::uint32_t year = 2018;
  std::uint32_t steps_per_year = 52;
  social_graph graph = social_graph::small_world;
  std::uint32_t mean_degree = 10;
  double graph_param = 0.1;

  double misconduct_probability = 0.02;      // chance per step that a citizen misbehaves (seen only by a regime that looks)

  // [governance]
  regime_kind regime = regime_kind::market;

  // [social_credit] (DOMAIN.md section 3)
  double credit_q = 0.5;            // detection probability of an act
  double credit_error = 0.05;       // error rate: chance, per observation, of seeing misconduct that did not happen
  amount_t credit_start = 1000;
  amount_t credit_reward = 5;
  amount_t credit_penalty = 50;
  double credit_decay = 0.1;        // share of the gap to the start closed at each review
  std::uint32_t credit_review_every = 13;
  amount_t grade_a = 1050, grade_b = 1000, grade_c = 900;
  amount_t credit_rebate = 50;      // cash per step to each A-grade citizen
  double luxury_cap = 0.5;          // share of planned spend a blacklisted (D) citizen may spend
  double whistleblow = 0.01;        // chance per worker per step of reporting the employer's misconduct
  double priority_bonus = 0.1;      // added to an A-grade firm's tender score

  // [daf] (DOMAIN.md section 3)
  daf_rule daf_voting = daf_rule::quadratic;
  double daf_levy = 0.01;             // share of each purchase paid into the treasury
  bool daf_csr_to_fund = true;        // firms' CSR goes to the treasury instead of a charity
  bool daf_data_tax_to_fund = true;   // the data social tax goes to the treasury instead of a charity
  std::uint32_t daf_period = 4;       // steps between funding rounds
  double daf_spend_share = 0.5;       // share of the treasury a round may spend
  std::uint32_t daf_voters = 1000;    // citizens sampled per round
  std::uint32_t daf_citizen_proposals = 5;
  double daf_noise = 1.0;             // lognormal sigma of a voter's view of a project's impact
  double daf_turnout = 0.6;
  double daf_quorum = 0.1;            // participating power needed, as a share of the sample's power
  double daf_delegation = 0.0;        // share of participants who delegate (one hop)
  double daf_contribution_share = 0.01;  // quadratic funding: share of cash a participant contributes
  double daf_alpha = 0.7937005259840998;  // conviction kept per step, 2^(-1/3)
  double daf_beta = 0.2;
  double daf_rho = 0.0025;
  std::uint32_t daf_proposal_rounds = 40;  // conviction: steps (votes) a proposal stays open

  // [alliance] (DOMAIN.md section 3)
  std::uint32_t alliance_sponsors = 5;
  double trip_probability = 0.2;     // chance per step that a citizen makes a low-carbon trip
  amount_t points_per_trip = 10;
  double trip_verification = 0.95;   // chance the distributor verifies a real trip
  double fraud_probability = 0.02;   // chance per step that a citizen claims a trip that never happened
  double fake_pass = 0.3;            // chance a fake claim passes the distributor's check
  amount_t offer_points = 50;        // points a sponsor's offer costs
  amount_t offer_value = 25;         // cash value of the good a sponsor gives for an offer
  double redeem_probability = 0.3;   // chance per step that a citizen with enough points redeems
  amount_t commitment = 10'000;      // cash each sponsor commits per clearing period
  std::uint32_t alliance_period = 4; // steps between clearings (and audits)
  double audit_probability = 0.5;    // chance the supervisor finds a cheat's fake points
  std::uint32_t freeze_steps = 8;    // how long a found cheat's points account stays frozen

  // [output]
  ledger_log ledger = ledger_log::full;  // full: every transfer stored; headers: only block headers
  std::uint32_t snapshot_every = 0;      // agent snapshot every K steps (0: only the final state)
  std::uint32_t metrics_every = 1;       // compute inequality metrics every K steps (others: NaN)

  friend bool operator==(const scenario&, const scenario&) = default;
};

// One schema entry, for documentation and listings.
struct param_info {
  std::string path;          // "exchange.rule"
  std::string type;          // "integer", "float", "boolean", "string", or "one of: a, b, c"
  std::string default_text;  // as TOML
  std::string range;         // "1 to 10000000", "" when unrestricted
  std::string doc;
};
std::vector<param_info> scenario_schema();

// Reads and validates a scenario file, then applies overrides ("path=value", value in TOML syntax;
// a bare word is taken as a string). Throws civitas::input_error with every diagnostic.
scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});
// The same from text; `source_name` is used in diagnostics.
scenario parse_scenario(std::string_view text, const std::string& source_name,
                        const std::vector<std::string>& overrides = {});

// Every parameter the scenario's model reads, in schema order with its value, as TOML (the exchange
// models skip [society], [values] and population.firms/charities; the society skips [exchange]). Two
// scenarios are the same run exactly when their canonical texts are equal; parse_scenario(canonical_toml(s))
// == s whenever the parameters the model does not read hold their defaults.
std::string canonical_toml(const scenario& s);

// A scenario argument as a path: the path itself when it exists, else a shipped scenario ("society/default",
// with or without .toml) under $CIVITAS_SCENARIO_DIR or the repository's scenarios/. Throws input_error.
std::string resolve_scenario(const std::string& argument);
// The shipped scenarios' directory ($CIVITAS_SCENARIO_DIR or the repository's scenarios/).
std::string scenario_directory();

std::string_view to_string(activation_kind a);
std::string_view to_string(exchange_rule r);
std::string_view to_string(ledger_log l);
std::string_view to_string(model_kind m);
std::string_view to_string(social_graph g);
std::string_view to_string(regime_kind r);
std::string_view to_string(daf_rule r);

}  // namespace civitas::io
