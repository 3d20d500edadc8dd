// Tests for params/ (the generic reader, through the engine's catalogue): reading, validation, --set
// overrides, the canonical text and the schema listing.
//
// The broken-file corpus in tests/data/scenarios/broken is checked against `broken_cases` below: every
// file there must have an entry naming each diagnostic's line, column and message, so a new file
// without expectations fails the suite rather than passing silently.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "driver/registry.hpp"
#include "exchange/exchange_model.hpp"
#include "sim/settings.hpp"

namespace civitas::params {
namespace {

using exchange::exchange_rule;
using sim::activation_kind;
using sim::ledger_log;

// The run, population, exchange and output parameters this test reads, as named fields bound to a
// params::scenario (references into its structs, so assignments change the scenario).
struct flat {
  params::scenario p = driver::default_scenario();
  std::string& name = p.get<sim::run_params>().name;
  std::string& description = p.get<sim::run_params>().description;
  std::uint64_t& seed = p.get<sim::run_params>().seed;
  step_t& steps = p.get<sim::run_params>().steps;
  activation_kind& activation = p.get<sim::run_params>().activation;
  std::uint32_t& citizens = p.get<sim::population_params>().citizens;
  exchange_rule& rule = p.get<exchange::exchange_params>().rule;
  amount_t& initial_cash = p.get<exchange::exchange_params>().initial_cash;
  double& saving_propensity = p.get<exchange::exchange_params>().saving_propensity;
  double& yard_sale_fraction = p.get<exchange::exchange_params>().yard_sale_fraction;
  ledger_log& ledger = p.get<sim::output_params>().ledger;
  std::uint32_t& snapshot_every = p.get<sim::output_params>().snapshot_every;
  std::uint32_t& metrics_every = p.get<sim::output_params>().metrics_every;

