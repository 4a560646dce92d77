#include "crypto/ed25519.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "crypto/secret.h"
#include "crypto/sha256.h"

namespace cloison::crypto {
namespace {

std::string SourcePath(const std::string& rel) {
  return std::string(CLOISON_SOURCE_DIR) + "/" + rel;
}

std::optional<std::vector<uint8_t>> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<uint8_t> out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

std::vector<uint8_t> Bytes(std::string_view s) {
  return {s.begin(), s.end()};
}

// RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (one byte).
TEST(Ed25519Test, Rfc8032KnownAnswers) {
  struct Case {
    const char* seed;
    const char* public_key;
    const char* message;
    const char* signature;
  };
  const Case cases[] = {
      {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
       "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
       "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
      {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
       "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
       "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
  };
  for (const Case& c : cases) {
    auto pair = Ed25519FromSeed(*FromHex(c.seed));
    ASSERT_TRUE(pair.ok()) << pair.status().ToString();
    EXPECT_EQ(Hex(pair->public_key), c.public_key);
    EXPECT_EQ(Hex(pair->seed.view()), c.seed);
    std::vector<uint8_t> message = *FromHex(c.message);
    Ed25519Signature sig = Ed25519Sign(*pair, message);
    EXPECT_EQ(Hex(sig), c.signature);
    EXPECT_TRUE(Ed25519Verify(pair->public_key, message, sig));
  }
}

TEST(Ed25519Test, FromSeedRejectsWrongLength) {
  std::vector<uint8_t> short_seed(31, 7);
  auto pair = Ed25519FromSeed(short_seed);
  ASSERT_FALSE(pair.ok());
  EXPECT_EQ(pair.status().code(), Code::kInvalidArgument);
  EXPECT_NE(pair.status().message().find("seed"), std::string::npos);
  EXPECT_NE(pair.status().message().find("31"), std::string::npos);
}

TEST(Ed25519Test, GeneratedKeysSignAndVerify) {
  Ed25519KeyPair a = GenerateEd25519();
  Ed25519KeyPair b = GenerateEd25519();
  EXPECT_EQ(a.seed.size(), 32u);
  EXPECT_NE(a.public_key, b.public_key);
  auto msg = Bytes("checkpoint body\n");
  Ed25519Signature sig = Ed25519Sign(a, msg);
  EXPECT_TRUE(Ed25519Verify(a.public_key, msg, sig));
  EXPECT_FALSE(Ed25519Verify(b.public_key, msg, sig));
  EXPECT_FALSE(Ed25519Verify(a.public_key, Bytes("checkpoint body\r"), sig));
  Ed25519Signature flipped = sig;
  flipped[10] ^= 1;
  EXPECT_FALSE(Ed25519Verify(a.public_key, msg, flipped));
  // A signature of the wrong length is rejected, not truncated or padded.
  std::vector<uint8_t> longer(sig.begin(), sig.end());
  longer.push_back(0);
  EXPECT_FALSE(Ed25519Verify(a.public_key, msg, longer));
  EXPECT_FALSE(Ed25519Verify(a.public_key, msg, std::span(sig).first(63)));
  // The signing key is the seed; a wrong public half does not matter.
  Ed25519KeyPair mismatched{a.seed.Clone(), b.public_key};
  EXPECT_TRUE(Ed25519Verify(a.public_key, msg, Ed25519Sign(mismatched, msg)));
}

TEST(Ed25519Test, KeyPairWithoutSeedSignsNothingUseful) {
  Ed25519KeyPair empty;
  auto msg = Bytes("x");
  Ed25519Signature sig = Ed25519Sign(empty, msg);
  EXPECT_EQ(sig, Ed25519Signature{});
  EXPECT_FALSE(Ed25519Verify(empty.public_key, msg, sig));
}

// Every case of Wycheproof's EdDSA file: valid signatures verify, invalid ones
// (malleable S, non-canonical R or key, truncated, with garbage) are rejected.
TEST(Ed25519Test, Wycheproof) {
  std::ifstream in(SourcePath("testdata/third_party/wycheproof/ed25519_test.json"));
  ASSERT_TRUE(in) << "missing testdata/third_party/wycheproof/ed25519_test.json";
  std::stringstream buf;
  buf << in.rdbuf();
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(buf.str(), ec);
  ASSERT_FALSE(ec) << ec.message();
  const boost::json::object& root = doc.as_object();
  ASSERT_EQ(root.at("algorithm").as_string(), "EDDSA");
  int run = 0, valid = 0, invalid = 0;
  for (const boost::json::value& gv : root.at("testGroups").as_array()) {
    const boost::json::object& group = gv.as_object();
    const boost::json::object& pk_obj = group.at("publicKey").as_object();
    ASSERT_EQ(pk_obj.at("curve").as_string(), "edwards25519");
    auto pk_bytes = FromHex(pk_obj.at("pk").as_string());
    ASSERT_TRUE(pk_bytes.has_value());
    ASSERT_EQ(pk_bytes->size(), 32u);
    Ed25519PublicKey pk;
    std::copy(pk_bytes->begin(), pk_bytes->end(), pk.begin());
    for (const boost::json::value& tv : group.at("tests").as_array()) {
      const boost::json::object& t = tv.as_object();
      const int64_t id = t.at("tcId").as_int64();
      auto msg = FromHex(t.at("msg").as_string());
      auto sig = FromHex(t.at("sig").as_string());
      ASSERT_TRUE(msg.has_value()) << "tcId " << id;
      const std::string_view result = t.at("result").as_string();
      const bool got = sig.has_value() && Ed25519Verify(pk, *msg, *sig);
      if (result == "valid") {
        EXPECT_TRUE(got) << "tcId " << id << " should verify: " << t.at("comment");
        ++valid;
      } else {
        ASSERT_EQ(result, "invalid") << "tcId " << id;
        EXPECT_FALSE(got) << "tcId " << id << " should be rejected: " << t.at("comment");
        ++invalid;
      }
      ++run;
    }
  }
  EXPECT_EQ(run, root.at("numberOfTests").as_int64());
  EXPECT_EQ(valid, 88);
  EXPECT_EQ(invalid, 63);
}

TEST(SecretBytesTest, MoveAssignmentReleasesOldBytesAndEmptiesSource) {
  std::vector<uint8_t> a(16, 0xaa), b(8, 0xbb);
  SecretBytes x{std::span<const uint8_t>(a)};
  SecretBytes y{std::span<const uint8_t>(b)};
  x = std::move(y);
  EXPECT_EQ(x.size(), 8u);
  EXPECT_EQ(x.view()[0], 0xbb);
  EXPECT_TRUE(y.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
  SecretBytes z(std::move(x));
  EXPECT_EQ(z.size(), 8u);
  EXPECT_TRUE(x.empty());  // NOLINT(bugprone-use-after-move)
  SecretBytes& self = z;
  z = std::move(self);
  EXPECT_EQ(z.size(), 8u);
}

TEST(SecretBytesTest, WipeZeroesAndEmpties) {
  SecretBytes s(4);
  for (uint8_t& b : s.mutable_view()) b = 0x5a;
  SecretBytes c = s.Clone();
  s.Wipe();
  EXPECT_TRUE(s.empty());
  ASSERT_EQ(c.size(), 4u);  // the clone is independent
  EXPECT_EQ(c.view()[3], 0x5a);
}

TEST(SecretBytesTest, WipeStringEmptiesIt) {
  std::string secret = "PRIVATE+KEY+example";
  WipeString(secret);
  EXPECT_TRUE(secret.empty());
}

}  // namespace
}  // namespace cloison::crypto
