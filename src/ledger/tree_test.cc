#include "ledger/tree.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <utility>
#include <vector>

#include "ledger/test_vectors.h"

namespace cloison::ledger {
namespace {

using ::testing::HasSubstr;

Tree TreeOf(const std::vector<Hash>& hashes) {
  Tree tree;
  for (const Hash& h : hashes) tree.Append(h);
  return tree;
}

std::vector<Hash> TestTreeLeafHashes() {
  std::vector<Hash> out;
  for (const auto& leaf : testing::TestTreeLeaves()) out.push_back(LeafHash(leaf));
  return out;
}

// The valid inclusion vectors: the tree built from the same leaves produces
// exactly the vector's proof and root. (Broken vectors are checked against
// VerifyInclusion in merkle_test.cc.)
TEST(TreeTest, InclusionVectorsProducedByTree) {
  const std::vector<Hash> leaves = TestTreeLeafHashes();
  const Tree tree = TreeOf(leaves);
  int checked = 0;
  for (const auto& v : testing::LoadVectors("inclusion", /*inclusion=*/true)) {
    if (v.want_err) continue;
    SCOPED_TRACE(v.file);
    ASSERT_TRUE(v.hashes_valid);
    // single-entry/ uses a tree of one arbitrary leaf hash, the others the
    // RFC 6962 test tree.
    const Tree t = v.h1 == leaves[v.a] ? tree : TreeOf({v.h1});
    ASSERT_EQ(*t.Root(v.b), v.h2);
    auto proof = t.InclusionProof(v.a, v.b);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_EQ(*proof, v.proof);
    ++checked;
  }
  EXPECT_EQ(checked, 6);
}

TEST(TreeTest, ConsistencyVectorsProducedByTree) {
  const Tree tree = TreeOf(TestTreeLeafHashes());
  int checked = 0;
  for (const auto& v : testing::LoadVectors("consistency", /*inclusion=*/false)) {
    if (v.want_err || !v.hashes_valid) continue;
    SCOPED_TRACE(v.file);
    EXPECT_EQ(*tree.Root(v.a), v.h1);
    EXPECT_EQ(*tree.Root(v.b), v.h2);
    auto proof = tree.ConsistencyProof(v.a, v.b);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_EQ(*proof, v.proof);
    ++checked;
  }
  EXPECT_EQ(checked, 5);
}

// Naive RFC 9162 2.1.1 / 2.1.3.1 / 2.1.4.1, recursive over the list of
// leaves (MTH memoised: the same ranges recur across sizes).
class Naive {
 public:
  explicit Naive(const std::vector<Hash>& leaves) : leaves_(leaves) {}

  // MTH(D[begin:end]) by the RFC's recursive definition, memoised.
  Hash Mth(uint64_t begin, uint64_t end) {
    if (end - begin == 1) return leaves_[begin];
    auto it = memo_.find({begin, end});
    if (it != memo_.end()) return it->second;
    const uint64_t k = K(end - begin);
    Hash h = NodeHash(Mth(begin, begin + k), Mth(begin + k, end));
    memo_.emplace(std::make_pair(begin, end), h);
    return h;
  }
  static uint64_t K(uint64_t n) {
    uint64_t k = 1;
    while (k * 2 < n) k *= 2;
    return k;
  }
  // PATH(m, D[begin:end]).
  std::vector<Hash> Path(uint64_t m, uint64_t begin, uint64_t end) {
    const uint64_t n = end - begin;
    if (n == 1) return {};
    const uint64_t k = K(n);
    std::vector<Hash> out;
    if (m < k) {
      out = Path(m, begin, begin + k);
      out.push_back(Mth(begin + k, end));
    } else {
      out = Path(m - k, begin + k, end);
      out.push_back(Mth(begin, begin + k));
    }
    return out;
  }
  // SUBPROOF(m, D[begin:end], b).
  std::vector<Hash> Subproof(uint64_t m, uint64_t begin, uint64_t end, bool b) {
    const uint64_t n = end - begin;
    if (m == n) {
      if (b) return {};
      return {Mth(begin, end)};
    }
    const uint64_t k = K(n);
    std::vector<Hash> out;
    if (m <= k) {
      out = Subproof(m, begin, begin + k, b);
      out.push_back(Mth(begin + k, end));
    } else {
      out = Subproof(m - k, begin + k, end, false);
      out.push_back(Mth(begin, begin + k));
    }
    return out;
  }

