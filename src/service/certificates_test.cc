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

// A Store that counts the read transactions begun through it.
class CountingStore final : public store::Store {
 public:
  explicit CountingStore(store::Store& inner) : inner_(inner) {}
  Result<std::unique_ptr<store::ReadTx>> BeginRead() override {
    ++reads;
    return inner_.BeginRead();
  }
  Result<std::unique_ptr<store::WriteTx>> BeginWrite() override { return inner_.BeginWrite(); }
  std::string Backend() const override { return inner_.Backend(); }
  Status Scrub() override { return inner_.Scrub(); }
  std::optional<uint64_t> ChangeStamp(std::span<const std::string_view> kinds) override {
    ++stamps;
    return inner_.ChangeStamp(kinds);
  }
  int reads = 0;
  int stamps = 0;  // ChangeStamp calls

 private:
  store::Store& inner_;
};

// Authenticate reads the certificate, the token and the principal in one
// read transaction, and none for what it can refuse unread.
TEST_F(CertificatesTest, AuthenticateReadsOnceAndNotForMalformedInput) {
  ClientCertificates certs(*store_, clock_);
  ASSERT_TRUE(certs.Register(alice_, Ref("1a2b3c")).ok());
  Tokens tokens(*store_, clock_);
  auto t = tokens.Issue({alice_, "gic", Role::kGic, "", ""});
  ASSERT_TRUE(t.ok());
  CountingStore counting(*store_);
  auto reads = [&](const Credentials& c, Code want) {
    counting.reads = 0;
    auto p = Authenticate(counting, clock_, c);
    EXPECT_EQ(p.status().code(), want) << p.status().ToString();
    if (p.ok()) {
      EXPECT_EQ(p->id, alice_);
      EXPECT_EQ(p->role, Role::kGic);
    }
    return counting.reads;
  };
  EXPECT_EQ(reads({.token = *t}, Code::kOk), 1);
  EXPECT_EQ(reads({.cert_principal = alice_}, Code::kOk), 1);
  EXPECT_EQ(reads({.cert_principal = alice_, .cert_serial = "1a2b3c"}, Code::kOk), 1);
  EXPECT_EQ(reads({.token = *t, .cert_principal = alice_, .cert_serial = "1a2b3c"}, Code::kOk), 1);
  // Refused without reading.
  EXPECT_EQ(reads({}, Code::kInvalidArgument), 0);
  EXPECT_EQ(reads({.token = "garbage"}, Code::kInvalidArgument), 0);
  EXPECT_EQ(reads({.token = ""}, Code::kInvalidArgument), 0);
  EXPECT_EQ(reads({.cert_principal = alice_, .cert_serial = "00ab"}, Code::kInvalidArgument), 0);
  // Refused after one read: unknown token, the certificate and the token
  // naming different principals, a certificate presented under a wrong name.
  EXPECT_EQ(reads({.token = "cloison_" + std::string(64, 'a')}, Code::kInvalidArgument), 1);
  EXPECT_EQ(reads({.token = *t, .cert_principal = bob_}, Code::kInvalidArgument), 1);
  EXPECT_EQ(reads({.cert_principal = bob_, .cert_serial = "1a2b3c"}, Code::kInvalidArgument), 1);
  EXPECT_EQ(reads({.cert_principal = "prn_ffffffffffffffff"}, Code::kInvalidArgument), 1);
}

