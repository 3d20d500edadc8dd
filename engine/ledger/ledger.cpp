// Implementation notes: see ledger.hpp for the invariants and the two settle semantics.
#include "ledger/ledger.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <limits>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/assert.hpp"
#include "core/huge_pages.hpp"
#include "ledger/merkle.hpp"

namespace civitas::ledger {

struct ledger::state {
  ledger_options options;
  std::vector<token_def> tokens;
  std::vector<account_id> issuers;
  std::unordered_set<std::uint32_t> mint_ok;  // token << 16 | reason
  std::unordered_set<std::uint32_t> burn_ok;
  huge_vector<account_info> accounts;
  // What the settle loop checks per account, 4 bytes each: half the cache footprint of account_info.
  struct account_tag {
    token_id token;
    std::uint8_t flags;
    std::uint8_t unused;
  };
  huge_vector<account_tag> tags;
  huge_vector<amount_t> balances;
  // Reused every step: the activation-ordered intents and their per-agent offsets.
  huge_vector<transfer_intent> walk;
  std::vector<std::uint32_t> walk_start;
  // Reused every step by settle_streamed: two batches of blocks, one being walked while the next fills.
  std::array<std::vector<walk_block>, 2> walk_blocks;
  // Leaf hashes of the open block's first leaf_hashes.size() full leaves of records, hashed early (by
  // settle_streamed, while the records were still in cache); seal_step hashes only the rest. Records
  // are append-only within a block, so a hashed leaf never changes.
  std::vector<digest> leaf_hashes;
  // Credits (and debits of unlimited accounts) deferred to the end of a simultaneous settle.
  std::unique_ptr<std::atomic<amount_t>[]> pending;
  std::size_t pending_size = 0;
  // Shards (set_shards): first agent of each shard plus the end; the accounts each shard owns.
  std::vector<agent_id> shard_bounds;
  std::vector<std::vector<account_range>> shard_ranges;

  bool open = false;
  step_t step = 0;
  digest prev{};
  std::vector<transfer_record> records;
  std::shared_ptr<record_pool> pool = std::make_shared<record_pool>();
  std::vector<lineage_record> lineage;
  std::array<std::uint64_t, status_count> counts{};
  block_header head;
  bool has_head = false;

  static std::uint32_t key(token_id t, std::uint16_t code) { return std::uint32_t{t} << 16 | code; }

  bool limited(account_id a) const { return (tags[a].flags & account_flag::may_go_negative) == 0; }

  // Checks that do not depend on balances. Returns applied when the intent is well formed and allowed.
  status check_static(const transfer_intent& in) const {
    const std::size_t n = accounts.size();
    if (in.debit >= n || in.credit >= n) return status::unknown_account;
    if (in.amount <= 0) return status::invalid_amount;
    if (in.debit == in.credit) return status::same_account;
    const account_tag d = tags[in.debit];
    const account_tag c = tags[in.credit];
    if (in.token >= tokens.size() || d.token != in.token || c.token != in.token)
      return status::token_mismatch;
    if (d.flags & account_flag::frozen) return status::frozen_account;
    if ((d.flags & account_flag::issuer) && !mint_ok.contains(key(in.token, in.reason)))
      return status::unauthorised_mint;
    if ((c.flags & account_flag::issuer) && !burn_ok.contains(key(in.token, in.reason)))
      return status::unauthorised_burn;
    return status::applied;
  }

  transfer_record make_record(const transfer_intent& in, agent_id origin, status st) const {
    transfer_record r;
    r.debit = in.debit;
    r.credit = in.credit;
    r.amount = in.amount;
    r.origin = origin;
    r.token = in.token;
    r.reason = in.reason;
    r.status = static_cast<std::uint8_t>(st);
    r.flags = in.flags;
    return r;
  }

  bool is_value_mint(const transfer_record& r) const {
    return r.status == 0 && tokens[r.token].kind == token_kind::value &&
           (tags[r.debit].flags & account_flag::issuer);
  }

  // The lot minted by record r at `position` of the open block, backed by transfer `backing`.
  lineage_record make_lineage(const transfer_record& r, std::uint32_t position, std::uint64_t backing) const {
    lineage_record l;
    l.lot = make_transfer_id(step, position);
    l.backing = backing;
    l.issuer = r.debit;
    l.holder = r.credit;
    l.amount = r.amount;
    l.token = r.token;
    l.step = step;
    return l;
  }

  // Appends a record at the next position of the open block; `backing` is the intent's lineage, kept
  // (in the lot's lineage_record) only when the record is an applied value-token mint.
  void append(const transfer_record& r, std::uint64_t backing) {
    ++counts[r.status];
    if (is_value_mint(r))
      lineage.push_back(make_lineage(r, static_cast<std::uint32_t>(records.size()), backing));
    records.push_back(r);
  }

