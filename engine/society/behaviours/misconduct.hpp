// Citizens' misconduct. Under the `fixed` rule (the default, kept so earlier results reproduce) it is a
// fixed chance drawn only for a regime that watches for it, with no gain and no victim. Under `logit` it is
// a decision under every regime: a citizen takes `misconduct_gain` cash from a randomly drawn fellow citizen
// with probability 1 / (1 + exp(-lambda (gain - scruple - expected sanction))), where the expected sanction
// is the regime's (detection x fine; 0 where nobody watches): Becker's (1968) crime as a choice, with the
// logit's closed form as its validation (scenarios/validation/deterrence.toml). Under `reinforcement` the
// same theft is learnt rather than weighed: each citizen keeps a propensity to steal and one to abstain,
// plays steal with P = q_steal / (q_steal + q_abstain) and reinforces what it played with what it realised
// that step (what it took, less any sanction the regime charged it; 0 less any sanction for abstaining),
// the Roth-Erev rule (Erev & Roth 1998): a citizen who is fined learns to stop, one who is not learns to go
// on, with no knowledge of the regime's detection or fine. Under `imitation` theft spreads socially: each
// citizen holds a strategy (thief or honest; a fair coin at the start), and every step copies the strategy of
// a uniformly drawn neighbour on the social graph with the Fermi probability on last step's realised payoffs
// (Szabo & Toke 1998), then with chance misconduct_mutation takes a random strategy; a thief steals.
#pragma once

#include "behaviour/choice.hpp"
#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct misconduct_params {
  double misconduct_probability = 0.02;  // fixed rule: chance per step that a citizen misbehaves
  behaviour::rule misconduct_rule = behaviour::rule::fixed;
  amount_t misconduct_gain = 50;            // logit rule: cash a thief takes from its victim
  double misconduct_lambda = 0.05;          // logit rule: precision, per cash unit of net gain
  double misconduct_scruple = 100;          // logit rule: the moral cost a citizen feels, in cash
  double misconduct_propensity = 100;       // reinforcement: each action's initial propensity, in cash
  double misconduct_forgetting = 0.1;       // reinforcement: share of propensities forgotten per step (phi)
  double misconduct_experimentation = 0.2;  // reinforcement: share of a payoff spilt to the other action
  double misconduct_payoff_shift = 100;     // reinforcement: cash added to every payoff so it is >= 0
  double misconduct_beta = 0.05;            // imitation: selection strength, per cash of payoff gap
  double misconduct_mutation = 0.01;        // imitation: chance per step of a random strategy

  static std::vector<params::param> declare();
};

namespace misconduct {
// Whether misconduct is modelled in this run (logit: always; fixed: under a regime that watches).
bool modelled(const society_state& s);
// Draws this step's misconduct of every citizen, and under logit takes each thief's gain from its victim
// (in citizen order, capped by the victim's cash; reason `theft`).
void draw(society_state& s, sim::world& w);
// Under reinforcement and imitation, after the regime's govern: every citizen's payoff this step (what it
// took less the sanctions the regime charged it, read among the step's records from `first_record` on);
// reinforcement reinforces the action it played with it, imitation keeps it for next step's comparison.
void learn(society_state& s, const sim::world& w, std::size_t first_record);
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace misconduct

}  // namespace civitas::society
