// The faithful ledger: double-entry, integer, hash-chained (after TigerBeetle, in memory).
//
// Invariants, checked every step by seal_step():
//   * every token's balances, the issuer's included, sum to exactly zero (mint = debit of the issuer
//     account, burn = credit to it; nothing else creates or destroys units);
//   * an account without may_go_negative never holds less than zero;
//   * mint and burn happen only through a token's issuer account, with reasons authorised for it;
//   * every intent leaves a record, applied or rejected, hashed into the step's block.
//
// Two settle semantics, both deterministic and independent of the thread count:
//   * settle_sequential: agents act in a given order; each chain sees the balances left by the ones
//     before it, so money received earlier in the step can be spent later in it. Serial.
//   * settle_simultaneous: every chain sees step-start balances; credits land after the whole batch.
//     Parallel over fixed chunks of agents. To keep that race-free and order-free, an agent may debit a
//     limited (non-negative) account it does not own only with money the same chain first put there.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/types.hpp"
#include "ledger/hash.hpp"
#include "ledger/record.hpp"

namespace civitas::ledger {

// Raised when an invariant that the ledger itself guarantees is broken: a bug, never bad input.
class invariant_error : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// Intents from the decide phase: one chunk per fixed block of agents (its size never depends on the
// thread count). Within a chunk, agent first_agent + i owns intents [offsets[i], offsets[i+1]).
struct intent_chunk {
  agent_id first_agent = 0;
  std::vector<std::uint32_t> offsets;  // one per agent, plus the end
  std::vector<transfer_intent> intents;

  void reset(agent_id first) {
    first_agent = first;
    offsets.clear();
    intents.clear();
  }
  // Call before adding the intents of the next agent (agents in increasing order, none skipped).
  void start_agent() { offsets.push_back(static_cast<std::uint32_t>(intents.size())); }
  // Call once after the last agent.
  void finish() { offsets.push_back(static_cast<std::uint32_t>(intents.size())); }
  std::size_t agent_count() const { return offsets.empty() ? 0 : offsets.size() - 1; }
};

// The intents of a run of consecutive activation positions (settle_streamed): position i of the block is
// agent agents[i], owning intents [intents.offsets[i], intents.offsets[i+1]) (intents.first_agent unused).
struct walk_block {
  std::vector<agent_id> agents;
  intent_chunk intents;
};
// Fills `out` (given empty) with the agents at activation positions [first, first + count) and their
// intents, each agent's started with start_agent() and the block closed with finish().
using walk_fill = std::function<void(std::uint32_t first, std::uint32_t count, walk_block& out)>;

struct intent_batch {
  std::uint32_t chunk_size = 4096;  // agents per chunk
  std::vector<intent_chunk> chunks;
};

// Spare record buffers passed back by whoever took a block's records (the run writer, on its own
// thread) so that the next block reuses memory whose pages are already mapped. Without it every step of
// a full-ledger run reserved a fresh block (~26 MB at 10^6 agents: 12 k page faults a step, each page
// zeroed by the kernel). Thread-safe; keeps at most `max_spares` buffers, freeing the rest.
class record_pool {
 public:
  static constexpr std::size_t max_spares = 1;
  void give_back(std::vector<transfer_record>&& records);
  // An empty buffer: a given-back one (its capacity kept) if there is one, else a new one.
  std::vector<transfer_record> take();

