// Use cases against a real SQLite store and the shipped rulebook.
#include "service/workflow.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <thread>

#include "authz/workflow.h"
#include "rules/parser.h"

namespace cloison::service {
namespace {

using authz::Formation;
using authz::RequestDraft;
using authz::Verdict;

std::string TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "cloison-wf-XXXXXX").string();
  EXPECT_NE(::mkdtemp(tmpl.data()), nullptr);
  return tmpl;
}

bool Cites(const std::vector<rules::Violation>& vs, std::string_view article) {
  for (const auto& v : vs)
    if (v.article.find(article) != std::string::npos) return true;
  return false;
}

class WorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    auto book = rules::LoadRulebook(std::string(CLOISON_SOURCE_DIR) + "/rules/csi-2021.toml");
    ASSERT_TRUE(book.ok()) << book.status().ToString();
    book_ = std::move(book).value();
    auto st = store::OpenSqlite(dir_ + "/cloison.db");
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    store_ = std::move(st).value();
    wf_ = std::make_unique<Workflow>(*store_, book_, clock_, ids_);
    dgsi_ = Add("agent", Role::kServiceAgent, "dgsi");
    dgse_ = Add("agent2", Role::kServiceAgent, "dgse");
    cnctr_ = Add("cnctr", Role::kCnctr);
    pm_ = Add("pm", Role::kPm);
  }
  void TearDown() override {
    wf_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Principal Add(std::string name, Role role, std::string service = {}, std::string minister = {}) {
    auto p = wf_->AddPrincipal({"", std::move(name), role, std::move(service), std::move(minister)});
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? *p : Principal{};
  }

  static RequestDraft Draft(std::string technique, std::vector<std::string> purposes, int days,
                            std::string service = "dgsi", std::string minister = "interior") {
    RequestDraft d;
    d.service = std::move(service);
    d.minister = std::move(minister);
    d.technique = std::move(technique);
    d.purposes = std::move(purposes);
    d.targets = {{"identifier", "X"}};
    d.grounds = "grounds";
    d.duration_days = days;
    return d;
  }

  std::vector<store::Event> Events() {
    auto tx = store_->BeginRead();
    EXPECT_TRUE(tx.ok());
    auto n = (*tx)->EventCount();
    auto ev = (*tx)->Events(0, *n);
    EXPECT_TRUE(ev.ok());
    return *ev;
  }

  void SetQuota(std::string technique, int limit, std::map<std::string, int> alloc) {
    authz::Quota q;
    q.technique = std::move(technique);
    q.limit = limit;
    q.allocation = std::move(alloc);
    q.cnctr_opinion_ref = "CNCTR-TEST";
    auto r = wf_->SetQuota(pm_, q);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_FALSE(r->refused()) << r->violations[0].message;
  }

  std::string dir_;
  rules::Rulebook book_;
  FakeClock clock_{*ParseTime("2025-03-03T08:00:00Z")};
  SequentialIdGenerator ids_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Workflow> wf_;
  Principal dgsi_, dgse_, cnctr_, pm_;
};

TEST_F(WorkflowTest, RequestOpinionGrantPutsAnAuthorisationInForce) {
  auto req = wf_->SubmitRequest(dgsi_, Draft("L851-4", {"4"}, 30));
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  ASSERT_FALSE(req->refused()) << req->violations[0].message;
  EXPECT_EQ(req->value.state, authz::RequestState::kAwaitingOpinion);
  EXPECT_EQ(FormatTime(req->value.opinion_due), "2025-03-04T08:00:00Z");

  auto op = wf_->GiveOpinion(cnctr_, req->value.id, Verdict::kFavourable, Formation::kSingle, "ok");
  ASSERT_TRUE(op.ok()) << op.status().ToString();
  auto dec = wf_->Decide(pm_, req->value.id, {true, "", false});
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  ASSERT_FALSE(dec->refused()) << dec->violations[0].message;
  ASSERT_TRUE(dec->value.authorisation);
  auto a = wf_->GetAuthorisation(dec->value.authorisation->id);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(authz::InForce(*a, clock_.Now()));
  EXPECT_EQ(a->state, authz::AuthorisationState::kApproved);

  // Expiry is derived from the clock.
  clock_.Advance(std::chrono::hours(24 * 31));
  a = wf_->GetAuthorisation(dec->value.authorisation->id);
  EXPECT_EQ(a->state, authz::AuthorisationState::kExpired);

  std::vector<std::string> types;
  for (const auto& e : Events()) types.push_back(e.type);
  std::vector<std::string> tail(types.end() - 4, types.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"request.submitted", "opinion.given", "decision.granted",
                                            "authorisation.issued"}));
  // Events are canonical and carry the manual clock, never the grounds.
  for (const auto& e : Events()) {
    EXPECT_NE(e.body.find("\"clock\":\"manual\""), std::string::npos);
    EXPECT_EQ(e.body.find("grounds"), std::string::npos) << e.body;
  }
}

