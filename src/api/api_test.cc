// The API in-process: handlers called with an HttpRequest, no sockets.
#include "api/api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "api/access.h"
#include "api/errors.h"
#include "api/openapi.h"
#include "api/test_harness.h"
#include "ledger/proof.h"

namespace cloison::api {
namespace {
namespace json = boost::json;
using service::Role;
using testing::Body;
using testing::ErrorCode;
using testing::GoodDraft;
using testing::Harness;

std::string ErrorMessage(const HttpResponse& r) {
  return std::string(Body(r).at("error").at("message").as_string());
}

const std::vector<Role> kRoles = {Role::kServiceAgent, Role::kMinister, Role::kCnctr,
                                  Role::kPm,           Role::kGic,      Role::kCollector,
                                  Role::kRndAgent,     Role::kAdmin};

TEST(ErrorsTest, EveryErrorHasTheContractShape) {
  HttpResponse r = ErrorResponse(Status::InvalidArgument("duration_days: got 31, want <= 30"));
  EXPECT_EQ(r.status, 400);
  json::value v = Body(r);
  EXPECT_EQ(v.at("error").at("code"), "INVALID_ARGUMENT");
  EXPECT_EQ(v.at("error").at("message"), "duration_days: got 31, want <= 30");
  EXPECT_TRUE(v.at("error").at("violations").as_array().empty());
  EXPECT_EQ(HttpStatusOf(Code::kNotFound), 404);
  EXPECT_EQ(HttpStatusOf(Code::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusOf(Code::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusOf(Code::kUnimplemented), 501);
  EXPECT_EQ(HttpStatusOf(Code::kIoError), 503);
  // What the client cannot act on stays in the log.
  HttpResponse internal = ErrorResponse(Status::Corruption("request.draft.grounds: bad"));
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.body.find("grounds"), std::string::npos);
  HttpResponse unauth = ErrorResponse(HttpError::kUnauthenticated, "no");
  EXPECT_EQ(unauth.status, 401);
  ASSERT_EQ(unauth.headers.size(), 1u);
  EXPECT_EQ(unauth.headers[0].first, "WWW-Authenticate");
}

// A message quotes what the client sent, which need not be UTF-8 (a raw
// byte in a query name, found by fuzz/http_fuzz.cc): the body stays valid
// JSON, each stray byte a U+FFFD, well-formed characters kept.
TEST(ErrorsTest, AMessageQuotingBytesThatAreNotUtf8IsStillJson) {
  const std::string sent =
      "auth\xE0\xE0orisation \xC3\xA9t\xC3\xA9 \xED\xA0\x80 \xF4\x90\x80\x80 \xC0\xAF";
  HttpResponse r =
      ErrorResponse(Status::InvalidArgument("query: unknown parameter \"" + sent + "\""));
  EXPECT_EQ(r.status, 400);
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  ASSERT_FALSE(ec) << ec.message();
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(std::string(v.at("error").at("message").as_string()),
            "query: unknown parameter \"auth" + fffd + fffd + "orisation \xC3\xA9t\xC3\xA9 " +
                fffd + fffd + fffd + " " + fffd + fffd + fffd + fffd + " " + fffd + fffd + "\"");
}

TEST(ErrorsTest, LegalRefusalListsTheViolations) {
  HttpResponse r = LegalRefusal(
      {{"technique.duration", "L. 852-3", "duration_days: got 31, want <= 30"}}, "req_1");
  EXPECT_EQ(r.status, 422);
  json::value v = Body(r);
  EXPECT_EQ(v.at("error").at("code"), "LEGAL_REFUSAL");
  EXPECT_EQ(v.at("error").at("subject"), "req_1");
  const auto& vs = v.at("error").at("violations").as_array();
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].at("rule"), "technique.duration");
  EXPECT_EQ(vs[0].at("article"), "L. 852-3");
  EXPECT_EQ(vs[0].at("message"), "duration_days: got 31, want <= 30");
}

TEST(RouterTest, MatchesPatternsAndSaysWhatIsAllowed) {
  Router r;
  auto ok = [](const Call&) -> Result<HttpResponse> { return HttpResponse{}; };
  r.Add("GET", "/v1/requests/{id}", "get", ok);
  r.Add("POST", "/v1/requests/{id}/opinion", "opinion", ok);
  r.Add("GET", "/v1/ledger/tile/{path...}", "tile", ok);
  auto m = r.Find("GET", "/v1/requests/req%5F1");
  ASSERT_EQ(m.outcome, Router::Outcome::kFound);
  EXPECT_EQ(m.route->operation, "get");
  EXPECT_EQ(m.params.at("id"), "req_1");
  m = r.Find("DELETE", "/v1/requests/x");
  EXPECT_EQ(m.outcome, Router::Outcome::kWrongMethod);
  EXPECT_EQ(m.allowed, std::vector<std::string>{"GET"});
  EXPECT_EQ(r.Find("GET", "/v1/requests/").outcome, Router::Outcome::kNoPath);
  EXPECT_EQ(r.Find("GET", "/v1/requests").outcome, Router::Outcome::kNoPath);
  EXPECT_EQ(r.Find("GET", "/v1/requests/a/b").outcome, Router::Outcome::kNoPath);
  EXPECT_EQ(r.Find("GET", "v1/requests/a").outcome, Router::Outcome::kNoPath);
  EXPECT_EQ(r.Find("GET", "/v1/requests/%zz").outcome, Router::Outcome::kNoPath);
  EXPECT_EQ(r.Find("GET", "/v1/requests/%00").outcome, Router::Outcome::kNoPath);
  m = r.Find("GET", "/v1/ledger/tile/0/x001/234.p/5");
  ASSERT_EQ(m.outcome, Router::Outcome::kFound);
  EXPECT_EQ(m.params.at("path"), "0/x001/234.p/5");
  EXPECT_EQ(r.Find("GET", "/v1/ledger/tile/").outcome, Router::Outcome::kNoPath);
  EXPECT_EQ(r.Find("GET", "/v1/ledger/tile/a//b").outcome, Router::Outcome::kNoPath);
}

TEST(RouterTest, ParsesQueries) {
  auto q = ParseQuery("state=awaiting_opinion&limit=5&after=req%5F1&x=a+b&flag");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->at("state"), "awaiting_opinion");
  EXPECT_EQ(q->at("after"), "req_1");
  EXPECT_EQ(q->at("x"), "a b");
  EXPECT_EQ(q->at("flag"), "");
  EXPECT_FALSE(ParseQuery("a=1&a=2").ok());
  EXPECT_FALSE(ParseQuery("a=%4").ok());
  // UTF-8, raw or escaped, passes; anything else is refused by name.
  auto utf8 = ParseQuery("target=%C3%A9t%C3%A9&b=\xC3\xA9");
  ASSERT_TRUE(utf8.ok()) << utf8.status().ToString();
  EXPECT_EQ(utf8->at("target"), "\xC3\xA9t\xC3\xA9");
  for (std::string_view bad : {"authorisation=aut_00%F1%FF%FF%FF00",
                               "a\xE0\xE0"
                               "b=1",
                               "x=%C0%AF"}) {
    auto q = ParseQuery(bad);
    ASSERT_FALSE(q.ok()) << bad;
    EXPECT_EQ(q.status().message(), "query: not UTF-8");
  }
}