  // Brings an intent's accounts into cache ahead of use (a hint only; ids are clamped, never trusted).
  void prefetch(const transfer_intent& in) const {
    const std::size_t last = accounts.size() - 1;
    const std::size_t d = std::min<std::size_t>(in.debit, last), c = std::min<std::size_t>(in.credit, last);
    __builtin_prefetch(&balances[d], 1);
    __builtin_prefetch(&balances[c], 1);
    __builtin_prefetch(&tags[d]);
    __builtin_prefetch(&tags[c]);
  }

  // Settles a chain of one intent: the common case, without the chain bookkeeping. With record_unfunded
  // false an intent whose only failure is its debit's funds leaves no record (settle_streamed).
  status settle_one(const transfer_intent& in, agent_id origin, bool record_unfunded) {
    status st = check_static(in);
    if (st == status::applied && limited(in.debit) && balances[in.debit] < in.amount) {
      st = status::insufficient_funds;
      if (!record_unfunded) return st;
    }
    if (st == status::applied) {
      balances[in.debit] -= in.amount;
      balances[in.credit] += in.amount;
    }
    append(make_record(in, origin, st), in.lineage);
    return st;
  }

  // A block's records start empty; when the last block's buffer was taken, reuse a given-back one.
  void open_records() {
    records.clear();
    leaf_hashes.clear();
    if (records.capacity() == 0) records = pool->take();
  }

  // Hashes the full leaves of records[0, end) not hashed yet, appending their hashes to leaf_hashes.
  // `base` is records.data(), read once by the caller: the walk may append records meanwhile (never
  // past the capacity reserved for it, so the buffer does not move).
  void hash_leaves(const transfer_record* base, std::size_t end) {
    const std::size_t from = leaf_hashes.size(), to = end / records_per_leaf;
    if (to <= from) return;
    leaf_hashes.resize(to);
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(base);
    constexpr std::size_t leaf_bytes = records_per_leaf * sizeof(transfer_record);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(from, to, 16), [&](const auto& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i)
        leaf_hashes[i] = leaf_hash(std::span(bytes + i * leaf_bytes, leaf_bytes));
    });
  }

  void ensure_pending() {
    if (pending_size == accounts.size()) return;
    pending = std::make_unique<std::atomic<amount_t>[]>(accounts.size());
    pending_size = accounts.size();
    for (std::size_t i = 0; i < pending_size; ++i) pending[i].store(0, std::memory_order_relaxed);
  }
};

namespace {
// Splits [begin, end) of a chunk's intents into chains: a chain ends at the first unlinked intent.
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

// Net effect of a chain on the accounts it touches (chains are short: linear search is fastest).
// Net change per account within one chain. Most chains touch two or three accounts, where a linear scan
// is fastest; a payroll chain touches hundreds, so past a few entries an index takes over (a linear scan
// there made settling one firm's payroll quadratic in its staff).
struct chain_deltas {
  std::vector<std::pair<account_id, amount_t>> items;
  std::unordered_map<account_id, std::size_t> index;  // used once items outgrow a scan
  static constexpr std::size_t scan_limit = 16;

  void clear() {
    if (items.size() > scan_limit) index.clear();
    items.clear();
  }
  amount_t& at(account_id a) {
    if (items.size() <= scan_limit) {
      for (auto& [acc, d] : items)
        if (acc == a) return d;
    } else {
      const auto it = index.find(a);
      if (it != index.end()) return items[it->second].second;
    }
    items.emplace_back(a, 0);
    if (items.size() == scan_limit + 1)
      for (std::size_t i = 0; i < items.size(); ++i) index.emplace(items[i].first, i);
    else if (items.size() > scan_limit + 1)
      index.emplace(a, items.size() - 1);
    return items.back().second;
  }
};
}  // namespace

void record_pool::give_back(std::vector<transfer_record>&& records) {
  if (records.capacity() == 0) return;
  records.clear();
  std::lock_guard lock(mutex_);
  if (spares_.size() < max_spares) spares_.push_back(std::move(records));
  // Otherwise the caller keeps the buffer and frees it: a writer far behind needs no more spares.
}

std::vector<transfer_record> record_pool::take() {
  std::lock_guard lock(mutex_);
  if (spares_.empty()) return {};
  std::vector<transfer_record> out = std::move(spares_.back());
  spares_.pop_back();
  return out;
}

ledger::ledger(ledger_options options) : s_(std::make_unique<state>()) { s_->options = options; }
ledger::~ledger() = default;
ledger::ledger(ledger&&) noexcept = default;
ledger& ledger::operator=(ledger&&) noexcept = default;

token_id ledger::add_token(token_def def, agent_id issuer_owner) {
  CIVITAS_ASSERT(!s_->has_head && !s_->open);
  const auto t = static_cast<token_id>(s_->tokens.size());
  s_->tokens.push_back(std::move(def));
  s_->issuers.push_back(open_account(issuer_owner, t, account_flag::issuer | account_flag::may_go_negative));
  return t;
}

