#include "vault/envelope.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "vault/file_key_provider.h"
#include "vault/test_util.h"

namespace cloison::vault {
namespace {

BucketKey FixedBucket(std::string id = "ops/2025-01-31", uint8_t first = 0) {
  std::vector<uint8_t> k(32);
  for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(first + i);
  auto b = BucketKey::FromBytes(id, k);
  EXPECT_TRUE(b.ok());
  return std::move(b).value();
}

std::vector<uint8_t> Pattern(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 31 + 7);
  return v;
}

TEST(EnvelopeTest, RoundTripAtChunkBoundaries) {
  BucketKey bucket = FixedBucket();
  EnvelopeOptions o;
  o.chunk_size = 64;
  for (size_t n : {0, 1, 63, 64, 65, 128, 129, 1000}) {
    auto content = Pattern(n);
    auto env = SealEnvelope(bucket, "item-1", content, o);
    ASSERT_TRUE(env.ok()) << env.status().ToString();
    auto h = ParseEnvelopeHeader(*env);
    ASSERT_TRUE(h.ok());
    size_t chunks = n == 0 ? 1 : (n + 63) / 64;
    EXPECT_EQ(env->size(), h->encoded_size + n + 16 * chunks) << n;
    auto back = OpenEnvelope(bucket, "item-1", *env);
    ASSERT_TRUE(back.ok()) << n << " " << back.status().ToString();
    EXPECT_EQ(*back, content) << n;
  }
}

TEST(EnvelopeTest, StreamsInAnyPieces) {
  BucketKey bucket = FixedBucket();
  auto content = Pattern(300 * 1024 + 17);
  std::vector<uint8_t> env;
  auto w = EnvelopeWriter::Create(bucket, "item-2", [&](std::span<const uint8_t> b) {
    env.insert(env.end(), b.begin(), b.end());
    return Status::Ok();
  });
  ASSERT_TRUE(w.ok());
  for (size_t pos = 0; pos < content.size(); pos += 7777) {
    size_t n = std::min<size_t>(7777, content.size() - pos);
    ASSERT_TRUE((*w)->Write(std::span(content).subspan(pos, n)).ok());
  }
  ASSERT_TRUE((*w)->Finish().ok());
  EXPECT_EQ((*w)->Write(content).code(), Code::kFailedPrecondition);
  std::vector<uint8_t> out;
  auto r = EnvelopeReader::Create(bucket, "item-2", [&](std::span<const uint8_t> b) {
    out.insert(out.end(), b.begin(), b.end());
    return Status::Ok();
  });
  ASSERT_TRUE(r.ok());
  for (size_t pos = 0; pos < env.size(); pos += 4099) {
    size_t n = std::min<size_t>(4099, env.size() - pos);
    ASSERT_TRUE((*r)->Write(std::span(env).subspan(pos, n)).ok());
  }
  ASSERT_TRUE((*r)->Finish().ok());
  EXPECT_EQ(out, content);
}

TEST(EnvelopeTest, TruncatedForgedReorderedAndWrongKeyAreCleanErrors) {
  BucketKey bucket = FixedBucket();
  EnvelopeOptions o;
  o.chunk_size = 32;
  auto content = Pattern(100);  // 4 chunks: 32, 32, 32, 4
  auto env = SealEnvelope(bucket, "item-3", content, o);
  ASSERT_TRUE(env.ok());
  size_t hs = ParseEnvelopeHeader(*env)->encoded_size;

  // Every truncation fails, in the header (naming the field) or the body.
  for (size_t n = 0; n < env->size(); ++n) {
    auto r = OpenEnvelope(bucket, "item-3", std::span(*env).first(n));
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.status().code(), Code::kCorruption) << n << " " << r.status().ToString();
  }
  // Truncation exactly at a chunk boundary: the last remaining chunk was not final.
  auto cut = OpenEnvelope(bucket, "item-3", std::span(*env).first(hs + 2 * 48));
  EXPECT_NE(cut.status().message().find("chunk 1"), std::string::npos) << cut.status().message();
  // Every flipped bit fails.
  for (size_t i = 0; i < env->size(); ++i) {
    auto bad = *env;
    bad[i] ^= 0x01;
    auto r = OpenEnvelope(bucket, "item-3", bad);
    EXPECT_FALSE(r.ok()) << i;
  }
  // Swapping two chunks.
  auto swapped = *env;
  std::swap_ranges(swapped.begin() + hs, swapped.begin() + hs + 48, swapped.begin() + hs + 48);
  auto sw = OpenEnvelope(bucket, "item-3", swapped);
  EXPECT_EQ(sw.status().code(), Code::kCorruption);
  EXPECT_NE(sw.status().message().find("chunk 0"), std::string::npos);
  // Extra bytes after the final chunk.
  auto longer = *env;
  longer.push_back(0);
  EXPECT_EQ(OpenEnvelope(bucket, "item-3", longer).status().code(), Code::kCorruption);
  // Wrong key for the same bucket id.
  auto wrong = OpenEnvelope(FixedBucket("ops/2025-01-31", 1), "item-3", *env);
  EXPECT_EQ(wrong.status().code(), Code::kCorruption);
  EXPECT_NE(wrong.status().message().find("data key"), std::string::npos);
  // Another item or another bucket.
  auto other = OpenEnvelope(bucket, "item-4", *env);
  EXPECT_EQ(other.status().code(), Code::kInvalidArgument);
  EXPECT_NE(other.status().message().find("item id"), std::string::npos);
  EXPECT_EQ(OpenEnvelope(FixedBucket("ops/2025-02-01"), "item-3", *env).status().code(),
            Code::kInvalidArgument);
  // A header rewritten to claim another item, with the same wrapped key.
  auto claimed = *env;
  claimed[11 + 5] = '4';  // "item-3" -> "item-4"
  EXPECT_EQ(OpenEnvelope(bucket, "item-4", claimed).status().code(), Code::kCorruption);
  // Garbage.
  EXPECT_EQ(OpenEnvelope(bucket, "item-3", BytesOf("hello")).status().code(), Code::kCorruption);
  // Bad arguments.
  EXPECT_EQ(SealEnvelope(bucket, "", content).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(SealEnvelope(bucket, "has space", content).status().code(), Code::kInvalidArgument);
  o.chunk_size = 3;
  EXPECT_EQ(SealEnvelope(bucket, "x", content, o).status().code(), Code::kInvalidArgument);
}

TEST(EnvelopeTest, RewrapMovesToAnotherBucketWithoutTouchingTheBody) {
  TempDir dir;
  auto root = FileKeyProvider::Open(dir.path());
  ASSERT_TRUE(root.ok());
  auto b1 = BucketKey::Create(**root, "ops/2025-01-31");
  auto b2 = BucketKey::Create(**root, "ops/2031-01-31");
  ASSERT_TRUE(b1.ok() && b2.ok());
  auto content = Pattern(200000);
  auto env = SealEnvelope(*b1, "item-5", content);
  ASSERT_TRUE(env.ok());
  auto h = ParseEnvelopeHeader(*env);
  auto header = RewrapEnvelopeHeader(*env, *b1, *b2);
  ASSERT_TRUE(header.ok()) << header.status().ToString();
  std::vector<uint8_t> moved = *header;
  moved.insert(moved.end(), env->begin() + h->encoded_size, env->end());
  auto back = OpenEnvelope(*b2, "item-5", moved);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, content);
  EXPECT_FALSE(OpenEnvelope(*b1, "item-5", moved).ok());
  // After the old bucket key is gone, the old envelope cannot be opened by
  // any key the root can give (crypto-shredding of the bucket).
  auto b1_again = BucketKey::Create(**root, "ops/2025-01-31");
  EXPECT_EQ(OpenEnvelope(*b1_again, "item-5", *env).status().code(), Code::kCorruption);
  EXPECT_EQ(RewrapEnvelopeHeader(*env, *b2, *b1).status().code(), Code::kInvalidArgument);
}

