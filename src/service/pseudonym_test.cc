// Keyed pseudonyms (L. 822-2 III): known identifiers replaced, other text
// untouched, stable under one key, unrelated across keys, and no generated
// identifier surviving (property test).
#include "service/pseudonym.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace cloison::service {
namespace {

std::vector<uint8_t> Key(uint8_t fill) {
  return std::vector<uint8_t>(kPseudonymKeySize, fill);
}

std::vector<std::string> Normalised(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& f : FindIdentifiers(text)) out.push_back(f.normalised);
  return out;
}

TEST(PseudonymTest, FindsAndNormalisesEachKind) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Normalised("call +33 6 12 34 56 78 now"), V{"tel:+33612345678"});
  EXPECT_EQ(Normalised("call +33612345678."), V{"tel:+33612345678"});
  EXPECT_EQ(Normalised("call 06 12 34 56 78, or 06.12.34.56.78 or 0612345678"),
            (V{"tel:+33612345678", "tel:+33612345678", "tel:+33612345678"}));
  EXPECT_EQ(Normalised("uk +44 20 7946 0958"), V{"tel:+442079460958"});
  EXPECT_EQ(Normalised("mail Jean.Dupont@Example.FR."), V{"email:jean.dupont@example.fr"});
  EXPECT_EQ(Normalised("from 192.0.2.1 and 010.000.002.001"), (V{"ip:192.0.2.1", "ip:10.0.2.1"}));
  EXPECT_EQ(Normalised("v6 2001:DB8:0:0:0:0:0:1 and [2001:db8::2]:443 and ::ffff:192.0.2.1"),
            (V{"ip:2001:db8::1", "ip:2001:db8::2", "ip:::ffff:192.0.2.1"}));
  EXPECT_EQ(Normalised("imsi 208150123456789 imei 356938035643809"),
            (V{"id15:208150123456789", "id15:356938035643809"}));
  // Two French numbers in a row are two numbers.
  EXPECT_EQ(Normalised("+33 6 12 34 56 78 +33 7 00 00 00 01"),
            (V{"tel:+33612345678", "tel:+33700000001"}));
}

TEST(PseudonymTest, LeavesNonIdentifiersAlone) {
  for (std::string_view text : {
           "the meeting is at 12:30:45 on 2025-07-31T12:00:00Z",
           "version 1.2.3.4.5 of std::string and a::b",  // a::b is a valid IPv6 text form
           "256.1.1.1 is not an address; nor is 1.2.3",
           "14 digits 12345678901234 and 16 digits 1234567890123456",
           "an @ alone, user@localhost, x@y.z1",
           "psn_tel_0123456789abcdef01234567 stays as it is",
           "0012345678 and 1234567890 are not French numbers",
       }) {
    auto found = Normalised(text);
    if (std::string_view(text).find("a::b") != std::string_view::npos) {
      EXPECT_EQ(found, std::vector<std::string>{"ip:a::b"}) << text;
      continue;
    }
    EXPECT_TRUE(found.empty()) << text << ": found " << (found.empty() ? "" : found[0]);
    auto out = Pseudonymise(Key(1), text, "");
    EXPECT_EQ(out.content, text);
    EXPECT_EQ(out.replaced, 0);
  }
}

TEST(PseudonymTest, ReplacesWithKeyedPseudonyms) {
  auto key = Key(7);
  auto out = Pseudonymise(key, "to 06 12 34 56 78 from a@b.fr via 192.0.2.1", "");
  EXPECT_EQ(out.replaced, 3);
  std::string tel = Pseudonym(key, "tel", "tel:+33612345678");
  EXPECT_EQ(out.content, "to " + tel + " from " + Pseudonym(key, "email", "email:a@b.fr") +
                             " via " + Pseudonym(key, "ip", "ip:192.0.2.1"));
  ASSERT_EQ(tel.size(), std::string("psn_tel_").size() + kPseudonymBits / 4);
  EXPECT_EQ(tel.rfind("psn_tel_", 0), 0u);
}

