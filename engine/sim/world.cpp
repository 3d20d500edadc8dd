#include "sim/world.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "core/assert.hpp"
#include "core/error.hpp"
#include "core/permutation.hpp"
#include "core/version.hpp"
#include "io/binding.hpp"

namespace civitas::sim {
namespace {
class phase_timer {
 public:
  phase_timer(profile& p, step_phase phase) : p_(p), i_(static_cast<std::size_t>(phase)) {}
  ~phase_timer() {
    const auto ns = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_)
            .count());
    p_.last_ns[i_] = ns;
    p_.total_ns[i_] += ns;
  }

 private:
  profile& p_;
  std::size_t i_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};
}  // namespace

const char* phase_name(step_phase p) {
  switch (p) {
    case step_phase::decide:
      return "decide";
    case step_phase::settle:
      return "settle";
    case step_phase::govern:
      return "govern";
    case step_phase::score:
      return "score";
    case step_phase::record:
      return "record";
  }
  return "unknown";
}

world::world(const params::scenario& scenario, std::unique_ptr<model> m, ledger::ledger_options options,
             transport* peers)
    : scenario_(scenario),
      run_(scenario.get<run_params>()),
      output_(scenario.get<output_params>()),
      canonical_(params::canonical_toml(scenario)),
      ledger_(options),
      model_(std::move(m)) {
  model_->setup(*this);
  columns_ = {"step", "transfers", "rejected"};
  for (std::size_t t = 0; t < ledger_.token_count(); ++t)
    columns_.push_back("supply_" + ledger_.token(static_cast<token_id>(t)).name);
  for (auto& c : model_->metric_columns()) columns_.push_back(std::move(c));
  metrics_.assign(columns_.size(), 0.0);

  const std::size_t n = population_.size();
  end_agent_ = static_cast<agent_id>(n);
  const std::uint32_t shards = scenario.get<shard_params>().shards;
  if (shards > 1) {
    if (!peers) {
      own_peers_ = std::move(local_transports(1).front());
      peers = own_peers_.get();
    }
    const auto ranks = static_cast<std::uint32_t>(peers->size());
    if (ranks > shards)
      throw input_error(std::vector<diagnostic>{
          {"run.shards", 0, 0,
           "run.shards = " + std::to_string(shards) + " is fewer than the " + std::to_string(ranks) +
               " ranks running it (every rank holds at least one shard)"}});
    peers_ = peers;
    // Rank r holds shards [r S / R, (r + 1) S / R): contiguous, so its agents, accounts and records are
    // too, and the ranks in order hold the shards in order.
    const auto rank = static_cast<std::uint32_t>(peers->rank());
    first_shard_ = static_cast<std::uint32_t>(std::uint64_t{rank} * shards / ranks);
    end_shard_ = static_cast<std::uint32_t>(std::uint64_t{rank + 1} * shards / ranks);
    for (std::uint32_t r = 0; r < ranks; ++r)
      for (auto sh = static_cast<std::uint32_t>(std::uint64_t{r} * shards / ranks);
           sh < std::uint64_t{r + 1} * shards / ranks; ++sh)
        rank_of_shard_.push_back(static_cast<int>(r));
    const std::vector<agent_id> bounds = shard_bounds(static_cast<std::uint32_t>(n), shards);
    first_agent_ = bounds[first_shard_];
    end_agent_ = bounds[end_shard_];
    ledger_.set_shards(bounds);
    for (std::uint32_t sh = first_shard_; sh < end_shard_; ++sh)
      for (const ledger::account_range& r : ledger_.shard_accounts(sh)) {
        if (!held_.empty() && held_.back().end == r.first)
          held_.back().end = r.end;
        else
          held_.push_back(r);
      }
    CIVITAS_ASSERT(std::is_sorted(held_.begin(), held_.end(),
                                  [](const auto& x, const auto& y) { return x.first < y.first; }));
  }
  // Decide chunks cover this process's agents (all of them, unsharded), from its first agent.
  const std::size_t mine = end_agent_ - first_agent_;
  batch_.chunk_size = chunk_size;
  batch_.chunks.resize((mine + chunk_size - 1) / chunk_size);
  if (!sharded()) order_.resize(n);  // a sharded run settles simultaneously: no activation order
}

