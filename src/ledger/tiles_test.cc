#include "ledger/tiles.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace cloison::ledger {
namespace {

using ::testing::HasSubstr;

std::span<const uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::string Entry(uint64_t i) {
  return "entry " + std::to_string(i) + std::string(i % 50, '.');
}

// The examples of tlog-tiles.md.
TEST(TilesTest, PathExamples) {
  EXPECT_EQ(TilePath({.level = 0, .index = 1234067, .width = 256}), "tile/0/x001/x234/067");
  EXPECT_EQ(TilePath({.level = 0, .index = 1234067, .width = 8}), "tile/0/x001/x234/067.p/8");
  EXPECT_EQ(TilePath({.level = 2, .index = 0, .width = 1}), "tile/2/000.p/1");
  EXPECT_EQ(TilePath({.level = 0, .index = 5, .width = 256, .entries = true}), "tile/entries/005");
  EXPECT_EQ(TilePath({.level = 0, .index = 273, .width = 112, .entries = true}),
            "tile/entries/273.p/112");
  EXPECT_EQ(TilePath({.level = 63, .index = 1000, .width = 255}), "tile/63/x001/000.p/255");
  EXPECT_EQ(TilePath({.level = 0, .index = UINT64_MAX, .width = 256}),
            "tile/0/x018/x446/x744/x073/x709/x551/615");

  auto id = ParseTilePath("tile/0/x001/x234/067.p/8");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, (TileId{.level = 0, .index = 1234067, .width = 8}));
  id = ParseTilePath("tile/entries/x001/x234/067");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, (TileId{.level = 0, .index = 1234067, .width = 256, .entries = true}));
  id = ParseTilePath("tile/0/x018/x446/x744/x073/x709/x551/615");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->index, UINT64_MAX);
}

TEST(TilesTest, ParseRejectsMalformed) {
  const char* bad[] = {
      "",
      "tile",
      "tile/",
      "tile/0",
      "tile/0/",
      "/tile/0/000",  // no leading slash
      "tiles/0/000",
      "tile//000",
      "tile/00/000",  // level with a leading zero
      "tile/01/000",
      "tile/64/000",  // level above 63
      "tile/-1/000",
      "tile/+1/000",
      "tile/1e1/000",
      "tile/x/000",
      "tile/entry/000",
      "tile/entries.p/000",
      "tile/0/0",  // N elements are exactly 3 digits
      "tile/0/00",
      "tile/0/0000",
      "tile/0/1234",
      "tile/0/x1234/000",
      "tile/0/x12/000",
      "tile/0/abc",
      "tile/0/0a0",
      "tile/0/ 00",
      "tile/0/x001",     // the last element has no x
      "tile/0/001/234",  // all but the last have an x
      "tile/0/x001/x234",
      "tile/0/X001/234",
      "tile/0/x000/001",  // leading zero group
      "tile/0/x000/x001/234",
      "tile/0/x018/x446/x744/x073/x709/x551/616",  // 2^64
      "tile/0/x999/x999/x999/x999/x999/x999/999",
      "tile/0/000/",
      "tile/0/000//",
      "tile/0/000.p",  // partial without width
      "tile/0/000.p/",
      "tile/0/000.p/0",  // width 1..255
      "tile/0/000.p/256",
      "tile/0/000.p/08",
      "tile/0/000.p/-1",
      "tile/0/000.p/1/",
      "tile/0/000.p/1/2",
      "tile/0/000.P/1",
      "tile/0/000.q/1",
      "tile/0/000.p1",
      "tile/0/x001.p/1/000",
      "tile/0/000/.p/1",
      "tile/entries/000.p/0",
      "tile/entries/x000/000",
      "tile/entries",
  };
  for (const char* path : bad) {
    auto id = ParseTilePath(path);
    EXPECT_FALSE(id.ok()) << "accepted \"" << path << "\" as " << TilePath(*id);
    if (!id.ok()) {
      EXPECT_EQ(id.status().code(), Code::kInvalidArgument) << path;
      EXPECT_THAT(id.status().message(), HasSubstr("tile path")) << path;
    }
  }
}