TEST(ApiTest, RequestOpinionDecisionAuthorisation) {
  Harness h;
  auto sub = h.As(Role::kServiceAgent, "POST", "/v1/requests", GoodDraft());
  ASSERT_EQ(sub.status, 201) << sub.body;
  std::string id(Body(sub).at("id").as_string());
  EXPECT_EQ(Body(sub).at("state"), "awaiting_opinion");
  EXPECT_TRUE(Body(sub).as_object().contains("opinion_due"));

  auto op = h.As(Role::kCnctr, "POST", "/v1/requests/" + id + "/opinion",
                 R"({"verdict":"favourable","formation":"single","reasons":"ok"})");
  ASSERT_EQ(op.status, 200) << op.body;
  EXPECT_EQ(Body(op).at("state"), "opinion_given");

  auto dec = h.As(Role::kPm, "POST", "/v1/requests/" + id + "/decision",
                  R"({"grant":true,"reasons":"necessary"})");
  ASSERT_EQ(dec.status, 201) << dec.body;
  std::string auth(Body(dec).at("authorisation").at("id").as_string());
  EXPECT_EQ(Body(dec).at("authorisation").at("state"), "approved");

  auto got = h.As(Role::kGic, "GET", "/v1/authorisations/" + auth);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Body(got).at("technique"), "L851-4");
  EXPECT_EQ(std::string(Body(got).at("request").as_string()), id);

  auto req = h.As(Role::kMinister, "GET", "/v1/requests/" + id);
  ASSERT_EQ(req.status, 200) << req.body;
  EXPECT_EQ(Body(req).at("state"), "granted");
  EXPECT_EQ(Body(req).at("history").as_array().size(), 3u);

  // Wrong state: a second decision is 409.
  auto again = h.As(Role::kPm, "POST", "/v1/requests/" + id + "/decision",
                    R"({"grant":true,"reasons":"again"})");
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(ErrorCode(again), "FAILED_PRECONDITION");

  auto term = h.As(Role::kPm, "POST", "/v1/authorisations/" + auth + "/terminate", "");
  ASSERT_EQ(term.status, 200) << term.body;
  EXPECT_EQ(Body(term).at("state"), "cancelled");
}