 private:
  std::mutex mutex_;
  std::vector<std::vector<transfer_record>> spares_;
};

// Accounts [first, end).
struct account_range {
  account_id first = 0;
  account_id end = 0;
};
using account_credit = std::pair<account_id, amount_t>;

// A sharded run's simultaneous settle on one process (docs/distributed.md, "Sharded single runs"): the
// process holds some shards (their accounts' balances are current here, the others' are not) and settles
// only their agents' intents.
struct sharded_settle {
  // Records of the shards before this process's ones this step: record ids are global.
  std::uint64_t record_base = 0;
  std::span<const account_range> held;
  // Takes the credits for accounts not held (account ascending, each once) and returns the credits the
  // other processes made to held accounts (any order: integer addition commutes).
  std::function<std::vector<account_credit>(std::vector<account_credit>&&)> route;
};

// One shard's contribution to its block's roots.
struct shard_roots {
  digest transfers_root{};  // chunked root over the shard's records, in their order
  digest balances_root{};   // chunked root over the balances of the accounts it owns, in id order
};
// What the shards a process holds contribute to the seal of the open block.
struct shard_seal_parts {
  std::vector<shard_roots> roots;      // one per held shard, in shard order
  std::vector<amount_t> token_sums;    // per token: sum of the held accounts' balances
  std::vector<amount_t> supplies;      // per token: -(issuer balance) where the issuer is held, else 0
  std::uint64_t negative_limited = 0;  // held limited accounts below zero
  std::array<std::uint64_t, status_count> counts{};  // of this process's records
};
// Every shard's contribution, combined (identically on every process).
struct combined_seal {
  std::vector<shard_roots> roots;  // every shard, in shard order
  std::uint64_t transfer_count = 0;
  std::uint64_t rejected_count = 0;
  std::vector<amount_t> supplies;
  std::vector<lineage_record> lineage;  // every shard's lots, in shard order
};

struct ledger_options {
  // Off only for benchmarks that measure the engine without SHA-256: roots are then all-zero and the
  // run cannot be verified.
  bool hashing = true;
};

class ledger {
 public:
  explicit ledger(ledger_options options = {});
  ~ledger();
  ledger(ledger&&) noexcept;
  ledger& operator=(ledger&&) noexcept;

  // ---- set-up (before begin_genesis) ----
  // Adds a token and opens its issuer account (owned by issuer_owner, may go negative).
  token_id add_token(token_def def, agent_id issuer_owner = system_agent);
  account_id open_account(agent_id owner, token_id token, std::uint8_t flags = account_flag::none);
  // Allows `code` to mint (debit the issuer account) or burn (credit it) `token`.
  void authorise_mint(token_id token, std::uint16_t code);
  void authorise_burn(token_id token, std::uint16_t code);

  // ---- reading ----
  std::size_t token_count() const;
  const token_def& token(token_id t) const;
  account_id issuer_account(token_id t) const;
  std::size_t account_count() const;
  const account_info& account(account_id a) const;
  amount_t balance(account_id a) const;
  std::span<const amount_t> balances() const;
  bool mint_authorised(token_id token, std::uint16_t code) const;
  bool burn_authorised(token_id token, std::uint16_t code) const;
  struct authorisation {
    token_id token;
    std::uint16_t reason;
    bool mint;  // false: burn
  };
  // Every authorisation, sorted by (token, reason, mint first).
  std::vector<authorisation> authorisations() const;
  const ledger_options& options() const;

  // ---- supervision (takes effect for the next intent settled) ----
  void set_frozen(account_id a, bool frozen);

  // ---- the step ----
  // Opens block 0; `binding` (hash of canonical scenario, seed, engine version) becomes its prev.
  void begin_genesis(const digest& binding);
  // Opens block `step`, which must be the sealed head's step + 1.
  void begin_step(step_t step);
  bool step_open() const;
  step_t current_step() const;

  // Settles one chain now (intents linked by intent_flag::linked; the last one unlinked), as issued
  // by `origin`, against current balances. Returns applied, or the first rejection.
  status apply(std::span<const transfer_intent> chain, agent_id origin);
  // Settles a whole batch, agent by agent in `order` (each agent's chains in their order).
  void settle_sequential(const intent_batch& batch, std::span<const agent_id> order);
  // settle_sequential without materialising the step's intents first: positions 0 .. n-1 are settled
  // in order, each agent's chains exactly as settle_sequential settles them (same records, same ids,
  // same hashes), but their intents are asked of `fill` a block at a time, in parallel and one batch of
  // blocks ahead of the walk (on another core when there is one), and each finished leaf of records is
  // hashed while the walk goes on, still in cache. Because fill runs ahead, an agent's intents must not
  // depend on what the agents before it did this step: fill may read only balances that no earlier
  // intent of the step can change. With record_unfunded false, a lone intent (no linked chain) that
  // passes every check but its debit's funds leaves no record at all, instead of an
  // insufficient_funds one: for models whose rejections are not data (see the exchange models).
  void settle_streamed(std::uint32_t n, const walk_fill& fill, bool record_unfunded = true);
  // Settles a whole batch against step-start balances; credits land at the end. See file comment. With
  // `sharded`, only this process's shards' batch: credits to accounts it does not hold go through
  // sharded->route, and record ids start at sharded->record_base.
  void settle_simultaneous(const intent_batch& batch, const sharded_settle* sharded = nullptr);

