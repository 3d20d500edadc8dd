#include "society/behaviours/organisation_scores.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "scoring/personal_value.hpp"
#include "sim/world.hpp"
#include "society/state.hpp"

namespace civitas::society {

std::vector<params::param> score_params::declare() {
  return {
      params::integer("year", &score_params::year, 2012, 2018, "calendar year",
                      "Year of the UK minimum wage for Modern Slavery scores",
                      "domain.md §6: minimum wage table 2012–2018"),
      params::integer("steps_per_year", &score_params::steps_per_year, 1, 1'000'000, "steps",
                      "Steps in a year (annualises wages for Modern Slavery)",
                      "modelling choice: weekly steps"),
      params::real("survey_margin", &score_params::survey_margin,
                   {0.0, 100.0, params::bound::exclusive, params::bound::exclusive}, "%",
                   "Margin of error an organisation's feedback survey claims (S/E small-sample correction)",
                   "domain.md §5: the CCEG survey default of 5%"),
      params::real("carbon_price", &score_params::carbon_price, params::closed(0.0, 1e6), "GBP per tCO2",
                   "Social value of a tonne of CO2 reduced (S/E and Personal Value environment term)",
                   "domain.md §5: CCEG's £54 per tonne"),
      params::real("co2_per_green_deed", &score_params::co2_per_green_deed, params::closed(0.0, 1e3), "tCO2",
                   "CO2 a green deed saves (Personal Value)",
                   "modelling choice: a low-carbon trip, the alliance pilot's unit"),
      params::real("feedback_base", &score_params::feedback_base, params::closed(0.0, 1.0), "probability",
                   "Chance a customer or beneficiary gives positive feedback at quality 0",
                   "modelling choice: even poor service pleases some"),
      params::real("feedback_per_quality", &score_params::feedback_per_quality, params::closed(0.0, 1.0),
                   "probability", "Rise in that chance per unit of quality (conduct or charity quality)",
                   "modelling choice: the best service pleases 90%"),
      params::real("staff_sentiment_base", &score_params::staff_sentiment_base, params::closed(0.0, 100.0),
                   "sentiment 0-100", "Staff sentiment of a firm with conduct 0 (Modern Slavery score)",
                   "modelling choice"),
      params::real("staff_sentiment_per_conduct", &score_params::staff_sentiment_per_conduct,
                   params::closed(0.0, 100.0), "sentiment 0-100",
                   "Rise in staff sentiment per unit of conduct (Modern Slavery score)",
                   "modelling choice: sentiment 30-70, around the formula's neutral 50"),
      params::integer(
          "ms_window", &score_params::ms_window, 0, 10'000, "steps",
          "Steps of a firm's wages its Modern Slavery score reads, annualised (0: every step since "
          "the start, the earlier behaviour); a short window lets a rating follow a wage cut",
          "modelling choice: a regulator reading recent payroll filings"),
  };
}

std::vector<params::rule_of<score_params>> score_params::rules() {
  return {
      {{"feedback_base", "feedback_per_quality"},
       [](const score_params& p) -> std::string {
         return p.feedback_base + p.feedback_per_quality <= 1.0
                    ? ""
                    : "society.feedback_base + society.feedback_per_quality must not exceed 1 (a "
                      "probability)";
       }},
      {{"staff_sentiment_base", "staff_sentiment_per_conduct"},
       [](const score_params& p) -> std::string {
         return p.staff_sentiment_base + p.staff_sentiment_per_conduct <= 100.0
                    ? ""
                    : "society.staff_sentiment_base + society.staff_sentiment_per_conduct must not exceed "
                      "100 "
                      "(sentiment is a percentage)";
       }},
  };
}

namespace organisation_scores {

using ledger::transfer_intent;

namespace {
// S/E inputs common to firms and charities: the survey, the people reached, the social spend, assets, staff.
scoring::se_ratio_inputs survey_inputs(const score_params& p, const feedback& survey, std::uint64_t reached,
                                       amount_t spend, amount_t assets, double staff) {
  const double margin_pct = p.survey_margin;
  scoring::se_ratio_inputs in;
  in.positive = static_cast<double>(survey.positive);
  in.neutral = static_cast<double>(survey.neutral);
  in.negative = static_cast<double>(survey.negative);
  in.margin_pct = margin_pct;
  in.target_population = static_cast<double>(reached);  // everyone served was asked
  in.csr_spend = static_cast<double>(spend);
  in.service_users = static_cast<double>(reached);
  in.net_assets = static_cast<double>(assets);
  in.staff = staff;
  in.carbon_price = p.carbon_price;
  return in;
}

// Share of rated firms with this Modern Slavery RAG.
double rag_share(const society_state& s, scoring::rag which) {
  double count = 0, rated = 0;
  for (const own_score& o : s.firm_own_)
    if (o.rag) {
      count += *o.rag == which;
      ++rated;
    }
  return rated > 0 ? count / rated : nan;
}
}  // namespace

void score(society_state& s, const sim::world& w) {
  const ledger::ledger& l = w.ledger();
  const double minimum_wage = s.wages_table_.hourly(static_cast<int>(s.scores_.year));
  for (std::uint32_t f = 0; f < s.firms_; ++f) {
    const firm_books& b = s.firm_books_[f];
    const auto staff = static_cast<double>(s.staff_offsets_[f + 1] - s.staff_offsets_[f]);
    own_score& o = s.firm_own_[f];
    o.se = o.social_impact = nan;
    o.rag.reset();
    s.firm_ms_[f] = nan;
    // Wages over the window: the cumulative wages less their mark `window` steps ago (each firm's ring of
    // marks holds the last `window` of them, slot n % window the mark of step n).
    const std::uint32_t window = s.scores_.ms_window;
    amount_t paid = b.wages_paid;
    double steps = static_cast<double>(s.steps_seen_);
    if (window > 0) {
      amount_t& mark = s.wage_marks_[static_cast<std::size_t>(f) * window + s.steps_seen_ % window];
      if (s.steps_seen_ >= window) {
        paid -= mark;
        steps = window;
      }
      mark = b.wages_paid;
    }
    if (staff > 0 && paid > 0) {
      const double annual = static_cast<double>(paid) * s.scores_.steps_per_year / steps;
      const auto ms = scoring::modern_slavery(
          annual, staff,
          s.scores_.staff_sentiment_base + s.scores_.staff_sentiment_per_conduct * s.firm_[f].conduct,
          minimum_wage);
      s.firm_ms_[f] = ms.score;
      o.rag = ms.rating;
    }
    if (staff > 0 && b.survey.total() > 0 && b.social_spend > 0) {
      scoring::se_ratio_inputs in = survey_inputs(s.scores_, b.survey, b.sales, b.social_spend,
                                                  l.balance(s.cash_account(s.firm_agent(f))), staff);
      // CO2 reduced against the society's mean intensity, over everything the firm has sold.
      in.co2_tonnes =
          (s.production_.co2_per_1000 - s.firm_[f].co2) * 0.001 * static_cast<double>(b.revenue_total);
      const scoring::se_ratio_result se = scoring::se_ratio(in);
      o.se = se.se_ratio;
      o.social_impact = se.social_impact;
    }
  }
  const std::vector<double> spend(s.edge_spend_.begin(), s.edge_spend_.end());
  s.passports_ = compute_passports(s.chain_, s.firm_own_, spend, s.production_.input_share);
  for (std::uint32_t h = 0; h < s.charities_; ++h) {
    const charity_books& b = s.charity_books_[h];
    s.charity_se_[h] = s.charity_social_impact_[h] = nan;
    if (b.survey.total() == 0 || b.spent <= 0) continue;
    scoring::se_ratio_inputs in =
        survey_inputs(s.scores_, b.survey, b.served, b.spent, l.balance(s.cash_account(s.charity_agent(h))),
                      s.charity_.charity_staff);
    in.people_benefiting = static_cast<double>(b.served);
    in.money_leveraged = static_cast<double>(b.received);
    const scoring::se_ratio_result se = scoring::se_ratio(in);
    s.charity_se_[h] = se.se_ratio;
    s.charity_social_impact_[h] = se.social_impact;
  }
}

double personal_value_of(const society_state& s, const ledger::ledger& l, agent_id c) {
  const citizen_books& b = s.citizen_books_[c];
  if (b.giving <= 0) return nan;
  amount_t worth = l.balance(s.cash_account(c));
  for (std::size_t k = 0; k < deed_categories; ++k) worth += l.balance(s.value_account(k, c));
  scoring::personal_value_inputs in;
  in.worth = static_cast<double>(worth);
  in.co2_tonnes = s.scores_.co2_per_green_deed * b.deeds[0];
  in.carbon_price = s.scores_.carbon_price;
  in.giving = static_cast<double>(b.giving);
  in.people = static_cast<double>(b.gifts + b.deeds[0] + b.deeds[1] + b.deeds[2]);
  return scoring::personal_value(in).pv;
}

std::vector<column> columns(const society_state& s) {
  return {
      {"mean_se_firms",
       [&s](const report&) {
         std::vector<double> se(s.firms_);
         for (std::uint32_t k = 0; k < s.firms_; ++k) se[k] = s.firm_own_[k].se;
         return mean_of_finite(se);
       }},
      {"mean_se_charities", [&s](const report&) { return mean_of_finite(s.charity_se_); }},
      {"share_red", [&s](const report&) { return rag_share(s, scoring::rag::red); }},
      {"share_amber", [&s](const report&) { return rag_share(s, scoring::rag::amber); }},
      {"share_green", [&s](const report&) { return rag_share(s, scoring::rag::green); }},
      {"mean_passport_se",
       [&s](const report&) {
         std::vector<double> se;
         for (const std::uint32_t r : s.retailers_) se.push_back(s.passports_[r].se);
         return mean_of_finite(se);
       }},
      {"share_red_passport",
       [&s](const report&) {
         double red = 0, passported = 0;
         for (const std::uint32_t r : s.retailers_)
           if (s.passports_[r].rag) {
             ++passported;
             red += *s.passports_[r].rag == scoring::rag::red;
           }
         return passported > 0 ? red / passported : nan;
       }},
      {"mean_passport_co2",
       [&s](const report&) {
         std::vector<double> co2;
         for (const std::uint32_t r : s.retailers_) co2.push_back(s.passports_[r].co2_per_1000);
         return mean_of_finite(co2);
       }},
      {"mean_personal_value", [](const report& r) { return r.full ? r.mean_personal_value : nan; }},
  };
}

}  // namespace organisation_scores

}  // namespace civitas::society