account_id ledger::open_account(agent_id owner, token_id token, std::uint8_t flags) {
  CIVITAS_ASSERT(token < s_->tokens.size());
  const auto a = static_cast<account_id>(s_->accounts.size());
  s_->accounts.push_back(account_info{owner, token, flags});
  s_->tags.push_back(state::account_tag{token, flags, 0});
  s_->balances.push_back(0);
  return a;
}

void ledger::authorise_mint(token_id token, std::uint16_t code) {
  s_->mint_ok.insert(state::key(token, code));
}
void ledger::authorise_burn(token_id token, std::uint16_t code) {
  s_->burn_ok.insert(state::key(token, code));
}

std::size_t ledger::token_count() const { return s_->tokens.size(); }
const token_def& ledger::token(token_id t) const { return s_->tokens.at(t); }
account_id ledger::issuer_account(token_id t) const { return s_->issuers.at(t); }
std::size_t ledger::account_count() const { return s_->accounts.size(); }
const account_info& ledger::account(account_id a) const { return s_->accounts.at(a); }
amount_t ledger::balance(account_id a) const { return s_->balances.at(a); }
std::span<const amount_t> ledger::balances() const { return s_->balances; }
bool ledger::mint_authorised(token_id t, std::uint16_t code) const {
  return s_->mint_ok.contains(state::key(t, code));
}
bool ledger::burn_authorised(token_id t, std::uint16_t code) const {
  return s_->burn_ok.contains(state::key(t, code));
}
std::vector<ledger::authorisation> ledger::authorisations() const {
  std::vector<authorisation> out;
  for (const auto k : s_->mint_ok)
    out.push_back({static_cast<token_id>(k >> 16), static_cast<std::uint16_t>(k & 0xFFFF), true});
  for (const auto k : s_->burn_ok)
    out.push_back({static_cast<token_id>(k >> 16), static_cast<std::uint16_t>(k & 0xFFFF), false});
  std::sort(out.begin(), out.end(), [](const authorisation& x, const authorisation& y) {
    return std::tuple(x.token, x.reason, !x.mint) < std::tuple(y.token, y.reason, !y.mint);
  });
  return out;
}

const ledger_options& ledger::options() const { return s_->options; }

void ledger::set_frozen(account_id a, bool frozen) {
  auto& f = s_->accounts.at(a).flags;
  f = frozen ? (f | account_flag::frozen) : (f & ~account_flag::frozen);
  s_->tags[a].flags = f;
}

void ledger::begin_genesis(const digest& binding) {
  CIVITAS_ASSERT(!s_->open && !s_->has_head);
  s_->open = true;
  s_->step = 0;
  s_->prev = binding;
  s_->open_records();
  s_->lineage.clear();
  s_->counts = {};
}

void ledger::begin_step(step_t step) {
  CIVITAS_ASSERT(!s_->open && s_->has_head && step == s_->head.step + 1);
  s_->open = true;
  s_->step = step;
  s_->prev = s_->head.hash;
  s_->open_records();
  s_->lineage.clear();
  s_->counts = {};
}

bool ledger::step_open() const { return s_->open; }
step_t ledger::current_step() const { return s_->step; }

status ledger::apply(std::span<const transfer_intent> chain, agent_id origin) {
  CIVITAS_ASSERT(s_->open);
  state& s = *s_;
  if (chain.size() == 1) return s.settle_one(chain[0], origin, true);  // without the chain bookkeeping
  // First rejection wins; the rest of the chain is recorded as linked_failed.
  std::size_t failed_at = chain.size();
  status failure = status::applied;
  for (std::size_t i = 0; i < chain.size() && failed_at == chain.size(); ++i) {
    const status st = s.check_static(chain[i]);
    if (st != status::applied) {
      failed_at = i;
      failure = st;
    }
  }
  std::size_t applied = 0;
  if (failed_at == chain.size()) {
    for (; applied < chain.size(); ++applied) {
      const transfer_intent& in = chain[applied];
      amount_t& debit = s.balances[in.debit];
      if (s.limited(in.debit) && debit < in.amount) {
        failed_at = applied;
        failure = status::insufficient_funds;
        break;
      }
      debit -= in.amount;
      s.balances[in.credit] += in.amount;
    }
    // Roll back a chain that failed part-way: linked transfers succeed or fail as a whole.
    for (std::size_t i = applied; failed_at != chain.size() && i-- > 0;) {
      s.balances[chain[i].debit] += chain[i].amount;
      s.balances[chain[i].credit] -= chain[i].amount;
    }
  }
  for (std::size_t i = 0; i < chain.size(); ++i) {
    const status st = failed_at == chain.size() ? status::applied
                      : i == failed_at          ? failure
                                                : status::linked_failed;
    s.append(s.make_record(chain[i], origin, st), chain[i].lineage);
  }
  return failure;
}

