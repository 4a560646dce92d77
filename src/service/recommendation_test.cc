// CNCTR recommendations (L. 833-6): interrupt waits for the PM's follow-up;
// destroy takes the item and its transcriptions at once (or one irregular
// transcription); suspend_programme blocks the programme's agents at once;
// the ledger holds a hash of the reasons, never their text.
#include "service/recommendation.h"

#include "service/rnd_test_util.h"

namespace cloison::service {
namespace {

class RecommendationTest : public RndFixture {
 protected:
  void SetUp() override {
    RndFixture::SetUp();
    ex_ = std::make_unique<Exploitation>(*store_, *book_, clock_, ids_, *vault_, dir_);
    recs_ = std::make_unique<Recommendations>(*store_, clock_, ids_, *vault_, *ex_, *rnd_);
    auth_ = PutAuthorisation("L852-1-I", {"4"}, clock_.Now() - std::chrono::hours(24),
                             clock_.Now() + std::chrono::hours(24 * 60));
    item_ = Ingest(auth_, "irregularly collected");
  }
  void TearDown() override {
    recs_.reset();
    ex_.reset();
    RndFixture::TearDown();
  }
  std::unique_ptr<Exploitation> ex_;
  std::unique_ptr<Recommendations> recs_;
  std::string auth_, item_;
};

TEST_F(RecommendationTest, InterruptWaitsForThePmsFollowUp) {
  auto r = recs_->Make(cnctr_, "interrupt", auth_, "the secret reasons of the commission");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->state, "awaiting_follow_up");
  auto ev = Events().back();
  EXPECT_EQ(ev.type, "recommendation.made");
  EXPECT_NE(ev.body.find("\"kind\":\"interrupt\""), std::string::npos);
  EXPECT_NE(ev.body.find("reasons_sha256"), std::string::npos);
  EXPECT_EQ(ev.body.find("secret reasons"), std::string::npos);
  auto awaiting = recs_->List(pm_, true);
  ASSERT_TRUE(awaiting.ok());
  ASSERT_EQ(awaiting->size(), 1u);
  auto f = recs_->RecordFollowUp(pm_, r->id, "terminated on 2026-01-01");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->state, "followed_up");
  EXPECT_EQ(EventTypes().back(), "recommendation.followed_up");
  EXPECT_TRUE(recs_->List(pm_, true)->empty());
  EXPECT_EQ(recs_->RecordFollowUp(pm_, r->id, "again").status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(recs_->Get(cnctr_, r->id)->follow_up->response, "terminated on 2026-01-01");
}

TEST_F(RecommendationTest, DestroyTakesTheItemAndItsTranscriptionsAtOnce) {
  auto t = ex_->Transcribe(gic_, item_, "words", "4");
  ASSERT_TRUE(t.ok());
  auto r = recs_->Make(cnctr_, "destroy", item_, "collected outside the authorisation");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->destroys, (std::vector<std::string>{item_, t->id}));
  EXPECT_TRUE(IsDestroyed(vault_->GetItem(cnctr_, item_).status()));
  EXPECT_TRUE(IsDestroyed(ex_->ReadTranscription(cnctr_, t->id).status()));
  auto log = vault_->ListDestructions(cnctr_, clock_.Now() - std::chrono::hours(1));
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u);
  for (const auto& d : *log) {
    EXPECT_EQ(d.recommendation, r->id);
    EXPECT_EQ(d.article, "L. 833-6");
  }
}

TEST_F(RecommendationTest, DestroyAnIrregularTranscriptionAlone) {
  auto t = ex_->Extract(gic_, item_, "words", "3");
  ASSERT_TRUE(t.ok());
  auto r = recs_->Make(cnctr_, "destroy", t->id, "other purpose not justified");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->destroys, std::vector<std::string>{t->id});
  EXPECT_TRUE(IsDestroyed(ex_->ReadTranscription(cnctr_, t->id).status()));
  EXPECT_TRUE(vault_->ReadContent(cnctr_, item_).ok());  // the item stays
}

