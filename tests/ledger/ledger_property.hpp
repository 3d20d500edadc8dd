// A property check of the ledger: random intents of every kind, settled through all three paths (apply,
// settle_sequential, settle_simultaneous), and after every sealed step an independent check of what
// ledger.hpp promises. Header-only so that the test (tests/ledger/property_test.cpp, a few million
// transfers) and the long run (bench/ledger_property.cpp, 10^9) run the very same check.
//
// The checker never asks the ledger what the rules are: it keeps its own table of accounts (token, owner,
// limits, frozen), its own authorisations and its own balances. After each chain it predicts every
// record's status from the rules, then applies the records themselves to its shadow balances (applied
// ones move the amount, rejected ones nothing); after each seal it compares balances, counts, supplies,
// lineage and the header with the ledger's. Everything is reproducible from (seed, agents).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <exception>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ledger/ledger.hpp"

namespace civitas::ledger::property {

struct options {
  std::uint64_t seed = 1;
  std::uint64_t transfers = 1'000'000;  // stop after the step in which this many records have been checked
  std::uint32_t agents = 0;             // 0: drawn from the seed, 2 to 3000
};

struct result {
  std::uint64_t seed = 0;
  std::uint32_t agents = 0;
  std::uint64_t transfers = 0;  // records checked
  std::uint64_t steps = 0;      // sealed blocks checked, genesis included
  std::uint64_t violations = 0;
  std::vector<std::string> messages;  // the first few violations, each naming the seed and the step
  // What the run covered, so a test can insist the generator reaches every case.
  std::array<std::uint64_t, status_count> statuses{};
  std::array<std::uint64_t, 3> path_intents{};  // per settle path: apply, sequential, simultaneous
  std::uint64_t linked_applied = 0;             // chains of 2 or more, applied as a whole
  std::uint64_t linked_rejected = 0;            // chains of 2 or more, rejected as a whole
};

namespace detail {

inline constexpr token_id cash = 0, green = 1, points = 2;  // a cash token, a value token, points
inline constexpr std::size_t token_total = 3;
// Reasons 0..7 are drawn at random; bit r says reason r may mint (burn) the token.
inline constexpr std::array<std::uint8_t, token_total> mint_reasons{0b0000'0010, 0b0100'0000, 0b0100'0010};
inline constexpr std::array<std::uint8_t, token_total> burn_reasons{0b0010'0000, 0b1000'0000, 0b1010'0000};
inline constexpr std::uint16_t endowment = 1;  // mints cash and points at genesis

inline bool authorised(std::uint8_t mask, std::uint16_t reason) { return reason < 8 && (mask >> reason) & 1; }

enum class path : std::uint8_t { apply = 0, sequential = 1, simultaneous = 2 };
inline const char* path_name(path p) {
  return p == path::apply ? "apply" : p == path::sequential ? "settle_sequential" : "settle_simultaneous";
}

// Splits one agent's intents into chains: a chain ends at its first unlinked intent, or where the
// agent's intents end (as ledger.hpp says for both batch settles).
template <typename F>
void for_each_chain(std::span<const transfer_intent> intents, F&& f) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < intents.size(); ++i) {
    if ((intents[i].flags & intent_flag::linked) == 0 || i + 1 == intents.size()) {
      f(intents.subspan(start, i + 1 - start));
      start = i + 1;
    }
  }
}

class harness {
 public:
  explicit harness(const options& o) : rng_(o.seed), target_(o.transfers) {
    r_.seed = o.seed;
    r_.agents = o.agents != 0 ? o.agents : draw_agents();
    agents_ = r_.agents;
    // Tiny worlds make chains collide on the same accounts; large ones spread over many chunks.
    max_chains_ = std::max<std::uint32_t>(3, 600 / agents_);
  }

  result run() {
    try {
      build();
      genesis();
      for (step_t s = 1; r_.transfers < target_ && r_.violations == 0; ++s) step(s);
    } catch (const std::exception& e) {  // invariant_error from seal_step, or anything else: a violation
      fail(std::string("exception: ") + e.what());
    }
    return std::move(r_);
  }

 private:
  struct account {
    agent_id owner;
    token_id token;
    bool unlimited;  // may_go_negative
    bool issuer;
    bool frozen;
  };

