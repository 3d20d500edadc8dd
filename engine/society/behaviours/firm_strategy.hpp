// Firms' decisions and how firms learn them. A firm has six levers, each a multiplier of the trait it drew
// at setup (its base), chosen from a few levels:
//   wage         its contracted wage          x 0.25 0.5 0.75 1 1.25   (against the Modern Slavery line)
//   price        its price level (retailers)  x 0.8 0.9 1 1.1 1.25     (its margin: inputs per unit sold)
//   csr          its CSR share of revenue     x 0 0.5 1 2
//   offer        the social value it offers in tenders        x 0 0.5 1 1.5  (a share of its bid, <= 1)
//   delivery     the share of pledged social value delivered  x 0.5 0.75 1 1.25 (<= 1)
//   conduct      its hidden conduct quality   x 0.5 1 1.5 (<= 1), which costs conduct_cost of its inputs
// Every firm starts at multiplier 1 on every lever, so a learning run starts where a fixed run stays.
//
// Rules (society.firm_rule):
//   fixed          the base traits, never revised (earlier results reproduce);
//   reinforcement  Roth-Erev per lever (Erev & Roth 1998): each lever keeps a propensity per level and
//                  every firm_review steps reinforces the level it played with the firm's profit rate over
//                  the review, then draws each lever's next level from its propensities;
//   imitation      every firm_review steps a firm looks at a random other firm of its supply-chain stage
//                  and copies all its levers with the Fermi probability on their profit rates (Szabo & Toke
//                  1998), then with chance firm_mutation moves one random lever to a random level.
// The profit rate is what the firm earned over the review (its change in cash plus the profit it shared
// with staff as bonus: revenue, sales and tender wins, less inputs, contracted wages, CSR, delivered social
// value, data tax, and any sanction a regime charged) per step, over its contracted payroll at the base
// wage. Sanctions reach it as lost bids (a blacklist), lost customers (a published label) or fines.
#pragma once

#include <array>
#include <string_view>

#include "society/behaviours/fwd.hpp"

namespace civitas::society {

enum class firm_rule { fixed, reinforcement, imitation };
inline constexpr std::array<std::string_view, 3> firm_rule_names{"fixed", "reinforcement", "imitation"};

struct firm_strategy_params {
  firm_rule rule = firm_rule::fixed;
  std::uint32_t firm_review = 4;      // steps between a firm's reviews of its levers
  double firm_propensity = 1;         // reinforcement: initial propensity of every level
  double firm_forgetting = 0.1;       // reinforcement: share of propensities forgotten per review (phi)
  double firm_experimentation = 0.2;  // reinforcement: share of a payoff spilt to the levels not played
  double firm_payoff_shift = 1;       // reinforcement: added to every profit rate so it is >= 0
  double firm_beta = 10;              // imitation: selection strength, per unit of profit rate
  double firm_mutation = 0.05;        // imitation: chance per review of a random change to one lever
  double conduct_cost = 0;            // inputs cost (1 + conduct_cost x conduct) of their base

  static std::vector<params::param> declare();
};

namespace firm_strategy {

enum lever : std::size_t { wage, price, csr, offer, delivery, conduct, levers };
inline constexpr std::array<std::string_view, levers> lever_names{"wage",  "price",    "csr",
                                                                  "offer", "delivery", "conduct"};
// The multipliers each lever offers; index 0 of a lever's levels is its lowest.
inline constexpr std::size_t max_levels = 5;
struct lever_levels {
  std::size_t count;
  std::array<double, max_levels> multiplier;
  std::size_t start;  // the level of multiplier 1
};
inline constexpr std::array<lever_levels, levers> levels{{
    {5, {0.25, 0.5, 0.75, 1.0, 1.25}, 3},
    {5, {0.8, 0.9, 1.0, 1.1, 1.25}, 2},
    {4, {0.0, 0.5, 1.0, 2.0, 0}, 2},
    {4, {0.0, 0.5, 1.0, 1.5, 0}, 2},
    {4, {0.5, 0.75, 1.0, 1.25, 0}, 2},
    {3, {0.5, 1.0, 1.5, 0, 0}, 1},
}};

// A firm's levers and what it learns them from.
struct posture {
  std::array<std::uint8_t, levers> level{};
  std::array<std::array<double, max_levels>, levers> propensity{};  // reinforcement only
  amount_t cash_mark = 0;                                           // the firm's cash at its last review
  amount_t wages_mark = 0;  // its wages paid (gross, cumulative) at its last review
  double profit_rate = 0;   // profit per step over base payroll, at its last review
};

// Sets every firm's levers to their start (multiplier 1) and its marks; traits are the base traits.
void start(society_state& s, const sim::world& w);
// Whether firms revise their levers in this run.
bool learns(const society_state& s);
// At the end of govern, on review steps: every firm's profit rate over the review, then its new levers
// (reinforcement or imitation, one stream per firm and step), and the traits they give.
void review(society_state& s, const sim::world& w);
// A firm's input cost factor: (1 + conduct_cost x conduct) / its price multiplier (1 for a fixed firm).
double input_factor(const society_state& s, std::uint32_t f);
std::vector<column> columns(const society_state& s);  // its /series columns, in order

}  // namespace firm_strategy

}  // namespace civitas::society
