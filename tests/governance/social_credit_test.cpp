// The social-credit regime at the level of the ledger and the series: detection, warnings, sanctions,
// the blacklist in tenders and shops, and scores that are ledger certificates.
#include "governance/social_credit.hpp"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <map>

#include "driver/registry.hpp"
#include "ledger/hash.hpp"
#include "sim/world.hpp"
#include "society/society_model.hpp"
#include "support/captured_run.hpp"

using namespace civitas;

namespace {

params::scenario scenario_with(std::vector<std::string> extra, std::uint64_t seed = 1) {
  extra.insert(extra.begin(), "governance.regime=social_credit");
  return test::small_society(seed, extra);
}

// A captured run plus the regime's scores at the end.
struct observed_run : test::captured_run {
  std::vector<double> final_scores;  // credit_score per agent, from the regime
  token_id credit_token = 0;
  agent_id citizens = 0, firms = 0;
};

observed_run run(const params::scenario& s, int threads = 2) {
  observed_run out;
  static_cast<test::captured_run&>(out) = test::capture(s, threads, [&](const sim::world& w) {
    const auto& m = dynamic_cast<const society::society_model&>(w.active_model());
    out.citizens = m.citizens();
    out.firms = m.firms();
    if (const auto* sc = dynamic_cast<const governance::social_credit*>(&m.regime())) {
      out.credit_token = sc->token();
      for (agent_id a = 0; a <= m.government(); ++a) out.final_scores.push_back(sc->agent_score(a));
    }
  });
  return out;
}

}  // namespace

TEST(SocialCredit, NoDetectionMeansNoSanctionsNoWarningsNoRewards) {
  const auto r = run(scenario_with({"social_credit.q=0", "society.misconduct_probability=0.5"}));
  EXPECT_GT(r.total("misconduct"), 1000);
  for (const char* column :
       {"sanctions", "warnings", "rewards", "false_accusations", "blacklisted_citizens", "blacklisted_firms"})
    EXPECT_EQ(r.total(column), 0) << column;
  for (const auto& b : r.blocks)
    for (const auto& rec : b.records) {
      EXPECT_NE(rec.reason, code(governance::social_credit_reason::credit_penalty));
      EXPECT_NE(rec.reason, code(governance::social_credit_reason::credit_reward));
    }
}

TEST(SocialCredit, WarningComesBeforeTheFirstPunishment) {
  // Everyone misbehaves every step and is always seen: step 1 warns every citizen, step 2 punishes them.
  const auto r = run(scenario_with({"social_credit.q=1", "social_credit.error=0",
                                    "society.misconduct_probability=1", "society.deed_probability=0"}));
  EXPECT_GE(r.metric(1, "warnings"), 2000);
  EXPECT_EQ(r.metric(1, "sanctions"), 0);
  EXPECT_GE(r.metric(2, "sanctions"), 2000);
  // 1000 - 3 x 50 = 850 < 900: three punishments put every citizen on the blacklist, which caps spending.
  EXPECT_EQ(r.metric(4, "blacklisted_citizens"), 2000);
  const auto free = run(scenario_with(
      {"governance.regime=market", "society.misconduct_probability=1", "society.deed_probability=0"}));
  EXPECT_LT(r.metric(10, "purchases"), 0.75 * free.metric(10, "purchases"));
}

TEST(SocialCredit, ScoresAreLedgerCertificates) {
  const auto r = run(scenario_with({"society.misconduct_probability=0.1"}));
  // Every score change is a record of the credit token with a social-credit reason, and the regime's
  // score of each agent is exactly its credit-token balance.
  for (const auto& b : r.blocks)
    for (const auto& rec : b.records)
      if (rec.token == r.credit_token && b.header.step > 0) {
        EXPECT_TRUE(rec.reason == code(governance::social_credit_reason::credit_reward) ||
                    rec.reason == code(governance::social_credit_reason::credit_penalty) ||
                    rec.reason == code(governance::social_credit_reason::credit_review))
            << rec.reason;
      }
  std::map<agent_id, amount_t> balance;
  for (std::size_t a = 0; a < r.accounts.size(); ++a)
    if (r.accounts[a].token == r.credit_token && !(r.accounts[a].flags & ledger::account_flag::issuer))
      balance[r.accounts[a].owner] = r.final_balances[a];
  ASSERT_EQ(balance.size(), r.citizens + r.firms);
  for (const auto& [agent, units] : balance)
    EXPECT_EQ(r.final_scores.at(agent), static_cast<double>(units)) << agent;
  EXPECT_GT(r.total("sanctions"), 0);
  EXPECT_GT(r.total("rewards"), 0);
}

