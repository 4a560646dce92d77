#include "vault/segment.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "vault/test_util.h"

namespace cloison::vault {
namespace {

TEST(SegmentTest, AppendsSyncReadEraseAndDestroy) {
  TempDir dir;
  auto vault = dir.path() / "vault";
  std::vector<uint8_t> a = BytesOf("first envelope"), b = BytesOf("second");
  SegmentRef ra, rb, rc;
  {
    SegmentAppender app(vault);
    auto r1 = app.Append("L852-3/2025-01-31", a);
    auto r2 = app.Append("L852-3/2025-01-31", b);
    auto r3 = app.Append("L851-1/2029-01-31", a);
    ASSERT_TRUE(r1.ok() && r2.ok() && r3.ok()) << r1.status().ToString();
    ASSERT_TRUE(app.Sync().ok());
    ra = *r1, rb = *r2, rc = *r3;
  }
  EXPECT_EQ(ra.offset, 0u);
  EXPECT_EQ(rb.offset, a.size());
  EXPECT_EQ(rc.offset, 0u);
  struct stat st {};
  ASSERT_EQ(::stat((vault / "L852-3/2025-01-31.seg").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((vault / "L852-3").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  // A new appender continues at the end.
  {
    SegmentAppender app(vault);
    auto r = app.Append("L852-3/2025-01-31", a);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->offset, a.size() + b.size());
    ASSERT_TRUE(app.Sync().ok());
  }
  EXPECT_EQ(*ReadSegment(vault, "L852-3/2025-01-31", rb), b);
  ASSERT_TRUE(EraseInSegment(vault, "L852-3/2025-01-31", ra).ok());
  EXPECT_EQ(*ReadSegment(vault, "L852-3/2025-01-31", ra), std::vector<uint8_t>(a.size(), 0));
  EXPECT_EQ(*ReadSegment(vault, "L852-3/2025-01-31", rb), b);
  EXPECT_EQ(ReadSegment(vault, "L852-3/2025-01-31", {1000, 4}).status().code(), Code::kCorruption);
  ASSERT_TRUE(DestroySegment(vault, "L852-3/2025-01-31").ok());
  EXPECT_EQ(ReadSegment(vault, "L852-3/2025-01-31", rb).status().code(), Code::kNotFound);
  EXPECT_TRUE(DestroySegment(vault, "L852-3/2025-01-31").ok());  // idempotent
  EXPECT_EQ(*ReadSegment(vault, "L851-1/2029-01-31", rc), a);
}

// Bytes filled in place and plain appends interleave in file order, across
// the buffer's flush threshold, and an appender dropped before Sync leaves
// its buffered bytes unwritten (nothing points at them).
TEST(SegmentTest, ExtendFillsInPlaceInOrderWithAppends) {
  TempDir dir;
  auto vault = dir.path() / "vault";
  const std::string id = "L852-3/2025-01-31";
  std::vector<uint8_t> expect;
  std::vector<SegmentRef> refs;
  {
    SegmentAppender app(vault);
    for (int i = 0; i < 40; ++i) {
      size_t n = i % 5 == 4 ? SegmentAppender::kFlushBytes / 3 : 1000 + i;
      auto e = app.Extend(id, n);
      ASSERT_TRUE(e.ok()) << e.status().ToString();
      ASSERT_EQ(e->bytes.size(), n);
      EXPECT_EQ(e->ref.offset, expect.size());
      for (size_t k = 0; k < n; ++k) e->bytes[k] = static_cast<uint8_t>(i + k);
      for (size_t k = 0; k < n; ++k) expect.push_back(static_cast<uint8_t>(i + k));
      refs.push_back(e->ref);
      if (i % 7 == 3) {
        std::vector<uint8_t> a = BytesOf("plain append " + std::to_string(i));
        auto r = app.Append(id, a);
        ASSERT_TRUE(r.ok());
        EXPECT_EQ(r->offset, expect.size());
        expect.insert(expect.end(), a.begin(), a.end());
      }
      if (i == 20) {
        ASSERT_TRUE(app.StartWriteback().ok());
      }
    }
    ASSERT_TRUE(app.Sync().ok());
  }
  auto all = ReadSegment(vault, id, {0, expect.size()});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_TRUE(*all == expect);
  auto one = ReadSegment(vault, id, refs[9]);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ((*one)[0], 9);
  {
    SegmentAppender app(vault);
    auto e = app.Extend(id, 10);
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->ref.offset, expect.size());
    std::fill(e->bytes.begin(), e->bytes.end(), 1);
  }
  struct stat st {};
  ASSERT_EQ(::stat((vault / "L852-3/2025-01-31.seg").c_str(), &st), 0);
  EXPECT_EQ(static_cast<size_t>(st.st_size), expect.size());
}

TEST(SegmentTest, BucketIdsThatWouldLeaveTheVaultAreRefused) {
  TempDir dir;
  for (const char* bad : {"nocompartment", "../x/2025-01-01", "a/..", "a/b/c", "/2025-01-01"}) {
    auto p = SegmentPath(dir.path(), bad);
    EXPECT_EQ(p.status().code(), Code::kInvalidArgument) << bad;
    SegmentAppender app(dir.path());
    EXPECT_FALSE(app.Append(bad, BytesOf("x")).ok()) << bad;
  }
}

}  // namespace
}  // namespace cloison::vault