  // ---- randomness: our own mappings, so a seed means the same run with any standard library ----
  std::uint64_t below(std::uint64_t n) { return rng_() % n; }
  bool chance(unsigned percent) { return below(100) < percent; }

  std::uint32_t draw_agents() {
    switch (below(4)) {
      case 0:
        return static_cast<std::uint32_t>(2 + below(8));
      case 1:
        return static_cast<std::uint32_t>(10 + below(90));
      case 2:
        return static_cast<std::uint32_t>(100 + below(900));
      default:
        return static_cast<std::uint32_t>(1000 + below(2001));
    }
  }

  // ---- the world ----
  void open(agent_id owner, token_id t, std::uint8_t flags, account_id id) {
    if (id != accounts_.size())
      fail("account opened with id " + std::to_string(id) + ", expected " + std::to_string(accounts_.size()));
    accounts_.push_back(
        {owner, t, (flags & account_flag::may_go_negative) != 0, (flags & account_flag::issuer) != 0, false});
  }

  void build() {
    const std::array<token_def, token_total> defs{
        {{"cash", token_kind::cash}, {"green", token_kind::value}, {"points", token_kind::points}}};
    // The issuers' owners: a government (agent 0), nobody, and a points operator (agent 1).
    const std::array<agent_id, token_total> issuer_owner{0, system_agent, 1 % agents_};
    for (token_id t = 0; t < token_total; ++t) {
      const token_id got = ledger_.add_token(defs[t], issuer_owner[t]);
      if (got != t) fail("add_token returned " + std::to_string(got));
      issuers_[t] = ledger_.issuer_account(t);
      open(issuer_owner[t], t, account_flag::issuer | account_flag::may_go_negative, issuers_[t]);
      for (std::uint16_t reason = 0; reason < 8; ++reason) {
        if (authorised(mint_reasons[t], reason)) ledger_.authorise_mint(t, reason);
        if (authorised(burn_reasons[t], reason)) ledger_.authorise_burn(t, reason);
      }
    }
    owned_.resize(agents_);
    for (agent_id a = 0; a < agents_; ++a) {
      for (token_id t = 0; t < token_total; ++t) {
        // Every 16th agent has a credit line: a cash account that may go negative.
        const std::uint8_t flags =
            t == cash && a % 16 == 5 ? account_flag::may_go_negative : account_flag::none;
        owned_[a][t] = ledger_.open_account(a, t, flags);
        open(a, t, flags, owned_[a][t]);
      }
    }
    treasury_ = ledger_.open_account(0, cash, account_flag::may_go_negative);
    open(0, cash, account_flag::may_go_negative, treasury_);
    shadow_.assign(accounts_.size(), 0);
  }

  bool limited(account_id a) const { return !accounts_[a].unlimited; }

  account_id any_account(token_id t) {
    if (t == cash && chance(2)) return treasury_;
    return owned_[below(agents_)][t];
  }

  // Either a reason authorised by `mask` or, a quarter of the time, any reason (authorised or not).
  std::uint16_t pick_reason(std::uint8_t mask) {
    if (chance(75)) {
      std::uint16_t nth = static_cast<std::uint16_t>(below(static_cast<unsigned>(std::popcount(mask))));
      for (std::uint16_t r = 0; r < 8; ++r)
        if (authorised(mask, r) && nth-- == 0) return r;
    }
    return static_cast<std::uint16_t>(below(8));
  }

  // Mostly what the debit account can pay (as of the phase's start), sometimes more.
  amount_t spend_amount(account_id debit) {
    const amount_t b = shadow_[debit];
    if (accounts_[debit].unlimited || b <= 0) return static_cast<amount_t>(1 + below(200));
    if (chance(88))
      return static_cast<amount_t>(1 + below(static_cast<std::uint64_t>(std::min<amount_t>(b, 2000))));
    return b + static_cast<amount_t>(1 + below(100));
  }

