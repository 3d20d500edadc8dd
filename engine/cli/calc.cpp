#include "cli/calc.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <system_error>
#include <vector>

#include "core/error.hpp"
#include "scoring/modern_slavery.hpp"
#include "scoring/personal_value.hpp"
#include "scoring/se_ratio.hpp"

namespace civitas::cli {
namespace {

// ---------------------------------------------------------------------------------------------------------
// Reading flags. Options are declared without bound variables and read back as text from the parsed App, so
// add_calc_command needs no storage that outlives it, and every rule below can quote the text it rejects.

std::string flag_text(const CLI::App& sub, const std::string& flag) {
  const CLI::Option* opt = sub.get_option(flag);
  return opt->count() == 0 ? opt->get_default_str() : opt->as<std::string>();
}

[[noreturn]] void reject(const CLI::App& sub, const std::string& flag, const std::string& rule) {
  const std::string text = flag_text(sub, flag);
  throw input_error(std::vector<diagnostic>{{flag, 0, 0, rule + ", got " + (text.empty() ? "\"\"" : text)}});
}

// Whole-string parse, so "12x" is rejected rather than read as 12. A leading '+' is allowed.
template <typename T>
bool parse_whole(std::string text, T& out) {
  if (!text.empty() && text.front() == '+') text.erase(0, 1);
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return !text.empty() && ec == std::errc() && ptr == end;
}

long long read_integer(const CLI::App& sub, const std::string& flag, long long min, const char* rule) {
  long long v = 0;
  if (!parse_whole(flag_text(sub, flag), v) || v < min) reject(sub, flag, rule);
  return v;
}
long long read_count(const CLI::App& sub, const std::string& flag) {
  return read_integer(sub, flag, 0, "must be a non-negative integer");
}
long long read_positive_count(const CLI::App& sub, const std::string& flag) {
  return read_integer(sub, flag, 1, "must be a positive integer");
}

double read_number(const CLI::App& sub, const std::string& flag) {
  double v = 0;
  // from_chars accepts "inf" and "nan": no score means anything with them.
  if (!parse_whole(flag_text(sub, flag), v) || !std::isfinite(v))
    reject(sub, flag, "must be a finite number");
  return v;
}

// ---------------------------------------------------------------------------------------------------------
// Writing results.

std::string fixed(double v, int decimals) {
  const int size = std::snprintf(nullptr, 0, "%.*f", decimals, v);
  std::string out(static_cast<std::size_t>(size) + 1, '\0');
  std::snprintf(out.data(), out.size(), "%.*f", decimals, v);
  out.pop_back();
  return out;
}

// Up to `decimals` places without trailing zeros: 1001.108, 10, 63.7253.
std::string trimmed(double v, int decimals = 4) {
  std::string s = fixed(v, decimals);
  if (s.find('.') != std::string::npos) {
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

// 1234567.891 -> "1,234,567.89" (decimals 2).
std::string grouped(double v, int decimals) {
  std::string s = fixed(std::fabs(v), decimals);
  const std::size_t dot = s.find('.');
  for (int i = static_cast<int>(dot == std::string::npos ? s.size() : dot) - 3; i > 0; i -= 3)
    s.insert(static_cast<std::size_t>(i), ",");
  return (v < 0 && s.find_first_not_of("0.,") != std::string::npos ? "-" : "") + s;
}

std::string money(double v) {
  const std::string g = grouped(v, 2);
  return g.front() == '-' ? "-£" + g.substr(1) : "£" + g;
}

// One indented "label  value  (note)" line under a headline.
void part(const char* label, const std::string& value, const std::string& note = "") {
  std::printf("  %-24s %s%s%s\n", label, value.c_str(), note.empty() ? "" : "  ",
              note.empty() ? "" : note.c_str());
}

// A flat JSON object built key by key. Numbers are written in their shortest round-trip form.
class json_object {
 public:
  json_object& number(const char* key, double v) {
    if (!std::isfinite(v)) return raw(key, "null");
    char buf[32];
    const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return raw(key, ec == std::errc() ? std::string(buf, ptr) : "null");
  }
  json_object& integer(const char* key, long long v) { return raw(key, std::to_string(v)); }
  json_object& boolean(const char* key, bool v) { return raw(key, v ? "true" : "false"); }
  json_object& string(const char* key, const std::string& v) { return raw(key, quote(v)); }
  json_object& object(const char* key, const json_object& v) { return raw(key, v.str()); }
  std::string str() const { return "{" + body_ + "}"; }

 private:
  static std::string quote(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
        out += buf;
      } else {
        out += c;
      }
    }
    return out + "\"";
  }
  json_object& raw(const char* key, const std::string& value) {
    body_ += (body_.empty() ? "" : ", ") + quote(key) + ": " + value;
    return *this;
  }
  std::string body_;
};

// ---------------------------------------------------------------------------------------------------------
// The calculators.

int run_se_ratio(const CLI::App& sub) {
  const long long positive = read_count(sub, "--positive");
  const long long neutral = read_count(sub, "--neutral");
  const long long negative = read_count(sub, "--negative");
  long long responses = 0;
  if (__builtin_add_overflow(positive, neutral, &responses) ||
      __builtin_add_overflow(responses, negative, &responses))
    throw input_error(std::vector<diagnostic>{
        {"--positive, --neutral, --negative", 0, 0, "the survey counts add up to more than 2^63 - 1"}});
  if (responses == 0)
    throw input_error(std::vector<diagnostic>{
        {"--positive, --neutral, --negative", 0, 0, "no survey responses (n = 0); S/E divides by n"}});
  scoring::se_ratio_inputs in;
  in.positive = static_cast<double>(positive);
  in.neutral = static_cast<double>(neutral);
  in.negative = static_cast<double>(negative);
  in.margin_pct = read_number(sub, "--margin");
  if (!(in.margin_pct > 0 && in.margin_pct < 100))
    reject(sub, "--margin", "must be a percentage strictly between 0 and 100");
  in.target_population = static_cast<double>(read_positive_count(sub, "--target-population"));
  in.csr_spend = read_number(sub, "--csr-spend");
  if (in.csr_spend <= 0) reject(sub, "--csr-spend", "must be a positive amount (S/E divides by it)");
  in.service_users = static_cast<double>(
      read_integer(sub, "--service-users", 1, "must be a positive integer (S/E divides by it)"));
  in.net_assets = read_number(sub, "--net-assets");
  in.staff = static_cast<double>(read_positive_count(sub, "--staff"));
  in.co2_tonnes = read_number(sub, "--co2");
  in.people_benefiting = static_cast<double>(read_count(sub, "--people"));
  in.money_leveraged = read_number(sub, "--money-leveraged");
  const scoring::se_ratio_result r = scoring::se_ratio(in);

  if (sub.get_option("--json")->count() > 0) {
    json_object inputs;
    inputs.integer("positive", positive)
        .integer("neutral", neutral)
        .integer("negative", negative)
        .number("margin", in.margin_pct)
        .number("target_population", in.target_population)
        .number("csr_spend", in.csr_spend)
        .number("service_users", in.service_users)
        .number("net_assets", in.net_assets)
        .number("staff", in.staff)
        .number("co2", in.co2_tonnes)
        .number("people", in.people_benefiting)
        .number("money_leveraged", in.money_leveraged);
    json_object out;
    out.string("calculator", "se-ratio")
        .number("se_ratio", r.se_ratio)
        .number("social_impact", r.social_impact)
        .number("added_social_value", r.added_social_value)
        .number("n", r.n)
        .number("n_c", r.n_c)
        .number("n_r", r.n_r)
        .boolean("corrected", r.corrected)
        .number("e_prime", r.margin_used_pct)
        .number("positive_adjusted", r.positive_adjusted)
        .number("environment", r.environment)
        .number("people", r.people)
        .number("sentiment_value", r.sentiment_value)
        .object("inputs", inputs);
    std::printf("%s\n", out.str().c_str());
    return 0;
  }

  std::printf("S/E %s\n", fixed(r.se_ratio, 4).c_str());
  part("social impact", money(r.social_impact), "(CSR spend x S/E)");
  part("added social value", money(r.added_social_value), "(social impact - CSR spend)");
  const std::string sizes = "(n = " + trimmed(r.n) + (r.corrected ? " < " : " >= ") +
                            "n_r = " + trimmed(r.n_r) + ", n_c = " + trimmed(r.n_c) + ")";
  part("small-sample correction", r.corrected ? "applied" : "not applied", sizes);
  part("margin e'", trimmed(r.margin_used_pct) + "%",
       r.corrected ? "(claimed " + trimmed(in.margin_pct) + "%)" : "(as claimed)");
  part("adjusted P+", trimmed(r.positive_adjusted),
       r.corrected ? "(from " + std::to_string(positive) + ")" : "(unchanged)");
  part("environment E", money(r.environment), "(£54 x " + trimmed(in.co2_tonnes) + " tCO2)");
  part("people B", grouped(r.people, 0), "(people benefiting + staff)");
  part("sentiment value", money(r.sentiment_value), "(net assets x B / service users x P+ / n)");
  return 0;
}

int run_modern_slavery(const CLI::App& sub) {
  long long year = 0;
  if (!parse_whole(flag_text(sub, "--year"), year)) reject(sub, "--year", "must be a year such as 2018");
  const double salary = read_number(sub, "--salary");
  if (salary < 0) reject(sub, "--salary", "must be a total annual salary of 0 or more");
  const long long staff = read_positive_count(sub, "--staff");
  const double sentiment = read_number(sub, "--sentiment");
  if (sentiment < 0 || sentiment > 100) reject(sub, "--sentiment", "must be between 0 and 100");

  const scoring::minimum_wage_table table = scoring::minimum_wage_table::load_default();
  if (year < std::numeric_limits<int>::min() || year > std::numeric_limits<int>::max() ||
      !table.contains(static_cast<int>(year)))
    throw input_error(std::vector<diagnostic>{{"--year", 0, 0,
                                               "no UK minimum wage for " + std::to_string(year) +
                                                   "; known years: " + table.known_years() + " (from " +
                                                   table.source().string() + ")"}});
  const double hourly = table.hourly(static_cast<int>(year));
  const scoring::modern_slavery_result r =
      scoring::modern_slavery(salary, static_cast<double>(staff), sentiment, hourly);
  const char* rating = scoring::rag_name(r.rating);

  if (sub.get_option("--json")->count() > 0) {
    json_object inputs;
    inputs.integer("year", year)
        .number("salary", salary)
        .integer("staff", staff)
        .number("sentiment", sentiment);
    json_object out;
    out.string("calculator", "modern-slavery")
        .number("modern_slavery", r.score)
        .string("rag", rating)
        .number("average_salary", r.average_salary)
        .number("adjusted_salary", r.adjusted_salary)
        .number("annual_minimum_wage", r.annual_minimum_wage)
        .number("hourly_minimum_wage", hourly)
        .number("hours_per_year", scoring::full_time_hours_per_year)
        .object("inputs", inputs);
    std::printf("%s\n", out.str().c_str());
    return 0;
  }

  std::printf("Modern Slavery %s %s\n", fixed(r.score, 4).c_str(), rating);
  part("average salary", money(r.average_salary),
       "(" + money(salary) + " / " + std::to_string(staff) + " staff)");
  part("adjusted salary", money(r.adjusted_salary),
       "(sentiment " + trimmed(sentiment) + ": " + (sentiment >= 50 ? "+" : "") + trimmed(sentiment - 50) +
           "%)");
  part("annual minimum wage", money(r.annual_minimum_wage),
       "(" + std::to_string(year) + ": " + money(hourly) + "/h x " +
           trimmed(scoring::full_time_hours_per_year) + " h)");
  part("rating bands", "Green > 2, Amber 0.5-2, Red < 0.5");
  return 0;
}

int run_personal_value(const CLI::App& sub) {
  scoring::personal_value_inputs in;
  in.worth = read_number(sub, "--worth");
  in.co2_tonnes = read_number(sub, "--co2");
  in.giving = read_number(sub, "--giving");
  if (in.giving <= 0) reject(sub, "--giving", "must be a positive amount (cv divides by it)");
  in.people = static_cast<double>(read_count(sub, "--people"));
  in.money_leveraged = read_number(sub, "--money-leveraged");
  const scoring::personal_value_result r = scoring::personal_value(in);

  if (sub.get_option("--json")->count() > 0) {
    json_object inputs;
    inputs.number("worth", in.worth)
        .number("co2", in.co2_tonnes)
        .number("giving", in.giving)
        .number("people", in.people)
        .number("money_leveraged", in.money_leveraged);
    json_object out;
    out.string("calculator", "personal-value")
        .number("personal_value", r.pv)
        .number("cv", r.cv)
        .number("log2_cv", r.log2_cv)
        .number("environment", r.environment)
        .number("people_value", r.people_value)
        .number("numerator", r.numerator)
        .object("inputs", inputs);
    std::printf("%s\n", out.str().c_str());
    return 0;
  }

  std::printf("Personal Value %s\n", fixed(r.pv, 1).c_str());
  part("cv", trimmed(r.cv), "(numerator / giving " + money(in.giving) + ")");
  part("log2 cv", trimmed(r.log2_cv), "(rounded to one decimal)");
  part("numerator", money(r.numerator), "(environment + money leveraged + giving + people value)");
  part("environment", money(r.environment), "(£54 x " + trimmed(in.co2_tonnes) + " tCO2)");
  part("people value", money(r.people_value),
       "(0.5 x " + trimmed(in.people) + " people x worth " + money(in.worth) + ")");
  return 0;
}

// The flags each calculator requires, checked together after parsing so one error lists every missing flag
// (CLI11's required() stops at the first).
std::map<const CLI::App*, std::vector<std::string>>& required_flags() {
  static std::map<const CLI::App*, std::vector<std::string>> flags;
  return flags;
}

// Declares a required flag that takes one value, read back later as text.
void value_flag(CLI::App* sub, const char* flag, const char* type, const std::string& description) {
  sub->add_option(flag, CLI::callback_t{}, description)->type_name(std::string(type) + " REQUIRED");
  required_flags()[sub].push_back(flag);
}

void check_required(const CLI::App& sub) {
  std::vector<diagnostic> missing;
  for (const auto& flag : required_flags()[&sub])
    if (sub.get_option(flag)->count() == 0) missing.push_back({flag, 0, 0, "required, but not given"});
  if (!missing.empty()) throw input_error(missing);
}

// "Year of the UK minimum wage ... (known: ...)", naming the years of the shipped table when it reads.
std::string year_help() {
  std::string help = "Year of the UK minimum wage to compare with";
  try {
    help += " (known: " + scoring::minimum_wage_table::load_default().known_years() + ")";
  } catch (const std::exception&) {
    // The table is read again, and its error reported, when the calculator runs.
  }
  return help;
}

}  // namespace

CLI::App* add_calc_command(CLI::App& app) {
  CLI::App* calc = app.add_subcommand(
      "calc", "The people's calculators: S/E ratio, Modern Slavery risk, Personal Value (money in GBP)");
  calc->require_subcommand(1);
  const std::string json_help = "Print one JSON object with every part";  // named: CLI11 wants a const lvalue

  CLI::App* se = calc->add_subcommand("se-ratio", "Social Earnings Ratio of an organisation");
  value_flag(se, "--positive", "INT", "Survey responses with positive sentiment (P+)");
  value_flag(se, "--neutral", "INT", "Neutral responses (P0)");
  value_flag(se, "--negative", "INT", "Negative responses (P-)");
  value_flag(se, "--margin", "PCT", "Survey margin of error e, percent, in (0, 100)");
  value_flag(se, "--target-population", "INT", "People the survey stands for (N_T)");
  value_flag(se, "--csr-spend", "GBP", "CSR spend (C)");
  value_flag(se, "--service-users", "INT", "Service users (S)");
  value_flag(se, "--net-assets", "GBP", "Net assets (A)");
  value_flag(se, "--staff", "INT", "Staff head count");
  value_flag(se, "--co2", "TONNES", "Tonnes of CO2 reduced");
  value_flag(se, "--people", "INT", "People benefiting (p)");
  se->add_option("--money-leveraged", "Money leveraged (M)")->type_name("GBP")->default_str("0");
  se->add_flag("--json", json_help);

  CLI::App* ms = calc->add_subcommand("modern-slavery", "Modern Slavery risk of a firm, with its RAG rating");
  value_flag(ms, "--year", "YEAR", year_help());
  value_flag(ms, "--salary", "GBP", "Total annual salary bill");
  value_flag(ms, "--staff", "INT", "Staff head count");
  value_flag(ms, "--sentiment", "0..100", "Staff sentiment, 50 neutral");
  ms->add_flag("--json", json_help);

  CLI::App* pv = calc->add_subcommand("personal-value", "Personal Value of a citizen");
  value_flag(pv, "--worth", "GBP", "Net worth");
  value_flag(pv, "--co2", "TONNES", "Tonnes of CO2 reduced");
  value_flag(pv, "--giving", "GBP", "Amount given");
  value_flag(pv, "--people", "INT", "People benefiting from the giving");
  pv->add_option("--money-leveraged", "Money leveraged (M)")->type_name("GBP")->default_str("0");
  pv->add_flag("--json", json_help);
  return calc;
}

int run_calc(CLI::App& calc) {
  for (const CLI::App* sub : calc.get_subcommands())
    if (sub->parsed()) check_required(*sub);
  if (const CLI::App* sub = calc.get_subcommand("se-ratio"); sub->parsed()) return run_se_ratio(*sub);
  if (const CLI::App* sub = calc.get_subcommand("modern-slavery"); sub->parsed())
    return run_modern_slavery(*sub);
  if (const CLI::App* sub = calc.get_subcommand("personal-value"); sub->parsed())
    return run_personal_value(*sub);
  throw input_error("calc: choose one of se-ratio, modern-slavery, personal-value");
}

}  // namespace civitas::cli