  flat() = default;
  flat(params::scenario s) : p(std::move(s)) {}  // NOLINT: a scenario reads as its flat view
  flat(const flat& o) : p(o.p) {}
  flat& operator=(const flat&) = delete;
  bool operator==(const flat& o) const { return p == o.p; }
  friend void PrintTo(const flat& f, std::ostream* os) { *os << canonical_toml(f.p); }
};
using scenario = flat;

flat parse_scenario(std::string_view text, const std::string& source,
                    const std::vector<std::string>& overrides = {}) {
  return driver::parse_scenario(text, source, overrides);
}
flat load_scenario(const std::string& path, const std::vector<std::string>& overrides = {}) {
  return driver::load_scenario(path, overrides);
}
std::string canonical_toml(const flat& f) { return params::canonical_toml(f.p); }
std::vector<param_info> scenario_schema() { return list(driver::catalogue()); }
using sim::to_string;  // found by ADL too
std::string_view to_string(exchange_rule r) {
  return exchange::exchange_rule_names[static_cast<std::size_t>(r)];
}

namespace fs = std::filesystem;

const fs::path scenario_data = fs::path(CIVITAS_TEST_DATA) / "scenarios";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The diagnostics parse_scenario throws, or an empty list when it succeeds.
std::vector<diagnostic> errors_of(std::string_view text, const std::vector<std::string>& overrides = {}) {
  try {
    parse_scenario(text, "t.toml", overrides);
  } catch (const input_error& e) {
    return e.diagnostics();
  }
  return {};
}

// Exactly one diagnostic, returned for inspection.
diagnostic only_error(std::string_view text, const std::vector<std::string>& overrides = {}) {
  const auto errors = errors_of(text, overrides);
  EXPECT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors.size()) << " diagnostics";
  return errors.empty() ? diagnostic{} : errors.front();
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

scenario non_default_scenario() {
  scenario s;
  s.name = "full-run_1.x";
  s.description = "Every parameter set: \"quotes\", a tab\there, and caf\xc3\xa9";
  s.seed = 9'223'372'036'854'775'807ULL;
  s.steps = 12'345;
  s.activation = activation_kind::simultaneous;
  s.citizens = 54'321;
  s.rule = exchange_rule::yard_sale;
  s.initial_cash = 1'000'000;
  s.saving_propensity = 0.5;
  s.yard_sale_fraction = 1.0;
  s.ledger = ledger_log::headers;
  s.snapshot_every = 7;
  s.metrics_every = 3;
  return s;
}

// ---------------------------------------------------------------------------------------------------
// Defaults

TEST(ScenarioDefaults, EmptyTextGivesStructDefaults) { EXPECT_EQ(parse_scenario("", "t.toml"), scenario{}); }

TEST(ScenarioDefaults, EmptyFileGivesStructDefaults) {
  EXPECT_EQ(load_scenario((scenario_data / "good" / "empty.toml").string()), scenario{});
}

TEST(ScenarioDefaults, EmptySectionsGiveDefaults) {
  EXPECT_EQ(parse_scenario("[run]\n[population]\n[exchange]\n[output]\n", "t.toml"), scenario{});
}

TEST(ScenarioDefaults, DefaultsAreValid) {
  // The struct's defaults pass the schema's own ranges.
  EXPECT_EQ(parse_scenario(canonical_toml(scenario{}), "t.toml"), scenario{});
}

// ---------------------------------------------------------------------------------------------------
// Reading files

TEST(ScenarioParse, ReadsEveryParameter) {
  const scenario s = load_scenario((scenario_data / "good" / "full.toml").string());
  EXPECT_EQ(s.name, "full-run_1.x");
  EXPECT_EQ(s.description, "Every parameter set: \"quotes\", a tab\there, and caf\xc3\xa9");
  EXPECT_EQ(s.seed, 9'223'372'036'854'775'807ULL);
  EXPECT_EQ(s.steps, 12'345u);
  EXPECT_EQ(s.activation, activation_kind::simultaneous);
  EXPECT_EQ(s.citizens, 54'321u);
  EXPECT_EQ(s.rule, exchange_rule::yard_sale);
  EXPECT_EQ(s.initial_cash, 1'000'000);
  EXPECT_EQ(s.saving_propensity, 0.5);
  EXPECT_EQ(s.yard_sale_fraction, 1.0);
  EXPECT_EQ(s.ledger, ledger_log::headers);
  EXPECT_EQ(s.snapshot_every, 7u);
  EXPECT_EQ(s.metrics_every, 3u);
  EXPECT_EQ(s, non_default_scenario());
}

TEST(ScenarioParse, UnsetParametersKeepDefaults) {
  const scenario s = load_scenario((scenario_data / "good" / "minimal.toml").string());
  scenario expected;
  expected.rule = exchange_rule::saving;
  EXPECT_EQ(s, expected);
}

TEST(ScenarioParse, EveryEnumValueReads) {
  for (const char* a : {"random_sequential", "simultaneous"})
    EXPECT_EQ(to_string(parse_scenario(std::string("run.activation = \"") + a + "\"", "t").activation), a);
  for (const char* r : {"boltzmann", "random_exchange", "saving", "yard_sale"})
    EXPECT_EQ(to_string(parse_scenario(std::string("exchange.rule = \"") + r + "\"", "t").rule), r);
  for (const char* l : {"full", "headers"})
    EXPECT_EQ(to_string(parse_scenario(std::string("output.ledger = \"") + l + "\"", "t").ledger), l);
}

TEST(ScenarioParse, IntegerAcceptedForFloat) {
  const scenario s = parse_scenario("[exchange]\nsaving_propensity = 0\nyard_sale_fraction = 1\n", "t");
  EXPECT_EQ(s.saving_propensity, 0.0);
  EXPECT_EQ(s.yard_sale_fraction, 1.0);
}

TEST(ScenarioParse, InlineTablesAndDottedKeysAreSections) {
  const scenario s = parse_scenario("run.steps = 5\npopulation = { citizens = 3 }\n", "t");
  EXPECT_EQ(s.steps, 5u);
  EXPECT_EQ(s.citizens, 3u);
}

TEST(ScenarioParse, QuotedKeyWithDotIsNotAPath) {
  const diagnostic d = only_error("\"run.steps\" = 5\n");
  EXPECT_PRED2(contains, d.message, "unknown key");
  EXPECT_EQ(d.line, 1);
  EXPECT_EQ(d.column, 1);
}

TEST(ScenarioParse, BoundariesAreInclusiveOrExclusiveAsDocumented) {
  struct probe {
    std::string text;
    bool ok;
  };
  const std::vector<probe> probes = {
      {"run.seed = 0", true},
      {"run.seed = 9223372036854775807", true},
      {"run.seed = -1", false},
      {"run.steps = 1", true},
      {"run.steps = 10000000", true},
      {"run.steps = 0", false},
      {"run.steps = 10000001", false},
      {"population.citizens = 2", true},
      {"population.citizens = 100000000", true},
      {"population.citizens = 1", false},
      {"population.citizens = 100000001", false},
      {"exchange.initial_cash = 1", true},
      {"exchange.initial_cash = 1000000000000", true},
      {"exchange.initial_cash = 0", false},
      {"exchange.initial_cash = 1000000000001", false},
      {"exchange.saving_propensity = 0.0", true},
      {"exchange.saving_propensity = 0.9999999999999999", true},
      {"exchange.saving_propensity = -0.0000001", false},
      {"exchange.saving_propensity = 1.0", false},
      {"exchange.yard_sale_fraction = 5e-324", true},
      {"exchange.yard_sale_fraction = 1.0", true},
      {"exchange.yard_sale_fraction = 0.0", false},
      {"exchange.yard_sale_fraction = 1.0000000000000002", false},
      {"exchange.yard_sale_fraction = inf", false},
      {"exchange.yard_sale_fraction = -inf", false},
      {"output.snapshot_every = 0", true},
      {"output.snapshot_every = 10000000", true},
      {"output.snapshot_every = -1", false},
      {"output.snapshot_every = 10000001", false},
      {"output.metrics_every = 1", true},
      {"output.metrics_every = 10000000", true},
      {"output.metrics_every = 0", false},
      {"output.metrics_every = 10000001", false},
  };
  for (const auto& p : probes) EXPECT_EQ(errors_of(p.text).empty(), p.ok) << p.text;
}

TEST(ScenarioParse, StringLengthsCountCharacters) {
  EXPECT_TRUE(errors_of("run.name = \"" + std::string(64, 'a') + "\"").empty());
  EXPECT_PRED2(contains, only_error("run.name = \"" + std::string(65, 'a') + "\"").message,
               "is 65 characters long (at most 64)");
  EXPECT_PRED2(contains, only_error("run.name = \"\"").message, "run.name: must not be empty");
  EXPECT_TRUE(errors_of("run.description = \"\"").empty());
  // 500 two-byte characters are 500 characters, not 1000.
  std::string accents;
  for (int i = 0; i < 500; ++i) accents += "\xc3\xa9";
  EXPECT_TRUE(errors_of("run.description = \"" + accents + "\"").empty());
  EXPECT_PRED2(contains, only_error("run.description = \"" + accents + "x\"").message, "(at most 500)");
  // A huge value is cut short in the message.
  const diagnostic d = only_error("run.description = \"" + std::string(100'000, 'x') + "\"");
  EXPECT_PRED2(contains, d.message, "xx\"... is 100000 characters long (at most 500)");
  EXPECT_LT(d.message.size(), 200u);
}

TEST(ScenarioParse, NameAllowsOnlyFileNameCharacters) {
  EXPECT_TRUE(errors_of("run.name = \"Az09_.-\"").empty());
  EXPECT_PRED2(contains, only_error("run.name = \"a/b\"").message, "(found '/')");
  EXPECT_PRED2(contains, only_error("run.name = \"caf\xc3\xa9\"").message,
               "may only contain A-Z a-z 0-9 _ . -");
}

TEST(ScenarioParse, UnknownKeySuggestsNearest) {
  const diagnostic d = only_error("[exchange]\nrulee = \"saving\"\n");
  EXPECT_EQ(d.message, "unknown key \"exchange.rulee\" (did you mean \"exchange.rule\"?)");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 1);
  // A transposition is one edit.
  EXPECT_PRED2(contains, only_error("[exchange]\nrlue = 1\n").message, "did you mean \"exchange.rule\"");
  // A key in the wrong section is found by its last component.
  EXPECT_PRED2(contains, only_error("[run]\nrule = \"saving\"\n").message, "did you mean \"exchange.rule\"");
  // Nothing close: no suggestion.
  EXPECT_EQ(only_error("[run]\nzzzzzz = 1\n").message, "unknown key \"run.zzzzzz\"");
}

TEST(ScenarioParse, UnknownSectionSuggestsNearest) {
  EXPECT_EQ(only_error("[exchnge]\n").message, "unknown section \"exchnge\" (did you mean \"exchange\"?)");
  EXPECT_EQ(only_error("[exchange.extra]\n").message, "unknown section \"exchange.extra\"");
}

TEST(ScenarioParse, CollectsAllErrorsInFileOrder) {
  // toml++ iterates keys alphabetically; diagnostics must come back in file order.
  const auto errors =
      errors_of("[run]\nsteps = 0\nactivation = 1\n[population]\ncitizens = 1\n[zzz]\n[aaa]\n");
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_PRED2(contains, errors[0].message, "run.steps");
  EXPECT_PRED2(contains, errors[1].message,
               "run.activation: expected a string (one of random_sequential, simultaneous)");
  EXPECT_PRED2(contains, errors[2].message, "population.citizens");
  EXPECT_PRED2(contains, errors[3].message, "\"zzz\"");
  EXPECT_PRED2(contains, errors[4].message, "\"aaa\"");
  for (std::size_t i = 1; i < errors.size(); ++i) EXPECT_LT(errors[i - 1].line, errors[i].line);
}

TEST(ScenarioParse, ErrorTextListsEveryDiagnostic) {
  try {
    parse_scenario("run.steps = 0\npopulation.citizens = 1\n", "t.toml");
    FAIL() << "expected input_error";
  } catch (const input_error& e) {
    EXPECT_STREQ(e.what(),
                 "t.toml:1:13: run.steps: 0 is out of range (1 to 10000000)\n"
                 "t.toml:2:23: population.citizens: 1 is out of range (2 to 100000000)");
  }
}

TEST(ScenarioParse, NeverCrashesOnHostileInput) {
  std::vector<std::string> inputs = {
      "[" +
          [] {
            std::string deep = "a";
            for (int i = 0; i < 100'000; ++i) deep += ".a";
            return deep;
          }() +
          "]\n",
      "x = " + std::string(200, '[') + std::string(200, ']') + "\n",
      "x = " + std::string(5000, '[') + std::string(5000, ']') + "\n",
      "run.seed = 999999999999999999999999999999\n",
      "run.seed = -9223372036854775808\n",
      "[[run]]\n[[run]]\n",
      "run = []\n",
      "[run]\nname = [\"a\", 1]\n",
      std::string("\xff\xfe\x00\x01garbage", 10),
      std::string("run.name = \"a\0b\"", 16),
      "run.name = \"\\u0000\"\n",
      "\xef\xbb\xbf[run]\nsteps = 3\n",  // a byte order mark is fine
      "[run]\nstart = 1979-05-27T07:32:00Z\nsteps = 1979-05-27\n",
      "[run.name.a.b.c]\n[exchange.rule.x]\n",
      std::string(1 << 16, '='),
  };
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    try {
      parse_scenario(inputs[i], "t.toml");
    } catch (const input_error& e) {
      EXPECT_FALSE(e.diagnostics().empty()) << "input " << i;
    }
  }
}

TEST(ScenarioParse, RandomMutationsNeverCrash) {
  // Mutations of a valid file: each must parse or throw input_error, never anything else.
  const std::string base = read_file(scenario_data / "good" / "full_reordered.toml");
  ASSERT_FALSE(base.empty());
  std::mt19937_64 rng(12345);
  const std::string alphabet = "[]{}=\".,'#\n \\0123456789abez_-+\xff\xc3";
  for (int round = 0; round < 3000; ++round) {
    std::string text = base;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0:
          text[at] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          text.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        default:
          text.erase(at, 1 + rng() % 8);
          break;
      }
      if (text.empty()) text.push_back('x');  // not `= "x"`: GCC 12 -O2 warns falsely (-Wrestrict)
    }
    try {
      parse_scenario(text, "t.toml");
    } catch (const input_error&) {
    }
  }
  SUCCEED();
}

// ---------------------------------------------------------------------------------------------------
// The broken-file corpus

struct expected_diagnostic {
  int line;
  int column;
  std::string message;  // a substring of the diagnostic's message
};

struct broken_case {
  std::string file;
  std::vector<expected_diagnostic> errors;  // in the order reported
};

const std::vector<broken_case>& broken_cases() {
  static const std::vector<broken_case> cases = {
      {"syntax_error.toml", {{3, 21, "Error while parsing string"}}},
      {"unknown_key.toml", {{3, 1, "unknown key \"exchange.rulee\" (did you mean \"exchange.rule\"?)"}}},
      {"unknown_section.toml", {{5, 2, "unknown section \"exchnage\" (did you mean \"exchange\"?)"}}},
      {"top_level_key.toml", {{2, 1, "unknown key \"seed\" (did you mean \"run.seed\"?)"}}},
      {"wrong_type.toml", {{2, 9, "run.steps: expected an integer, got a string"}}},
      {"out_of_range_low.toml", {{2, 12, "population.citizens: 1 is out of range (2 to 100000000)"}}},
      {"out_of_range_high.toml", {{2, 9, "run.steps: 10000001 is out of range (1 to 10000000)"}}},
      {"negative_seed.toml", {{2, 8, "run.seed: -1 is out of range (0 to 9223372036854775807)"}}},
      {"bad_enum.toml",
       {{2, 8, "exchange.rule: \"boltzman\" is not one of boltzmann, random_exchange, saving, yard_sale"}}},
      {"float_for_int.toml", {{2, 12, "population.citizens: expected an integer, got a float"}}},
      {"nan.toml", {{3, 21, "exchange.saving_propensity: expected a finite number, got nan"}}},
      {"exclusive_bound.toml",
       {{3, 22, "exchange.yard_sale_fraction: 0.0 is out of range (0 to 1, excluding 0)"},
        {4, 21, "exchange.saving_propensity: 1.0 is out of range (0 to 1, excluding 1)"}}},
      {"value_for_table.toml", {{2, 12, "exchange: expected a table, got a string"}}},
      {"table_for_value.toml", {{1, 1, "run.name: expected a string, got a table"}}},
      {"array_for_scalar.toml", {{2, 8, "run.seed: expected an integer, got an array"}}},
      {"bad_name.toml", {{2, 8, "run.name: \"my run\" may only contain A-Z a-z 0-9 _ . - (found a space)"}}},
      {"huge_int.toml", {{2, 28, "is not representable in 64 bits"}}},
      {"duplicate_key.toml", {{3, 9, "cannot redefine existing integer 'steps'"}}},
      {"non_utf8.toml", {{2, 12, "invalid UTF-8 (byte 0xE9)"}}},  // the byte itself, column 12
      {"deep_nesting.toml", {{2, 515, "more than 256 '.' on one line"}}},
      {"cross_field_overflow.toml",
       {{6, 16, "population.citizens * exchange.initial_cash = 100000000 * 1000000000000 exceeds 2^62"}}},
      {"multiple_errors.toml",
       {{4, 9, "run.steps: 0 is out of range (1 to 10000000)"},
        {5, 14, "run.activation: \"sequential\" is not one of random_sequential, simultaneous"},
        {6, 1, "unknown key \"run.colour\""},
        {9, 12, "population.citizens: expected an integer, got a string"},
        {12, 21, "exchange.saving_propensity: 1.5 is out of range (0 to 1, excluding 1)"},
        {14, 2, "unknown section \"outptu\" (did you mean \"output\"?)"}}},
  };
  return cases;
}

class ScenarioBrokenFile : public ::testing::TestWithParam<broken_case> {};

TEST_P(ScenarioBrokenFile, ReportsEachErrorAtItsPlace) {
  const broken_case& c = GetParam();
  const std::string path = (scenario_data / "broken" / c.file).string();
  try {
    load_scenario(path);
    FAIL() << c.file << " loaded without error";
  } catch (const input_error& e) {
    const auto& got = e.diagnostics();
    ASSERT_EQ(got.size(), c.errors.size()) << e.what();
    for (std::size_t i = 0; i < got.size(); ++i) {
      SCOPED_TRACE(got[i].str());
      EXPECT_EQ(got[i].file, path);
      EXPECT_EQ(got[i].line, c.errors[i].line);
      EXPECT_EQ(got[i].column, c.errors[i].column);
      EXPECT_PRED2(contains, got[i].message, c.errors[i].message);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, ScenarioBrokenFile, ::testing::ValuesIn(broken_cases()),
                         [](const ::testing::TestParamInfo<broken_case>& info) {
                           std::string name = fs::path(info.param.file).stem().string();
                           std::replace_if(
                               name.begin(), name.end(),
                               [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
                           return name;
                         });

TEST(ScenarioBrokenCorpus, EveryFileHasExpectations) {
  std::set<std::string> listed;
  for (const auto& c : broken_cases()) listed.insert(c.file);
  std::set<std::string> on_disk;
  for (const auto& e : fs::directory_iterator(scenario_data / "broken"))
    if (e.path().extension() == ".toml") on_disk.insert(e.path().filename().string());
  EXPECT_EQ(on_disk, listed);
  EXPECT_GE(on_disk.size(), 10u);
}

// ---------------------------------------------------------------------------------------------------
// --set overrides

TEST(ScenarioOverride, Numbers) {
  const scenario s = parse_scenario("", "t",
                                    {"run.steps=500", "run.seed = 0x10", "exchange.saving_propensity=0.75",
                                     "exchange.yard_sale_fraction=1", "exchange.initial_cash=1_000"});
  EXPECT_EQ(s.steps, 500u);
  EXPECT_EQ(s.seed, 16u);
  EXPECT_EQ(s.saving_propensity, 0.75);
  EXPECT_EQ(s.yard_sale_fraction, 1.0);
  EXPECT_EQ(s.initial_cash, 1000);
}

TEST(ScenarioOverride, BareWordIsAString) {
  const scenario s =
      parse_scenario("", "t", {"exchange.rule=saving", "output.ledger=headers", "run.name=my-run"});
  EXPECT_EQ(s.rule, exchange_rule::saving);
  EXPECT_EQ(s.ledger, ledger_log::headers);
  EXPECT_EQ(s.name, "my-run");
}

TEST(ScenarioOverride, QuotedAndUnquotedStrings) {
  // What the shell passes for --set run.description="two words" and --set 'run.description="two words"'.
  EXPECT_EQ(parse_scenario("", "t", {"run.description=two words"}).description, "two words");
  EXPECT_EQ(parse_scenario("", "t", {"run.description=\"two words\""}).description, "two words");
  EXPECT_EQ(parse_scenario("", "t", {"run.description='a \"b\"'"}).description, "a \"b\"");
  EXPECT_EQ(parse_scenario("", "t", {"run.description=\"tab\\there\""}).description, "tab\there");
  // For a string parameter, TOML that is not a string is its own text: a run may be named 2024.
  EXPECT_EQ(parse_scenario("", "t", {"run.name=2024"}).name, "2024");
  EXPECT_EQ(parse_scenario("", "t", {"run.name=1.5"}).name, "1.5");
  EXPECT_EQ(parse_scenario("", "t", {"run.description="}).description, "");
  // '=' inside the value belongs to the value.
  EXPECT_EQ(parse_scenario("", "t", {"run.description=a=b"}).description, "a=b");
}

TEST(ScenarioOverride, AppliedAfterFileAndLaterWins) {
  const scenario s = parse_scenario("[run]\nsteps = 10\nseed = 3\n", "t", {"run.steps=20", "run.steps=30"});
  EXPECT_EQ(s.steps, 30u);
  EXPECT_EQ(s.seed, 3u);
  // An override can repair a bad value only by replacing it; the file's error still stands.
  EXPECT_EQ(errors_of("run.steps = 0\n", {"run.steps=5"}).size(), 1u);
}

TEST(ScenarioOverride, BadValueIsPlacedAtTheValue) {
  const diagnostic d = only_error("", {"run.steps=10", "exchange.rule=x"});
  EXPECT_EQ(d.file, "--set");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 15);
  EXPECT_EQ(d.str(),
            "--set:2:15: exchange.rule: \"x\" is not one of boltzmann, random_exchange, saving, yard_sale");
  // Spaces before the value move the column.
  EXPECT_EQ(only_error("", {"run.steps =  0"}).column, 14);
}

TEST(ScenarioOverride, BadValues) {
  EXPECT_EQ(only_error("", {"run.steps=abc"}).message, "run.steps: cannot parse \"abc\" as an integer");
  EXPECT_EQ(only_error("", {"run.steps=1.5"}).message, "run.steps: expected an integer, got a float");
  EXPECT_EQ(only_error("", {"run.steps=\"7\""}).message, "run.steps: expected an integer, got a string");
  EXPECT_EQ(only_error("", {"run.steps="}).message, "run.steps: missing value (expected an integer)");
  EXPECT_EQ(only_error("", {"run.steps=0"}).message, "run.steps: 0 is out of range (1 to 10000000)");
  EXPECT_EQ(only_error("", {"run.seed=99999999999999999999"}).message,
            "run.seed: cannot parse \"99999999999999999999\" as an integer");
  EXPECT_EQ(only_error("", {"exchange.saving_propensity=nan"}).message,
            "exchange.saving_propensity: expected a finite number, got nan");
  EXPECT_EQ(only_error("", {"exchange.saving_propensity=half"}).message,
            "exchange.saving_propensity: cannot parse \"half\" as a float");
  // Extra TOML after the value is not a way to set other keys.
  EXPECT_PRED2(contains, only_error("", {"run.steps=1\nrun.seed = 2"}).message, "cannot parse");
  EXPECT_PRED2(contains, only_error("", {"run.name=\xff"}).message, "is not valid UTF-8");
  EXPECT_PRED2(contains, only_error("", {"exchange.rule=Saving"}).message, "(did you mean \"saving\"?)");
}

TEST(ScenarioOverride, UnknownPathSuggestsNearest) {
  const diagnostic d = only_error("", {"exchange.rulee=saving"});
  EXPECT_EQ(d.str(), "--set:1:1: unknown key \"exchange.rulee\" (did you mean \"exchange.rule\"?)");
  EXPECT_PRED2(contains, only_error("", {"steps=5"}).message, "did you mean \"run.steps\"");
  EXPECT_EQ(only_error("", {"exchange=saving"}).message,
            "\"exchange\" is a section; set one of its parameters, such as \"exchange.rule\"");
}

TEST(ScenarioOverride, MissingEquals) {
  const diagnostic d = only_error("", {"run.steps=5", "exchange.rule"});
  EXPECT_EQ(d.str(), "--set:2:1: expected PATH=VALUE (such as exchange.rule=saving), got \"exchange.rule\"");
  EXPECT_PRED2(contains, only_error("", {"=5"}).message, "expected PATH=VALUE");
}

TEST(ScenarioOverride, ErrorsFollowFileErrors) {
  const auto errors = errors_of("[run]\nsteps = 0\n", {"bogus=1", "run.seed=-2"});
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].file, "t.toml");
  EXPECT_EQ(errors[1].str(), "--set:1:1: unknown key \"bogus\"");
  EXPECT_EQ(errors[2].str(), "--set:2:10: run.seed: -2 is out of range (0 to 9223372036854775807)");
}

TEST(ScenarioOverride, StillCheckedWhenTheFileDoesNotParse) {
  const auto errors = errors_of("[run\n", {"run.steps=0"});
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].file, "t.toml");
  EXPECT_EQ(errors[1].file, "--set");
}

// ---------------------------------------------------------------------------------------------------
// Cross-field rules

TEST(ScenarioCrossField, TotalMoneyAtTheLimitIsAccepted) {
  // 2^26 citizens with 2^36 each is exactly 2^62.
  EXPECT_TRUE(errors_of("population.citizens = 67108864\nexchange.initial_cash = 68719476736\n").empty());
  const auto errors = errors_of("population.citizens = 67108864\nexchange.initial_cash = 68719476737\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 2);
  EXPECT_EQ(errors[0].column, 25);
  EXPECT_PRED2(contains, errors[0].message, "exceeds 2^62");
}

TEST(ScenarioCrossField, PlacedAtTheOverrideThatSetIt) {
  const auto errors = errors_of("population.citizens = 100000000\n", {"exchange.initial_cash=1000000000000"});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, "--set");
  EXPECT_EQ(errors[0].line, 1);
  EXPECT_EQ(errors[0].column, 23);
}

TEST(ScenarioCrossField, UsesFinalValues) {
  // The file alone overflows; the override brings it back in range.
  EXPECT_TRUE(errors_of(read_file(scenario_data / "broken" / "cross_field_overflow.toml"),
                        {"population.citizens=1000"})
                  .empty());
}

TEST(ScenarioCrossField, SkippedWhenAnInputIsAlreadyWrong) {
  // citizens is rejected, so the overflow it would cause is not reported on top.
  const auto errors = errors_of("population.citizens = 1000000000\nexchange.initial_cash = 1000000000000\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_PRED2(contains, errors[0].message, "population.citizens: 1000000000 is out of range");
}

// ---------------------------------------------------------------------------------------------------
// Canonical text

TEST(ScenarioCanonical, DefaultTextIsStable) {
  // This text is hashed into every ledger's header 0: a change here changes every run's hash chain.
  EXPECT_EQ(canonical_toml(scenario{}),
            "[run]\n"
            "name = \"default\"\n"
            "description = \"Boltzmann wealth exchange among 10,000 citizens\"\n"
            "seed = 1\n"
            "steps = 200\n"
            "activation = \"random_sequential\"\n"
            "model = \"exchange\"\n"
            "\n"
            "[population]\n"
            "citizens = 10000\n"
            "\n"
            "[exchange]\n"
            "rule = \"boltzmann\"\n"
            "initial_cash = 100\n"
            "saving_propensity = 0.25\n"
            "yard_sale_fraction = 0.1\n"
            "record_unfunded = false\n"
            "\n"
            "[output]\n"
            "ledger = \"full\"\n"
            "snapshot_every = 0\n"
            "metrics_every = 1\n"
            "summary_window = 0\n"
            "compression = 0\n");
}

TEST(ScenarioCanonical, RoundTripsDefault) {
  EXPECT_EQ(parse_scenario(canonical_toml(scenario{}), "x"), scenario{});
}

TEST(ScenarioCanonical, RoundTripsNonDefault) {
  const scenario s = non_default_scenario();
  EXPECT_EQ(parse_scenario(canonical_toml(s), "x"), s);
}

TEST(ScenarioCanonical, FloatsRoundTripExactlyAndLookLikeFloats) {
  for (const double d : {0.1, 1.0 / 3.0, 5e-324, 2.2250738585072014e-308, 0.9999999999999999, 1e-5, 0.5}) {
    scenario s;
    s.yard_sale_fraction = d;
    s.saving_propensity = d;
    const std::string text = canonical_toml(s);
    EXPECT_EQ(parse_scenario(text, "x"), s) << text;
  }
  scenario s;
  s.yard_sale_fraction = 1.0;
  s.saving_propensity = 0.0;
  const std::string text = canonical_toml(s);
  EXPECT_PRED2(contains, text, "yard_sale_fraction = 1.0\n");
  EXPECT_PRED2(contains, text, "saving_propensity = 0.0\n");
}

TEST(ScenarioCanonical, StringsAreEscaped) {
  scenario s;
  s.description = "quote \" backslash \\ newline \n tab \t bell \x07 del \x7f caf\xc3\xa9 \xe2\x82\xac";
  const std::string text = canonical_toml(s);
  EXPECT_PRED2(contains, text,
               "description = \"quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007 del \\u007F "
               "caf\xc3\xa9 \xe2\x82\xac\"\n");
  EXPECT_EQ(parse_scenario(text, "x"), s);
}

TEST(ScenarioCanonical, IndependentOfFormatting) {
  const std::string a = canonical_toml(load_scenario((scenario_data / "good" / "full.toml").string()));
  const std::string b =
      canonical_toml(load_scenario((scenario_data / "good" / "full_reordered.toml").string()));
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, canonical_toml(non_default_scenario()));
  // Defaults written out or left implicit are the same run.
  EXPECT_EQ(canonical_toml(parse_scenario("[exchange]\nrule = \"boltzmann\"\n# nothing else\n", "t")),
            canonical_toml(scenario{}));
}

TEST(ScenarioCanonical, IsAFixedPoint) {
  const std::string once = canonical_toml(non_default_scenario());
  EXPECT_EQ(canonical_toml(parse_scenario(once, "x")), once);
}

// ---------------------------------------------------------------------------------------------------
// Schema listing and enum names

// The order of the catalogue is the canonical order (block 0 hashes it); the golden head hashes guard
// it. Here: every parameter is listed once, with a meaning, and every model parameter with its source.
TEST(ScenarioSchema, ListsEveryParameterOnceWithItsMeaningAndSource) {
  std::set<std::string> seen;
  for (const auto& p : scenario_schema()) {
    EXPECT_TRUE(seen.insert(p.path).second) << p.path << " listed twice";
    EXPECT_FALSE(p.doc.empty()) << p.path;
    EXPECT_EQ(p.path, p.table + "." + p.path.substr(p.table.size() + 1)) << p.path;
    const bool model = p.table != "run" && p.table != "output";
    if (model) {
      EXPECT_FALSE(p.source.empty()) << p.path << " has no source";
    }
  }
  EXPECT_GT(seen.size(), 100u);
}

TEST(ScenarioSchema, DescribesTypesRangesAndDefaults) {
  const auto schema = scenario_schema();
  const auto find = [&](std::string_view path) {
    const auto it =
        std::find_if(schema.begin(), schema.end(), [&](const param_info& p) { return p.path == path; });
    EXPECT_NE(it, schema.end()) << path;
    return it == schema.end() ? param_info{} : *it;
  };
  EXPECT_EQ(find("exchange.rule").type, "one of: boltzmann, random_exchange, saving, yard_sale");
  EXPECT_EQ(find("exchange.rule").default_text, "\"boltzmann\"");
  EXPECT_EQ(find("run.steps").type, "integer");
  EXPECT_EQ(find("run.steps").range, "1 to 10000000");
  EXPECT_EQ(find("run.steps").default_text, "200");
  EXPECT_EQ(find("exchange.saving_propensity").type, "float");
  EXPECT_EQ(find("exchange.saving_propensity").range, "0 to 1, excluding 1");
  EXPECT_EQ(find("exchange.saving_propensity").default_text, "0.25");
  EXPECT_EQ(find("run.name").type, "string");
  EXPECT_EQ(find("run.name").range, "1 to 64 characters: A-Z a-z 0-9 _ . -");
  for (const auto& p : schema) {
    EXPECT_FALSE(p.doc.empty()) << p.path;
    EXPECT_FALSE(p.default_text.empty()) << p.path;
    // Every listed default is valid TOML for its parameter.
    EXPECT_EQ(parse_scenario(p.path + " = " + p.default_text, "x"), scenario{}) << p.path;
  }
}

TEST(ScenarioEnums, ToString) {
  EXPECT_EQ(to_string(activation_kind::random_sequential), "random_sequential");
  EXPECT_EQ(to_string(activation_kind::simultaneous), "simultaneous");
  EXPECT_EQ(to_string(exchange_rule::boltzmann), "boltzmann");
  EXPECT_EQ(to_string(exchange_rule::random_exchange), "random_exchange");
  EXPECT_EQ(to_string(exchange_rule::saving), "saving");
  EXPECT_EQ(to_string(exchange_rule::yard_sale), "yard_sale");
  EXPECT_EQ(to_string(ledger_log::full), "full");
  EXPECT_EQ(to_string(ledger_log::headers), "headers");
}

// ---------------------------------------------------------------------------------------------------
// load_scenario

TEST(ScenarioLoad, MissingFile) {
  const std::string path = (scenario_data / "no_such_file.toml").string();
  try {
    load_scenario(path);
    FAIL() << "expected input_error";
  } catch (const input_error& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].str(), path + ": cannot read scenario file: No such file or directory");
  }
}