TEST(ApiTest, TheLawSaysNoWith422AndTheArticles) {
  Harness h;
  std::string body = GoodDraft();
  body.replace(body.find("\"duration_days\":30"), 18, "\"duration_days\":400");
  auto r = h.As(Role::kServiceAgent, "POST", "/v1/requests", body);
  ASSERT_EQ(r.status, 422) << r.body;
  json::value v = Body(r);
  EXPECT_EQ(v.at("error").at("code"), "LEGAL_REFUSAL");
  ASSERT_FALSE(v.at("error").at("violations").as_array().empty());
  EXPECT_FALSE(v.at("error").at("violations").at(0).at("article").as_string().empty());
  // The refusal is recorded under its own id.
  std::string id(v.at("error").at("subject").as_string());
  auto got = h.As(Role::kCnctr, "GET", "/v1/requests/" + id);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(Body(got).at("state"), "refused");

  // A quota allocation larger than the limit is refused by the law too.
  auto q = h.As(Role::kPm, "PUT", "/v1/quotas/L852-1-I",
                R"({"limit":1,"allocation":{"interior":2},"cnctr_opinion_ref":"CNCTR-1"})");
  EXPECT_EQ(q.status, 422) << q.body;
}

TEST(ApiTest, SeparationOfDutiesAndScopes) {
  Harness h;
  // A minister submits; a PM decides; an agent of another service sees nothing.
  auto sub = h.As(Role::kMinister, "POST", "/v1/requests", GoodDraft());
  ASSERT_EQ(sub.status, 201) << sub.body;
  std::string id(Body(sub).at("id").as_string());
  auto foreign = h.Call("GET", "/v1/requests/" + id, "", h.other("agent_dgse").token);
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(h.Call("GET", "/v1/requests/nope", "", h.other("agent_dgse").token).status, 404);
  auto list = h.Call("GET", "/v1/requests", "", h.other("agent_dgse").token);
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(Body(list).at("items").as_array().empty());
  EXPECT_EQ(Body(h.As(Role::kServiceAgent, "GET", "/v1/requests")).at("items").as_array().size(),
            1u);
  // An agent may not draft for another service; a minister not for another ministry.
  auto other = h.As(Role::kServiceAgent, "POST", "/v1/requests", GoodDraft("dgse", "defence"));
  EXPECT_EQ(other.status, 403) << other.body;
  auto defence = h.Call("POST", "/v1/requests", GoodDraft(), h.other("minister_defence").token);
  EXPECT_EQ(defence.status, 403) << defence.body;
}

TEST(ApiTest, MalformedInputsAreClearErrors) {
  Harness h;
  struct Case {
    std::string body;
    std::string want;  // in the message
  };
  std::vector<Case> cases = {
      {"", "body: missing"},
      {"{", "not valid JSON"},
      {"[]", "want an object"},
      {"null", "want an object"},
      {R"({"service":"dgsi"})", "missing"},
      {GoodDraft().replace(GoodDraft().find("30}"), 3, "\"30\"}"), "duration_days"},
      {GoodDraft().replace(GoodDraft().find("30}"), 3, "30,\"colour\":1}"),
       "colour: unknown field"},
      {GoodDraft().replace(GoodDraft().find("[\"4\"]"), 5, "\"4\""), "purposes"},
      {std::string(40, '[') + std::string(40, ']'), "not valid JSON"},
  };
  for (const auto& c : cases) {
    auto r = h.As(Role::kServiceAgent, "POST", "/v1/requests", c.body);
    EXPECT_EQ(r.status, 400) << c.body << " -> " << r.body;
    EXPECT_EQ(ErrorCode(r), "INVALID_ARGUMENT") << c.body;
    EXPECT_NE(ErrorMessage(r).find(c.want), std::string::npos) << c.body << " -> " << r.body;
  }
  auto sub = h.As(Role::kServiceAgent, "POST", "/v1/requests", GoodDraft());
  std::string id(Body(sub).at("id").as_string());
  auto bad_verdict = h.As(Role::kCnctr, "POST", "/v1/requests/" + id + "/opinion",
                          R"({"verdict":"yes","formation":"single","reasons":"x"})");
  EXPECT_EQ(bad_verdict.status, 400);
  EXPECT_NE(ErrorMessage(bad_verdict).find("verdict: got \"yes\""), std::string::npos);
  auto bad_grant = h.As(Role::kPm, "POST", "/v1/requests/" + id + "/decision",
                        R"({"grant":"yes","reasons":"x"})");
  EXPECT_EQ(bad_grant.status, 400);
  EXPECT_NE(ErrorMessage(bad_grant).find("grant: got a string"), std::string::npos);
  auto bad_alloc = h.As(Role::kPm, "PUT", "/v1/quotas/L852-1-I",
                        R"({"limit":2,"allocation":{"interior":"1"},"cnctr_opinion_ref":"x"})");
  EXPECT_EQ(bad_alloc.status, 400);
  EXPECT_NE(ErrorMessage(bad_alloc).find("allocation.interior"), std::string::npos)
      << bad_alloc.body;
  auto bad_query = h.As(Role::kCnctr, "GET", "/v1/requests?state=happy");
  EXPECT_EQ(bad_query.status, 400);
  EXPECT_EQ(h.As(Role::kCnctr, "GET", "/v1/requests?colour=red").status, 400);
  EXPECT_EQ(h.As(Role::kCnctr, "GET", "/v1/requests?limit=0").status, 400);
  EXPECT_EQ(h.As(Role::kCnctr, "GET", "/v1/requests?limit=x").status, 400);
  // Media type.
  HttpRequest xml;
  xml.method = "POST";
  xml.target = "/v1/requests";
  xml.body = "<request/>";
  xml.content_type = "application/xml";
  xml.authorization = "Bearer " + h.user(Role::kServiceAgent).token;
  EXPECT_EQ(h.api().Handle(xml).status, 415);
  // Unknown routes and methods.
  EXPECT_EQ(h.As(Role::kCnctr, "GET", "/v1/nothing").status, 404);
  auto m = h.As(Role::kCnctr, "DELETE", "/v1/requests");
  EXPECT_EQ(m.status, 405);
  EXPECT_EQ(ErrorCode(m), "METHOD_NOT_ALLOWED");
}

