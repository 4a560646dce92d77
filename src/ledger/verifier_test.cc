// The verifier against logs built here, independently of the tile code it
// uses (tile paths, tile contents and bundles are written from the C2SP
// tlog-tiles text), then tampered with.
#include "ledger/verifier.h"

#include <cloison/verifier.h>  // the public header re-exports the same API
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "ledger/tiles.h"
#include "ledger/tree.h"

namespace cloison::ledger {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Hash Leaf(const std::string& e) {
  return LeafHash(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(e.data()), e.size()));
}

// tlog-tiles.md: "<L>/<N>[.p/<W>]", N in 3-digit groups, all but the last
// prefixed with "x".
std::string PathOf(const std::string& level, uint64_t n, uint64_t width) {
  std::vector<unsigned> groups;
  do {
    groups.insert(groups.begin(), static_cast<unsigned>(n % 1000));
    n /= 1000;
  } while (n > 0);
  std::string p = "tile/" + level;
  for (size_t i = 0; i < groups.size(); ++i) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%s%03u", i + 1 < groups.size() ? "x" : "", groups[i]);
    p += "/" + std::string(buf);
  }
  if (width < 256) p += ".p/" + std::to_string(width);
  return p;
}

std::string Concat(const std::vector<Hash>& hs, size_t from, size_t n) {
  std::string out;
  for (size_t i = from; i < from + n; ++i)
    out.append(reinterpret_cast<const char*>(hs[i].data()), 32);
  return out;
}

class MemorySource final : public TileSource {
 public:
  explicit MemorySource(std::map<std::string, std::string> files) : files(std::move(files)) {}
  Result<std::string> Fetch(std::string_view path) override {
    ++fetches;
    auto it = files.find(std::string(path));
    if (it == files.end()) return Status::NotFound(std::string(path) + ": not found");
    return it->second;
  }
  std::map<std::string, std::string> files;
  int fetches = 0;
};

struct TestLog {
  Signer signer;
  std::vector<std::string> entries;
  std::map<std::string, std::string> files;
  Hash root{};
  Verifier key() const { return VerifierOf(signer); }
  MemorySource Source() const { return MemorySource(files); }
};

std::string SignCheckpoint(const Signer& s, uint64_t size, const Hash& root,
                           std::vector<std::string> ext = {}) {
  Note n{FormatCheckpoint({s.name, size, root, std::move(ext)}), {}};
  SignNote(n, s);
  return FormatNote(n);
}

// Builds the tiles, bundles and checkpoint of `entries` from the spec alone.
void Build(TestLog& log) {
  std::vector<Hash> level;
  for (const auto& e : log.entries) level.push_back(Leaf(e));
  log.root = RootOf(level);
  const uint64_t size = level.size();
  for (uint64_t n = 0; n * 256 < size; ++n) {
    uint64_t w = std::min<uint64_t>(256, size - n * 256);
    std::string bundle;
    for (uint64_t i = n * 256; i < n * 256 + w; ++i) {
      const std::string& e = log.entries[i];
      bundle.push_back(static_cast<char>(e.size() >> 8));
      bundle.push_back(static_cast<char>(e.size() & 0xff));
      bundle += e;
    }
    log.files[PathOf("entries", n, w)] = bundle;
  }
  for (int l = 0; !level.empty(); ++l) {
    std::vector<Hash> up;
    for (uint64_t n = 0; n * 256 < level.size(); ++n) {
      uint64_t w = std::min<uint64_t>(256, level.size() - n * 256);
      log.files[PathOf(std::to_string(l), n, w)] = Concat(level, n * 256, w);
      if (w == 256) up.push_back(RootOf(std::span<const Hash>(level).subspan(n * 256, 256)));
    }
    level = std::move(up);
  }
  log.files["checkpoint"] = SignCheckpoint(log.signer, size, log.root);
}