// The frozen fixture of doc/formats/envelope.md: made once with the fixed
// keys and randomness below. The current code must open it, and re-make it
// byte for byte, so that a format change cannot slip in unnoticed.
TEST(EnvelopeTest, FrozenFixtureV1) {
  std::string dir = std::string(CLOISON_SOURCE_DIR) + "/testdata/vault/";
  BucketKey bucket = FixedBucket("ops/2025-01-31", 0);
  std::string text =
      "Cloison envelope fixture v1. Fixed keys, fixed randomness; never regenerate it in place.";
  std::vector<uint8_t> content = BytesOf(text);
  EnvelopeOptions o;
  o.chunk_size = 32;
  o.random = FixedRandom(0x80);
  auto made = SealEnvelope(bucket, "item-0001", content, o);
  ASSERT_TRUE(made.ok());
  if (std::getenv("CLOISON_WRITE_FIXTURES")) {
    std::ofstream(dir + "envelope-v1.bin", std::ios::binary)
        .write(reinterpret_cast<const char*>(made->data()), made->size());
  }
  std::ifstream in(dir + "envelope-v1.bin", std::ios::binary);
  ASSERT_TRUE(in) << "missing " << dir << "envelope-v1.bin";
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<uint8_t> fixture = BytesOf(ss.str());
  auto opened = OpenEnvelope(bucket, "item-0001", fixture);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, content);
  EXPECT_EQ(*made, fixture) << "the envelope format changed: add a version, keep this fixture";
  auto h = ParseEnvelopeHeader(fixture);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->chunk_size, 32u);
  EXPECT_EQ(h->bucket_id, "ops/2025-01-31");
  EXPECT_EQ(h->encoded_size, 10 + 10 + 15 + 61u);
  EXPECT_EQ(fixture.size(), h->encoded_size + content.size() + 16 * 3);
}

