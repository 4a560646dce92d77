// R&D programmes over the API, after their grant: the CNCTR's suspension
// lifted by the CNCTR alone (L. 822-2 III), and the closing by the PM or the
// service's minister that destroys every copy. The roles of each route are
// in the matrix of api_test.cc; their success in vault_api_test.cc.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/api.h"
#include "api/test_harness.h"

namespace cloison::api {
namespace {
namespace json = boost::json;
using service::Role;
using testing::Body;
using testing::ErrorCode;
using testing::Harness;

struct RndApi {
  Harness h{true, false, uint64_t{1} << 20};
  std::string auth, prog, item, copy;

  RndApi() {
    auth = h.Grant("L852-2");
    h.clock().Set(*ParseTime("2025-03-03T09:00:00Z"));
    auto in =
        h.Ingest("authorisation=" + auth + "&kind=correspondence&collected_at=2025-03-03T08:30:00Z",
                 "RND-MARKER call from +33612345678");
    EXPECT_EQ(in.status, 201) << in.body;
    item = std::string(Body(in).at("id").as_string());
    prog = Granted();
    auto a = h.As(Role::kPm, "POST", "/v1/rnd/programmes/" + prog + "/agents",
                  R"({"agent":")" + h.user(Role::kRndAgent).principal.id + R"("})");
    EXPECT_EQ(a.status, 200) << a.body;
    auto c = h.As(Role::kGic, "POST", "/v1/rnd/programmes/" + prog + "/items",
                  R"({"item":")" + item + R"("})");
    EXPECT_EQ(c.status, 201) << c.body;
    copy = std::string(Body(c).at("id").as_string());
  }
  std::string Granted() {
    auto sub = h.As(Role::kServiceAgent, "POST", "/v1/rnd/programmes",
                    R"({"service":"dgsi","title":"t","purpose":"p","technical_parameters":"x"})");
    EXPECT_EQ(sub.status, 201) << sub.body;
    std::string id(Body(sub).at("id").as_string());
    EXPECT_EQ(h.As(Role::kCnctr, "POST", "/v1/rnd/programmes/" + id + "/opinion",
                   R"({"verdict":"favourable","reasons":"r"})")
                  .status,
              200);
    EXPECT_EQ(h.As(Role::kPm, "POST", "/v1/rnd/programmes/" + id + "/decision",
                   R"({"grant":true,"reasons":"r"})")
                  .status,
              200);
    return id;
  }
  HttpResponse Post(Role who, const std::string& what, const std::string& body) {
    return h.As(who, "POST", "/v1/rnd/programmes/" + prog + "/" + what, body);
  }
  int Content(Role who) { return h.As(who, "GET", "/v1/rnd/items/" + copy + "/content").status; }
};

TEST(RndApiTest, TheCnctrLiftsTheSuspensionItRecommended) {
  RndApi t;
  EXPECT_EQ(t.Post(Role::kCnctr, "resume", R"({"reasons":"r"})").status, 409);  // not suspended
  auto rec = t.h.As(Role::kCnctr, "POST", "/v1/recommendations",
                    R"({"kind":"suspend_programme","target":")" + t.prog + R"(","reasons":"r"})");
  ASSERT_EQ(rec.status, 201) << rec.body;
  EXPECT_EQ(t.Content(Role::kRndAgent), 409);
  EXPECT_EQ(t.Post(Role::kPm, "resume", R"({"reasons":"r"})").status, 403);
  EXPECT_EQ(t.Post(Role::kCnctr, "resume", R"({})").status, 400);
  EXPECT_EQ(t.Post(Role::kCnctr, "resume", R"({"reasons":""})").status, 400);
  auto r = t.Post(Role::kCnctr, "resume", R"({"reasons":"complies again"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("state"), "granted");
  EXPECT_EQ(Body(r).at("resumption").at("reasons"), "complies again");
  EXPECT_EQ(t.Content(Role::kRndAgent), 200);
  // The agent's view has no reasons.
  auto seen = t.h.As(Role::kRndAgent, "GET", "/v1/rnd/programmes/" + t.prog);
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(Body(seen).at("resumption").at("reasons"), "");
}

TEST(RndApiTest, ClosingDestroysTheCopiesAndRefusesEverythingAfter) {
  RndApi t;
  // Another ministry's minister: 403; no reasons: 400; unknown: 404.
  auto defence = t.h.Call("POST", "/v1/rnd/programmes/" + t.prog + "/close", R"({"reasons":"r"})",
                          t.h.other("minister_defence").token);
  EXPECT_EQ(defence.status, 403) << defence.body;
  EXPECT_EQ(t.Post(Role::kPm, "close", R"({})").status, 400);
  EXPECT_EQ(
      t.h.As(Role::kPm, "POST", "/v1/rnd/programmes/rnp_none/close", R"({"reasons":"r"})").status,
      404);
  EXPECT_EQ(t.Content(Role::kRndAgent), 200);

  auto closed = t.Post(Role::kMinister, "close", R"({"reasons":"research finished"})");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(Body(closed).at("state"), "closed");
  EXPECT_EQ(Body(closed).at("closure").at("copies_destroyed"), 1);
  EXPECT_EQ(Body(closed).at("closure").at("by"),
            json::value(t.h.user(Role::kMinister).principal.id));
  // The copy is destroyed: the CNCTR gets 410, the agent 409 (closed).
  EXPECT_EQ(t.Content(Role::kCnctr), 410);
  EXPECT_EQ(t.Content(Role::kRndAgent), 409);
  auto d = t.h.As(Role::kCnctr, "GET", "/v1/destructions?since=2025-01-01T00:00:00Z");
  ASSERT_EQ(d.status, 200) << d.body;
  bool listed = false;
  json::value listing = Body(d);
  for (const auto& x : listing.at("items").as_array())
    if (x.at("item") == json::value(t.copy)) {
      listed = true;
      EXPECT_EQ(x.at("reason"), "programme_closed");
      EXPECT_EQ(x.at("article"), "L. 822-2 III");
    }
  EXPECT_TRUE(listed) << d.body;
  // Nothing more: no transfer, no agent, no resume, no second closing.
  EXPECT_EQ(t.h.As(Role::kGic, "POST", "/v1/rnd/programmes/" + t.prog + "/items",
                   R"({"item":")" + t.item + R"("})")
                .status,
            409);
  EXPECT_EQ(t.Post(Role::kPm, "agents",
                   R"({"agent":")" + t.h.user(Role::kRndAgent).principal.id + R"("})")
                .status,
            409);
  EXPECT_EQ(t.Post(Role::kCnctr, "resume", R"({"reasons":"r"})").status, 409);
  auto again = t.Post(Role::kPm, "close", R"({"reasons":"r"})");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(ErrorCode(again), "FAILED_PRECONDITION");
  // The original item is not touched.
  EXPECT_EQ(t.h.As(Role::kGic, "GET", "/v1/items/" + t.item + "/content").status, 200);
}

}  // namespace
}  // namespace cloison::api
