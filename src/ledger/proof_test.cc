#include "ledger/proof.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "ledger/tree.h"
#include "ledger/witness.h"

namespace cloison::ledger {
namespace {

using ::testing::HasSubstr;

// tlog-proof.md's example up to the checkpoint's body; its signatures are
// elided ("[...]") in the spec, so tests sign the body with their own key.
constexpr std::string_view kSpecHead =
    "c2sp.org/tlog-proof@v1\n"
    "extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ\n"
    "index 73894\n"
    "gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=\n"
    "B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=\n"
    "EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=\n"
    "RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=\n"
    "AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=\n"
    "\n";
constexpr std::string_view kSpecBody =
    "example.com/fancylog\n"
    "109482\n"
    "sFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=\n";

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

TEST(TlogProofTest, SpecExampleParsesAndRoundTrips) {
  Signer log = GenerateSigner("example.com/fancylog");
  Note note{std::string(kSpecBody), {}};
  SignNote(note, log);
  const std::string text = std::string(kSpecHead) + FormatNote(note);
  auto p = ParseTlogProof(text);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_TRUE(p->extra.has_value());
  EXPECT_EQ(p->extra->substr(0, 30), "age-v1.2.1-darwin-arm64.tar.gz");
  EXPECT_EQ(p->extra->size(), 39u);
  EXPECT_EQ(p->index, 73894u);
  ASSERT_EQ(p->inclusion.size(), 5u);
  EXPECT_EQ(Base64Encode(p->inclusion[4]), "AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=");
  EXPECT_EQ(p->checkpoint, FormatNote(note));
  EXPECT_EQ(FormatTlogProof(*p), text);
}

TEST(TlogProofTest, SpecExampleAsPrintedFailsOnItsElidedSignature) {
  const std::string text = std::string(kSpecHead) + std::string(kSpecBody) +
                           "\n\xE2\x80\x94 example.com/fancylog hI2DJw[...]1roloI=\n";
  Status st = ParseTlogProof(text).status();
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("line 14: signature: got \"hI2DJw[...]1roloI=\""));
}

TEST(TlogProofTest, NoExtraAndEmptyProof) {
  Signer log = GenerateSigner("o");
  Note note{"o\n1\n" + Base64Encode(std::string(32, 'r')) + "\n", {}};
  SignNote(note, log);
  TlogProof p{std::nullopt, 0, {}, FormatNote(note)};
  const std::string text = FormatTlogProof(p);
  EXPECT_EQ(text.substr(0, 32), "c2sp.org/tlog-proof@v1\nindex 0\n\n");
  auto back = ParseTlogProof(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_FALSE(back->extra.has_value());
  EXPECT_EQ(FormatTlogProof(*back), text);

  p.extra = "";
  auto empty_extra = ParseTlogProof(FormatTlogProof(p));
  ASSERT_TRUE(empty_extra.ok()) << empty_extra.status().ToString();
  EXPECT_EQ(empty_extra->extra, "");
}

TEST(TlogProofTest, ParseErrorsNameTheLine) {
  const std::string h = "gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=\n";
  const std::string cp = std::string(kSpecBody) + "\n\xE2\x80\x94 k AAAAAQEC\n";
  struct Case {
    std::string text;
    std::string want;
  };
  const Case cases[] = {
      {"", "line 1: header: got \"\""},
      {"c2sp.org/tlog-proof@v2\nindex 0\n\n" + cp, "line 1: header"},
      {"c2sp.org/tlog-proof@v1\n", "line 2: index: missing"},
      {"c2sp.org/tlog-proof@v1\nextra AA\nindex 0\n\n" + cp, "line 2: extra"},
      {"c2sp.org/tlog-proof@v1\nextra AA==\n", "line 3: index: missing"},
      {"c2sp.org/tlog-proof@v1\nindex 01\n\n" + cp, "line 2: index: got \"index 01\""},
      {"c2sp.org/tlog-proof@v1\nindex  1\n\n" + cp, "line 2: index"},
      {"c2sp.org/tlog-proof@v1\nIndex 1\n\n" + cp, "line 2: index"},
      {"c2sp.org/tlog-proof@v1\nindex 1\n" + h + "AAAA\n\n" + cp, "line 4: inclusion proof"},
      {"c2sp.org/tlog-proof@v1\nindex 1\n" + h, "line 4: want an empty line"},
      {"c2sp.org/tlog-proof@v1\nindex 1\n" + h + "\n", "line 5: note: want a final newline"},
      {"c2sp.org/tlog-proof@v1\nindex 1\n" + h +
           "\nexample.com/fancylog\n01\nAA==\n\n"
           "\xE2\x80\x94 k AAAAAQEC\n",
       "line 6: size"},
      {"c2sp.org/tlog-proof@v1\nindex 1\n\n" + cp + "trailing\n", "line 9: signature"},
  };
  for (const Case& c : cases) {
    Status st = ParseTlogProof(c.text).status();
    ASSERT_FALSE(st.ok()) << c.text;
    EXPECT_EQ(st.code(), Code::kInvalidArgument);
    EXPECT_THAT(st.message(), HasSubstr(c.want)) << c.text;
  }
  std::string long_proof = "c2sp.org/tlog-proof@v1\nindex 1\n";
  for (int i = 0; i < 65; ++i) long_proof += h;
  EXPECT_THAT(ParseTlogProof(long_proof + "\n" + cp).status().message(),
              HasSubstr("line 67: inclusion proof: more than 64"));
}

class VerifyTlogProofTest : public ::testing::Test {
 protected:
  static constexpr std::string_view kOrigin = "cloison.example/instance-1";

  void SetUp() override {
    for (int i = 0; i < 13; ++i) tree_.Append(LeafHash(Bytes(Entry(i))));
  }
  static std::string Entry(int i) { return "event " + std::to_string(i); }

  // A proof of entry `index` in the whole tree, signed by the log and
  // cosigned by `cosigners`.
  TlogProof Make(uint64_t index, const std::vector<const Signer*>& cosigners) {
    Checkpoint c{std::string(kOrigin), tree_.size(), tree_.Root(), {}};
    Note note{FormatCheckpoint(c), {}};
    SignNote(note, log_);
    for (const Signer* w : cosigners) Cosign(note, *w, 1700000000);
    auto path = tree_.InclusionProof(index, tree_.size());
    EXPECT_TRUE(path.ok());
    return TlogProof{"ctx", index, *path, FormatNote(note)};
  }

  Tree tree_;
  Signer log_ = GenerateSigner(kOrigin);
  Signer w1_ = GenerateWitnessSigner("cnctr.example/w1");
  Signer w2_ = GenerateWitnessSigner("cnctr.example/w2");
  Signer w3_ = GenerateWitnessSigner("cnctr.example/w3");
  std::vector<Verifier> witnesses_ = {WitnessVerifierOf(w1_), WitnessVerifierOf(w2_),
                                      WitnessVerifierOf(w3_)};
};

TEST_F(VerifyTlogProofTest, EveryIndexVerifiesAfterARoundTrip) {
  for (uint64_t i = 0; i < tree_.size(); ++i) {
    auto p = ParseTlogProof(FormatTlogProof(Make(i, {&w1_, &w3_})));
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    Status st =
        VerifyTlogProof(*p, Entry(static_cast<int>(i)), VerifierOf(log_), kOrigin, witnesses_, 2);
    EXPECT_TRUE(st.ok()) << i << ": " << st.ToString();
  }
}

TEST_F(VerifyTlogProofTest, WrongEntryIndexOrPath) {
  TlogProof p = Make(5, {});
  const Verifier log = VerifierOf(log_);
  EXPECT_TRUE(VerifyTlogProof(p, Entry(5), log, kOrigin).ok());
  EXPECT_FALSE(VerifyTlogProof(p, Entry(6), log, kOrigin).ok());
  TlogProof moved = p;
  moved.index = 4;
  EXPECT_FALSE(VerifyTlogProof(moved, Entry(5), log, kOrigin).ok());
  TlogProof beyond = p;
  beyond.index = 13;
  EXPECT_THAT(VerifyTlogProof(beyond, Entry(5), log, kOrigin).message(),
              HasSubstr("index: got 13, want less than the checkpoint size 13"));
  TlogProof bent = p;
  bent.inclusion[1][0] ^= 1;
  EXPECT_THAT(VerifyTlogProof(bent, Entry(5), log, kOrigin).message(),
              HasSubstr("inclusion proof of index 5 in size 13"));
  TlogProof shorter = p;
  shorter.inclusion.pop_back();
  EXPECT_FALSE(VerifyTlogProof(shorter, Entry(5), log, kOrigin).ok());
}

TEST_F(VerifyTlogProofTest, OriginAndLogSignature) {
  TlogProof p = Make(0, {});
  EXPECT_THAT(VerifyTlogProof(p, Entry(0), VerifierOf(log_), "cloison.example/other").message(),
              HasSubstr("origin: got \"cloison.example/instance-1\""));
  Signer stranger = GenerateSigner(kOrigin);
  Status st = VerifyTlogProof(p, Entry(0), VerifierOf(stranger), kOrigin);
  EXPECT_EQ(st.code(), Code::kNotFound);
  EXPECT_THAT(st.message(), HasSubstr("checkpoint: log no signature by"));
  // A checkpoint edited after the log signed it.
  TlogProof forged = p;
  forged.checkpoint.replace(forged.checkpoint.find("\n13\n"), 4, "\n14\n");
  st = VerifyTlogProof(forged, Entry(0), VerifierOf(log_), kOrigin);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("does not verify"));
}

TEST_F(VerifyTlogProofTest, CosignaturePolicy) {
  const Verifier log = VerifierOf(log_);
  TlogProof one = Make(3, {&w2_});
  EXPECT_TRUE(VerifyTlogProof(one, Entry(3), log, kOrigin, witnesses_, 1).ok());
  Status st = VerifyTlogProof(one, Entry(3), log, kOrigin, witnesses_, 2);
  EXPECT_EQ(st.code(), Code::kFailedPrecondition);
  EXPECT_THAT(st.message(), HasSubstr("cosignatures: got 1 valid of 3 known witnesses, want at "
                                      "least 2"));
  // The same witness listed twice counts once.
  std::vector<Verifier> twice = {WitnessVerifierOf(w2_), WitnessVerifierOf(w2_)};
  EXPECT_EQ(VerifyTlogProof(one, Entry(3), log, kOrigin, twice, 2).code(),
            Code::kFailedPrecondition);
  EXPECT_THAT(VerifyTlogProof(one, Entry(3), log, kOrigin, witnesses_, 4).message(),
              HasSubstr("min_cosignatures: got 4, want at most 3"));

  // An unknown witness's cosignature is ignored; a known one that fails
  // spoils the proof.
  Signer stranger = GenerateWitnessSigner("cnctr.example/w9");
  TlogProof strange = Make(3, {&stranger, &w1_});
  EXPECT_TRUE(VerifyTlogProof(strange, Entry(3), log, kOrigin, witnesses_, 1).ok());
  auto note = ParseNote(one.checkpoint);
  ASSERT_TRUE(note.ok());
  note->signatures[1].bytes[20] ^= 1;
  TlogProof broken = one;
  broken.checkpoint = FormatNote(*note);
  st = VerifyTlogProof(broken, Entry(3), log, kOrigin, witnesses_, 0);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("cosignature by cnctr.example/w2+"));
}