TestLog MakeLog(uint64_t size, std::string origin = "example.com/test-log") {
  TestLog log{GenerateSigner(origin), {}, {}, {}};
  for (uint64_t i = 0; i < size; ++i)
    log.entries.push_back("entry " + std::to_string(i) + " of the log");
  Build(log);
  return log;
}

// Offset of entry `i`'s first content byte within its bundle.
size_t OffsetInBundle(const TestLog& log, uint64_t i) {
  size_t off = 0;
  for (uint64_t k = (i / 256) * 256; k < i; ++k) off += 2 + log.entries[k].size();
  return off + 2;
}

TEST(PathOfTest, MatchesTheSpecExamples) {
  EXPECT_EQ(PathOf("0", 1234067, 256), "tile/0/x001/x234/067");
  EXPECT_EQ(PathOf("0", 0, 5), "tile/0/000.p/5");
  EXPECT_EQ(PathOf("entries", 1000, 256), "tile/entries/x001/000");
  EXPECT_EQ(TilePath({0, 1234067, 256, false}), "tile/0/x001/x234/067");
}

TEST(VerifierTest, VerifiesLogsOfEverySizeShape) {
  // Empty, one partial tile, exactly full, full + 1, several levels.
  for (uint64_t size : {0, 1, 2, 255, 256, 257, 511, 512, 600, 65536, 65536 + 256 * 3 + 7}) {
    TestLog log = MakeLog(size);
    MemorySource src = log.Source();
    auto r = VerifyLog(src, log.key(), "", std::nullopt);
    ASSERT_TRUE(r.ok()) << size << ": " << r.status().ToString();
    EXPECT_EQ(r->entries, size);
    EXPECT_EQ(r->checkpoint.size, size);
    EXPECT_EQ(r->checkpoint.root, log.root);
    // Every file of the log was needed, and fetched once.
    EXPECT_EQ(r->hash_tiles + r->entry_bundles + 1, log.files.size()) << size;
    EXPECT_EQ(static_cast<size_t>(src.fetches), log.files.size()) << size;
    EXPECT_FALSE(r->consistent_with_size);
  }
}

TEST(VerifierTest, AcceptsAnyC2spLog) {
  // Binary entries, the largest entry the format allows, an empty entry,
  // checkpoint extension lines and a cosignature by a key we do not know:
  // nothing Cloison-specific is assumed.
  TestLog log{GenerateSigner("log.example.org/binary"), {}, {}, {}};
  log.entries.push_back(std::string("\0\x01\xff\n", 4));
  log.entries.push_back(std::string(65535, '\xab'));
  log.entries.push_back("");
  for (int i = 0; i < 300; ++i) log.entries.push_back(std::string(i % 7, static_cast<char>(i)));
  Build(log);
  Note n{FormatCheckpoint({log.signer.name, log.entries.size(), log.root, {"extension line"}}), {}};
  SignNote(n, log.signer);
  Signer witness = GenerateWitnessSigner("witness.example");
  Cosign(n, witness, 1700000000);
  log.files["checkpoint"] = FormatNote(n);
  MemorySource src = log.Source();
  auto r = VerifyLog(src, log.key(), "log.example.org/binary", std::nullopt);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->entries, log.entries.size());
  EXPECT_THAT(r->other_signers, ::testing::ElementsAre("witness.example"));
}

TEST(VerifierTest, TilesAsTheLedgerWritesThemAreTheSpecs) {
  // The ledger's own tile code (tiles.h, tree.h) against this test's builder.
  TestLog log = MakeLog(65536 + 600);
  Tree tree;
  for (const auto& e : log.entries) tree.Append(Leaf(e));
  size_t n = 0;
  for (const TileId& id : TilesForSize(log.entries.size())) {
    ++n;
    const std::string path = TilePath(id);
    ASSERT_TRUE(log.files.count(path)) << path;
    if (id.entries) {
      std::vector<std::string> es(log.entries.begin() + id.index * 256,
                                  log.entries.begin() + id.index * 256 + id.width);
      auto b = EncodeEntryBundle(es);
      ASSERT_TRUE(b.ok());
      EXPECT_EQ(*b, log.files.at(path)) << path;
    } else {
      auto t = HashTile(tree, id);
      ASSERT_TRUE(t.ok()) << path;
      EXPECT_EQ(*t, log.files.at(path)) << path;
    }
  }
  EXPECT_EQ(n + 1, log.files.size());
}