TEST(ApiTest, CredentialsAreCheckedAndNeverEchoed) {
  Harness h;
  auto none = h.Call("GET", "/v1/requests", "", "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(ErrorCode(none), "UNAUTHENTICATED");
  std::string forged = "cloison_" + std::string(64, 'a');
  auto bad = h.Call("GET", "/v1/requests", "", forged);
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.body.find(forged), std::string::npos);
  EXPECT_EQ(h.Call("GET", "/v1/requests", "", "garbage").status, 401);
  HttpRequest basic;
  basic.method = "GET";
  basic.target = "/v1/requests";
  basic.authorization = "Basic YTpi";
  EXPECT_EQ(h.api().Handle(basic).status, 401);
  // A client certificate's CN names the principal; it must agree with a token.
  HttpRequest cert;
  cert.method = "GET";
  cert.target = "/v1/requests";
  cert.client_cert_cn = h.user(Role::kCnctr).principal.id;
  EXPECT_EQ(h.api().Handle(cert).status, 200);
  cert.authorization = "Bearer " + h.user(Role::kPm).token;
  EXPECT_EQ(h.api().Handle(cert).status, 401);
  cert.authorization.clear();
  cert.client_cert_cn = "prn_ffffffffffffffff";
  EXPECT_EQ(h.api().Handle(cert).status, 401);
  // Anonymous operations need nothing.
  EXPECT_EQ(h.Call("GET", "/healthz", "", "").status, 200);
  EXPECT_EQ(h.Call("GET", "/metrics", "", "").status, 200);
  EXPECT_EQ(h.Call("GET", "/v1/openapi.json", "", "").status, 200);
}

TEST(ApiTest, TokensExpireWithTheClock) {
  Harness h;
  auto t = h.tokens().Issue(h.user(Role::kCnctr).principal, std::chrono::hours(1));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(h.Call("GET", "/v1/quotas", "", *t).status, 200);
  auto set = h.As(Role::kAdmin, "PUT", "/v1/test/clock", R"({"now":"2025-03-03T09:00:01Z"})");
  ASSERT_EQ(set.status, 200) << set.body;
  auto expired = h.Call("GET", "/v1/quotas", "", *t);
  EXPECT_EQ(expired.status, 401);
  EXPECT_NE(ErrorMessage(expired).find("expired"), std::string::npos);
  // The clock does not go back.
  auto back = h.As(Role::kAdmin, "PUT", "/v1/test/clock", R"({"now":"2025-03-03T08:00:00Z"})");
  EXPECT_EQ(back.status, 409);
  EXPECT_EQ(h.As(Role::kAdmin, "PUT", "/v1/test/clock", R"({"now":"soon"})").status, 400);
}

TEST(ApiTest, TestClockIsAbsentWithoutTheFlag) {
  Harness h(/*test_clock=*/false);
  auto r = h.As(Role::kAdmin, "PUT", "/v1/test/clock", R"({"now":"2026-01-01T00:00:00Z"})");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "NOT_FOUND");
}

TEST(ApiTest, ListsArePaginated) {
  Harness h;
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto r = h.As(Role::kServiceAgent, "POST", "/v1/requests", GoodDraft());
    ASSERT_EQ(r.status, 201);
    ids.insert(std::string(Body(r).at("id").as_string()));
  }
  std::set<std::string> seen;
  std::string after;
  int pages = 0;
  for (; pages < 10; ++pages) {
    auto r = h.As(Role::kCnctr, "GET",
                  "/v1/requests?limit=2" + (after.empty() ? "" : "&after=" + after));
    ASSERT_EQ(r.status, 200) << r.body;
    json::value v = Body(r);
    for (const auto& item : v.at("items").as_array())
      seen.insert(std::string(item.at("id").as_string()));
    if (!v.as_object().contains("next")) break;
    after = std::string(v.at("next").as_string());
  }
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(seen, ids);
  auto filtered = h.As(Role::kCnctr, "GET", "/v1/requests?state=granted");
  EXPECT_TRUE(Body(filtered).at("items").as_array().empty());
}

