// The machine's own figures behind a lower bound on a ledger step (bench/peers.sh): SHA-256 throughput
// per core (OpenSSL, the hash the ledger uses), streaming memory bandwidth, and the time of one random
// read-modify-write into an array of N balances. Prints one "name value" line each, for the script.
// Usage: machine_bound [N]   (N balances, default 1000000)
#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <random>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

// Best of a few repetitions: the bound is what the machine can do, not what it did under noise.
template <class F>
double best_of(int repetitions, F&& f) {
  double best = 1e300;
  for (int i = 0; i < repetitions; ++i) {
    const auto start = clock_type::now();
    f();
    best = std::min(best, seconds_since(start));
  }
  return best;
}

// SHA-256 over Merkle leaves as the ledger hashes them (a prefix byte and 64 records of 26 bytes), one core.
double sha256_bytes_per_second() {
  constexpr std::size_t leaves = 1 << 14, leaf = 1 + 64 * 26;  // ledger::transfer_record is 26 bytes
  std::vector<unsigned char> data(leaves * leaf, 0x5a), digest(32);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const EVP_MD* md = EVP_sha256();
  const double t = best_of(5, [&] {
    for (std::size_t i = 0; i < leaves; ++i) {
      EVP_DigestInit_ex(ctx, md, nullptr);
      EVP_DigestUpdate(ctx, data.data() + i * leaf, leaf);
      EVP_DigestFinal_ex(ctx, digest.data(), nullptr);
    }
  });
  EVP_MD_CTX_free(ctx);
  return static_cast<double>(leaves * leaf) / t;
}

// Streaming copy of 512 MB (read + write counted), one core.
double stream_bytes_per_second() {
  constexpr std::size_t bytes = std::size_t{256} << 20;
  std::vector<std::uint64_t> a(bytes / 8, 1), b(bytes / 8, 0);
  const double t = best_of(3, [&] { std::copy(a.begin(), a.end(), b.begin()); });
  if (b[b.size() / 2] != 1) std::abort();
  return 2.0 * bytes / t;
}

// One random read-modify-write of an 8-byte balance among n, the indices precomputed (as a transfer's
// accounts are), with independent accesses the core may overlap.
double random_rmw_seconds(std::size_t n) {
  std::vector<std::int64_t> balance(n, 0);
  std::vector<std::uint32_t> index(std::size_t{1} << 23);
  std::mt19937 gen(1);
  std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(n - 1));
  for (auto& i : index) i = pick(gen);
  const double t = best_of(3, [&] {
    for (const std::uint32_t i : index) ++balance[i];
  });
  if (std::accumulate(balance.begin(), balance.end(), std::int64_t{0}) == 0) std::abort();
  return t / static_cast<double>(index.size());
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  if (n == 0) {
    std::fprintf(stderr, "machine_bound: N must be a positive integer\n");
    return 2;
  }
  std::printf("sha256_bytes_per_s %.6e\n", sha256_bytes_per_second());
  std::printf("stream_bytes_per_s %.6e\n", stream_bytes_per_second());
  std::printf("random_rmw_s %.6e\n", random_rmw_seconds(n));
  return 0;
}