// The batch sealer writes what SealEnvelope writes: the frozen fixture,
// byte for byte, from the same randomness.
TEST(EnvelopeSealerTest, MakesTheFrozenFixture) {
  std::string dir = std::string(CLOISON_SOURCE_DIR) + "/testdata/vault/";
  BucketKey bucket = FixedBucket("ops/2025-01-31", 0);
  std::vector<uint8_t> content = BytesOf(
      "Cloison envelope fixture v1. Fixed keys, fixed randomness; never regenerate it in place.");
  EnvelopeOptions o;
  o.chunk_size = 32;
  o.random = FixedRandom(0x80);
  auto sealer = EnvelopeSealer::Create(bucket, o);
  ASSERT_TRUE(sealer.ok()) << sealer.status().ToString();
  std::vector<uint8_t> out(sealer->EnvelopeSize("item-0001", content.size()));
  auto header = sealer->Seal("item-0001", content, out);
  ASSERT_TRUE(header.ok()) << header.status().ToString();
  std::ifstream in(dir + "envelope-v1.bin", std::ios::binary);
  ASSERT_TRUE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(out, BytesOf(ss.str()));
  EXPECT_EQ(*header, 10 + 10 + 15 + 61u);
}

// From the OS generator, in bulk: every size around the chunk boundaries
// opens, over more items than one draw serves, and no two items share a
// data key (their wraps differ, and each opens only as itself).
TEST(EnvelopeSealerTest, RoundTripsWithAFreshDataKeyPerItem) {
  BucketKey bucket = FixedBucket();
  EnvelopeOptions o;
  o.chunk_size = 64;
  auto sealer = EnvelopeSealer::Create(bucket, o);
  ASSERT_TRUE(sealer.ok());
  const size_t sizes[] = {0, 1, 63, 64, 65, 128, 200};
  std::set<std::vector<uint8_t>> wraps;
  for (int i = 0; i < 300; ++i) {
    std::string id = "item-" + std::to_string(i);
    std::vector<uint8_t> content = Pattern(sizes[i % 7]);
    std::vector<uint8_t> out(sealer->EnvelopeSize(id, content.size()));
    auto header = sealer->Seal(id, content, out);
    ASSERT_TRUE(header.ok()) << header.status().ToString();
    auto h = ParseEnvelopeHeader(out);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->encoded_size, *header);
    wraps.insert(h->wrapped_data_key);
    auto opened = OpenEnvelope(bucket, id, out);
    ASSERT_TRUE(opened.ok()) << id << ": " << opened.status().ToString();
    EXPECT_EQ(*opened, content);
  }
  EXPECT_EQ(wraps.size(), 300u);
  std::vector<uint8_t> content = Pattern(10);
  std::vector<uint8_t> small(sealer->EnvelopeSize("item-x", 10) - 1);
  EXPECT_EQ(sealer->Seal("item-x", content, small).status().code(), Code::kInvalidArgument);
  std::vector<uint8_t> out(sealer->EnvelopeSize("bad id", 10));
  EXPECT_EQ(sealer->Seal("bad id", content, out).status().code(), Code::kInvalidArgument);
}

TEST(BucketKeyTest, IdsAndWrapping) {
  auto id = BucketId("dgsi.ops", std::chrono::year{2025} / 1 / 31);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "dgsi.ops/2025-01-31");
  EXPECT_EQ(BucketId("a/b", std::chrono::year{2025} / 1 / 31).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(BucketId("", std::chrono::year{2025} / 1 / 31).status().code(),
            Code::kInvalidArgument);
  TempDir dir;
  auto root = FileKeyProvider::Open(dir.path());
  ASSERT_TRUE(root.ok());
  auto b = BucketKey::Create(**root, *id);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(BucketKey::Unwrap(**root, "dgsi.ops/2025-02-01", b->wrapped()).status().code(),
            Code::kCorruption);
  EXPECT_EQ(BucketKey::FromBytes("x", std::vector<uint8_t>(31)).status().code(),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace cloison::vault