// Bodies that pass input validation for each implemented operation, so that
// an allowed role gets past the access table (and a denied one does not).
std::string BodyFor(const std::string& operation) {
  if (operation == "submitRequest") return GoodDraft();
  if (operation == "giveOpinion")
    return R"({"verdict":"favourable","formation":"single","reasons":"r"})";
  if (operation == "decideRequest") return R"({"grant":false,"reasons":"r"})";
  if (operation == "setQuota")
    return R"({"limit":2,"allocation":{"interior":1},"cnctr_opinion_ref":"CNCTR-1"})";
  if (operation == "justifyUrgency") return R"({"reasons":"r"})";
  if (operation == "recordConseilEtatRuling") return R"({"upheld":true,"case":"CE-1"})";
  if (operation == "setTestClock") return R"({"now":"2025-03-04T00:00:00Z"})";
  return "";
}

// Every role x every route: exactly the roles of the access table get past
// it (no 401/403); the others get 403 PERMISSION_DENIED; nobody without
// credentials gets in except on the anonymous operations.
TEST(ApiTest, AuthorisationMatrix) {
  Harness h;
  for (const Route& route : h.api().router().routes()) {
    std::string path = route.pattern;
    for (auto [from, to] : {std::pair<std::string, std::string>{"{id}", "x_0000000000000001"},
                            {"{technique}", "L852-1-I"},
                            {"{index}", "0"},
                            {"{path...}", "0/000"}}) {
      if (auto p = path.find(from); p != std::string::npos) path.replace(p, from.size(), to);
    }
    std::string body = BodyFor(route.operation);
    auto anon = h.Call(route.method, path, body, "");
    if (IsAnonymous(route.operation)) {
      EXPECT_LT(anon.status, 400) << route.operation;
      continue;
    }
    EXPECT_EQ(anon.status, 401) << route.operation;
    for (Role role : kRoles) {
      auto r = h.As(role, route.method, path, body);
      if (MayCall(route.operation, role)) {
        EXPECT_NE(r.status, 401) << route.operation << " " << RoleName(role) << r.body;
        // Record-level rules may still say no (another service's record),
        // but never because of the role.
        if (r.status == 403) {
          EXPECT_EQ(ErrorMessage(r).find("role "), std::string::npos)
              << route.operation << " " << RoleName(role) << r.body;
        }
      } else {
        EXPECT_EQ(r.status, 403) << route.operation << " " << RoleName(role) << r.body;
        EXPECT_EQ(ErrorCode(r), "PERMISSION_DENIED");
      }
    }
  }
}

// With real records, the allowed roles succeed (2xx) on every implemented
// operation. Writes are run in a workable order.
TEST(ApiTest, AllowedRolesSucceed) {
  Harness h;
  auto sub = [&](Role who) {
    auto r = h.As(who, "POST", "/v1/requests", GoodDraft());
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(Body(r).at("id").as_string());
  };
  for (Role who : {Role::kServiceAgent, Role::kMinister}) {
    std::string id = sub(who);
    for (Role reader : {Role::kServiceAgent, Role::kMinister, Role::kCnctr, Role::kPm}) {
      EXPECT_EQ(h.As(reader, "GET", "/v1/requests/" + id).status, 200);
      EXPECT_EQ(h.As(reader, "GET", "/v1/requests").status, 200);
    }
    EXPECT_EQ(h.As(who, "POST", "/v1/requests/" + id + "/withdraw", "").status, 200);
  }
  std::string id = sub(Role::kServiceAgent);
  EXPECT_EQ(
      h.As(Role::kCnctr, "POST", "/v1/requests/" + id + "/opinion", BodyFor("giveOpinion")).status,
      200);
  auto dec = h.As(Role::kPm, "POST", "/v1/requests/" + id + "/decision",
                  R"({"grant":true,"reasons":"r"})");
  ASSERT_EQ(dec.status, 201) << dec.body;
  std::string auth(Body(dec).at("authorisation").at("id").as_string());
  for (Role reader : {Role::kServiceAgent, Role::kMinister, Role::kCnctr, Role::kPm, Role::kGic}) {
    EXPECT_EQ(h.As(reader, "GET", "/v1/authorisations/" + auth).status, 200) << RoleName(reader);
    auto list = h.As(reader, "GET", "/v1/authorisations");
    EXPECT_EQ(Body(list).at("items").as_array().size(), 1u) << RoleName(reader);
  }
  EXPECT_EQ(h.As(Role::kPm, "PUT", "/v1/quotas/L852-1-I", BodyFor("setQuota")).status, 200);
  for (Role reader : {Role::kPm, Role::kCnctr, Role::kMinister}) {
    auto q = h.As(reader, "GET", "/v1/quotas");
    ASSERT_EQ(q.status, 200);
    EXPECT_EQ(Body(q).as_array().size(), 1u);
  }
  EXPECT_EQ(
      h.As(Role::kPm, "POST", "/v1/authorisations/" + auth + "/terminate", R"({"reasons":"done"})")
          .status,
      200);
  // Urgency and Conseil d'Etat rulings need such authorisations: a wrong
  // state is 409, which is past the access table.
  EXPECT_EQ(h.As(Role::kPm, "POST", "/v1/authorisations/" + auth + "/urgency-justification",
                 BodyFor("justifyUrgency"))
                .status,
            409);
  EXPECT_EQ(h.As(Role::kPm, "POST", "/v1/authorisations/" + auth + "/conseil-etat-ruling",
                 BodyFor("recordConseilEtatRuling"))
                .status,
            409);
}

