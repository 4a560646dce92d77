#include "ledger/note.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "crypto/sha256.h"

namespace cloison::ledger {
namespace {

using ::testing::HasSubstr;

// signed-note.md, "Verifier keys / Example": a key and a note it verifies.
constexpr std::string_view kSpecVkey =
    "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
constexpr std::string_view kSpecNote =
    "This is an example message.\n"
    "\n"
    "\xE2\x80\x94 example.com/foo "
    "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM="
    "\n";
// signed-note.md, the opening example (no key is given for it).
constexpr std::string_view kQuasimodo =
    "Ognuno sta solo sul cuor della terra\n"
    "trafitto da un raggio di sole:\n"
    "\n"
    "ed \xC3\xA8 subito sera.\n"
    "\n"
    "\xE2\x80\x94 quasimodo.example/salvatore "
    "NnugSzTjtVAewIS+Z/iJhUPeFDkO/"
    "5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";

constexpr std::string_view kDash = "\xE2\x80\x94 ";

Status ParseError(std::string_view text) {
  return ParseNote(text).status();
}

TEST(NoteTest, SpecExampleKeyVerifiesSpecExampleNote) {
  auto v = ParseVerifierKey(kSpecVkey);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->name, "example.com/foo");
  EXPECT_EQ(v->key_id, 0x530d903au);
  EXPECT_EQ(v->algorithm, 0x01);
  EXPECT_EQ(KeyId(v->name, 0x01, v->key), 0x530d903au);
  EXPECT_EQ(FormatVerifierKey(*v), kSpecVkey);

  auto note = ParseNote(kSpecNote);
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_EQ(note->text, "This is an example message.\n");
  ASSERT_EQ(note->signatures.size(), 1u);
  EXPECT_EQ(note->signatures[0].name, "example.com/foo");
  EXPECT_EQ(note->signatures[0].key_id, 0x530d903au);
  EXPECT_EQ(note->signatures[0].bytes.size(), 64u);
  EXPECT_TRUE(VerifyNote(*note, *v).ok());
  EXPECT_EQ(FormatNote(*note), kSpecNote);

  Note tampered = *note;
  tampered.text = "This is an example message!\n";
  Status st = VerifyNote(tampered, *v);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("example.com/foo+530d903a does not verify"));
}

TEST(NoteTest, SpecOpeningExampleParsesAndRoundTrips) {
  auto note = ParseNote(kQuasimodo);
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  // The text keeps its own empty line; the last one separates the signatures.
  EXPECT_EQ(note->text,
            "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\n"
            "ed \xC3\xA8 subito sera.\n");
  ASSERT_EQ(note->signatures.size(), 1u);
  EXPECT_EQ(note->signatures[0].name, "quasimodo.example/salvatore");
  EXPECT_EQ(note->signatures[0].key_id, 0x367ba04bu);
  EXPECT_EQ(FormatNote(*note), kQuasimodo);
}

TEST(NoteTest, UnknownSignaturesAreKeptAndIgnored) {
  auto v = ParseVerifierKey(kSpecVkey);
  ASSERT_TRUE(v.ok());
  std::string text(kSpecNote);
  // Same name, other id; other name, same id; a long (post-quantum-sized) one.
  text += std::string(kDash) + "example.com/foo AAAAAQEC\n";
  text += std::string(kDash) + "example.com/bar Uw2QOgEC\n";
  text += std::string(kDash) + "pq.example " + Base64Encode(std::string(4 + 2420, 'x')) + "\n";
  auto note = ParseNote(text);
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  ASSERT_EQ(note->signatures.size(), 4u);
  EXPECT_EQ(note->signatures[1].key_id, 1u);
  EXPECT_EQ(note->signatures[2].key_id, 0x530d903au);
  EXPECT_EQ(note->signatures[3].bytes.size(), 2420u);
  EXPECT_TRUE(VerifyNote(*note, *v).ok());
  EXPECT_EQ(FormatNote(*note), text);
}

