// What people do differs by regime: `civitas compare` on the shipped comparison (logit misconduct and
// deeds) and a `civitas sweep` of detection, read back from their CSV reports.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "support/process.hpp"

using civitas::test::run_civitas;
namespace fs = std::filesystem;

namespace {
struct cell {
  double mean = 0, low = 0, high = 0;
  bool differs = false;
};
// metric -> group -> cell, from a comparison table's CSV (metric,group,mean,ci_low,ci_high,n,differs).
std::map<std::string, std::map<std::string, cell>> read_table(const fs::path& csv) {
  std::map<std::string, std::map<std::string, cell>> t;
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const auto q1 = line.find('"'), q2 = line.find('"', q1 + 1);
    const std::string metric = line.substr(0, q1 - 1), group = line.substr(q1 + 1, q2 - q1 - 1);
    std::istringstream rest(line.substr(q2 + 2));
    std::string mean, low, high, n, differs;
    std::getline(rest, mean, ',');
    std::getline(rest, low, ',');
    std::getline(rest, high, ',');
    std::getline(rest, n, ',');
    std::getline(rest, differs, ',');
    const auto number = [](const std::string& x) { return x == "n/a" ? std::nan("") : std::stod(x); };
    t[metric][group] = {number(mean), number(low), number(high), differs == "yes"};
  }
  return t;
}
fs::path temp(const std::string& name) {
  return fs::temp_directory_path() / ("civitas_behaviour_" + std::to_string(::getpid()) + "_" + name);
}
}  // namespace

TEST(BehaviourCli, TheComparisonShowsRegimesChangingWhatPeopleDo) {
  const auto out = temp("compare.h5");
  const auto r =
      run_civitas("compare regimes/compare --replicates 3 --steps 12 --quiet --out '" + out.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto t = read_table(fs::path(out).replace_extension(".csv"));
  // Social credit's detection and fine deter theft: fewer thieves and less stolen, intervals apart.
  const auto& mis = t.at("misconduct_per_capita_step");
  EXPECT_TRUE(mis.at("social_credit").differs);
  EXPECT_LT(mis.at("social_credit").high, mis.at("market").low);
  EXPECT_LT(t.at("stolen_per_step").at("social_credit").high, t.at("stolen_per_step").at("market").low);
  // Under the alliance value tokens cannot be sold, so a deed earns nothing in cash: fewer deeds.
  const auto& deeds = t.at("deeds_done_per_capita_step");
  EXPECT_TRUE(deeds.at("alliance").differs);
  EXPECT_LT(deeds.at("alliance").high, deeds.at("market").low);
  for (const auto& ext : {".h5", ".csv", ".md"}) fs::remove(fs::path(out).replace_extension(ext));
}

TEST(BehaviourCli, MisconductFallsAsDetectionRises) {
  const auto out = temp("sweep.h5");
  const auto r = run_civitas(
      "sweep regimes/compare --set governance.regime=social_credit --grid social_credit.q=0,0.5,1 "
      "--replicates 3 "
      "--steps 6 --quiet --report '" +
      fs::path(out).replace_extension("").string() + "' --out '" + out.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto t = read_table(fs::path(out).replace_extension(".csv"));
  const auto& m = t.at("misconduct");
  const cell &q0 = m.at("social_credit.q=0"), &q5 = m.at("social_credit.q=0.5"),
             &q1 = m.at("social_credit.q=1");
  EXPECT_LT(q5.high, q0.low);
  EXPECT_LT(q1.high, q5.low);
  EXPECT_TRUE(q5.differs);
  EXPECT_TRUE(q1.differs);
  for (const auto& ext : {".h5", ".csv", ".md"}) fs::remove(fs::path(out).replace_extension(ext));
}

TEST(BehaviourCli, TripsRiseWithThePointsATripEarns) {
  const auto out = temp("trips.h5");
  const auto r = run_civitas(
      "sweep regimes/alliance --set alliance.trip_rule=logit --set population.citizens=3000 --set "
      "population.firms=60 "
      "--set population.charities=6 --grid alliance.points_per_trip=1,10,100 --replicates 3 --steps 6 "
      "--quiet "
      "--report '" +
      fs::path(out).replace_extension("").string() + "' --out '" + out.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto t = read_table(fs::path(out).replace_extension(".csv"));
  const auto& trips = t.at("trips");
  const cell &p1 = trips.at("alliance.points_per_trip=1"), &p10 = trips.at("alliance.points_per_trip=10"),
             &p100 = trips.at("alliance.points_per_trip=100");
  EXPECT_LT(p1.high, p10.low);
  EXPECT_LT(p10.high, p100.low);
  EXPECT_TRUE(p100.differs);
  for (const auto& ext : {".h5", ".csv", ".md"}) fs::remove(fs::path(out).replace_extension(ext));
}