TEST_F(WorkflowTest, UnlawfulRequestIsRecordedAsRefusedWithArticles) {
  auto req = wf_->SubmitRequest(dgsi_, Draft("L851-3", {"4"}, 90));
  ASSERT_TRUE(req.ok());
  ASSERT_TRUE(req->refused());
  EXPECT_TRUE(Cites(req->violations, "851-3")) << req->violations[0].article;
  auto stored = wf_->GetRequest(req->value.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->state, authz::RequestState::kRefused);
  EXPECT_EQ(Events().back().type, "request.refused");
  // A refused request cannot be decided.
  auto dec = wf_->Decide(pm_, req->value.id, {true, "", false});
  EXPECT_EQ(dec.status().code(), Code::kFailedPrecondition);
}

TEST_F(WorkflowTest, APrincipalsNameMustBeUtf8AndNothingIsRecordedOtherwise) {
  const size_t before = Events().size();
  auto bad = wf_->AddPrincipal({"", "agent \xE9t\xE9", Role::kCnctr, "", ""});  // Latin-1
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "name: not UTF-8");
  EXPECT_EQ(Events().size(), before);
  auto good = wf_->AddPrincipal({"", "agent \xC3\xA9t\xC3\xA9", Role::kCnctr, "", ""});
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  auto read = wf_->GetPrincipal(good->id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->name, "agent \xC3\xA9t\xC3\xA9");
}

TEST_F(WorkflowTest, RolesAndSeparationOfDuties) {
  Principal collector = Add("c", Role::kCollector);
  EXPECT_EQ(wf_->SubmitRequest(collector, Draft("L851-4", {"4"}, 30)).status().code(),
            Code::kPermissionDenied);
  // An agent drafts only for its own service.
  EXPECT_EQ(wf_->SubmitRequest(dgse_, Draft("L851-4", {"4"}, 30)).status().code(),
            Code::kPermissionDenied);
  auto req = wf_->SubmitRequest(dgsi_, Draft("L851-4", {"4"}, 30));
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(wf_->GiveOpinion(pm_, req->value.id, Verdict::kFavourable, Formation::kSingle, "")
                .status()
                .code(),
            Code::kPermissionDenied);
  EXPECT_EQ(wf_->Decide(cnctr_, req->value.id, {true, "", false}).status().code(),
            Code::kPermissionDenied);
  // The same person (principal id) may never draft and decide, nor opine and decide.
  Principal drafter_as_pm = pm_;
  drafter_as_pm.id = dgsi_.id;
  EXPECT_EQ(wf_->Decide(drafter_as_pm, req->value.id, {true, "", false}).status().code(),
            Code::kPermissionDenied);
  ASSERT_TRUE(
      wf_->GiveOpinion(cnctr_, req->value.id, Verdict::kFavourable, Formation::kSingle, "").ok());
  Principal opiner_as_pm = pm_;
  opiner_as_pm.id = cnctr_.id;
  EXPECT_EQ(wf_->Decide(opiner_as_pm, req->value.id, {true, "", false}).status().code(),
            Code::kPermissionDenied);
  // Nothing was written by the denied calls: still decidable.
  auto dec = wf_->Decide(pm_, req->value.id, {true, "", false});
  ASSERT_TRUE(dec.ok());
  EXPECT_FALSE(dec->refused());
}

