#include "ledger/hash.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace civitas::ledger {
namespace {
// Fetched once for the process: EVP_MD_fetch is the expensive part of EVP_DigestInit in OpenSSL 3.
EVP_MD* sha256_md() {
  static EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (m == nullptr) throw std::runtime_error("OpenSSL: SHA256 is not available");
    return m;
  }();
  return md;
}
}  // namespace

struct sha256_hasher::impl {
  EVP_MD_CTX* ctx = nullptr;
};

sha256_hasher::sha256_hasher() : impl_(new impl) {
  impl_->ctx = EVP_MD_CTX_new();
  if (impl_->ctx == nullptr) {
    delete impl_;
    throw std::runtime_error("OpenSSL: EVP_MD_CTX_new failed");
  }
}

sha256_hasher::~sha256_hasher() {
  EVP_MD_CTX_free(impl_->ctx);
  delete impl_;
}

void sha256_hasher::begin() {
  if (EVP_DigestInit_ex2(impl_->ctx, sha256_md(), nullptr) != 1)
    throw std::runtime_error("OpenSSL: EVP_DigestInit_ex2 failed");
}

void sha256_hasher::update(std::span<const std::uint8_t> bytes) {
  if (EVP_DigestUpdate(impl_->ctx, bytes.data(), bytes.size()) != 1)
    throw std::runtime_error("OpenSSL: EVP_DigestUpdate failed");
}

digest sha256_hasher::finish() {
  digest out{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(impl_->ctx, out.data(), &len) != 1 || len != out.size())
    throw std::runtime_error("OpenSSL: EVP_DigestFinal_ex failed");
  return out;
}

digest sha256_hasher::hash(std::span<const std::uint8_t> bytes) {
  begin();
  update(bytes);
  return finish();
}

sha256_hasher& thread_hasher() {
  thread_local sha256_hasher hasher;
  return hasher;
}

std::string hex_of(const std::uint8_t* bytes, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 0xF];
  }
  return out;
}

bool bytes_of_hex(std::string_view hex, std::uint8_t* out, std::size_t n) {
  if (hex.size() != 2 * n) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const int hi = nibble(hex[2 * i]);
    const int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

std::string to_hex(const digest& d) { return hex_of(d.data(), d.size()); }

bool from_hex(std::string_view hex, digest& out) { return bytes_of_hex(hex, out.data(), out.size()); }

}  // namespace civitas::ledger