void ledger::settle_sequential(const intent_batch& batch, std::span<const agent_id> order) {
  CIVITAS_ASSERT(s_->open);
  state& s = *s_;
  // Gather every agent's intents into one array in activation order, in parallel: the serial walk
  // below then reads intents sequentially and only balances are touched at random.
  const std::size_t n = order.size();
  std::vector<std::uint32_t>& start = s.walk_start;
  start.assign(n + 1, 0);
  auto range_of = [&](agent_id a) {
    const std::size_t c = a / batch.chunk_size;
    CIVITAS_ASSERT(c < batch.chunks.size());
    const intent_chunk& chunk = batch.chunks[c];
    const std::size_t i = a - chunk.first_agent;
    CIVITAS_ASSERT(i < chunk.agent_count());
    return std::pair(chunk.intents.data() + chunk.offsets[i], chunk.offsets[i + 1] - chunk.offsets[i]);
  };
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1 << 14), [&](const auto& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) start[i + 1] = range_of(order[i]).second;
  });
  for (std::size_t i = 0; i < n; ++i) start[i + 1] += start[i];
  huge_vector<transfer_intent>& ordered = s.walk;
  ordered.resize(start[n]);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1 << 14), [&](const auto& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      const auto [first, count] = range_of(order[i]);
      for (std::uint32_t j = 0; j < count; ++j)
        ordered[start[i] + j] = first[j];  // mostly 0 or 1: no memmove call
    }
  });

  s.records.reserve(s.records.size() + ordered.size() + ordered.size() / 8 + 1024);  // headroom for govern
  walk(std::span(ordered.data(), ordered.size()), start, order, true);
}

void ledger::walk(std::span<const transfer_intent> intents, std::span<const std::uint32_t> offsets,
                  std::span<const agent_id> agents, bool record_unfunded) {
  state& s = *s_;
  constexpr std::size_t ahead = 24;  // prefetch distance, in intents
  std::size_t k = offsets.empty() ? 0 : offsets[0];
  for (std::size_t i = 0; i < agents.size(); ++i) {
    const std::size_t end = offsets[i + 1];
    while (k < end) {
      if (k + ahead < intents.size()) s.prefetch(intents[k + ahead]);
      // A chain ends at its first unlinked intent, or where the agent's intents end.
      std::size_t chain_end = k;
      while (chain_end + 1 < end && (intents[chain_end].flags & intent_flag::linked)) ++chain_end;
      if (chain_end == k)
        s.settle_one(intents[k], agents[i], record_unfunded);
      else
        apply(intents.subspan(k, chain_end + 1 - k), agents[i]);
      k = chain_end + 1;
    }
  }
}

void ledger::settle_streamed(std::uint32_t n, const walk_fill& fill, bool record_unfunded) {
  CIVITAS_ASSERT(s_->open);
  state& s = *s_;
  // Blocks of positions are filled in parallel; a batch of them (~64 k positions: a few MB of intents,
  // so they are still in cache when walked) is filled while the batch before it is walked.
  constexpr std::uint32_t block = 4096, per_batch = 16;
  const std::uint32_t blocks = (n + block - 1) / block;
  const std::uint32_t batches = (blocks + per_batch - 1) / per_batch;
  for (auto& buffer : s.walk_blocks)
    if (buffer.size() < per_batch) buffer.resize(per_batch);
  auto fill_batch = [&](std::uint32_t b) {
    std::vector<walk_block>& out = s.walk_blocks[b % 2];
    const std::uint32_t first = b * per_batch, last = std::min(blocks, first + per_batch);
    tbb::parallel_for(tbb::blocked_range<std::uint32_t>(first, last, 1), [&](const auto& r) {
      for (std::uint32_t j = r.begin(); j != r.end(); ++j) {
        walk_block& w = out[j - first];
        const std::uint32_t count = std::min(block, n - j * block);
        w.agents.clear();
        w.intents.reset(0);
        fill(j * block, count, w);
        CIVITAS_ASSERT(w.agents.size() == count && w.intents.agent_count() == count);
      }
    });
  };
  auto walk_block_of = [&](const walk_block& w) {
    walk(w.intents.intents, w.intents.offsets, w.agents, record_unfunded);
  };

  if (batches > 0) fill_batch(0);
  for (std::uint32_t b = 0; b < batches; ++b) {
    std::vector<walk_block>& current = s.walk_blocks[b % 2];
    const std::uint32_t in_batch = std::min(per_batch, blocks - b * per_batch);
    // Room for this batch's records now, while nothing reads them: the leaf hasher below reads the
    // buffer while the walk appends to it, so it must not move. Grown geometrically (a reused buffer
    // from the pool already has room for a whole step).
    std::size_t intents = 0;
    for (std::uint32_t j = 0; j < in_batch; ++j) intents += current[j].intents.intents.size();
    if (s.records.capacity() < s.records.size() + intents)
      s.records.reserve(std::max(2 * s.records.capacity(), s.records.size() + intents + 1024));
    const transfer_record* base = s.records.data();
    const std::size_t sealed_so_far = s.records.size();  // records of earlier batches: final
    tbb::task_group next;
    next.run([&, b, base, sealed_so_far] {
      if (b + 1 < batches) fill_batch(b + 1);
      if (s.options.hashing) s.hash_leaves(base, sealed_so_far);
    });
    for (std::uint32_t j = 0; j < in_batch; ++j) walk_block_of(current[j]);
    next.wait();
  }
}