std::vector<agent_id> world::shard_bounds(std::uint32_t agents, std::uint32_t shards) {
  std::vector<agent_id> bounds(shards + 1);
  for (std::uint32_t s = 0; s <= shards; ++s)
    bounds[s] = static_cast<agent_id>(std::uint64_t{s} * agents / shards);
  return bounds;
}

void world::genesis(block_sink sink) {
  CIVITAS_ASSERT(!ledger_.has_head());
  sink_ = std::move(sink);
  // The run's identity: what is simulated (not what is stored), the seed, the engine, and every table
  // fixed before step 0 that a reader relies on.
  ledger_.begin_genesis(ledger::scenario_binding(params::identity_toml(scenario_), run_.seed, engine_version,
                                                 io::layout_digest(layout())));
  model_->endow(*this);
  // Sharded too, block 0 is made whole by every process (every rank holds every account's genesis
  // balance); its header is sealed over every shard, the same on every rank.
  record(snapshot_due(0));
  if (sharded()) {
    (void)ledger_.take_step_records();  // every genesis record: not kept past block 0
    // A sharded run's profile and communication figures are of its steps alone: block 0, sealed whole
    // on every rank, is not one.
    profile_ = {};
    peers_->reset_stats();
  }
}

world::~world() = default;

bool world::snapshot_due(step_t step) const {
  if (step == run_.steps) return true;  // the final state is always kept
  return output_.snapshot_every > 0 && step % output_.snapshot_every == 0;
}

void world::step() {
  CIVITAS_ASSERT(ledger_.has_head());
  if (sharded()) {
    step_sharded();
    ++profile_.steps;
    return;
  }
  const step_t step = ledger_.head().step + 1;
  ledger_.begin_step(step);
  const auto n = static_cast<agent_id>(population_.size());

  const bool random_sequential = run_.activation == activation_kind::random_sequential;
  if (random_sequential && model_->streams_intents()) {
    // Intents drawn block by block during the walk (ledger::settle_streamed): no decide phase, no
    // step-sized intent arrays; the activation order is computed per block, ahead of the walk, too.
    phase_timer t(profile_, step_phase::settle);
    const feistel_permutation order(run_.seed, step, rng_purpose::activation_order, n);
    ledger_.settle_streamed(
        n,
        [&](std::uint32_t first, std::uint32_t count, ledger::walk_block& out) {
          out.agents.resize(count);
          for (std::uint32_t i = 0; i < count; ++i) out.agents[i] = order(first + i);
          model_->decide_agents(*this, out.agents, out.intents);
          out.intents.finish();
        },
        model_->records_unfunded());
  } else {
    {
      phase_timer t(profile_, step_phase::decide);
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batch_.chunks.size(), 1), [&](const auto& r) {
        for (std::size_t c = r.begin(); c != r.end(); ++c) {
          const auto first = static_cast<agent_id>(c * chunk_size);
          const agent_id end = std::min<agent_id>(n, first + chunk_size);
          ledger::intent_chunk& chunk = batch_.chunks[c];
          chunk.reset(first);
          model_->decide(*this, chunk, first, end);
          chunk.finish();
        }
      });
    }
    phase_timer t(profile_, step_phase::settle);
    if (random_sequential) {
      const feistel_permutation order(run_.seed, step, rng_purpose::activation_order, n);
      tbb::parallel_for(tbb::blocked_range<agent_id>(0, n, 1 << 14), [&](const auto& r) {
        for (agent_id i = r.begin(); i != r.end(); ++i) order_[i] = order(i);
      });
      ledger_.settle_sequential(batch_, order_);
    } else {
      ledger_.settle_simultaneous(batch_);
    }
  }
  {
    phase_timer t(profile_, step_phase::govern);
    model_->govern(*this);
  }
  record(snapshot_due(step));
  ++profile_.steps;
}

