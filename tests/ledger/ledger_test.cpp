#include "ledger/ledger.hpp"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstring>

#include "core/rng.hpp"
#include "ledger/merkle.hpp"

using namespace civitas;
using namespace civitas::ledger;
using ledger_t = civitas::ledger::ledger;

namespace {
// The ledger knows only its own codes; these tests make up two more, as a model would declare them.
constexpr std::uint16_t endow = code(reason::endowment);
constexpr std::uint16_t gift = 3;
constexpr std::uint16_t exchange = 2;

transfer_intent pay(account_id from, account_id to, amount_t amount, std::uint16_t why = gift,
                    token_id token = 0, std::uint8_t flags = intent_flag::none) {
  return transfer_intent{from, to, amount, 0, token, why, flags};
}

// A ledger with one cash token (issuer account 0) and `agents` accounts 1..agents, each endowed with `each`.
ledger_t endowed(std::size_t agents, amount_t each) {
  ledger_t l;
  l.add_token({"cash", token_kind::cash});
  l.authorise_mint(0, endow);
  for (std::size_t a = 0; a < agents; ++a) l.open_account(static_cast<agent_id>(a), 0);
  l.begin_genesis(scenario_binding("test", 1, "v", {}));
  for (std::size_t a = 0; a < agents; ++a) {
    const auto mint = pay(0, static_cast<account_id>(a + 1), each, endow);
    EXPECT_EQ(l.apply(std::span(&mint, 1), system_agent), status::applied);
  }
  l.seal_step();
  return l;
}

status apply_one(ledger_t& l, const transfer_intent& in, agent_id origin = 0) {
  return l.apply(std::span(&in, 1), origin);
}
}  // namespace

TEST(Ledger, GenesisMintsAndConserves) {
  ledger_t l = endowed(3, 100);
  EXPECT_EQ(l.balance(0), -300);
  EXPECT_EQ(l.balance(1), 100);
  EXPECT_EQ(l.head().step, 0u);
  EXPECT_EQ(l.head().supplies, std::vector<amount_t>{300});
  EXPECT_EQ(l.head().transfer_count, 3u);
  EXPECT_EQ(l.head().prev, scenario_binding("test", 1, "v", {}));
  EXPECT_NE(scenario_binding("test", 1, "v", {}), scenario_binding("test", 2, "v", {}));
  EXPECT_NE(scenario_binding("test", 1, "v", {}), scenario_binding("test2", 1, "v", {}));
}

TEST(Ledger, TransferMovesMoneyAndGetsDeterministicId) {
  ledger_t l = endowed(2, 100);
  l.begin_step(1);
  EXPECT_EQ(apply_one(l, pay(1, 2, 30)), status::applied);
  EXPECT_EQ(apply_one(l, pay(2, 1, 5)), status::applied);
  EXPECT_EQ(l.balance(1), 75);
  EXPECT_EQ(l.balance(2), 125);
  ASSERT_EQ(l.step_records().size(), 2u);
  // Records carry no id: it is (step, position), and the record is exactly what was asked.
  EXPECT_EQ(l.step_records()[1].debit, 2u);
  EXPECT_EQ(l.step_records()[1].credit, 1u);
  EXPECT_EQ(l.step_records()[1].amount, 5);
  EXPECT_EQ(transfer_step(make_transfer_id(1, 1)), 1u);
  EXPECT_EQ(make_transfer_id(1, 1), (std::uint64_t{1} << 32) | 1u);
  l.seal_step();
}

TEST(Ledger, RejectionsAreRecordedWithReasonAndChangeNothing) {
  ledger_t l = endowed(2, 10);
  l.begin_step(1);
  EXPECT_EQ(apply_one(l, pay(1, 2, 11)), status::insufficient_funds);
  EXPECT_EQ(apply_one(l, pay(1, 2, 0)), status::invalid_amount);
  EXPECT_EQ(apply_one(l, pay(1, 1, 1)), status::same_account);
  EXPECT_EQ(apply_one(l, pay(1, 99, 1)), status::unknown_account);
  EXPECT_EQ(l.balance(1), 10);
  EXPECT_EQ(l.balance(2), 10);
  const auto& recs = l.step_records();
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[0].status, static_cast<std::uint8_t>(status::insufficient_funds));
  EXPECT_EQ(l.step_status_counts()[static_cast<std::size_t>(status::insufficient_funds)], 1u);
  EXPECT_EQ(l.seal_step().rejected_count, 4u);
}