// --- Tampering: each case fails, naming the first bad index. ---

class TamperTest : public ::testing::Test {
 protected:
  TestLog log = MakeLog(600);  // bundles/tiles 000 (256), 001 (256), 002.p/88; level 1: 000.p/2
  Status Verify() {
    MemorySource src = log.Source();
    auto r = VerifyLog(src, log.key(), "", std::nullopt);
    return r.status();
  }
  std::string& File(const std::string& p) { return log.files.at(p); }
};

TEST_F(TamperTest, Untouched) {
  EXPECT_TRUE(Verify().ok());
}

TEST_F(TamperTest, FlippedEntryByte) {
  File("tile/entries/001")[OffsetInBundle(log, 300) + 3] ^= 0x01;
  Status s = Verify();
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_THAT(s.message(), StartsWith("index 300: tile/entries/001: entry 300"));
  EXPECT_THAT(s.message(), HasSubstr("tile/0/001"));
}

TEST_F(TamperTest, FlippedLengthPrefix) {
  File("tile/entries/000")[OffsetInBundle(log, 17) - 1] ^= 0x04;
  EXPECT_THAT(Verify().message(), StartsWith("index 17: "));
}

TEST_F(TamperTest, FlippedLevel0Hash) {
  File("tile/0/001")[10 * 32 + 5] ^= 0x80;
  Status s = Verify();
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_THAT(s.message(), StartsWith("index 266: "));
}

TEST_F(TamperTest, FlippedLevel1Hash) {
  File("tile/1/000.p/2")[32 + 31] ^= 0x01;
  Status s = Verify();
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_THAT(s.message(), StartsWith("index 256: tile/1/000.p/2: hash 1"));
  EXPECT_THAT(s.message(), HasSubstr("tile/0/001 (entries 256-511)"));
}

TEST_F(TamperTest, DeletedEntry) {
  std::string& b = File("tile/entries/001");
  size_t off = OffsetInBundle(log, 260) - 2;
  b.erase(off, 2 + log.entries[260].size());
  EXPECT_THAT(Verify().message(), StartsWith("index 260: "));
}

TEST_F(TamperTest, DeletedLastEntry) {
  std::string& b = File("tile/entries/002.p/88");
  b.resize(OffsetInBundle(log, 599) - 2);
  Status s = Verify();
  EXPECT_THAT(s.message(), StartsWith("index 599: "));
  EXPECT_THAT(s.message(), HasSubstr("ends after 87 entries, want 88"));
}

TEST_F(TamperTest, ReorderedEntries) {
  auto signed_files = log.files;
  std::swap(log.entries[270], log.entries[271]);
  // Rebuild the bundle only: tiles and checkpoint stay as signed.
  Build(log);
  for (const auto& [path, data] : signed_files)
    if (path.rfind("tile/entries/", 0) != 0) log.files[path] = data;
  EXPECT_THAT(Verify().message(), StartsWith("index 270: "));
}

TEST_F(TamperTest, TruncatedHashTile) {
  File("tile/0/002.p/88").resize(50 * 32 + 7);
  Status s = Verify();
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_THAT(s.message(), StartsWith("index 562: tile/0/002.p/88: got 1607 bytes, want 2816"));
}

