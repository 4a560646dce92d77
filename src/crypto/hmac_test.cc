#include "crypto/hmac.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cloison::crypto {
namespace {

std::vector<uint8_t> Repeat(uint8_t byte, size_t n) {
  return std::vector<uint8_t>(n, byte);
}
std::vector<uint8_t> Text(std::string_view s) {
  return {s.begin(), s.end()};
}

struct Vector {
  const char* name;
  std::vector<uint8_t> key;
  std::vector<uint8_t> data;
  const char* mac;  // hex; test case 5 gives only the first 128 bits
};

// RFC 4231 section 4, test cases 1 to 7 (HMAC-SHA-256 column).
std::vector<Vector> Rfc4231() {
  std::vector<uint8_t> key4;
  for (uint8_t b = 1; b <= 25; ++b) key4.push_back(b);
  return {
      {"case1", Repeat(0x0b, 20), Text("Hi There"),
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"case2", Text("Jefe"), Text("what do ya want for nothing?"),
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {"case3", Repeat(0xaa, 20), Repeat(0xdd, 50),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"case4", key4, Repeat(0xcd, 50),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {"case5", Repeat(0x0c, 20), Text("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b"},
      {"case6", Repeat(0xaa, 131), Text("Test Using Larger Than Block-Size Key - Hash Key First"),
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {"case7", Repeat(0xaa, 131),
       Text("This is a test using a larger than block-size key and a larger than block-size "
            "data. The key needs to be hashed before being used by the HMAC algorithm."),
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
}

TEST(HmacSha256Test, Rfc4231Vectors) {
  for (const auto& v : Rfc4231()) {
    std::string mac = Hex(HmacSha256(v.key, std::span<const uint8_t>(v.data)));
    std::string want = v.mac;
    EXPECT_EQ(mac.substr(0, want.size()), want) << v.name;
  }
}

TEST(HmacSha256Test, EmptyKeyAndData) {
  // Computed independently (Python's hmac module); checks the empty spans
  // reach OpenSSL as a valid zero-length key and message.
  EXPECT_EQ(Hex(HmacSha256({}, std::string_view())),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HmacSha256Test, KeyAndDataBothMatter) {
  auto k1 = Repeat(1, 32), k2 = Repeat(2, 32);
  EXPECT_NE(HmacSha256(k1, "+33612345678"), HmacSha256(k2, "+33612345678"));
  EXPECT_NE(HmacSha256(k1, "+33612345678"), HmacSha256(k1, "+33612345679"));
  EXPECT_EQ(HmacSha256(k1, "+33612345678"), HmacSha256(k1, "+33612345678"));
  // The string form and the span form agree.
  auto data = Text("abc");
  EXPECT_EQ(HmacSha256(k1, "abc"), HmacSha256(k1, std::span<const uint8_t>(data)));
}

}  // namespace
}  // namespace cloison::crypto
