#include "vault/file_key_provider.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "vault/test_util.h"

namespace cloison::vault {
namespace {

TEST(FileKeyProviderTest, CreatesEpochOneWith0600In0700AndReopensSameKey) {
  TempDir dir;
  auto keys = dir.path() / "keys/root";
  auto p = FileKeyProvider::Open(keys);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_TRUE((*p)->RootEpochs()->empty());
  std::vector<uint8_t> key(32, 0x42);
  auto wrapped = (*p)->Wrap(key, "ops/2025-01-31");  // makes epoch 1
  ASSERT_TRUE(wrapped.ok()) << wrapped.status().ToString();
  EXPECT_EQ(wrapped->size(), kRootWrapOverhead + 32);
  EXPECT_EQ((*wrapped)[0], 1);
  EXPECT_EQ(*(*p)->RootEpochs(), std::vector<uint32_t>{1});
  struct stat st {};
  ASSERT_EQ(::stat((keys / "root-000001.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  ASSERT_EQ(::stat(keys.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_EQ((*p)->Name(), "file:" + keys.string());

  auto again = FileKeyProvider::Open(keys);
  ASSERT_TRUE(again.ok());
  auto un = (*again)->UnwrapUnder(1, *wrapped, "ops/2025-01-31");
  ASSERT_TRUE(un.ok()) << un.status().ToString();
  EXPECT_TRUE(std::equal(key.begin(), key.end(), un->view().begin(), un->view().end()));
}

TEST(FileKeyProviderTest, WrongContextTamperAndOtherRootAreCorruption) {
  TempDir a, b;
  auto pa = FileKeyProvider::Open(a.path() / "k");
  auto pb = FileKeyProvider::Open(b.path() / "k");
  ASSERT_TRUE(pa.ok() && pb.ok());
  std::vector<uint8_t> key(32, 1);
  auto w = (*pa)->Wrap(key, "ops/2025-01-31");
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*pb)->CreateRoot(1).ok());
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

TEST(FileKeyProviderTest, RotationNewEpochThenDestroyedOldRootNoLongerUnwraps) {
  TempDir dir;
  auto keys = dir.path() / "k";
  auto p = FileKeyProvider::Open(keys);
  ASSERT_TRUE(p.ok());
  std::vector<uint8_t> key(32, 7);
  auto w1 = (*p)->Wrap(key, "c/2025-01-01");
  ASSERT_TRUE(w1.ok());
  ASSERT_TRUE((*p)->CreateRoot(2).ok());
  EXPECT_EQ((*p)->CreateRoot(2).code(), Code::kAlreadyExists);
  EXPECT_EQ(*(*p)->CurrentEpoch(), 2u);
  auto w2 = (*p)->WrapUnder(2, key, "c/2025-01-01");
  ASSERT_TRUE(w2.ok());
  // Each epoch opens only its own wraps.
  EXPECT_EQ((*p)->UnwrapUnder(2, *w1, "c/2025-01-01").status().code(), Code::kCorruption);
  ASSERT_TRUE((*p)->UnwrapUnder(1, *w1, "c/2025-01-01").ok());
  auto old_bytes = [&] {
    std::ifstream in(keys / "root-000001.key", std::ios::binary);
    return std::vector<char>(std::istreambuf_iterator<char>(in), {});
  }();
  ASSERT_EQ(old_bytes.size(), 32u);
  ASSERT_TRUE((*p)->DestroyRoot(1).ok());
  EXPECT_FALSE(std::filesystem::exists(keys / "root-000001.key"));
  EXPECT_EQ(*(*p)->RootEpochs(), std::vector<uint32_t>{2});
  // Destroyed for this provider (its cache too) and for a new one.
  EXPECT_EQ((*p)->UnwrapUnder(1, *w1, "c/2025-01-01").status().code(), Code::kNotFound);
  auto q = FileKeyProvider::Open(keys);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ((*q)->UnwrapUnder(1, *w1, "c/2025-01-01").status().code(), Code::kNotFound);
  EXPECT_TRUE((*q)->UnwrapUnder(2, *w2, "c/2025-01-01").ok());
  EXPECT_EQ((*p)->DestroyRoot(1).code(), Code::kNotFound);
  EXPECT_EQ((*p)->CreateRoot(0).code(), Code::kInvalidArgument);
}

TEST(FileKeyProviderTest, RefusesKeyReadableByOthersAndWrongSize) {
  TempDir dir;
  auto keys = dir.path() / "k";
  ASSERT_TRUE((*FileKeyProvider::Open(keys))->CreateRoot(1).ok());
  auto path = keys / "root-000001.key";
  std::vector<uint8_t> key(32, 1);
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  auto w = (*FileKeyProvider::Open(keys))->Wrap(key, "x");
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(w.status().message().find("0640"), std::string::npos) << w.status().message();
  ASSERT_EQ(::chmod(path.c_str(), 0604), 0);
  EXPECT_EQ((*FileKeyProvider::Open(keys))->Wrap(key, "x").status().code(),
            Code::kFailedPrecondition);
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  { std::ofstream(path, std::ios::app) << "x"; }
  auto big = (*FileKeyProvider::Open(keys))->Wrap(key, "x");
  EXPECT_EQ(big.status().code(), Code::kCorruption);
  EXPECT_NE(big.status().message().find("33 bytes"), std::string::npos);
}

}  // namespace
}  // namespace cloison::vault
