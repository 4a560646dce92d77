// Authentication through the API against revocations made by another
// process: `cloison user revoke` opens the instance's store on its own
// while `cloison serve` runs. A second, independent store handle on the
// same file stands for it here; the next request must be refused.
#include <gtest/gtest.h>

#include <string>

#include "api/api.h"
#include "api/test_harness.h"
#include "service/certificates.h"
#include "service/tokens.h"

namespace cloison::api {
namespace {

using service::Role;
using testing::ErrorCode;
using testing::Harness;

std::string Message(const HttpResponse& r) {
  boost::json::value v = testing::Body(r);
  if (!v.is_object() || !v.as_object().contains("error")) return "<no error: " + r.body + ">";
  return std::string(v.at("error").at("message").as_string());
}

HttpRequest Get(std::string target) {
  HttpRequest r;
  r.method = "GET";
  r.target = std::move(target);
  return r;
}

TEST(AuthApiTest, TokenRevokedThroughAnotherStoreHandleIsRefusedAtTheNextRequest) {
  Harness h;
  const std::string pm = h.user(Role::kPm).principal.id;
  HttpRequest req = Get("/v1/requests");
  req.authorization = "Bearer " + h.user(Role::kPm).token;
  // Warm: the API's pooled read connections have read this token and this
  // principal already.
  for (int i = 0; i < 3; ++i) ASSERT_EQ(h.api().Handle(req).status, 200);

  auto other = store::OpenSqlite(h.dir() + "/cloison.db");
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  service::Tokens elsewhere(**other, h.clock());
  auto revoked = elsewhere.RevokeAll(pm, "system");
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  ASSERT_EQ(*revoked, 1);

  HttpResponse r = h.api().Handle(req);
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(ErrorCode(r), "UNAUTHENTICATED");
  EXPECT_EQ(Message(r), "token: revoked");
  // Everybody else goes on.
  EXPECT_EQ(h.As(Role::kCnctr, "GET", "/v1/requests").status, 200);
  // A token issued afterwards through the other handle works at once.
  auto fresh = elsewhere.Issue(h.user(Role::kPm).principal);
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  req.authorization = "Bearer " + *fresh;
  EXPECT_EQ(h.api().Handle(req).status, 200);
}

TEST(AuthApiTest, CertificateRevokedThroughAnotherStoreHandleIsRefusedAtTheNextRequest) {
  Harness h;
  const service::Principal& cnctr = h.user(Role::kCnctr).principal;
  service::ClientCertificates certs(h.store(), h.clock());
  Time now = h.clock().Now();
  ASSERT_TRUE(certs.Register(cnctr.id, {"c0ffee", now, now + std::chrono::hours(24)}).ok());
  HttpRequest req = Get("/v1/requests");
  req.client_cert_cn = cnctr.id;
  req.client_cert_serial = "c0ffee";
  for (int i = 0; i < 3; ++i) ASSERT_EQ(h.api().Handle(req).status, 200);
  // With the certificate and its principal's token together too.
  HttpRequest both = req;
  both.authorization = "Bearer " + h.user(Role::kCnctr).token;
  ASSERT_EQ(h.api().Handle(both).status, 200);

  {
    auto other = store::OpenSqlite(h.dir() + "/cloison.db");
    ASSERT_TRUE(other.ok()) << other.status().ToString();
    auto r = service::RevokePrincipal(**other, h.clock(), cnctr.id, "system");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->certificates, 1);
  }

  for (const HttpRequest* q : {&req, &both}) {
    HttpResponse r = h.api().Handle(*q);
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(Message(r), "client certificate serial c0ffee of principal " + cnctr.id +
                              " was revoked at 2025-03-03T08:00:00Z");
  }
  // The token alone was revoked with it.
  EXPECT_EQ(h.As(Role::kCnctr, "GET", "/v1/requests").status, 401);
  EXPECT_EQ(h.As(Role::kPm, "GET", "/v1/requests").status, 200);
}

}  // namespace
}  // namespace cloison::api
