#include "crypto/sha256.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/sha256_ni.h"

namespace cloison::crypto {
namespace {

// FIPS 180-4 known answers.
TEST(Sha256Test, KnownAnswers) {
  EXPECT_EQ(Hex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Sha256Parts hashes the concatenation, however it is cut (including empty
// parts and no parts at all), and agrees with the one-shot form.
TEST(Sha256Test, PartsHashTheConcatenation) {
  EXPECT_EQ(Hex(Sha256Parts({})), Hex(Sha256("")));
  EXPECT_EQ(Hex(Sha256Parts({Bytes("a"), Bytes(""), Bytes("bc")})),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    std::string_view v(text);
    EXPECT_EQ(Sha256Parts({Bytes(v.substr(0, cut)), Bytes(v.substr(cut))}), Sha256(text)) << cut;
  }
  // Parts longer in total than the gathering buffer are hashed part by part.
  const std::string big(5000, 'q');
  for (size_t cut : {0, 1, 504, 505, 506, 4990}) {
    std::string_view v(big);
    EXPECT_EQ(
        Sha256Parts({Bytes(v.substr(0, cut)), Bytes(v.substr(cut, 7)), Bytes(v.substr(cut + 7))}),
        Sha256(big))
        << cut;
  }
  // The context is reused: a second, different call is not polluted by the first.
  EXPECT_EQ(Hex(Sha256Parts({Bytes("abc")})), Hex(Sha256("abc")));
}

// The OpenSSL path (the fallback off SHA-NI) on its own, whatever this CPU has.
TEST(Sha256Test, OpenSslPartsKnownAnswers) {
  EXPECT_EQ(Hex(internal::OpenSslParts({})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(internal::OpenSslParts({Bytes("ab"), Bytes("c")})),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

#define SKIP_WITHOUT_SHA_NI() \
  if (!internal::HasShaNi()) GTEST_SKIP() << "this CPU has no SHA-NI"

// FIPS 180-4 known answers on the SHA-NI path, including the one-million-'a'
// message (many blocks in one ShaNiBlocks call) and the two-block message.
TEST(Sha256NiTest, KnownAnswers) {
  SKIP_WITHOUT_SHA_NI();
  EXPECT_EQ(Hex(internal::ShaNiParts({})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(internal::ShaNiParts({Bytes("abc")})),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(internal::ShaNiParts(
                {Bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")})),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Hex(internal::ShaNiParts(
                {Bytes("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"),
                 Bytes("ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")})),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  const std::string million(1'000'000, 'a');
  EXPECT_EQ(Hex(internal::ShaNiParts({Bytes(million)})),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// ShaNiBlocks is the bare compression function: one block from the initial
// value, padded by hand, gives the digest of "abc".
TEST(Sha256NiTest, BlocksIsTheCompressionFunction) {
  SKIP_WITHOUT_SHA_NI();
  uint32_t state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  uint8_t block[64] = {'a', 'b', 'c', 0x80};
  block[63] = 24;  // bit length
  internal::ShaNiBlocks(state, block, 1);
  const uint32_t want[8] = {0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                            0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(state[i], want[i]) << i;
}

// Every length from 0 to 1,100 bytes of random content (all padding cases:
// 0..63 bytes in the last block, one or two padding blocks), cut into two
// or three parts at random places, against OpenSSL.
TEST(Sha256NiTest, MatchesOpenSslOnRandomInputs) {
  SKIP_WITHOUT_SHA_NI();
  std::mt19937_64 rng(20261125);
  std::vector<uint8_t> data(1100);
  for (size_t len = 0; len <= data.size(); ++len) {
    for (uint8_t& b : data) b = static_cast<uint8_t>(rng());
    const std::span<const uint8_t> all(data.data(), len);
    const Digest want = internal::OpenSslParts({all});
    ASSERT_EQ(internal::ShaNiParts({all}), want) << len;
    const size_t a = len == 0 ? 0 : rng() % (len + 1);
    const size_t b = a + (len == a ? 0 : rng() % (len - a + 1));
    ASSERT_EQ(internal::ShaNiParts({all.first(a), all.subspan(a, b - a), all.subspan(b)}), want)
        << len << " cut at " << a << ", " << b;
    ASSERT_EQ(Sha256Parts({all.first(a), all.subspan(a)}), want) << len;
  }
}

// Merkle-shaped inputs: a prefix byte then one entry (leaf) or two digests
// (node, 65 bytes: the length field spills into a second block), and large
// entries whose full blocks are hashed in place.
TEST(Sha256NiTest, MatchesOpenSslOnMerkleShapes) {
  SKIP_WITHOUT_SHA_NI();
  std::mt19937_64 rng(6962);
  const uint8_t leaf[] = {0x00};
  const uint8_t node[] = {0x01};
  for (int i = 0; i < 2000; ++i) {
    Digest l, r;
    for (uint8_t& b : l) b = static_cast<uint8_t>(rng());
    for (uint8_t& b : r) b = static_cast<uint8_t>(rng());
    ASSERT_EQ(internal::ShaNiParts({node, l, r}), internal::OpenSslParts({node, l, r})) << i;
    std::vector<uint8_t> entry(rng() % (i < 1000 ? 600 : 70'000));
    for (uint8_t& b : entry) b = static_cast<uint8_t>(rng());
    ASSERT_EQ(internal::ShaNiParts({leaf, entry}), internal::OpenSslParts({leaf, entry}))
        << entry.size();
  }
}

// The 65-byte pair hash against OpenSSL, for every prefix byte and random
// halves (each byte of left and right lands at a different place in the two
// blocks), and through the dispatching Sha256PrefixPair.
TEST(Sha256NiTest, PairMatchesOpenSsl) {
  SKIP_WITHOUT_SHA_NI();
  std::mt19937_64 rng(9162);
  for (int i = 0; i < 5000; ++i) {
    const uint8_t prefix[] = {static_cast<uint8_t>(i)};
    Digest l, r;
    for (uint8_t& b : l) b = static_cast<uint8_t>(rng());
    for (uint8_t& b : r) b = static_cast<uint8_t>(rng());
    const Digest want = internal::OpenSslParts({prefix, l, r});
    ASSERT_EQ(internal::ShaNiPair(prefix[0], l, r), want) << i;
    ASSERT_EQ(Sha256PrefixPair(prefix[0], l, r), want) << i;
  }
  // Known answer: SHA-256 of 0x01 followed by 64 zero bytes.
  EXPECT_EQ(Hex(internal::ShaNiPair(0x01, Digest{}, Digest{})),
            Hex(Sha256(std::string("\x01") + std::string(64, '\0'))));
}

// Sha256Prefixed and Sha256PrefixPair are Sha256Parts of their parts,
// whichever path runs.
TEST(Sha256Test, PrefixedFormsAreParts) {
  const uint8_t zero[] = {0x00};
  for (size_t len : {0, 1, 62, 63, 64, 127, 200, 1000}) {
    const std::string entry(len, 'e');
    EXPECT_EQ(Sha256Prefixed(0x00, Bytes(entry)), Sha256Parts({zero, Bytes(entry)})) << len;
    EXPECT_EQ(Sha256Prefixed(0x00, Bytes(entry)), internal::OpenSslParts({zero, Bytes(entry)}))
        << len;
  }
  Digest l, r;
  for (int i = 0; i < 32; ++i) l[i] = static_cast<uint8_t>(i), r[i] = static_cast<uint8_t>(~i);
  const uint8_t prefix[] = {0x01};
  EXPECT_EQ(Sha256PrefixPair(0x01, l, r), Sha256Parts({prefix, l, r}));
  EXPECT_EQ(Sha256PrefixPair(0x01, l, r), internal::OpenSslParts({prefix, l, r}));
}

// The prefixed hash (a Merkle leaf) for every length from 0 to 700 (below,
// at and above the 63 bytes that fill the first block with the prefix), and
// large ones, against OpenSSL and through the dispatching Sha256Prefixed.
TEST(Sha256NiTest, PrefixedMatchesOpenSsl) {
  SKIP_WITHOUT_SHA_NI();
  std::mt19937_64 rng(6962);
  std::vector<uint8_t> data(70'000);
  for (uint8_t& b : data) b = static_cast<uint8_t>(rng());
  std::vector<size_t> lengths;
  for (size_t len = 0; len <= 700; ++len) lengths.push_back(len);
  for (int i = 0; i < 200; ++i) lengths.push_back(rng() % data.size());
  for (size_t len : lengths) {
    const size_t off = rng() % (data.size() - len + 1);
    const std::span<const uint8_t> entry(data.data() + off, len);
    const uint8_t prefix[] = {static_cast<uint8_t>(rng())};
    const Digest want = internal::OpenSslParts({prefix, entry});
    ASSERT_EQ(internal::ShaNiPrefixed(prefix[0], entry), want) << len;
    ASSERT_EQ(Sha256Prefixed(prefix[0], entry), want) << len;
  }
}

// Inputs at any alignment (the instructions path loads unaligned).
TEST(Sha256NiTest, AnyAlignment) {
  SKIP_WITHOUT_SHA_NI();
  std::vector<uint8_t> data(300 + 16);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7 + 3);
  for (size_t off = 0; off < 16; ++off) {
    const std::span<const uint8_t> s(data.data() + off, 300);
    EXPECT_EQ(internal::ShaNiParts({s}), internal::OpenSslParts({s})) << off;
  }
}

}  // namespace
}  // namespace cloison::crypto