TEST(Ledger, LinkedChainSucceedsOrFailsAsAWhole) {
  ledger_t l = endowed(3, 100);
  l.begin_step(1);
  // Gross wage 50 from 1 to 2, then 2 pays 10 tax to 3: both apply.
  const transfer_intent ok[] = {pay(1, 2, 50, exchange, 0, intent_flag::linked), pay(2, 3, 10)};
  EXPECT_EQ(l.apply(ok, 1), status::applied);
  EXPECT_EQ(l.balance(1), 50);
  EXPECT_EQ(l.balance(2), 140);
  EXPECT_EQ(l.balance(3), 110);
  // Second leg overdraws: the first is rolled back.
  const transfer_intent bad[] = {pay(1, 2, 20, exchange, 0, intent_flag::linked), pay(2, 3, 500)};
  EXPECT_EQ(l.apply(bad, 1), status::insufficient_funds);
  EXPECT_EQ(l.balance(1), 50);
  EXPECT_EQ(l.balance(2), 140);
  EXPECT_EQ(l.balance(3), 110);
  const auto& recs = l.step_records();
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[2].status, static_cast<std::uint8_t>(status::linked_failed));
  EXPECT_EQ(recs[3].status, static_cast<std::uint8_t>(status::insufficient_funds));
  l.seal_step();
}

TEST(Ledger, MintAndBurnOnlyThroughIssuerWithAuthorisedReason) {
  ledger_t l = endowed(2, 10);
  l.authorise_burn(0, endow);  // set-up happens before genesis in real runs; authorisation may grow
  l.begin_step(1);
  EXPECT_EQ(apply_one(l, pay(0, 1, 5, gift)), status::unauthorised_mint);
  EXPECT_EQ(apply_one(l, pay(1, 0, 5, gift)), status::unauthorised_burn);
  EXPECT_EQ(apply_one(l, pay(0, 1, 5, endow)), status::applied);
  EXPECT_EQ(apply_one(l, pay(1, 0, 3, endow)), status::applied);
  const auto& h = l.seal_step();
  EXPECT_EQ(h.supplies[0], 22);
  EXPECT_EQ(l.balance(1), 12);
}

TEST(Ledger, FrozenAccountCannotSpendButCanReceive) {
  ledger_t l = endowed(2, 10);
  l.set_frozen(1, true);
  l.begin_step(1);
  EXPECT_EQ(apply_one(l, pay(1, 2, 1)), status::frozen_account);
  EXPECT_EQ(apply_one(l, pay(2, 1, 1), 1), status::applied);
  l.set_frozen(1, false);
  EXPECT_EQ(apply_one(l, pay(1, 2, 1)), status::applied);
  l.seal_step();
}

TEST(Ledger, TokenMismatchRejected) {
  ledger_t l;
  l.add_token({"cash", token_kind::cash});
  l.add_token({"green", token_kind::value});
  const account_id cash_acc = l.open_account(0, 0);
  const account_id green_acc = l.open_account(0, 1);
  l.begin_genesis(digest{});
  EXPECT_EQ(apply_one(l, pay(cash_acc, green_acc, 1)), status::token_mismatch);
  l.seal_step();
}