// doc/formats/checkpoint.md: every example block is real.
class DocExamplesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream in(std::string(CLOISON_SOURCE_DIR) + "/doc/formats/checkpoint.md");
    ASSERT_TRUE(in) << "missing doc/formats/checkpoint.md";
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string doc = buf.str();
    const std::string marker = "<!-- example: ";
    for (size_t at = doc.find(marker); at != std::string::npos; at = doc.find(marker, at + 1)) {
      const size_t name_end = doc.find(" -->", at);
      const size_t open = doc.find("```\n", name_end);
      const size_t close = doc.find("\n```", open + 4);
      ASSERT_NE(close, std::string::npos);
      blocks_[doc.substr(at + marker.size(), name_end - at - marker.size())] =
          doc.substr(open + 4, close + 1 - (open + 4));
    }
  }
  std::vector<std::string> Lines(const std::string& name) {
    std::vector<std::string> out;
    std::istringstream in(blocks_[name]);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }
  std::map<std::string, std::string> blocks_;
};

TEST_F(DocExamplesTest, KeysCheckpointsCosignaturesProofAndState) {
  for (const char* name : {"keys", "checkpoint", "cosigned", "proof", "consistency", "state"}) {
    ASSERT_TRUE(blocks_.count(name)) << name;
  }
  const std::vector<std::string> keys = Lines("keys");
  ASSERT_EQ(keys.size(), 4u);
  auto log_signer = ParseSignerKey(keys[0]);
  auto log_key = ParseVerifierKey(keys[1]);
  auto w_signer = ParseSignerKey(keys[2]);
  auto w_key = ParseVerifierKey(keys[3]);
  ASSERT_TRUE(log_signer.ok()) << log_signer.status().ToString();
  ASSERT_TRUE(log_key.ok()) << log_key.status().ToString();
  ASSERT_TRUE(w_signer.ok()) << w_signer.status().ToString();
  ASSERT_TRUE(w_key.ok()) << w_key.status().ToString();
  EXPECT_EQ(FormatVerifierKey(VerifierOf(*log_signer)), keys[1]);
  EXPECT_EQ(FormatVerifierKey(WitnessVerifierOf(*w_signer)), keys[3]);
  EXPECT_EQ(log_key->algorithm, 0x01);
  EXPECT_EQ(w_key->algorithm, 0x04);
  const std::string origin = log_key->name;

  // The entries are "entry 0" ... "entry 4".
  Tree tree;
  for (int i = 0; i < 5; ++i) tree.Append(LeafHash(Bytes("entry " + std::to_string(i))));

  auto c3 = OpenCheckpoint(blocks_["checkpoint"], *log_key, origin);
  ASSERT_TRUE(c3.ok()) << c3.status().ToString();
  EXPECT_EQ(c3->size, 3u);
  EXPECT_EQ(c3->root, tree.Root(3).value());

  auto c5 = OpenCheckpoint(blocks_["cosigned"], *log_key, origin);
  ASSERT_TRUE(c5.ok()) << c5.status().ToString();
  EXPECT_EQ(c5->root, tree.Root());
  auto note = ParseNote(blocks_["cosigned"]);
  ASSERT_TRUE(note.ok());
  auto t = VerifyCosignature(*note, *w_key);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, 1700000060u);

  std::vector<Hash> consistency;
  for (const std::string& l : Lines("consistency")) {
    auto h = Base64Decode(l);
    ASSERT_TRUE(h && h->size() == 32) << l;
    consistency.emplace_back();
    std::copy(h->begin(), h->end(), consistency.back().begin());
  }
  EXPECT_TRUE(VerifyConsistency(3, 5, c3->root, c5->root, consistency).ok());

  auto proof = ParseTlogProof(blocks_["proof"]);
  ASSERT_TRUE(proof.ok()) << proof.status().ToString();
  EXPECT_EQ(proof->checkpoint, blocks_["cosigned"]);
  EXPECT_TRUE(VerifyTlogProof(*proof, "entry 2", *log_key, origin, {*w_key}, 1).ok());
  EXPECT_FALSE(VerifyTlogProof(*proof, "entry 3", *log_key, origin, {*w_key}, 1).ok());

  // The witness, replayed from nothing, reaches the documented state.
  WitnessState state{origin, 0, {}};
  ASSERT_TRUE(
      WitnessCheckpoint(state, blocks_["checkpoint"], {}, *log_key, *w_signer, 1700000000).ok());
  auto again =
      WitnessCheckpoint(state, blocks_["cosigned"], consistency, *log_key, *w_signer, 1700000060);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, blocks_["cosigned"]);  // Ed25519 is deterministic
  const std::string path =
      ::testing::TempDir() + "/doc-example-" + std::to_string(::getpid()) + ".state";
  ASSERT_TRUE(SaveWitnessState(path, state).ok());
  std::ifstream saved(path);
  std::stringstream text;
  text << saved.rdbuf();
  EXPECT_EQ(text.str(), blocks_["state"]);
  auto loaded = LoadWitnessState(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->size, 5u);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace cloison::ledger