TEST(NoteTest, SignAndVerify) {
  Signer s = GenerateSigner("cloison.example/log");
  Verifier v = VerifierOf(s);
  EXPECT_EQ(v.key_id, KeyId("cloison.example/log", 0x01, s.key.public_key));
  Note note{"hello\n", {}};
  EXPECT_EQ(VerifyNote(note, v).code(), Code::kNotFound);
  SignNote(note, s);
  ASSERT_EQ(note.signatures.size(), 1u);
  EXPECT_EQ(note.signatures[0].key_id, v.key_id);
  EXPECT_TRUE(VerifyNote(note, v).ok());
  auto reparsed = ParseNote(FormatNote(note));
  ASSERT_TRUE(reparsed.ok()) << reparsed.status().ToString();
  EXPECT_TRUE(VerifyNote(*reparsed, v).ok());

  // Another key under the same name and id is not this one.
  Signer other = GenerateSigner("cloison.example/log");
  EXPECT_EQ(VerifyNote(note, VerifierOf(other)).code(), Code::kNotFound);
  Verifier impostor = VerifierOf(other);
  impostor.key_id = v.key_id;  // a colliding id: the signature must fail
  EXPECT_EQ(VerifyNote(note, impostor).code(), Code::kInvalidArgument);

  // A failing signature by the known key spoils the note even if another verifies.
  Note two = note;
  two.signatures.push_back(note.signatures[0]);
  two.signatures.back().bytes[0] ^= 1;
  EXPECT_EQ(VerifyNote(two, v).code(), Code::kInvalidArgument);

  Verifier cosigner = v;
  cosigner.algorithm = 0x04;
  EXPECT_THAT(VerifyNote(note, cosigner).message(), HasSubstr("algorithm"));
}

TEST(NoteTest, SignerKeyRoundTrip) {
  Signer s = GenerateSigner("cloison.example/log");
  std::string text = FormatSignerKey(s);
  EXPECT_EQ(text.rfind("PRIVATE+KEY+cloison.example/log+", 0), 0u);
  auto back = ParseSignerKey(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->name, s.name);
  EXPECT_EQ(back->key_id, s.key_id);
  EXPECT_EQ(back->algorithm, 0x01);
  EXPECT_EQ(back->key.public_key, s.key.public_key);
  EXPECT_EQ(FormatSignerKey(*back), text);
  EXPECT_EQ(FormatVerifierKey(VerifierOf(*back)), FormatVerifierKey(VerifierOf(s)));
  auto v = ParseVerifierKey(FormatVerifierKey(VerifierOf(s)));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->key, s.key.public_key);
}

TEST(NoteTest, SignerKeyErrorsDoNotEchoTheKey) {
  Signer s = GenerateSigner("a.example");
  std::string text = FormatSignerKey(s);
  const size_t id_at = std::string_view("PRIVATE+KEY+a.example+").size();
  const std::string secret = text.substr(id_at + 9);  // base64 may hold '+' too
  ASSERT_EQ(secret.size(), 44u);
  std::string wrong_id = text;
  wrong_id[id_at] = wrong_id[id_at] == '0' ? '1' : '0';  // a digit of the key id
  for (const std::string& bad :
       {std::string("PRIVATE+KEY+a.example+") + secret, text.substr(12), wrong_id, text + "+x",
        text + "AAAA", text.substr(0, text.size() - 4)}) {
    auto r = ParseSignerKey(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr("signer key"));
    EXPECT_THAT(r.status().message(), ::testing::Not(HasSubstr(secret.substr(4, 20))));
  }
  // A key without its id whose base64 holds '+': the parts are pieces of the
  // secret, and no error may quote them.
  for (std::string_view bad :
       {"PRIVATE+KEY+a.example+SeCrEt+sEcReTsEcReTsEcReTsEcReT",
        "PRIVATE+KEY+SeCrEt+sEcReT+sEcReTsEcReT", "PRIVATE+KEY+SeC rEt+00000000+sEcReTsEcReT"}) {
    auto r = ParseSignerKey(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.status().message(), ::testing::Not(HasSubstr("SeCrEt"))) << r.status().message();
    EXPECT_THAT(r.status().message(), ::testing::Not(HasSubstr("sEcReT"))) << r.status().message();
    EXPECT_THAT(r.status().message(), ::testing::Not(HasSubstr("SeC"))) << r.status().message();
  }
}