void world::record(bool with_snapshot) {
  const step_t step = ledger_.current_step();
  {
    phase_timer t(profile_, step_phase::score);
    const auto& counts = ledger_.step_status_counts();
    std::uint64_t all = 0;
    for (const auto c : counts) all += c;
    for (std::size_t i = 0; i < counts.size(); ++i) status_totals_[i] += counts[i];
    total_transfers_ += all;
    total_rejected_ += all - counts[0];
    std::size_t k = 0;
    metrics_[k++] = static_cast<double>(step);
    metrics_[k++] = static_cast<double>(all);
    metrics_[k++] = static_cast<double>(all - counts[0]);
    for (std::size_t t = 0; t < ledger_.token_count(); ++t)
      metrics_[k++] = static_cast<double>(-ledger_.balance(ledger_.issuer_account(static_cast<token_id>(t))));
    const bool full = step % output_.metrics_every == 0 || step == run_.steps;
    model_->score(*this, full, std::span(metrics_).subspan(k));
  }
  phase_timer t(profile_, step_phase::record);
  const ledger::block_header& header = ledger_.seal_step();
  if (!sink_) return;
  io::step_packet packet;
  packet.header = header;
  if (output_.ledger == ledger_log::full) packet.records = ledger_.take_step_records();
  packet.lineage = ledger_.take_step_lineage();
  packet.metrics = metrics_;
  if (with_snapshot) packet.snapshot = snapshot();
  sink_(std::move(packet));
}

void world::step_sharded() {
  const step_t step = ledger_.head().step + 1;
  ledger_.begin_step(step);
  {
    phase_timer t(profile_, step_phase::decide);
    // A model reading only its own agents' accounts (Boltzmann) needs no halo; one rank holds everything.
    if (model_->reads_halo() && peers_->size() > 1) exchange_halo();
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batch_.chunks.size(), 1), [&](const auto& r) {
      for (std::size_t c = r.begin(); c != r.end(); ++c) {
        const auto first = static_cast<agent_id>(first_agent_ + c * chunk_size);
        const agent_id end = std::min<agent_id>(end_agent_, first + chunk_size);
        ledger::intent_chunk& chunk = batch_.chunks[c];
        chunk.reset(first);
        model_->decide(*this, chunk, first, end);
        chunk.finish();
      }
    });
  }
  {
    phase_timer t(profile_, step_phase::settle);
    // Every intent leaves one record: the ranks before this one number theirs first.
    std::vector<std::int64_t> records(static_cast<std::size_t>(peers_->size()), 0);
    for (const auto& chunk : batch_.chunks)
      records[static_cast<std::size_t>(peers_->rank())] += chunk.intents.size();
    peers_->all_reduce_sum(records);
    ledger::sharded_settle how;
    for (int r = 0; r < peers_->rank(); ++r) how.record_base += static_cast<std::uint64_t>(records[r]);
    how.held = held_;
    how.route = [this](std::vector<ledger::account_credit>&& out) { return route_credits(std::move(out)); };
    ledger_.settle_simultaneous(batch_, &how);
  }
  {
    phase_timer t(profile_, step_phase::govern);
    model_->govern(*this);
  }
  record_sharded(snapshot_due(step));
}

