// The client certificate register: registered, checked, revoked with the
// principal's tokens in one transaction, events in the ledger.
#include "service/certificates.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "rules/parser.h"
#include "service/tokens.h"
#include "service/workflow.h"

namespace cloison::service {
namespace {

class CertificatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cloison-crt-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto book = rules::LoadRulebook(std::string(CLOISON_SOURCE_DIR) + "/rules/csi-2021.toml");
    ASSERT_TRUE(book.ok());
    book_ = std::move(book).value();
    auto st = store::OpenSqlite(dir_ + "/cloison.db");
    ASSERT_TRUE(st.ok());
    store_ = std::move(st).value();
    Workflow wf(*store_, book_, clock_, ids_);
    auto a = wf.AddPrincipal({"", "gic", Role::kGic, "", ""});
    auto b = wf.AddPrincipal({"", "cnctr", Role::kCnctr, "", ""});
    ASSERT_TRUE(a.ok() && b.ok());
    alice_ = a->id;
    bob_ = b->id;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  CertificateRef Ref(std::string serial) {
    return {std::move(serial), clock_.Now(), clock_.Now() + std::chrono::hours(24 * 365)};
  }
  int64_t Events() { return (*store_->BeginRead())->EventCount().value(); }
  std::string LastEvent() {
    auto tx = std::move(store_->BeginRead()).value();
    int64_t n = tx->EventCount().value();
    return tx->Events(n - 1, 1).value().at(0).body;
  }

  std::string dir_;
  rules::Rulebook book_;
  std::unique_ptr<store::Store> store_;
  FakeClock clock_{*ParseTime("2025-03-03T08:00:00Z")};
  SequentialIdGenerator ids_;
  std::string alice_, bob_;
};

TEST_F(CertificatesTest, RegisteredCertificatePassesUntilRevokedWithTheTokens) {
  ClientCertificates certs(*store_, clock_);
  ASSERT_TRUE(certs.Register(alice_, Ref("1a2b3c")).ok());
  ASSERT_TRUE(certs.Register(alice_, Ref("4d5e")).ok());
  ASSERT_TRUE(certs.Register(bob_, Ref("77")).ok());
  EXPECT_NE(LastEvent().find("\"type\":\"certificate.issued\""), std::string::npos);
  Tokens tokens(*store_, clock_);
  auto t = tokens.Issue({alice_, "gic", Role::kGic, "", ""});
  auto bob_token = tokens.Issue({bob_, "cnctr", Role::kCnctr, "", ""});
  ASSERT_TRUE(t.ok() && bob_token.ok());
  EXPECT_TRUE(certs.Check(alice_, "1a2b3c").ok());
  // A serial the register does not know passes (the CA verified it).
  EXPECT_TRUE(certs.Check(alice_, "abcdef").ok());

  clock_.Advance(std::chrono::minutes(5));
  int64_t before = Events();
  auto r = RevokePrincipal(*store_, clock_, alice_, "system");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->tokens, 1);
  EXPECT_EQ(r->certificates, 2);
  EXPECT_EQ(Events(), before + 3);
  std::string ev = LastEvent();
  EXPECT_NE(ev.find("\"type\":\"certificate.revoked\""), std::string::npos) << ev;
  EXPECT_NE(ev.find("\"principal\":\"" + alice_ + "\""), std::string::npos) << ev;
  EXPECT_NE(ev.find("\"actor\":\"system\""), std::string::npos) << ev;
  EXPECT_NE(ev.find("\"serial\":\"4d5e\""), std::string::npos) << ev;

  Status s = certs.Check(alice_, "1a2b3c");
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_EQ(s.message(), "client certificate serial 1a2b3c of principal " + alice_ +
                             " was revoked at 2025-03-03T08:05:00Z");
  EXPECT_EQ(tokens.Resolve(*t).status().code(), Code::kFailedPrecondition);
  // Bob keeps his certificate and his token.
  EXPECT_TRUE(certs.Check(bob_, "77").ok());
  EXPECT_TRUE(tokens.Resolve(*bob_token).ok());
  // A serial presented under another principal's name is refused.
  EXPECT_EQ(certs.Check(alice_, "77").code(), Code::kFailedPrecondition);

  // Revoking again revokes nothing and writes nothing.
  before = Events();
  auto again = RevokePrincipal(*store_, clock_, alice_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->tokens + again->certificates, 0);
  EXPECT_EQ(Events(), before);
}

TEST_F(CertificatesTest, CertificateKnownOnlyFromOutsideIsEnteredRevoked) {
  ClientCertificates certs(*store_, clock_);
  auto r = RevokePrincipal(*store_, clock_, alice_, "system", {Ref("c0ffee")});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->certificates, 1);
  EXPECT_NE(LastEvent().find("\"registered\":false"), std::string::npos) << LastEvent();
  EXPECT_EQ(certs.Check(alice_, "c0ffee").code(), Code::kFailedPrecondition);
}

TEST_F(CertificatesTest, BadInputNamesTheFieldAndChangesNothing) {
  ClientCertificates certs(*store_, clock_);
  ASSERT_TRUE(certs.Register(bob_, Ref("77")).ok());
  int64_t before = Events();
  auto unknown = RevokePrincipal(*store_, clock_, "prn_ffffffffffffffff");
  EXPECT_EQ(unknown.status().code(), Code::kNotFound);
  EXPECT_EQ(unknown.status().message().rfind("principal: ", 0), 0u) << unknown.status().message();
  auto empty = RevokePrincipal(*store_, clock_, "");
  EXPECT_EQ(empty.status().code(), Code::kInvalidArgument);
  // Bob's serial offered as Alice's: refused, and Alice's tokens stay.
  Tokens tokens(*store_, clock_);
  auto t = tokens.Issue({alice_, "gic", Role::kGic, "", ""});
  ASSERT_TRUE(t.ok());
  before = Events();
  auto wrong = RevokePrincipal(*store_, clock_, alice_, "system", {Ref("77")});
  EXPECT_EQ(wrong.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(wrong.status().message().rfind("serial: ", 0), 0u) << wrong.status().message();
  EXPECT_EQ(Events(), before);
  EXPECT_TRUE(tokens.Resolve(*t).ok());
  // Malformed serials and validity.
  EXPECT_EQ(certs.Register(alice_, Ref("00ab")).code(), Code::kInvalidArgument);
  EXPECT_EQ(certs.Register(alice_, Ref("ABCD")).code(), Code::kInvalidArgument);
  CertificateRef backwards = Ref("ab");
  std::swap(backwards.not_before, backwards.not_after);
  Status s = certs.Register(alice_, backwards);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message().rfind("not_after: ", 0), 0u) << s.message();
  EXPECT_EQ(certs.Register(alice_, Ref("77")).code(), Code::kAlreadyExists);
  EXPECT_EQ(certs.Register("prn_ffffffffffffffff", Ref("ab")).code(), Code::kNotFound);
  EXPECT_EQ(Events(), before);
}

}  // namespace
}  // namespace cloison::service