  // One intent of agent `origin`; prev: the intent before it in the chain. Malformed kinds (from rolls of
  // 79 up) only when `faults`, so that half the chains are worth attempting.
  transfer_intent make_intent(agent_id origin, const transfer_intent* prev, bool faults) {
    const std::uint64_t tr = below(10);
    const token_id t = tr < 6 ? cash : tr < 8 ? green : points;
    transfer_intent in{owned_[origin][t], any_account(t), 0, 0, t, static_cast<std::uint16_t>(below(8)), 0};
    if (in.credit == in.debit) in.credit = any_account(t);  // tiny worlds: fewer accidental same-account
    in.amount = spend_amount(in.debit);
    const std::uint64_t roll = below(faults ? 100 : 79);
    if (prev != nullptr && prev->token < token_total && roll < 35) {
      // Pays on money the chain has just moved ("wage, then tax"): in a simultaneous settle this is the
      // only way to debit a limited account the agent does not own.
      const amount_t base = prev->amount > 0 ? prev->amount : 1;
      in.token = prev->token;
      in.debit = prev->credit;
      in.credit = any_account(prev->token);
      in.amount = chance(80) ? static_cast<amount_t>(1 + below(static_cast<std::uint64_t>(base)))
                             : base + static_cast<amount_t>(1 + below(100));
    } else if (roll < 55) {
      // An ordinary transfer from one's own account.
    } else if (roll < 62) {  // mint
      in.debit = issuers_[t];
      in.reason = pick_reason(mint_reasons[t]);
      in.amount = static_cast<amount_t>(1 + below(1000));
      if (t == green && chance(50))
        in.lineage = make_transfer_id(step_, static_cast<std::uint32_t>(below(1000)));
    } else if (roll < 69) {  // burn
      in.credit = issuers_[t];
      in.reason = pick_reason(burn_reasons[t]);
    } else if (roll <
               75) {  // someone else's account (allowed in sequential settles, limited in simultaneous)
      in.debit = any_account(t);
      in.amount = spend_amount(in.debit);
    } else if (roll < 79) {  // the treasury or a credit line pays: may go negative
      in.token = cash;
      in.debit = chance(50) ? treasury_ : owned_[5 % agents_][cash];
      in.credit = any_account(cash);
      in.amount = static_cast<amount_t>(1 + below(5000));
    } else if (roll < 83) {  // credit an account of another token
      in.credit = any_account(static_cast<token_id>((t + 1 + below(2)) % token_total));
    } else if (roll < 85) {  // the intent names another token, or one that does not exist
      in.token = chance(50) ? static_cast<token_id>((t + 1) % token_total)
                            : static_cast<token_id>(token_total + below(0xFFFF - token_total));
    } else if (roll < 88) {  // invalid amount
      const std::uint64_t k = below(3);
      in.amount = k == 0   ? 0
                  : k == 1 ? -static_cast<amount_t>(1 + below(1000))
                           : std::numeric_limits<amount_t>::min();
    } else if (roll < 91) {  // an account that does not exist
      const account_id bad = chance(50) ? static_cast<account_id>(accounts_.size() + below(4))
                                        : std::numeric_limits<account_id>::max();
      (chance(50) ? in.debit : in.credit) = bad;
    } else if (roll < 93) {
      in.credit = in.debit;
    } else {  // more than the account holds
      in.amount = shadow_[in.debit] + static_cast<amount_t>(1 + below(100));
      if (in.amount <= 0) in.amount = 1;
    }
    return in;
  }

  // Appends a chain of 1 (mostly) to 5 intents, all but the last linked.
  void make_chain(agent_id origin, std::vector<transfer_intent>& out) {
    const std::size_t len = chance(70) ? 1 : 2 + below(4);
    const bool faults = chance(50);
    for (std::size_t k = 0; k < len; ++k) {
      transfer_intent in = make_intent(origin, k == 0 ? nullptr : &out.back(), faults);
      in.flags = k + 1 < len ? intent_flag::linked : intent_flag::none;
      out.push_back(in);
    }
  }

  // Freezes a few accounts, issuers included, and thaws frozen ones; about 5% stay frozen.
  void toggle_frozen() {
    for (std::uint64_t n = 1 + below(std::max<std::size_t>(1, accounts_.size() / 100)); n-- > 0;) {
      const auto a = static_cast<account_id>(below(accounts_.size()));
      if (!accounts_[a].frozen && !chance(5)) continue;
      accounts_[a].frozen = !accounts_[a].frozen;
      ledger_.set_frozen(a, accounts_[a].frozen);
    }
  }