void world::exchange_halo() {
  // What this rank's agents will read of other ranks' accounts, listed chunk by chunk in parallel, then
  // sorted and deduplicated: the requests, and so the bytes sent, do not depend on the threads.
  std::vector<std::vector<account_id>> wanted(batch_.chunks.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, wanted.size(), 1), [&](const auto& r) {
    for (std::size_t c = r.begin(); c != r.end(); ++c) {
      const auto first = static_cast<agent_id>(first_agent_ + c * chunk_size);
      model_->halo_accounts(*this, first, std::min<agent_id>(end_agent_, first + chunk_size), wanted[c]);
      std::erase_if(wanted[c], [this](account_id a) { return holds(a); });
    }
  });
  halo_accounts_.clear();
  for (const auto& w : wanted) halo_accounts_.insert(halo_accounts_.end(), w.begin(), w.end());
  std::sort(halo_accounts_.begin(), halo_accounts_.end());
  halo_accounts_.erase(std::unique(halo_accounts_.begin(), halo_accounts_.end()), halo_accounts_.end());

  // Each account id (4 bytes) to the rank holding it, which answers with its step-start balance (8 bytes)
  // in the order asked: two all-to-alls (MPI_Alltoallv).
  const auto ranks = static_cast<std::size_t>(peers_->size());
  std::vector<byte_buffer> ask(ranks);
  for (const account_id a : halo_accounts_)
    put(ask[static_cast<std::size_t>(rank_of_account(a))], std::span(&a, 1));
  const std::vector<byte_buffer> asked = peers_->all_to_all(ask);
  std::vector<byte_buffer> answer(ranks);
  const auto balances = ledger_.balances();
  for (std::size_t r = 0; r < ranks; ++r)
    for (const account_id a : take_all<account_id>(asked[r])) {
      if (!holds(a))
        throw std::logic_error("halo: rank " + std::to_string(r) + " asked rank " +
                               std::to_string(peers_->rank()) + " for account " + std::to_string(a) +
                               ", which it does not hold");
      put(answer[r], balances.subspan(a, 1));
    }
  const std::vector<byte_buffer> answered = peers_->all_to_all(answer);
  // Each holder answered in the order it was asked, which is ascending within that holder's accounts.
  std::vector<std::size_t> read(ranks, 0);
  halo_balances_.resize(halo_accounts_.size());
  for (std::size_t i = 0; i < halo_accounts_.size(); ++i) {
    const auto r = static_cast<std::size_t>(rank_of_account(halo_accounts_[i]));
    CIVITAS_ASSERT((read[r] + 1) * sizeof(amount_t) <= answered[r].size());
    std::memcpy(&halo_balances_[i], answered[r].data() + read[r] * sizeof(amount_t), sizeof(amount_t));
    ++read[r];
  }
  for (std::size_t r = 0; r < ranks; ++r) CIVITAS_ASSERT(read[r] * sizeof(amount_t) == answered[r].size());
}

bool world::holds(account_id a) const {
  const std::uint32_t shard = ledger_.shard_of_account(a);
  return shard >= first_shard_ && shard < end_shard_;
}

int world::rank_of_account(account_id a) const { return rank_of_shard_[ledger_.shard_of_account(a)]; }

amount_t world::sharded_balance(account_id a) const {
  if (holds(a)) return ledger_.balances()[a];
  const auto it = std::lower_bound(halo_accounts_.begin(), halo_accounts_.end(), a);
  if (it == halo_accounts_.end() || *it != a)
    throw std::logic_error("step " + std::to_string(ledger_.current_step()) + ": decide read account " +
                           std::to_string(a) + " of rank " + std::to_string(rank_of_account(a)) +
                           ", which is neither held here nor in the halo (the model did not list it)");
  return halo_balances_[static_cast<std::size_t>(it - halo_accounts_.begin())];
}

std::vector<ledger::account_credit> world::route_credits(std::vector<ledger::account_credit>&& outgoing) {
  // Each credit to the rank holding its account (one Alltoallv): 4-byte account, 8-byte amount.
  std::vector<byte_buffer> send(static_cast<std::size_t>(peers_->size()));
  for (const auto& [account, amount] : outgoing) {
    byte_buffer& to = send[static_cast<std::size_t>(rank_of_shard_[ledger_.shard_of_account(account)])];
    put(to, std::span(&account, 1));
    put(to, std::span(&amount, 1));
  }
  constexpr std::size_t entry = sizeof(account_id) + sizeof(amount_t);
  std::vector<ledger::account_credit> in;
  for (const byte_buffer& from : peers_->all_to_all(send)) {
    for (std::size_t at = 0; at + entry <= from.size(); at += entry) {
      ledger::account_credit c;
      std::memcpy(&c.first, from.data() + at, sizeof(account_id));
      std::memcpy(&c.second, from.data() + at + sizeof(account_id), sizeof(amount_t));
      in.push_back(c);
    }
  }
  return in;
}

