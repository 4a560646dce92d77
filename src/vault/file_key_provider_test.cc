#include "vault/file_key_provider.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "vault/test_util.h"

namespace cloison::vault {
namespace {

TEST(FileKeyProviderTest, CreatesKeyWith0600In0700AndReopensSameKey) {
  TempDir dir;
  auto p = FileKeyProvider::Open(dir.path());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() / "keys/root.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  ASSERT_EQ(::stat((dir.path() / "keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_EQ((*p)->Name(), "file:" + (dir.path() / "keys/root.key").string());

  std::vector<uint8_t> key(32, 0x42);
  auto wrapped = (*p)->Wrap(key, "ops/2025-01-31");
  ASSERT_TRUE(wrapped.ok());
  EXPECT_EQ(wrapped->size(), kRootWrapOverhead + 32);
  EXPECT_EQ((*wrapped)[0], 1);

  auto again = FileKeyProvider::Open(dir.path());
  ASSERT_TRUE(again.ok());
  auto un = (*again)->Unwrap(*wrapped, "ops/2025-01-31");
  ASSERT_TRUE(un.ok()) << un.status().ToString();
  EXPECT_TRUE(std::equal(key.begin(), key.end(), un->view().begin(), un->view().end()));
}

TEST(FileKeyProviderTest, WrongContextTamperAndOtherRootAreCorruption) {
  TempDir a, b;
  auto pa = FileKeyProvider::Open(a.path());
  auto pb = FileKeyProvider::Open(b.path());
  ASSERT_TRUE(pa.ok() && pb.ok());
  std::vector<uint8_t> key(32, 1);
  auto w = (*pa)->Wrap(key, "ops/2025-01-31");
  ASSERT_TRUE(w.ok());
  auto ctx = (*pa)->Unwrap(*w, "ops/2025-02-01");
  EXPECT_EQ(ctx.status().code(), Code::kCorruption);
  EXPECT_NE(ctx.status().message().find("ops/2025-02-01"), std::string::npos);
  EXPECT_EQ((*pb)->Unwrap(*w, "ops/2025-01-31").status().code(), Code::kCorruption);
  for (size_t i = 1; i < w->size(); ++i) {
    auto bad = *w;
    bad[i] ^= 0x80;
    EXPECT_EQ((*pa)->Unwrap(bad, "ops/2025-01-31").status().code(), Code::kCorruption) << i;
  }
  auto badv = *w;
  badv[0] = 2;
  EXPECT_EQ((*pa)->Unwrap(badv, "ops/2025-01-31").status().code(), Code::kInvalidArgument);
  EXPECT_EQ((*pa)->Unwrap(std::span(*w).first(20), "x").status().code(), Code::kInvalidArgument);
  EXPECT_EQ((*pa)->Wrap(std::vector<uint8_t>(8), "x").status().code(), Code::kInvalidArgument);
}

TEST(FileKeyProviderTest, RefusesKeyReadableByOthersAndWrongSize) {
  TempDir dir;
  ASSERT_TRUE(FileKeyProvider::Open(dir.path()).ok());
  auto path = dir.path() / "keys/root.key";
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  auto p = FileKeyProvider::Open(dir.path());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(p.status().message().find("0640"), std::string::npos) << p.status().message();
  ASSERT_EQ(::chmod(path.c_str(), 0604), 0);
  EXPECT_EQ(FileKeyProvider::Open(dir.path()).status().code(), Code::kFailedPrecondition);
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  { std::ofstream(path, std::ios::app) << "x"; }
  auto big = FileKeyProvider::Open(dir.path());
  EXPECT_EQ(big.status().code(), Code::kCorruption);
  EXPECT_NE(big.status().message().find("33 bytes"), std::string::npos);
}

}  // namespace
}  // namespace cloison::vault
