#include "ledger/checkpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace cloison::ledger {
namespace {

using ::testing::HasSubstr;

// tlog-checkpoint.md and tlog-cosignature.md: the example checkpoint, with
// the log's signature and a witness's cosignature.
constexpr std::string_view kSpecBody =
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
constexpr std::string_view kSpecLogSig =
    "\xE2\x80\x94 example.com/behind-the-sofa "
    "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/"
    "Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
constexpr std::string_view kSpecCosig =
    "\xE2\x80\x94 witness.example.com/w1 "
    "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+"
    "mbIUBkBIfZ+qnA==\n";

std::string SpecNote() {
  return std::string(kSpecBody) + "\n" + std::string(kSpecLogSig);
}

TEST(CheckpointTest, SpecExampleParsesAndRoundTrips) {
  auto note = ParseNote(SpecNote());
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  ASSERT_EQ(note->signatures.size(), 1u);
  EXPECT_EQ(note->signatures[0].key_id, 0x033de0aeu);
  auto c = ParseCheckpoint(note->text);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->origin, "example.com/behind-the-sofa");
  EXPECT_EQ(c->size, 20852163u);
  EXPECT_EQ(crypto::Hex(c->root),
            "0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62");
  EXPECT_TRUE(c->extensions.empty());
  EXPECT_EQ(FormatCheckpoint(*c), kSpecBody);
}

TEST(CheckpointTest, SpecCosignatureCarriesItsTimestamp) {
  auto note = ParseNote(SpecNote() + std::string(kSpecCosig));
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  ASSERT_EQ(note->signatures.size(), 2u);
  const NoteSignature& cosig = note->signatures[1];
  EXPECT_EQ(cosig.name, "witness.example.com/w1");
  EXPECT_EQ(cosig.key_id, 0x8d66cf3fu);
  ASSERT_EQ(cosig.bytes.size(), 72u);
  uint64_t t = 0;
  for (int i = 0; i < 8; ++i) t = t << 8 | static_cast<uint8_t>(cosig.bytes[i]);
  EXPECT_EQ(t, 1679315147u);  // the time of the spec's signed-message example
  EXPECT_EQ(FormatNote(*note), SpecNote() + std::string(kSpecCosig));
}

// The signed message is exactly the spec's example text: a cosignature made
// at the example's time verifies over it.
TEST(CheckpointTest, CosignedMessageIsTheSpecText) {
  Signer w = GenerateWitnessSigner("witness.example.com/w1");
  Note note{std::string(kSpecBody), {}};
  Cosign(note, w, 1679315147);
  ASSERT_EQ(note.signatures.size(), 1u);
  const std::string spec_message =
      "cosignature/v1\n"
      "time 1679315147\n"
      "example.com/behind-the-sofa\n"
      "20852163\n"
      "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
  const std::string& bytes = note.signatures[0].bytes;
  ASSERT_EQ(bytes.size(), 72u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\0\0\0\0\x64\x18\x50\xcb", 8));
  EXPECT_TRUE(crypto::Ed25519Verify(
      w.key.public_key,
      std::span(reinterpret_cast<const uint8_t*>(spec_message.data()), spec_message.size()),
      std::span(reinterpret_cast<const uint8_t*>(bytes.data()) + 8, 64)));
  EXPECT_EQ(note.signatures[0].key_id, KeyId("witness.example.com/w1", 0x04, w.key.public_key));
}

TEST(CheckpointTest, ExtensionsAndEmptyTree) {
  Checkpoint c{"cloison.example/instance-1", 0, {}, {"ext one", "ext two"}};
  c.root = crypto::Sha256("");
  const std::string body = FormatCheckpoint(c);
  EXPECT_EQ(body,
            "cloison.example/instance-1\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
            "ext one\next two\n");
  auto back = ParseCheckpoint(body);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->origin, c.origin);
  EXPECT_EQ(back->size, 0u);
  EXPECT_EQ(back->root, c.root);
  EXPECT_EQ(back->extensions, c.extensions);
  // The origin is not assumed to be a URL: spaces and '+' are allowed.
  EXPECT_TRUE(ParseCheckpoint("my log + more\n1\n" + Base64Encode(c.root) + "\n").ok());
}

TEST(CheckpointTest, ParseErrorsNameTheLine) {
  const std::string root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
  struct Case {
    std::string body;
    std::string want;
  };
  const Case cases[] = {
      {"o\n01\n" + root + "\n", "line 2: size: got \"01\", want a decimal without leading zeros"},
      {"o\n-1\n" + root + "\n", "line 2: size: got \"-1\""},
      {"o\n 1\n" + root + "\n", "line 2: size"},
      {"o\n18446744073709551616\n" + root + "\n", "line 2: size"},
      {"o\n1\n" + root.substr(4) + "\n", "line 3: root hash"},
      {"o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n", "line 3: root hash"},
      {"o\n1\n" + root + "AAAA\n", "line 3: root hash"},
      {"\n1\n" + root + "\n", "line 1: origin: empty line"},
      {"o\n\n" + root + "\n", "line 2: size: empty line"},
      {"o\n1\n" + root + "\n\nx\n", "line 4: extension: empty line"},
      {"o\n1\n", "line 3: root hash: missing"},
      {"o\n", "line 2: size: missing"},
      {"", "line 1: checkpoint: want a final newline"},
      {"o\n1\n" + root, "line 3: checkpoint: want a final newline"},
      {"o\t\n1\n" + root + "\n", "line 1: byte 2: control character"},
  };
  for (const Case& c : cases) {
    auto r = ParseCheckpoint(c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr(c.want)) << c.body;
  }
  EXPECT_THAT(ParseCheckpoint("o\n01\n" + root + "\n", 7).status().message(),
              HasSubstr("line 8: size"));
}