// An Api given no vault, R&D, exploitation or ledger keeps their routes
// (and their guards) and answers 501 there.
TEST(ApiTest, NotBuiltCapabilitiesAnswer501) {
  Harness h;
  Api bare(h.workflow(), h.metrics(), {});
  auto call = [&](Role role, const std::string& method, const std::string& target,
                  const std::string& body) {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.body = body;
    if (!body.empty()) r.content_type = "application/json";
    r.authorization = "Bearer " + h.user(role).token;
    return bare.Handle(r);
  };
  auto r = call(Role::kCnctr, "POST", "/v1/recommendations",
                R"({"kind":"destroy","target":"itm_1","reasons":"r"})");
  EXPECT_EQ(r.status, 501);
  EXPECT_EQ(ErrorCode(r), "UNIMPLEMENTED");
  EXPECT_EQ(call(Role::kCollector, "POST", "/v1/items?kind=url", "").status, 501);
  EXPECT_EQ(call(Role::kGic, "GET", "/v1/items/itm_1", "").status, 501);
  EXPECT_EQ(call(Role::kServiceAgent, "POST", "/v1/rnd/programmes", "{}").status, 501);
  EXPECT_EQ(call(Role::kGic, "POST", "/v1/items/itm_1/transcriptions", "{}").status, 501);
  EXPECT_EQ(call(Role::kCnctr, "GET", "/v1/ledger/checkpoint", "").status, 501);
  // Still guarded: a wrong role is 403 before the 501.
  EXPECT_EQ(call(Role::kGic, "GET", "/v1/ledger/checkpoint", "").status, 403);
  EXPECT_EQ(call(Role::kPm, "POST", "/v1/items?kind=url", "").status, 403);
}

TEST(ApiTest, MetricsCountRequestsWithoutIdentifiers) {
  Harness h;
  auto sub = h.As(Role::kServiceAgent, "POST", "/v1/requests", GoodDraft());
  std::string id(Body(sub).at("id").as_string());
  h.As(Role::kCnctr, "GET", "/v1/requests/" + id);
  auto m = h.Call("GET", "/metrics", "", "");
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.content_type.rfind("text/plain", 0), 0u);
  EXPECT_NE(m.body.find(R"(cloison_http_requests_total{operation="submitRequest",status="201"} 1)"),
            std::string::npos)
      << m.body;
  EXPECT_EQ(m.body.find(id), std::string::npos);
  EXPECT_EQ(m.body.find(h.user(Role::kServiceAgent).principal.id), std::string::npos);
}

