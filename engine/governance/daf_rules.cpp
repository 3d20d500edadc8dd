#include "governance/daf_rules.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "core/assert.hpp"

namespace civitas::governance::daf_rules {

std::vector<double> quadratic_votes(double budget, std::span<const double> preference) {
  std::vector<double> votes(preference.size(), 0.0);
  double norm2 = 0;
  for (const double p : preference) {
    CIVITAS_ASSERT(p >= 0);
    norm2 += p * p;
  }
  if (budget <= 0 || norm2 <= 0) return votes;
  const double scale = std::sqrt(budget / norm2);
  for (std::size_t j = 0; j < preference.size(); ++j) votes[j] = scale * preference[j];
  return votes;
}

qf_result quadratic_funding(std::span<const contribution> contributions, std::size_t projects, double pool,
                            double pairwise_bound) {
  // Sum per (contributor, project), in a fixed order: a citizen who gives twice is one contributor.
  std::vector<contribution> summed(contributions.begin(), contributions.end());
  std::sort(summed.begin(), summed.end(), [](const contribution& a, const contribution& b) {
    return a.contributor != b.contributor ? a.contributor < b.contributor : a.project < b.project;
  });
  std::size_t n = 0;
  for (const contribution& c : summed) {
    CIVITAS_ASSERT(c.amount >= 0 && c.project < projects);
    if (n > 0 && summed[n - 1].contributor == c.contributor && summed[n - 1].project == c.project)
      summed[n - 1].amount += c.amount;
    else
      summed[n++] = c;
  }
  summed.resize(n);

  // Each contributor's gifts (a run of `summed`, by project), so a pair's overlap P_ij is a short merge.
  std::unordered_map<std::uint64_t, std::pair<std::size_t, std::size_t>>
      gifts;  // contributor -> [begin, end)
  for (std::size_t i = 0; i < n; ++i) {
    auto [it, fresh] = gifts.try_emplace(summed[i].contributor, i, i + 1);
    if (!fresh) it->second.second = i + 1;
  }
  auto overlap = [&](std::uint64_t a, std::uint64_t b) {
    auto [ia, ea] = gifts.at(a);
    auto [ib, eb] = gifts.at(b);
    double p = 0;
    while (ia < ea && ib < eb) {
      if (summed[ia].project < summed[ib].project)
        ++ia;
      else if (summed[ib].project < summed[ia].project)
        ++ib;
      else
        p += std::sqrt(summed[ia++].amount * summed[ib++].amount);
    }
    return p;
  };

  std::vector<std::vector<const contribution*>> by_project(projects);
  for (const contribution& c : summed) by_project[c.project].push_back(&c);
  qf_result r;
  r.raised.assign(projects, 0.0);
  r.subsidy.assign(projects, 0.0);
  r.contributors.assign(projects, 0.0);
  const bool plain = std::isinf(pairwise_bound);
  double wanted = 0;
  for (std::size_t j = 0; j < projects; ++j) {
    const auto& cs = by_project[j];
    double roots = 0, match = 0;
    for (const contribution* c : cs) {
      r.raised[j] += c->amount;
      roots += std::sqrt(c->amount);
    }
    if (plain) {
      match = roots * roots - r.raised[j];
    } else {
      // Every ordered pair i != j counts, so that M -> infinity gives the plain rule (Gitcoin sums each
      // unordered pair once, half of this; the pro-rata scaling to the pool absorbs the factor).
      for (std::size_t a = 0; a < cs.size(); ++a)
        for (std::size_t b = a + 1; b < cs.size(); ++b) {
          const double both = std::sqrt(cs[a]->amount * cs[b]->amount);
          if (both > 0)
            match += 2 * both * pairwise_bound /
                     (pairwise_bound + overlap(cs[a]->contributor, cs[b]->contributor));
        }
    }
    r.contributors[j] = static_cast<double>(cs.size());
    r.subsidy[j] = match;
    wanted += match;
  }
  r.scale = wanted > pool && wanted > 0 ? pool / wanted : 1.0;
  for (std::size_t j = 0; j < projects; ++j) {
    r.subsidy[j] *= r.scale;
    r.total.push_back(r.raised[j] + r.subsidy[j]);
  }
  return r;
}

std::vector<std::uint32_t> sample_without_replacement(rng_stream& draws, std::uint32_t n, std::uint32_t k) {
  CIVITAS_ASSERT(k <= n);
  std::unordered_map<std::uint32_t, std::uint32_t> moved;  // position -> value, where it differs
  auto at = [&](std::uint32_t i) {
    const auto it = moved.find(i);
    return it == moved.end() ? i : it->second;
  };
  std::vector<std::uint32_t> out;
  out.reserve(k);
  for (std::uint32_t i = 0; i < k; ++i) {
    const std::uint32_t j = i + draws.below(n - i);
    const std::uint32_t picked = at(j);
    moved[j] = at(i);
    out.push_back(picked);
  }
  return out;
}

double conviction_step(double y, double stake, double alpha) { return alpha * y + stake; }

double conviction_after(double y0, double stake, double alpha, unsigned t) {
  const double at = std::pow(alpha, static_cast<double>(t));
  return y0 * at + stake * (1.0 - at) / (1.0 - alpha);
}

double conviction_threshold(double request, double funds, double supply, double alpha, double beta,
                            double rho) {
  if (funds <= 0 || request / funds >= beta) return std::numeric_limits<double>::infinity();
  const double gap = beta - request / funds;
  return rho * supply / ((1.0 - alpha) * gap * gap);
}

bool conviction_reachable(double request, double funds, double beta, double rho) {
  return funds > 0 && request / funds < beta - std::sqrt(rho);
}

conviction_book::conviction_book(settings s, std::uint32_t holders) : s_(s), stakes_(holders) {}

bool conviction_book::submit(proposal p) {
  CIVITAS_ASSERT(p.id != 0);
  if (open_.size() >= s_.max_open) return false;
  p.conviction = 0;
  p.age = 0;
  open_.push_back(p);
  return true;
}

void conviction_book::stake(std::uint32_t holder, std::size_t j, amount_t amount) {
  CIVITAS_ASSERT(j < open_.size() && amount >= 0);
  withdraw(holder);
  stakes_[holder] = {open_[j].id, amount};
  staked_ += amount;
}

void conviction_book::withdraw(std::uint32_t holder) {
  staked_ -= stakes_[holder].amount;
  stakes_[holder] = {};
}

void conviction_book::cap(std::uint32_t holder, amount_t balance) {
  stake_of& s = stakes_[holder];
  if (s.amount <= balance) return;
  staked_ -= s.amount - std::max<amount_t>(balance, 0);
  s.amount = std::max<amount_t>(balance, 0);
}

conviction_book::outcome conviction_book::step(double funds, double supply) {
  std::unordered_map<std::uint64_t, std::size_t> index;
  for (std::size_t j = 0; j < open_.size(); ++j) index.emplace(open_[j].id, j);
  std::vector<amount_t> on(open_.size(), 0);
  for (const stake_of& s : stakes_)
    if (const auto it = index.find(s.proposal); it != index.end()) on[it->second] += s.amount;

  const double effective = std::max(static_cast<double>(staked_), s_.min_stake_share * supply);
  outcome out;
  std::vector<proposal> still_open;
  for (std::size_t j = 0; j < open_.size(); ++j) {
    proposal& p = open_[j];
    p.conviction = conviction_step(p.conviction, static_cast<double>(on[j]), s_.alpha);
    ++p.age;
    const double request = static_cast<double>(p.request);
    // 1Hive executes a proposal only when its conviction is strictly above the threshold.
    if (p.conviction > conviction_threshold(request, funds, effective, s_.alpha, s_.beta, s_.rho)) {
      funds -= request;
      out.passed.push_back(p);
    } else if (p.age >= s_.expiry) {
      ++out.expired;
    } else {
      still_open.push_back(p);
    }
  }
  open_ = std::move(still_open);
  return out;
}

}  // namespace civitas::governance::daf_rules