TEST_F(TamperTest, TruncatedBundleMidEntry) {
  File("tile/entries/000").resize(OffsetInBundle(log, 100) + 2);
  Status s = Verify();
  EXPECT_THAT(s.message(), StartsWith("index 100: "));
  EXPECT_THAT(s.message(), HasSubstr("cut short"));
}

TEST_F(TamperTest, BytesAfterTheLastEntry) {
  File("tile/entries/002.p/88") += "x";
  EXPECT_THAT(Verify().message(), StartsWith("index 600: "));
}

TEST_F(TamperTest, MissingBundle) {
  log.files.erase("tile/entries/001");
  Status s = Verify();
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "index 256: tile/entries/001: missing");
}

TEST_F(TamperTest, MissingUpperTile) {
  log.files.erase("tile/1/000.p/2");
  EXPECT_EQ(Verify().message(), "index 0: tile/1/000.p/2: missing");
}

TEST_F(TamperTest, EntriesAndTilesRewrittenTogether) {
  // A consistent rewrite: every tile agrees with the entries, but the signed
  // root does not.
  std::string sig = File("checkpoint");
  log.entries[42] = "rewritten";
  Build(log);
  log.files["checkpoint"] = sig;
  Status s = Verify();
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_THAT(s.message(), StartsWith("root: "));
}

TEST_F(TamperTest, TruncatedLogWithItsOwnCheckpointIsCaughtBySavedState) {
  WitnessState seen{log.signer.name, 600, log.root};
  log.entries.resize(500);
  Build(log);
  MemorySource src = log.Source();
  auto r = VerifyLog(src, log.key(), "", seen);
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_THAT(r.status().message(), HasSubstr("went back"));
}

// --- Keys, origins, saved state. ---

TEST(VerifierTest, AHugeClaimedSizeCostsNothingUpFront) {
  // A hostile log signs a checkpoint of 2^62 entries; the verifier must fail
  // at the first missing resource, not plan 2^54 tiles first.
  TestLog log = MakeLog(300);
  log.files["checkpoint"] = SignCheckpoint(log.signer, uint64_t{1} << 62, log.root);
  MemorySource src = log.Source();
  auto r = VerifyLog(src, log.key(), "", std::nullopt);
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(r.status().message(), "index 256: tile/0/001: missing");
  EXPECT_EQ(TreeFromTiles(src, uint64_t{1} << 62, log.root).status().code(), Code::kNotFound);
}

TEST(VerifierTest, RefusesAnotherKeyWithTheSameName) {
  TestLog log = MakeLog(10);
  Verifier other = VerifierOf(GenerateSigner(log.signer.name));
  MemorySource src = log.Source();
  auto r = VerifyLog(src, other, "", std::nullopt);
  EXPECT_EQ(r.status().code(), Code::kPermissionDenied);
  EXPECT_THAT(r.status().message(), StartsWith("checkpoint: "));
}

TEST(VerifierTest, RefusesAWrongOrigin) {
  TestLog log = MakeLog(10);
  MemorySource src = log.Source();
  auto r = VerifyLog(src, log.key(), "example.com/another-log", std::nullopt);
  EXPECT_EQ(r.status().code(), Code::kPermissionDenied);
}

TEST(VerifierTest, RefusesAForgedCheckpointBody) {
  TestLog log = MakeLog(10);
  std::string& cp = log.files["checkpoint"];
  cp.replace(cp.find("\n10\n"), 4, "\n11\n");
  MemorySource src = log.Source();
  EXPECT_EQ(VerifyLog(src, log.key(), "", std::nullopt).status().code(), Code::kPermissionDenied);
}

TEST(VerifierTest, MissingCheckpoint) {
  TestLog log = MakeLog(3);
  log.files.erase("checkpoint");
  MemorySource src = log.Source();
  auto r = VerifyLog(src, log.key(), "", std::nullopt);
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_THAT(r.status().message(), StartsWith("checkpoint: "));
}

