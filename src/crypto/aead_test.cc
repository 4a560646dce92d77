// Known-answer and Wycheproof tests for crypto/aead.h. Every case of every
// Wycheproof file the vault relies on runs: valid cases must give the
// expected bytes, invalid ones must be refused, acceptable ones either way
// (but never with wrong bytes). Each test prints and checks its counts.
#include "crypto/aead.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "crypto/sha256.h"

namespace cloison::crypto {
namespace {

namespace json = boost::json;

std::vector<uint8_t> FromHex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<uint8_t>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
  return out;
}

json::value LoadVectors(const std::string& name) {
  std::string path =
      std::string(CLOISON_SOURCE_DIR) + "/testdata/third_party/wycheproof/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "missing " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str());
}

std::vector<uint8_t> Field(const json::object& t, const char* key) {
  return FromHex(std::string_view(t.at(key).as_string()));
}

// Tallies per file; the total must equal the file's numberOfTests.
struct Counts {
  int valid = 0, invalid = 0, acceptable_ok = 0, acceptable_rejected = 0, unsupported = 0;
  int total() const { return valid + invalid + acceptable_ok + acceptable_rejected + unsupported; }
  void Report(const std::string& name, const json::value& doc) {
    std::cout << "[wycheproof] " << name << ": " << valid << " valid passed, " << invalid
              << " invalid rejected, " << acceptable_ok << " acceptable accepted, "
              << acceptable_rejected << " acceptable rejected, " << unsupported
              << " valid with unsupported parameters refused (of " << total() << ")\n";
    EXPECT_EQ(total(), doc.at("numberOfTests").to_number<int>()) << name;
  }
};

template <typename F>
void ForEachTest(const json::value& doc, F f) {
  for (const auto& g : doc.at("testGroups").as_array())
    for (const auto& t : g.at("tests").as_array()) f(g.as_object(), t.as_object());
}

std::string Outcome(const json::object& t) { return std::string(t.at("result").as_string()); }
std::string Id(const json::object& t) { return "tcId " + std::to_string(t.at("tcId").to_number<int>()); }

TEST(AeadWycheproofTest, AesGcm) {
  json::value doc = LoadVectors("aes_gcm_test.json");
  Counts c;
  ForEachTest(doc, [&](const json::object&, const json::object& t) {
    auto key = Field(t, "key"), iv = Field(t, "iv"), aad = Field(t, "aad"), msg = Field(t, "msg"),
         ct = Field(t, "ct"), tag = Field(t, "tag");
    std::vector<uint8_t> ct_tag = ct;
    ct_tag.insert(ct_tag.end(), tag.begin(), tag.end());
    auto gcm = AesGcm::Create(key);
    ASSERT_TRUE(gcm.ok()) << Id(t);
    std::vector<uint8_t> out(ct_tag.size() >= 16 ? ct_tag.size() - 16 : 0);
    Status open = tag.size() == 16 ? gcm->Open(iv, aad, ct_tag, out)
                                   : Status::InvalidArgument("tag size");
    if (Outcome(t) == "valid" && iv.size() > kGcmMaxNonceSize) {
      // Valid GCM, but longer nonces than OpenSSL takes: refused cleanly.
      EXPECT_EQ(open.code(), Code::kInvalidArgument) << Id(t);
      EXPECT_NE(open.message().find("nonce"), std::string::npos) << Id(t);
      ++c.unsupported;
    } else if (Outcome(t) == "valid") {
      ASSERT_TRUE(open.ok()) << Id(t) << " " << open.ToString();
      EXPECT_EQ(out, msg) << Id(t);
      std::vector<uint8_t> sealed(msg.size() + 16);
      ASSERT_TRUE(gcm->Seal(iv, aad, msg, sealed).ok()) << Id(t);
      EXPECT_EQ(sealed, ct_tag) << Id(t);
      ++c.valid;
    } else {
      ASSERT_EQ(Outcome(t), "invalid") << Id(t);
      EXPECT_FALSE(open.ok()) << Id(t) << " was accepted";
      EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](uint8_t b) { return b == 0; }))
          << Id(t) << ": unauthenticated plaintext left in the output";
      ++c.invalid;
    }
  });
  c.Report("aes_gcm_test.json", doc);
  EXPECT_EQ(c.valid, 226);
  EXPECT_EQ(c.unsupported, 3);  // 257-byte nonces
  EXPECT_EQ(c.invalid, 87);
}