// The cache answers a repeated request with one statement and no read
// transaction, and forgets everything the moment a credential changes.
TEST_F(CertificatesTest, CredentialCacheAnswersFromMemoryUntilACredentialChanges) {
  ClientCertificates certs(*store_, clock_);
  ASSERT_TRUE(certs.Register(alice_, Ref("1a2b3c")).ok());
  Tokens tokens(*store_, clock_);
  auto t = tokens.Issue({alice_, "gic", Role::kGic, "", ""});
  auto tb = tokens.Issue({bob_, "cnctr", Role::kCnctr, "", ""});
  ASSERT_TRUE(t.ok() && tb.ok());
  CountingStore counting(*store_);
  CredentialCache cache;
  auto reads = [&](const Credentials& c, Code want) {
    counting.reads = 0;
    auto p = cache.Authenticate(counting, clock_, c);
    EXPECT_EQ(p.status().code(), want) << p.status().ToString();
    return counting.reads;
  };
  const Credentials by_token{.token = *t};
  const Credentials by_cert{.cert_principal = alice_, .cert_serial = "1a2b3c"};
  EXPECT_EQ(reads(by_token, Code::kOk), 1);
  EXPECT_EQ(reads(by_token, Code::kOk), 0);
  EXPECT_EQ(reads(by_cert, Code::kOk), 1);
  EXPECT_EQ(reads(by_cert, Code::kOk), 0);
  EXPECT_EQ(reads({.token = *tb}, Code::kOk), 1);
  // Refusals are never remembered.
  const std::string unknown_token = "cloison_" + std::string(64, 'a');
  const Credentials unknown{.token = unknown_token};
  EXPECT_EQ(reads(unknown, Code::kInvalidArgument), 1);
  EXPECT_EQ(reads(unknown, Code::kInvalidArgument), 1);
  // A change to any credential (a new certificate for bob) forgets every
  // entry: the next requests read again.
  ASSERT_TRUE(certs.Register(bob_, Ref("beef")).ok());
  EXPECT_EQ(reads(by_token, Code::kOk), 1);
  EXPECT_EQ(reads(by_token, Code::kOk), 0);
  // Alice revoked: her token and certificate are refused at once, bob's
  // token still passes.
  ASSERT_TRUE(RevokePrincipal(*store_, clock_, alice_, "system").ok());
  EXPECT_EQ(reads(by_token, Code::kInvalidArgument), 1);
  EXPECT_EQ(reads(by_cert, Code::kInvalidArgument), 1);
  EXPECT_EQ(reads({.token = *tb}, Code::kOk), 1);
  EXPECT_GT(counting.stamps, 0);
}

// `cloison user revoke` runs in another process, with a store of its own on
// the same file: the server's cache sees that revocation before its next
// request too.
TEST_F(CertificatesTest, CredentialCacheSeesARevocationByAnotherStoreOnTheFile) {
  Tokens tokens(*store_, clock_);
  auto t = tokens.Issue({alice_, "gic", Role::kGic, "", ""});
  ASSERT_TRUE(t.ok());
  CredentialCache cache;
  ASSERT_TRUE(cache.Authenticate(*store_, clock_, {.token = *t}).ok());
  ASSERT_TRUE(cache.Authenticate(*store_, clock_, {.token = *t}).ok());
  {
    auto other = store::OpenSqlite(dir_ + "/cloison.db");
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE(RevokePrincipal(**other, clock_, alice_, "system").ok());
  }
  auto p = cache.Authenticate(*store_, clock_, {.token = *t});
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument) << p.status().ToString();
  EXPECT_NE(p.status().message().find("revoked"), std::string::npos) << p.status().ToString();
}

// A remembered token is judged against the clock at every request.
TEST_F(CertificatesTest, CredentialCacheRefusesATokenOnceItHasExpired) {
  Tokens tokens(*store_, clock_);
  auto t = tokens.Issue({alice_, "gic", Role::kGic, "", ""}, std::chrono::hours(1));
  ASSERT_TRUE(t.ok());
  CountingStore counting(*store_);
  CredentialCache cache;
  ASSERT_TRUE(cache.Authenticate(counting, clock_, {.token = *t}).ok());
  clock_.Advance(std::chrono::minutes(59));
  counting.reads = 0;
  ASSERT_TRUE(cache.Authenticate(counting, clock_, {.token = *t}).ok());
  EXPECT_EQ(counting.reads, 0);
  clock_.Advance(std::chrono::minutes(1));
  auto p = cache.Authenticate(counting, clock_, {.token = *t});
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  EXPECT_NE(p.status().message().find("expired"), std::string::npos) << p.status().ToString();
}

// An entry is kept at most max_age, whatever the stamp says.
TEST_F(CertificatesTest, CredentialCacheKeepsAnEntryAtMostMaxAge) {
  Tokens tokens(*store_, clock_);
  auto t = tokens.Issue({alice_, "gic", Role::kGic, "", ""});
  ASSERT_TRUE(t.ok());
  CountingStore counting(*store_);
  CredentialCache ageless(16, std::chrono::seconds(0));
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(ageless.Authenticate(counting, clock_, {.token = *t}).ok());
  EXPECT_EQ(counting.reads, 3);
  counting.reads = 0;
  CredentialCache kept(16, std::chrono::hours(1));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(kept.Authenticate(counting, clock_, {.token = *t}).ok());
  EXPECT_EQ(counting.reads, 1);
}