void ledger::settle_simultaneous(const intent_batch& batch, const sharded_settle* sharded) {
  CIVITAS_ASSERT(s_->open);
  state& s = *s_;
  s.ensure_pending();
  const std::uint64_t id_base = sharded ? sharded->record_base : 0;
  // Every intent leaves exactly one record, so each chunk's records have a known place in the block:
  // they are written there directly, numbered as they go (no per-chunk buffers, no second copy).
  std::vector<std::size_t> offsets(batch.chunks.size() + 1, s.records.size());
  for (std::size_t c = 0; c < batch.chunks.size(); ++c)
    offsets[c + 1] = offsets[c] + batch.chunks[c].intents.size();
  // Headroom for what govern adds after settle, so its first record does not copy the whole block.
  s.records.reserve(offsets.back() + offsets.back() / 8 + 1024);
  s.records.resize(offsets.back());
  if (id_base + offsets.back() > std::numeric_limits<std::uint32_t>::max())
    throw invariant_error("step " + std::to_string(s.step) + ": more than 2^32 records in one block");
  std::vector<std::array<std::uint64_t, status_count>> chunk_counts(batch.chunks.size());
  // Per chunk: the local index of each value mint and its backing (the intent's lineage).
  std::vector<std::vector<std::pair<std::uint32_t, std::uint64_t>>> chunk_mints(batch.chunks.size());

  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batch.chunks.size(), 1), [&](const auto& range) {
    chain_deltas deltas;
    for (std::size_t c = range.begin(); c != range.end(); ++c) {
      const intent_chunk& chunk = batch.chunks[c];
      std::size_t at = offsets[c];
      for (std::size_t i = 0; i < chunk.agent_count(); ++i) {
        const agent_id origin = chunk.first_agent + static_cast<agent_id>(i);
        const std::span<const transfer_intent> mine(chunk.intents.data() + chunk.offsets[i],
                                                    chunk.offsets[i + 1] - chunk.offsets[i]);
        for_each_chain(mine, [&](std::span<const transfer_intent> chain) {
          deltas.clear();
          std::size_t failed_at = chain.size();
          status failure = status::applied;
          for (std::size_t k = 0; k < chain.size(); ++k) {
            const transfer_intent& in = chain[k];
            status st = s.check_static(in);
            if (st == status::applied && s.limited(in.debit)) {
              amount_t& d = deltas.at(in.debit);
              if (s.accounts[in.debit].owner == origin) {
                // Own account: step-start balance less this agent's earlier debits (only the owner
                // lowers it directly, so nobody else writes it during this phase).
                if (s.balances[in.debit] + d < in.amount) st = status::insufficient_funds;
              } else if (d < in.amount) {
                st = status::not_owner;  // only money this chain put there may leave a foreign account
              }
            }
            if (st != status::applied) {
              failed_at = k;
              failure = st;
              break;
            }
            deltas.at(in.debit) -= in.amount;
            deltas.at(in.credit) += in.amount;
          }
          if (failed_at == chain.size()) {
            for (const auto& [acc, d] : deltas.items) {
              if (d < 0 && s.limited(acc)) {
                s.balances[acc] += d;
              } else if (d != 0) {
                s.pending[acc].fetch_add(d, std::memory_order_relaxed);
              }
            }
          }
          for (std::size_t k = 0; k < chain.size(); ++k) {
            const status st = failed_at == chain.size() ? status::applied
                              : k == failed_at          ? failure
                                                        : status::linked_failed;
            transfer_record& rec = s.records[at];
            rec = s.make_record(chain[k], origin, st);
            ++chunk_counts[c][static_cast<std::size_t>(st)];
            if (s.is_value_mint(rec))
              chunk_mints[c].push_back({static_cast<std::uint32_t>(at - offsets[c]), chain[k].lineage});
            ++at;
          }
        });
      }
      CIVITAS_ASSERT(at == offsets[c + 1]);  // one record per intent, no more, no less
    }
  });

  if (sharded) {
    // Credits to accounts held elsewhere travel to their holders; theirs to ours join the pending sums.
    std::vector<account_credit> outgoing;
    std::size_t from = 0;
    const auto take_below = [&](std::size_t end) {
      // Read first: most foreign accounts got nothing, and an exchange would dirty every cache line.
      for (; from < end; ++from)
        if (const amount_t d = s.pending[from].load(std::memory_order_relaxed); d != 0) {
          s.pending[from].store(0, std::memory_order_relaxed);
          outgoing.emplace_back(static_cast<account_id>(from), d);
        }
    };
    for (const account_range& r : sharded->held) {
      take_below(r.first);
      from = std::max<std::size_t>(from, r.end);
    }
    take_below(s.accounts.size());
    for (const auto& [acc, d] : sharded->route(std::move(outgoing))) {
      if (acc >= s.accounts.size())
        throw invariant_error("a credit arrived for unknown account " + std::to_string(acc));
      s.pending[acc].fetch_add(d, std::memory_order_relaxed);
    }
  }
  // Credits land; integer addition commutes, so the atomics' order cannot change the result.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, s.accounts.size(), 1 << 14), [&](const auto& r) {
    for (std::size_t a = r.begin(); a != r.end(); ++a)
      s.balances[a] += s.pending[a].exchange(0, std::memory_order_relaxed);
  });

  for (std::size_t c = 0; c < batch.chunks.size(); ++c) {
    for (std::size_t k = 0; k < status_count; ++k) s.counts[k] += chunk_counts[c][k];
    for (const auto& [local, backing] : chunk_mints[c]) {
      const std::size_t at = offsets[c] + local;
      s.lineage.push_back(s.make_lineage(s.records[at], static_cast<std::uint32_t>(at), backing));
    }
  }
}

