// The ledger's plain data: tokens, accounts, intents, canonical transfer records, block headers.
//
// A transfer_record is the canonical, fixed-width form of one transfer as it is hashed, kept in memory
// and stored: 26 packed bytes, little-endian, no padding, immutable once the step is sealed. Its
// in-memory layout is the HDF5 file type of /ledger/transfers exactly, so a block is written without
// conversion. Rejected intents are recorded too (status != applied), in the same compact form, so that
// rejections are data, hashed and stored like everything else.
//
// What is derivable is not stored: a record's id is (step << 32) | its position in the block
// (make_transfer_id), given back by readers from where the record sits; the lineage of an applied
// value-token mint (the transfer whose money backs the lot) is kept only in that lot's lineage_record
// (/ledger/lineage, hashed into the header's lineage digest), the one place it means anything.
//
// Hash framing: a block's transfers root is the chunked RFC 6962 root (merkle.hpp) whose leaf i is
// SHA-256(0x00 || the 26-byte records [64 i, 64 i + 64) of the block, concatenated); the id is implied
// by the leaf index and the position in the leaf, the step by the header that holds the root.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "core/types.hpp"
#include "ledger/hash.hpp"

namespace civitas::ledger {

static_assert(std::endian::native == std::endian::little,
              "records are hashed in their in-memory form, which must be little-endian");

enum class token_kind : std::uint8_t {
  cash = 0,         // the unit of account
  platform = 1,     // a tradable platform token (the seeds' SER)
  value = 2,        // a non-financial value token of one category; minted lots carry lineage
  points = 3,       // closed-loop points (alliance): never convertible to cash
  certificate = 4,  // an attested score (social credit): its balance is the score, changed only by its issuer
};

struct token_def {
  std::string name;
  token_kind kind = token_kind::cash;
};

namespace account_flag {
inline constexpr std::uint8_t none = 0;
inline constexpr std::uint8_t may_go_negative = 1;  // issuer and treasury accounts
inline constexpr std::uint8_t issuer = 2;           // the one account per token that mints and burns
inline constexpr std::uint8_t frozen = 4;           // may not be debited (a supervisor's freeze)
}  // namespace account_flag

struct account_info {
  agent_id owner = system_agent;
  token_id token = 0;
  std::uint8_t flags = account_flag::none;
};

// Why a transfer happened: a stable number, hashed and stored with every record. The module that makes a
// transfer declares its reasons as an enum over reason_code with a table of names (society/state.hpp,
// exchange/, each regime); numbers are never reused, and the registry (driver/registry.cpp) lists every
// module's, checked unique by a test. These are the ledger's own.
using reason_code = std::uint16_t;
enum class reason : reason_code {
  none = 0,
  endowment = 1,  // genesis mint of initial holdings
};
template <class E>
requires std::is_enum_v<E> && std::is_same_v<std::underlying_type_t<E>, reason_code>
constexpr reason_code code(E e) { return static_cast<reason_code>(e); }
// A code and its name, for the tables modules declare.
struct code_name {
  reason_code code;
  const char* name;
};
inline constexpr std::array<code_name, 2> ledger_reasons{{{0, "none"}, {1, "endowment"}}};

// What happened to an intent. 0 = applied; anything else is a rejection reason. Append only.
enum class status : std::uint8_t {
  applied = 0,
  insufficient_funds = 1,  // a non-negative account would go below zero
  frozen_account = 2,      // the debit account is frozen
  unauthorised_mint = 3,   // debit of an issuer account with a reason not authorised to mint
  unauthorised_burn = 4,   // credit of an issuer account with a reason not authorised to burn
  token_mismatch = 5,      // an account holds a different token than the transfer moves
  not_owner = 6,           // simultaneous settle: an agent debited a limited account it does not own
  linked_failed = 7,       // another transfer of the same linked chain was rejected
  invalid_amount = 8,      // amount <= 0
  unknown_account = 9,     // account id out of range
  same_account = 10,       // debit and credit are the same account
};
inline constexpr std::size_t status_count = 11;
const char* status_name(status s);

namespace intent_flag {
inline constexpr std::uint8_t none = 0;
// This transfer and the next one form a linked chain: they succeed or fail as a whole.
inline constexpr std::uint8_t linked = 1;
}  // namespace intent_flag

// What an agent asks the ledger to do. Decided in parallel, settled in canonical order.
struct transfer_intent {
  account_id debit = 0;
  account_id credit = 0;
  amount_t amount = 0;
  // For a mint of a value token: id of the transfer whose money backs it (kept in the lot, not the record).
  std::uint64_t lineage = 0;
  token_id token = 0;
  std::uint16_t reason = 0;
  std::uint8_t flags = intent_flag::none;
};

// Transfer id: (step << 32) | position of the record in the step's canonical order.
constexpr std::uint64_t make_transfer_id(step_t step, std::uint32_t seq) {
  return (std::uint64_t{step} << 32) | seq;
}
constexpr step_t transfer_step(std::uint64_t id) { return static_cast<step_t>(id >> 32); }

// Packed: 26 bytes, fields at their natural offsets for the first record of a block (amount at 8),
// unaligned after that (x86-64 and AArch64 load them at full speed).
#pragma pack(push, 1)
struct transfer_record {
  account_id debit = 0;            // offset 0
  account_id credit = 0;           // 4
  amount_t amount = 0;             // 8
  agent_id origin = system_agent;  // 16: the agent whose intent this was
  token_id token = 0;              // 20
  std::uint16_t reason = 0;        // 22
  std::uint8_t status = 0;         // 24: ledger::status
  std::uint8_t flags = 0;          // 25: intent_flag
};
#pragma pack(pop)
static_assert(sizeof(transfer_record) == 26, "canonical record is 26 packed bytes");
static_assert(std::is_trivially_copyable_v<transfer_record>);
static_assert(std::has_unique_object_representations_v<transfer_record>, "no padding: hashed as bytes");

// A minted value-token lot and the money that backed it. The lot id is the id of the mint transfer.
struct lineage_record {
  std::uint64_t lot = 0;      // (40 bytes, no padding: hashed in this form)      // id of the mint transfer
  std::uint64_t backing = 0;  // id of the financial transfer that backed it (0: none recorded)
  account_id issuer = 0;      // issuer account that minted
  account_id holder = 0;      // account first credited
  amount_t amount = 0;
  token_id token = 0;
  std::uint16_t reserved = 0;
  step_t step = 0;
};
static_assert(sizeof(lineage_record) == 40, "lineage records are hashed as 40 packed bytes");

struct block_header {
  step_t step = 0;
  digest prev{};                     // previous header hash; for step 0 the scenario binding hash
  digest transfers_root{};           // chunked RFC 6962 root over the step's records
  std::uint64_t transfer_count = 0;  // records, applied and rejected
  std::uint64_t rejected_count = 0;  // records whose status is not applied
  digest balances_root{};            // chunked RFC 6962 root over every account's balance (i64 LE)
  digest lineage_digest{};           // SHA-256 over the lots minted in the step (lineage_digest())
  std::vector<amount_t> supplies;    // per token: outstanding units = -(issuer balance)
  // SHA-256(0x02 || step || prev || transfers root || counts || balances root || lineage digest || supplies)
  digest hash{};
};

// Records per Merkle leaf chunk, and balances per balance-tree chunk.
inline constexpr std::size_t records_per_leaf = 64;
inline constexpr std::size_t balances_per_leaf = 512;

}  // namespace civitas::ledger
