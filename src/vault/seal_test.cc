#include <cloison/seal.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "vault/test_util.h"

namespace cloison::seal {
namespace {

using vault::BytesOf;

std::vector<uint8_t> Pattern(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 13 + 5);
  return v;
}

KeyPair FixedKeyPair(uint8_t first) {
  std::string text = "cloison-seal-private-v1 ";
  for (int i = 0; i < 32; ++i) {
    char b[3];
    std::snprintf(b, sizeof b, "%02x", static_cast<unsigned>(first + i) & 0xff);
    text += b;
  }
  auto kp = ParsePrivateKey(text);
  EXPECT_TRUE(kp.ok());
  return std::move(kp).value();
}

TEST(SealTest, RoundTripAtChunkBoundariesAndKeyText) {
  KeyPair kp = GenerateKeyPair();
  auto pub = ParsePublicKey("  " + EncodePublicKey(kp.public_key) + "\n");
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(*pub, kp.public_key);
  std::string priv_text = EncodePrivateKey(kp);
  auto priv = ParsePrivateKey(priv_text);
  crypto::WipeString(priv_text);
  ASSERT_TRUE(priv.ok());
  EXPECT_EQ(priv->public_key, kp.public_key);
  SealOptions o;
  o.chunk_size = 64;
  for (size_t n : {0, 1, 63, 64, 65, 128, 129, 1000}) {
    auto content = Pattern(n);
    auto sealed = Seal(kp.public_key, content, o);
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    size_t chunks = n == 0 ? 1 : (n + 63) / 64;
    EXPECT_EQ(sealed->size(), kHeaderSize + n + 17 * chunks);
    auto back = Open(*priv, *sealed);
    ASSERT_TRUE(back.ok()) << n << " " << back.status().ToString();
    EXPECT_EQ(*back, content);
  }
  // Two seals of the same content differ (fresh ephemeral key each time).
  auto a = Seal(kp.public_key, Pattern(10)), b = Seal(kp.public_key, Pattern(10));
  EXPECT_NE(*a, *b);
}

TEST(SealTest, LargeItemStreams) {
  KeyPair kp = GenerateKeyPair();
  auto content = Pattern(1 << 20 | 3);
  std::vector<uint8_t> sealed;
  auto s = SealStream::Create(kp.public_key, [&](std::span<const uint8_t> b) {
    sealed.insert(sealed.end(), b.begin(), b.end());
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok());
  for (size_t pos = 0; pos < content.size(); pos += 10007)
    ASSERT_TRUE((*s)->Write(std::span(content).subspan(pos, std::min<size_t>(10007, content.size() - pos))).ok());
  ASSERT_TRUE((*s)->Finish().ok());
  std::vector<uint8_t> out;
  auto o = OpenStream::Create(kp, [&](std::span<const uint8_t> b) {
    out.insert(out.end(), b.begin(), b.end());
    return Status::Ok();
  });
  ASSERT_TRUE(o.ok());
  for (size_t pos = 0; pos < sealed.size(); pos += 65521)
    ASSERT_TRUE((*o)->Write(std::span(sealed).subspan(pos, std::min<size_t>(65521, sealed.size() - pos))).ok());
  ASSERT_TRUE((*o)->Finish().ok());
  EXPECT_EQ(out, content);
}

TEST(SealTest, TruncatedForgedReorderedAndWrongKeyAreCleanErrors) {
  KeyPair kp = GenerateKeyPair();
  SealOptions o;
  o.chunk_size = 32;
  auto sealed = Seal(kp.public_key, Pattern(100), o);  // 4 chunks
  ASSERT_TRUE(sealed.ok());
  for (size_t n = 0; n < sealed->size(); ++n) {
    auto r = Open(kp, std::span(*sealed).first(n));
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.status().code(), Code::kCorruption) << n << r.status().ToString();
  }
  auto cut = Open(kp, std::span(*sealed).first(kHeaderSize + 2 * 49));
  EXPECT_NE(cut.status().message().find("truncated"), std::string::npos) << cut.status().message();
  for (size_t i = 0; i < sealed->size(); ++i) {
    auto bad = *sealed;
    bad[i] ^= 0x01;
    EXPECT_FALSE(Open(kp, bad).ok()) << i;
  }
  auto swapped = *sealed;
  std::swap_ranges(swapped.begin() + kHeaderSize, swapped.begin() + kHeaderSize + 49,
                   swapped.begin() + kHeaderSize + 49);
  EXPECT_EQ(Open(kp, swapped).status().code(), Code::kCorruption);
  auto longer = *sealed;
  longer.insert(longer.end(), 20, 0);
  EXPECT_EQ(Open(kp, longer).status().code(), Code::kCorruption);
  KeyPair other = GenerateKeyPair();
  auto wrong = Open(other, *sealed);
  EXPECT_EQ(wrong.status().code(), Code::kInvalidArgument);
  EXPECT_NE(wrong.status().message().find("addressed to"), std::string::npos);
  // A header re-addressed to the other key fails to authenticate.
  auto readdressed = *sealed;
  std::copy(other.public_key.begin(), other.public_key.end(), readdressed.begin() + 10);
  EXPECT_EQ(Open(other, readdressed).status().code(), Code::kCorruption);
  // Low-order recipient key: refused before anything is written.
  PublicKey zero{};
  EXPECT_EQ(Seal(zero, Pattern(3)).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParsePublicKey("cloison-seal-public-v1 zz").status().code(), Code::kInvalidArgument);
  auto bad_priv = ParsePrivateKey("cloison-seal-private-v1 " + std::string(63, 'a') + "g");
  EXPECT_EQ(bad_priv.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(bad_priv.status().message().find("aaaa"), std::string::npos) << "never quote keys";
}

// The frozen fixture of doc/formats/sealed-item.md, made once with the
// fixed keys below. libsodium draws the secretstream header itself, so the
// fixture cannot be re-made byte for byte; what is deterministic (the first
// 74 bytes) is compared, and the fixture must open to the exact content.
TEST(SealTest, FrozenFixtureV1) {
  std::string path = std::string(CLOISON_SOURCE_DIR) + "/testdata/vault/sealed-item-v1.bin";
  KeyPair recipient = FixedKeyPair(0x40);
  KeyPair ephemeral = FixedKeyPair(0x60);
  std::string text = "Cloison sealed-item fixture v1. Fixed keys; never regenerate it in place.";
  SealOptions o;
  o.chunk_size = 32;
  std::vector<uint8_t> made;
  auto s = SealStreamWithEphemeral(recipient.public_key, ephemeral.private_key.view(),
                                   [&](std::span<const uint8_t> b) {
                                     made.insert(made.end(), b.begin(), b.end());
                                     return Status::Ok();
                                   },
                                   o);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->Write(BytesOf(text)).ok());
  ASSERT_TRUE((*s)->Finish().ok());
  if (std::getenv("CLOISON_WRITE_FIXTURES"))
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(made.data()), made.size());
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<uint8_t> fixture = BytesOf(ss.str());
  auto opened = Open(recipient, fixture);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, BytesOf(text));
  ASSERT_EQ(fixture.size(), made.size());
  EXPECT_TRUE(std::equal(made.begin(), made.begin() + 74, fixture.begin()))
      << "the sealed-item header changed: add a version, keep this fixture";
  EXPECT_EQ(fixture.size(), kHeaderSize + text.size() + 17 * 3);
}

}  // namespace
}  // namespace cloison::seal