TEST_F(WorkflowTest, SilenceIsDeemedAnOpinionOnlyAfterTheDeadline) {
  auto early = wf_->SubmitRequest(dgsi_, Draft("L851-4", {"4"}, 30));
  ASSERT_TRUE(early.ok());
  clock_.Advance(std::chrono::hours(23));
  auto dec = wf_->Decide(pm_, early->value.id, {true, "", false});
  ASSERT_TRUE(dec.ok());
  EXPECT_TRUE(dec->refused());
  EXPECT_TRUE(Cites(dec->violations, "821-3"));
  EXPECT_FALSE(dec->value.authorisation);

  auto late = wf_->SubmitRequest(dgsi_, Draft("L851-4", {"4"}, 30));
  ASSERT_TRUE(late.ok());
  clock_.Advance(std::chrono::hours(25));
  dec = wf_->Decide(pm_, late->value.id, {true, "", false});
  ASSERT_TRUE(dec.ok());
  ASSERT_FALSE(dec->refused()) << dec->violations[0].message;
  ASSERT_TRUE(dec->value.request.opinion);
  EXPECT_TRUE(dec->value.request.opinion->deemed);
}

TEST_F(WorkflowTest, QuotaIsEnforcedPerMinisterAtDecisionTime) {
  SetQuota("L852-1-I", 2, {{"interior", 1}, {"defence", 1}});
  std::vector<std::string> granted;
  for (int i = 0; i < 2; ++i) {
    auto req = wf_->SubmitRequest(dgsi_, Draft("L852-1-I", {"4"}, 30));
    ASSERT_TRUE(req.ok());
    ASSERT_FALSE(req->refused()) << req->violations[0].message;
    ASSERT_TRUE(wf_->GiveOpinion(cnctr_, req->value.id, Verdict::kFavourable, Formation::kSingle, "").ok());
    auto dec = wf_->Decide(pm_, req->value.id, {true, "", false});
    ASSERT_TRUE(dec.ok());
    if (i == 0) {
      ASSERT_FALSE(dec->refused()) << dec->violations[0].message;
      granted.push_back(dec->value.authorisation->id);
    } else {
      EXPECT_TRUE(dec->refused());
      EXPECT_FALSE(dec->value.authorisation);
    }
  }
  auto quotas = wf_->Quotas();
  ASSERT_TRUE(quotas.ok());
  ASSERT_EQ(quotas->size(), 1u);
  EXPECT_EQ((*quotas)[0].in_force["interior"], 1);
  EXPECT_EQ((*quotas)[0].issued, 1);
  // Terminating frees the share.
  ASSERT_TRUE(wf_->Terminate(pm_, granted[0], "done").ok());
  auto req = wf_->SubmitRequest(dgsi_, Draft("L852-1-I", {"4"}, 30));
  ASSERT_TRUE(wf_->GiveOpinion(cnctr_, req->value.id, Verdict::kFavourable, Formation::kSingle, "").ok());
  auto dec = wf_->Decide(pm_, req->value.id, {true, "", false});
  ASSERT_TRUE(dec.ok());
  EXPECT_FALSE(dec->refused());
}