void world::mirror_population_on_root() {
  // Rank 0 scores and snapshots the whole population: it copies in every other rank's held balances.
  byte_buffer mine;
  for (const ledger::account_range& r : held_)
    put(mine, ledger_.balances().subspan(r.first, r.end - r.first));
  const std::vector<byte_buffer> all = peers_->gather(mine);
  if (peers_->rank() != 0) return;
  for (std::size_t rank = 1; rank < all.size(); ++rank) {
    const std::vector<amount_t> values = take_all<amount_t>(all[rank]);
    std::size_t at = 0;
    const auto r0 = static_cast<std::uint32_t>(std::uint64_t{rank} * ledger_.shard_count() / all.size());
    const auto r1 = static_cast<std::uint32_t>(std::uint64_t{rank + 1} * ledger_.shard_count() / all.size());
    for (std::uint32_t sh = r0; sh < r1; ++sh)
      for (const ledger::account_range& r : ledger_.shard_accounts(sh)) {
        CIVITAS_ASSERT(at + (r.end - r.first) <= values.size());
        ledger_.mirror_balances(r, std::span(values).subspan(at, r.end - r.first));
        at += r.end - r.first;
      }
    CIVITAS_ASSERT(at == values.size());
  }
}

void world::record_sharded(bool with_snapshot) {
  const step_t step = ledger_.current_step();
  const std::size_t tokens = ledger_.token_count();
  ledger::combined_seal all;
  {
    phase_timer t(profile_, step_phase::score);
    ledger::shard_seal_parts parts = ledger_.seal_parts(first_shard_, end_shard_);
    // One integer all-reduce: conservation per token, supplies, status counts, limit breaches.
    std::vector<std::int64_t> sums;
    sums.insert(sums.end(), parts.token_sums.begin(), parts.token_sums.end());
    sums.insert(sums.end(), parts.supplies.begin(), parts.supplies.end());
    for (const auto c : parts.counts) sums.push_back(static_cast<std::int64_t>(c));
    sums.push_back(static_cast<std::int64_t>(parts.negative_limited));
    peers_->all_reduce_sum(sums);
    for (std::size_t tk = 0; tk < tokens; ++tk)
      if (sums[tk] != 0)
        throw ledger::invariant_error("step " + std::to_string(step) + ": balances of token " +
                                      ledger_.token(static_cast<token_id>(tk)).name + " sum to " +
                                      std::to_string(sums[tk]) + " over every shard, not 0");
    if (sums.back() != 0)
      throw ledger::invariant_error("step " + std::to_string(step) + ": " + std::to_string(sums.back()) +
                                    " accounts that may not go negative hold less than zero");
    all.supplies.assign(sums.begin() + static_cast<std::ptrdiff_t>(tokens),
                        sums.begin() + static_cast<std::ptrdiff_t>(2 * tokens));
    std::array<std::uint64_t, ledger::status_count> counts{};
    for (std::size_t i = 0; i < counts.size(); ++i)
      counts[i] = static_cast<std::uint64_t>(sums[2 * tokens + i]);
    // Shard roots and lots from every rank, in rank order, which is shard order.
    for (const byte_buffer& b :
         peers_->all_gather(std::span(reinterpret_cast<const std::uint8_t*>(parts.roots.data()),
                                      parts.roots.size() * sizeof(ledger::shard_roots))))
      for (const auto& r : take_all<ledger::shard_roots>(b)) all.roots.push_back(r);
    const auto& lots = ledger_.step_lineage();
    for (const byte_buffer& b :
         peers_->all_gather(std::span(reinterpret_cast<const std::uint8_t*>(lots.data()),
                                      lots.size() * sizeof(ledger::lineage_record))))
      for (const auto& l : take_all<ledger::lineage_record>(b)) all.lineage.push_back(l);

    std::uint64_t every = 0;
    for (const auto c : counts) every += c;
    for (std::size_t i = 0; i < counts.size(); ++i) status_totals_[i] += counts[i];
    total_transfers_ += every;
    total_rejected_ += every - counts[0];
    all.transfer_count = every;
    all.rejected_count = every - counts[0];
    std::size_t k = 0;
    metrics_[k++] = static_cast<double>(step);
    metrics_[k++] = static_cast<double>(every);
    metrics_[k++] = static_cast<double>(every - counts[0]);
    for (std::size_t tk = 0; tk < tokens; ++tk) metrics_[k++] = static_cast<double>(all.supplies[tk]);
    const bool full = step % output_.metrics_every == 0 || step == run_.steps;
    if (full || with_snapshot) mirror_population_on_root();
    // Only rank 0's metrics are reported and stored; the others skip the costly ones.
    model_->score(*this, full && root(), std::span(metrics_).subspan(k));
  }
  phase_timer t(profile_, step_phase::record);
  const ledger::block_header& header = ledger_.seal_combined(all);
  io::step_packet packet;
  if (output_.ledger == ledger_log::full) {
    // The writer (rank 0) gets every rank's records, in rank order: the block's order.
    std::vector<ledger::transfer_record> mine = ledger_.take_step_records();
    const std::vector<byte_buffer> every = peers_->gather(std::span(
        reinterpret_cast<const std::uint8_t*>(mine.data()), mine.size() * sizeof(ledger::transfer_record)));
    if (root()) {
      packet.records = std::move(mine);
      for (std::size_t r = 1; r < every.size(); ++r)
        for (const auto& rec : take_all<ledger::transfer_record>(every[r])) packet.records.push_back(rec);
    } else {
      ledger_.records_pool()->give_back(std::move(mine));
    }
  }
  if (!sink_) return;
  packet.header = header;
  packet.lineage = std::move(all.lineage);
  packet.metrics = metrics_;
  if (with_snapshot) packet.snapshot = snapshot();
  sink_(std::move(packet));
}