TEST(Ledger, ValueMintRecordsLineage) {
  ledger_t l;
  l.add_token({"cash", token_kind::cash});
  const token_id green = l.add_token({"green", token_kind::value});
  l.authorise_mint(0, endow);
  l.authorise_mint(green, gift);
  const account_id sponsor = l.open_account(0, 0);
  const account_id charity = l.open_account(1, 0);
  const account_id holder = l.open_account(2, green);
  l.begin_genesis(digest{});
  apply_one(l, pay(l.issuer_account(0), sponsor, 100, endow));
  l.seal_step();
  l.begin_step(1);
  ASSERT_EQ(apply_one(l, pay(sponsor, charity, 40, exchange)), status::applied);
  const std::uint64_t backing = make_transfer_id(1, static_cast<std::uint32_t>(l.step_records().size() - 1));
  transfer_intent mint = pay(l.issuer_account(green), holder, 4, gift, green);
  mint.lineage = backing;
  ASSERT_EQ(apply_one(l, mint), status::applied);
  ASSERT_EQ(l.step_lineage().size(), 1u);
  const lineage_record& lot = l.step_lineage()[0];
  EXPECT_EQ(lot.lot, make_transfer_id(1, static_cast<std::uint32_t>(l.step_records().size() - 1)));
  EXPECT_EQ(lot.backing, backing);
  EXPECT_EQ(lot.issuer, l.issuer_account(green));
  EXPECT_EQ(lot.holder, holder);
  EXPECT_EQ(lot.amount, 4);
  EXPECT_EQ(lot.token, green);
  EXPECT_EQ(lot.step, 1u);
  EXPECT_EQ(l.seal_step().supplies, (std::vector<amount_t>{100, 4}));
}

TEST(Ledger, HeadersChainAndHashTheirFields) {
  ledger_t l = endowed(2, 10);
  const digest h0 = l.head().hash;
  l.begin_step(1);
  apply_one(l, pay(1, 2, 1));
  const block_header h1 = l.seal_step();
  EXPECT_EQ(h1.prev, h0);
  EXPECT_EQ(header_hash(h1), h1.hash);
  block_header changed = h1;
  changed.supplies[0] += 1;
  EXPECT_NE(header_hash(changed), h1.hash);
  changed = h1;
  changed.transfers_root[5] ^= 1;
  EXPECT_NE(header_hash(changed), h1.hash);
  // Every field a reader shows is hashed: the rejected count and the lineage digest too.
  changed = h1;
  changed.rejected_count += 1;
  EXPECT_NE(header_hash(changed), h1.hash);
  changed = h1;
  changed.lineage_digest[0] ^= 1;
  EXPECT_NE(header_hash(changed), h1.hash);
  // The lineage digest binds the block's lots (none here).
  EXPECT_EQ(h1.lineage_digest, lineage_digest({}));
  EXPECT_NE(scenario_binding("test", 1, "v", {}), scenario_binding("test", 1, "v", digest{1}));
  // The transfers root is the chunked RFC 6962 root of the canonical 26-byte records.
  const auto& recs = l.step_records();
  EXPECT_EQ(h1.transfers_root, chunked_root(std::span(reinterpret_cast<const std::uint8_t*>(recs.data()),
                                                      recs.size() * sizeof(transfer_record)),
                                            records_per_leaf * sizeof(transfer_record)));
}

TEST(LedgerSimultaneous, CreditsLandAfterTheBatch) {
  ledger_t l = endowed(2, 10);
  l.begin_step(1);
  intent_batch batch;
  batch.chunk_size = 2;
  batch.chunks.resize(1);
  auto& c = batch.chunks[0];
  c.reset(0);
  c.start_agent();  // agent 0 owns account 1: pays 10 to agent 1
  c.intents.push_back(pay(1, 2, 10));
  c.start_agent();  // agent 1 owns account 2: tries to pay 15 (only 10 at step start)
  c.intents.push_back(pay(2, 1, 15));
  c.finish();
  l.settle_simultaneous(batch);
  EXPECT_EQ(l.balance(1), 0);
  EXPECT_EQ(l.balance(2), 20);
  EXPECT_EQ(l.step_records()[1].status, static_cast<std::uint8_t>(status::insufficient_funds));
  l.seal_step();
}

TEST(LedgerSimultaneous, ForeignLimitedAccountOnlyWithChainFundedMoney) {
  ledger_t l = endowed(3, 100);
  l.begin_step(1);
  intent_batch batch;
  batch.chunks.resize(1);
  auto& c = batch.chunks[0];
  c.reset(0);
  c.start_agent();  // agent 0 (account 1): wage chain 1 -> 2 (50), then 2 -> 3 tax (10): allowed
  c.intents.push_back(pay(1, 2, 50, exchange, 0, intent_flag::linked));
  c.intents.push_back(pay(2, 3, 10));
  c.intents.push_back(pay(2, 3, 1));  // a plain debit of agent 1's account by agent 0: not allowed
  c.start_agent();
  c.start_agent();
  c.finish();
  l.settle_simultaneous(batch);
  EXPECT_EQ(l.balance(1), 50);
  EXPECT_EQ(l.balance(2), 140);
  EXPECT_EQ(l.balance(3), 110);
  EXPECT_EQ(l.step_records()[2].status, static_cast<std::uint8_t>(status::not_owner));
  l.seal_step();
}