  // ---- the oracle: what the rules say each record's status must be ----

  // The checks that do not depend on balances, in the order that decides which status is recorded (the
  // order is part of the canonical record, so it is pinned here).
  status static_status(const transfer_intent& in) const {
    const std::size_t n = accounts_.size();
    if (in.debit >= n || in.credit >= n) return status::unknown_account;
    if (in.amount <= 0) return status::invalid_amount;
    if (in.debit == in.credit) return status::same_account;
    const account& d = accounts_[in.debit];
    const account& c = accounts_[in.credit];
    if (in.token >= token_total || d.token != in.token || c.token != in.token) return status::token_mismatch;
    if (d.frozen) return status::frozen_account;
    if (d.issuer && !authorised(mint_reasons[in.token], in.reason)) return status::unauthorised_mint;
    if (c.issuer && !authorised(burn_reasons[in.token], in.reason)) return status::unauthorised_burn;
    return status::applied;
  }

  amount_t& delta(account_id a) {
    for (auto& [acc, d] : deltas_)
      if (acc == a) return d;
    deltas_.emplace_back(a, 0);
    return deltas_.back().second;
  }

  // The failing intent keeps its own status, every other one of the chain is linked_failed.
  void expect_failure(std::size_t size, std::size_t failed_at, status failure) {
    expected_.assign(size, status::applied);
    if (failed_at == size) return;
    std::fill(expected_.begin(), expected_.end(), status::linked_failed);
    expected_[failed_at] = failure;
  }

  // apply and settle_sequential: the first static failure of the chain wins; otherwise the first intent
  // that would take a limited account below zero, with the balances left by the chains before it.
  void expect_sequential(std::span<const transfer_intent> chain) {
    std::size_t failed_at = chain.size();
    status failure = status::applied;
    for (std::size_t k = 0; k < chain.size() && failed_at == chain.size(); ++k) {
      failure = static_status(chain[k]);
      if (failure != status::applied) failed_at = k;
    }
    deltas_.clear();
    for (std::size_t k = 0; k < chain.size() && failed_at == chain.size(); ++k) {
      const transfer_intent& in = chain[k];
      if (limited(in.debit) && shadow_[in.debit] + delta(in.debit) < in.amount) {
        failed_at = k;
        failure = status::insufficient_funds;
      }
      delta(in.debit) -= in.amount;
      delta(in.credit) += in.amount;
    }
    expect_failure(chain.size(), failed_at, failure);
  }

  // settle_simultaneous, intent by intent: a limited account's owner may spend its step-start balance less
  // what the owner's earlier chains took out (available_), plus what this chain put in; anyone else only
  // what this chain put in (not_owner). Credits land after the batch, so they never fund a later chain.
  void expect_simultaneous(std::span<const transfer_intent> chain, agent_id origin) {
    deltas_.clear();
    std::size_t failed_at = chain.size();
    status failure = status::applied;
    for (std::size_t k = 0; k < chain.size(); ++k) {
      const transfer_intent& in = chain[k];
      status st = static_status(in);
      if (st == status::applied && limited(in.debit)) {
        const amount_t put_in = delta(in.debit);
        if (accounts_[in.debit].owner == origin) {
          if (available_[in.debit] + put_in < in.amount) st = status::insufficient_funds;
        } else if (put_in < in.amount) {
          st = status::not_owner;
        }
      }
      if (st != status::applied) {
        failed_at = k;
        failure = st;
        break;
      }
      delta(in.debit) -= in.amount;
      delta(in.credit) += in.amount;
    }
    if (failed_at == chain.size()) {
      for (const auto& [acc, d] : deltas_)
        if (d < 0 && limited(acc)) available_[acc] += d;
    }
    expect_failure(chain.size(), failed_at, failure);
  }

  // ---- checking ----

  void fail(const std::string& what) {
    ++r_.violations;
    if (r_.messages.size() < 10)
      r_.messages.push_back("seed " + std::to_string(r_.seed) + " (agents " + std::to_string(agents_) +
                            "), step " + std::to_string(step_) + ", " + path_name(path_) + ": " + what);
  }

