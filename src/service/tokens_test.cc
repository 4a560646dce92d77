// Bearer tokens: issued once, stored hashed, resolved until they expire.
#include "service/tokens.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "crypto/sha256.h"
#include "rules/parser.h"
#include "service/workflow.h"

namespace cloison::service {
namespace {

class TokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cloison-tok-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto book = rules::LoadRulebook(std::string(CLOISON_SOURCE_DIR) + "/rules/csi-2021.toml");
    ASSERT_TRUE(book.ok());
    book_ = std::move(book).value();
    auto st = store::OpenSqlite(dir_ + "/cloison.db");
    ASSERT_TRUE(st.ok());
    store_ = std::move(st).value();
    Workflow wf(*store_, book_, clock_, ids_);
    auto p = wf.AddPrincipal({"", "cnctr", Role::kCnctr, "", ""});
    ASSERT_TRUE(p.ok());
    principal_ = *p;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string dir_;
  rules::Rulebook book_;
  std::unique_ptr<store::Store> store_;
  FakeClock clock_{*ParseTime("2025-03-03T08:00:00Z")};
  SequentialIdGenerator ids_;
  Principal principal_;
};

TEST_F(TokensTest, IssuedTokensResolveUntilTheyExpire) {
  Tokens tokens(*store_, clock_);
  auto t = tokens.Issue(principal_, std::chrono::hours(2));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->rfind("cloison_", 0), 0u);
  EXPECT_EQ(t->size(), 8u + 64u);
  auto again = tokens.Issue(principal_);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*t, *again);
  auto who = tokens.Resolve(*t);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(*who, principal_.id);
  clock_.Advance(std::chrono::hours(2));
  auto expired = tokens.Resolve(*t);
  EXPECT_EQ(expired.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(expired.status().message().find("expired"), std::string::npos);
  EXPECT_TRUE(tokens.Resolve(*again).ok());
}

TEST_F(TokensTest, UnknownAndMalformedTokensAreNotFound) {
  Tokens tokens(*store_, clock_);
  for (std::string bad :
       {std::string(), std::string("cloison_"), std::string("cloison_") + std::string(64, 'g'),
        std::string("cloison_") + std::string(64, 'a'), std::string(72, 'a'),
        std::string("cloison_") + std::string(65, 'a')}) {
    auto r = tokens.Resolve(bad);
    EXPECT_EQ(r.status().code(), Code::kNotFound) << bad;
    if (!bad.empty()) {
      EXPECT_EQ(r.status().message().find(bad), std::string::npos);
    }
  }
  Principal ghost = principal_;
  ghost.id = "prn_ffffffffffffffff";
  EXPECT_EQ(tokens.Issue(ghost).status().code(), Code::kNotFound);
}

TEST_F(TokensTest, TheStoreAndTheLedgerNeverHoldTheToken) {
  Tokens tokens(*store_, clock_);
  auto t = tokens.Issue(principal_);
  ASSERT_TRUE(t.ok());
  auto tx = store_->BeginRead();
  ASSERT_TRUE(tx.ok());
  store::Filter f;
  f.kind = "token";
  auto recs = (*tx)->List(f);
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 1u);
  EXPECT_EQ((*recs)[0].id, crypto::Hex(crypto::Sha256(*t)));
  EXPECT_EQ((*recs)[0].body, principal_.id);
  auto n = (*tx)->EventCount();
  auto events = (*tx)->Events(0, *n);
  ASSERT_TRUE(events.ok());
  bool issued = false;
  for (const auto& e : *events) {
    EXPECT_EQ(e.body.find(*t), std::string::npos);
    EXPECT_EQ(e.body.find((*recs)[0].id), std::string::npos);
    if (e.type == "token.issued") issued = true;
  }
  EXPECT_TRUE(issued);
}

TEST_F(TokensTest, RevokingAPrincipalRefusesEveryOneOfItsTokensAndOnlyThose) {
  Tokens tokens(*store_, clock_);
  Workflow wf(*store_, book_, clock_, ids_);
  auto other = wf.AddPrincipal({"", "pm", Role::kPm, "", ""});
  ASSERT_TRUE(other.ok());
  auto t1 = tokens.Issue(principal_);
  auto t2 = tokens.Issue(principal_);
  auto kept = tokens.Issue(*other);
  ASSERT_TRUE(t1.ok() && t2.ok() && kept.ok());

  auto n = tokens.RevokeAll(principal_.id, other->id);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2);
  for (const auto& t : {*t1, *t2}) {
    auto r = tokens.Resolve(t);
    EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
    EXPECT_EQ(r.status().message(), "token: revoked");
  }
  EXPECT_TRUE(tokens.Resolve(*kept).ok());
  // Nothing left to revoke: 0, and no event.
  auto tx = store_->BeginRead();
  ASSERT_TRUE(tx.ok());
  int64_t before = *(*tx)->EventCount();
  tx->reset();
  EXPECT_EQ(*tokens.RevokeAll(principal_.id), 0);
  tx = store_->BeginRead();
  EXPECT_EQ(*(*tx)->EventCount(), before);
  // One token.revoked event per token, by the actor, naming the principal
  // and never the token or its hash.
  auto events = (*tx)->Events(0, before);
  ASSERT_TRUE(events.ok());
  int revoked = 0;
  for (const auto& e : *events) {
    if (e.type != "token.revoked") continue;
    ++revoked;
    EXPECT_NE(e.body.find("\"actor\":\"" + other->id + "\""), std::string::npos) << e.body;
    EXPECT_NE(e.body.find("\"subject\":\"" + principal_.id + "\""), std::string::npos);
    for (const auto& t : {*t1, *t2}) {
      EXPECT_EQ(e.body.find(t), std::string::npos);
      EXPECT_EQ(e.body.find(crypto::Hex(crypto::Sha256(t))), std::string::npos);
    }
  }
  EXPECT_EQ(revoked, 2);
  // A token issued after the revocation works: revocation is of the tokens,
  // not of the principal.
  auto fresh = tokens.Issue(principal_);
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(tokens.Resolve(*fresh).ok());
}

TEST_F(TokensTest, RevokingAnUnknownPrincipalChangesNothing) {
  Tokens tokens(*store_, clock_);
  ASSERT_TRUE(tokens.Issue(principal_).ok());
  auto tx = store_->BeginRead();
  int64_t before = *(*tx)->EventCount();
  tx->reset();
  auto r = tokens.RevokeAll("prn_ffffffffffffffff");
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_NE(r.status().message().find("prn_ffffffffffffffff"), std::string::npos);
  EXPECT_EQ(tokens.RevokeAll("").status().code(), Code::kInvalidArgument);
  tx = store_->BeginRead();
  EXPECT_EQ(*(*tx)->EventCount(), before);
}

}  // namespace
}  // namespace cloison::service