TEST(AeadWycheproofTest, XChaCha20Poly1305) {
  json::value doc = LoadVectors("xchacha20_poly1305_test.json");
  Counts c;
  ForEachTest(doc, [&](const json::object&, const json::object& t) {
    auto key = Field(t, "key"), iv = Field(t, "iv"), aad = Field(t, "aad"), msg = Field(t, "msg"),
         ct = Field(t, "ct"), tag = Field(t, "tag");
    std::vector<uint8_t> ct_tag = ct;
    ct_tag.insert(ct_tag.end(), tag.begin(), tag.end());
    auto open = XChaCha20Poly1305Open(key, iv, aad, ct_tag);
    if (Outcome(t) == "valid") {
      ASSERT_TRUE(open.ok()) << Id(t) << " " << open.status().ToString();
      EXPECT_EQ(*open, msg) << Id(t);
      auto sealed = XChaCha20Poly1305Seal(key, iv, aad, msg);
      ASSERT_TRUE(sealed.ok()) << Id(t);
      EXPECT_EQ(*sealed, ct_tag) << Id(t);
      ++c.valid;
    } else {
      EXPECT_FALSE(open.ok()) << Id(t) << " was accepted";
      ++c.invalid;
    }
  });
  c.Report("xchacha20_poly1305_test.json", doc);
  EXPECT_EQ(c.valid, 246);
  EXPECT_EQ(c.invalid, 69);
}

// Both files: wrap(msg) == ct and unwrap(ct) == msg for valid cases; unwrap
// refuses invalid ones (and wrapping their message, when it has a size the
// RFC forbids, is refused too).
void KeyWrapVectors(const std::string& file, bool pad, int want_valid, int want_invalid) {
  json::value doc = LoadVectors(file);
  Counts c;
  ForEachTest(doc, [&](const json::object&, const json::object& t) {
    auto kek = Field(t, "key"), msg = Field(t, "msg"), ct = Field(t, "ct");
    auto unwrap = pad ? AesKeyUnwrapPad(kek, ct) : AesKeyUnwrap(kek, ct);
    auto wrap = pad ? AesKeyWrapPad(kek, msg) : AesKeyWrap(kek, msg);
    std::string r = Outcome(t);
    if (r == "valid") {
      ASSERT_TRUE(unwrap.ok()) << Id(t) << " " << unwrap.status().ToString();
      EXPECT_EQ(std::vector<uint8_t>(unwrap->view().begin(), unwrap->view().end()), msg) << Id(t);
      ASSERT_TRUE(wrap.ok()) << Id(t);
      EXPECT_EQ(*wrap, ct) << Id(t);
      ++c.valid;
    } else if (r == "invalid") {
      EXPECT_FALSE(unwrap.ok()) << Id(t) << " was accepted";
      ++c.invalid;
    } else {
      // RFC 3394 wraps at least 16 bytes: wrapping an 8-byte key is refused
      // in both directions here.
      if (unwrap.ok()) {
        EXPECT_EQ(std::vector<uint8_t>(unwrap->view().begin(), unwrap->view().end()), msg);
        ++c.acceptable_ok;
      } else {
        EXPECT_FALSE(wrap.ok()) << Id(t);
        ++c.acceptable_rejected;
      }
    }
  });
  c.Report(file, doc);
  EXPECT_EQ(c.valid, want_valid);
  EXPECT_EQ(c.invalid, want_invalid);
}

TEST(AeadWycheproofTest, AesKeyWrapRfc3394) { KeyWrapVectors("aes_wrap_test.json", false, 36, 126); }
TEST(AeadWycheproofTest, AesKeyWrapPadRfc5649) { KeyWrapVectors("aes_kwp_test.json", true, 77, 177); }

TEST(AeadWycheproofTest, X25519) {
  json::value doc = LoadVectors("x25519_test.json");
  Counts c;
  ForEachTest(doc, [&](const json::object&, const json::object& t) {
    auto priv = Field(t, "private"), pub = Field(t, "public"), shared = Field(t, "shared");
    auto got = X25519(priv, pub);
    bool zero = std::all_of(shared.begin(), shared.end(), [](uint8_t b) { return b == 0; });
    std::string r = Outcome(t);
    if (zero) {
      // A zero shared secret is never accepted: sealing to a low-order
      // point would give a key anyone can compute.
      EXPECT_FALSE(got.ok()) << Id(t);
      ASSERT_NE(r, "valid") << Id(t);
      ++c.acceptable_rejected;
      return;
    }
    ASSERT_TRUE(got.ok()) << Id(t) << " " << got.status().ToString();
    EXPECT_EQ(std::vector<uint8_t>(got->view().begin(), got->view().end()), shared) << Id(t);
    if (r == "valid") ++c.valid;
    else ++c.acceptable_ok;
  });
  c.Report("x25519_test.json", doc);
  EXPECT_EQ(c.valid, 264);
  EXPECT_EQ(c.invalid, 0);
}