  static std::string describe(const transfer_record& r) {
    return "record (" + std::to_string(r.debit) + " -> " + std::to_string(r.credit) + ", " +
           std::to_string(r.amount) + " of token " + std::to_string(r.token) + ", reason " +
           std::to_string(r.reason) + ", origin " + std::to_string(r.origin) + ")";
  }

  // The chain's records are the next ones of the block: one per intent, numbered by position, carrying the
  // intent as issued and the status expected_ predicts. Then the shadow applies them.
  void check_chain(std::span<const transfer_intent> chain, agent_id origin) {
    const std::vector<transfer_record>& recs = ledger_.step_records();
    if (recs.size() < checked_ + chain.size()) {
      fail("block has " + std::to_string(recs.size()) + " records, at least " +
           std::to_string(checked_ + chain.size()) + " expected");
      return;
    }
    std::size_t applied = 0, linked_failed = 0;
    for (std::size_t k = 0; k < chain.size(); ++k) {
      const transfer_record& rec = recs[checked_ + k];
      const transfer_intent& in = chain[k];
      backing_.push_back(in.lineage);  // records carry no lineage: a mint's lot must hold it
      if (rec.debit != in.debit || rec.credit != in.credit || rec.amount != in.amount ||
          rec.token != in.token || rec.reason != in.reason || rec.flags != in.flags || rec.origin != origin)
        fail(describe(rec) + " differs from its intent");
      if (rec.status >= status_count) {
        fail(describe(rec) + ": unknown status " + std::to_string(rec.status));
        continue;
      }
      const auto st = static_cast<status>(rec.status);
      ++r_.statuses[rec.status];
      if (st != expected_[k])
        fail(describe(rec) + ": " + status_name(st) + ", expected " + status_name(expected_[k]));
      if (st == status::linked_failed) ++linked_failed;
      if (st != status::applied) continue;
      ++applied;
      if (rec.debit >= accounts_.size() || rec.credit >= accounts_.size()) {
        fail(describe(rec) + " applied to an unknown account");
        continue;
      }
      // Units are created and destroyed only through the issuer, and only for authorised reasons.
      if (accounts_[rec.debit].issuer && !authorised(mint_reasons[rec.token], rec.reason))
        fail(describe(rec) + ": minted with a reason not authorised");
      if (accounts_[rec.credit].issuer && !authorised(burn_reasons[rec.token], rec.reason))
        fail(describe(rec) + ": burnt with a reason not authorised");
      shadow_[rec.debit] -= rec.amount;
      shadow_[rec.credit] += rec.amount;
    }
    // Atomic: all applied, or one rejection with its own status and the rest linked_failed.
    const bool whole = applied == chain.size() || (applied == 0 && linked_failed + 1 == chain.size());
    if (!whole)
      fail("chain at record " + std::to_string(checked_) + " of " + std::to_string(chain.size()) + ": " +
           std::to_string(applied) + " applied, " + std::to_string(linked_failed) + " linked_failed");
    if (chain.size() > 1) ++(applied == chain.size() ? r_.linked_applied : r_.linked_rejected);
    r_.path_intents[static_cast<std::size_t>(path_)] += chain.size();
    checked_ += chain.size();
  }