TEST(TilesTest, ParseMessagesNameThePart) {
  EXPECT_THAT(ParseTilePath("tile/01/000").status().message(),
              HasSubstr("level: got \"01\", want \"entries\" or 0..63"));
  EXPECT_THAT(ParseTilePath("tile/0/x000/001").status().message(),
              HasSubstr("index: a leading \"x000\" group is not canonical"));
  EXPECT_THAT(ParseTilePath("tile/0/1234").status().message(),
              HasSubstr("index: got element \"1234\""));
  EXPECT_THAT(ParseTilePath("tile/0/000.p/256").status().message(),
              HasSubstr("width: got \"256\", want 1..255"));
  EXPECT_THAT(ParseTilePath("tile/0/x999/x999/x999/x999/x999/x999/999").status().message(),
              HasSubstr("index: greater than 2^64 - 1"));
  EXPECT_THAT(ParseTilePath("tile/0/000/1").status().message(),
              HasSubstr("unexpected element \"1\" after the index"));
  // Long hostile paths are quoted with a bound.
  std::string long_path = "tile/0/" + std::string(5000, '9');
  EXPECT_LT(ParseTilePath(long_path).status().message().size(), 400u);
}

TEST(TilesTest, PathRoundTrip) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 2000; ++i) {
    TileId id;
    id.entries = rng() % 4 == 0;
    id.level = id.entries ? 0 : static_cast<int>(rng() % 64);
    id.index = rng() >> (rng() % 64);
    id.width = rng() % 3 == 0 ? 256 : 1 + rng() % 255;
    std::string path = TilePath(id);
    auto back = ParseTilePath(path);
    ASSERT_TRUE(back.ok()) << path << ": " << back.status().ToString();
    EXPECT_EQ(*back, id) << path;
  }
}

// tlog-tiles.md: "a tree of size 70,000 will be represented by 273 full
// level 0 tiles, one partial level 0 tile of width 112, one full level 1
// tile, one partial level 1 tile of width 17, and one partial level 2 tile of
// width 1", and a tree of size 256 by a full level 0 tile and a partial level
// 1 tile of width 1.
TEST(TilesTest, TilesForSizeExamples) {
  auto tiles = TilesForSize(70000);
  std::map<std::string, int> count;  // "L full" / "L partial W" / "entries ..."
  for (const TileId& t : tiles) {
    std::string kind = t.entries ? "entries" : std::to_string(t.level);
    kind += t.width == 256 ? " full" : " partial " + std::to_string(t.width);
    ++count[kind];
  }
  std::map<std::string, int> want = {
      {"0 full", 273},           {"0 partial 112", 1}, {"1 full", 1},
      {"1 partial 17", 1},       {"2 partial 1", 1},   {"entries full", 273},
      {"entries partial 112", 1}};
  EXPECT_EQ(count, want);
  // Order: hash tiles by level and index, then the entry bundles.
  EXPECT_EQ(tiles[0], (TileId{.level = 0, .index = 0, .width = 256}));
  EXPECT_EQ(tiles[273], (TileId{.level = 0, .index = 273, .width = 112}));
  EXPECT_EQ(tiles[274], (TileId{.level = 1, .index = 0, .width = 256}));
  EXPECT_EQ(tiles[276], (TileId{.level = 2, .index = 0, .width = 1}));
  EXPECT_EQ(tiles[277], (TileId{.level = 0, .index = 0, .width = 256, .entries = true}));

  EXPECT_EQ(TilesForSize(256),
            (std::vector<TileId>{{.level = 0, .index = 0, .width = 256},
                                 {.level = 1, .index = 0, .width = 1},
                                 {.level = 0, .index = 0, .width = 256, .entries = true}}));
  EXPECT_TRUE(TilesForSize(0).empty());
  EXPECT_EQ(TilesForSize(1),
            (std::vector<TileId>{{.level = 0, .index = 0, .width = 1},
                                 {.level = 0, .index = 0, .width = 1, .entries = true}}));
  // 2^24 - 1 leaves: a partial tile of width 255 at each of levels 0..2.
  auto big = TilesForSize((uint64_t{1} << 24) - 1);
  EXPECT_EQ(big.size(), 2 * 65536 + 256 + 1);
  EXPECT_EQ(big[65535], (TileId{.level = 0, .index = 65535, .width = 255}));
  EXPECT_EQ(big[65536 + 255], (TileId{.level = 1, .index = 255, .width = 255}));
  EXPECT_EQ(big[65536 + 256], (TileId{.level = 2, .index = 0, .width = 255}));
  EXPECT_EQ(big.back(), (TileId{.level = 0, .index = 65535, .width = 255, .entries = true}));
}