void ledger::replay(const transfer_record& r, std::uint64_t backing) {
  CIVITAS_ASSERT(s_->open);
  state& s = *s_;
  auto fail = [&](const std::string& why) {
    throw invariant_error("step " + std::to_string(s.step) + ", transfer " +
                          std::to_string(s.records.size()) + ": " + why);
  };
  if (r.status >= status_count) fail("unknown status " + std::to_string(r.status));
  if (r.status == 0) {
    transfer_intent in{r.debit, r.credit, r.amount, backing, r.token, r.reason, r.flags};
    const status st = s.check_static(in);
    if (st != status::applied) fail(std::string("recorded as applied but ") + status_name(st));
    if (s.limited(r.debit) && s.balances[r.debit] < r.amount)
      fail("recorded as applied but account " + std::to_string(r.debit) + " would go below zero");
    s.balances[r.debit] -= r.amount;
    s.balances[r.credit] += r.amount;
  }
  s.append(r, backing);
}

namespace {
struct token_sums {
  std::vector<amount_t> sums;
  std::size_t negative_limited = 0;  // first offending account + 1 (0: none)
};
}  // namespace

const block_header& ledger::seal_step() {
  CIVITAS_ASSERT(s_->open);
  state& s = *s_;
  const std::size_t tokens = s.tokens.size();
  if (shard_count() > 1) {
    // Every shard is here: the sharded header computed in one process (what verify recomputes).
    shard_seal_parts parts = seal_parts(0, shard_count());
    for (std::size_t t = 0; t < tokens; ++t)
      if (parts.token_sums[t] != 0)
        throw invariant_error("step " + std::to_string(s.step) + ": balances of token " + s.tokens[t].name +
                              " sum to " + std::to_string(parts.token_sums[t]) + ", not 0");
    if (parts.negative_limited != 0)
      throw invariant_error("step " + std::to_string(s.step) + ": " + std::to_string(parts.negative_limited) +
                            " accounts that may not go negative hold less than zero");
    combined_seal all;
    all.roots = std::move(parts.roots);
    all.transfer_count = s.records.size();
    all.rejected_count = s.records.size() - s.counts[0];
    all.supplies = std::move(parts.supplies);
    all.lineage = s.lineage;
    return seal_combined(all);
  }

  // Conservation and limits over every account, as an integer reduction (exact in any order).
  const token_sums total = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, s.accounts.size(), 1 << 14),
      token_sums{std::vector<amount_t>(tokens, 0), 0},
      [&](const auto& r, token_sums acc) {
        for (std::size_t a = r.begin(); a != r.end(); ++a) {
          acc.sums[s.tags[a].token] += s.balances[a];
          if (s.balances[a] < 0 && s.limited(static_cast<account_id>(a)) && acc.negative_limited == 0)
            acc.negative_limited = a + 1;
        }
        return acc;
      },
      [](token_sums x, const token_sums& y) {
        for (std::size_t t = 0; t < x.sums.size(); ++t) x.sums[t] += y.sums[t];
        if (x.negative_limited == 0 || (y.negative_limited != 0 && y.negative_limited < x.negative_limited))
          x.negative_limited = y.negative_limited;
        return x;
      });
  for (std::size_t t = 0; t < tokens; ++t) {
    if (total.sums[t] != 0)
      throw invariant_error("step " + std::to_string(s.step) + ": balances of token " + s.tokens[t].name +
                            " sum to " + std::to_string(total.sums[t]) + ", not 0");
  }
  if (total.negative_limited != 0)
    throw invariant_error("step " + std::to_string(s.step) + ": account " +
                          std::to_string(total.negative_limited - 1) + " may not go negative but holds " +
                          std::to_string(s.balances[total.negative_limited - 1]));

  block_header h;
  h.step = s.step;
  h.prev = s.prev;
  h.transfer_count = s.records.size();
  h.rejected_count = s.records.size() - s.counts[0];
  h.supplies.resize(tokens);
  for (std::size_t t = 0; t < tokens; ++t) h.supplies[t] = -s.balances[s.issuers[t]];
  if (s.options.hashing) {
    // Leaves hashed during the walk are kept; the rest (and the short last one) are hashed here. The
    // root is chunked_root's over the whole block either way.
    // The block is closed: its short last leaf joins the list in place (the next block clears it).
    s.hash_leaves(s.records.data(), s.records.size());
    std::vector<digest>& leaves = s.leaf_hashes;
    if (s.records.size() % records_per_leaf != 0) {
      const std::size_t from = leaves.size() * records_per_leaf;
      leaves.push_back(leaf_hash(std::span(reinterpret_cast<const std::uint8_t*>(s.records.data() + from),
                                           (s.records.size() - from) * sizeof(transfer_record))));
    }
    h.transfers_root = merkle_root(leaves);
    h.balances_root = chunked_root(std::span(reinterpret_cast<const std::uint8_t*>(s.balances.data()),
                                             s.balances.size() * sizeof(amount_t)),
                                   balances_per_leaf * sizeof(amount_t));
    h.lineage_digest = lineage_digest(s.lineage);
  }
  h.hash = header_hash(h);
  s.head = std::move(h);
  s.has_head = true;
  s.open = false;
  return s.head;
}