TEST(NoteTest, VerifierKeyErrorsNameThePart) {
  const std::string key = "AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
  struct Case {
    std::string text;
    std::string want;
  };
  const Case cases[] = {
      {"example.com/foo+530d903a", "want <name>+<8 hex key id>+<base64 key>"},
      {"+530d903a+" + key, "key name: empty"},
      {"example.com/foo+530D903A+" + key, "key id: got \"530D903A\""},
      {"example.com/foo+530d903+" + key, "key id"},
      {"example.com/foo+530d903b+" + key, "key id: got 530d903b, want 530d903a"},
      {"example.com/fo+530d903a+" + key, "key id: got 530d903a, want"},
      {"example.com/foo+530d903a+" + key.substr(0, 40), "want the base64 of 33 bytes"},
      {"example.com/foo+530d903a+Aj" + key.substr(2), "algorithm: got 0x02"},
      {"example com+530d903a+" + key, "want no '+', spaces"},
      {"example\xC2\xA0"
       "com+530d903a+" +
           key,
       "want no '+', spaces"},
  };
  for (const Case& c : cases) {
    auto v = ParseVerifierKey(c.text);
    ASSERT_FALSE(v.ok()) << c.text;
    EXPECT_EQ(v.status().code(), Code::kInvalidArgument);
    EXPECT_THAT(v.status().message(), HasSubstr(c.want)) << c.text;
  }
}

TEST(NoteTest, MalformedNotesNameTheLine) {
  const std::string sig = "AAAAAQEC";  // key id 1, two signature bytes
  struct Case {
    std::string text;
    std::string want;
  };
  const Case cases[] = {
      {"", "line 1: note: want a final newline"},
      {"hello\n\n" + std::string(kDash) + "k " + sig, "line 3: note: want a final newline"},
      {"hello\n" + std::string(kDash) + "k " + sig + "\n", "want a blank line"},
      {"hello\n\n", "line 3: note: want at least one signature line"},
      {"a\nb\tc\n\n" + std::string(kDash) + "k " + sig + "\n",
       "line 2: byte 2: control character 0x09"},
      {"a\r\n\n" + std::string(kDash) + "k " + sig + "\n",
       "line 1: byte 2: control character 0x0d"},
      {"a\n\xC3\n\n" + std::string(kDash) + "k " + sig + "\n", "line 2: byte 1: invalid UTF-8"},
      {"a\n\xC0\xAF\n\n" + std::string(kDash) + "k " + sig + "\n", "line 2: byte 1: invalid UTF-8"},
      {"a\n\xED\xA0\x80\n\n" + std::string(kDash) + "k " + sig + "\n", "invalid UTF-8"},
      {"a\n\n- k " + sig + "\n", "line 3: signature: got \"- k AAAAAQEC\""},
      {"a\n\n" + std::string(kDash) + "k " + sig + "\n--\n", "line 4: signature"},
      {"a\n\n" + std::string(kDash) + "k\n", "line 3: signature: got"},
      {"a\n\n" + std::string(kDash) + " " + sig + "\n", "line 3: key name: empty"},
      {"a\n\n" + std::string(kDash) + "k+1 " + sig + "\n", "line 3: key name"},
      {"a\n\n" + std::string(kDash) + "k\xE3\x80\x80x " + sig + "\n", "line 3: key name"},
      {"a\n\n" + std::string(kDash) + "k AAAAAQED\n" + std::string(kDash) + "k AAAAAQF=\n",
       "line 4: signature: got \"AAAAAQF=\", want canonical base64"},
      {"a\n\n" + std::string(kDash) + "k AAAAAQ==\n", "line 3: signature: 4 bytes"},
      {"a\n\n" + std::string(kDash) + "k AAAAAQEC \n", "want canonical base64"},
      {"a\n\n" + std::string(kDash) + "k  AAAAAQEC\n", "want canonical base64"},
  };
  for (const Case& c : cases) {
    Status st = ParseError(c.text);
    ASSERT_FALSE(st.ok()) << c.text;
    EXPECT_EQ(st.code(), Code::kInvalidArgument);
    EXPECT_THAT(st.message(), HasSubstr(c.want)) << c.text;
  }
}

