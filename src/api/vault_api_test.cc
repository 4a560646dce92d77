// The vault's and R&D's endpoints in-process (no sockets): ingest through
// the gate, reads, deadlines moved by the test clock, holds, early
// destruction, destructions, R&D programmes and copies, and the roles that
// may call each. The same flows over real HTTPS are in
// server/vault_server_test.cc.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "api/access.h"
#include "api/api.h"
#include "api/test_harness.h"
#include "cloison/seal.h"

namespace cloison::api {
namespace {
namespace json = boost::json;
using service::Role;
using testing::Body;
using testing::ErrorCode;
using testing::Harness;

std::string Message(const HttpResponse& r) {
  return std::string(Body(r).at("error").at("message").as_string());
}

// An authorisation of L852-2 (correspondence, kept 30 days, L. 822-2 I 1°)
// granted at 08:00, then the clock at 09:00.
struct Fixture {
  Harness h;
  std::string auth;
  explicit Fixture(uint64_t max_item_size = uint64_t{1} << 20) : h(true, false, max_item_size) {
    auth = h.Grant("L852-2");
    h.clock().Set(*ParseTime("2025-03-03T09:00:00Z"));
  }
  std::string Query(std::string_view kind = "correspondence",
                    std::string_view at = "2025-03-03T08:30:00Z") {
    return "authorisation=" + auth + "&kind=" + std::string(kind) +
           "&collected_at=" + std::string(at);
  }
  std::string IngestOk(const std::string& bytes, const std::string& extra = "") {
    auto r = h.Ingest(Query() + extra, bytes);
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return "";
    return std::string(Body(r).at("id").as_string());
  }
  HttpResponse SetClock(std::string_view now) {
    return h.As(Role::kAdmin, "PUT", "/v1/test/clock", R"({"now":")" + std::string(now) + R"("})");
  }
};

TEST(VaultApiTest, IngestReadThenDestroyedOnTimeByTheTestClock) {
  Fixture f;
  auto in = f.h.Ingest(f.Query() + "&target=T-1", "hello vault");
  ASSERT_EQ(in.status, 201) << in.body;
  std::string id(Body(in).at("id").as_string());
  EXPECT_EQ(Body(in).at("state"), "stored");
  // L. 822-2 I 1°: 30 days from collection.
  EXPECT_EQ(Body(in).at("destroy_by"), "2025-04-02T08:30:00Z");
  ASSERT_EQ(in.headers.size(), 1u);
  EXPECT_EQ(in.headers[0].second, "/v1/items/" + id);

  for (Role reader : {Role::kGic, Role::kCnctr}) {
    auto meta = f.h.As(reader, "GET", "/v1/items/" + id);
    ASSERT_EQ(meta.status, 200) << meta.body;
    json::value m = Body(meta);
    EXPECT_EQ(m.at("authorisation").as_string(), f.auth);
    EXPECT_EQ(m.at("technique"), "L852-2");
    EXPECT_EQ(m.at("kind"), "correspondence");
    EXPECT_EQ(m.at("target"), "T-1");
    EXPECT_EQ(m.at("article"), "L. 822-2 I 1°");
    EXPECT_EQ(m.at("size").as_int64(), 11);
    EXPECT_FALSE(m.as_object().contains("bucket"));  // storage stays inside the vault
    EXPECT_EQ(meta.body.find("hello"), std::string::npos);
    auto content = f.h.As(reader, "GET", "/v1/items/" + id + "/content");
    ASSERT_EQ(content.status, 200) << content.body;
    EXPECT_EQ(content.content_type, "application/octet-stream");
    EXPECT_EQ(content.body, "hello vault");
  }
  for (Role other : {Role::kPm, Role::kCollector, Role::kServiceAgent, Role::kAdmin}) {
    EXPECT_EQ(f.h.As(other, "GET", "/v1/items/" + id + "/content").status, 403) << RoleName(other);
  }
  // The day before the deadline nothing goes; past it, the clock's move sweeps.
  auto before = f.SetClock("2025-04-01T09:00:00Z");
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(Body(before).at("destroyed").as_int64(), 0);
  EXPECT_EQ(f.h.As(Role::kGic, "GET", "/v1/items/" + id).status, 200);
  // Buckets are by day: the item goes as the day of its deadline starts.
  auto after = f.SetClock("2025-04-02T00:00:30Z");
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(Body(after).at("destroyed").as_int64(), 1);
  auto gone = f.h.As(Role::kCnctr, "GET", "/v1/items/" + id + "/content");
  EXPECT_EQ(gone.status, 410) << gone.body;
  EXPECT_EQ(ErrorCode(gone), "GONE");
  EXPECT_EQ(f.h.As(Role::kGic, "GET", "/v1/items/" + id).status, 410);
  auto list = f.h.As(Role::kCnctr, "GET", "/v1/destructions?since=2025-04-01T00:00:00Z");
  ASSERT_EQ(list.status, 200) << list.body;
  json::value listed = Body(list);
  const auto& items = listed.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("item").as_string(), id);
  EXPECT_EQ(items[0].at("reason"), "retention");
  EXPECT_EQ(items[0].at("actor"), "system");
  EXPECT_FALSE(items[0].at("late").as_bool());
  EXPECT_GT(items[0].at("ledger_index").as_int64(), 0);
}

TEST(VaultApiTest, TheGateRefusesWith422AndStoresNothing) {
  Fixture f;
  // L852-2 does not collect locations; before the authorisation starts; an
  // authorisation that does not exist (L. 821-1).
  for (const std::string& q :
       {f.Query("location"), f.Query("correspondence", "2025-03-03T07:00:00Z"),
        std::string(
            "authorisation=aut_nope&kind=correspondence&collected_at=2025-03-03T08:30:00Z")}) {
    auto r = f.h.Ingest(q, "x");
    ASSERT_EQ(r.status, 422) << q << " " << r.body;
    EXPECT_EQ(ErrorCode(r), "LEGAL_REFUSAL");
    json::value body = Body(r);
    const auto& v = body.at("error").at("violations").as_array();
    ASSERT_FALSE(v.empty());
    EXPECT_FALSE(v[0].at("article").as_string().empty());
    EXPECT_FALSE(v[0].at("rule").as_string().empty());
  }
  auto list = f.h.As(Role::kGic, "GET", "/v1/destructions");
  EXPECT_TRUE(Body(list).at("items").as_array().empty());
  auto report = f.h.As(Role::kCnctr, "GET", "/v1/reports/annual?year=2025");
  ASSERT_EQ(report.status, 200);
  EXPECT_TRUE(Body(report).at("items_ingested").as_object().empty()) << report.body;
  int64_t refused = 0;
  json::value counts = Body(report);
  for (const auto& [k, n] : counts.at("items_refused").as_object()) refused += n.as_int64();
  EXPECT_EQ(refused, 3) << report.body;
}

TEST(VaultApiTest, BadQueriesMediaTypesAndSizesAreClearErrors) {
  Fixture f(/*max_item_size=*/256);
  struct Case {
    std::string query, want;
  };
  std::vector<Case> cases = {
      {"kind=correspondence&collected_at=2025-03-03T08:30:00Z", "authorisation: missing"},
      {"authorisation=" + f.auth + "&collected_at=2025-03-03T08:30:00Z", "kind: missing"},
      {f.Query("letters"), "kind: got \"letters\""},
      {"authorisation=" + f.auth + "&kind=correspondence", "collected_at: missing"},
      {f.Query("correspondence", "yesterday"), "collected_at: got \"yesterday\""},
      {f.Query() + "&encrypted=maybe", "encrypted: got \"maybe\""},
      {f.Query() + "&colour=red", "unknown parameter \"colour\""},
  };
  for (const auto& c : cases) {
    auto r = f.h.Ingest(c.query, "x");
    EXPECT_TRUE(r.status == 400 || r.status == 404) << c.query << " " << r.body;
    EXPECT_NE(Message(r).find(c.want), std::string::npos) << c.query << " " << r.body;
  }
  auto json_body = f.h.Ingest(f.Query(), "{}", "application/json");
  EXPECT_EQ(json_body.status, 415);
  EXPECT_NE(Message(json_body).find("application/octet-stream"), std::string::npos);
  EXPECT_EQ(f.h.Ingest(f.Query(), "").status, 400);
  // Over max_item_size: 413 naming the setting; 256 bytes exactly is fine.
  auto big = f.h.Ingest(f.Query(), std::string(257, 'x'));
  EXPECT_EQ(big.status, 413) << big.body;
  EXPECT_EQ(ErrorCode(big), "PAYLOAD_TOO_LARGE");
  EXPECT_NE(Message(big).find("max_item_size"), std::string::npos) << big.body;
  EXPECT_EQ(f.h.Ingest(f.Query(), std::string(256, 'x')).status, 201);
  EXPECT_EQ(f.h.api().BodyLimit("POST", "/v1/items?kind=url"), 256u);
  // A sealed body addressed to another key.
  auto other = seal::GenerateKeyPair();
  auto sealed = seal::Seal(other.public_key, std::vector<uint8_t>{'a'});
  ASSERT_TRUE(sealed.ok());
  auto wrong = f.h.Ingest(f.Query(), std::string(sealed->begin(), sealed->end()),
                          "application/cloison-sealed");
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_NE(Message(wrong).find("sealed"), std::string::npos);
  // Nothing of the bad inputs was stored: one item, the 256-byte one.
  auto report = f.h.As(Role::kCnctr, "GET", "/v1/reports/annual?year=2025");
  EXPECT_EQ(Body(report).at("items_ingested").at("correspondence").as_int64(), 1);
}

TEST(VaultApiTest, SealedItemsAreOpenedByTheGicBeforeTheyAreRead) {
  Fixture f;
  std::string text = "deferred centralisation";
  auto sealed =
      seal::Seal(f.h.centralising().public_key, std::vector<uint8_t>(text.begin(), text.end()));
  ASSERT_TRUE(sealed.ok());
  auto in = f.h.Ingest(f.Query(), std::string(sealed->begin(), sealed->end()),
                       "application/cloison-sealed");
  ASSERT_EQ(in.status, 201) << in.body;
  EXPECT_EQ(Body(in).at("state"), "sealed");
  std::string id(Body(in).at("id").as_string());
  EXPECT_EQ(f.h.As(Role::kGic, "GET", "/v1/items/" + id + "/content").status, 409);
  EXPECT_EQ(f.h.As(Role::kCnctr, "POST", "/v1/items/" + id + "/open", "").status, 403);
  auto opened = f.h.As(Role::kGic, "POST", "/v1/items/" + id + "/open", "");
  ASSERT_EQ(opened.status, 200) << opened.body;
  EXPECT_EQ(Body(opened).at("state"), "stored");
  EXPECT_TRUE(Body(opened).at("arrived_sealed").as_bool());
  auto content = f.h.As(Role::kCnctr, "GET", "/v1/items/" + id + "/content");
  ASSERT_EQ(content.status, 200);
  EXPECT_EQ(content.body, text);
  EXPECT_EQ(f.h.As(Role::kGic, "POST", "/v1/items/" + id + "/open", "").status, 409);
}

TEST(VaultApiTest, DecryptionAndTechnicalAnalysisMoveTheDeadline) {
  Fixture f;
  std::string id = f.IngestOk("ciphertext", "&encrypted=true");
  auto meta = Body(f.h.As(Role::kGic, "GET", "/v1/items/" + id));
  EXPECT_TRUE(meta.at("encrypted").as_bool());
  // Not decrypted yet: the encrypted ceiling, 6 years from collection.
  EXPECT_EQ(meta.at("destroy_by"), "2031-03-03T08:30:00Z");
  auto dec = f.h.As(Role::kGic, "POST", "/v1/items/" + id + "/decryption",
                    R"({"decrypted_at":"2025-03-03T08:45:00Z"})");
  ASSERT_EQ(dec.status, 200) << dec.body;
  EXPECT_EQ(Body(dec).at("destroy_by"), "2025-04-02T08:45:00Z");
  EXPECT_EQ(Body(dec).at("decrypted_at"), "2025-03-03T08:45:00Z");
  EXPECT_EQ(f.h.As(Role::kGic, "POST", "/v1/items/" + id + "/decryption", R"({"at":"x"})").status,
            400);
  auto ta = f.h.As(Role::kGic, "POST", "/v1/items/" + id + "/technical-analysis",
                   R"({"justification":"decoder study","until":"2026-01-01T00:00:00Z"})");
  ASSERT_EQ(ta.status, 200) << ta.body;
  EXPECT_EQ(Body(ta).at("analysis_until"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(f.h.As(Role::kGic, "POST", "/v1/items/" + id + "/technical-analysis",
                   R"({"justification":"","until":"2026-01-01T00:00:00Z"})")
                .status,
            400);
  EXPECT_EQ(f.h.As(Role::kCnctr, "POST", "/v1/items/" + id + "/decryption",
                   R"({"decrypted_at":"2025-03-03T08:45:00Z"})")
                .status,
            403);
}

TEST(VaultApiTest, HoldsSuspendDestructionUntilReleased) {
  Fixture f;
  std::string id = f.IngestOk("held");
  EXPECT_EQ(f.h.As(Role::kPm, "POST", "/v1/holds", R"({"case":"CE-1"})").status, 400);
  EXPECT_EQ(f.h.As(Role::kPm, "POST", "/v1/holds", R"({"case":"CE-1","items":[1]})").status, 400);
  EXPECT_EQ(
      f.h.As(Role::kPm, "POST", "/v1/holds", R"({"case":"CE-1","items":["itm_nope"]})").status,
      404);
  auto placed =
      f.h.As(Role::kPm, "POST", "/v1/holds", R"({"case":"CE-1","items":[")" + id + R"("]})");
  ASSERT_EQ(placed.status, 201) << placed.body;
  std::string hold(Body(placed).at("id").as_string());
  EXPECT_EQ(Body(placed).at("state"), "placed");
  EXPECT_EQ(f.h.As(Role::kCnctr, "GET", "/v1/holds/" + hold).status, 200);
  // Held: past its deadline it stays, and may not be destroyed early.
  ASSERT_EQ(f.SetClock("2025-05-01T00:00:00Z").status, 200);
  auto meta = f.h.As(Role::kGic, "GET", "/v1/items/" + id);
  ASSERT_EQ(meta.status, 200) << meta.body;
  EXPECT_EQ(Body(meta).at("state"), "held");
  EXPECT_EQ(f.h.As(Role::kGic, "POST", "/v1/items/" + id + "/unrelated", "").status, 409);
  auto released = f.h.As(Role::kPm, "DELETE", "/v1/holds/" + hold);
  ASSERT_EQ(released.status, 200) << released.body;
  EXPECT_EQ(Body(released).at("state"), "released");
  EXPECT_EQ(f.h.As(Role::kPm, "DELETE", "/v1/holds/" + hold).status, 409);
  // Its deadline has passed: the next sweep destroys it.
  auto sweep = f.h.As(Role::kGic, "POST", "/v1/retention/sweep", "");
  ASSERT_EQ(sweep.status, 200) << sweep.body;
  EXPECT_EQ(Body(sweep).at("destroyed").as_int64(), 1);
  EXPECT_GE(Body(sweep).at("root_epoch").as_int64(), 2);
  EXPECT_EQ(f.h.As(Role::kGic, "GET", "/v1/items/" + id).status, 410);
  EXPECT_EQ(
      Body(f.h.As(Role::kGic, "POST", "/v1/retention/sweep", "{}")).at("destroyed").as_int64(), 0);
  EXPECT_EQ(f.h.As(Role::kGic, "POST", "/v1/retention/sweep", R"({"now":1})").status, 400);
}

TEST(VaultApiTest, UnrelatedItemsAreDestroyedNowAndListedPageByPage) {
  Fixture f;
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    std::string id = f.IngestOk("unrelated " + std::to_string(i));
    auto d = f.h.As(Role::kGic, "POST", "/v1/items/" + id + "/unrelated", "");
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(Body(d).at("reason"), "unrelated");
    EXPECT_EQ(Body(d).at("actor").as_string(), f.h.user(Role::kGic).principal.id);
    EXPECT_EQ(f.h.As(Role::kGic, "POST", "/v1/items/" + id + "/unrelated", "").status, 410);
    ids.insert(id);
  }
  std::set<std::string> seen;
  std::string after;
  int pages = 0;
  for (; pages < 5; ++pages) {
    auto r = f.h.As(Role::kGic, "GET",
                    "/v1/destructions?limit=2" + (after.empty() ? "" : "&after=" + after));
    ASSERT_EQ(r.status, 200) << r.body;
    json::value v = Body(r);
    for (const auto& d : v.at("items").as_array())
      seen.insert(std::string(d.at("item").as_string()));
    if (!v.as_object().contains("next")) break;
    after = std::string(v.at("next").as_string());
  }
  EXPECT_EQ(pages, 1);
  EXPECT_EQ(seen, ids);
  EXPECT_TRUE(Body(f.h.As(Role::kCnctr, "GET", "/v1/destructions?since=2026-01-01T00:00:00Z"))
                  .at("items")
                  .as_array()
                  .empty());
  EXPECT_EQ(f.h.As(Role::kCnctr, "GET", "/v1/destructions?since=soon").status, 400);
  EXPECT_EQ(f.h.As(Role::kCnctr, "GET", "/v1/destructions?limit=0").status, 400);
  EXPECT_EQ(f.h.As(Role::kCnctr, "GET", "/v1/destructions?colour=red").status, 400);
}

TEST(VaultApiTest, RndProgrammeTransferAndPseudonymisedRead) {
  Fixture f;
  std::string id = f.IngestOk("call from +33612345678 to alice@example.org");
  auto sub = f.h.As(Role::kServiceAgent, "POST", "/v1/rnd/programmes",
                    R"({"service":"dgsi","title":"codec study","purpose":"decoding VoIP codecs",)"
                    R"("technical_parameters":"sampled correspondence"})");
  ASSERT_EQ(sub.status, 201) << sub.body;
  std::string prog(Body(sub).at("id").as_string());
  EXPECT_EQ(Body(sub).at("state"), "awaiting_opinion");
  // The PM may not decide before the CNCTR's opinion (L. 822-2 III).
  auto early = f.h.As(Role::kPm, "POST", "/v1/rnd/programmes/" + prog + "/decision",
                      R"({"grant":true,"reasons":"r"})");
  EXPECT_EQ(early.status, 422) << early.body;
  auto op = f.h.As(Role::kCnctr, "POST", "/v1/rnd/programmes/" + prog + "/opinion",
                   R"({"verdict":"favourable","reasons":"proportionate"})");
  ASSERT_EQ(op.status, 200) << op.body;
  auto dec = f.h.As(Role::kPm, "POST", "/v1/rnd/programmes/" + prog + "/decision",
                    R"({"grant":true,"reasons":"granted"})");
  ASSERT_EQ(dec.status, 200) << dec.body;
  EXPECT_EQ(Body(dec).at("state"), "granted");
  const std::string agent = f.h.user(Role::kRndAgent).principal.id;
  // Not assigned yet: the agent sees nothing of the programme.
  EXPECT_EQ(f.h.As(Role::kRndAgent, "GET", "/v1/rnd/programmes/" + prog).status, 403);
  auto assigned = f.h.As(Role::kPm, "POST", "/v1/rnd/programmes/" + prog + "/agents",
                         R"({"agent":")" + agent + R"("})");
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  auto view = f.h.As(Role::kRndAgent, "GET", "/v1/rnd/programmes/" + prog);
  ASSERT_EQ(view.status, 200) << view.body;
  auto copy = f.h.As(Role::kGic, "POST", "/v1/rnd/programmes/" + prog + "/items",
                     R"({"item":")" + id + R"("})");
  ASSERT_EQ(copy.status, 201) << copy.body;
  std::string copy_id(Body(copy).at("id").as_string());
  EXPECT_GE(Body(copy).at("identifiers").as_int64(), 2);
  for (Role reader : {Role::kRndAgent, Role::kCnctr}) {
    auto content = f.h.As(reader, "GET", "/v1/rnd/items/" + copy_id + "/content");
    ASSERT_EQ(content.status, 200) << RoleName(reader) << content.body;
    EXPECT_EQ(content.body.find("+33612345678"), std::string::npos) << content.body;
    EXPECT_EQ(content.body.find("alice@example.org"), std::string::npos) << content.body;
    EXPECT_NE(content.body.find("call from"), std::string::npos) << content.body;
  }
  EXPECT_EQ(f.h.As(Role::kGic, "GET", "/v1/rnd/items/" + copy_id + "/content").status, 403);
  EXPECT_EQ(f.h.As(Role::kRndAgent, "GET", "/v1/items/" + id + "/content").status, 403);
  EXPECT_EQ(f.h.As(Role::kCnctr, "POST", "/v1/rnd/programmes/" + prog + "/opinion",
                   R"({"verdict":"maybe","reasons":"r"})")
                .status,
            400);
}

TEST(VaultApiTest, ExploitationFlagsOtherPurposesAndRecommendationsDestroy) {
  Fixture f;
  std::string id = f.IngestOk("the call");
  // Purpose 4 is the authorisation's; purpose 1 is another: flagged, queued.
  auto own = f.h.As(Role::kGic, "POST", "/v1/items/" + id + "/transcriptions",
                    R"({"text":"they met","purpose":"4"})");
  ASSERT_EQ(own.status, 201) << own.body;
  EXPECT_FALSE(Body(own).at("other_purpose").as_bool());
  std::string trn(Body(own).at("id").as_string());
  auto other = f.h.As(Role::kGic, "POST", "/v1/items/" + id + "/transcriptions",
                      R"({"text":"they met","purpose":"1"})");
  ASSERT_EQ(other.status, 201) << other.body;
  EXPECT_TRUE(Body(other).at("other_purpose").as_bool());
  auto queue = f.h.As(Role::kCnctr, "GET", "/v1/cnctr-queue");
  ASSERT_EQ(queue.status, 200) << queue.body;
  ASSERT_EQ(Body(queue).at("items").as_array().size(), 1u);
  EXPECT_EQ(Body(queue).at("items").at(0).at("article"), "L. 822-4");
  EXPECT_EQ(f.h.As(Role::kCnctr, "GET", "/v1/cnctr-queue?state=closed").status, 400);
  EXPECT_EQ(f.h.As(Role::kGic, "POST", "/v1/items/" + id + "/transcriptions",
                   R"({"text":"x","purpose":"4","colour":1})")
                .status,
            400);
  // Transmitted to dgse: its agent reads it, dgsi's does not.
  auto sent = f.h.As(Role::kGic, "POST", "/v1/transcriptions/" + trn + "/transmissions",
                     R"({"recipient_service":"dgse","purpose":"4"})");
  ASSERT_EQ(sent.status, 201) << sent.body;
  auto dgse =
      f.h.Call("GET", "/v1/transcriptions/" + trn + "/content", "", f.h.other("agent_dgse").token);
  ASSERT_EQ(dgse.status, 200) << dgse.body;
  EXPECT_EQ(dgse.body, "they met");
  EXPECT_EQ(f.h.As(Role::kServiceAgent, "GET", "/v1/transcriptions/" + trn + "/content").status,
            403);
  auto destroyed = f.h.As(Role::kGic, "POST", "/v1/transcriptions/" + trn + "/destroy", "");
  ASSERT_EQ(destroyed.status, 200) << destroyed.body;
  EXPECT_EQ(Body(destroyed).at("state"), "destroyed");
  EXPECT_EQ(f.h.As(Role::kCnctr, "GET", "/v1/transcriptions/" + trn + "/content").status, 410);
  // A destroy recommendation takes the item and its kept transcriptions now.
  auto rec = f.h.As(Role::kCnctr, "POST", "/v1/recommendations",
                    R"({"kind":"destroy","target":")" + id + R"(","reasons":"irregular"})");
  ASSERT_EQ(rec.status, 201) << rec.body;
  EXPECT_EQ(Body(rec).at("state"), "executed");
  EXPECT_EQ(f.h.As(Role::kGic, "GET", "/v1/items/" + id).status, 410);
  auto list = f.h.As(Role::kCnctr, "GET", "/v1/destructions");
  std::set<std::string> reasons;
  json::value listed = Body(list);
  for (const auto& d : listed.at("items").as_array())
    reasons.insert(std::string(d.at("reason").as_string()));
  EXPECT_TRUE(reasons.count("recommendation")) << list.body;
  EXPECT_EQ(f.h.As(Role::kCnctr, "POST", "/v1/recommendations",
                   R"({"kind":"applause","target":"x","reasons":"r"})")
                .status,
            400);
}

// With real records, every role of the access table succeeds (2xx) on every
// vault, R&D, exploitation and recommendation operation; the matrix in
// api_test.cc shows that the other roles get 403.
TEST(VaultApiTest, AllowedRolesSucceed) {
  Fixture f;
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(f.IngestOk("item " + std::to_string(i)));
  std::string sealed_id;
  {
    auto sealed = seal::Seal(f.h.centralising().public_key, std::vector<uint8_t>{'s'});
    ASSERT_TRUE(sealed.ok());
    auto in = f.h.Ingest(f.Query(), std::string(sealed->begin(), sealed->end()),
                         "application/cloison-sealed");
    ASSERT_EQ(in.status, 201);
    sealed_id = std::string(Body(in).at("id").as_string());
  }
  std::string enc = f.IngestOk("enc", "&encrypted=true");
  std::map<std::string, int> ok;  // operation -> roles that succeeded
  auto expect = [&](std::string_view op, Role role, const HttpResponse& r) {
    EXPECT_TRUE(MayCall(op, role)) << op << " " << RoleName(role);
    EXPECT_GE(r.status, 200) << op << " " << RoleName(role) << " " << r.body;
    EXPECT_LT(r.status, 300) << op << " " << RoleName(role) << " " << r.body;
    ++ok[std::string(op)];
  };
  for (Role r : {Role::kGic, Role::kCnctr}) {
    expect("getItem", r, f.h.As(r, "GET", "/v1/items/" + ids[0]));
    expect("getItemContent", r, f.h.As(r, "GET", "/v1/items/" + ids[0] + "/content"));
    expect("listDestructions", r, f.h.As(r, "GET", "/v1/destructions"));
  }
  expect("openSealedItem", Role::kGic,
         f.h.As(Role::kGic, "POST", "/v1/items/" + sealed_id + "/open"));
  expect("recordDecryption", Role::kGic,
         f.h.As(Role::kGic, "POST", "/v1/items/" + enc + "/decryption",
                R"({"decrypted_at":"2025-03-03T08:40:00Z"})"));
  expect("recordTechnicalAnalysis", Role::kGic,
         f.h.As(Role::kGic, "POST", "/v1/items/" + enc + "/technical-analysis",
                R"({"justification":"j","until":"2025-12-01T00:00:00Z"})"));
  expect("markItemUnrelated", Role::kGic,
         f.h.As(Role::kGic, "POST", "/v1/items/" + ids[1] + "/unrelated"));
  auto placed =
      f.h.As(Role::kPm, "POST", "/v1/holds", R"({"case":"CE-2","items":[")" + ids[2] + R"("]})");
  expect("placeHold", Role::kPm, placed);
  std::string hold(Body(placed).at("id").as_string());
  for (Role r : {Role::kPm, Role::kCnctr})
    expect("getHold", r, f.h.As(r, "GET", "/v1/holds/" + hold));
  expect("releaseHold", Role::kPm, f.h.As(Role::kPm, "DELETE", "/v1/holds/" + hold));
  expect("sweepRetention", Role::kGic, f.h.As(Role::kGic, "POST", "/v1/retention/sweep"));
  expect("ingestItem", Role::kCollector, f.h.Ingest(f.Query(), "collector"));

  auto sub = f.h.As(Role::kServiceAgent, "POST", "/v1/rnd/programmes",
                    R"({"service":"dgsi","title":"t","purpose":"p","technical_parameters":"x"})");
  expect("submitRndProgramme", Role::kServiceAgent, sub);
  std::string prog(Body(sub).at("id").as_string());
  expect("giveRndOpinion", Role::kCnctr,
         f.h.As(Role::kCnctr, "POST", "/v1/rnd/programmes/" + prog + "/opinion",
                R"({"verdict":"favourable","reasons":"r"})"));
  expect("decideRndProgramme", Role::kPm,
         f.h.As(Role::kPm, "POST", "/v1/rnd/programmes/" + prog + "/decision",
                R"({"grant":true,"reasons":"r"})"));
  const std::string agent = R"({"agent":")" + f.h.user(Role::kRndAgent).principal.id + R"("})";
  auto second = f.h.workflow().AddPrincipal({"", "rnd2", Role::kRndAgent, "dgsi", ""});
  ASSERT_TRUE(second.ok());
  expect("assignRndAgent", Role::kPm,
         f.h.As(Role::kPm, "POST", "/v1/rnd/programmes/" + prog + "/agents", agent));
  expect("assignRndAgent", Role::kAdmin,
         f.h.As(Role::kAdmin, "POST", "/v1/rnd/programmes/" + prog + "/agents",
                R"({"agent":")" + second->id + R"("})"));
  for (Role r : {Role::kServiceAgent, Role::kCnctr, Role::kPm, Role::kRndAgent, Role::kAdmin})
    expect("getRndProgramme", r, f.h.As(r, "GET", "/v1/rnd/programmes/" + prog));
  auto copy = f.h.As(Role::kGic, "POST", "/v1/rnd/programmes/" + prog + "/items",
                     R"({"item":")" + ids[3] + R"("})");
  expect("transferRndItem", Role::kGic, copy);
  std::string copy_id(Body(copy).at("id").as_string());
  for (Role r : {Role::kRndAgent, Role::kCnctr})
    expect("getRndItemContent", r, f.h.As(r, "GET", "/v1/rnd/items/" + copy_id + "/content"));
  // Suspended on a CNCTR recommendation, resumed by the CNCTR, closed by the
  // PM; a second programme closed by its service's minister.
  ASSERT_EQ(f.h.As(Role::kCnctr, "POST", "/v1/recommendations",
                   R"({"kind":"suspend_programme","target":")" + prog + R"(","reasons":"r"})")
                .status,
            201);
  expect("resumeRndProgramme", Role::kCnctr,
         f.h.As(Role::kCnctr, "POST", "/v1/rnd/programmes/" + prog + "/resume",
                R"({"reasons":"complies"})"));
  expect(
      "closeRndProgramme", Role::kPm,
      f.h.As(Role::kPm, "POST", "/v1/rnd/programmes/" + prog + "/close", R"({"reasons":"done"})"));
  auto sub2 = f.h.As(Role::kServiceAgent, "POST", "/v1/rnd/programmes",
                     R"({"service":"dgsi","title":"t2","purpose":"p","technical_parameters":"x"})");
  std::string prog2(Body(sub2).at("id").as_string());
  f.h.As(Role::kCnctr, "POST", "/v1/rnd/programmes/" + prog2 + "/opinion",
         R"({"verdict":"favourable","reasons":"r"})");
  f.h.As(Role::kPm, "POST", "/v1/rnd/programmes/" + prog2 + "/decision",
         R"({"grant":true,"reasons":"r"})");
  expect("closeRndProgramme", Role::kMinister,
         f.h.As(Role::kMinister, "POST", "/v1/rnd/programmes/" + prog2 + "/close",
                R"({"reasons":"done"})"));

  // Exploitation and recommendations.
  auto tr = f.h.As(Role::kGic, "POST", "/v1/items/" + ids[0] + "/transcriptions",
                   R"({"text":"t","purpose":"4"})");
  expect("transcribeItem", Role::kGic, tr);
  std::string trn(Body(tr).at("id").as_string());
  expect("extractFromItem", Role::kGic,
         f.h.As(Role::kGic, "POST", "/v1/items/" + ids[0] + "/extractions",
                R"({"text":"e","purpose":"1"})"));
  expect("transmitTranscription", Role::kGic,
         f.h.As(Role::kGic, "POST", "/v1/transcriptions/" + trn + "/transmissions",
                R"({"recipient_service":"dgsi","purpose":"4"})"));
  for (Role r : {Role::kGic, Role::kCnctr})
    expect("getTranscription", r, f.h.As(r, "GET", "/v1/transcriptions/" + trn));
  for (Role r : {Role::kGic, Role::kCnctr, Role::kServiceAgent})
    expect("getTranscriptionContent", r,
           f.h.As(r, "GET", "/v1/transcriptions/" + trn + "/content"));
  auto queue = f.h.As(Role::kCnctr, "GET", "/v1/cnctr-queue");
  expect("listCnctrQueue", Role::kCnctr, queue);
  ASSERT_FALSE(Body(queue).at("items").as_array().empty()) << queue.body;
  std::string entry(Body(queue).at("items").at(0).at("id").as_string());
  expect("acknowledgeQueueEntry", Role::kCnctr,
         f.h.As(Role::kCnctr, "POST", "/v1/cnctr-queue/" + entry + "/acknowledgement"));
  expect("destroyTranscription", Role::kGic,
         f.h.As(Role::kGic, "POST", "/v1/transcriptions/" + trn + "/destroy"));
  auto rec = f.h.As(Role::kCnctr, "POST", "/v1/recommendations",
                    R"({"kind":"interrupt","target":")" + f.auth + R"(","reasons":"r"})");
  expect("createRecommendation", Role::kCnctr, rec);
  std::string rec_id(Body(rec).at("id").as_string());
  for (Role r : {Role::kCnctr, Role::kPm})
    expect("getRecommendation", r, f.h.As(r, "GET", "/v1/recommendations/" + rec_id));
  expect("recordFollowUp", Role::kPm,
         f.h.As(Role::kPm, "POST", "/v1/recommendations/" + rec_id + "/follow-up",
                R"({"response":"interrupted"})"));

  // Every operation exercised here was so by exactly its roles.
  for (const Access& a : AccessTable()) {
    if (!ok.count(std::string(a.operation))) continue;
    EXPECT_EQ(ok[std::string(a.operation)], static_cast<int>(a.roles.size())) << a.operation;
  }
  EXPECT_EQ(ok.size(), 32u);
}

}  // namespace
}  // namespace cloison::api
