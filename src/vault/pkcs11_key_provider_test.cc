// Pkcs11KeyProvider against a SoftHSM2 token made by the test in a temporary
// directory. scripts/setup installs softhsm2: when it is missing the test
// fails (never skips), so a machine without it cannot pass silently.
#include "vault/pkcs11_key_provider.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "vault/bucket_key.h"
#include "vault/test_util.h"

namespace cloison::vault {
namespace {

const char* kModules[] = {"/usr/lib/softhsm/libsofthsm2.so",
                          "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"};
const char* kUtil = "/usr/bin/softhsm2-util";

std::string FindModule() {
  for (const char* m : kModules)
    if (std::filesystem::exists(m)) return m;
  return "";
}

crypto::SecretBytes Pin(std::string_view s) {
  return crypto::SecretBytes(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}

// A fresh token "cloison-test" (user PIN 1234) in its own directory, with
// SOFTHSM2_CONF pointing at it for this process.
class SoftHsm {
 public:
  SoftHsm() {
    std::filesystem::create_directory(dir_.path() / "tokens");
    conf_ = dir_.path() / "softhsm2.conf";
    std::ofstream(conf_) << "directories.tokendir = " << (dir_.path() / "tokens").string()
                         << "\nobjectstore.backend = file\nlog.level = ERROR\n";
    ::setenv("SOFTHSM2_CONF", conf_.c_str(), 1);
  }
  ~SoftHsm() { ::unsetenv("SOFTHSM2_CONF"); }
  bool InitToken(const std::string& label) {
    std::string cmd = std::string("SOFTHSM2_CONF='") + conf_.string() + "' " + kUtil +
                      " --init-token --free --label " + label +
                      " --pin 1234 --so-pin 5678 >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
  }

 private:
  TempDir dir_;
  std::filesystem::path conf_;
};

class Pkcs11KeyProviderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kUtil))
        << kUtil << " is missing: install softhsm2 (scripts/setup does)";
    module_ = FindModule();
    ASSERT_FALSE(module_.empty()) << "libsofthsm2.so is missing: install softhsm2 (scripts/setup)";
    ASSERT_TRUE(hsm_.InitToken("cloison-test")) << "softhsm2-util --init-token failed";
  }
  Pkcs11Options Options() const {
    Pkcs11Options o;
    o.module_path = module_;
    o.token_label = "cloison-test";
    return o;
  }
  SoftHsm hsm_;
  std::string module_;
};

TEST_F(Pkcs11KeyProviderTest, GeneratesNonExtractableKeyAndWrapsAcrossSessions) {
  std::vector<uint8_t> wrapped;
  std::vector<uint8_t> key(32, 0x5a);
  {
    auto p = Pkcs11KeyProvider::Open(Options(), Pin("1234"));
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ((*p)->Name(), "pkcs11:cloison-test/cloison-root");
    auto w = (*p)->Wrap(key, "ops/2025-01-31");
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    EXPECT_EQ(w->size(), kRootWrapOverhead + 32);
    wrapped = *w;
    auto u = (*p)->Unwrap(wrapped, "ops/2025-01-31");
    ASSERT_TRUE(u.ok()) << u.status().ToString();
    EXPECT_TRUE(std::equal(key.begin(), key.end(), u->view().begin(), u->view().end()));
  }
  // The module was finalised; a new provider finds the same key on the token.
  Pkcs11Options o = Options();
  o.generate_if_missing = false;
  auto p = Pkcs11KeyProvider::Open(o, Pin("1234"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto u = (*p)->Unwrap(wrapped, "ops/2025-01-31");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_TRUE(std::equal(key.begin(), key.end(), u->view().begin(), u->view().end()));

  EXPECT_EQ((*p)->Unwrap(wrapped, "ops/2025-02-01").status().code(), Code::kCorruption);
  auto bad = wrapped;
  bad.back() ^= 1;
  EXPECT_EQ((*p)->Unwrap(bad, "ops/2025-01-31").status().code(), Code::kCorruption);

  // Bucket keys work the same over either provider.
  auto bk = BucketKey::Create(**p, "ops/2025-03-01");
  ASSERT_TRUE(bk.ok()) << bk.status().ToString();
  auto back = BucketKey::Unwrap(**p, "ops/2025-03-01", bk->wrapped());
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(
      std::equal(bk->key().begin(), bk->key().end(), back->key().begin(), back->key().end()));
}

TEST_F(Pkcs11KeyProviderTest, WrongPinUnknownTokenMissingKeyAndBadModule) {
  auto pin = Pkcs11KeyProvider::Open(Options(), Pin("9999"));
  EXPECT_EQ(pin.status().code(), Code::kPermissionDenied) << pin.status().ToString();
  Pkcs11Options o = Options();
  o.token_label = "no-such-token";
  EXPECT_EQ(Pkcs11KeyProvider::Open(o, Pin("1234")).status().code(), Code::kNotFound);
  o = Options();
  o.key_label = "absent";
  o.generate_if_missing = false;
  EXPECT_EQ(Pkcs11KeyProvider::Open(o, Pin("1234")).status().code(), Code::kNotFound);
  o = Options();
  o.module_path = "/nonexistent/libpkcs11.so";
  auto m = Pkcs11KeyProvider::Open(o, Pin("1234"));
  EXPECT_EQ(m.status().code(), Code::kIoError);
  EXPECT_NE(m.status().message().find("/nonexistent/libpkcs11.so"), std::string::npos);
}

TEST_F(Pkcs11KeyProviderTest, RootRotationCreatesLabelledEpochAndDestroysTheOldKey) {
  auto p = Pkcs11KeyProvider::Open(Options(), Pin("1234"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(*(*p)->RootEpochs(), std::vector<uint32_t>{1});
  std::vector<uint8_t> key(32, 0x33);
  auto w1 = (*p)->WrapUnder(1, key, "c/2025-01-01");
  ASSERT_TRUE(w1.ok()) << w1.status().ToString();
  ASSERT_TRUE((*p)->CreateRoot(2).ok());
  EXPECT_EQ((*p)->CreateRoot(2).code(), Code::kAlreadyExists);
  EXPECT_EQ(*(*p)->CurrentEpoch(), 2u);
  auto w2 = (*p)->WrapUnder(2, key, "c/2025-01-01");
  ASSERT_TRUE(w2.ok());
  EXPECT_EQ((*p)->UnwrapUnder(2, *w1, "c/2025-01-01").status().code(), Code::kCorruption);
  ASSERT_TRUE((*p)->DestroyRoot(1).ok());
  EXPECT_EQ((*p)->UnwrapUnder(1, *w1, "c/2025-01-01").status().code(), Code::kNotFound);
  EXPECT_EQ((*p)->DestroyRoot(1).code(), Code::kNotFound);
  // Another session on the token sees the same: epoch 1 is gone, 2 opens.
  Pkcs11Options o = Options();
  o.generate_if_missing = false;
  auto q = Pkcs11KeyProvider::Open(o, Pin("1234"));
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(*(*q)->RootEpochs(), std::vector<uint32_t>{2});
  EXPECT_EQ((*q)->UnwrapUnder(1, *w1, "c/2025-01-01").status().code(), Code::kNotFound);
  auto u = (*q)->UnwrapUnder(2, *w2, "c/2025-01-01");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_TRUE(std::equal(key.begin(), key.end(), u->view().begin(), u->view().end()));
}

}  // namespace
}  // namespace cloison::vault
