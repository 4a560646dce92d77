#include "service/codec.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace cloison::service {
namespace {
namespace json = boost::json;

TEST(CanonicalTest, SortsKeysAndEscapesMinimally) {
  json::value v = json::parse(R"({"b":1,"a":{"z":true,"y":null},"c":["x\n\u0001\"",-2]})");
  EXPECT_EQ(Canonical(v), R"({"a":{"y":null,"z":true},"b":1,"c":["x\n\u0001\"",-2]})");
}

// Escape looks at eight bytes at a time: every byte value, at every
// position of strings longer and shorter than a word, comes out as the
// byte-by-byte rule says.
TEST(CanonicalTest, EscapesEveryByteAtEveryPosition) {
  auto reference = [](std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      if (c == '"') out += "\\\"";
      else if (c == '\\') out += "\\\\";
      else if (c == '\b') out += "\\b";
      else if (c == '\f') out += "\\f";
      else if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else if (c == '\t') out += "\\t";
      else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else out += static_cast<char>(c);
    }
    return out + "\"";
  };
  for (size_t len : {1, 7, 8, 9, 17, 24}) {
    for (size_t pos = 0; pos < len; ++pos) {
      for (int b = 0; b < 256; ++b) {
        std::string s(len, 'a');
        s[pos] = static_cast<char>(b);
        std::string got;
        AppendCanonicalString(got, s);
        ASSERT_EQ(got, reference(s)) << "len " << len << " pos " << pos << " byte " << b;
      }
    }
  }
}

TEST(CanonicalTest, KeepsNonAsciiAsUtf8) {
  EXPECT_EQ(Canonical(json::value("Ministre de l'Intérieur")), "\"Ministre de l'Intérieur\"");
}

TEST(CodecTest, RequestRoundTrips) {
  authz::Request r;
  r.id = "req_0000000000000001";
  r.draft.service = "dgsi";
  r.draft.minister = "interior";
  r.draft.technique = "L852-1-I";
  r.draft.purposes = {"4", "6"};
  r.draft.targets = {{"identifier", "+33 6"}};
  r.draft.grounds = "g";
  r.draft.duration_days = 30;
  r.draft.urgency = true;
  r.state = authz::RequestState::kGranted;
  r.drafted_by = "prn_0000000000000002";
  r.created_at = *ParseTime("2025-03-03T08:00:00Z");
  r.opinion_due = *ParseTime("2025-03-04T08:00:00Z");
  r.opinion = authz::Opinion{authz::Verdict::kUnfavourable, authz::Formation::kPlenary, "r",
                             "prn_3", *ParseTime("2025-03-03T09:00:00.5Z"), false};
  r.decision = authz::DecisionRecord{true, "because", true, "prn_4", *ParseTime("2025-03-03T10:00:00Z"),
                                     {{"quota.minister", "L. 852-1", "m"}}};
  r.authorisation = "auth_1";
  auto back = RequestFromJson(json::serialize(ToJson(r)));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->draft.purposes, r.draft.purposes);
  EXPECT_EQ(back->draft.targets, r.draft.targets);
  EXPECT_EQ(back->state, r.state);
  ASSERT_TRUE(back->opinion);
  EXPECT_EQ(back->opinion->formation, authz::Formation::kPlenary);
  EXPECT_EQ(back->opinion->at, r.opinion->at);
  ASSERT_TRUE(back->decision);
  EXPECT_EQ(back->decision->violations, r.decision->violations);
  EXPECT_TRUE(back->draft.urgency);
}

TEST(CodecTest, CorruptBodiesAreErrorsNamingTheField) {
  auto bad = RequestFromJson(R"({"id":"x","state":"granted"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kCorruption);
  EXPECT_NE(bad.status().message().find("request."), std::string::npos);
  EXPECT_FALSE(AuthorisationFromJson("not json").ok());
  EXPECT_FALSE(QuotaFromJson(R"({"technique":"L852-3","limit":"ten"})").ok());
}

TEST(DraftFromJsonTest, NamesTheField) {
  struct Case {
    const char* body;
    const char* field;
  } cases[] = {
      {R"([1])", "want an object"},
      {R"({"minister":"interior","technique":"L852-3","purposes":["1"],"targets":[],"grounds":"g","duration_days":3})",
       "service: missing"},
      {R"({"service":"dgsi","minister":"interior","technique":"L852-3","purposes":[1],"targets":[],"grounds":"g","duration_days":3})",
       "purposes[0]"},
      {R"({"service":"dgsi","minister":"interior","technique":"L852-3","purposes":["1"],"targets":[{"type":"person"}],"grounds":"g","duration_days":3})",
       "targets[0].value: missing"},
      {R"({"service":"dgsi","minister":"interior","technique":"L852-3","purposes":["1"],"targets":[],"grounds":"g","duration_days":"3"})",
       "duration_days: got a string"},
      {R"({"service":"dgsi","minister":"interior","technique":"L852-3","purposes":["1"],"targets":[],"grounds":"g","duration_days":0})",
       "duration_days: got 0"},
      {R"({"service":"dgsi","minister":"interior","technique":"L852-3","purposes":["1"],"targets":[],"grounds":"g","duration_days":3,"urgent":true})",
       "urgent: unknown field"},
  };
  for (const auto& c : cases) {
    auto d = DraftFromJson(json::parse(c.body));
    ASSERT_FALSE(d.ok()) << c.body;
    EXPECT_EQ(d.status().code(), Code::kInvalidArgument);
    EXPECT_NE(d.status().message().find(c.field), std::string::npos)
        << d.status().message() << " should mention " << c.field;
  }
  auto ok = DraftFromJson(json::parse(
      R"({"service":"dgsi","minister":"interior","technique":"L852-3","purposes":["1"],"targets":[{"type":"person","value":"X"}],"grounds":"g","duration_days":3,"subsidiarity":"s"})"));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->subsidiarity, "s");
}

}  // namespace
}  // namespace cloison::service
