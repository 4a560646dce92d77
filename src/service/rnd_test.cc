// R&D programmes (L. 822-2 III) against a real SQLite store and the shipped
// rulebooks: submission, opinion, decision, agents, suspension, reads.
#include "service/rnd.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "rules/parser.h"
#include "service/rnd_test_util.h"

namespace cloison::service {
namespace {

using authz::Verdict;

class RndTest : public RndFixture {};

TEST_F(RndTest, SubmitOpinionDecideAssign) {
  auto sub = rnd_->SubmitProgramme(dgsi_, Draft("dgsi"));
  ASSERT_TRUE(sub.ok()) << sub.status().ToString();
  ASSERT_FALSE(sub->refused());
  EXPECT_EQ(sub->value.state, ProgrammeState::kAwaitingOpinion);
  std::string id = sub->value.id;

  auto op = rnd_->GiveProgrammeOpinion(cnctr_, id, Verdict::kFavourable, "fine");
  ASSERT_TRUE(op.ok()) << op.status().ToString();
  EXPECT_EQ(op->state, ProgrammeState::kOpinionGiven);

  auto dec = rnd_->DecideProgramme(pm_, id, true, "go");
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  ASSERT_FALSE(dec->refused());
  EXPECT_EQ(dec->value.state, ProgrammeState::kGranted);
  EXPECT_FALSE(dec->value.decision->against_opinion);

  auto as = rnd_->AssignAgent(admin_, id, rnd_agent_.id);
  ASSERT_TRUE(as.ok()) << as.status().ToString();
  EXPECT_EQ(as->agents, std::vector<std::string>{rnd_agent_.id});
  // Twice: refused, nothing changes.
  EXPECT_EQ(rnd_->AssignAgent(pm_, id, rnd_agent_.id).status().code(), Code::kAlreadyExists);

  auto types = EventTypes();
  std::vector<std::string> want = {"rnd.programme.submitted", "rnd.programme.opinion",
                                   "rnd.programme.granted", "rnd.agent.assigned"};
  ASSERT_GE(types.size(), want.size());
  EXPECT_EQ(std::vector<std::string>(types.end() - want.size(), types.end()), want);
  // The ledger never holds the reasons' text.
  for (const auto& e : Events()) {
    EXPECT_EQ(e.body.find("\"fine\""), std::string::npos);
    EXPECT_EQ(e.body.find("\"go\""), std::string::npos);
  }
}

TEST_F(RndTest, WrongRolesAreRefused) {
  for (const Principal* p : {&cnctr_, &pm_, &gic_, &admin_, &rnd_agent_, &collector_, &minister_})
    EXPECT_EQ(rnd_->SubmitProgramme(*p, Draft("dgsi")).status().code(), Code::kPermissionDenied)
        << RoleName(p->role);
  // An agent of another service may not submit for dgsi.
  EXPECT_EQ(rnd_->SubmitProgramme(dgse_, Draft("dgsi")).status().code(), Code::kPermissionDenied);
  std::string id = Submitted();
  for (const Principal* p : {&dgsi_, &pm_, &gic_, &admin_, &rnd_agent_, &collector_, &minister_})
    EXPECT_EQ(rnd_->GiveProgrammeOpinion(*p, id, Verdict::kFavourable, "r").status().code(),
              Code::kPermissionDenied)
        << RoleName(p->role);
  ASSERT_TRUE(rnd_->GiveProgrammeOpinion(cnctr_, id, Verdict::kFavourable, "r").ok());
  for (const Principal* p : {&dgsi_, &cnctr_, &gic_, &admin_, &rnd_agent_, &collector_, &minister_})
    EXPECT_EQ(rnd_->DecideProgramme(*p, id, true, "r").status().code(), Code::kPermissionDenied)
        << RoleName(p->role);
  ASSERT_TRUE(rnd_->DecideProgramme(pm_, id, true, "r").ok());
  for (const Principal* p : {&dgsi_, &cnctr_, &gic_, &rnd_agent_, &collector_, &minister_})
    EXPECT_EQ(rnd_->AssignAgent(*p, id, rnd_agent_.id).status().code(), Code::kPermissionDenied)
        << RoleName(p->role);
  for (const Principal* p : {&gic_, &collector_, &minister_})
    EXPECT_EQ(rnd_->GetProgramme(*p, id).status().code(), Code::kPermissionDenied)
        << RoleName(p->role);
  EXPECT_EQ(rnd_->GetProgramme(dgse_, id).status().code(), Code::kPermissionDenied);
  // An rnd_agent not assigned to it does not see it.
  EXPECT_EQ(rnd_->GetProgramme(rnd_agent_, id).status().code(), Code::kPermissionDenied);
  // Only the cnctr suspends.
  auto tx = store_->BeginWrite();
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(rnd_->SuspendProgramme(**tx, pm_, id, "rec_1", clock_.Now()).status().code(),
            Code::kPermissionDenied);
}

TEST_F(RndTest, SeparationOfDuties) {
  std::string id = Submitted();
  Principal same = pm_;
  same.id = dgsi_.id;  // the drafter, acting as pm
  Principal cnctr_as_drafter = cnctr_;
  cnctr_as_drafter.id = dgsi_.id;
  EXPECT_EQ(
      rnd_->GiveProgrammeOpinion(cnctr_as_drafter, id, Verdict::kFavourable, "r").status().code(),
      Code::kPermissionDenied);
  ASSERT_TRUE(rnd_->GiveProgrammeOpinion(cnctr_, id, Verdict::kFavourable, "r").ok());
  EXPECT_EQ(rnd_->DecideProgramme(same, id, true, "r").status().code(), Code::kPermissionDenied);
  Principal opinion_giver = pm_;
  opinion_giver.id = cnctr_.id;
  EXPECT_EQ(rnd_->DecideProgramme(opinion_giver, id, true, "r").status().code(),
            Code::kPermissionDenied);
  auto p = rnd_->GetProgramme(cnctr_, id);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->state, ProgrammeState::kOpinionGiven);
}

TEST_F(RndTest, LawRefusalsCiteTheArticle) {
  // A second-circle service (L. 822-2 III: first circle only).
  auto second = Add("agent-2c", Role::kServiceAgent, SecondCircleService());
  int64_t before = EventCount();
  auto sub = rnd_->SubmitProgramme(second, Draft(second.service));
  ASSERT_TRUE(sub.ok()) << sub.status().ToString();
  ASSERT_TRUE(sub->refused());
  EXPECT_EQ(sub->violations[0].rule, kRuleRndFirstCircle);
  EXPECT_EQ(sub->violations[0].article, "L. 822-2 III");
  EXPECT_EQ(sub->value.state, ProgrammeState::kRefused);
  EXPECT_EQ(EventCount(), before + 1);
  EXPECT_EQ(EventTypes().back(), "rnd.programme.refused");

  // A decision without the CNCTR's opinion: refused, nothing stored.
  std::string id = Submitted();
  before = EventCount();
  auto dec = rnd_->DecideProgramme(pm_, id, true, "r");
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  ASSERT_TRUE(dec->refused());
  EXPECT_EQ(dec->violations[0].rule, kRuleRndOpinionRequired);
  EXPECT_EQ(dec->violations[0].article, "L. 822-2 III");
  EXPECT_EQ(EventCount(), before);
  EXPECT_EQ(rnd_->GetProgramme(pm_, id)->state, ProgrammeState::kAwaitingOpinion);
}

TEST_F(RndTest, StrictProfileRequiresAlgorithmCriteria) {
  UseRulebook("csi-2021-strict.toml");
  ProgrammeDraft d = Draft("dgsi");
  d.algorithm_criteria.clear();
  auto sub = rnd_->SubmitProgramme(dgsi_, d);
  ASSERT_TRUE(sub.ok()) << sub.status().ToString();
  ASSERT_TRUE(sub->refused());
  EXPECT_EQ(sub->violations[0].rule, kRuleRndAlgorithmCriteria);
  EXPECT_EQ(sub->violations[0].article, "L. 822-2 III");
  d.algorithm_criteria = "clustering by signal features only";
  auto ok = rnd_->SubmitProgramme(dgsi_, d);
  ASSERT_TRUE(ok.ok());
  EXPECT_FALSE(ok->refused());
  // The default rulebook does not ask for them.
  UseRulebook("csi-2021.toml");
  auto lax = rnd_->SubmitProgramme(dgsi_, Draft("dgsi", /*criteria=*/false));
  ASSERT_TRUE(lax.ok());
  EXPECT_FALSE(lax->refused());
}

TEST_F(RndTest, BadInputChangesNothing) {
  int64_t before = EventCount();
  for (auto field :
       {&ProgrammeDraft::title, &ProgrammeDraft::purpose, &ProgrammeDraft::technical_parameters}) {
    ProgrammeDraft d = Draft("dgsi");
    d.*field = "";
    auto r = rnd_->SubmitProgramme(dgsi_, d);
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  }
  Principal ghost = dgsi_;
  ghost.service = "nope";
  EXPECT_EQ(rnd_->SubmitProgramme(ghost, Draft("nope")).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(rnd_->GiveProgrammeOpinion(cnctr_, "rnp_ffffffffffffffff", Verdict::kFavourable, "")
                .status()
                .code(),
            Code::kNotFound);
  EXPECT_EQ(rnd_->DecideProgramme(pm_, "", true, "").status().code(), Code::kNotFound);
  EXPECT_EQ(EventCount(), before);
  std::string id = Granted();
  auto other = Add("rnd-dgse", Role::kRndAgent, "dgse");
  before = EventCount();
  EXPECT_EQ(rnd_->AssignAgent(admin_, id, "").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(rnd_->AssignAgent(admin_, id, "prn_ffffffffffffffff").status().code(), Code::kNotFound);
  // Not an rnd_agent; an rnd_agent of another service.
  EXPECT_EQ(rnd_->AssignAgent(admin_, id, gic_.id).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(rnd_->AssignAgent(admin_, id, other.id).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(EventCount(), before);
  // Wrong states.
  EXPECT_EQ(rnd_->GiveProgrammeOpinion(cnctr_, id, Verdict::kFavourable, "").status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(rnd_->DecideProgramme(pm_, id, true, "").status().code(), Code::kFailedPrecondition);
  std::string pending = Submitted();
  EXPECT_EQ(rnd_->AssignAgent(admin_, pending, rnd_agent_.id).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(EventCount(), before + 1);  // the submission only
}

TEST_F(RndTest, GrantAgainstUnfavourableOpinionIsFlagged) {
  std::string id = Submitted();
  ASSERT_TRUE(rnd_->GiveProgrammeOpinion(cnctr_, id, Verdict::kUnfavourable, "no").ok());
  auto dec = rnd_->DecideProgramme(pm_, id, true, "still");
  ASSERT_TRUE(dec.ok());
  EXPECT_TRUE(dec->value.decision->against_opinion);
  EXPECT_NE(Events().back().body.find("\"against_opinion\":true"), std::string::npos);
}

TEST_F(RndTest, SuspensionAndViews) {
  std::string id = Granted();
  ASSERT_TRUE(rnd_->AssignAgent(admin_, id, rnd_agent_.id).ok());
  // The agent sees its programme without the reasons; the admin too.
  auto seen = rnd_->GetProgramme(rnd_agent_, id);
  ASSERT_TRUE(seen.ok());
  EXPECT_TRUE(seen->opinion->reasons.empty());
  EXPECT_TRUE(seen->decision->reasons.empty());
  EXPECT_FALSE(rnd_->GetProgramme(cnctr_, id)->opinion->reasons.empty());
  EXPECT_TRUE(rnd_->GetProgramme(admin_, id)->decision->reasons.empty());
  {
    auto tx = store_->BeginWrite();
    ASSERT_TRUE(tx.ok());
    auto s = rnd_->SuspendProgramme(**tx, cnctr_, id, "rec_0000000000000001", clock_.Now());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  EXPECT_EQ(rnd_->GetProgramme(pm_, id)->state, ProgrammeState::kSuspended);
  EXPECT_EQ(EventTypes().back(), "rnd.programme.suspended");
  // Lists: by state, by service, by assignment.
  std::string other = Submitted();
  auto all = rnd_->ListProgrammes(cnctr_);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  auto suspended = rnd_->ListProgrammes(pm_, ProgrammeState::kSuspended);
  ASSERT_EQ(suspended->size(), 1u);
  EXPECT_EQ((*suspended)[0].id, id);
  EXPECT_EQ(rnd_->ListProgrammes(rnd_agent_)->size(), 1u);
  EXPECT_EQ(rnd_->ListProgrammes(dgse_)->size(), 0u);
  EXPECT_EQ(rnd_->ListProgrammes(dgsi_)->size(), 2u);
  auto page = rnd_->ListProgrammes(cnctr_, std::nullopt, Page{"", 1});
  ASSERT_EQ(page->size(), 1u);
  auto page2 = rnd_->ListProgrammes(cnctr_, std::nullopt, Page{(*page)[0].id, 1});
  ASSERT_EQ(page2->size(), 1u);
  EXPECT_NE((*page2)[0].id, (*page)[0].id);
  EXPECT_EQ(rnd_->ListProgrammes(gic_).status().code(), Code::kPermissionDenied);
  (void)other;
}

TEST_F(RndTest, OnlyTheCnctrResumesASuspendedProgramme) {
  std::string id = Granted();
  EXPECT_EQ(rnd_->ResumeProgramme(cnctr_, id, "complies").status().code(),
            Code::kFailedPrecondition);  // not suspended
  {
    auto tx = store_->BeginWrite();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(
        rnd_->SuspendProgramme(**tx, cnctr_, id, "rec_0000000000000001", clock_.Now()).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  int64_t before = EventCount();
  // L. 822-2 III: the suspension is the CNCTR's; the PM, the service and
  // the others may not lift it.
  for (const Principal* p : {&pm_, &dgsi_, &minister_, &gic_, &admin_, &rnd_agent_, &collector_})
    EXPECT_EQ(rnd_->ResumeProgramme(*p, id, "r").status().code(), Code::kPermissionDenied)
        << RoleName(p->role);
  auto empty = rnd_->ResumeProgramme(cnctr_, id, "");
  EXPECT_EQ(empty.status().code(), Code::kInvalidArgument);
  EXPECT_NE(empty.status().message().find("reasons"), std::string::npos);
  EXPECT_EQ(rnd_->ResumeProgramme(cnctr_, "rnp_none", "r").status().code(), Code::kNotFound);
  EXPECT_EQ(EventCount(), before);
  EXPECT_EQ(rnd_->GetProgramme(pm_, id)->state, ProgrammeState::kSuspended);

  clock_.Advance(std::chrono::hours(2));
  auto r = rnd_->ResumeProgramme(cnctr_, id, "the parameters comply again");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->state, ProgrammeState::kGranted);
  ASSERT_TRUE(r->resumption.has_value());
  EXPECT_EQ(r->resumption->by, cnctr_.id);
  EXPECT_EQ(r->resumption->at, clock_.Now());
  // Stored, and read back; the suspension stays on record.
  auto again = rnd_->GetProgramme(cnctr_, id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->resumption->reasons, "the parameters comply again");
  EXPECT_EQ(again->suspension->recommendation, "rec_0000000000000001");
  EXPECT_TRUE(rnd_->GetProgramme(admin_, id)->resumption->reasons.empty());
  auto ev = Events().back();
  EXPECT_EQ(ev.type, "rnd.programme.resumed");
  EXPECT_NE(ev.body.find("rec_0000000000000001"), std::string::npos);
  EXPECT_EQ(ev.body.find("comply again"), std::string::npos);  // its hash only
  EXPECT_EQ(rnd_->ResumeProgramme(cnctr_, id, "again").status().code(), Code::kFailedPrecondition);
}

}  // namespace
}  // namespace cloison::service
