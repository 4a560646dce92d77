#include "ledger/merkle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "ledger/test_vectors.h"

namespace cloison::ledger {
namespace {

using ::testing::HasSubstr;

std::vector<Hash> TestTreeLeafHashes() {
  std::vector<Hash> out;
  for (const auto& leaf : testing::TestTreeLeaves()) out.push_back(LeafHash(leaf));
  return out;
}

TEST(MerkleTest, KnownAnswers) {
  // SHA-256 of the empty string.
  EXPECT_EQ(crypto::Hex(EmptyRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(RootOf({}), EmptyRoot());
  // SHA-256(0x00): the leaf hash of the empty entry.
  EXPECT_EQ(crypto::Hex(LeafHash({})),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  // NodeHash is SHA-256(0x01 || left || right), in that order.
  Hash a = LeafHash(std::vector<uint8_t>{0x00});
  Hash b = LeafHash(std::vector<uint8_t>{0x10});
  std::vector<uint8_t> concat = {0x01};
  concat.insert(concat.end(), a.begin(), a.end());
  concat.insert(concat.end(), b.begin(), b.end());
  EXPECT_EQ(NodeHash(a, b), crypto::Sha256(concat));
  EXPECT_NE(NodeHash(a, b), NodeHash(b, a));
  // The RFC 6962 test tree of eight leaves (its root appears in the vectors).
  EXPECT_EQ(crypto::Hex(RootOf(TestTreeLeafHashes())),
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  std::vector<Hash> one = {a};
  EXPECT_EQ(RootOf(one), a);
  // A tree of three leaves is H(H(l0, l1), l2), not H(l0, H(l1, l2)).
  std::vector<Hash> three = {a, b, a};
  EXPECT_EQ(RootOf(three), NodeHash(NodeHash(a, b), a));
}

// Every inclusion vector: valid ones verify, every deliberately broken one
// (wantErr) is rejected, including those whose hashes are not 32 bytes.
TEST(MerkleTest, InclusionVectors) {
  auto vectors = testing::LoadVectors("inclusion", /*inclusion=*/true);
  ASSERT_EQ(vectors.size(), 98u);
  int valid = 0;
  for (const auto& v : vectors) {
    SCOPED_TRACE(v.file + ": " + v.desc);
    if (!v.hashes_valid) {
      EXPECT_TRUE(v.want_err) << "a vector with a hash that is not 32 bytes must be an error";
      continue;
    }
    Status s = VerifyInclusion(v.a, v.b, v.h1, v.proof, v.h2);
    EXPECT_EQ(s.ok(), !v.want_err) << s.ToString();
    if (!s.ok()) {
      EXPECT_EQ(s.code(), Code::kInvalidArgument);
    }
    valid += s.ok();
  }
  EXPECT_EQ(valid, 6);  // the five happy paths and single-entry/matching-root-and-leaf
}

// The one vector where the README's convention and the file disagree: its
// roots are 12 bytes ("don't care 2") yet wantErr is false, because the Go
// verifier compares equal-size roots as raw bytes. A 12-byte root cannot
// reach VerifyConsistency (Hash is 32 bytes), so here it is invalid; the
// substance of the case (equal sizes, equal roots, empty proof) is checked
// with 32-byte roots in ConsistencyEqualSizes.
const std::set<std::string> kNotExpressible = {
    "consistency/additional/sizes-are-equal-one-and-proof-is-empty.json"};

TEST(MerkleTest, ConsistencyVectors) {
  auto vectors = testing::LoadVectors("consistency", /*inclusion=*/false);
  ASSERT_EQ(vectors.size(), 98u);
  int valid = 0;
  std::set<std::string> not_expressible;
  for (const auto& v : vectors) {
    SCOPED_TRACE(v.file + ": " + v.desc);
    if (!v.hashes_valid) {
      if (!v.want_err) not_expressible.insert(v.file);
      continue;
    }
    Status s = VerifyConsistency(v.a, v.b, v.h1, v.h2, v.proof);
    EXPECT_EQ(s.ok(), !v.want_err) << s.ToString();
    if (!s.ok()) {
      EXPECT_EQ(s.code(), Code::kInvalidArgument);
    }
    valid += s.ok();
  }
  EXPECT_EQ(valid, 5);  // the happy paths of consistency/0..4
  EXPECT_EQ(not_expressible, kNotExpressible);
}

TEST(MerkleTest, ConsistencyEqualSizes) {
  Hash r = LeafHash(std::vector<uint8_t>{1});
  Hash other = LeafHash(std::vector<uint8_t>{2});
  EXPECT_TRUE(VerifyConsistency(1, 1, r, r, {}).ok());
  EXPECT_TRUE(VerifyConsistency(7, 7, r, r, {}).ok());
  Status s = VerifyConsistency(7, 7, r, other, {});
  EXPECT_THAT(s.message(), HasSubstr("equal sizes 7 but root1"));
  std::vector<Hash> proof = {r};
  s = VerifyConsistency(7, 7, r, r, proof);
  EXPECT_THAT(s.message(), HasSubstr("got 1 hashes for equal sizes, want 0"));
  s = VerifyConsistency(0, 0, EmptyRoot(), EmptyRoot(), {});
  EXPECT_THAT(s.message(), HasSubstr("size1 is 0"));
}

// Each failed check says which one failed.
TEST(MerkleTest, InclusionMessages) {
  auto hashes = TestTreeLeafHashes();
  Hash root = RootOf(hashes);
  // Leaf 5 of 8: siblings l4, H(l6, l7), H(l0..l3).
  std::vector<Hash> proof = {hashes[4], NodeHash(hashes[6], hashes[7]),
                             RootOf(std::span<const Hash>(hashes).first(4))};
  ASSERT_TRUE(VerifyInclusion(5, 8, hashes[5], proof, root).ok());

  Status s = VerifyInclusion(8, 8, hashes[5], proof, root);
  EXPECT_THAT(s.message(), HasSubstr("leaf index 8 out of range for tree size 8"));
  s = VerifyInclusion(5, 8, hashes[5], std::span<const Hash>(proof).first(2), root);
  EXPECT_THAT(s.message(), HasSubstr("got 2 hashes, want 3 for leaf 5 in a tree of size 8"));
  s = VerifyInclusion(5, 8, hashes[4], proof, root);
  EXPECT_THAT(s.message(), HasSubstr("computed root"));
  EXPECT_THAT(s.message(), HasSubstr("does not match root " + crypto::Hex(root)));
  // Same length, different position: the path is walked the wrong way.
  s = VerifyInclusion(4, 8, hashes[5], proof, root);
  EXPECT_FALSE(s.ok());
  s = VerifyInclusion(0, 0, hashes[0], {}, EmptyRoot());
  EXPECT_THAT(s.message(), HasSubstr("out of range for tree size 0"));
}

TEST(MerkleTest, ConsistencyMessages) {
  auto hashes = TestTreeLeafHashes();
  std::span<const Hash> all(hashes);
  Hash root6 = RootOf(all.first(6));
  Hash root8 = RootOf(all);
  // From 6 to 8: H(l4, l5), H(l6, l7), H(l0..l3).
  std::vector<Hash> proof = {NodeHash(hashes[4], hashes[5]), NodeHash(hashes[6], hashes[7]),
                             RootOf(all.first(4))};
  ASSERT_TRUE(VerifyConsistency(6, 8, root6, root8, proof).ok());

  Status s = VerifyConsistency(0, 8, EmptyRoot(), root8, proof);
  EXPECT_THAT(s.message(), HasSubstr("size1 is 0, want >= 1"));
  s = VerifyConsistency(8, 6, root8, root6, proof);
  EXPECT_THAT(s.message(), HasSubstr("size1 8 is greater than size2 6"));
  s = VerifyConsistency(6, 8, root6, root8, std::span<const Hash>(proof).first(2));
  EXPECT_THAT(s.message(), HasSubstr("got 2 hashes, want 3 from size 6 to size 8"));
  s = VerifyConsistency(6, 8, root8, root8, proof);
  EXPECT_THAT(s.message(), HasSubstr("computed root1"));
  s = VerifyConsistency(6, 8, root6, root6, proof);
  EXPECT_THAT(s.message(), HasSubstr("computed root2"));
  std::vector<Hash> swapped = {proof[1], proof[0], proof[2]};
  EXPECT_FALSE(VerifyConsistency(6, 8, root6, root8, swapped).ok());
}

}  // namespace
}  // namespace cloison::ledger
