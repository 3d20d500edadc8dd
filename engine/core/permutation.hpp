// A seeded pseudorandom permutation of [0, n), computed per element in O(1) and without memory:
// a 4-round (unbalanced) Feistel network over the smallest power of two >= n, with cycle-walking back
// into range (Black & Rogaway 2002). Forward and inverse are both cheap, so "who is at position p" and
// "where does agent a stand" can be answered by every agent in parallel.
//
// The round key comes from Philox(seed; 0, step, purpose), so the permutation is a pure function of
// (seed, step, purpose, n), like every draw in Civitas. Rounds mix with SplitMix64's finaliser: not
// cryptographic, but the walk is over a domain at most 2n and each position costs nanoseconds.
#pragma once

#include <bit>
#include <cstdint>

#include "core/rng.hpp"

namespace civitas {

class feistel_permutation {
 public:
  template <purpose_enum Purpose>
  feistel_permutation(std::uint64_t seed, step_t step, Purpose purpose, std::uint32_t n) noexcept : n_(n) {
    rng_stream s(seed, 0, step, purpose);
    key_ = s.next_u64();
    const unsigned bits = n <= 4 ? 2 : static_cast<unsigned>(std::bit_width(n - 1));
    left_bits_ = (bits + 1) / 2;
    right_bits_ = bits - left_bits_;
  }

  std::uint32_t size() const noexcept { return n_; }

  // Element at position i (i < size()).
  std::uint32_t operator()(std::uint32_t i) const noexcept {
    std::uint32_t x = i;
    do x = encrypt(x);
    while (x >= n_);
    return x;
  }

  // Position of element x (x < size()).
  std::uint32_t inverse(std::uint32_t x) const noexcept {
    std::uint32_t i = x;
    do i = decrypt(i);
    while (i >= n_);
    return i;
  }

 private:
  static constexpr unsigned rounds = 4;  // even, so the two halves end at their starting widths

  static std::uint64_t mix(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint32_t f(unsigned round, std::uint32_t half, unsigned out_bits) const noexcept {
    const std::uint64_t v = mix(key_ ^ (std::uint64_t{round} << 40) ^ half);
    return static_cast<std::uint32_t>(v) & ((std::uint32_t{1} << out_bits) - 1);
  }

  // State (a, b) with a of wa bits (high) and b of wb bits (low). Round: (a, b) -> (b, a ^ F(b)).
  std::uint32_t encrypt(std::uint32_t x) const noexcept {
    unsigned wa = left_bits_, wb = right_bits_;
    std::uint32_t a = x >> wb, b = x & ((std::uint32_t{1} << wb) - 1);
    for (unsigned k = 0; k < rounds; ++k) {
      const std::uint32_t na = b, nb = a ^ f(k, b, wa);
      a = na;
      b = nb;
      std::swap(wa, wb);
    }
    return (a << wb) | b;
  }
  std::uint32_t decrypt(std::uint32_t x) const noexcept {
    unsigned wa = left_bits_, wb = right_bits_;  // after an even number of rounds widths are restored
    std::uint32_t a = x >> wb, b = x & ((std::uint32_t{1} << wb) - 1);
    for (unsigned k = rounds; k-- > 0;) {
      // Undo (a, b) -> (b, a ^ F(b)): previous b = current a, previous a = current b ^ F(current a).
      std::swap(wa, wb);
      const std::uint32_t pb = a, pa = b ^ f(k, a, wa);
      a = pa;
      b = pb;
    }
    return (a << wb) | b;
  }

  std::uint64_t key_ = 0;
  std::uint32_t n_;
  unsigned left_bits_ = 1;
  unsigned right_bits_ = 1;
};

}  // namespace civitas
