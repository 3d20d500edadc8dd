// Counter-based random numbers (Random123 Philox4x32-10).
//
// A draw is a pure function of (seed; agent, step, stream, draw index): no generator state is shared
// between threads, so results cannot depend on which thread runs an agent or in what order. Each
// (agent, step, stream) triple names an independent stream of 2^32 blocks of four 32-bit words.
//
// Streams are named by the purpose of the draws (see rng_stream_id) so that adding a new use of
// randomness never shifts the numbers an existing use sees.
#pragma once

#include <Random123/philox.h>

#include <cstdint>

#include "core/types.hpp"

namespace civitas {

// Named purposes. Append only: renumbering changes every run's results.
enum class rng_purpose : std::uint32_t {
  activation_order = 1,  // the random-sequential permutation (agent = 0)
  partner = 2,           // choosing an exchange partner
  exchange_share = 3,    // the random share in a pairwise exchange
  coin = 4,              // a fair coin (yard-sale winner)
  initial_state = 5,     // population generation
  model = 6,             // free for a model's own use
  pairing = 7,           // the random matching of pairwise exchanges
  citizen = 8,           // society: a citizen's choices in a step (purchase, giving, selling, in that order)
  donation = 9,          // (retired: a citizen's giving now draws from `citizen`)
  deed = 10,             // society: good deeds and their verification
  feedback = 11,         // society: sentiment of a customer or beneficiary
  service = 12,          // society: which citizens a charity serves
  sell = 13,             // (retired: a citizen's selling now draws from `citizen`)
  tender = 14,           // society: procurement bidders and bids
  authority = 15,        // social credit: what the authority sees of a citizen or firm
  misconduct = 16,       // society: whether a citizen misbehaves this step
  daf = 17,              // DAF: proposals, the sampled electorate, delegation
  daf_vote = 18,         // DAF: one voter's turnout and view of the proposals
  alliance_trip = 19,    // alliance: a citizen's trip, fake claim and verification
  alliance_redeem = 20,  // alliance: whether and where a citizen redeems points
  alliance_audit = 21,   // alliance: whether the supervisor finds a cheat
};

class rng_stream {
 public:
  rng_stream(std::uint64_t seed, std::uint32_t agent, step_t step, rng_purpose purpose) noexcept
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}},
        counter_{{agent, step, static_cast<std::uint32_t>(purpose), 0}} {}

  std::uint32_t next_u32() noexcept {
    if (used_ == 4) refill();
    return block_.v[used_++];
  }

  std::uint64_t next_u64() noexcept {
    const std::uint64_t hi = next_u32();
    return (hi << 32) | next_u32();
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform01() noexcept { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  // Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject). n must be > 0.
  std::uint32_t below(std::uint32_t n) noexcept {
    std::uint64_t m = std::uint64_t{next_u32()} * n;
    auto low = static_cast<std::uint32_t>(m);
    if (low < n) {
      const std::uint32_t threshold = static_cast<std::uint32_t>(-n) % n;
      while (low < threshold) {
        m = std::uint64_t{next_u32()} * n;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }

 private:
  using philox = r123::Philox4x32;

  void refill() noexcept {
    block_ = philox{}(counter_, key_);
    ++counter_.v[3];
    used_ = 0;
  }

  philox::key_type key_;
  philox::ctr_type counter_;
  philox::ctr_type block_{};
  unsigned used_ = 4;
};

}  // namespace civitas