io::agent_snapshot world::snapshot() const {
  return io::agent_snapshot{ledger_.has_head() ? ledger_.head().step : 0, model_->snapshot_balances(*this),
                            model_->snapshot_scores(*this)};
}

io::run_layout world::layout() const {
  io::run_layout l;
  for (std::size_t t = 0; t < ledger_.token_count(); ++t) {
    l.tokens.push_back(ledger_.token(static_cast<token_id>(t)));
    l.issuer_accounts.push_back(ledger_.issuer_account(static_cast<token_id>(t)));
  }
  for (const auto& a : ledger_.authorisations()) l.authorisations.push_back({a.token, a.reason, a.mint});
  l.accounts.reserve(ledger_.account_count());
  for (std::size_t a = 0; a < ledger_.account_count(); ++a)
    l.accounts.push_back(ledger_.account(static_cast<account_id>(a)));
  l.metric_columns = columns_;
  l.agent_kinds.reserve(population_.size());
  for (const auto k : population_.kind) l.agent_kinds.push_back(static_cast<std::uint8_t>(k));
  l.value_dimensions = static_cast<std::uint32_t>(population_.values.cols());
  l.agent_values.assign(population_.values.data(), population_.values.data() + population_.values.size());
  l.score_columns = model_->score_columns();
  for (const auto& r : model_->reasons()) l.reasons.push_back({r.code, r.name});
  l.statuses = io::engine_statuses();
  model_->describe(l);
  return l;
}

}  // namespace civitas::sim
