// Choice rules: how an agent turns the utility of an act into the chance that it acts.
//
// An act's utility has named parts (docs/ODD.md, "Adaptation"): the intrinsic motive, the extrinsic
// payoff (cash, tokens, points, score, minus the expected sanction = detection x penalty), the act's cost
// and a social term. A rule turns the utility difference between acting and not acting into a probability:
//   fixed  today's fixed rates, kept so that earlier results stay reproducible;
//   logit  quantal response, P(act) = 1 / (1 + exp(-lambda * dU)) (McFadden 1974; McKelvey & Palfrey 1995).
// A learning rule changes what an agent does from what it and others earned:
//   reinforcement  Roth-Erev propensities (Roth & Erev 1995; Erev & Roth 1998, AER 88(4), their
//              three-parameter model): q_j <- (1 - phi) q_j + E_j, where the chosen action k gets
//              E_k = (1 - eps) x and every other action eps / (N - 1) x, x the realised payoff shifted to
//              be non-negative; the agent then plays j with P = q_j / sum q;
//   imitation  payoff-biased copying of a random neighbour (the Fermi rule; Szabo & Toke 1998; Traulsen,
//              Nowak & Pacheco 2006): copy with P = 1 / (1 + exp(-beta * (payoff_model - payoff_self))).
// Pure functions, so a draw against them is as thread-independent as the draw itself.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/rng.hpp"

namespace civitas::behaviour {

enum class rule { fixed, logit, reinforcement, imitation };
// The rules an act offers: every act has fixed and logit; an act that learns (misconduct) also offers
// reinforcement and imitation. Index = enum value, so a shorter list simply leaves the later rules out.
inline constexpr std::array<std::string_view, 2> rule_names{"fixed", "logit"};
inline constexpr std::array<std::string_view, 3> learning_rule_names{"fixed", "logit", "reinforcement"};
// An act that can also spread socially (misconduct) offers imitation of a neighbour as well.
inline constexpr std::array<std::string_view, 4> social_rule_names{"fixed", "logit", "reinforcement",
                                                                   "imitation"};

// The parts of an act's utility, in cash units, against not acting.
struct utility {
  double intrinsic = 0;  // the agent's own motive (values aligned with the act)
  double extrinsic = 0;  // payoffs: gains, rewards, minus the expected sanction
  double cost = 0;       // what the act costs the doer
  double social = 0;     // what neighbours did, weighted
  double total() const { return intrinsic + extrinsic - cost + social; }
};

// P(act) under the logit rule with precision lambda (per cash unit): 1/2 at dU = 0, rising with dU.
double logit_probability(double lambda, double utility_difference);

// P(copy) under the Fermi rule with selection strength beta (per payoff unit): 1/2 when the payoffs are
// equal (also at beta = infinity, where it is otherwise a step: 1 above, 0 below), rising with the gap.
double imitation_probability(double beta, double payoff_self, double payoff_model);

// One imitation step of agent `self`: draws a uniform neighbour as its model (one draw), then copies it with
// imitation_probability (a second draw). `payoffs` is indexed by agent. Returns the agent whose strategy
// `self` holds next: the model when it copies, else `self` (also when it has no neighbour: no draw).
std::uint32_t imitate(std::uint32_t self, std::span<const std::uint32_t> neighbours,
                      std::span<const double> payoffs, double beta, rng_stream& draws);

// One Roth-Erev update of an agent's propensities `q` (one per action) after it played `chosen` and
// realised `payoff` (already shifted to be non-negative by the caller; a negative one counts as 0), with
// forgetting `phi` and experimentation `eps`, both in [0, 1]. With one action it simply gets the payoff.
void reinforce(std::span<double> q, std::size_t chosen, double payoff, double phi, double eps);

// P(action j) under the Roth-Erev rule: q_j / sum q (uniform when every propensity is 0).
double reinforcement_probability(std::span<const double> q, std::size_t j);

// The action an agent plays under the Roth-Erev rule: one uniform draw against the cumulative shares.
std::size_t reinforcement_choice(std::span<const double> q, rng_stream& draws);

}  // namespace civitas::behaviour
