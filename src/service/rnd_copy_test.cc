// R&D copies (L. 822-2 III): pseudonymised, stripped, in the programme's own
// compartment with the R&D deadline from the original collection; read only
// by assigned agents and the CNCTR, never while suspended; every read in the
// ledger; the pseudonym key survives the vault's root rotation.
#include "service/rnd_copy.h"

#include <algorithm>
#include <fstream>

#include "service/pseudonym.h"
#include "service/rnd_test_util.h"

namespace cloison::service {
namespace {

class RndCopyTest : public RndFixture {
 protected:
  void SetUp() override {
    RndFixture::SetUp();
    auth_ = PutAuthorisation("L852-1-I", {"4"}, clock_.Now() - std::chrono::hours(24 * 10),
                             clock_.Now() + std::chrono::hours(24 * 60));
    programme_ = Granted();
    ASSERT_TRUE(rnd_->AssignAgent(admin_, programme_, rnd_agent_.id).ok());
  }
  std::string auth_, programme_;
};

const char kContent[] = "call from +33 6 12 34 56 78 to jean.dupont@example.fr at 192.0.2.7";

TEST_F(RndCopyTest, CopyIsPseudonymisedStrippedAndInItsOwnCompartment) {
  std::string item = Ingest(auth_, kContent, "correspondence", "+33612345678");
  auto out = copies_->TransferToProgramme(gic_, programme_, item);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_FALSE(out->refused());
  const RndCopy& c = out->value;
  EXPECT_EQ(c.identifiers, 3);
  EXPECT_EQ(c.origin, item);
  // 5 years from the ORIGINAL collection (L. 822-2 III).
  auto orig = vault_->GetItem(gic_, item);
  ASSERT_TRUE(orig.ok());
  EXPECT_EQ(c.destroy_by, book_->rnd.max_retention.After(orig->collected_at));

  auto content = copies_->ReadRndContent(rnd_agent_, c.id);
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  std::string text = Text(*content);
  for (std::string_view gone : {"12 34 56 78", "jean.dupont", "192.0.2.7"})
    EXPECT_EQ(text.find(gone), std::string::npos) << text;
  EXPECT_NE(text.find("call from psn_tel_"), std::string::npos) << text;
  // The target's pseudonym is the content's pseudonym of the same number.
  EXPECT_NE(text.find(c.target), std::string::npos);

  // The vault's copy carries nothing of the origin but its kind and time.
  auto tx = store_->BeginRead();
  auto copy = vault_->LoadItem(**tx, c.id);
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  EXPECT_EQ(copy->compartment, "rnd-" + programme_);
  EXPECT_TRUE(copy->authorisation.empty());
  EXPECT_TRUE(copy->technique.empty());
  EXPECT_TRUE(copy->service.empty());
  EXPECT_TRUE(copy->target.empty());
  EXPECT_EQ(copy->bucket.rfind("rnd-" + programme_ + "/", 0), 0u);
  auto rec = (*tx)->Get("item", c.id);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->body.find(auth_), std::string::npos);
  EXPECT_EQ(rec->body.find("+33612345678"), std::string::npos);

