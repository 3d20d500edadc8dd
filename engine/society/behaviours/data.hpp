// Data as a non-financial currency: consenting customers, the data social tax on the value their data
// creates, optional tax relief.
// Consent. Fixed rule (the default, so earlier results reproduce): a citizen consents with chance
// data_consent, drawn once at set-up. Logit rule: consent is a choice, made at set-up and again every step
// (in govern, for the next step's purchases) from the citizen's own consent stream, the privacy calculus
// (Culnan & Armstrong 1999; Dinev & Hart 2006; Acquisti, Brandimarte & Loewenstein 2015): its utility is
// consent_benefit (what sharing its data gives the citizen: personalised offers, convenience) plus the
// regime's reward for consent (policy::consent_reward) against privacy_cost plus what the regime adds to it
// (policy::privacy_penalty: under social credit the data feeds the authority); P(consent) =
// 1 / (1 + exp(-lambda dU)), the closed form of scenarios/validation/consent.toml. Who consents is what the
// data tax is levied on: a retailer pays data_tax on data_value_per_customer per consenting customer.
#pragma once

#include "behaviour/choice.hpp"
#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct data_params {
  double data_consent = 0.6;
  amount_t data_value_per_customer = 10;
  double data_tax = 0.19;
  double data_tax_relief = 0.0;
  behaviour::rule consent_rule = behaviour::rule::fixed;
  double consent_lambda = 0.1;  // logit rule: precision, per cash unit of utility
  double consent_benefit = 10;  // logit rule: what consenting gives the citizen per step, in cash
  double privacy_cost = 6;      // logit rule: what the citizen feels it loses by sharing its data, in cash

  static std::vector<params::param> declare();
};

namespace data {
// The utility of consenting against refusing, under the logit rule, with the regime's reward and penalty.
behaviour::utility consent_utility(const data_params& p, double reward, double penalty);
// The chance a citizen consents: data_consent (fixed rule) or the logit of the consent utility.
double consent_probability(const society_state& s);
// Under the logit rule: every citizen decides again whether it consents (for the next step's purchases).
void decide_consent(society_state& s, const sim::world& w);
// A retailer's data social tax on the value its consenting customers' data created last step.
void pay_tax(const society_state& s, std::uint32_t f, firm_purse& purse);
// The government refunds part of each firm's data tax (govern).
void pay_relief(society_state& s, sim::world& w);
void read(record_table& t);                           // its handlers of the step's records
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace data

}  // namespace civitas::society
