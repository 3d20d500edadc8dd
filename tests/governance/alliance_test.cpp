// The good-deeds alliance at the level of the ledger: the closed loop, freezing, claw-back, clearing.
#include "governance/alliance.hpp"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <map>
#include <set>

#include "driver/registry.hpp"
#include "ledger/hash.hpp"
#include "sim/world.hpp"
#include "society/society_model.hpp"
#include "support/captured_run.hpp"

using namespace civitas;

namespace {

params::scenario alliance_scenario(std::vector<std::string> extra = {}, std::uint64_t seed = 1) {
  extra.insert(extra.begin(), {"governance.regime=alliance", "run.steps=40"});
  return test::small_society(seed, extra);
}

struct alliance_run : test::captured_run {
  token_id points = 0;
  std::set<account_id> sponsors_cash;
  std::vector<std::pair<step_t, account_id>> freezes;
};

alliance_run run(const params::scenario& s, int threads = 2) {
  alliance_run out;
  static_cast<test::captured_run&>(out) = test::capture(s, threads, [&](const sim::world& w) {
    const auto& m = dynamic_cast<const society::society_model&>(w.active_model());
    const auto& al = dynamic_cast<const governance::alliance&>(m.regime());
    out.points = al.token();
    out.freezes = al.freezes();
    for (const std::uint32_t f : al.sponsors()) out.sponsors_cash.insert(m.cash_account(m.firm_agent(f)));
  });
  return out;
}

}  // namespace

TEST(Alliance, PointsNeverReachACashAccountAndCannotBeSold) {
  const auto r = run(alliance_scenario());
  std::size_t point_records = 0;
  for (const auto& b : r.blocks)
    for (const auto& rec : b.records) {
      if (rec.token != r.points) {
        EXPECT_NE(r.accounts[rec.credit].token, r.points);
        continue;
      }
      ++point_records;
      EXPECT_EQ(r.accounts[rec.credit].token, r.points);
      EXPECT_EQ(r.accounts[rec.debit].token, r.points);
      EXPECT_NE(rec.reason, code(society::reason::sell_value));
    }
  EXPECT_GT(point_records, 1000u);
  // The closed loop is the ledger's rule, not the model's good manners: a transfer of points into a cash
  // account is refused.
  const auto world_owner = driver::make_world(alliance_scenario({"run.steps=1"}));
  sim::world& w = *world_owner;
  w.genesis();
  const auto& m = dynamic_cast<const society::society_model&>(w.active_model());
  const auto& al = dynamic_cast<const governance::alliance&>(m.regime());
  w.ledger().begin_step(1);
  const ledger::transfer_intent mint{w.ledger().issuer_account(al.token()),
                                     al.points_account(0),
                                     100,
                                     0,
                                     al.token(),
                                     code(governance::alliance_reason::alliance_issue)};
  ASSERT_EQ(w.ledger().apply(std::span(&mint, 1), m.government()), ledger::status::applied);
  const ledger::transfer_intent cash_out{al.points_account(0),
                                         m.cash_account(0),
                                         50,
                                         0,
                                         al.token(),
                                         code(governance::alliance_reason::alliance_redeem)};
  EXPECT_EQ(w.ledger().apply(std::span(&cash_out, 1), 0), ledger::status::token_mismatch);
  const ledger::transfer_intent as_cash{al.points_account(0),           m.cash_account(1), 50, 0, 0,
                                        code(society::reason::purchase)};
  EXPECT_EQ(w.ledger().apply(std::span(&as_cash, 1), 0), ledger::status::token_mismatch);
}

TEST(Alliance, AFrozenAccountCannotSpendUntilItThaws) {
  const auto s = alliance_scenario({"alliance.fraud_probability=0.2", "alliance.fake_pass=1",
                                    "alliance.audit_probability=1", "alliance.redeem_probability=1"});
  const auto r = run(s);
  // A freeze ordered in govern of step s holds through the decide phases of steps s+1 .. s+freeze_steps.
  std::map<account_id, std::vector<step_t>> frozen_at;
  for (const auto& [step, account] : r.freezes) frozen_at[account].push_back(step);
  auto frozen = [&](account_id a, step_t step) {
    const auto it = frozen_at.find(a);
    if (it == frozen_at.end()) return false;
    for (const step_t s0 : it->second)
      if (step > s0 && step <= s0 + s.get<governance::alliance_params>().freeze_steps) return true;
    return false;
  };
  std::size_t refused = 0, spent = 0;
  for (const auto& b : r.blocks)
    for (const auto& rec : b.records) {
      if (rec.reason != code(governance::alliance_reason::alliance_redeem)) continue;
      const bool is_frozen = frozen(rec.debit, b.header.step);
      EXPECT_EQ(rec.status == static_cast<std::uint8_t>(ledger::status::frozen_account), is_frozen)
          << "step " << b.header.step << " account " << rec.debit;
      refused += is_frozen;
      spent += rec.status == 0;
    }
  EXPECT_GT(frozen_at.size(), 50u);
  EXPECT_GT(spent, 100u);
  EXPECT_GT(refused, 50u);
}

