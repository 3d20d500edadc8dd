#include "ledger/merkle.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <bit>

#include "core/assert.hpp"

namespace civitas::ledger {

digest leaf_hash(std::span<const std::uint8_t> leaf) {
  auto& h = thread_hasher();
  h.begin();
  h.update(std::uint8_t{0x00});
  h.update(leaf);
  return h.finish();
}

digest node_hash(const digest& left, const digest& right) {
  auto& h = thread_hasher();
  h.begin();
  h.update(std::uint8_t{0x01});
  h.update(left);
  h.update(right);
  return h.finish();
}

digest merkle_root(std::span<const digest> leaf_hashes) {
  if (leaf_hashes.empty()) return thread_hasher().hash({});
  // Bottom-up pairing that promotes an odd last node gives exactly RFC 6962's MTH, whose split point
  // is the largest power of two below n.
  std::vector<digest> level(leaf_hashes.begin(), leaf_hashes.end());
  while (level.size() > 1) {
    const std::size_t pairs = level.size() / 2;
    for (std::size_t i = 0; i < pairs; ++i) level[i] = node_hash(level[2 * i], level[2 * i + 1]);
    if (level.size() % 2 == 1) {
      level[pairs] = level.back();
      level.resize(pairs + 1);
    } else {
      level.resize(pairs);
    }
  }
  return level.front();
}

digest chunked_root(std::span<const std::uint8_t> data, std::size_t chunk_bytes) {
  CIVITAS_ASSERT(chunk_bytes > 0);
  const std::size_t leaves = (data.size() + chunk_bytes - 1) / chunk_bytes;
  std::vector<digest> hashes(leaves);
  // Each leaf is hashed independently into its own slot: the thread count cannot change the result.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, leaves, 16), [&](const auto& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      const std::size_t begin = i * chunk_bytes;
      const std::size_t size = std::min(chunk_bytes, data.size() - begin);
      hashes[i] = leaf_hash(data.subspan(begin, size));
    }
  });
  return merkle_root(hashes);
}

namespace {
// RFC 6962 PATH(m, D[n]), appended nearest-sibling first.
void audit_path(std::span<const digest> leaves, std::size_t m, std::vector<digest>& out) {
  const std::size_t n = leaves.size();
  if (n <= 1) return;
  const std::size_t k = std::bit_floor(n - 1);
  if (m < k) {
    audit_path(leaves.subspan(0, k), m, out);
    out.push_back(merkle_root(leaves.subspan(k)));
  } else {
    audit_path(leaves.subspan(k), m - k, out);
    out.push_back(merkle_root(leaves.subspan(0, k)));
  }
}
}  // namespace

std::vector<digest> inclusion_proof(std::span<const digest> leaf_hashes, std::size_t index) {
  CIVITAS_ASSERT(index < leaf_hashes.size());
  std::vector<digest> path;
  audit_path(leaf_hashes, index, path);
  return path;
}

bool verify_inclusion(const digest& leaf_hash_value, std::size_t index, std::size_t size,
                      std::span<const digest> path, const digest& root) {
  // RFC 9162 section 2.1.3.2, which checks the same paths RFC 6962 defines.
  if (index >= size) return false;
  std::size_t fn = index;
  std::size_t sn = size - 1;
  digest r = leaf_hash_value;
  for (const digest& p : path) {
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = node_hash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

}  // namespace civitas::ledger