// GET /v1/reports/annual: the report of service/report.h, as JSON or CSV;
// bad queries are 400 and name the parameter.
TEST(ReportApiTest, AnnualReportAsJsonAndCsv) {
  Harness h;
  auto sub = h.As(Role::kServiceAgent, "POST", "/v1/requests", GoodDraft());
  ASSERT_EQ(sub.status, 201) << sub.body;
  for (Role role : {Role::kCnctr, Role::kPm}) {
    auto r = h.As(role, "GET", "/v1/reports/annual?year=2025");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    json::value v = Body(r);
    EXPECT_EQ(v.at("year").as_int64(), 2025);
    EXPECT_EQ(v.at("requests").at("submitted").as_int64(), 1);
    EXPECT_EQ(v.at("authorisations_by_technique").at("L851-4").as_int64(), 0);
  }
  auto csv = h.As(Role::kCnctr, "GET", "/v1/reports/annual?year=2025&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type.rfind("text/csv", 0), 0u);
  EXPECT_EQ(csv.body.rfind("section,key,value\r\n", 0), 0u);
  EXPECT_NE(csv.body.find("\r\nrequests,submitted,1\r\n"), std::string::npos);
  EXPECT_EQ(Body(h.As(Role::kPm, "GET", "/v1/reports/annual?year=2024"))
                .at("requests")
                .at("submitted")
                .as_int64(),
            0);
  EXPECT_EQ(h.As(Role::kServiceAgent, "GET", "/v1/reports/annual?year=2025").status, 403);
  for (std::string bad : {"", "?year=25", "?year=abcd", "?year=2025&format=xml",
                          "?year=2025&state=x", "?year=1969"}) {
    auto r = h.As(Role::kCnctr, "GET", "/v1/reports/annual" + bad);
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
    EXPECT_EQ(ErrorCode(r), "INVALID_ARGUMENT") << bad;
  }
  EXPECT_NE(ErrorMessage(h.As(Role::kCnctr, "GET", "/v1/reports/annual?year=2025&format=xml"))
                .find("format"),
            std::string::npos);
}

// Tokens: an unknown, an expired and a revoked token are each a 401 that
// says which, and the API keeps answering the others.
TEST(ApiTest, UnknownExpiredAndRevokedTokensAre401) {
  Harness h;
  auto expect_401 = [&](const std::string& token, std::string_view why) {
    auto r = h.Call("GET", "/v1/requests", "", token);
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(ErrorCode(r), "UNAUTHENTICATED");
    EXPECT_NE(ErrorMessage(r).find(why), std::string::npos) << ErrorMessage(r);
    EXPECT_EQ(ErrorMessage(r).find(token), std::string::npos);
  };
  expect_401("cloison_" + std::string(64, 'a'), "unknown");
  auto short_lived = h.tokens().Issue(h.user(Role::kCnctr).principal, std::chrono::hours(1));
  ASSERT_TRUE(short_lived.ok());
  EXPECT_EQ(h.Call("GET", "/v1/requests", "", *short_lived).status, 200);
  h.clock().Advance(std::chrono::hours(1));
  expect_401(*short_lived, "expired");
  ASSERT_EQ(*h.tokens().RevokeAll(h.user(Role::kPm).principal.id), 1);
  expect_401(h.user(Role::kPm).token, "revoked");
  EXPECT_EQ(h.As(Role::kCnctr, "GET", "/v1/requests").status, 200);
}

// The OpenAPI document and the routes agree: the same (method, path) pairs,
// the same operation ids, and x-roles equal to the access table.
TEST(OpenApiTest, DocumentMatchesRoutesAndAccessTable) {
  Harness h;  // with the test clock, so every route exists
  boost::system::error_code ec;
  json::value doc = json::parse(OpenApiDocument(), ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(doc.at("openapi").as_string().subview().substr(0, 2), "3.");
  std::set<std::string> documented;
  std::map<std::string, std::set<std::string>> doc_roles;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      std::string m(method);
      for (auto& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      std::string opid(op.at("operationId").as_string());
      documented.insert(m + " " + std::string(path) + " " + opid);
      for (const auto& r : op.at("x-roles").as_array())
        doc_roles[opid].insert(std::string(r.as_string()));
      bool anonymous = op.as_object().contains("security");
      EXPECT_EQ(anonymous, IsAnonymous(opid)) << opid;
    }
  }
  std::set<std::string> routed;
  for (const Route& r : h.api().router().routes()) {
    std::string pattern = r.pattern;
    if (auto p = pattern.find("...}"); p != std::string::npos) pattern.erase(p, 3);
    routed.insert(r.method + " " + pattern + " " + r.operation);
    std::set<std::string> roles;
    for (Role role : kRoles)
      if (MayCall(r.operation, role)) roles.insert(std::string(RoleName(role)));
    EXPECT_EQ(doc_roles[r.operation], roles) << r.operation;
  }
  EXPECT_EQ(documented, routed);
  // Every operation of the access table is routed, and nothing else is.
  std::set<std::string> table;
  for (const Access& a : AccessTable()) table.insert(std::string(a.operation));
  std::set<std::string> ops;
  for (const Route& r : h.api().router().routes()) ops.insert(r.operation);
  EXPECT_EQ(table, ops);
}

// The document's RequestDraft schema names exactly the fields DraftFromJson
// accepts: a body with every documented property parses.
TEST(OpenApiTest, DraftSchemaMatchesTheParser) {
  json::value doc = json::parse(OpenApiDocument());
  const auto& schema = doc.at("components").at("schemas").at("RequestDraft");
  json::object body = json::parse(GoodDraft()).as_object();
  for (const auto& [name, prop] : schema.at("properties").as_object()) {
    if (body.contains(name)) continue;
    std::string type(prop.at("type").as_string());
    if (type == "boolean")
      body[name] = false;
    else if (type == "string")
      body[name] = "x";
    else
      ADD_FAILURE() << "no sample for " << name;
  }
  Harness h;
  auto r = h.As(Role::kServiceAgent, "POST", "/v1/requests", json::serialize(body));
  EXPECT_NE(r.status, 400) << r.body;
  std::set<std::string> required;
  for (const auto& f : schema.at("required").as_array())
    required.insert(std::string(f.as_string()));
  for (const auto& f : required) {
    json::object missing = json::parse(GoodDraft()).as_object();
    missing.erase(f);
    auto m = h.As(Role::kServiceAgent, "POST", "/v1/requests", json::serialize(missing));
    EXPECT_EQ(m.status, 400) << f;
  }
}

}  // namespace
}  // namespace cloison::api

