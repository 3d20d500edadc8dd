// RFC 6962 (Certificate Transparency) Merkle trees.
//
//   leaf hash  = SHA-256(0x00 || leaf bytes)
//   node hash  = SHA-256(0x01 || left || right)
//   MTH({})    = SHA-256("")
//   MTH(D[n])  = node(MTH(D[0:k]), MTH(D[k:n])) with k the largest power of two < n.
// An odd node is promoted, never duplicated (unlike Bitcoin's tree), so no two leaf lists share a root.
//
// The ledger hashes its records in fixed-size chunks: each leaf is one chunk of consecutive canonical
// records (the last chunk may be short). That keeps hashing near SHA-256's raw speed while an
// inclusion proof for a record is still "its chunk + the chunk's audit path".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ledger/hash.hpp"

namespace civitas::ledger {

digest leaf_hash(std::span<const std::uint8_t> leaf);
digest node_hash(const digest& left, const digest& right);

// MTH over already-hashed leaves.
digest merkle_root(std::span<const digest> leaf_hashes);

// Root of the tree whose leaves are consecutive chunk_bytes-sized slices of data (the last one may be
// shorter; empty data gives MTH({})). Leaves are hashed in parallel with oneTBB; the result does not
// depend on the number of threads.
digest chunked_root(std::span<const std::uint8_t> data, std::size_t chunk_bytes);

// Audit path for leaf `index` (RFC 6962 section 2.1.1 PATH(m, D[n])), nearest sibling first.
std::vector<digest> inclusion_proof(std::span<const digest> leaf_hashes, std::size_t index);

// True when leaf_hash_value at `index` of a tree of `size` leaves with the given path has root `root`.
bool verify_inclusion(const digest& leaf_hash_value, std::size_t index, std::size_t size,
                      std::span<const digest> path, const digest& root);

}  // namespace civitas::ledger