void ledger::set_shards(std::vector<agent_id> bounds) {
  state& s = *s_;
  CIVITAS_ASSERT(!s.open && !s.has_head && bounds.size() >= 2);
  CIVITAS_ASSERT(std::is_sorted(bounds.begin(), bounds.end()) && bounds.front() == 0);
  s.shard_bounds = std::move(bounds);
  s.shard_ranges.assign(s.shard_bounds.size() - 1, {});
  for (std::size_t a = 0; a < s.accounts.size(); ++a) {
    auto& ranges = s.shard_ranges[shard_of_account(static_cast<account_id>(a))];
    if (!ranges.empty() && ranges.back().end == a)
      ++ranges.back().end;
    else
      ranges.push_back({static_cast<account_id>(a), static_cast<account_id>(a + 1)});
  }
}

std::uint32_t ledger::shard_count() const {
  return s_->shard_bounds.size() < 2 ? 1 : static_cast<std::uint32_t>(s_->shard_bounds.size() - 1);
}

std::uint32_t ledger::shard_of_agent(agent_id a) const {
  const auto& b = s_->shard_bounds;
  if (a == system_agent || b.size() < 2) return 0;
  // The last shard whose first agent is at or below a (an agent past the end counts as the last shard's).
  const auto it = std::upper_bound(b.begin() + 1, b.end() - 1, a);
  return static_cast<std::uint32_t>(it - b.begin() - 1);
}

std::uint32_t ledger::shard_of_account(account_id a) const { return shard_of_agent(s_->accounts[a].owner); }

std::span<const account_range> ledger::shard_accounts(std::uint32_t shard) const {
  if (s_->shard_ranges.empty()) {
    static thread_local account_range all;
    all = {0, static_cast<account_id>(s_->accounts.size())};
    return std::span(&all, 1);
  }
  return s_->shard_ranges.at(shard);
}

shard_seal_parts ledger::seal_parts(std::uint32_t first, std::uint32_t end) const {
  const state& s = *s_;
  CIVITAS_ASSERT(s.open && first < end && end <= shard_count());
  const std::size_t tokens = s.tokens.size();
  shard_seal_parts out;
  out.token_sums.assign(tokens, 0);
  out.supplies.assign(tokens, 0);
  out.counts = s.counts;
  // The records of each shard: consecutive, shards in order (each process settles its shards in order).
  std::vector<std::size_t> cut{0};
  std::size_t i = 0;
  for (std::uint32_t shard = first; shard < end; ++shard) {
    while (i < s.records.size() && shard_of_agent(s.records[i].origin) == shard) ++i;
    cut.push_back(i);
  }
  if (i != s.records.size())
    throw invariant_error("step " + std::to_string(s.step) + ": record " + std::to_string(i) + " (origin " +
                          std::to_string(s.records[i].origin) + ") is not in shard order within shards " +
                          std::to_string(first) + " to " + std::to_string(end - 1));
  out.roots.resize(end - first);
  std::vector<amount_t> gathered;
  for (std::uint32_t shard = first; shard < end; ++shard) {
    const auto ranges = shard_accounts(shard);
    for (const account_range& r : ranges)
      for (account_id a = r.first; a < r.end; ++a) {
        out.token_sums[s.tags[a].token] += s.balances[a];
        if (s.balances[a] < 0 && s.limited(a)) ++out.negative_limited;
      }
    if (!s.options.hashing) continue;
    shard_roots& roots = out.roots[shard - first];
    const std::size_t from = cut[shard - first], to = cut[shard - first + 1];
    roots.transfers_root =
        chunked_root(std::span(reinterpret_cast<const std::uint8_t*>(s.records.data() + from),
                               (to - from) * sizeof(transfer_record)),
                     records_per_leaf * sizeof(transfer_record));
    std::span<const amount_t> balances;
    if (ranges.size() == 1) {
      balances = std::span(s.balances.data() + ranges[0].first, ranges[0].end - ranges[0].first);
    } else {
      gathered.clear();
      for (const account_range& r : ranges)
        gathered.insert(gathered.end(), s.balances.begin() + r.first, s.balances.begin() + r.end);
      balances = gathered;
    }
    roots.balances_root = chunked_root(
        std::span(reinterpret_cast<const std::uint8_t*>(balances.data()), balances.size() * sizeof(amount_t)),
        balances_per_leaf * sizeof(amount_t));
  }
  for (std::size_t t = 0; t < tokens; ++t) {
    const std::uint32_t holder = shard_of_account(s.issuers[t]);
    if (holder >= first && holder < end) out.supplies[t] = -s.balances[s.issuers[t]];
  }
  return out;
}