namespace cloison::api {
namespace {

// The ledger's read API serves the C2SP formats the verifier reads.
TEST(LedgerApiTest, ServesCheckpointTilesProofsAndKey) {
  Harness h(true, true);
  using service::Role;
  auto cp = h.As(Role::kCnctr, "GET", "/v1/ledger/checkpoint");
  ASSERT_EQ(cp.status, 200) << cp.body;
  EXPECT_EQ(cp.body.rfind("api.test/log\n", 0), 0u) << cp.body;
  auto opened = ledger::ParseNote(cp.body);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto key = h.As(Role::kCnctr, "GET", "/v1/ledger/key");
  ASSERT_EQ(key.status, 200);
  auto verifier = ledger::ParseVerifierKey(key.body.substr(0, key.body.size() - 1));
  ASSERT_TRUE(verifier.ok()) << verifier.status().ToString();
  auto checkpoint = ledger::OpenCheckpoint(cp.body, *verifier, "api.test/log");
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
  ASSERT_GT(checkpoint->size, 0u);
  ASSERT_LT(checkpoint->size, 256u);

  const std::string width = std::to_string(checkpoint->size);
  auto bundle = h.As(Role::kCnctr, "GET", "/v1/ledger/tile/entries/000.p/" + width);
  ASSERT_EQ(bundle.status, 200) << bundle.body;
  EXPECT_EQ(bundle.content_type, "application/octet-stream");
  auto entries = ledger::DecodeEntryBundle(bundle.body);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), checkpoint->size);
  auto tile = h.As(Role::kCnctr, "GET", "/v1/ledger/tile/0/000.p/" + width);
  ASSERT_EQ(tile.status, 200);
  EXPECT_EQ(tile.body.size(), 32 * checkpoint->size);
  EXPECT_EQ(h.As(Role::kCnctr, "GET", "/v1/ledger/tile/0/000").status, 404);  // not full yet
  EXPECT_EQ(h.As(Role::kCnctr, "GET", "/v1/ledger/tile/0/0x0").status, 400);

  auto proof = h.As(Role::kCnctr, "GET", "/v1/ledger/proof/0");
  ASSERT_EQ(proof.status, 200) << proof.body;
  auto parsed = ledger::ParseTlogProof(proof.body);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_TRUE(ledger::VerifyTlogProof(*parsed, (*entries)[0], *verifier, "api.test/log").ok());
  EXPECT_EQ(h.As(Role::kCnctr, "GET", "/v1/ledger/proof/01").status, 400);
  EXPECT_EQ(h.As(Role::kCnctr, "GET", "/v1/ledger/proof/999999").status, 409);
  // Deny by default: roles other than the CNCTR's do not read the ledger.
  EXPECT_EQ(h.As(Role::kGic, "GET", "/v1/ledger/checkpoint").status, 403);
}

// The reads a server answers on its I/O thread (Api::IsQuickRead) neither
// write nor wait for a commit: each leaves the ledger as it was. The
// writes and the reads that write (a content read is logged; the first
// checkpoint is issued on demand) are not quick reads.
TEST(QuickReadTest, QuickReadsDoNotWrite) {
  Harness h(true, true);
  using service::Role;
  std::string auth = h.Grant("L851-4");
  auto req = h.As(Role::kServiceAgent, "POST", "/v1/requests", testing::GoodDraft());
  ASSERT_EQ(req.status, 201) << req.body;
  std::string request = std::string(Body(req).at("id").as_string());
  ASSERT_EQ(h.As(Role::kCnctr, "GET", "/v1/ledger/checkpoint").status, 200);
  auto events = [&] {
    auto tx = h.store().BeginRead();
    EXPECT_TRUE(tx.ok());
    auto n = (*tx)->EventCount();
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  };
  const int64_t before = events();
  for (const std::string& target : std::vector<std::string>{
           "/v1/openapi.json", "/v1/requests/" + request, "/v1/authorisations/" + auth,
           "/v1/authorisations/" + auth + "?x=1", "/v1/ledger/tile/0/000.p/1", "/v1/ledger/proof/0",
           "/v1/ledger/key"}) {
    EXPECT_TRUE(h.api().IsQuickRead("GET", target)) << target;
    auto r = h.As(Role::kCnctr, "GET", target);
    EXPECT_LT(r.status, 500) << target << ": " << r.body;
    EXPECT_EQ(events(), before) << target;
  }
  EXPECT_FALSE(h.api().IsQuickRead("GET", "/v1/ledger/checkpoint"));
  EXPECT_FALSE(h.api().IsQuickRead("GET", "/v1/items/itm_0000000000000001/content"));
  EXPECT_FALSE(h.api().IsQuickRead("GET", "/v1/reports/annual"));
  EXPECT_FALSE(h.api().IsQuickRead("GET", "/v1/authorisations"));
  EXPECT_FALSE(h.api().IsQuickRead("POST", "/v1/authorisations/" + auth + "/terminate"));
  EXPECT_FALSE(h.api().IsQuickRead("GET", "/v1/no-such-route"));
}

}  // namespace
}  // namespace cloison::api