TEST(VerifierTest, ConsistentWithEverySavedSize) {
  TestLog full = MakeLog(600);
  for (uint64_t seen : {1, 100, 255, 256, 257, 512, 599, 600}) {
    TestLog before = MakeLog(seen);
    MemorySource src = full.Source();
    auto r = VerifyLog(src, full.key(), "", WitnessState{full.signer.name, seen, before.root});
    ASSERT_TRUE(r.ok()) << seen << ": " << r.status().ToString();
    EXPECT_EQ(r->consistent_with_size, seen);
    EXPECT_EQ(r->State().size, 600u);
    EXPECT_EQ(r->State().root, full.root);
  }
}

TEST(VerifierTest, ForkAgainstSavedState) {
  TestLog full = MakeLog(600);
  for (uint64_t seen : {50, 256, 300, 600}) {
    TestLog fork = MakeLog(seen);
    fork.entries[seen / 2] = "a different history";
    Build(fork);
    MemorySource src = full.Source();
    auto r = VerifyLog(src, full.key(), "", WitnessState{full.signer.name, seen, fork.root});
    EXPECT_EQ(r.status().code(), Code::kFailedPrecondition) << seen;
    EXPECT_THAT(r.status().message(),
                StartsWith("inconsistent: the first " + std::to_string(seen)));
  }
}

TEST(VerifierTest, SavedStateOfAnotherLog) {
  TestLog log = MakeLog(5);
  MemorySource src = log.Source();
  auto r = VerifyLog(src, log.key(), "", WitnessState{"example.com/other", 3, {}});
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
}

TEST(VerifierTest, ReportsProgressUpToTheSize) {
  TestLog log = MakeLog(1000);
  MemorySource src = log.Source();
  std::vector<uint64_t> seen;
  auto r = VerifyLog(src, log.key(), "", std::nullopt, [&](uint64_t done, uint64_t total) {
    EXPECT_EQ(total, 1000u);
    seen.push_back(done);
  });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(seen, (std::vector<uint64_t>{256, 512, 768, 1000}));
}

TEST(VerifierTest, TreeFromTilesGivesConsistencyProofs) {
  TestLog log = MakeLog(700);
  MemorySource src = log.Source();
  auto tree = TreeFromTiles(src, 700, log.root);
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  auto proof = tree->ConsistencyProof(300, 700);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(VerifyConsistency(300, 700, MakeLog(300).root, log.root, *proof).ok());
  src.files.at("tile/0/001")[0] ^= 1;
  EXPECT_EQ(TreeFromTiles(src, 700, log.root).status().code(), Code::kCorruption);
}

TEST(DirectorySourceTest, ReadsFilesAndRefusesEscapes) {
  namespace fs = std::filesystem;
  std::string tmpl = (fs::temp_directory_path() / "cloison-verifier-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  fs::create_directories(tmpl + "/tile/0");
  std::ofstream(tmpl + "/tile/0/000.p/1", std::ios::binary);  // parent missing: not created
  std::ofstream(tmpl + "/checkpoint", std::ios::binary) << "abc";
  DirectorySource dir(tmpl);
  auto got = dir.Fetch("checkpoint");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "abc");
  EXPECT_EQ(dir.Fetch("tile/0/000.p/1").status().code(), Code::kNotFound);
  EXPECT_EQ(dir.Fetch("../etc/passwd").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(dir.Fetch("/etc/passwd").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(dir.Fetch("tile").status().code(), Code::kIoError);
  fs::remove_all(tmpl);
}

TEST(PublicHeaderTest, VerifiesThroughTheAuditorsApi) {
  TestLog log = MakeLog(20, "auditor.example/log");
  MemorySource src = log.Source();
  auto key = verifier::ParseVerifierKey(FormatVerifierKey(log.key()));
  ASSERT_TRUE(key.ok());
  auto r = verifier::VerifyLog(src, *key, "", std::nullopt);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

}  // namespace
}  // namespace cloison::ledger
