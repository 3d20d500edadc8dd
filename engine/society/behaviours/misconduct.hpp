// Citizens' misconduct. Under the `fixed` rule (the default, kept so earlier results reproduce) it is a
// fixed chance drawn only for a regime that watches for it, with no gain and no victim. Under `logit` it is
// a decision under every regime: a citizen takes `misconduct_gain` cash from a randomly drawn fellow citizen
// with probability 1 / (1 + exp(-lambda (gain - scruple - expected sanction))), where the expected sanction
// is the regime's (detection x fine; 0 where nobody watches): Becker's (1968) crime as a choice, with the
// logit's closed form as its validation (scenarios/validation/deterrence.toml).
#pragma once

#include "behaviour/choice.hpp"
#include "society/behaviours/fwd.hpp"

namespace civitas::society {

struct misconduct_params {
  double misconduct_probability = 0.02;  // fixed rule: chance per step that a citizen misbehaves
  behaviour::rule misconduct_rule = behaviour::rule::fixed;
  amount_t misconduct_gain = 50;    // logit rule: cash a thief takes from its victim
  double misconduct_lambda = 0.05;  // logit rule: precision, per cash unit of net gain
  double misconduct_scruple = 100;  // logit rule: the moral cost a citizen feels, in cash

  static std::vector<params::param> declare();
};

namespace misconduct {
// Whether misconduct is modelled in this run (logit: always; fixed: under a regime that watches).
bool modelled(const society_state& s);
// Draws this step's misconduct of every citizen, and under logit takes each thief's gain from its victim
// (in citizen order, capped by the victim's cash; reason `theft`).
void draw(society_state& s, sim::world& w);
std::vector<column> columns(const society_state& s);  // its /series columns, in order
}  // namespace misconduct

}  // namespace civitas::society