TEST(LedgerSimultaneous, ResultIndependentOfThreadCount) {
  auto run = [](int threads) {
    tbb::task_arena arena(threads);
    digest head{};
    arena.execute([&] {
      const std::size_t n = 20000;
      ledger_t l = endowed(n, 5);
      for (step_t s = 1; s <= 3; ++s) {
        l.begin_step(s);
        intent_batch batch;
        batch.chunk_size = 1000;
        batch.chunks.resize(n / 1000);
        for (std::size_t k = 0; k < batch.chunks.size(); ++k) {
          auto& c = batch.chunks[k];
          c.reset(static_cast<agent_id>(k * 1000));
          for (std::size_t i = 0; i < 1000; ++i) {
            const auto a = static_cast<agent_id>(k * 1000 + i);
            c.start_agent();
            rng_stream r(7, a, s, rng_purpose::model);
            for (int j = 0; j < 3; ++j)
              c.intents.push_back(pay(a + 1, r.below(static_cast<std::uint32_t>(n)) + 1, 1 + r.below(4)));
          }
          c.finish();
        }
        l.settle_simultaneous(batch);
        head = l.seal_step().hash;
      }
    });
    return head;
  };
  const digest one = run(1);
  EXPECT_EQ(run(2), one);
  EXPECT_EQ(run(4), one);
}

TEST(LedgerReplay, ReproducesTheHeaderAndCatchesForgery) {
  ledger_t original = endowed(3, 10);
  original.begin_step(1);
  apply_one(original, pay(1, 2, 4));
  apply_one(original, pay(2, 3, 100));  // rejected
  const block_header h = original.seal_step();
  const auto records = original.step_records();

  ledger_t copy = endowed(3, 10);
  copy.begin_step(1);
  for (const auto& r : records) copy.replay(r);
  EXPECT_EQ(copy.seal_step().hash, h.hash);

  ledger_t forged = endowed(3, 10);
  forged.begin_step(1);
  auto bad = records;
  bad[1].status = 0;  // claims the overdraft was applied
  forged.replay(bad[0]);
  EXPECT_THROW(forged.replay(bad[1]), invariant_error);

  // Records carry no id: their position is bound by the transfers root, so records replayed out of
  // order (each valid on its own) give another root and another header.
  ledger_t reordered = endowed(3, 10);
  reordered.begin_step(1);
  reordered.replay(records[1]);
  reordered.replay(records[0]);
  const block_header r = reordered.seal_step();
  EXPECT_NE(r.transfers_root, h.transfers_root);
  EXPECT_NE(r.hash, h.hash);
}

namespace {
// A step's intents for n agents: 0-3 each, some linked in pairs, some unfundable (amounts up to 8 from
// endowments of 5), so applied, insufficient_funds and linked_failed records all occur.
intent_batch random_batch(std::size_t n, step_t s) {
  intent_batch batch;
  batch.chunk_size = 4096;
  batch.chunks.resize((n + 4095) / 4096);
  for (std::size_t k = 0; k < batch.chunks.size(); ++k) {
    auto& c = batch.chunks[k];
    c.reset(static_cast<agent_id>(k * 4096));
    for (std::size_t a = k * 4096; a < std::min(n, (k + 1) * 4096); ++a) {
      c.start_agent();
      rng_stream r(11, static_cast<agent_id>(a), s, rng_purpose::model);
      const std::uint32_t count = r.below(4);
      for (std::uint32_t j = 0; j < count; ++j) {
        const bool linked = j + 1 < count && r.below(4) == 0;
        c.intents.push_back(pay(static_cast<account_id>(a + 1), r.below(static_cast<std::uint32_t>(n)) + 1,
                                1 + r.below(8), gift, 0, linked ? intent_flag::linked : intent_flag::none));
      }
    }
    c.finish();
  }
  return batch;
}

std::vector<agent_id> random_order(std::size_t n, step_t s) {
  std::vector<agent_id> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<agent_id>(i);
  rng_stream r(5, 0, s, rng_purpose::model);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[r.below(static_cast<std::uint32_t>(i))]);
  return order;
}