TEST(Alliance, TripsAreCreditedThroughTheDistributorAndSupplyAddsUp) {
  const auto r = run(alliance_scenario());
  amount_t issued = 0, retired = 0;
  for (const auto& b : r.blocks)
    for (std::size_t i = 0; i < b.records.size(); ++i) {
      const auto& rec = b.records[i];
      if (rec.token != r.points || rec.status != 0) continue;
      if (rec.reason == code(governance::alliance_reason::alliance_issue)) {
        issued += rec.amount;
        const auto& credit = b.records.at(i + 1);  // the same chain: distributor -> end user
        EXPECT_TRUE(rec.flags & ledger::intent_flag::linked);
        EXPECT_EQ(credit.reason, code(governance::alliance_reason::alliance_credit));
        EXPECT_EQ(credit.debit, rec.credit);
        EXPECT_EQ(credit.amount, rec.amount);
      }
      if (rec.reason == code(governance::alliance_reason::alliance_burn) ||
          rec.reason == code(governance::alliance_reason::alliance_clawback))
        retired += rec.amount;
    }
  EXPECT_GT(issued, 0);
  EXPECT_GT(retired, 0);
  EXPECT_EQ(r.blocks.back().header.supplies.at(r.points), issued - retired);
}

TEST(Alliance, ClearingSettlesOnlyNetAmountsAndPaysOutNoMoreThanCameIn) {
  const auto r = run(alliance_scenario({"alliance.redeem_probability=0.8"}));
  amount_t in = 0, out = 0;
  std::size_t clearings = 0;
  for (const auto& b : r.blocks) {
    std::map<account_id, int> touched;
    for (const auto& rec : b.records) {
      if (rec.reason != code(governance::alliance_reason::alliance_clearing) || rec.status != 0) continue;
      const account_id sponsor = r.sponsors_cash.count(rec.debit) ? rec.debit : rec.credit;
      EXPECT_TRUE(r.sponsors_cash.count(sponsor)) << "clearing moves cash only to and from sponsors";
      ++touched[sponsor];
      if (r.sponsors_cash.count(rec.debit))
        in += rec.amount;
      else
        out += rec.amount;
    }
    for (const auto& [sponsor, times] : touched)
      EXPECT_EQ(times, 1) << "one net settlement per sponsor per period";
    clearings += !touched.empty();
  }
  EXPECT_GT(clearings, 3u);
  EXPECT_GT(out, 0);
  EXPECT_LE(out, in);
}

TEST(Alliance, ThreadCountDoesNotChangeTheRun) {
  const auto s = alliance_scenario({"run.steps=16"});
  EXPECT_EQ(run(s, 1).head, run(s, 2).head);
}

TEST(Alliance, ARedeemedOfferGivesTheCitizenItsWorthFromTheSponsor) {
  const auto r = civitas::test::capture(alliance_scenario({"run.steps=12"}));
  std::size_t redeemed = 0, discounts = 0;
  for (const auto& b : r.blocks) {
    for (const auto& rec : b.records) {
      if (rec.status != 0) continue;
      if (rec.reason == code(governance::alliance_reason::alliance_redeem)) ++redeemed;
      if (rec.reason == code(governance::alliance_reason::alliance_discount)) {
        ++discounts;
        EXPECT_EQ(rec.amount, 25);                       // the offer's value
        EXPECT_EQ(rec.token, 0);                         // cash: the good's worth, not points
        EXPECT_LT(r.accounts[rec.credit].owner, 2000u);  // to a citizen
      }
    }
  }
  EXPECT_GT(redeemed, 0u);
  EXPECT_EQ(discounts, redeemed);  // every applied redemption is honoured (sponsors have the cash here)
}

// ---- fake claims as a choice against the audit (Becker 1968) ----

TEST(AllianceFraud, TheLogitRuleWeighsThePointsAgainstTheAudit) {
  // Points worth 10 x 25 / 50 = 5 cash; a claim passes with 0.3: g = 1.5; sanction q x 0.3 x (5 + 20).
  const auto s = alliance_scenario({"alliance.fraud_rule=logit", "alliance.audit_probability=0.4",
                                    "alliance.fraud_scruple=2", "alliance.fraud_lambda=0.5"});
  const governance::alliance a(s);
  const double du = 0.3 * 5 - 0.4 * 0.3 * (5 + 20) - 2;
  EXPECT_NEAR(a.fraud_utility().total(), du, 1e-12);
  EXPECT_NEAR(a.fraud_chance(), 1 / (1 + std::exp(-0.5 * du)), 1e-15);
  EXPECT_EQ(a.own_columns(), (std::vector<std::string>{"fraud_rate"}));
  // Without audits (period 0) nothing is sanctioned.
  const governance::alliance unaudited(alliance_scenario({"alliance.fraud_rule=logit", "alliance.period=0"}));
  EXPECT_NEAR(unaudited.fraud_utility().total(), 0.3 * 5 - 35, 1e-12);
  const governance::alliance fixed(alliance_scenario({"alliance.fraud_probability=0.07"}));
  EXPECT_EQ(fixed.fraud_chance(), 0.07);
  EXPECT_TRUE(fixed.own_columns().empty());  // the default rule keeps the column set
}

TEST(AllianceFraud, LogitFraudIsThreadIndependentAndFoundCheatsAreClawedBack) {
  const auto s = alliance_scenario({"alliance.fraud_rule=logit", "alliance.fraud_scruple=0",
                                    "alliance.points_per_trip=100", "alliance.fake_pass=1", "run.steps=16"});
  test::expect_thread_independent(s);
  const auto one = run(s, 1);
  EXPECT_GT(one.mean_metric("fraud_rate"), 0.0);
  EXPECT_GT(one.total("points_clawed_back"), 0);
}