TEST(SocialCredit, ABlacklistedFirmNeverWinsATender) {
  // Low wages make many firms red-rated (their misconduct); full detection blacklists them quickly.
  const auto s =
      scenario_with({"society.wage_mean=60", "social_credit.q=1", "social_credit.penalty=200",
                     "society.procurement_every=1", "society.procurement_bidders=20", "run.steps=30"});
  const auto r = run(s);
  std::map<account_id, amount_t> score;  // credit-token balance per account, block by block
  std::size_t awards = 0, blacklisted_at_some_award = 0;
  for (const auto& b : r.blocks) {
    // Tenders run before the regime acts, so they see the scores as they stood at the end of the last block.
    for (const auto& rec : b.records)
      if (rec.reason == code(society::reason::procurement) && rec.status == 0) {
        ++awards;
        const agent_id firm = r.accounts[rec.credit].owner;
        account_id credit_account = 0;
        for (std::size_t a = 0; a < r.accounts.size(); ++a)
          if (r.accounts[a].owner == firm && r.accounts[a].token == r.credit_token)
            credit_account = static_cast<account_id>(a);
        EXPECT_GE(score[credit_account], s.get<governance::social_credit_params>().grade_c)
            << "step " << b.header.step << ": blacklisted firm " << firm << " won";
      }
    for (const auto& rec : b.records)
      if (rec.token == r.credit_token && rec.status == 0) {
        score[rec.debit] -= rec.amount;
        score[rec.credit] += rec.amount;
      }
    blacklisted_at_some_award += r.metric(b.header.step, "blacklisted_firms") > 0;
  }
  EXPECT_GT(awards, 20u);
  EXPECT_GT(blacklisted_at_some_award, 10u);  // the rule was exercised, not vacuous
}

TEST(SocialCredit, ThreadCountDoesNotChangeTheRun) {
  const auto s = scenario_with({"society.misconduct_probability=0.05"});
  EXPECT_EQ(run(s, 1).head, run(s, 2).head);
}

TEST(SocialCredit, MarketHasNoScoresAndZeroSanctions) {
  const auto s = scenario_with({"governance.regime=market"});
  tbb::task_arena arena(2);
  arena.execute([&] {
    const auto world_owner = driver::make_world(s);
    sim::world& w = *world_owner;
    w.genesis();
    for (step_t i = 0; i < s.get<sim::run_params>().steps; ++i) w.step();
    const auto& columns = w.metric_columns();
    const auto at = [&](const std::string& c) {
      return w.metrics()[static_cast<std::size_t>(std::find(columns.begin(), columns.end(), c) -
                                                  columns.begin())];
    };
    EXPECT_EQ(at("sanctions"), 0);
    EXPECT_TRUE(std::isnan(at("mean_credit_score")));
    EXPECT_EQ(w.ledger().token_count(), 4u);  // cash and the three value tokens: no credit certificates
  });
}

TEST(SocialCredit, ThePrecisionAndRecallOfItsAccusations) {
  // Seeing nothing, it accuses no one: precision is undefined, recall 0 wherever there was misconduct.
  const auto blind = run(scenario_with({"social_credit.q=0", "society.misconduct_probability=0.5"}));
  for (step_t t = 1; t < blind.blocks.size(); ++t) {
    EXPECT_TRUE(std::isnan(blind.metric(t, "accusation_precision"))) << t;
    if (blind.metric(t, "misconduct") > 0) {
      EXPECT_EQ(blind.metric(t, "accusation_recall"), 0) << t;
    }
  }
  // Never wrong: every accusation is true. Seeing everything: every act of misconduct is caught.
  const auto exact = run(scenario_with({"social_credit.q=1", "social_credit.error=0"}));
  std::size_t defined = 0;
  for (step_t t = 1; t < exact.blocks.size(); ++t) {
    EXPECT_EQ(exact.metric(t, "false_accusations"), 0);
    if (std::isnan(exact.metric(t, "accusation_precision"))) continue;
    ++defined;
    EXPECT_EQ(exact.metric(t, "accusation_precision"), 1) << t;
    EXPECT_EQ(exact.metric(t, "accusation_recall"), 1) << t;
  }
  EXPECT_GT(defined, 10u);
  // Erring on 5%, with half of the acts seen: some accusations are false, about half the misconduct caught.
  const auto usual = run(scenario_with({}));
  double precision = 0, recall = 0;
  std::size_t n = 0;
  for (step_t t = 1; t < usual.blocks.size(); ++t) {
    if (std::isnan(usual.metric(t, "accusation_precision"))) continue;
    precision += usual.metric(t, "accusation_precision");
    recall += usual.metric(t, "accusation_recall");
    ++n;
  }
  ASSERT_GT(n, 10u);
  EXPECT_GT(precision / n, 0.0);
  EXPECT_LT(precision / n, 1.0);
  EXPECT_NEAR(recall / n, 0.5, 0.15);
}
