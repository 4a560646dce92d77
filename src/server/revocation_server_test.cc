// Client certificate revocation end to end over real HTTPS on 127.0.0.1:
// a certificate of the instance CA works; revoking its principal (as
// `cloison user revoke` does, service::RevokePrincipal) while the server
// runs makes the next request with it a 401 that names the serial, the
// principal and the time, on an open connection and on a new one; other
// principals keep working; bad input changes nothing.
#include <gtest/gtest.h>

#include "api/test_harness.h"
#include "server/pki.h"
#include "server/server.h"
#include "server/test_client.h"
#include "server/test_server.h"
#include "service/certificates.h"

namespace cloison::server {
namespace {
using api::testing::Body;
using api::testing::ErrorCode;
using api::testing::Harness;
using service::Role;
using testing::Client;
using testing::ClientOptions;

class RevocationServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status started = testing::StartOnLoopback(h_.api(), h_.dir(), {}, pki_, server_);
    ASSERT_TRUE(started.ok()) << started.ToString();
  }

  // A certificate for the principal of `role`, issued and registered as
  // `cloison user add` does.
  ClientCredentials IssueRegistered(Role role) {
    SystemClock system;
    const std::string id = h_.user(role).principal.id;
    auto creds = IssueClientCertificate(h_.dir(), id, system);
    EXPECT_TRUE(creds.ok()) << creds.status().ToString();
    Status reg = service::ClientCertificates(h_.store(), h_.clock())
                     .Register(id, {creds->serial, creds->not_before, creds->not_after});
    EXPECT_TRUE(reg.ok()) << reg.ToString();
    return *creds;
  }
  Client MtlsClient(const ClientCredentials& c) {
    ClientOptions o;
    o.ca_file = pki_.ca_cert;
    o.cert_file = c.cert_path;
    o.key_file = c.key_path;
    return Client(server_->port(), o);
  }
  Client PlainClient() { return Client(server_->port(), ClientOptions{pki_.ca_cert}); }
  // What `cloison user revoke` does: the register's certificates and the
  // one on disk, with the tokens, in one transaction.
  Result<service::RevokedCredentials> Revoke(const std::string& principal) {
    std::vector<service::CertificateRef> also;
    auto file = ReadClientCertificate(h_.dir(), principal);
    if (file.ok()) also.push_back({file->serial, file->not_before, file->not_after});
    return service::RevokePrincipal(h_.store(), h_.clock(), principal, "system", also);
  }
  int64_t Events() {
    auto tx = h_.store().BeginRead();
    if (!tx.ok()) return -1;
    auto n = (*tx)->EventCount();
    return n.ok() ? *n : -1;
  }

  Harness h_;
  PkiPaths pki_;
  std::unique_ptr<Server> server_;
};

TEST_F(RevocationServerTest, RevokedCertificateIs401NamingSerialPrincipalAndTime) {
  const std::string cnctr = h_.user(Role::kCnctr).principal.id;
  ClientCredentials creds = IssueRegistered(Role::kCnctr);
  Client kept = MtlsClient(creds);  // one connection, kept alive throughout
  auto before = kept.Send("GET", "/v1/quotas");
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  ASSERT_EQ(before->status, 200) << before->body;

  h_.clock().Advance(std::chrono::minutes(7));
  auto revoked = Revoke(cnctr);
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(revoked->certificates, 1);
  EXPECT_EQ(revoked->tokens, 1);
  const std::string why = "client certificate serial " + creds.serial + " of principal " + cnctr +
                          " was revoked at " + FormatTime(h_.clock().Now());

  // The open connection: its next request is refused, with the cause.
  auto after = kept.Send("GET", "/v1/quotas");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->status, 401) << after->body;
  EXPECT_EQ(ErrorCode(*after), "UNAUTHENTICATED");
  EXPECT_EQ(Body(*after).at("error").at("message").as_string(), why);
  EXPECT_TRUE(after->keep_alive);  // an answer, not a TLS alert
  // A new connection: the handshake succeeds (the CA signed it), the
  // request does not.
  Client fresh = MtlsClient(creds);
  auto again = fresh.Send("GET", "/v1/quotas");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->status, 401);
  EXPECT_EQ(Body(*again).at("error").at("message").as_string(), why);
  // Nor does a valid token of someone else rescue it.
  auto mixed = fresh.Send("GET", "/v1/quotas", "", h_.user(Role::kPm).token);
  ASSERT_TRUE(mixed.ok());
  EXPECT_EQ(mixed->status, 401);
  // The revoked principal's token is refused too.
  auto token = PlainClient().Send("GET", "/v1/quotas", "", h_.user(Role::kCnctr).token);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->status, 401);
  EXPECT_NE(token->body.find("token: revoked"), std::string::npos) << token->body;

  // Other principals: their tokens and certificates still work.
  Client pm = PlainClient();
  auto pm_reply = pm.Send("GET", "/v1/quotas", "", h_.user(Role::kPm).token);
  ASSERT_TRUE(pm_reply.ok());
  EXPECT_EQ(pm_reply->status, 200) << pm_reply->body;
  Client pm_mtls = MtlsClient(IssueRegistered(Role::kPm));
  auto pm_cert = pm_mtls.Send("GET", "/v1/quotas");
  ASSERT_TRUE(pm_cert.ok());
  EXPECT_EQ(pm_cert->status, 200) << pm_cert->body;
  // Anonymous routes do not look at the certificate.
  auto health = fresh.Send("GET", "/healthz");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);
}

// A certificate issued before the register existed (never registered) is
// revoked from its file under DIR/pki/clients/.
TEST_F(RevocationServerTest, UnregisteredCertificateOnDiskIsRevokedToo) {
  const std::string gic = h_.user(Role::kGic).principal.id;
  SystemClock system;
  auto creds = IssueClientCertificate(h_.dir(), gic, system);
  ASSERT_TRUE(creds.ok()) << creds.status().ToString();
  Client c = MtlsClient(*creds);
  auto ok = c.Send("GET", "/v1/authorisations");
  ASSERT_TRUE(ok.ok());
  ASSERT_EQ(ok->status, 200) << ok->body;
  auto revoked = Revoke(gic);
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(revoked->certificates, 1);
  auto refused = c.Send("GET", "/v1/authorisations");
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 401);
  EXPECT_NE(refused->body.find("client certificate serial " + creds->serial + " of principal " +
                               gic + " was revoked at "),
            std::string::npos)
      << refused->body;
}

TEST_F(RevocationServerTest, RevokingAnUnknownPrincipalNamesTheFieldAndChangesNothing) {
  ClientCredentials creds = IssueRegistered(Role::kCnctr);
  int64_t events = Events();
  auto unknown = Revoke("prn_ffffffffffffffff");
  EXPECT_EQ(unknown.status().code(), Code::kNotFound);
  EXPECT_EQ(unknown.status().message(), "principal: no principal prn_ffffffffffffffff");
  auto empty = service::RevokePrincipal(h_.store(), h_.clock(), "");
  EXPECT_EQ(empty.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(empty.status().message(), "principal: missing id");
  EXPECT_EQ(Events(), events);
  auto still = MtlsClient(creds).Send("GET", "/v1/quotas");
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->status, 200) << still->body;
  auto token = PlainClient().Send("GET", "/v1/quotas", "", h_.user(Role::kCnctr).token);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->status, 200);
}

}  // namespace
}  // namespace cloison::server