TEST(PseudonymTest, StableUnderOneKeyDifferentAcrossKeys) {
  auto a = Key(1), b = Key(2);
  // The same number, written two ways, links under one key.
  auto x = Pseudonymise(a, "06 12 34 56 78", "");
  auto y = Pseudonymise(a, "+33612345678", "");
  EXPECT_EQ(x.content, y.content);
  auto z = Pseudonymise(b, "06 12 34 56 78", "");
  EXPECT_NE(x.content, z.content);
  // Different identifiers, different pseudonyms.
  EXPECT_NE(Pseudonymise(a, "06 12 34 56 79", "").content, x.content);
}

TEST(PseudonymTest, TargetReference) {
  auto key = Key(3);
  // A target that is an identifier gets the identifier's pseudonym, so it
  // links with the content.
  auto out = Pseudonymise(key, "call from 06 12 34 56 78", "+33612345678");
  EXPECT_EQ(out.target, Pseudonym(key, "tel", "tel:+33612345678"));
  EXPECT_EQ(out.content, "call from " + out.target);
  // Another reference: its own "ref" pseudonym, and its standalone
  // occurrences in the content are replaced; glued ones are other words.
  auto ref = Pseudonymise(key, "cible-42 met cible-42b; (cible-42)", "cible-42");
  EXPECT_EQ(ref.target, Pseudonym(key, "ref", "ref:cible-42"));
  EXPECT_EQ(ref.content, ref.target + " met cible-42b; (" + ref.target + ")");
  EXPECT_EQ(TargetPseudonym(key, ""), "");
}

// Property: whatever the surrounding text, no generated identifier survives
// in any of its written forms, and the output holds no identifier at all.
TEST(PseudonymTest, NoIdentifierSurvives) {
  std::mt19937_64 rng(20250731);
  auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + rng() % 10);
    return s;
  };
  const std::vector<std::string> fillers = {"le",         "rendez-vous", "à",  "12h30", "OK",
                                            "—",          "x",           "(",  ")",     ",",
                                            "2025-07-31", "ref:",        "\n", "42"};
  auto key = Key(9);
  for (int round = 0; round < 500; ++round) {
    std::string text;
    std::vector<std::string> planted;
    for (int w = 0; w < 30; ++w) {
      std::string word;
      switch (rng() % 8) {
        case 0: {
          std::string n = "6" + digits(8);
          word = rng() % 2 ? "+33" + n
                           : "0" + n.substr(0, 1) + " " + n.substr(1, 2) + " " + n.substr(3, 2) +
                                 " " + n.substr(5, 2) + " " + n.substr(7, 2);
          planted.push_back(word);
          planted.push_back(n);  // nor the subscriber digits alone
          break;
        }
        case 1:
          word = "agent" + digits(3) + "@service" + digits(2) + ".gouv.fr";
          planted.push_back(word);
          break;
        case 2:
          word = std::to_string(rng() % 256) + "." + std::to_string(rng() % 256) + "." +
                 std::to_string(rng() % 256) + "." + std::to_string(rng() % 256);
          planted.push_back(word);
          break;
        case 3:
          word = "2001:db8:" + std::to_string(rng() % 9000 + 1000) +
                 "::" + std::to_string(rng() % 9 + 1);
          planted.push_back(word);
          break;
        case 4:
          word = "20815" + digits(10);
          planted.push_back(word);
          break;
        default:
          word = fillers[rng() % fillers.size()];
      }
      text += word;
      text += " ";
    }
    auto out = Pseudonymise(key, text, "");
    for (const auto& p : planted) {
      EXPECT_EQ(out.content.find(p), std::string::npos) << p << " in: " << out.content;
    }
    EXPECT_TRUE(FindIdentifiers(out.content).empty()) << out.content;
  }
}

}  // namespace
}  // namespace cloison::service