// A log of 70,000 entries (three tile levels, as in tlog-tiles.md's
// example), built once for the tests that need a large tree.
struct Log {
  std::vector<std::string> entries;
  std::vector<Hash> leaves;
  Tree tree;
};
const Log& Log70000() {
  static const Log* log = [] {
    auto* l = new Log;
    for (uint64_t i = 0; i < 70000; ++i) {
      l->entries.push_back(Entry(i));
      l->leaves.push_back(LeafHash(Bytes(l->entries.back())));
      l->tree.Append(l->leaves.back());
    }
    return l;
  }();
  return *log;
}

// The tree of 70,000 leaves: each hash of tile n at level l is
// MTH(D[(n * 256 + i) * 256^l : (n * 256 + i + 1) * 256^l]) (tlog-tiles.md).
TEST(TilesTest, HashTilesFollowTheSpecFormula) {
  const Log& log = Log70000();
  const Tree& tree = log.tree;
  std::span<const Hash> all(log.leaves);
  for (const TileId& id : TilesForSize(tree.size())) {
    if (id.entries || (id.level == 0 && id.index % 50 != 0 && id.width == 256)) continue;
    auto content = HashTile(tree, id);
    ASSERT_TRUE(content.ok()) << TilePath(id) << ": " << content.status().ToString();
    ASSERT_EQ(content->size(), id.width * 32) << TilePath(id);
    const uint64_t span = uint64_t{1} << (8 * id.level);
    for (uint64_t i = 0; i < id.width; ++i) {
      // At level 1, a sample of the full tile's hashes (each costs 255 hashings).
      if (id.level == 1 && id.width == 256 && i % 32 != 0 && i != 255) continue;
      Hash want = RootOf(all.subspan((id.index * 256 + i) * span, span));
      ASSERT_EQ(content->substr(i * 32, 32),
                std::string(reinterpret_cast<const char*>(want.data()), 32))
          << TilePath(id) << " hash " << i;
    }
  }
}

TEST(TilesTest, HashTileErrors) {
  Tree tree;
  for (int i = 0; i < 300; ++i) tree.Append(LeafHash(Bytes(Entry(i))));
  EXPECT_TRUE(HashTile(tree, {.level = 0, .index = 1, .width = 44}).ok());
  EXPECT_TRUE(HashTile(tree, {.level = 0, .index = 1, .width = 3}).ok());  // an older partial
  EXPECT_TRUE(HashTile(tree, {.level = 1, .index = 0, .width = 1}).ok());
  auto s = HashTile(tree, {.level = 0, .index = 1, .width = 45}).status();
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_THAT(s.message(), HasSubstr("tile/0/001.p/45: covers leaves the tree of size 300"));
  EXPECT_EQ(HashTile(tree, {.level = 0, .index = 2, .width = 1}).status().code(), Code::kNotFound);
  EXPECT_EQ(HashTile(tree, {.level = 1, .index = 0, .width = 2}).status().code(), Code::kNotFound);
  EXPECT_EQ(HashTile(tree, {.level = 2, .index = 0, .width = 1}).status().code(), Code::kNotFound);
  EXPECT_EQ(HashTile(tree, {.level = 9, .index = 0, .width = 1}).status().code(), Code::kNotFound);
  EXPECT_EQ(HashTile(tree, {.level = 0, .index = UINT64_MAX, .width = 256}).status().code(),
            Code::kNotFound);
  EXPECT_THAT(HashTile(tree, {.level = 0, .index = 0, .width = 0}).status().message(),
              HasSubstr("tile width: got 0, want 1..256"));
  EXPECT_THAT(HashTile(tree, {.level = 64, .index = 0, .width = 1}).status().message(),
              HasSubstr("tile level: got 64, want 0..63"));
  EXPECT_THAT(
      HashTile(tree, {.level = 0, .index = 0, .width = 5, .entries = true}).status().message(),
      HasSubstr("an entry bundle, not a hash tile"));
}