TEST_F(RecommendationTest, HeldItemsAreNotDestroyed) {
  auto hold = vault_->PlaceHold(pm_, "CE 123456", {item_});
  ASSERT_TRUE(hold.ok()) << hold.status().ToString();
  int64_t before = EventCount();
  EXPECT_EQ(recs_->Make(cnctr_, "destroy", item_, "r").status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(EventCount(), before);
  EXPECT_TRUE(vault_->ReadContent(cnctr_, item_).ok());
}

TEST_F(RecommendationTest, SuspendProgrammeBlocksItsAgentsAtOnce) {
  std::string programme = Granted();
  ASSERT_TRUE(rnd_->AssignAgent(admin_, programme, rnd_agent_.id).ok());
  auto copy = copies_->TransferToProgramme(gic_, programme, item_);
  ASSERT_TRUE(copy.ok());
  ASSERT_TRUE(copies_->ReadRndContent(rnd_agent_, copy->value.id).ok());
  auto r = recs_->Make(cnctr_, "suspend_programme", programme, "used to watch a person");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto types = EventTypes();
  EXPECT_EQ(types[types.size() - 2], "recommendation.made");
  EXPECT_EQ(types.back(), "rnd.programme.suspended");
  EXPECT_EQ(rnd_->GetProgramme(pm_, programme)->suspension->recommendation, r->id);
  EXPECT_EQ(copies_->ReadRndContent(rnd_agent_, copy->value.id).status().code(),
            Code::kFailedPrecondition);
  // Twice: the programme is no longer granted; nothing is stored.
  int64_t before = EventCount();
  EXPECT_EQ(recs_->Make(cnctr_, "suspend_programme", programme, "r").status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(EventCount(), before);
}

TEST_F(RecommendationTest, WrongRolesAreRefused) {
  for (const Principal* p : {&dgsi_, &pm_, &gic_, &admin_, &rnd_agent_, &collector_, &minister_})
    EXPECT_EQ(recs_->Make(*p, "interrupt", auth_, "r").status().code(), Code::kPermissionDenied)
        << RoleName(p->role);
  auto r = recs_->Make(cnctr_, "interrupt", auth_, "r");
  ASSERT_TRUE(r.ok());
  for (const Principal* p : {&dgsi_, &cnctr_, &gic_, &admin_, &rnd_agent_, &collector_, &minister_})
    EXPECT_EQ(recs_->RecordFollowUp(*p, r->id, "x").status().code(), Code::kPermissionDenied)
        << RoleName(p->role);
  for (const Principal* p : {&dgsi_, &gic_, &admin_, &rnd_agent_, &collector_, &minister_}) {
    EXPECT_EQ(recs_->List(*p).status().code(), Code::kPermissionDenied);
    EXPECT_EQ(recs_->Get(*p, r->id).status().code(), Code::kPermissionDenied);
  }
}

TEST_F(RecommendationTest, BadInputChangesNothing) {
  int64_t before = EventCount();
  EXPECT_EQ(recs_->Make(cnctr_, "abolish", auth_, "r").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(recs_->Make(cnctr_, "interrupt", "", "r").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(recs_->Make(cnctr_, "interrupt", auth_, "").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(recs_->Make(cnctr_, "interrupt", "aut_ffffffffffffffff", "r").status().code(),
            Code::kNotFound);
  EXPECT_EQ(recs_->Make(cnctr_, "destroy", "itm_ffffffffffffffff", "r").status().code(),
            Code::kNotFound);
  EXPECT_EQ(recs_->Make(cnctr_, "suspend_programme", "rnp_ffffffffffffffff", "r").status().code(),
            Code::kNotFound);
  EXPECT_EQ(recs_->RecordFollowUp(pm_, "rec_ffffffffffffffff", "x").status().code(),
            Code::kNotFound);
  auto r = recs_->Make(cnctr_, "interrupt", auth_, "r");
  ASSERT_TRUE(r.ok());
  ++before;
  EXPECT_EQ(recs_->RecordFollowUp(pm_, r->id, "").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(EventCount(), before);
  store::Filter f;
  f.kind = kRecommendationKind;
  EXPECT_EQ(*(*store_->BeginRead())->Count(f), 1);
}

}  // namespace
}  // namespace cloison::service
