// Signed heads: an Ed25519 signature (OpenSSL 3) over a run's head hash and file seal, as Certificate
// Transparency signs its tree heads. The hash chain proves a file is internally consistent; only a
// signature made with a key the forger does not hold proves who sealed it and that nothing was cut off.
//
// Keys are PEM files: the private key PKCS#8 (written with mode 0600), the public key SubjectPublicKeyInfo.
// Every failure to read or use a key is a civitas::input_error naming the file.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "ledger/hash.hpp"

namespace civitas::ledger {

using signature_bytes = std::array<std::uint8_t, 64>;
using public_key_bytes = std::array<std::uint8_t, 32>;

// What a run signature signs: a fixed domain text, the head hash, the last file seal, the number of
// blocks and whether the run was complete. So a truncated or rolled-back file no longer matches.
std::vector<std::uint8_t> run_signature_message(const digest& head, const digest& seal, std::uint32_t blocks,
                                                bool complete);

class signing_key {
 public:
  static signing_key load(const std::string& pem_path);
  ~signing_key();
  signing_key(signing_key&&) noexcept;
  signing_key& operator=(signing_key&&) noexcept;
  signature_bytes sign(const std::vector<std::uint8_t>& message) const;
  public_key_bytes public_key() const;

 private:
  struct impl;
  explicit signing_key(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

class verifying_key {
 public:
  static verifying_key load(const std::string& pem_path);
  static verifying_key from_raw(const public_key_bytes& key);  // throws input_error if not a valid key
  ~verifying_key();
  verifying_key(verifying_key&&) noexcept;
  verifying_key& operator=(verifying_key&&) noexcept;
  bool verify(const std::vector<std::uint8_t>& message, const signature_bytes& signature) const;
  public_key_bytes public_key() const;

 private:
  struct impl;
  explicit verifying_key(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

// Writes a fresh key pair: PRIVATE (mode 0600) and PUBLIC, both created exclusively (an existing file or a
// planted link is refused, never overwritten).
void generate_key_pair(const std::string& private_path, const std::string& public_path);

}  // namespace civitas::ledger
