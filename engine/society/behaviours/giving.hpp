// Citizens' donations to the best-aligned of a few sampled charities.
// Fixed rule (the default, so earlier results reproduce): a fixed chance per step, drawn from the citizen's
// one stream. Logit rule: giving donation_share of step-start cash is a choice (Andreoni 1990, warm glow):
// its intrinsic term is donation_motive x the citizen's alignment with the best of the sampled charities,
// its extrinsic term what the regime gives back for the gift (policy::giving_reward, e.g. social credit's
// gift_rebate), its cost the gift itself, and its social term donation_social x the share of the citizen's
// social neighbours who gave last step; P(give) = 1 / (1 + exp(-lambda dU)), drawn from the citizen's own
// donation stream. Without the social term the rate is the logit's closed form
// (scenarios/validation/giving.toml).
#pragma once

#include "behaviour/choice.hpp"
#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct giving_params {
  double donation_probability = 0.1;
  double donation_share = 0.05;
  behaviour::rule donation_rule = behaviour::rule::fixed;
  double donation_lambda = 0.05;  // logit rule: precision, per cash unit of utility
  double donation_motive = 50;    // logit rule: warm glow of a gift to a perfectly aligned charity, in cash
  double donation_social = 20;    // logit rule: pull of all neighbours having given last step, in cash

  static std::vector<params::param> declare();
};

namespace giving {
// The utility of giving `gift` cash against not giving, under the logit rule: alignment is the citizen's
// with the charity it would give to, `reward` the regime's for the gift, `peers` the share of its
// neighbours who gave last step.
behaviour::utility utility(const giving_params& p, amount_t gift, double alignment, double reward,
                           double peers);
// A citizen's donation to the best-aligned of a few sampled charities (drawn after the purchase).
void decide(const society_state& s, agent_id a, amount_t cash, step_t step, rng_stream& draws,
            std::vector<ledger::transfer_intent>& out);
void read(record_table& t);  // its handlers of the step's records
// In govern, after the step's records are read: this step's gifts become next step's peer signal, and the
// regime rewards them (policy::reward_gifts).
void reward(society_state& s, const view& v, sim::world& w);
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace giving

}  // namespace civitas::society