  // Events: the copy (no origin id in it), then the agent's read.
  auto ev = Events();
  ASSERT_GE(ev.size(), 2u);
  EXPECT_EQ(ev[ev.size() - 2].type, "rnd.item.copied");
  EXPECT_EQ(ev[ev.size() - 2].body.find(item), std::string::npos);
  EXPECT_EQ(ev.back().type, "rnd.item.read");
  // An agent's view has no origin; the CNCTR's has.
  EXPECT_TRUE(copies_->GetCopy(rnd_agent_, c.id)->origin.empty());
  EXPECT_EQ(copies_->GetCopy(cnctr_, c.id)->origin, item);
}

TEST_F(RndCopyTest, SameIdentifierLinksWithinAProgrammeNotAcross) {
  std::string a = Ingest(auth_, "from 06 12 34 56 78");
  std::string b = Ingest(auth_, "to +33612345678");
  std::string other = Granted();
  auto ca = copies_->TransferToProgramme(gic_, programme_, a);
  auto cb = copies_->TransferToProgramme(gic_, programme_, b);
  auto cx = copies_->TransferToProgramme(gic_, other, a);
  ASSERT_TRUE(ca.ok() && cb.ok() && cx.ok());
  std::string ta = Text(*copies_->ReadRndContent(cnctr_, ca->value.id));
  std::string tb = Text(*copies_->ReadRndContent(cnctr_, cb->value.id));
  std::string tx = Text(*copies_->ReadRndContent(cnctr_, cx->value.id));
  EXPECT_EQ(ta.substr(5), tb.substr(3));  // the same pseudonym
  EXPECT_NE(ta, tx);                      // another programme, another key
  EXPECT_EQ(ta.substr(0, 13), "from psn_tel_");
}

TEST_F(RndCopyTest, PseudonymKeyIsWrappedAndSurvivesRootRotation) {
  std::string a = Ingest(auth_, "from 06 12 34 56 78");
  auto ca = copies_->TransferToProgramme(gic_, programme_, a);
  ASSERT_TRUE(ca.ok());
  // The key is only in its wrapped form: a bucket record never due.
  auto tx = store_->BeginRead();
  auto key = (*tx)->Get("bucket", RndCopies::KeyBucketId(programme_));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->ends_at, 0);
  tx->reset();
  // A sweep that destroys a bucket rotates the root: a short-lived item
  // expires, the sweep runs, the pseudonym key must still work.
  std::string b = Ingest(auth_, "to +33612345678");
  clock_.Advance(std::chrono::hours(24 * 40));  // past the 30 days of L. 822-2 I 1°
  auto swept = vault_->Sweep();
  ASSERT_TRUE(swept.ok()) << swept.status().ToString();
  EXPECT_GE(swept->buckets, 1);
  // The original is gone; the copy is readable; a new item copied now links.
  EXPECT_TRUE(IsDestroyed(vault_->GetItem(gic_, a).status()));
  auto again = copies_->ReadRndContent(rnd_agent_, ca->value.id);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  auto auth2 = PutAuthorisation("L852-1-I", {"4"}, clock_.Now() - std::chrono::hours(24),
                                clock_.Now() + std::chrono::hours(24 * 30));
  std::string c = Ingest(auth2, "from 0612345678");
  auto cc = copies_->TransferToProgramme(gic_, programme_, c);
  ASSERT_TRUE(cc.ok()) << cc.status().ToString();
  EXPECT_EQ(Text(*copies_->ReadRndContent(rnd_agent_, cc->value.id)), Text(*again));
  (void)b;
}

