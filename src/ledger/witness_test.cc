#include "ledger/witness.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ledger/tree.h"

namespace cloison::ledger {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kOrigin = "cloison.example/instance-1";

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

class WitnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 20; ++i) {
      const std::string e = "event " + std::to_string(i);
      tree_.Append(LeafHash(Bytes(e)));
      // A fork: the same log, rewritten from entry 7 on.
      fork_.Append(LeafHash(Bytes(i < 7 ? e : "forged " + std::to_string(i))));
    }
  }

  std::string Signed(uint64_t size, const Tree& tree, const Signer& key,
                     std::string_view origin = kOrigin) {
    auto root = tree.Root(size);
    EXPECT_TRUE(root.ok());
    Note note{FormatCheckpoint({std::string(origin), size, *root, {}}), {}};
    SignNote(note, key);
    return FormatNote(note);
  }
  std::string Signed(uint64_t size) { return Signed(size, tree_, log_); }

  std::vector<Hash> Proof(uint64_t from, uint64_t to, const Tree& tree) {
    auto p = tree.ConsistencyProof(from, to);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? *p : std::vector<Hash>{};
  }
  std::vector<Hash> Proof(uint64_t from, uint64_t to) { return Proof(from, to, tree_); }

  Result<std::string> Witness(std::string_view cp, const std::vector<Hash>& proof = {},
                              uint64_t t = 1700000000) {
    return WitnessCheckpoint(state_, cp, proof, VerifierOf(log_), w_, t);
  }

  // Asserts a refusal and that the state did not move.
  void ExpectRefused(const Result<std::string>& r, Code code, std::string_view want) {
    const WitnessState before = state_;
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), code) << r.status().ToString();
    EXPECT_THAT(r.status().message(), HasSubstr(std::string(want)));
    EXPECT_EQ(state_.size, before.size);
    EXPECT_EQ(state_.root, before.root);
  }

  Tree tree_, fork_;
  Signer log_ = GenerateSigner(kOrigin);
  Signer w_ = GenerateWitnessSigner("cnctr.example/w1");
  WitnessState state_{std::string(kOrigin), 0, {}};
};

TEST_F(WitnessTest, CosignsAGrowingLog) {
  auto first = Witness(Signed(5), {}, 1700000001);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(state_.size, 5u);
  EXPECT_EQ(state_.root, tree_.Root(5).value());
  auto note = ParseNote(*first);
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_TRUE(VerifyNote(*note, VerifierOf(log_)).ok());
  auto t = VerifyCosignature(*note, WitnessVerifierOf(w_));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, 1700000001u);

  for (uint64_t size : {6, 8, 13, 20}) {
    const uint64_t old = state_.size;
    auto r = Witness(Signed(size), Proof(old, size));
    ASSERT_TRUE(r.ok()) << old << " -> " << size << ": " << r.status().ToString();
    EXPECT_EQ(state_.size, size);
  }

  // The same checkpoint again: cosigned again, with one cosignature only.
  auto again = Witness(*Witness(Signed(20)), {}, 1700000999);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  auto twice = ParseNote(*again);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->signatures.size(), 2u);
  EXPECT_EQ(*VerifyCosignature(*twice, WitnessVerifierOf(w_)), 1700000999u);
}

TEST_F(WitnessTest, RefusesRollback) {
  ASSERT_TRUE(Witness(Signed(9)).ok());
  ExpectRefused(Witness(Signed(5)), Code::kFailedPrecondition,
                "inconsistent: rollback: the checkpoint is smaller than the last one cosigned "
                "(cosigned size 9, got 5)");
}

TEST_F(WitnessTest, RefusesSameSizeWithAnotherRoot) {
  ASSERT_TRUE(Witness(Signed(9)).ok());
  ExpectRefused(Witness(Signed(9, fork_, log_)), Code::kFailedPrecondition,
                "inconsistent: fork: same size 9, root hash ");
}

TEST_F(WitnessTest, RefusesAnInconsistentProof) {
  ASSERT_TRUE(Witness(Signed(9)).ok());
  // A log that forked: its own proof cannot link it to what was cosigned.
  ExpectRefused(Witness(Signed(13, fork_, log_), Proof(9, 13, fork_)), Code::kFailedPrecondition,
                "inconsistent: the consistency proof does not verify (cosigned size 9, got 13)");
  // A damaged proof, a proof for other sizes, no proof at all.
  std::vector<Hash> damaged = Proof(9, 13);
  damaged[0][5] ^= 1;
  ExpectRefused(Witness(Signed(13), damaged), Code::kFailedPrecondition, "does not verify");
  ExpectRefused(Witness(Signed(13), Proof(8, 13)), Code::kFailedPrecondition, "does not verify");
  ExpectRefused(Witness(Signed(13)), Code::kFailedPrecondition, "does not verify");
  EXPECT_TRUE(Witness(Signed(13), Proof(9, 13)).ok());
}

TEST_F(WitnessTest, RefusesBadSignatures) {
  Signer stranger = GenerateSigner(kOrigin);
  ExpectRefused(Witness(Signed(5, tree_, stranger)), Code::kInvalidArgument,
                "checkpoint: bad signature: log no signature by cloison.example/instance-1+");
  std::string tampered = Signed(5);
  tampered.replace(tampered.find("\n5\n"), 3, "\n6\n");
  ExpectRefused(Witness(tampered), Code::kInvalidArgument,
                "checkpoint: bad signature: log signature by");
  EXPECT_EQ(state_.size, 0u);
}

