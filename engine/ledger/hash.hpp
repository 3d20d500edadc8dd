// SHA-256 through OpenSSL 3 EVP, with the digest fetched once (EVP_MD_fetch) and one reusable context
// per hasher. A hasher is not thread-safe: use one per thread (thread_hasher() gives a thread-local one).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace civitas::ledger {

using digest = std::array<std::uint8_t, 32>;

class sha256_hasher {
 public:
  sha256_hasher();
  ~sha256_hasher();
  sha256_hasher(const sha256_hasher&) = delete;
  sha256_hasher& operator=(const sha256_hasher&) = delete;

  // Incremental use: begin, update any number of times, finish.
  void begin();
  void update(std::span<const std::uint8_t> bytes);
  void update(std::uint8_t byte) { update(std::span<const std::uint8_t>(&byte, 1)); }
  digest finish();

  // One-shot: SHA-256(bytes).
  digest hash(std::span<const std::uint8_t> bytes);

 private:
  struct impl;
  impl* impl_;
};

// A hasher owned by the calling thread.
sha256_hasher& thread_hasher();

// Lower-case hex of any byte string, and back: exactly 2n hex digits (either case), else false.
std::string hex_of(const std::uint8_t* bytes, std::size_t n);
bool bytes_of_hex(std::string_view hex, std::uint8_t* out, std::size_t n);

std::string to_hex(const digest& d);
// Parses 64 hex digits; returns false on anything else.
bool from_hex(std::string_view hex, digest& out);

}  // namespace civitas::ledger