TEST(CheckpointTest, OpenCheckpoint) {
  Signer log = GenerateSigner("cloison.example/log");
  Checkpoint c{"cloison.example/log", 5, {}, {}};
  c.root[0] = 7;
  Note note{FormatCheckpoint(c), {}};
  SignNote(note, log);
  const std::string text = FormatNote(note);

  auto opened = OpenCheckpoint(text, VerifierOf(log), "cloison.example/log");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->size, 5u);
  EXPECT_EQ(opened->root, c.root);

  auto wrong_origin = OpenCheckpoint(text, VerifierOf(log), "cloison.example/other");
  EXPECT_EQ(wrong_origin.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(wrong_origin.status().message(),
              HasSubstr("origin: got \"cloison.example/log\", want \"cloison.example/other\""));

  Signer stranger = GenerateSigner("cloison.example/log");
  auto unsigned_by_key = OpenCheckpoint(text, VerifierOf(stranger), "cloison.example/log");
  EXPECT_EQ(unsigned_by_key.status().code(), Code::kNotFound);
  EXPECT_THAT(unsigned_by_key.status().message(), HasSubstr("no signature by"));

  std::string tampered = text;
  tampered[tampered.find("\n5\n") + 1] = '6';
  auto forged = OpenCheckpoint(tampered, VerifierOf(log), "cloison.example/log");
  EXPECT_EQ(forged.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(forged.status().message(), HasSubstr("does not verify"));

  EXPECT_THAT(OpenCheckpoint("cloison.example/log\n5\n", VerifierOf(log), "x").status().message(),
              HasSubstr("line"));
}

TEST(CheckpointTest, CosignAndVerify) {
  Signer log = GenerateSigner("cloison.example/log");
  Signer w1 = GenerateWitnessSigner("cnctr.example/w1");
  Signer w2 = GenerateWitnessSigner("cnctr.example/w2");
  EXPECT_EQ(w1.algorithm, 0x04);
  Verifier v1 = WitnessVerifierOf(w1);
  EXPECT_EQ(v1.algorithm, 0x04);
  EXPECT_EQ(v1.key_id, KeyId("cnctr.example/w1", 0x04, w1.key.public_key));
  EXPECT_NE(v1.key_id, KeyId("cnctr.example/w1", 0x01, w1.key.public_key));

  Checkpoint c{"cloison.example/log", 3, {}, {}};
  Note note{FormatCheckpoint(c), {}};
  SignNote(note, log);
  EXPECT_EQ(VerifyCosignature(note, v1).status().code(), Code::kNotFound);
  Cosign(note, w1, 1700000000);
  Cosign(note, w1, 1700000100);
  auto t = VerifyCosignature(note, v1);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, 1700000100u);
  EXPECT_EQ(VerifyCosignature(note, WitnessVerifierOf(w2)).status().code(), Code::kNotFound);
  // Cosignatures are unknown signatures to the log's verifier, and back.
  EXPECT_TRUE(VerifyNote(note, VerifierOf(log)).ok());
  Signer both = GenerateSigner("cloison.example/log");
  Note same_name{note.text, {}};
  SignNote(same_name, both);
  EXPECT_EQ(VerifyCosignature(same_name, WitnessVerifierOf(both)).status().code(), Code::kNotFound);

  // The serialised note keeps both cosignatures verifiable.
  auto reparsed = ParseNote(FormatNote(note));
  ASSERT_TRUE(reparsed.ok());
  EXPECT_TRUE(VerifyCosignature(*reparsed, v1).ok());

  Note tampered = note;
  tampered.text = FormatCheckpoint({"cloison.example/log", 4, {}, {}});
  EXPECT_THAT(VerifyCosignature(tampered, v1).status().message(), HasSubstr("does not verify"));

  Note time_changed = note;
  time_changed.signatures[1].bytes[7] ^= 1;
  EXPECT_EQ(VerifyCosignature(time_changed, v1).status().code(), Code::kInvalidArgument);

  Note truncated = note;
  truncated.signatures[1].bytes.resize(71);
  EXPECT_THAT(VerifyCosignature(truncated, v1).status().message(), HasSubstr("want 72"));

  Note far_future{note.text, {}};
  Cosign(far_future, w1, uint64_t{1} << 63);
  EXPECT_THAT(VerifyCosignature(far_future, v1).status().message(), HasSubstr("2^63-1"));

  EXPECT_THAT(VerifyCosignature(note, VerifierOf(log)).status().message(), HasSubstr("want 0x04"));
}

TEST(CheckpointTest, WitnessKeysRoundTrip) {
  Signer w = GenerateWitnessSigner("cnctr.example/w1");
  const std::string vkey = FormatVerifierKey(WitnessVerifierOf(w));
  auto v = ParseVerifierKey(vkey);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->algorithm, 0x04);
  auto s = ParseSignerKey(FormatSignerKey(w));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->algorithm, 0x04);
  EXPECT_EQ(s->key_id, w.key_id);
  Note note{"o\n1\n" + Base64Encode(std::string(32, 'x')) + "\n", {}};
  Cosign(note, *s, 42);
  EXPECT_TRUE(VerifyCosignature(note, *v).ok());
}

}  // namespace
}  // namespace cloison::ledger