  // After every seal: the block, its header and the balances, against the shadow.
  void check_sealed(const block_header& h) {
    const std::vector<transfer_record>& recs = ledger_.step_records();
    if (recs.size() != checked_)
      fail("block has " + std::to_string(recs.size()) + " records for " + std::to_string(checked_) +
           " intents");
    if (h.step != step_) fail("header of step " + std::to_string(h.step));
    if (h.prev != prev_hash_) fail("header does not chain to the previous one");
    if (header_hash(h) != h.hash) fail("header hash does not match its fields");
    if (h.transfer_count != recs.size()) fail("header transfer_count " + std::to_string(h.transfer_count));

    std::array<std::uint64_t, status_count> counts{};
    for (const transfer_record& rec : recs)
      if (rec.status < status_count) ++counts[rec.status];
    if (counts != ledger_.step_status_counts()) fail("step_status_counts differ from the records");
    if (h.rejected_count != recs.size() - counts[0])
      fail("header rejected_count " + std::to_string(h.rejected_count) + ", records say " +
           std::to_string(recs.size() - counts[0]));

    const std::span<const amount_t> bal = ledger_.balances();
    if (bal.size() != accounts_.size()) {
      fail("ledger has " + std::to_string(bal.size()) + " balances");
      return;
    }
    std::array<amount_t, token_total> sums{};
    for (std::size_t a = 0; a < bal.size(); ++a) {
      if (bal[a] != shadow_[a])
        fail("account " + std::to_string(a) + " holds " + std::to_string(bal[a]) + ", the records say " +
             std::to_string(shadow_[a]));
      if (bal[a] < 0 && !accounts_[a].unlimited)
        fail("limited account " + std::to_string(a) + " holds " + std::to_string(bal[a]));
      sums[accounts_[a].token] += bal[a];
    }
    if (h.supplies.size() != token_total)
      fail("header has " + std::to_string(h.supplies.size()) + " supplies");
    for (token_id t = 0; t < token_total; ++t) {
      if (sums[t] != 0) fail("balances of token " + std::to_string(t) + " sum to " + std::to_string(sums[t]));
      if (t < h.supplies.size() && h.supplies[t] != -bal[issuers_[t]])
        fail("supply of token " + std::to_string(t) + " is " + std::to_string(h.supplies[t]) +
             ", issuer holds " + std::to_string(bal[issuers_[t]]));
    }

    // Every applied mint of the value token, in record order, is a lot backed by the intent's lineage.
    const std::vector<lineage_record>& lots = ledger_.step_lineage();
    std::size_t lot = 0;
    for (std::size_t i = 0; i < recs.size(); ++i) {
      const transfer_record& rec = recs[i];
      if (rec.status != 0 || rec.debit != issuers_[green]) continue;
      const std::uint64_t id = make_transfer_id(step_, static_cast<std::uint32_t>(i));
      const bool same = lot < lots.size() && lots[lot].lot == id && i < backing_.size() &&
                        lots[lot].backing == backing_[i] && lots[lot].issuer == rec.debit &&
                        lots[lot].holder == rec.credit && lots[lot].amount == rec.amount &&
                        lots[lot].token == green && lots[lot].step == step_;
      if (!same) fail(describe(rec) + ": minted value without its lineage lot");
      ++lot;
    }
    if (lot != lots.size())
      fail(std::to_string(lots.size()) + " lineage lots for " + std::to_string(lot) + " mints");

    prev_hash_ = h.hash;
    r_.transfers += checked_;
    ++r_.steps;
  }

  // ---- the steps ----

  void settle_direct(std::span<const transfer_intent> chain, agent_id origin) {
    expect_sequential(chain);
    const status got = ledger_.apply(chain, origin);
    const auto own = std::find_if(expected_.begin(), expected_.end(), [](status s) {
      return s != status::applied && s != status::linked_failed;
    });
    const status want = own == expected_.end() ? status::applied : *own;
    if (got != want)
      fail(std::string("apply returned ") + status_name(got) + ", expected " + status_name(want));
    check_chain(chain, origin);
  }

  void genesis() {
    path_ = path::apply;
    for (std::size_t i = 0; i < prev_hash_.size(); ++i)
      prev_hash_[i] = static_cast<std::uint8_t>(r_.seed >> (i % 8 * 8));
    ledger_.begin_genesis(prev_hash_);
    checked_ = 0;
    backing_.clear();
    for (agent_id a = 0; a < agents_; ++a) {
      const std::array<transfer_intent, 2> endow{
          {{issuers_[cash], owned_[a][cash], 1000, 0, cash, endowment, 0},
           {issuers_[points], owned_[a][points], 100, 0, points, endowment, 0}}};
      for (const transfer_intent& in : endow) settle_direct(std::span(&in, 1), system_agent);
    }
    check_sealed(ledger_.seal_step());
  }

  void step(step_t s) {
    step_ = s;
    ledger_.begin_step(s);
    checked_ = 0;
    backing_.clear();
    for (std::uint64_t phases = 1 + below(3); phases-- > 0 && r_.violations == 0;) {
      if (chance(50)) toggle_frozen();
      path_ = static_cast<path>(below(3));
      if (path_ == path::apply) {
        run_apply();
      } else {
        generate_batch();
        if (path_ == path::sequential)
          run_sequential();
        else
          run_simultaneous();
      }
      if (ledger_.step_records().size() != checked_)
        fail("block has " + std::to_string(ledger_.step_records().size()) + " records for " +
             std::to_string(checked_) + " intents");
    }
    check_sealed(ledger_.seal_step());
  }