// Publishes every tile of a log of `size` entries into a map by path, as the
// HTTP server would, from entries Entry(0..size-1).
std::map<std::string, std::string> Publish(const Tree& tree,
                                           const std::vector<std::string>& entries) {
  std::map<std::string, std::string> files;
  for (const TileId& id : TilesForSize(tree.size())) {
    if (id.entries) {
      std::vector<std::string> bundle(entries.begin() + id.index * 256,
                                      entries.begin() + id.index * 256 + id.width);
      files[TilePath(id)] = *EncodeEntryBundle(bundle);
    } else {
      files[TilePath(id)] = *HashTile(tree, id);
    }
  }
  return files;
}

// Property: for logs of random sizes, the root recomputed from the published
// hash tiles alone equals Tree::Root(), and every entry bundle hashes to its
// level 0 tile.
TEST(TilesTest, RootFromPublishedTiles) {
  const Log& log = Log70000();
  const Tree& tree = log.tree;
  std::mt19937_64 rng(70000);
  std::vector<uint64_t> sizes = {1, 2, 255, 256, 257, 511, 512, 513, 65535, 65536, 65537, 70000};
  for (int i = 0; i < 12; ++i) sizes.push_back(1 + rng() % 70000);
  std::sort(sizes.begin(), sizes.end());
  for (uint64_t size : sizes) {
    SCOPED_TRACE("size " + std::to_string(size));
    // The reader serves only what a log of this size publishes.
    std::set<std::string> published;
    for (const TileId& id : TilesForSize(size)) published.insert(TilePath(id));
    std::vector<std::string> read;
    TileReader reader = [&](const TileId& id) -> Result<std::string> {
      read.push_back(TilePath(id));
      if (published.count(TilePath(id)) == 0) {
        return Status::NotFound("not published: " + TilePath(id));
      }
      return HashTile(tree, id);
    };
    auto root = RootFromTiles(size, reader);
    ASSERT_TRUE(root.ok()) << root.status().ToString();
    EXPECT_EQ(*root, *tree.Root(size));
    EXPECT_LE(read.size(), 8u);  // at most one tile per level and partial
  }
  // Every entry bundle of the log decodes; some are hashed against their
  // level 0 tile.
  auto files = Publish(tree, log.entries);
  int bundles = 0;
  for (const auto& [path, content] : files) {
    auto id = *ParseTilePath(path);
    if (!id.entries) continue;
    ++bundles;
    // Hash the entries of a few bundles: the first, the last full, the partial.
    if (id.index != 0 && id.index < 272) continue;
    auto bundle = DecodeEntryBundle(content, id.width);
    ASSERT_TRUE(bundle.ok()) << path << ": " << bundle.status().ToString();
    std::string level0 = files.at(TilePath({.level = 0, .index = id.index, .width = id.width}));
    for (size_t i = 0; i < bundle->size(); ++i) {
      Hash h = LeafHash(Bytes((*bundle)[i]));
      ASSERT_EQ(level0.substr(i * 32, 32), std::string(reinterpret_cast<char*>(h.data()), 32));
    }
  }
  EXPECT_EQ(bundles, 274);
}

TEST(TilesTest, RootFromTilesDetectsBadTiles) {
  Tree tree;
  std::vector<std::string> entries;
  for (int i = 0; i < 700; ++i) {
    entries.push_back(Entry(i));
    tree.Append(LeafHash(Bytes(entries.back())));
  }
  auto files = Publish(tree, entries);
  auto reader = [&](const TileId& id) -> Result<std::string> {
    auto it = files.find(TilePath(id));
    if (it == files.end()) return Status::NotFound("not published: " + TilePath(id));
    return it->second;
  };
  ASSERT_EQ(*RootFromTiles(700, reader), tree.Root());
  EXPECT_EQ(*RootFromTiles(0, reader), EmptyRoot());
  // A flipped bit in a tile changes the root.
  files["tile/0/002.p/188"][5] ^= 1;
  EXPECT_NE(*RootFromTiles(700, reader), tree.Root());
  files["tile/0/002.p/188"][5] ^= 1;
  // A short tile is an error naming it.
  files["tile/1/000.p/2"].pop_back();
  EXPECT_THAT(RootFromTiles(700, reader).status().message(),
              HasSubstr("tile tile/1/000.p/2: got 63 bytes, want 64"));
  // A missing tile is the reader's error.
  files.erase("tile/1/000.p/2");
  EXPECT_EQ(RootFromTiles(700, reader).status().code(), Code::kNotFound);
}