// settle_streamed fed from a materialised batch, block by block as the world's fill does.
void settle_streamed_from(ledger_t& l, const intent_batch& batch, const std::vector<agent_id>& order,
                          bool record_unfunded = true) {
  l.settle_streamed(
      static_cast<std::uint32_t>(order.size()),
      [&](std::uint32_t first, std::uint32_t count, walk_block& out) {
        for (std::uint32_t p = first; p < first + count; ++p) {
          const agent_id a = order[p];
          const intent_chunk& c = batch.chunks[a / batch.chunk_size];
          const std::size_t i = a - c.first_agent;
          out.agents.push_back(a);
          out.intents.start_agent();
          for (std::uint32_t j = c.offsets[i]; j < c.offsets[i + 1]; ++j)
            out.intents.intents.push_back(c.intents[j]);
        }
        out.intents.finish();
      },
      record_unfunded);
}
}  // namespace

TEST(LedgerStreamed, SameRecordsAndHeadsAsSequentialAtAnyThreadCount) {
  // 150 k agents: three batches of the walk, so fills and leaf hashes overlap the walk.
  const std::size_t n = 150000;
  auto run = [&](int threads, bool streamed) {
    tbb::task_arena arena(threads);
    std::vector<digest> heads;
    std::vector<transfer_record> last;
    arena.execute([&] {
      ledger_t l = endowed(n, 5);
      for (step_t s = 1; s <= 3; ++s) {
        l.begin_step(s);
        const intent_batch batch = random_batch(n, s);
        const std::vector<agent_id> order = random_order(n, s);
        if (streamed)
          settle_streamed_from(l, batch, order);
        else
          l.settle_sequential(batch, order);
        heads.push_back(l.seal_step().hash);
      }
      last = l.step_records();
    });
    return std::pair(heads, last);
  };
  const auto reference = run(1, false);
  EXPECT_GT(reference.second.size(), n);
  for (const int threads : {1, 2}) {
    const auto streamed = run(threads, true);
    EXPECT_EQ(streamed.first, reference.first) << threads << " threads";
    ASSERT_EQ(streamed.second.size(), reference.second.size());
    EXPECT_EQ(std::memcmp(streamed.second.data(), reference.second.data(),
                          reference.second.size() * sizeof(transfer_record)),
              0);
  }
}

TEST(LedgerStreamed, UnfundedLoneIntentsCanLeaveNoRecord) {
  const std::size_t n = 20000;
  ledger_t kept = endowed(n, 5), dropped = endowed(n, 5);
  for (step_t s = 1; s <= 3; ++s) {
    const intent_batch batch = random_batch(n, s);
    const std::vector<agent_id> order = random_order(n, s);
    kept.begin_step(s);
    dropped.begin_step(s);
    settle_streamed_from(kept, batch, order, true);
    settle_streamed_from(dropped, batch, order, false);
    // The same money moves; only the lone unfunded intents' records are gone (a chain's are kept).
    std::uint64_t unfunded_lone = 0;
    const auto& k = kept.step_records();
    for (std::size_t i = 0; i < k.size(); ++i) {
      const bool in_chain =
          (k[i].flags & intent_flag::linked) || (i > 0 && (k[i - 1].flags & intent_flag::linked));
      if (!in_chain && k[i].status == static_cast<std::uint8_t>(status::insufficient_funds)) ++unfunded_lone;
    }
    EXPECT_GT(unfunded_lone, 0u);
    EXPECT_EQ(dropped.step_records().size(), k.size() - unfunded_lone);
    kept.seal_step();
    dropped.seal_step();
    EXPECT_TRUE(std::equal(kept.balances().begin(), kept.balances().end(), dropped.balances().begin()));
    EXPECT_EQ(dropped.head().rejected_count, kept.head().rejected_count - unfunded_lone);
  }
}