TEST(ScenarioLoad, DirectoryIsUnreadable) {
  const std::string path = (scenario_data / "good").string();
  try {
    load_scenario(path);
    FAIL() << "expected input_error";
  } catch (const input_error& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].str(), path + ": cannot read scenario file: Is a directory");
  }
}

TEST(ScenarioLoad, AppliesOverrides) {
  const scenario s = load_scenario((scenario_data / "good" / "minimal.toml").string(), {"run.steps=9"});
  EXPECT_EQ(s.rule, exchange_rule::saving);
  EXPECT_EQ(s.steps, 9u);
}

}  // namespace
}  // namespace civitas::params

namespace civitas::params {

// ---------------------------------------------------------------------------------------------------
// Bounded inputs: nothing a scenario argument names can hang the reader or make it read without end.

namespace {
fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("civitas_reader_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}
std::string only_message(const std::string& path) {
  try {
    load_scenario(path);
  } catch (const input_error& e) {
    return e.diagnostics().empty() ? "" : e.diagnostics().front().str();
  }
  return "no error";
}
}  // namespace

TEST(ScenarioLoad, AFifoIsRefusedWithoutBlocking) {
  const fs::path fifo = scratch("scenario.fifo");
  fs::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  EXPECT_EQ(only_message(fifo.string()), fifo.string() +
                                             ": cannot read scenario file: it is not a regular file "
                                             "(a device, FIFO or socket)");
  fs::remove(fifo);
}

TEST(ScenarioLoad, ADeviceIsRefused) {
  if (geteuid() != 0) GTEST_SKIP() << "making a device node needs root";
  const fs::path zero = scratch("zero");
  fs::remove(zero);
  ASSERT_EQ(::mknod(zero.c_str(), S_IFCHR | 0666, makedev(1, 5)), 0);  // like /dev/zero, the test's own
  EXPECT_NE(only_message(zero.string()).find("not a regular file"), std::string::npos);
  fs::remove(zero);
}

TEST(ScenarioLoad, AHugeFileIsRefusedByItsSize) {
  const fs::path big = scratch("big.toml");
  std::ofstream(big) << std::string((1 << 20) + 1, '#');
  EXPECT_EQ(only_message(big.string()),
            big.string() +
                ": cannot read scenario file: it is 1048577 bytes; a scenario file is at most 1048576 bytes");
  fs::remove(big);
}

TEST(ScenarioLoad, AtMostAHundredErrorsThenACount) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "unknown_" + std::to_string(i) + " = 1\n";
  const auto errors = errors_of(text);
  ASSERT_EQ(errors.size(), 101u);
  EXPECT_EQ(errors.back().message, "... and 4900 more errors not shown");
}

TEST(ScenarioPaths, AnEmptyArgumentOrALinkLoopIsBadInputNotACrash) {
  EXPECT_THROW(resolve_scenario(""), input_error);
  const fs::path loop = scratch("loop.toml");
  fs::remove(loop);
  fs::create_symlink(loop, loop);                             // points at itself
  EXPECT_EQ(resolve_scenario(loop.string()), loop.string());  // found as a path...
  EXPECT_NE(only_message(loop.string()).find("cannot read scenario file"),
            std::string::npos);  // ...unreadable
  fs::remove(loop);
}

}  // namespace civitas::params
