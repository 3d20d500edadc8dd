// End to end: `civitas calc ...` run as a user would, checking output, JSON and exit codes.
// The binary's path comes from CIVITAS_BINARY (defined by the test build).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "support/process.hpp"

using civitas::test::contains;
using civitas::test::run_civitas;
using civitas::test::run_result;

namespace {

// A strict reader for the JSON objects calc prints: objects, strings, numbers, true/false/null (no arrays).
// Every leaf lands in `values` under its dotted path ("inputs.staff"), strings unquoted, the rest as written.
// Malformed text throws, so a successful parse is itself a check.
class flat_json {
 public:
  explicit flat_json(std::string text) : s_(std::move(text)) {
    skip_space();
    if (peek() != '{') fail("expected an object");
    value("");
    skip_space();
    if (pos_ != s_.size()) fail("trailing text");
  }
  bool has(const std::string& path) const { return values.count(path) != 0; }
  double number(const std::string& path) const { return std::stod(values.at(path)); }
  std::map<std::string, std::string> values;

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("bad JSON at offset " + std::to_string(pos_) + ": " + why + "\n" + s_);
  }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  std::string string() {
    expect('"');
    std::string out;
    while (peek() != '"') {
      if (pos_ >= s_.size() || static_cast<unsigned char>(peek()) < 0x20) fail("unterminated string");
      if (peek() == '\\') {
        ++pos_;
        if (peek() == 'u') {  // keep \uXXXX escapes as written: no key or value here needs them decoded
          out += "\\u";
          ++pos_;
          continue;
        }
        if (std::string("\"\\/bfnrt").find(peek()) == std::string::npos) fail("bad escape");
      }
      out += s_[pos_++];
    }
    ++pos_;
    return out;
  }
  void value(const std::string& path) {
    skip_space();
    const char c = peek();
    if (c == '{') {
      ++pos_;
      skip_space();
      if (peek() == '}') {
        ++pos_;
        return;
      }
      while (true) {
        const std::string key = string();
        if (has(path.empty() ? key : path + "." + key)) fail("repeated key " + key);
        expect(':');
        value(path.empty() ? key : path + "." + key);
        skip_space();
        if (peek() == ',') {
          ++pos_;
          skip_space();
          continue;
        }
        expect('}');
        return;
      }
    }
    if (c == '"') {
      values[path] = string();
      return;
    }
    for (const char* word : {"true", "false", "null"})
      if (s_.compare(pos_, std::strlen(word), word) == 0) {
        values[path] = word;
        pos_ += std::strlen(word);
        return;
      }
    const std::size_t start = pos_;
    while (pos_ < s_.size() && std::string("+-0123456789.eE").find(s_[pos_]) != std::string::npos) ++pos_;
    const std::string token = s_.substr(start, pos_ - start);
    std::size_t used = 0;
    try {
      (void)std::stod(token, &used);
    } catch (const std::exception&) {
      fail("expected a value");
    }
    if (token.empty() || used != token.size()) fail("bad number " + token);
    values[path] = token;
  }

  std::string s_;
  std::size_t pos_ = 0;
};

// `calc se-ratio` with the docs/domain.md worked inputs, each flag replaceable (an empty value drops the
// flag).
std::string se_args(const std::map<std::string, std::string>& changes = {}) {
  std::map<std::string, std::string> flags = {{"--positive", "60"},
                                              {"--neutral", "30"},
                                              {"--negative", "10"},
                                              {"--margin", "10"},
                                              {"--target-population", "1000"},
                                              {"--csr-spend", "1000000"},
                                              {"--service-users", "1000"},
                                              {"--net-assets", "10000000"},
                                              {"--staff", "50"},
                                              {"--co2", "100"},
                                              {"--people", "1000"},
                                              {"--money-leveraged", "500000"}};
  for (const auto& [flag, value] : changes) flags[flag] = value;
  std::string args = "calc se-ratio";
  for (const auto& [flag, value] : flags)
    if (!value.empty()) args += " " + flag + " " + value;
  return args;
}
const std::string se_worked = se_args();
const std::string se_small_sample = se_args({{"--positive", "18"}, {"--neutral", "9"}, {"--negative", "3"}});
const std::string pv_worked = "calc personal-value --worth 200000 --co2 2 --giving 1000 --people 10";

}  // namespace