TEST_F(RndCopyTest, SuspensionBlocksAgentsAtOnce) {
  std::string a = Ingest(auth_, "x");
  auto ca = copies_->TransferToProgramme(gic_, programme_, a);
  ASSERT_TRUE(ca.ok());
  ASSERT_TRUE(copies_->ReadRndContent(rnd_agent_, ca->value.id).ok());
  {
    auto tx = store_->BeginWrite();
    ASSERT_TRUE(rnd_->SuspendProgramme(**tx, cnctr_, programme_, "rec_1", clock_.Now()).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  int64_t before = EventCount();
  EXPECT_EQ(copies_->ReadRndContent(rnd_agent_, ca->value.id).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(copies_->ListCopies(rnd_agent_, programme_).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(copies_->TransferToProgramme(gic_, programme_, a).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(EventCount(), before);
  // The CNCTR keeps its access (L. 833-2).
  EXPECT_TRUE(copies_->ReadRndContent(cnctr_, ca->value.id).ok());
}

TEST_F(RndCopyTest, WrongRolesAndAgentsAreRefused) {
  std::string a = Ingest(auth_, "x");
  for (const Principal* p : {&dgsi_, &cnctr_, &pm_, &admin_, &rnd_agent_, &collector_, &minister_})
    EXPECT_EQ(copies_->TransferToProgramme(*p, programme_, a).status().code(),
              Code::kPermissionDenied)
        << RoleName(p->role);
  auto ca = copies_->TransferToProgramme(gic_, programme_, a);
  ASSERT_TRUE(ca.ok());
  // The gic may not read R&D data (PRODUCT.md); nor anyone but its agents and the CNCTR.
  for (const Principal* p : {&dgsi_, &pm_, &gic_, &admin_, &collector_, &minister_})
    EXPECT_EQ(copies_->ReadRndContent(*p, ca->value.id).status().code(), Code::kPermissionDenied)
        << RoleName(p->role);
  auto stranger = Add("rnd-other", Role::kRndAgent, "dgsi");
  EXPECT_EQ(copies_->ReadRndContent(stranger, ca->value.id).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(copies_->ListCopies(stranger, programme_).status().code(), Code::kPermissionDenied);
}

TEST_F(RndCopyTest, BadInputChangesNothing) {
  std::string a = Ingest(auth_, "x");
  std::string pending = Submitted();
  int64_t before = EventCount();
  EXPECT_EQ(copies_->TransferToProgramme(gic_, programme_, "").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(copies_->TransferToProgramme(gic_, "rnp_ffffffffffffffff", a).status().code(),
            Code::kNotFound);
  EXPECT_EQ(copies_->TransferToProgramme(gic_, programme_, "itm_ffffffffffffffff").status().code(),
            Code::kNotFound);
  EXPECT_EQ(copies_->TransferToProgramme(gic_, pending, a).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(copies_->ReadRndContent(cnctr_, "rnc_ffffffffffffffff").status().code(),
            Code::kNotFound);
  EXPECT_EQ(EventCount(), before);
  store::Filter f;
  f.kind = kRndCopyKind;
  EXPECT_EQ(*(*store_->BeginRead())->Count(f), 0);
}

TEST_F(RndCopyTest, StrictProfileRegisterAndTwoYearLimit) {
  UseRulebook("csi-2021-strict.toml");
  auto auth = PutAuthorisation("L851-1", {"4"}, clock_.Now() - std::chrono::hours(24),
                               clock_.Now() + std::chrono::hours(24 * 100));
  std::string item = Ingest(auth, "log 192.0.2.1", "connection_data");
  std::string programme = Submitted();
  ASSERT_TRUE(rnd_->GiveProgrammeOpinion(cnctr_, programme, authz::Verdict::kFavourable, "").ok());
  ASSERT_TRUE(rnd_->DecideProgramme(pm_, programme, true, "").ok());
  auto c = copies_->TransferToProgramme(gic_, programme, item);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_FALSE(c->refused());
  auto orig = vault_->GetItem(gic_, item);
  EXPECT_EQ(c->value.destroy_by, AddMonths(orig->collected_at, 24));
  auto reg = copies_->Register(cnctr_, programme);
  ASSERT_TRUE(reg.ok());
  ASSERT_EQ(reg->size(), 1u);
  EXPECT_EQ((*reg)[0].copy, c->value.id);
  EXPECT_EQ((*reg)[0].collected_at, orig->collected_at);
  // 25 months later the connection data (4 years) is still kept, but its
  // R&D limit (2 years here) has passed: refused, citing the article.
  clock_.Advance(std::chrono::hours(24 * 31 * 25));
  int64_t before = EventCount();
  auto late = copies_->TransferToProgramme(gic_, programme, item);
  ASSERT_TRUE(late.ok()) << late.status().ToString();
  ASSERT_TRUE(late->refused());
  EXPECT_EQ(late->violations[0].rule, kRuleRndMaxRetention);
  EXPECT_EQ(late->violations[0].article, "L. 822-2 III");
  EXPECT_EQ(EventCount(), before);
}

TEST_F(RndCopyTest, DefaultProfileKeepsNoRegister) {
  std::string a = Ingest(auth_, "x");
  ASSERT_TRUE(copies_->TransferToProgramme(gic_, programme_, a).ok());
  auto reg = copies_->Register(cnctr_, programme_);
  ASSERT_TRUE(reg.ok());
  EXPECT_TRUE(reg->empty());
}

// Closing (L. 822-2 III): every copy destroyed with a destruction record and
// its event, the compartment's bucket keys and the pseudonym key destroyed
// by the sweep that follows, then every access and new copy refused.
TEST_F(RndCopyTest, ClosingDestroysEveryCopyAndThePseudonymKey) {
  std::string a = Ingest(auth_, "CLOSE-MARKER one +33 6 12 34 56 78");
  std::string b = Ingest(auth_, "CLOSE-MARKER two", "correspondence", "",
                         clock_.Now() - std::chrono::hours(24 * 9));  // another day's bucket
  auto ca = copies_->TransferToProgramme(gic_, programme_, a);
  auto cb = copies_->TransferToProgramme(gic_, programme_, b);
  ASSERT_TRUE(ca.ok() && cb.ok());
  std::string backup = CopyInstance();
  ASSERT_NE(Attack(backup, ca->value.id, CandidateRoots({keydir_})), "");  // control
  {
    auto tx = store_->BeginRead();
    ASSERT_TRUE((*tx)->Get("bucket", RndCopies::KeyBucketId(programme_)).ok());
  }

  auto closed = copies_->CloseProgramme(pm_, programme_, "research finished");
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(closed->state, ProgrammeState::kClosed);
  ASSERT_TRUE(closed->closure.has_value());
  EXPECT_EQ(closed->closure->copies_destroyed, 2);
  EXPECT_EQ(rnd_->GetProgramme(cnctr_, programme_)->closure->reasons, "research finished");

  // Each copy: a destruction record under the programme's closing.
  auto ds = vault_->ListDestructions(cnctr_, FromMicros(0));
  ASSERT_TRUE(ds.ok());
  int found = 0;
  for (const auto& d : *ds) {
    if (d.item != ca->value.id && d.item != cb->value.id) continue;
    ++found;
    EXPECT_EQ(d.reason, "programme_closed");
    EXPECT_EQ(d.rule, kRuleRndProgrammeClosed);
    EXPECT_EQ(d.article, book_->rnd.cite.article);
    EXPECT_EQ(d.actor, pm_.id);
  }
  EXPECT_EQ(found, 2);
  auto types = EventTypes();
  EXPECT_EQ(std::count(types.begin(), types.end(), "item.destroyed"), 2);
  EXPECT_EQ(std::count(types.begin(), types.end(), "rnd.programme.closed"), 1);
  // Two copy buckets and the key's, destroyed by the sweep; the root rotated.
  EXPECT_EQ(std::count(types.begin(), types.end(), "bucket.destroyed"), 3);
  EXPECT_EQ(types.back(), "vault.root_rotated");
  {
    auto tx = store_->BeginRead();
    EXPECT_EQ((*tx)->Get("bucket", RndCopies::KeyBucketId(programme_)).status().code(),
              Code::kNotFound);
  }
  // Nothing of the copies opens, from the live instance or the backup,
  // with every key file now on the machine.
  auto roots = CandidateRoots({keydir_, dir_, backup});
  EXPECT_EQ(Attack(backup, ca->value.id, roots), "");
  EXPECT_EQ(Attack(backup, cb->value.id, roots), "");
  for (const auto& [path, bytes] : Files(dir_))
    EXPECT_EQ(bytes.find("CLOSE-MARKER"), std::string::npos) << path;
  // The originals are untouched.
  EXPECT_TRUE(vault_->ReadContent(gic_, a).ok());

  // Every access and new copy refused; the CNCTR finds the copies destroyed.
  int64_t before = EventCount();
  EXPECT_EQ(copies_->ReadRndContent(rnd_agent_, ca->value.id).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(copies_->ListCopies(rnd_agent_, programme_).status().code(), Code::kFailedPrecondition);
  EXPECT_TRUE(IsDestroyed(copies_->ReadRndContent(cnctr_, ca->value.id).status()));
  EXPECT_EQ(copies_->TransferToProgramme(gic_, programme_, a).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(rnd_->AssignAgent(admin_, programme_, rnd_agent_.id).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(rnd_->ResumeProgramme(cnctr_, programme_, "r").status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(copies_->CloseProgramme(pm_, programme_, "again").status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(EventCount(), before);
}

TEST_F(RndCopyTest, WhoMayCloseAndWhatStopsIt) {
  std::string a = Ingest(auth_, "x");
  auto ca = copies_->TransferToProgramme(gic_, programme_, a);
  ASSERT_TRUE(ca.ok());
  int64_t before = EventCount();
  for (const Principal* p : {&dgsi_, &cnctr_, &gic_, &admin_, &rnd_agent_, &collector_})
    EXPECT_EQ(copies_->CloseProgramme(*p, programme_, "r").status().code(), Code::kPermissionDenied)
        << RoleName(p->role);
  // A minister closes only the programmes of its ministry's services.
  auto defence = Add("minister-defence", Role::kMinister, "", "defence");
  EXPECT_EQ(copies_->CloseProgramme(defence, programme_, "r").status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(copies_->CloseProgramme(pm_, programme_, "").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(copies_->CloseProgramme(pm_, "rnp_none", "r").status().code(), Code::kNotFound);
  // A copy frozen by a hold (L. 822-2 II): refused, naming the hold.
  auto hold = vault_->PlaceHold(pm_, "CE-9", {ca->value.id});
  ASSERT_TRUE(hold.ok()) << hold.status().ToString();
  before = EventCount();
  auto held = copies_->CloseProgramme(minister_, programme_, "r");
  EXPECT_EQ(held.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(held.status().message().find(hold->id), std::string::npos);
  EXPECT_NE(held.status().message().find("L. 822-2 II"), std::string::npos);
  EXPECT_EQ(EventCount(), before);
  EXPECT_TRUE(copies_->ReadRndContent(rnd_agent_, ca->value.id).ok());
  ASSERT_TRUE(vault_->ReleaseHold(pm_, hold->id).ok());
  // Suspended, then closed by the minister of dgsi's ministry.
  {
    auto tx = store_->BeginWrite();
    ASSERT_TRUE(rnd_->SuspendProgramme(**tx, cnctr_, programme_, "rec_1", clock_.Now()).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  auto closed = copies_->CloseProgramme(minister_, programme_, "no longer needed");
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(closed->closure->by, minister_.id);
  EXPECT_TRUE(IsDestroyed(copies_->ReadRndContent(cnctr_, ca->value.id).status()));
  // A programme never granted cannot be closed.
  std::string pending = Submitted();
  EXPECT_EQ(copies_->CloseProgramme(pm_, pending, "r").status().code(), Code::kFailedPrecondition);
}

}  // namespace
}  // namespace cloison::service
