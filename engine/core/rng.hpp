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

#include <array>
#include <cstdint>
#include <type_traits>

#include "core/types.hpp"

namespace civitas {

// Purposes of random streams. A module that draws declares its own purposes as an enum over
// rng_purpose_code, with numbers that are never reused (renumbering changes every run's results); the
// registry (driver/registry.cpp) lists every module's and a test checks that no two share a number. These
// are the engine's own.
using rng_purpose_code = std::uint32_t;
enum class rng_purpose : rng_purpose_code {
  activation_order = 1,  // the random-sequential permutation (agent = 0)
  initial_state = 5,     // population generation
  model = 6,             // free for a model's own use (and for tests)
};
// A purpose of any module: an enum whose numbers are rng_purpose_code.
template <class E>
concept purpose_enum = std::is_enum_v<E> && std::is_same_v<std::underlying_type_t<E>, rng_purpose_code>;

// One module's purpose, named, for the registry's list.
struct purpose_name {
  rng_purpose_code code;
  const char* name;
};
inline constexpr std::array<purpose_name, 3> engine_purposes{
    {{1, "activation_order"}, {5, "initial_state"}, {6, "model"}}};

class rng_stream {
 public:
  template <purpose_enum Purpose>
  rng_stream(std::uint64_t seed, std::uint32_t agent, step_t step, Purpose purpose) noexcept
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