TEST(CalcCli, SeRatioWorkedExample) {
  const run_result r = run_civitas(se_worked);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "S/E 7.8054")) << r.out;
  EXPECT_TRUE(contains(r.out, "£6,805,400.00")) << r.out;  // added social value
  EXPECT_TRUE(contains(r.out, "not applied")) << r.out;
}

TEST(CalcCli, SeRatioSmallSampleCorrection) {
  const run_result r = run_civitas(se_small_sample);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "S/E 7.4865")) << r.out;
  EXPECT_TRUE(contains(r.out, "applied")) << r.out;
  EXPECT_TRUE(contains(r.out, "15.0624")) << r.out;
  EXPECT_TRUE(contains(r.out, "17.0888")) << r.out;
}

TEST(CalcCli, ModernSlaveryWorkedExamples) {
  const run_result amber =
      run_civitas("calc modern-slavery --year 2018 --salary 1000000 --staff 50 --sentiment 70");
  ASSERT_EQ(amber.exit_code, 0) << amber.err;
  EXPECT_EQ(amber.out.rfind("Modern Slavery 1.5025 Amber\n", 0), 0u) << amber.out;
  EXPECT_TRUE(contains(amber.out, "£20,000.00")) << amber.out;  // average salary
  EXPECT_TRUE(contains(amber.out, "£24,000.00")) << amber.out;  // adjusted salary
  EXPECT_TRUE(contains(amber.out, "£15,973.20")) << amber.out;  // annual minimum wage
  const run_result green =
      run_civitas("calc modern-slavery --year 2018 --salary 2000000 --staff 50 --sentiment 50");
  ASSERT_EQ(green.exit_code, 0) << green.err;
  EXPECT_TRUE(contains(green.out, "2.504")) << green.out;
  EXPECT_TRUE(contains(green.out, "Green")) << green.out;
  const run_result red =
      run_civitas("calc modern-slavery --year 2018 --salary 300000 --staff 50 --sentiment 30");
  ASSERT_EQ(red.exit_code, 0) << red.err;
  EXPECT_TRUE(contains(red.out, "0.3005 Red")) << red.out;
}

TEST(CalcCli, PersonalValueWorkedExample) {
  const run_result r = run_civitas(pv_worked);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("Personal Value 10.0\n", 0), 0u) << r.out;
  EXPECT_TRUE(contains(r.out, "1001.108")) << r.out;
}

