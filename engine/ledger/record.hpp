// The ledger's plain data: tokens, accounts, intents, canonical transfer records, block headers.
//
// A transfer_record is the canonical, fixed-width form of one transfer as it is hashed and stored:
// 48 bytes, little-endian, no padding, immutable once the step is sealed. Rejected intents are recorded
// too (status != applied) so that rejections are data, hashed and stored like everything else.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "ledger/hash.hpp"

namespace civitas::ledger {

static_assert(std::endian::native == std::endian::little,
              "records are hashed in their in-memory form, which must be little-endian");

enum class token_kind : std::uint8_t {
  cash = 0,      // the unit of account
  platform = 1,  // a tradable platform token (the seeds' SER)
  value = 2,     // a non-financial value token of one category; minted lots carry lineage
  points = 3,    // closed-loop points (alliance): never convertible to cash
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

// Why a transfer happened. Codes are stable numbers (they are hashed and stored); names live in
// reason_name(). Append only.
enum class reason : std::uint16_t {
  none = 0,
  endowment = 1,  // genesis mint of initial holdings
  exchange = 2,   // a pairwise exchange (validation models)
  gift = 3,       // a one-way gift (Boltzmann wealth rule)
  // The society model (docs/ODD.md):
  wage = 4,             // firm -> employee, net wage (gross less the income tax withheld)
  income_tax = 5,       // firm -> government, the income tax withheld from a payroll, linked with its wages
  purchase = 6,         // citizen -> retailer
  input_purchase = 7,   // firm -> upstream supplier
  csr = 8,              // firm -> charity, corporate social responsibility spend
  donation = 9,         // citizen -> charity
  service = 10,         // charity -> beneficiary citizen
  data_tax = 11,        // firm -> charity, social tax on value created from citizens' data
  welfare = 12,         // government -> citizen
  deed_backing = 13,    // sponsor (government) -> deed reserve: the money that backs a minted lot
  good_deed = 14,       // value-token issuer -> citizen: mint for a verified good deed
  sell_value = 15,      // citizen -> exchange pool, value tokens sold
  exchange_payout = 16, // exchange pool -> citizen, cash for tokens sold
  procurement = 17,     // government -> firm, payment for a won tender
  social_value = 18,    // firm -> charity, social value pledged in a tender and delivered
  tax_relief = 19,      // government -> firm, refund of part of the data tax
  // Governance regimes (engine/governance):
  credit_reward = 20,   // social credit: score minted for a good act the authority saw
  credit_penalty = 21,  // social credit: score burned for misconduct the authority saw (after a warning)
  credit_review = 22,   // social credit: periodic drift of a score back toward the start
  credit_rebate = 23,   // social credit: government -> A-grade citizen, the reward of a good grade
  daf_levy = 24,        // DAF: citizen -> treasury, the levy on a purchase (linked with the purchase)
  daf_grant = 25,       // DAF: treasury -> proposer of a funded project
  daf_contribution = 26,  // DAF (quadratic funding): citizen -> proposer, a contribution to be matched
  alliance_issue = 27,     // alliance: points minted by the issuer to the distributor for a verified trip
  alliance_credit = 28,    // alliance: distributor -> end user, the trip's points (linked with the issue)
  alliance_redeem = 29,    // alliance: end user -> the platform's offer account of a sponsor
  alliance_burn = 30,      // alliance: redeemed points retired at clearing
  alliance_clearing = 31,  // alliance: a sponsor's net cash settlement, into or out of the clearing account
  alliance_clawback = 32,  // alliance: the supervisor takes back points credited for a fake trip
};
const char* reason_name(std::uint16_t code);

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
  std::uint64_t lineage = 0;  // for a mint of a value token: id of the transfer whose money backs it
  token_id token = 0;
  std::uint16_t reason = 0;
  std::uint8_t flags = intent_flag::none;
};

// Transfer id: (step << 32) | position of the record in the step's canonical order.
constexpr std::uint64_t make_transfer_id(step_t step, std::uint32_t seq) {
  return (std::uint64_t{step} << 32) | seq;
}
constexpr step_t transfer_step(std::uint64_t id) { return static_cast<step_t>(id >> 32); }

struct transfer_record {
  std::uint64_t id = 0;
  account_id debit = 0;
  account_id credit = 0;
  amount_t amount = 0;
  std::uint64_t lineage = 0;
  agent_id origin = system_agent;  // the agent whose intent this was
  token_id token = 0;
  std::uint16_t reason = 0;
  std::uint8_t status = 0;  // ledger::status
  std::uint8_t flags = 0;   // intent_flag
  std::uint8_t reserved[6] = {};
};
static_assert(sizeof(transfer_record) == 48, "canonical record is 48 bytes");

// A minted value-token lot and the money that backed it. The lot id is the id of the mint transfer.
struct lineage_record {
  std::uint64_t lot = 0;      // id of the mint transfer
  std::uint64_t backing = 0;  // id of the financial transfer that backed it (0: none recorded)
  account_id issuer = 0;      // issuer account that minted
  account_id holder = 0;      // account first credited
  amount_t amount = 0;
  token_id token = 0;
  std::uint16_t reserved = 0;
  step_t step = 0;
};

struct block_header {
  step_t step = 0;
  digest prev{};            // previous header hash; for step 0 the scenario binding hash
  digest transfers_root{};  // chunked RFC 6962 root over the step's records
  std::uint64_t transfer_count = 0;  // records, applied and rejected
  std::uint64_t rejected_count = 0;  // not hashed separately: it is derivable from the records
  digest balances_root{};            // chunked RFC 6962 root over every account's balance (i64 LE)
  std::vector<amount_t> supplies;    // per token: outstanding units = -(issuer balance)
  digest hash{};                     // SHA-256(0x02 || step || prev || roots || count || supplies)
};

// Records per Merkle leaf chunk, and balances per balance-tree chunk.
inline constexpr std::size_t records_per_leaf = 64;
inline constexpr std::size_t balances_per_leaf = 512;

}  // namespace civitas::ledger