 private:
  const std::vector<Hash>& leaves_;
  std::map<std::pair<uint64_t, uint64_t>, Hash> memo_;
};

// Every size from 1 to 300: the root equals RootOf; proofs for the edges and
// random positions equal the naive recursive ones, verify, and stop
// verifying when one bit changes.
TEST(TreeTest, RandomisedAgainstNaive) {
  constexpr uint64_t kMax = 300;
  std::mt19937_64 rng(20261124);
  std::vector<Hash> leaves;
  for (uint64_t i = 0; i < kMax; ++i) {
    uint64_t r = rng();
    leaves.push_back(LeafHash({reinterpret_cast<const uint8_t*>(&r), sizeof r}));
  }
  Tree tree;
  EXPECT_EQ(tree.Root(), EmptyRoot());
  Naive naive(leaves);
  for (uint64_t n = 1; n <= kMax; ++n) {
    tree.Append(leaves[n - 1]);
    ASSERT_EQ(tree.size(), n);
    const Hash root = naive.Mth(0, n);
    ASSERT_EQ(root, RootOf(std::span<const Hash>(leaves).first(n))) << n;
    ASSERT_EQ(tree.Root(), root) << n;
    ASSERT_EQ(*tree.Root(n), root) << n;
    // Sample earlier roots too, from the grown tree.
    const uint64_t old = 1 + rng() % n;
    ASSERT_EQ(*tree.Root(old), naive.Mth(0, old)) << old << " in " << n;

    std::vector<uint64_t> indices = {0, n - 1, n / 2, rng() % n, rng() % n, rng() % n};
    for (uint64_t m : indices) {
      auto proof = tree.InclusionProof(m, n);
      ASSERT_TRUE(proof.ok());
      ASSERT_EQ(*proof, naive.Path(m, 0, n)) << m << " in " << n;
      ASSERT_TRUE(VerifyInclusion(m, n, leaves[m], *proof, root).ok()) << m << " in " << n;
      if (!proof->empty()) {
        std::vector<Hash> bad = *proof;
        bad[rng() % bad.size()][rng() % 32] ^= static_cast<uint8_t>(1u << (rng() % 8));
        EXPECT_FALSE(VerifyInclusion(m, n, leaves[m], bad, root).ok()) << m << " in " << n;
      }
      if (n > 1) {
        EXPECT_FALSE(VerifyInclusion((m + 1) % n, n, leaves[m], *proof, root).ok());
      }
    }
    std::vector<uint64_t> olds = {1, n, n - 1 > 0 ? n - 1 : 1, 1 + rng() % n, 1 + rng() % n};
    for (uint64_t m : olds) {
      auto proof = tree.ConsistencyProof(m, n);
      ASSERT_TRUE(proof.ok());
      ASSERT_EQ(*proof, naive.Subproof(m, 0, n, true)) << m << " to " << n;
      const Hash root1 = naive.Mth(0, m);
      ASSERT_TRUE(VerifyConsistency(m, n, root1, root, *proof).ok()) << m << " to " << n;
      if (!proof->empty()) {
        std::vector<Hash> bad = *proof;
        bad[rng() % bad.size()][rng() % 32] ^= static_cast<uint8_t>(1u << (rng() % 8));
        EXPECT_FALSE(VerifyConsistency(m, n, root1, root, bad).ok()) << m << " to " << n;
      }
      if (m < n) {
        EXPECT_FALSE(VerifyConsistency(m, n, root, root1, *proof).ok()) << m << " to " << n;
      }
    }
  }
}

// Every proof of a tree of 64 leaves (all pairs), generated from any larger
// tree, verifies.
TEST(TreeTest, AllPairsVerify) {
  std::vector<Hash> leaves;
  for (int i = 0; i < 70; ++i) leaves.push_back(LeafHash(std::vector<uint8_t>(i, 7)));
  const Tree tree = TreeOf(leaves);
  for (uint64_t n = 1; n <= 64; ++n) {
    const Hash root = RootOf(std::span<const Hash>(leaves).first(n));
    for (uint64_t m = 0; m < n; ++m) {
      ASSERT_TRUE(VerifyInclusion(m, n, leaves[m], *tree.InclusionProof(m, n), root).ok());
      const Hash root1 = *tree.Root(m + 1);
      ASSERT_TRUE(VerifyConsistency(m + 1, n, root1, root, *tree.ConsistencyProof(m + 1, n)).ok());
    }
  }
}

TEST(TreeTest, NodeAt) {
  std::vector<Hash> leaves;
  for (int i = 0; i < 13; ++i) leaves.push_back(LeafHash(std::vector<uint8_t>(1, i)));
  const Tree tree = TreeOf(leaves);
  std::span<const Hash> all(leaves);
  for (int level = 0; level <= 3; ++level) {
    const uint64_t width = uint64_t{1} << level;
    for (uint64_t i = 0; (i + 1) * width <= 13; ++i) {
      auto node = tree.NodeAt(level, i);
      ASSERT_TRUE(node.ok()) << level << "/" << i;
      EXPECT_EQ(*node, RootOf(all.subspan(i * width, width))) << level << "/" << i;
    }
  }
  // The incomplete subtrees of the right edge are not stored.
  EXPECT_EQ(tree.NodeAt(0, 13).status().code(), Code::kNotFound);
  EXPECT_EQ(tree.NodeAt(1, 6).status().code(), Code::kNotFound);
  EXPECT_EQ(tree.NodeAt(2, 3).status().code(), Code::kNotFound);
  EXPECT_EQ(tree.NodeAt(4, 0).status().code(), Code::kNotFound);
  EXPECT_EQ(tree.NodeAt(-1, 0).status().code(), Code::kNotFound);
  EXPECT_EQ(tree.NodeAt(64, 0).status().code(), Code::kNotFound);
  EXPECT_THAT(tree.NodeAt(2, 3).status().message(),
              HasSubstr("node at level 2 index 3: no complete subtree there in a tree of size 13"));
  EXPECT_EQ(Tree().NodeAt(0, 0).status().code(), Code::kNotFound);
}

TEST(TreeTest, ArgumentErrors) {
  Tree tree;
  EXPECT_EQ(*tree.Root(0), EmptyRoot());
  EXPECT_THAT(tree.Root(1).status().message(), HasSubstr("tree size: got 1, want <= 0"));
  for (int i = 0; i < 5; ++i) tree.Append(LeafHash(std::vector<uint8_t>(1, i)));
  EXPECT_EQ(*tree.Root(0), EmptyRoot());
  EXPECT_THAT(tree.Root(6).status().message(), HasSubstr("tree size: got 6, want <= 5"));
  EXPECT_THAT(tree.InclusionProof(5, 5).status().message(),
              HasSubstr("leaf index: got 5, want < 5"));
  EXPECT_THAT(tree.InclusionProof(0, 6).status().message(), HasSubstr("tree size: got 6"));
  EXPECT_THAT(tree.InclusionProof(0, 0).status().message(),
              HasSubstr("leaf index: got 0, want < 0"));
  EXPECT_THAT(tree.ConsistencyProof(0, 5).status().message(), HasSubstr("size1: got 0, want 1..5"));
  EXPECT_THAT(tree.ConsistencyProof(4, 3).status().message(), HasSubstr("size1: got 4, want 1..3"));
  EXPECT_THAT(tree.ConsistencyProof(1, 6).status().message(), HasSubstr("size2: got 6, want <= 5"));
  EXPECT_TRUE(tree.ConsistencyProof(5, 5)->empty());
}

TEST(TreeTest, RootHasherMatchesRootOf) {
  RootHasher hasher;
  EXPECT_EQ(hasher.Root(), EmptyRoot());
  EXPECT_EQ(hasher.size(), 0u);
  std::vector<Hash> leaves;
  for (int i = 0; i < 300; ++i) {
    leaves.push_back(LeafHash(std::vector<uint8_t>(2, i)));
    hasher.Append(leaves.back());
    ASSERT_EQ(hasher.size(), leaves.size());
    ASSERT_EQ(hasher.Root(), RootOf(leaves)) << leaves.size();
  }
}

TEST(TreeTest, ReserveKeepsContents) {
  Tree a;
  Tree b;
  b.Reserve(1000);
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.Root(), EmptyRoot());
  for (int i = 0; i < 100; ++i) {
    Hash h = LeafHash(std::vector<uint8_t>(1, i));
    a.Append(h);
    b.Append(h);
    if (i == 50) b.Reserve(10);  // smaller than the size: no effect
  }
  EXPECT_EQ(a.Root(), b.Root());
  EXPECT_EQ(*a.InclusionProof(37, 100), *b.InclusionProof(37, 100));
}

}  // namespace
}  // namespace cloison::ledger