  // Re-applies a stored record exactly as recorded (used by verify) at the next position of the open
  // block; `backing` is the lineage of the lot it mints, if it is an applied value-token mint (from the
  // stored /ledger/lineage: the record does not carry it). Throws invariant_error naming the record if an
  // applied record breaks a rule or a rejected one has an unknown status.
  void replay(const transfer_record& record, std::uint64_t backing = 0);

  // Closes the open block: checks conservation, computes roots and the header, chains it. With more than
  // one shard, the roots are the sharded ones (combine_shard_roots) over every shard, from this ledger.
  const block_header& seal_step();

  // ---- shards (docs/distributed.md, "Sharded single runs") ----
  // Splits the block roots by shard: shard s holds agents [bounds[s], bounds[s + 1]), the accounts they
  // own and the records they originate; accounts and records of system_agent belong to shard 0. Call
  // after every account is open. One shard (the default) keeps the unsharded roots.
  void set_shards(std::vector<agent_id> bounds);
  std::uint32_t shard_count() const;
  std::uint32_t shard_of_agent(agent_id a) const;
  std::uint32_t shard_of_account(account_id a) const;
  // The accounts shard s owns, as ranges in id order.
  std::span<const account_range> shard_accounts(std::uint32_t shard) const;
  // What shards [first, end) contribute to the open block, from this ledger's records (which must be
  // exactly those shards' records, in shard order) and their accounts' balances.
  shard_seal_parts seal_parts(std::uint32_t first, std::uint32_t end) const;
  // Closes the open block with the header made from every shard's parts (conservation already checked).
  const block_header& seal_combined(const combined_seal& all);
  // Overwrites this process's stale copy of accounts another process holds (a sharded run's rank 0
  // before it scores or snapshots the whole population). Never for accounts held here.
  void mirror_balances(account_range range, std::span<const amount_t> values);

  // ---- results ----
  const std::vector<transfer_record>& step_records() const;  // of the open or just-sealed block
  std::vector<transfer_record> take_step_records();          // moves them out (e.g. to the writer)
  // Where taken record buffers go back when their taker is done with them; a block opened with no
  // buffer takes one from here. Shared, so it outlives whichever of the ledger and the writer ends last.
  const std::shared_ptr<record_pool>& records_pool() const;
  const std::vector<lineage_record>& step_lineage() const;  // lots minted in that block
  std::vector<lineage_record> take_step_lineage();
  const std::array<std::uint64_t, status_count>& step_status_counts() const;
  const block_header& head() const;  // last sealed header
  bool has_head() const;

 private:
  // The serial walk of settle_sequential and settle_streamed: position i is agent agents[i], whose
  // intents [offsets[i], offsets[i + 1]) of `intents` settle chain by chain in order.
  void walk(std::span<const transfer_intent> intents, std::span<const std::uint32_t> offsets,
            std::span<const agent_id> agents, bool record_unfunded);
  struct state;
  std::unique_ptr<state> s_;
};

// Hash that binds a run to what produced it; header 0's prev: SHA-256(0x03 || len || identity scenario
// TOML || seed || len || engine version || layout digest). The identity text is the canonical scenario
// without its output-only settings, so one model gives one head whatever is stored; the layout digest
// (io/binding.hpp) binds the tables a reader relies on (tokens, accounts, codes, agents, networks).
digest scenario_binding(std::string_view identity_scenario, std::uint64_t seed,
                        std::string_view engine_version, const digest& layout_digest);

// SHA-256(0x04 || count u64 || the records' 40 bytes each): binds the lots a block minted.
digest lineage_digest(std::span<const lineage_record> lots);

// A sharded block's root from its shards' roots, in shard order: RFC 6962's MTH with the shard roots as the
// leaf hashes. Its shape depends only on the number of shards; with one shard it is that shard's root.
digest combine_shard_roots(std::span<const digest> shard_roots);

// The header hash from its fields (exposed so verify can recompute it independently).
digest header_hash(const block_header& h);

}  // namespace civitas::ledger