// Property: whatever the interleaving of grants, terminations and time, from
// several threads, no minister ever has more authorisations counting than its
// share. Checked afterwards from the stored authorisations themselves.
TEST_F(WorkflowTest, ConcurrentRandomInterleavingsNeverExceedAQuota) {
  SetQuota("L852-1-I", 3, {{"interior", 2}, {"defence", 1}});
  Principal defence_agent = Add("agent-dgse", Role::kServiceAgent, "dgse");
  constexpr int kThreads = 4, kSteps = 40;
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(1234 + t);
      std::vector<std::string> mine;
      for (int s = 0; s < kSteps; ++s) {
        int action = rng() % 4;
        if (action <= 1) {
          bool interior = rng() % 3 != 0;
          auto req = interior ? wf_->SubmitRequest(dgsi_, Draft("L852-1-I", {"4"}, 1 + rng() % 20))
                              : wf_->SubmitRequest(defence_agent, Draft("L852-1-I", {"1"}, 1 + rng() % 20,
                                                                        "dgse", "defence"));
          if (!req.ok() || req->refused()) { ++errors; continue; }
          if (rng() % 2) {
            if (!wf_->GiveOpinion(cnctr_, req->value.id, Verdict::kFavourable, Formation::kSingle, "").ok())
              ++errors;
          } else {
            clock_.Advance(std::chrono::hours(25));  // deemed given
          }
          auto dec = wf_->Decide(pm_, req->value.id, {true, "", false});
          if (!dec.ok()) { ++errors; continue; }
          if (dec->value.authorisation) mine.push_back(dec->value.authorisation->id);
        } else if (action == 2 && !mine.empty()) {
          auto idx = rng() % mine.size();
          (void)wf_->Terminate(pm_, mine[idx], "");  // may already be over: either is fine
          mine.erase(mine.begin() + idx);
        } else {
          clock_.Advance(std::chrono::hours(rng() % 72));
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  auto all = wf_->ListAuthorisations();
  ASSERT_TRUE(all.ok());
  ASSERT_GT(all->size(), 3u) << "the run should grant more than the quota over time";
  std::map<std::string, int> share{{"interior", 2}, {"defence", 1}};
  for (const auto& a : *all) {
    // At each grant instant, count the same minister's authorisations alive then.
    int alive = 0;
    for (const auto& b : *all)
      if (b.minister == a.minister && b.granted_at <= a.granted_at && a.granted_at < b.ends_at) ++alive;
    EXPECT_LE(alive, share[a.minister]) << a.id << " granted at " << FormatTime(a.granted_at);
  }
}

// Property: no sequence of calls yields an authorisation in force without an
// opinion (given before the grant, or deemed at the deadline) or a valid urgency.
TEST_F(WorkflowTest, RandomSequencesNeverGrantWithoutOpinionOrUrgency) {
  std::mt19937 rng(42);
  const std::vector<std::string> techniques = {"L851-1", "L851-4", "L851-5", "L852-2", "L853-1"};
  const std::vector<std::string> purposes = {"1", "2", "3", "4", "5a", "5c", "6", "7"};
  std::vector<std::string> open;
  for (int step = 0; step < 300; ++step) {
    switch (rng() % 4) {
      case 0: {
        auto d = Draft(techniques[rng() % techniques.size()], {purposes[rng() % purposes.size()]},
                       1 + rng() % 60);
        d.urgency = rng() % 3 == 0;
        auto r = wf_->SubmitRequest(dgsi_, d);
        ASSERT_TRUE(r.ok());
        if (!r->refused()) open.push_back(r->value.id);
        break;
      }
      case 1:
        if (!open.empty()) {
          auto v = rng() % 2 ? Verdict::kFavourable : Verdict::kUnfavourable;
          (void)wf_->GiveOpinion(cnctr_, open[rng() % open.size()], v, Formation::kSingle, "");
        }
        break;
      case 2:
        if (!open.empty()) {
          auto idx = rng() % open.size();
          bool override_reasons = rng() % 2;
          (void)wf_->Decide(pm_, open[idx], {true, override_reasons ? "reasons" : "", rng() % 4 == 0});
          open.erase(open.begin() + idx);
        }
        break;
      default:
        clock_.Advance(std::chrono::hours(rng() % 30));
    }
  }
  auto all = wf_->ListAuthorisations();
  ASSERT_TRUE(all.ok());
  ASSERT_FALSE(all->empty());
  int with_opinion = 0, urgent = 0;
  for (const auto& a : *all) {
    auto req = wf_->GetRequest(a.request);
    ASSERT_TRUE(req.ok());
    ASSERT_TRUE(req->decision);
    const auto& r = *req;
    bool opinion_before = r.opinion && !r.opinion->deemed && r.opinion->at <= a.granted_at;
    bool deemed_before = r.opinion_due <= a.granted_at;
    // The state is derived at read time (it may since have expired); what
    // the grant relied on is the urgency flag and its justification deadline.
    bool valid_urgency = a.urgency && r.draft.urgency && a.justification_due.has_value();
    EXPECT_TRUE(opinion_before || deemed_before || valid_urgency)
        << a.id << " state " << authz::AuthorisationStateName(a.state) << " granted "
        << FormatTime(a.granted_at) << " due " << FormatTime(r.opinion_due) << " opinion "
        << (r.opinion ? FormatTime(r.opinion->at) : "none") << " urgency " << r.draft.urgency;
    with_opinion += opinion_before || deemed_before;
    urgent += valid_urgency && !(opinion_before || deemed_before);
    // An unfavourable opinion overridden: never in force before the Conseil d'État's 24 h
    // unless immediate execution was ordered under urgency.
    if (r.opinion && r.opinion->verdict == Verdict::kUnfavourable && !r.decision->immediate_execution) {
      EXPECT_GE(a.starts_at, a.granted_at + std::chrono::hours(24)) << a.id;
    }
  }
  EXPECT_GT(with_opinion, 0);
}

TEST_F(WorkflowTest, EveryCommittedChangeHasItsEvent) {
  auto before = Events().size();
  auto req = wf_->SubmitRequest(dgsi_, Draft("L851-4", {"4"}, 30));
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(Events().size(), before + 1);
  // A refused opinion formation or a denied call writes nothing.
  Principal collector = Add("c", Role::kCollector);
  before = Events().size();
  (void)wf_->Decide(collector, req->value.id, {true, "", false});
  EXPECT_EQ(Events().size(), before);
}

}  // namespace
}  // namespace cloison::service

