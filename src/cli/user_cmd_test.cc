// `cloison user revoke`: every token and client certificate of the
// principal is refused afterwards, others' still work, and the ledger
// records each revocation.
#include "cli/user_cmd.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "base/clock.h"
#include "cli/cli.h"
#include "server/pki.h"
#include "service/certificates.h"
#include "service/instance.h"
#include "service/tokens.h"
#include "store/testing/temp_dir.h"

namespace cloison::cli {
namespace {

using ::testing::HasSubstr;

struct CmdRun {
  int code;
  std::string out, err;
};

CmdRun Revoke(std::vector<std::string> args) {
  std::ostringstream out, err;
  int code = RunUserRevokeCommand(args, out, err);
  return {code, out.str(), err.str()};
}

// `user add` (cli.cc): returns the token printed alone on stdout; `id` gets
// the principal id from the message on stderr.
std::string AddUser(const std::string& dir, const std::string& name, std::string& id) {
  std::ostringstream out, err;
  EXPECT_EQ(Main({"user", "add", "--data", dir, "--name", name, "--role", "cnctr"}, out, err), 0)
      << err.str();
  std::string e = err.str();
  auto at = e.find("prn_");
  EXPECT_NE(at, std::string::npos) << e;
  id = e.substr(at, e.find(' ', at) - at);
  std::string token = out.str();
  while (!token.empty() && token.back() == '\n') token.pop_back();
  return token;
}

TEST(UserRevokeTest, RevokesEveryTokenAndCertificateOfThePrincipal) {
  store::testing::TempDir tmp;
  ASSERT_TRUE(tmp.ok());
  const std::string dir = tmp.File("inst");
  std::ostringstream o, e;
  ASSERT_EQ(Main({"init", dir}, o, e), 0) << e.str();
  std::string alice, bob;
  const std::string alice_token = AddUser(dir, "alice", alice);
  const std::string bob_token = AddUser(dir, "bob", bob);

  CmdRun r = Revoke({"user", "revoke", "--data", dir, "--principal", alice});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("revoked 1 token(s) and 1 client certificate(s) of " + alice));

  auto inst = service::OpenInstance(dir);
  ASSERT_TRUE(inst.ok());
  SystemClock clock;
  service::Tokens tokens(*inst->store, clock);
  EXPECT_EQ(tokens.Resolve(alice_token).status().message(), "token: revoked");
  auto still = tokens.Resolve(bob_token);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(*still, bob);
  auto tx = inst->store->BeginRead();
  ASSERT_TRUE(tx.ok());
  auto events = (*tx)->Events(0, *(*tx)->EventCount());
  ASSERT_TRUE(events.ok());
  ASSERT_GE(events->size(), 2u);
  const store::Event& token_event = (*events)[events->size() - 2];
  EXPECT_EQ(token_event.type, "token.revoked");
  EXPECT_THAT(token_event.body, HasSubstr("\"subject\":\"" + alice + "\""));
  // The certificate `user add` issued and registered: revoked, by serial.
  auto alice_cert = server::ReadClientCertificate(dir, alice);
  auto bob_cert = server::ReadClientCertificate(dir, bob);
  ASSERT_TRUE(alice_cert.ok() && bob_cert.ok()) << alice_cert.status().ToString();
  EXPECT_EQ(events->back().type, "certificate.revoked");
  EXPECT_THAT(events->back().body, HasSubstr("\"serial\":\"" + alice_cert->serial + "\""));
  EXPECT_THAT(events->back().body, HasSubstr("\"principal\":\"" + alice + "\""));
  EXPECT_THAT(events->back().body, HasSubstr("\"registered\":true"));
  tx->reset();
  service::ClientCertificates certs(*inst->store, clock);
  EXPECT_THAT(certs.Check(alice, alice_cert->serial).message(),
              HasSubstr("client certificate serial " + alice_cert->serial + " of principal " +
                        alice + " was revoked at "));
  EXPECT_TRUE(certs.Check(bob, bob_cert->serial).ok());

  // Again: nothing left to revoke, still a success.
  CmdRun again = Revoke({"user", "revoke", "--data", dir, "--principal", alice});
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("revoked 0 token(s) and 0 client certificate(s)"));
}

TEST(UserRevokeTest, BadArgumentsChangeNothing) {
  store::testing::TempDir tmp;
  ASSERT_TRUE(tmp.ok());
  const std::string dir = tmp.File("inst");
  std::ostringstream o, e;
  ASSERT_EQ(Main({"init", dir}, o, e), 0) << e.str();
  CmdRun missing = Revoke({"user", "revoke", "--data", dir});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--principal is required"));
  CmdRun unknown = Revoke({"user", "revoke", "--data", dir, "--principal", "prn_ffffffffffffffff"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("principal: no principal prn_ffffffffffffffff"));
  CmdRun nodir = Revoke({"user", "revoke", "--data", tmp.File("none"), "--principal", "prn_1"});
  EXPECT_EQ(nodir.code, 1);
}

}  // namespace
}  // namespace cloison::cli