TEST(AeadWycheproofTest, HkdfSha256) {
  json::value doc = LoadVectors("hkdf_sha256_test.json");
  Counts c;
  ForEachTest(doc, [&](const json::object&, const json::object& t) {
    auto ikm = Field(t, "ikm"), salt = Field(t, "salt"), info = Field(t, "info"), okm = Field(t, "okm");
    size_t size = t.at("size").to_number<size_t>();
    auto got = HkdfSha256(ikm, salt, info, size);
    if (Outcome(t) == "valid") {
      ASSERT_TRUE(got.ok()) << Id(t) << " " << got.status().ToString();
      EXPECT_EQ(std::vector<uint8_t>(got->view().begin(), got->view().end()), okm) << Id(t);
      ++c.valid;
    } else {
      EXPECT_FALSE(got.ok()) << Id(t);
      ++c.invalid;
    }
  });
  c.Report("hkdf_sha256_test.json", doc);
  EXPECT_EQ(c.valid, 83);
  EXPECT_EQ(c.invalid, 3);
}

TEST(AeadTest, SealRandomNonceRoundTripAndTamper) {
  std::vector<uint8_t> key(32, 7), aad{1, 2, 3}, msg{'h', 'i'};
  auto sealed = Aes256GcmSealRandomNonce(key, aad, msg);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->size(), 12 + 2 + 16u);
  auto again = Aes256GcmSealRandomNonce(key, aad, msg);
  EXPECT_NE(*sealed, *again) << "nonces must differ";
  auto open = Aes256GcmOpenRandomNonce(key, aad, *sealed);
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(std::vector<uint8_t>(open->view().begin(), open->view().end()), msg);
  for (size_t i = 0; i < sealed->size(); ++i) {
    auto bad = *sealed;
    bad[i] ^= 1;
    auto r = Aes256GcmOpenRandomNonce(key, aad, bad);
    EXPECT_EQ(r.status().code(), Code::kCorruption) << i;
  }
  std::vector<uint8_t> other_aad{1, 2, 4};
  EXPECT_EQ(Aes256GcmOpenRandomNonce(key, other_aad, *sealed).status().code(), Code::kCorruption);
  EXPECT_EQ(Aes256GcmOpenRandomNonce(key, aad, std::span(*sealed).first(27)).status().code(),
            Code::kInvalidArgument);
  std::vector<uint8_t> short_key(16, 7);
  EXPECT_EQ(Aes256GcmSealRandomNonce(short_key, aad, msg).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(AesGcm::Create(std::vector<uint8_t>(31)).status().code(), Code::kInvalidArgument);
}

TEST(AeadTest, SecretStreamRoundTripTruncationAndReorder) {
  std::vector<uint8_t> key(32, 9), ad{'a', 'd'};
  std::array<uint8_t, kSecretStreamHeaderSize> header{};
  auto push = SecretStreamPush::Create(key, header);
  ASSERT_TRUE(push.ok());
  std::vector<std::vector<uint8_t>> msgs = {{1, 2, 3}, {4, 5}, {}};
  std::vector<std::vector<uint8_t>> cts;
  for (size_t i = 0; i < msgs.size(); ++i) {
    cts.emplace_back(msgs[i].size() + kSecretStreamOverhead);
    ASSERT_TRUE(push->Push(msgs[i], ad, i + 1 == msgs.size(), cts.back()).ok());
  }
  auto pull = SecretStreamPull::Create(key, header);
  ASSERT_TRUE(pull.ok());
  for (size_t i = 0; i < cts.size(); ++i) {
    std::vector<uint8_t> out(cts[i].size() - kSecretStreamOverhead);
    auto fin = pull->Pull(cts[i], ad, out);
    ASSERT_TRUE(fin.ok());
    EXPECT_EQ(*fin, i + 1 == cts.size());
    EXPECT_EQ(out, msgs[i]);
  }
  auto reordered = SecretStreamPull::Create(key, header);
  std::vector<uint8_t> out(cts[1].size() - kSecretStreamOverhead);
  EXPECT_EQ(reordered->Pull(cts[1], ad, out).status().code(), Code::kCorruption);
}

TEST(AeadTest, X25519KeyPairsAgree) {
  X25519KeyPair a = GenerateX25519(), b = GenerateX25519();
  auto ab = X25519(a.private_key.view(), b.public_key);
  auto ba = X25519(b.private_key.view(), a.public_key);
  ASSERT_TRUE(ab.ok() && ba.ok());
  EXPECT_EQ(Hex(ab->view()), Hex(ba->view()));
  auto pub = X25519PublicFromPrivate(a.private_key.view());
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(*pub, a.public_key);
}

}  // namespace
}  // namespace cloison::crypto