const block_header& ledger::seal_combined(const combined_seal& all) {
  state& s = *s_;
  CIVITAS_ASSERT(s.open && all.roots.size() == shard_count());
  block_header h;
  h.step = s.step;
  h.prev = s.prev;
  h.transfer_count = all.transfer_count;
  h.rejected_count = all.rejected_count;
  h.supplies = all.supplies;
  if (s.options.hashing) {
    std::vector<digest> transfers, balances;
    for (const shard_roots& r : all.roots) {
      transfers.push_back(r.transfers_root);
      balances.push_back(r.balances_root);
    }
    h.transfers_root = combine_shard_roots(transfers);
    h.balances_root = combine_shard_roots(balances);
    h.lineage_digest = lineage_digest(all.lineage);
  }
  h.hash = header_hash(h);
  s.head = std::move(h);
  s.has_head = true;
  s.open = false;
  return s.head;
}

void ledger::mirror_balances(account_range range, std::span<const amount_t> values) {
  CIVITAS_ASSERT(range.end >= range.first && range.end <= s_->accounts.size() &&
                 values.size() == range.end - range.first);
  std::copy(values.begin(), values.end(), s_->balances.begin() + range.first);
}

digest combine_shard_roots(std::span<const digest> shard_roots) { return merkle_root(shard_roots); }

const std::vector<transfer_record>& ledger::step_records() const { return s_->records; }
std::vector<transfer_record> ledger::take_step_records() { return std::exchange(s_->records, {}); }
const std::shared_ptr<record_pool>& ledger::records_pool() const { return s_->pool; }
const std::vector<lineage_record>& ledger::step_lineage() const { return s_->lineage; }
std::vector<lineage_record> ledger::take_step_lineage() { return std::exchange(s_->lineage, {}); }
const std::array<std::uint64_t, status_count>& ledger::step_status_counts() const { return s_->counts; }
const block_header& ledger::head() const { return s_->head; }
bool ledger::has_head() const { return s_->has_head; }

namespace {
template <typename T>
void put_le(sha256_hasher& h, T v) {
  std::uint8_t bytes[sizeof(T)];
  for (std::size_t i = 0; i < sizeof(T); ++i)
    bytes[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (8 * i));
  h.update(bytes);
}
}  // namespace

digest header_hash(const block_header& h) {
  auto& x = thread_hasher();
  x.begin();
  x.update(std::uint8_t{0x02});
  put_le(x, h.step);
  x.update(h.prev);
  x.update(h.transfers_root);
  put_le(x, h.transfer_count);
  put_le(x, h.rejected_count);
  x.update(h.balances_root);
  x.update(h.lineage_digest);
  for (const amount_t s : h.supplies) put_le(x, s);
  return x.finish();
}

digest scenario_binding(std::string_view identity_scenario, std::uint64_t seed,
                        std::string_view engine_version, const digest& layout_digest) {
  auto& x = thread_hasher();
  x.begin();
  x.update(std::uint8_t{0x03});
  put_le(x, static_cast<std::uint64_t>(identity_scenario.size()));
  x.update(
      std::span(reinterpret_cast<const std::uint8_t*>(identity_scenario.data()), identity_scenario.size()));
  put_le(x, seed);
  put_le(x, static_cast<std::uint64_t>(engine_version.size()));
  x.update(std::span(reinterpret_cast<const std::uint8_t*>(engine_version.data()), engine_version.size()));
  x.update(layout_digest);
  return x.finish();
}

digest lineage_digest(std::span<const lineage_record> lots) {
  auto& x = thread_hasher();
  x.begin();
  x.update(std::uint8_t{0x04});
  put_le(x, static_cast<std::uint64_t>(lots.size()));
  x.update(
      std::span(reinterpret_cast<const std::uint8_t*>(lots.data()), lots.size() * sizeof(lineage_record)));
  return x.finish();
}

}  // namespace civitas::ledger