// Bounded: past max_entries it starts over, and still answers right.
TEST_F(CertificatesTest, CredentialCacheIsBounded) {
  Tokens tokens(*store_, clock_);
  std::vector<std::string> issued;
  for (int i = 0; i < 5; ++i) {
    auto t = tokens.Issue({alice_, "gic", Role::kGic, "", ""});
    ASSERT_TRUE(t.ok());
    issued.push_back(*t);
  }
  CountingStore counting(*store_);
  CredentialCache cache(2);
  for (int round = 0; round < 2; ++round)
    for (const std::string& t : issued) {
      auto p = cache.Authenticate(counting, clock_, {.token = t});
      ASSERT_TRUE(p.ok()) << p.status().ToString();
      EXPECT_EQ(p->id, alice_);
    }
  // Five tokens through two places: most requests read.
  EXPECT_GE(counting.reads, 8);
}

TEST_F(CertificatesTest, AuthenticateSaysWhatWasWrong) {
  ClientCertificates certs(*store_, clock_);
  ASSERT_TRUE(certs.Register(alice_, Ref("1a2b3c")).ok());
  Tokens tokens(*store_, clock_);
  auto t = tokens.Issue({alice_, "gic", Role::kGic, "", ""}, std::chrono::hours(1));
  auto b = tokens.Issue({bob_, "cnctr", Role::kCnctr, "", ""});
  ASSERT_TRUE(t.ok() && b.ok());
  auto message = [&](const Credentials& c) {
    auto p = Authenticate(*store_, clock_, c);
    EXPECT_EQ(p.status().code(), Code::kInvalidArgument) << p.status().ToString();
    return p.status().message();
  };
  EXPECT_EQ(message({}),
            "credentials: missing; send Authorization: Bearer TOKEN or a client certificate");
  EXPECT_EQ(message({.token = "x"}), "token: malformed");
  EXPECT_EQ(message({.token = "cloison_" + std::string(64, 'a')}), "token: unknown");
  EXPECT_EQ(message({.token = *b, .cert_principal = alice_}),
            "credentials: the client certificate and the token disagree");
  EXPECT_EQ(message({.cert_principal = bob_, .cert_serial = "1a2b3c"}),
            "client certificate serial 1a2b3c was issued to principal " + alice_ + ", not " + bob_);
  EXPECT_EQ(message({.cert_principal = "prn_ffffffffffffffff"}), "credentials: unknown principal");
  clock_.Advance(std::chrono::hours(1));
  EXPECT_EQ(message({.token = *t}), "token: expired at 2025-03-03T09:00:00Z");
  // The certificate is judged first: revoked, it is refused with a token
  // that has expired too.
  ASSERT_TRUE(RevokePrincipal(*store_, clock_, alice_).ok());
  EXPECT_EQ(message({.token = *t, .cert_principal = alice_, .cert_serial = "1a2b3c"}),
            "client certificate serial 1a2b3c of principal " + alice_ +
                " was revoked at 2025-03-03T09:00:00Z");
  // The token's text never appears in a message.
  EXPECT_EQ(message({.token = *b, .cert_principal = alice_}).find(*b), std::string::npos);
}

// Another process revoking on the same file (`cloison user revoke` while
// `cloison serve` runs) is seen at the next call: a second, independent
// handle on the file commits the revocation; this handle's pooled read
// connections, which read the same records just before, see it.
TEST_F(CertificatesTest, AuthenticateSeesARevocationMadeThroughAnotherHandle) {
  ClientCertificates certs(*store_, clock_);
  ASSERT_TRUE(certs.Register(alice_, Ref("1a2b3c")).ok());
  Tokens tokens(*store_, clock_);
  auto t = tokens.Issue({alice_, "gic", Role::kGic, "", ""});
  auto b = tokens.Issue({bob_, "cnctr", Role::kCnctr, "", ""});
  ASSERT_TRUE(t.ok() && b.ok());
  const Credentials by_token{.token = *t};
  const Credentials by_cert{.cert_principal = alice_, .cert_serial = "1a2b3c"};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Authenticate(*store_, clock_, by_token).ok());
    ASSERT_TRUE(Authenticate(*store_, clock_, by_cert).ok());
  }
  {
    auto other = store::OpenSqlite(dir_ + "/cloison.db");
    ASSERT_TRUE(other.ok()) << other.status().ToString();
    auto r = RevokePrincipal(**other, clock_, alice_, "system");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->tokens, 1);
    EXPECT_EQ(r->certificates, 1);
  }
  auto p = Authenticate(*store_, clock_, by_token);
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(p.status().message(), "token: revoked");
  p = Authenticate(*store_, clock_, by_cert);
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  EXPECT_NE(p.status().message().find("was revoked at"), std::string::npos) << p.status().message();
  // Bob is untouched.
  EXPECT_TRUE(Authenticate(*store_, clock_, {.token = *b}).ok());
}

}  // namespace
}  // namespace cloison::service