TEST(CalcCli, SeRatioJson) {
  const run_result r = run_civitas(se_small_sample + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const flat_json j(r.out);
  EXPECT_EQ(j.values.at("calculator"), "se-ratio");
  EXPECT_NEAR(j.number("se_ratio"), 7.4865, 5e-5);
  EXPECT_EQ(j.values.at("corrected"), "true");
  EXPECT_NEAR(j.number("e_prime"), 15.0624, 5e-5);
  EXPECT_NEAR(j.number("positive_adjusted"), 17.0888, 5e-5);
  EXPECT_NEAR(j.number("added_social_value"), j.number("social_impact") - 1e6, 1e-6);
  for (const char* key : {"n", "n_c", "n_r", "environment", "people", "sentiment_value", "inputs.staff"})
    EXPECT_TRUE(j.has(key)) << key << " missing from " << r.out;
  EXPECT_DOUBLE_EQ(j.number("n"), 30);
  EXPECT_DOUBLE_EQ(j.number("inputs.money_leveraged"), 500000);

  const flat_json plain(run_civitas(se_worked + " --json").out);
  EXPECT_NEAR(plain.number("se_ratio"), 7.8054, 5e-5);
  EXPECT_NEAR(plain.number("added_social_value"), 6.8054e6, 1);
  EXPECT_EQ(plain.values.at("corrected"), "false");
}

TEST(CalcCli, ModernSlaveryJson) {
  const run_result r =
      run_civitas("calc modern-slavery --year 2018 --salary 1000000 --staff 50 --sentiment 70 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const flat_json j(r.out);
  EXPECT_EQ(j.values.at("calculator"), "modern-slavery");
  EXPECT_NEAR(j.number("modern_slavery"), 1.5025, 5e-5);
  EXPECT_EQ(j.values.at("rag"), "Amber");
  EXPECT_DOUBLE_EQ(j.number("average_salary"), 20000);
  EXPECT_DOUBLE_EQ(j.number("adjusted_salary"), 24000);
  EXPECT_NEAR(j.number("annual_minimum_wage"), 15973.2, 1e-9);
  EXPECT_DOUBLE_EQ(j.number("hourly_minimum_wage"), 7.83);
  EXPECT_DOUBLE_EQ(j.number("inputs.year"), 2018);
}

TEST(CalcCli, PersonalValueJson) {
  const run_result r = run_civitas(pv_worked + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const flat_json j(r.out);
  EXPECT_EQ(j.values.at("calculator"), "personal-value");
  EXPECT_DOUBLE_EQ(j.number("personal_value"), 10.0);
  EXPECT_NEAR(j.number("cv"), 1001.108, 1e-9);
  EXPECT_TRUE(j.has("log2_cv"));
  EXPECT_DOUBLE_EQ(j.number("inputs.money_leveraged"), 0);
}

TEST(CalcCli, NegativeStaffIsBadInput) {
  const run_result r =
      run_civitas("calc modern-slavery --year 2018 --salary 1000000 --staff -3 --sentiment 70");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "--staff: must be a positive integer, got -3")) << r.err;
  EXPECT_EQ(r.out, "");
  const run_result se = run_civitas(se_args({{"--staff", ""}}) + " --staff=-3");
  EXPECT_EQ(se.exit_code, 2);
  EXPECT_TRUE(contains(se.err, "--staff: must be a positive integer, got -3")) << se.err;
}

TEST(CalcCli, UnknownYearListsKnownYears) {
  const run_result r =
      run_civitas("calc modern-slavery --year 1999 --salary 1000000 --staff 50 --sentiment 70");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "--year")) << r.err;
  EXPECT_TRUE(contains(r.err, "1999")) << r.err;
  EXPECT_TRUE(contains(r.err, "2012-2018")) << r.err;
}

TEST(CalcCli, MissingFlagIsBadInput) {
  const run_result r = run_civitas("calc modern-slavery --year 2018 --salary 1000000 --staff 50");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "--sentiment")) << r.err;
  EXPECT_EQ(r.out, "");
  const run_result se = run_civitas(se_args({{"--csr-spend", ""}}));
  EXPECT_EQ(se.exit_code, 2);
  EXPECT_TRUE(contains(se.err, "--csr-spend")) << se.err;
}

TEST(CalcCli, MoneyLeveragedDefaultsToZero) {
  const flat_json j(run_civitas(se_args({{"--money-leveraged", ""}}) + " --json").out);
  EXPECT_DOUBLE_EQ(j.number("inputs.money_leveraged"), 0);
  EXPECT_NEAR(j.number("se_ratio"), 7.3054, 5e-5);  // the worked 7.8054 less M / C = 0.5
}

TEST(CalcCli, OutOfRangeValuesNameTheirFlag) {
  struct bad_case {
    std::string args, flag;
  };
  const bad_case cases[] = {
      {"calc modern-slavery --year 2018 --salary 1000000 --staff 50 --sentiment 101", "--sentiment"},
      {"calc modern-slavery --year 2018 --salary 1000000 --staff 2.5 --sentiment 70", "--staff"},
      {"calc modern-slavery --year 2018 --salary lots --staff 50 --sentiment 70", "--salary"},
      {"calc personal-value --worth 200000 --co2 2 --giving 0 --people 10", "--giving"},
      {"calc personal-value --worth 200000 --co2 2 --giving 1000 --people -1", "--people"},
      {se_args({{"--margin", "100"}}), "--margin"},
      {se_args({{"--margin", "0"}}), "--margin"},
      {se_args({{"--csr-spend", "0"}}), "--csr-spend"},
      {se_args({{"--service-users", "0"}}), "--service-users"},
      {se_args({{"--positive", "-1"}}), "--positive"},
      {se_args({{"--target-population", "0"}}), "--target-population"},
      {se_args({{"--positive", "0"}, {"--neutral", "0"}, {"--negative", "0"}}), "--negative"},
  };
  for (const bad_case& c : cases) {
    const run_result r = run_civitas(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.out;
    EXPECT_TRUE(contains(r.err, c.flag + ":")) << c.args << "\n" << r.err;
  }
}
