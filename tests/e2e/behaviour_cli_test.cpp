// What people do differs by regime: `civitas compare` on the shipped comparison (logit misconduct and
// deeds) and a `civitas sweep` of detection, read back from their CSV reports.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "support/process.hpp"

using civitas::test::run_civitas;
namespace fs = std::filesystem;

namespace {
struct cell {
  double mean = 0, low = 0, high = 0;
  bool differs = false;  // the paired difference against the first group is significant (Holm)
  double diff = 0;       // that paired difference's mean (NaN for the first group)
};
// metric -> group -> cell, from a comparison table's CSV (metric,group,mean,ci_low,ci_high,n,diff_mean,
// diff_ci_low,diff_ci_high,pairs,p_value,p_holm,significant,...).
std::map<std::string, std::map<std::string, cell>> read_table(const fs::path& csv) {
  std::map<std::string, std::map<std::string, cell>> t;
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const auto q1 = line.find('"'), q2 = line.find('"', q1 + 1);
    const std::string metric = line.substr(0, q1 - 1), group = line.substr(q1 + 1, q2 - q1 - 1);
    std::istringstream rest(line.substr(q2 + 2));
    std::vector<std::string> f;
    for (std::string x; std::getline(rest, x, ',');) f.push_back(x);
    f.resize(13);
    const auto number = [](const std::string& x) {
      return x.empty() || x == "n/a" ? std::nan("") : std::stod(x);
    };
    t[metric][group] = {number(f[0]), number(f[1]), number(f[2]), f[10] == "yes", number(f[4])};
  }
  return t;
}
// Runs `civitas COMMAND` writing NAME.h5 and its report NAME.csv/.md in a temporary place, and returns the
// report's table (the files are removed).
std::map<std::string, std::map<std::string, cell>> study(const std::string& command,
                                                         const std::string& name) {
  const fs::path out =
      fs::temp_directory_path() / ("civitas_behaviour_" + std::to_string(::getpid()) + "_" + name);
  const auto r =
      run_civitas(command + " --quiet --out '" + out.string() + ".h5' --report '" + out.string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto table = read_table(out.string() + ".csv");
  for (const auto& ext : {".h5", ".csv", ".md"}) fs::remove(out.string() + ext);
  return table;
}
}  // namespace

TEST(BehaviourCli, TheComparisonShowsRegimesChangingWhatPeopleDo) {
  const auto t = study("compare regimes/compare --replicates 3 --steps 12", "compare");
  // Social credit's detection and fine deter theft: fewer thieves and less stolen, intervals apart.
  const auto& mis = t.at("misconduct_per_capita_step");
  EXPECT_TRUE(mis.at("social_credit").differs);
  EXPECT_LT(mis.at("social_credit").high, mis.at("market").low);
  EXPECT_LT(t.at("stolen_per_step").at("social_credit").high, t.at("stolen_per_step").at("market").low);
  // Under the alliance value tokens cannot be sold, so a deed earns nothing in cash: fewer deeds.
  const auto& deeds = t.at("deeds_done_per_capita_step");
  EXPECT_TRUE(deeds.at("alliance").differs);
  EXPECT_LT(deeds.at("alliance").high, deeds.at("market").low);
  // Social credit's privacy penalty (the data feeds the authority) lowers consent to data use.
  const auto& consent = t.at("consent_rate");
  EXPECT_TRUE(consent.at("social_credit").differs);
  EXPECT_LT(consent.at("social_credit").high, consent.at("market").low);
}

TEST(BehaviourCli, SocialCreditsGradeLabelPushesMoreFirmsBelowTheModernSlaveryLine) {
  // Shoppers avoid a D-grade retailer (label -1); its pay follows its sales, so more firms fall below the
  // line (Red) than under the market, and most of the gap goes with the label.
  const std::string base = "compare regimes/compare --regimes market,social_credit --replicates 8";
  const auto labelled = study(base, "labelled");
  const auto unlabelled = study(base + " --set society.label_weight=0", "unlabelled");
  const cell& with = labelled.at("share_red").at("social_credit");
  const cell& without = unlabelled.at("share_red").at("social_credit");
  std::printf("share of Red firms, social credit - market: %+.4f with the label, %+.4f without\n", with.diff,
              without.diff);
  EXPECT_TRUE(with.differs);
  EXPECT_GT(with.diff, 0.02);
  EXPECT_LT(without.diff, 0.6 * with.diff);
}

// Three sweep points of METRIC in rising order of the swept parameter: each interval above (or below) the
// last, and each paired difference against the first point significant after Holm's correction across all
// the sweep's metrics (a family of about 80, hence 5 replicates where 3 separate the intervals).
void expect_ordered(const std::map<std::string, cell>& m, const std::vector<std::string>& points,
                    bool rising) {
  for (std::size_t i = 1; i < points.size(); ++i) {
    const cell &before = m.at(points[i - 1]), &now = m.at(points[i]);
    if (rising)
      EXPECT_LT(before.high, now.low) << points[i];
    else
      EXPECT_LT(now.high, before.low) << points[i];
    EXPECT_TRUE(now.differs) << points[i];
  }
}

TEST(BehaviourCli, MisconductFallsAsDetectionRises) {
  const auto t = study(
      "sweep regimes/compare --set governance.regime=social_credit --grid social_credit.q=0,0.5,1 "
      "--replicates 3 --steps 6",
      "sweep");
  expect_ordered(t.at("misconduct"), {"social_credit.q=0", "social_credit.q=0.5", "social_credit.q=1"},
                 false);
}

TEST(BehaviourCli, TripsRiseWithThePointsATripEarns) {
  const auto t = study(
      "sweep regimes/alliance --set alliance.trip_rule=logit --set population.citizens=3000 "
      "--set population.firms=60 --set population.charities=6 "
      "--grid alliance.points_per_trip=1,10,100 --replicates 5 --steps 6",
      "trips");
  expect_ordered(
      t.at("trips"),
      {"alliance.points_per_trip=1", "alliance.points_per_trip=10", "alliance.points_per_trip=100"}, true);
}
