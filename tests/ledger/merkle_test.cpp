#include "ledger/merkle.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace civitas::ledger;

namespace {
std::vector<std::uint8_t> unhex(const std::string& s) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < s.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(s.substr(i, 2), nullptr, 16)));
  return out;
}

// RFC 6962 / Certificate Transparency reference leaves and tree heads for sizes 0..8.
const std::vector<std::string> ct_leaves = {
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
const std::vector<std::string> ct_roots = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

std::vector<digest> ct_leaf_hashes() {
  std::vector<digest> out;
  for (const auto& l : ct_leaves) out.push_back(leaf_hash(unhex(l)));
  return out;
}
}  // namespace

TEST(Sha256, KnownAnswer) {
  const std::string abc = "abc";
  const digest got =
      thread_hasher().hash(std::span(reinterpret_cast<const std::uint8_t*>(abc.data()), abc.size()));
  EXPECT_EQ(to_hex(got), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, HexRoundTripAndRejects) {
  digest x{};
  EXPECT_TRUE(from_hex(ct_roots[3], x));
  EXPECT_EQ(to_hex(x), ct_roots[3]);
  EXPECT_FALSE(from_hex("zz", x));
  EXPECT_FALSE(from_hex(std::string(64, 'g'), x));
}

TEST(MerkleRfc6962, RootsMatchReferenceForEverySize) {
  const auto leaves = ct_leaf_hashes();
  for (std::size_t n = 0; n <= leaves.size(); ++n)
    EXPECT_EQ(to_hex(merkle_root(std::span(leaves).first(n))), ct_roots[n]) << "size " << n;
}

TEST(MerkleRfc6962, InclusionProofsMatchReference) {
  const auto leaves = ct_leaf_hashes();
  const auto p0 = inclusion_proof(leaves, 0);
  ASSERT_EQ(p0.size(), 3u);
  EXPECT_EQ(to_hex(p0[0]), "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
  EXPECT_EQ(to_hex(p0[1]), "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e");
  EXPECT_EQ(to_hex(p0[2]), "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
  const auto p5 = inclusion_proof(leaves, 5);
  ASSERT_EQ(p5.size(), 3u);
  EXPECT_EQ(to_hex(p5[0]), "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
  EXPECT_EQ(to_hex(p5[1]), "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0");
  EXPECT_EQ(to_hex(p5[2]), "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
}

TEST(MerkleRfc6962, EveryProofVerifiesInEveryTreeSizeAndTamperingFails) {
  std::vector<digest> many;
  for (std::uint8_t i = 0; i < 37; ++i) {
    const std::uint8_t bytes[2] = {i, static_cast<std::uint8_t>(i * 7)};
    many.push_back(leaf_hash(bytes));
  }
  for (std::size_t n = 1; n <= many.size(); ++n) {
    const auto tree = std::span(many).first(n);
    const digest root = merkle_root(tree);
    for (std::size_t i = 0; i < n; ++i) {
      auto path = inclusion_proof(tree, i);
      EXPECT_TRUE(verify_inclusion(tree[i], i, n, path, root)) << n << "/" << i;
      EXPECT_FALSE(verify_inclusion(tree[(i + 1) % n], i, n, path, root) && n > 1);
      if (!path.empty()) {
        path[0][0] ^= 1;
        EXPECT_FALSE(verify_inclusion(tree[i], i, n, path, root));
      }
      EXPECT_FALSE(verify_inclusion(tree[i], i + n, n, inclusion_proof(tree, i), root));
    }
  }
}

TEST(MerkleChunked, EqualsRootOfChunkLeaves) {
  std::vector<std::uint8_t> data(1000);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 31);
  for (const std::size_t chunk : {1ul, 7ul, 64ul, 999ul, 1000ul, 4096ul}) {
    std::vector<digest> leaves;
    for (std::size_t at = 0; at < data.size(); at += chunk)
      leaves.push_back(leaf_hash(std::span(data).subspan(at, std::min(chunk, data.size() - at))));
    EXPECT_EQ(chunked_root(data, chunk), merkle_root(leaves)) << "chunk " << chunk;
  }
  EXPECT_EQ(to_hex(chunked_root({}, 64)), ct_roots[0]);
}