TEST_F(WitnessTest, RefusesAnotherOrigin) {
  Signer other_log = GenerateSigner("cloison.example/instance-2");
  auto r = WitnessCheckpoint(state_, Signed(5, tree_, other_log, "cloison.example/instance-2"), {},
                             VerifierOf(other_log), w_, 1);
  ExpectRefused(r, Code::kInvalidArgument,
                "checkpoint: origin: got \"cloison.example/instance-2\", want "
                "\"cloison.example/instance-1\"");
}

TEST_F(WitnessTest, FreshStateTakesTheLogKeyNameAsOrigin) {
  state_ = WitnessState{};
  ASSERT_TRUE(Witness(Signed(5)).ok());
  EXPECT_EQ(state_.origin, kOrigin);
  WitnessState other{};
  Signer log2 = GenerateSigner("cloison.example/x");
  auto r = WitnessCheckpoint(other, Signed(5, tree_, log2), {}, VerifierOf(log2), w_, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("want \"cloison.example/x\""));
}

TEST_F(WitnessTest, EmptyTreeAndProofsFromSizeZero) {
  Note empty{FormatCheckpoint({std::string(kOrigin), 0, EmptyRoot(), {}}), {}};
  SignNote(empty, log_);
  ASSERT_TRUE(Witness(FormatNote(empty)).ok());
  Note bad_empty{FormatCheckpoint({std::string(kOrigin), 0, tree_.Root(1).value(), {}}), {}};
  SignNote(bad_empty, log_);
  ExpectRefused(Witness(FormatNote(bad_empty)), Code::kInvalidArgument,
                "checkpoint: root hash: got ");
  ExpectRefused(Witness(Signed(5), Proof(1, 5)), Code::kInvalidArgument,
                "consistency proof: got 3 hashes from size 0, want none");
  ASSERT_TRUE(Witness(Signed(5)).ok());
  ExpectRefused(Witness(Signed(5), Proof(4, 5)), Code::kInvalidArgument,
                "hashes for an unchanged size, want none");
  ExpectRefused(Witness(Signed(13), std::vector<Hash>(64)), Code::kInvalidArgument,
                "consistency proof: got 64 hashes, want at most 63");
}

TEST_F(WitnessTest, RefusesMalformedCheckpoints) {
  ExpectRefused(Witness("not a note"), Code::kInvalidArgument, "checkpoint: line 1");
  Note not_a_checkpoint{"cloison.example/instance-1\n05\nAAAA\n", {}};
  SignNote(not_a_checkpoint, log_);
  ExpectRefused(Witness(FormatNote(not_a_checkpoint)), Code::kInvalidArgument,
                "checkpoint: line 2: size");
}

class WitnessStateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "witness-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static void Write(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
  }
  std::filesystem::path dir_;
};

TEST_F(WitnessStateFileTest, SaveLoadRoundTripAndFormat) {
  const std::string path = Path("w1.state");
  EXPECT_EQ(LoadWitnessState(path).status().code(), Code::kNotFound);
  WitnessState s{"cloison.example/instance-1", 20852163, {}};
  s.root[31] = 1;
  ASSERT_TRUE(SaveWitnessState(path, s).ok());
  EXPECT_EQ(Read(path),
            "cloison-witness-state/v1\ncloison.example/instance-1\n20852163\n"
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE=\n");
  auto back = LoadWitnessState(path);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->origin, s.origin);
  EXPECT_EQ(back->size, s.size);
  EXPECT_EQ(back->root, s.root);

  s.size = 20852164;  // overwrite in place, and leave no temporary file
  ASSERT_TRUE(SaveWitnessState(path, s).ok());
  EXPECT_EQ(LoadWitnessState(path)->size, 20852164u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_),
                          std::filesystem::directory_iterator()),
            1);
}

TEST_F(WitnessStateFileTest, Errors) {
  WitnessState s{"o", 1, {}};
  EXPECT_EQ(SaveWitnessState(Path("missing/dir/state"), s).code(), Code::kIoError);
  EXPECT_EQ(SaveWitnessState(Path("x"), WitnessState{"a\nb", 1, {}}).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(SaveWitnessState(Path("x"), WitnessState{}).code(), Code::kInvalidArgument);
  EXPECT_EQ(LoadWitnessState(dir_.string()).status().code(), Code::kIoError);  // a directory

  const std::string root = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE=\n";
  struct Case {
    std::string text;
    std::string want;
  };
  const Case cases[] = {
      {"", "line 1: want \"cloison-witness-state/v1\""},
      {"cloison-witness-state/v2\no\n1\n" + root, "line 1"},
      {"cloison-witness-state/v1\no\n01\n" + root, "line 3: size"},
      {"cloison-witness-state/v1\no\n1\n" + root.substr(1), "line 4: root hash"},
      {"cloison-witness-state/v1\no\n1\n" + root + "extra\n", "line 5: want no line"},
      {"cloison-witness-state/v1\no\n1\n", "line 4: root hash: missing"},
      {std::string(70000, 'x'), "more than 65536 bytes"},
  };
  for (const Case& c : cases) {
    const std::string path = Path("bad");
    Write(path, c.text);
    auto r = LoadWitnessState(path);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), Code::kCorruption);
    EXPECT_THAT(r.status().message(), StartsWith(path + ": "));
    EXPECT_THAT(r.status().message(), HasSubstr(c.want)) << c.text;
  }
}

}  // namespace
}  // namespace cloison::ledger