  void run_apply() {
    for (std::uint64_t n = 1 + below(2 * agents_ + 8); n-- > 0;) {
      if (chance(2)) toggle_frozen();  // takes effect for the next intent settled
      const auto origin = static_cast<agent_id>(below(agents_));
      chain_.clear();
      make_chain(origin, chain_);
      settle_direct(chain_, origin);
    }
  }

  void generate_batch() {
    static constexpr std::array<std::uint32_t, 4> sizes{1, 3, 64, 4096};
    const std::uint32_t size =
        chance(50) ? sizes[below(sizes.size())] : static_cast<std::uint32_t>(1 + below(agents_));
    batch_.chunk_size = size;
    batch_.chunks.resize((agents_ + size - 1) / size);
    for (std::size_t c = 0; c < batch_.chunks.size(); ++c) {
      intent_chunk& chunk = batch_.chunks[c];
      chunk.reset(static_cast<agent_id>(c * size));
      const auto end = static_cast<agent_id>(std::min<std::uint64_t>(agents_, (c + 1) * std::uint64_t{size}));
      for (agent_id a = chunk.first_agent; a < end; ++a) {
        chunk.start_agent();
        const std::size_t first = chunk.intents.size();
        for (std::uint64_t n = below(max_chains_ + 1); n-- > 0;) make_chain(a, chunk.intents);
        // Now and then the agent's last intent stays linked: its chain then ends with the agent's intents.
        if (chunk.intents.size() > first && chance(2)) chunk.intents.back().flags |= intent_flag::linked;
      }
      chunk.finish();
    }
  }

  std::span<const transfer_intent> intents_of(agent_id a) const {
    const intent_chunk& c = batch_.chunks[a / batch_.chunk_size];
    const std::size_t i = a - c.first_agent;
    return std::span(c.intents).subspan(c.offsets[i], c.offsets[i + 1] - c.offsets[i]);
  }

  void run_sequential() {
    order_.resize(agents_);
    for (agent_id a = 0; a < agents_; ++a) order_[a] = a;
    for (std::size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[below(i)]);
    ledger_.settle_sequential(batch_, order_);
    for (const agent_id a : order_) {
      for_each_chain(intents_of(a), [&](std::span<const transfer_intent> chain) {
        expect_sequential(chain);
        check_chain(chain, a);
      });
    }
  }

  void run_simultaneous() {
    available_ = shadow_;  // step-start (well, batch-start) balances
    ledger_.settle_simultaneous(batch_);
    for (agent_id a = 0; a < agents_; ++a) {  // chunks in order, agents in order: the canonical order
      for_each_chain(intents_of(a), [&](std::span<const transfer_intent> chain) {
        expect_simultaneous(chain, a);
        check_chain(chain, a);
      });
    }
  }

  std::mt19937_64 rng_;
  std::uint64_t target_;
  result r_;
  std::uint32_t agents_ = 0;
  std::uint32_t max_chains_ = 3;
  ledger ledger_;

  // The checker's own world, never read back from the ledger.
  std::vector<account> accounts_;
  std::array<account_id, token_total> issuers_{};
  account_id treasury_ = 0;
  std::vector<std::array<account_id, token_total>> owned_;  // per agent, per token
  std::vector<amount_t> shadow_;                            // balances, as the records say
  std::vector<amount_t> available_;                         // simultaneous settle: owners' spendable

  // The step under way.
  step_t step_ = 0;
  path path_ = path::apply;
  std::size_t checked_ = 0;             // records of the open block checked so far
  std::vector<std::uint64_t> backing_;  // per record of the open block: its intent's lineage
  digest prev_hash_{};

  // Scratch, reused.
  std::vector<transfer_intent> chain_;
  intent_batch batch_;
  std::vector<agent_id> order_;
  std::vector<status> expected_;
  std::vector<std::pair<account_id, amount_t>> deltas_;
};

}  // namespace detail

// Runs the check for one seed until about o.transfers records have been checked, or the first step with a
// violation (later steps would only repeat it).
inline result run(const options& o) { return detail::harness(o).run(); }

}  // namespace civitas::ledger::property