TEST(TilesTest, EntryBundleRoundTrip) {
  std::vector<std::string> entries = {"", "a", std::string(65535, 'x'), std::string(300, '\0')};
  auto bundle = EncodeEntryBundle(entries);
  ASSERT_TRUE(bundle.ok());
  EXPECT_EQ(bundle->size(), 2 * 4 + 0 + 1 + 65535 + 300);
  EXPECT_EQ(bundle->substr(0, 5), std::string("\0\0\0\1a", 5));
  EXPECT_EQ(bundle->substr(5, 2), "\xff\xff");
  EXPECT_EQ(*DecodeEntryBundle(*bundle), entries);
  EXPECT_EQ(*DecodeEntryBundle(*bundle, 4), entries);
  // SplitEntryBundle: the same entries, as views into the bundle.
  auto views = SplitEntryBundle(*bundle, 4);
  ASSERT_TRUE(views.ok());
  ASSERT_EQ(views->size(), 4u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ((*views)[i], entries[i]);
  EXPECT_EQ((*views)[1].data(), bundle->data() + 4);
  EXPECT_THAT(SplitEntryBundle(*bundle, 3).status().message(), HasSubstr("over-long: 3 entries"));

  std::vector<std::string> full(256, "e");
  EXPECT_EQ(*DecodeEntryBundle(*EncodeEntryBundle(full)), full);
}

TEST(TilesTest, EntryBundleErrors) {
  EXPECT_THAT(EncodeEntryBundle({}).status().message(), HasSubstr("got 0 entries, want 1..256"));
  EXPECT_THAT(EncodeEntryBundle(std::vector<std::string>(257, "e")).status().message(),
              HasSubstr("got 257 entries, want 1..256"));
  EXPECT_THAT(EncodeEntryBundle({"a", std::string(65536, 'x')}).status().message(),
              HasSubstr("entry 1: got 65536 bytes, want <= 65535"));

  EXPECT_THAT(DecodeEntryBundle("").status().message(), HasSubstr("empty"));
  // "\0\1a" is one entry; then a lone length byte at offset 3.
  EXPECT_THAT(DecodeEntryBundle(std::string("\0\1a\0", 4)).status().message(),
              HasSubstr("truncated at byte offset 3: entry 1 needs a 2-byte length"));
  EXPECT_THAT(DecodeEntryBundle(std::string("\0\1a\0\5abc", 8)).status().message(),
              HasSubstr("truncated at byte offset 3: entry 1 declares 5 bytes, 3 left"));
  // 257 entries: over-long after the 256th.
  std::string over = *EncodeEntryBundle(std::vector<std::string>(256, "e"));
  const size_t end = over.size();
  over += std::string("\0\0", 2);
  EXPECT_THAT(DecodeEntryBundle(over).status().message(),
              HasSubstr("over-long: 256 entries end at byte offset " + std::to_string(end)));
  // With the width of the path.
  std::string two = *EncodeEntryBundle({"ab", "c"});
  EXPECT_EQ(DecodeEntryBundle(two, 2)->size(), 2u);
  EXPECT_THAT(DecodeEntryBundle(two, 1).status().message(),
              HasSubstr("over-long: 1 entries end at byte offset 4, 3 bytes follow"));
  EXPECT_THAT(DecodeEntryBundle(two, 3).status().message(),
              HasSubstr("got 2 entries ending at byte offset 7, want 3"));
  EXPECT_THAT(DecodeEntryBundle(two, 0).status().message(), HasSubstr("width: got 0"));
  EXPECT_THAT(DecodeEntryBundle(two, 257).status().message(), HasSubstr("width: got 257"));
}

}  // namespace
}  // namespace cloison::ledger