TEST(NoteTest, LineNumbersCountFromFirstLine) {
  Status st = ParseNote("a\nb\tc\n\n" + std::string(kDash) + "k AAAAAQEC\n", 9).status();
  EXPECT_THAT(st.message(), HasSubstr("line 10: byte 2"));
}

TEST(NoteTest, LastBlankLineSeparatesSignatures) {
  std::string text = "a\n\n\n" + std::string(kDash) + "k AAAAAQEC\n";
  auto note = ParseNote(text);
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_EQ(note->text, "a\n\n");
  EXPECT_EQ(FormatNote(*note), text);
  auto empty_text = ParseNote("\n\n" + std::string(kDash) + "k AAAAAQEC\n");
  ASSERT_TRUE(empty_text.ok());
  EXPECT_EQ(empty_text->text, "\n");
}

TEST(NoteTest, SignatureCountAndSizeLimits) {
  std::string text = "a\n\n";
  for (size_t i = 0; i < kMaxNoteSignatures; ++i) text += std::string(kDash) + "k AAAAAQEC\n";
  ASSERT_TRUE(ParseNote(text).ok());
  text += std::string(kDash) + "k AAAAAQEC\n";
  EXPECT_THAT(ParseError(text).message(), HasSubstr("line 103: signature: more than 100"));

  std::string big(kMaxNoteBytes, 'a');
  big.back() = '\n';
  EXPECT_THAT(ParseError(big + "\n" + std::string(kDash) + "k AAAAAQEC\n").message(),
              HasSubstr("want at most 1048576"));
}

TEST(NoteTest, KeyNames) {
  EXPECT_TRUE(CheckKeyName("example.com/log42").ok());
  EXPECT_TRUE(CheckKeyName("oid/1.3.6.1.4.1.44363.47.1").ok());
  EXPECT_TRUE(CheckKeyName("caf\xC3\xA9.example").ok());
  for (std::string_view bad :
       {std::string_view(""), std::string_view("a+b"), std::string_view("a b"),
        std::string_view("a\xC2\x85"
                         "b"),
        std::string_view("a\xE2\x80\x8A"
                         "b"),
        std::string_view("a\xFF")}) {
    EXPECT_FALSE(CheckKeyName(bad).ok()) << bad;
  }
}

// RFC 4648 section 10 test vectors, and what strict decoding refuses.
TEST(EncodingTest, Base64) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    auto decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded.has_value()) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
  EXPECT_EQ(Base64Encode(std::string("\xfb\xff\xbf", 3)), "+/+/");
  for (std::string_view bad : {"Zh==", "Zm9=", "Zg=", "Zg", "Z===", "====", "Zm9v\n",
                               "Zg==Zg==", "Zm-v", "Zm_v", "Zm9v====", " Zm9v", "Zm=v"}) {
    EXPECT_FALSE(Base64Decode(bad).has_value()) << bad;
  }
}

TEST(EncodingTest, Decimal) {
  EXPECT_EQ(ParseDecimal("0"), 0u);
  EXPECT_EQ(ParseDecimal("20852163"), 20852163u);
  EXPECT_EQ(ParseDecimal("18446744073709551615"), UINT64_MAX);
  for (std::string_view bad : {"", "01", "00", "18446744073709551616", "99999999999999999999", "-1",
                               "+1", " 1", "1 ", "1a", "0x10"}) {
    EXPECT_FALSE(ParseDecimal(bad).has_value()) << bad;
  }
}

TEST(EncodingTest, NoteTextRules) {
  EXPECT_TRUE(CheckNoteText("ed \xC3\xA8 \xF0\x9F\x98\x80 \x7F\n").ok());
  EXPECT_THAT(CheckNoteText("ok\nok\n\x01").message(), HasSubstr("line 3: byte 1"));
  EXPECT_THAT(CheckNoteText("\xF4\x90\x80\x80").message(), HasSubstr("invalid UTF-8"));
  EXPECT_THAT(CheckNoteText("\xE2\x80").message(), HasSubstr("invalid UTF-8"));
}

}  // namespace
}  // namespace cloison::ledger
