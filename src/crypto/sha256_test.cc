#include "crypto/sha256.h"

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <string_view>

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

}  // namespace
}  // namespace cloison::crypto