namespace cloison::service {
namespace {

TEST_F(WorkflowTest, OverrideWaitsForTheConseilEtatUnlessRuledEarlier) {
  auto req = wf_->SubmitRequest(dgsi_, Draft("L851-4", {"4"}, 30));
  ASSERT_TRUE(req.ok());
  ASSERT_TRUE(wf_->GiveOpinion(cnctr_, req->value.id, Verdict::kUnfavourable, Formation::kSingle, "no").ok());
  // Without written reasons the override is refused by law (L. 821-4).
  auto dec = wf_->Decide(pm_, req->value.id, {true, "", false});
  ASSERT_TRUE(dec.ok());
  EXPECT_TRUE(dec->refused());
  EXPECT_TRUE(Cites(dec->violations, "821-4"));

  req = wf_->SubmitRequest(dgsi_, Draft("L851-4", {"4"}, 30));
  ASSERT_TRUE(wf_->GiveOpinion(cnctr_, req->value.id, Verdict::kUnfavourable, Formation::kSingle, "no").ok());
  dec = wf_->Decide(pm_, req->value.id, {true, "written reasons", false});
  ASSERT_TRUE(dec.ok());
  ASSERT_FALSE(dec->refused()) << dec->violations[0].message;
  const auto& a = *dec->value.authorisation;
  EXPECT_EQ(a.state, authz::AuthorisationState::kAwaitingConseilEtat);
  EXPECT_FALSE(authz::InForce(a, clock_.Now()));
  clock_.Advance(std::chrono::hours(3));
  auto ruled = wf_->RecordConseilEtatRuling(pm_, a.id, true, "CE n° 450000");
  ASSERT_TRUE(ruled.ok()) << ruled.status().ToString();
  EXPECT_TRUE(authz::InForce(*ruled, clock_.Now()));
  EXPECT_EQ(ruled->ends_at - ruled->starts_at, a.ends_at - a.starts_at);
  EXPECT_EQ(wf_->RecordConseilEtatRuling(pm_, a.id, true, "CE").status().code(),
            Code::kFailedPrecondition);
}

TEST_F(WorkflowTest, WithdrawnRequestsCannotBeDecided) {
  auto req = wf_->SubmitRequest(dgsi_, Draft("L851-4", {"4"}, 30));
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(wf_->Withdraw(dgse_, req->value.id).status().code(), Code::kPermissionDenied);
  auto w = wf_->Withdraw(dgsi_, req->value.id);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->state, authz::RequestState::kWithdrawn);
  EXPECT_EQ(Events().back().type, "request.withdrawn");
  EXPECT_EQ(wf_->Decide(pm_, req->value.id, {true, "", false}).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(wf_->Withdraw(dgsi_, req->value.id).status().code(), Code::kFailedPrecondition);
}

TEST_F(WorkflowTest, ListsPageByIdAndFilterOnDerivedState) {
  std::vector<std::string> auths;
  for (int i = 0; i < 5; ++i) {
    auto req = wf_->SubmitRequest(dgsi_, Draft("L851-4", {"4"}, i < 2 ? 1 : 30));
    ASSERT_TRUE(wf_->GiveOpinion(cnctr_, req->value.id, Verdict::kFavourable, Formation::kSingle, "").ok());
    auto dec = wf_->Decide(pm_, req->value.id, {true, "", false});
    ASSERT_TRUE(dec.ok());
    auths.push_back(dec->value.authorisation->id);
  }
  clock_.Advance(std::chrono::hours(48));  // the two 1-day authorisations expire
  auto page1 = wf_->ListAuthorisations({}, {"", 2});
  ASSERT_TRUE(page1.ok());
  ASSERT_EQ(page1->size(), 2u);
  auto page2 = wf_->ListAuthorisations({}, {page1->back().id, 2});
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_LT(page1->back().id, page2->front().id);
  auto expired = wf_->ListAuthorisations(authz::AuthorisationState::kExpired);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired->size(), 2u);
  auto approved = wf_->ListAuthorisations(authz::AuthorisationState::kApproved, {"", 1});
  ASSERT_EQ(approved->size(), 1u);
  EXPECT_EQ(approved->front().state, authz::AuthorisationState::kApproved);
  auto granted = wf_->ListRequests(authz::RequestState::kGranted, {"", 3});
  ASSERT_TRUE(granted.ok());
  EXPECT_EQ(granted->size(), 3u);
}

TEST_F(WorkflowTest, ExpiryIsRecordedOnce) {
  auto req = wf_->SubmitRequest(dgsi_, Draft("L851-4", {"4"}, 2));
  ASSERT_TRUE(wf_->GiveOpinion(cnctr_, req->value.id, Verdict::kFavourable, Formation::kSingle, "").ok());
  auto dec = wf_->Decide(pm_, req->value.id, {true, "", false});
  ASSERT_TRUE(dec.ok());
  ASSERT_FALSE(dec->refused());
  EXPECT_EQ(*wf_->ExpireDue(), 0);
  clock_.Advance(std::chrono::hours(24 * 3));
  EXPECT_EQ(*wf_->ExpireDue(), 1);
  EXPECT_EQ(Events().back().type, "authorisation.expired");
  EXPECT_EQ(*wf_->ExpireDue(), 0);
}

TEST_F(WorkflowTest, RenewalOfTheAlgorithmMayRunFourMonths) {
  // L. 851-3: 2 months at first, 4 months on renewal.
  auto first = wf_->SubmitRequest(Add("pm-svc", Role::kServiceAgent, "dgsi"), Draft("L851-3", {"4"}, 60));
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->refused()) << first->violations[0].message;
  ASSERT_TRUE(wf_->GiveOpinion(cnctr_, first->value.id, Verdict::kFavourable, Formation::kSingle, "").ok());
  auto dec = wf_->Decide(pm_, first->value.id, {true, "", false});
  ASSERT_TRUE(dec.ok());
  ASSERT_FALSE(dec->refused()) << dec->violations[0].message;
  auto renewal = Draft("L851-3", {"4"}, 120);
  renewal.renews = dec->value.authorisation->id;
  renewal.renewal_reasons = "Detections justify continuing.";
  auto r2 = wf_->SubmitRequest(dgsi_, renewal);
  ASSERT_TRUE(r2.ok());
  EXPECT_FALSE(r2->refused()) << r2->violations[0].message;
  renewal.duration_days = 150;
  auto r3 = wf_->SubmitRequest(dgsi_, renewal);
  ASSERT_TRUE(r3.ok());
  EXPECT_TRUE(r3->refused());
}

}  // namespace
}  // namespace cloison::service
