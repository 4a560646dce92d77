#include "authz/workflow.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "authz/test_book.h"

namespace cloison::authz {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::T;
using testing::TestBook;
using ::testing::UnorderedElementsAre;

constexpr auto kHour = std::chrono::hours(1);
constexpr auto kDay = std::chrono::hours(24);

RequestDraft Draft(std::string technique = "L851-1", std::string service = "dgsi",
                   std::string minister = "interior", std::vector<std::string> purposes = {"4"},
                   int days = 30) {
  RequestDraft d;
  d.service = std::move(service);
  d.minister = std::move(minister);
  d.technique = std::move(technique);
  d.purposes = std::move(purposes);
  d.targets = {{"person", "X"}};
  d.grounds = "grounds";
  d.duration_days = days;
  return d;
}

std::vector<std::string> Rules(const std::vector<Violation>& v) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(x.rule);
  return out;
}
std::vector<std::string> Articles(const std::vector<Violation>& v) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(x.article);
  return out;
}

Request Submit(const rules::Rulebook& book, RequestDraft d, Time at) {
  Request r;
  r.id = "req_1";
  r.draft = std::move(d);
  r.created_at = at;
  r.opinion_due = OpinionDue(book, r.draft, at);
  return r;
}

void GiveOpinion(Request& r, Verdict v, Formation f, Time at) {
  Opinion o;
  o.verdict = v;
  o.formation = f;
  o.at = at;
  o.by = "cnctr";
  r.opinion = o;
  r.state = RequestState::kOpinionGiven;
}

DecisionInput Grant(std::string reasons = "", bool immediate = false) {
  return DecisionInput{true, std::move(reasons), immediate};
}

const Time kNow = T("2023-03-01T10:00:00Z");

// --- CheckRequest ---------------------------------------------------------

TEST(CheckRequestTest, ValidRequestHasNoViolation) {
  auto book = TestBook();
  EXPECT_THAT(CheckRequest(book, Draft(), nullptr, kNow), IsEmpty());
}

TEST(CheckRequestTest, EveryMissingFieldIsNamed) {
  auto book = TestBook();
  RequestDraft d;
  d.targets = {{"", "X"}, {"person", ""}};
  auto v = CheckRequest(book, d, nullptr, kNow);
  ASSERT_EQ(v.size(), 8u);
  for (const auto& x : v) {
    EXPECT_EQ(x.rule, "request.content");
    EXPECT_EQ(x.article, "L. 821-2");
  }
  EXPECT_EQ(v[0].message, "service: got empty, want the requesting service (L. 821-2)");
  EXPECT_EQ(v.back().message, "duration_days: got 0, want > 0 (L. 821-2)");
  EXPECT_EQ(v[4].message.rfind("targets[0].type", 0), 0u);
  EXPECT_EQ(v[5].message.rfind("targets[1].value", 0), 0u);
}

TEST(CheckRequestTest, NoTargetIsRefused) {
  auto book = TestBook();
  auto d = Draft();
  d.targets.clear();
  EXPECT_THAT(Rules(CheckRequest(book, d, nullptr, kNow)), ElementsAre("request.content"));
}

TEST(CheckRequestTest, UnknownIdentifiersNameTheField) {
  auto book = TestBook();
  auto v = CheckRequest(book, Draft("L999", "dgsi", "interior", {"8"}), nullptr, kNow);
  EXPECT_THAT(Rules(v), ElementsAre("request.unknown_purpose", "request.unknown_technique"));
  EXPECT_EQ(v[1].message, "technique: got L999, want a technique of the rulebook (L. 821-2)");
  v = CheckRequest(book, Draft("L851-1", "nsa", "interior"), nullptr, kNow);
  EXPECT_THAT(Rules(v), ElementsAre("request.unknown_service"));
  v = CheckRequest(book, Draft("L851-1", "dgsi", "police"), nullptr, kNow);
  EXPECT_THAT(Rules(v), ElementsAre("request.unknown_minister"));
}

TEST(CheckRequestTest, MinisterMustBeTheServicesMinister) {
  auto book = TestBook();
  auto v = CheckRequest(book, Draft("L851-1", "dgsi", "defence"), nullptr, kNow);
  EXPECT_THAT(Rules(v), ElementsAre("service.minister"));
  EXPECT_EQ(v[0].message, "minister: got defence, want interior (the minister of dgsi) (L. 821-2)");
}

TEST(CheckRequestTest, TechniqueMustBeInForce) {
  auto book = TestBook();
  auto v = CheckRequest(book, Draft("L853-2"), nullptr, T("2021-07-15T00:00:00Z"));
  EXPECT_THAT(Rules(v), ElementsAre("technique.not_in_force"));
  EXPECT_EQ(v[0].article, "L. 853-2");
  EXPECT_THAT(CheckRequest(book, Draft("L853-2"), nullptr, T("2021-08-01T00:00:00Z")), IsEmpty());
}

TEST(CheckRequestTest, ServiceMustBeInForce) {
  auto book = TestBook();
  EXPECT_THAT(CheckRequest(book, Draft("L851-1", "old"), nullptr, T("2022-12-31T23:00:00Z")),
              IsEmpty());
  EXPECT_THAT(Rules(CheckRequest(book, Draft("L851-1", "old"), nullptr, T("2023-01-01T00:00:00Z"))),
              ElementsAre("service.not_in_force"));
}

TEST(CheckRequestTest, SatelliteLegalWindow) {
  auto book = TestBook();
  auto d = Draft("L852-3", "dgse", "defence", {"1"});
  d.subsidiarity = "operators cannot help";
  EXPECT_THAT(CheckRequest(book, d, nullptr, T("2025-07-31T23:59:59Z")), IsEmpty());
  auto v = CheckRequest(book, d, nullptr, T("2025-08-01T00:00:00Z"));
  EXPECT_THAT(Rules(v), ElementsAre("technique.window"));
  EXPECT_EQ(v[0].message,
            "date: got 2025-08-01, want between 2021-08-01 and 2025-07-31 (L. 852-3 VI)");
  EXPECT_THAT(Rules(CheckRequest(book, d, nullptr, T("2021-07-31T12:00:00Z"))),
              ElementsAre("technique.window"));
}

TEST(CheckRequestTest, PurposesPermittedByTheTechnique) {
  auto book = TestBook();
  auto d = Draft("L852-3", "dgse", "defence", {"1", "3", "7"});
  d.subsidiarity = "technical";
  auto v = CheckRequest(book, d, nullptr, kNow);
  EXPECT_THAT(Rules(v), ElementsAre("technique.purpose", "technique.purpose"));
  EXPECT_EQ(v[0].message, "purposes: got 3, want one of 1, 2, 4, 6 (L. 852-3)");
}

TEST(CheckRequestTest, TechniquePurposesFollowTheVersionInForce) {
  auto book = TestBook();
  auto d = Draft("L851-3", "dgse", "defence", {"1"});
  EXPECT_THAT(Rules(CheckRequest(book, d, nullptr, T("2023-12-31T12:00:00Z"))),
              ElementsAre("technique.purpose"));
  EXPECT_THAT(CheckRequest(book, d, nullptr, T("2024-01-01T00:00:00Z")), IsEmpty());
}

TEST(CheckRequestTest, SecondCircleLimitedByDecreeAndSwitch) {
  auto book = TestBook();
  EXPECT_THAT(CheckRequest(book, Draft("L851-1", "drpp", "interior", {"6"}), nullptr, kNow),
              IsEmpty());
  auto v = CheckRequest(book, Draft("L851-4", "drpp", "interior", {"6"}), nullptr, kNow);
  EXPECT_THAT(Rules(v), ElementsAre("request.unknown_technique"));  // not in the test book
  v = CheckRequest(book, Draft("L851-6", "drpp", "interior", {"4", "1"}), nullptr, kNow);
  EXPECT_THAT(Rules(v), ElementsAre("service.decree", "service.decree"));
  EXPECT_EQ(v[0].article, "R. 811-2");
  auto d = Draft("L852-3", "drpp", "interior", {"6"});
  d.subsidiarity = "technical";
  v = CheckRequest(book, d, nullptr, kNow);
  EXPECT_THAT(Rules(v), ElementsAre("service.circle"));
  EXPECT_EQ(v[0].article, "L. 852-3 V");
  book.techniques[7].second_circle_allowed = true;  // amendment no. 90 adopted
  ASSERT_EQ(book.techniques[7].id, "L852-3");
  EXPECT_THAT(CheckRequest(book, d, nullptr, kNow), IsEmpty());
}

TEST(CheckRequestTest, SubsidiarityAndDeferredCentralisation) {
  auto book = TestBook();
  auto d = Draft("L852-3", "dgse", "defence", {"1"});
  auto v = CheckRequest(book, d, nullptr, kNow);
  EXPECT_THAT(Rules(v), ElementsAre("technique.subsidiarity"));
  EXPECT_EQ(v[0].article, "L. 852-3 I");
  d.subsidiarity = "confidentiality";
  d.deferred_centralisation_reason = "no link from the site";
  EXPECT_THAT(CheckRequest(book, d, nullptr, kNow), IsEmpty());
  auto other = Draft();
  other.deferred_centralisation_reason = "later";
  v = CheckRequest(book, other, nullptr, kNow);
  EXPECT_THAT(Rules(v), ElementsAre("technique.deferred_centralisation"));
  EXPECT_EQ(v[0].article, "L. 851-1");
}

TEST(CheckRequestTest, DurationCapsFirstAndRenewal) {
  auto book = TestBook();
  // 2023-01-15 + 2 months = 2023-03-15: 59 days.
  Time at = T("2023-01-15T09:00:00Z");
  auto d = Draft("L851-3", "dgsi", "interior", {"4"}, 59);
  EXPECT_THAT(CheckRequest(book, d, nullptr, at), IsEmpty());
  d.duration_days = 60;
  auto v = CheckRequest(book, d, nullptr, at);
  EXPECT_THAT(Rules(v), ElementsAre("duration.first"));
  EXPECT_EQ(v[0].message, "duration_days: got 60, want <= 59 (L. 851-3)");

  Authorisation prev;
  prev.id = "auth_1";
  prev.technique = "L851-3";
  prev.service = "dgsi";
  d.renews = "auth_1";
  d.renewal_reasons = "still needed";
  d.duration_days = 120;  // 2023-01-15 + 4 months = 2023-05-15: 120 days
  EXPECT_THAT(CheckRequest(book, d, &prev, at), IsEmpty());
  d.duration_days = 121;
  EXPECT_THAT(Rules(CheckRequest(book, d, &prev, at)), ElementsAre("duration.renewal"));

  auto sat = Draft("L852-3", "dgse", "defence", {"1"}, 31);
  sat.subsidiarity = "technical";
  v = CheckRequest(book, sat, nullptr, at);
  EXPECT_THAT(Rules(v), ElementsAre("duration.first"));
  EXPECT_EQ(v[0].message, "duration_days: got 31, want <= 30 (L. 852-3)");

  auto nearby = Draft("L852-1-II", "dgsi", "interior", {"4"}, 2);
  EXPECT_THAT(CheckRequest(book, nearby, nullptr, at), IsEmpty());
  nearby.duration_days = 3;
  EXPECT_THAT(Rules(CheckRequest(book, nearby, nullptr, at)), ElementsAre("duration.first"));
}

TEST(CheckRequestTest, DefaultMaximumWhenTechniqueSetsNone) {
  auto book = TestBook();
  book.techniques[0].max_first = {};
  book.techniques[0].max_renewal = {};
  book.techniques[0].duration_cite = {};
  auto v = CheckRequest(book, Draft("L851-1", "dgsi", "interior", {"4"}, 200), nullptr, kNow);
  EXPECT_THAT(Rules(v), ElementsAre("duration.first"));
  EXPECT_EQ(v[0].article, "L. 821-4");
}

TEST(CheckRequestTest, RenewalNeedsReasonsAndTheSameAuthorisation) {
  auto book = TestBook();
  auto d = Draft();
  d.renews = "auth_1";
  auto v = CheckRequest(book, d, nullptr, kNow);
  EXPECT_THAT(Rules(v), ElementsAre("request.renewal_reasons", "request.renewed_authorisation"));
  EXPECT_EQ(v[0].article, "L. 821-2 renewal");
  Authorisation prev;
  prev.id = "auth_1";
  prev.technique = "L852-1-I";
  prev.service = "dgsi";
  d.renewal_reasons = "ongoing threat";
  EXPECT_THAT(Rules(CheckRequest(book, d, &prev, kNow)),
              ElementsAre("request.renewed_authorisation"));
  prev.technique = "L851-1";
  EXPECT_THAT(CheckRequest(book, d, &prev, kNow), IsEmpty());
  prev.service = "dgse";
  EXPECT_THAT(Rules(CheckRequest(book, d, &prev, kNow)),
              ElementsAre("request.renewed_authorisation"));
}

TEST(CheckRequestTest, UrgencyOnlyForItsPurposesAndTechniques) {
  auto book = TestBook();
  auto d = Draft("L851-1", "dgsi", "interior", {"4", "5a"});
  d.urgency = true;
  EXPECT_THAT(CheckRequest(book, d, nullptr, kNow), IsEmpty());
  d.purposes = {"1", "6"};
  auto v = CheckRequest(book, d, nullptr, kNow);
  EXPECT_THAT(Rules(v), ElementsAre("urgency.purpose"));
  EXPECT_EQ(v[0].message, "purposes: got 6 with urgency, want one of 1, 4, 5a (L. 821-5)");
  d = Draft("L851-2");
  d.urgency = true;
  EXPECT_THAT(Rules(CheckRequest(book, d, nullptr, kNow)), ElementsAre("urgency.technique"));
  d = Draft();
  d.urgency = true;
  d.protected_profession = true;
  v = CheckRequest(book, d, nullptr, kNow);
  EXPECT_THAT(Rules(v), ElementsAre("urgency.protected_profession"));
  EXPECT_EQ(v[0].article, "L. 821-7");
}

// --- Opinions -------------------------------------------------------------

TEST(OpinionTest, DueIn24Or72Hours) {
  auto book = TestBook();
  EXPECT_EQ(OpinionDue(book, Draft(), kNow), kNow + 24 * kHour);
  auto d = Draft();
  d.protected_profession = true;
  EXPECT_EQ(OpinionDue(book, d, kNow), kNow + 72 * kHour);
  EXPECT_EQ(OpinionDue(book, Draft("L853-2"), kNow), kNow + 72 * kHour);
}

TEST(OpinionTest, FormationRules) {
  auto book = TestBook();
  auto r = Submit(book, Draft(), kNow);
  EXPECT_THAT(CheckOpinion(book, r, Verdict::kFavourable, Formation::kSingle), IsEmpty());
  r.draft.protected_profession = true;
  auto v = CheckOpinion(book, r, Verdict::kFavourable, Formation::kRestricted);
  EXPECT_THAT(Rules(v), ElementsAre("opinion.formation"));
  EXPECT_EQ(v[0].article, "L. 821-7");
  EXPECT_THAT(CheckOpinion(book, r, Verdict::kUnfavourable, Formation::kPlenary), IsEmpty());
  r = Submit(book, Draft("L853-2"), kNow);
  v = CheckOpinion(book, r, Verdict::kFavourable, Formation::kSingle);
  EXPECT_THAT(Rules(v), ElementsAre("opinion.formation"));
  EXPECT_EQ(v[0].article, "L. 853-3");
  EXPECT_THAT(CheckOpinion(book, r, Verdict::kFavourable, Formation::kRestricted), IsEmpty());
}

TEST(OpinionTest, EffectiveOpinionGivenOrDeemed) {
  auto book = TestBook();
  auto r = Submit(book, Draft(), kNow);
  EXPECT_FALSE(EffectiveOpinion(r, kNow + 23 * kHour).has_value());
  auto deemed = EffectiveOpinion(r, kNow + 24 * kHour);
  ASSERT_TRUE(deemed.has_value());
  EXPECT_TRUE(deemed->deemed);
  EXPECT_EQ(deemed->verdict, Verdict::kFavourable);
  EXPECT_EQ(deemed->at, r.opinion_due);
  GiveOpinion(r, Verdict::kUnfavourable, Formation::kSingle, kNow + 2 * kHour);
  EXPECT_FALSE(EffectiveOpinion(r, kNow + kHour).has_value());
  auto given = EffectiveOpinion(r, kNow + 30 * kHour);
  ASSERT_TRUE(given.has_value());
  EXPECT_FALSE(given->deemed);
  EXPECT_EQ(given->verdict, Verdict::kUnfavourable);
}

// --- Decide ---------------------------------------------------------------

TEST(DecideTest, PmRefusalIsNotAViolation) {
  auto book = TestBook();
  auto r = Submit(book, Draft("L999"), kNow);
  auto out = Decide(book, r, DecisionInput{false, "no", false}, nullptr, {}, kNow);
  EXPECT_THAT(out.violations, IsEmpty());
  EXPECT_FALSE(out.authorisation.has_value());
}

TEST(DecideTest, FavourableOpinionGrantsFromNow) {
  auto book = TestBook();
  auto r = Submit(book, Draft("L851-1", "dgsi", "interior", {"4"}, 30), kNow);
  GiveOpinion(r, Verdict::kFavourable, Formation::kSingle, kNow + kHour);
  Time at = kNow + 2 * kHour;
  auto out = Decide(book, r, Grant(), nullptr, {}, at);
  ASSERT_THAT(out.violations, IsEmpty());
  ASSERT_TRUE(out.authorisation.has_value());
  const auto& a = *out.authorisation;
  EXPECT_EQ(a.state, AuthorisationState::kApproved);
  EXPECT_EQ(a.request, "req_1");
  EXPECT_EQ(a.technique, "L851-1");
  EXPECT_EQ(a.minister, "interior");
  EXPECT_EQ(a.granted_at, at);
  EXPECT_EQ(a.starts_at, at);
  EXPECT_EQ(a.ends_at, at + 30 * kDay);
  EXPECT_FALSE(a.urgency);
  EXPECT_TRUE(a.id.empty());
}

TEST(DecideTest, NoOpinionNoUrgencyIsRefused) {
  auto book = TestBook();
  auto r = Submit(book, Draft(), kNow);
  auto out = Decide(book, r, Grant(), nullptr, {}, kNow + 23 * kHour);
  EXPECT_THAT(Rules(out.violations), ElementsAre("opinion.missing"));
  EXPECT_EQ(out.violations[0].article, "L. 821-3");
  EXPECT_FALSE(out.authorisation.has_value());
  // Deemed given once the 24 h have passed.
  out = Decide(book, r, Grant(), nullptr, {}, kNow + 24 * kHour);
  EXPECT_THAT(out.violations, IsEmpty());
  ASSERT_TRUE(out.authorisation.has_value());
  EXPECT_EQ(out.authorisation->state, AuthorisationState::kApproved);
}

TEST(DecideTest, AbsoluteUrgencyGrantsEmergencyApproval) {
  auto book = TestBook();
  auto d = Draft();
  d.urgency = true;
  auto r = Submit(book, d, kNow);
  auto out = Decide(book, r, Grant(), nullptr, {}, kNow + kHour);
  ASSERT_THAT(out.violations, IsEmpty());
  ASSERT_TRUE(out.authorisation.has_value());
  EXPECT_EQ(out.authorisation->state, AuthorisationState::kEmergencyApproval);
  EXPECT_TRUE(out.authorisation->urgency);
  EXPECT_EQ(out.authorisation->starts_at, kNow + kHour);
  EXPECT_EQ(out.authorisation->justification_due, kNow + 25 * kHour);
}

TEST(DecideTest, UrgencyNotOpenIsRefused) {
  auto book = TestBook();
  auto d = Draft("L851-2");
  d.urgency = true;
  auto r = Submit(book, d, kNow);
  auto out = Decide(book, r, Grant(), nullptr, {}, kNow + kHour);
  EXPECT_THAT(Rules(out.violations), ElementsAre("urgency.technique", "opinion.missing"));
  d = Draft("L851-1", "dgsi", "interior", {"6"});
  d.urgency = true;
  r = Submit(book, d, kNow);
  out = Decide(book, r, Grant(), nullptr, {}, kNow + kHour);
  EXPECT_THAT(Rules(out.violations), ElementsAre("urgency.purpose", "opinion.missing"));
}

TEST(DecideTest, OverridingUnfavourableOpinionWaitsForConseilEtat) {
  auto book = TestBook();
  auto r = Submit(book, Draft(), kNow);
  GiveOpinion(r, Verdict::kUnfavourable, Formation::kSingle, kNow + kHour);
  Time at = kNow + 2 * kHour;
  auto out = Decide(book, r, Grant(), nullptr, {}, at);
  EXPECT_THAT(Rules(out.violations), ElementsAre("decision.override_reasons"));
  EXPECT_EQ(out.violations[0].article, "L. 821-4 override");
  out = Decide(book, r, Grant("necessary"), nullptr, {}, at);
  ASSERT_THAT(out.violations, IsEmpty());
  const auto& a = *out.authorisation;
  EXPECT_EQ(a.state, AuthorisationState::kAwaitingConseilEtat);
  EXPECT_EQ(a.conseil_etat_due, at + 24 * kHour);
  EXPECT_EQ(a.starts_at, at + 24 * kHour);
  EXPECT_EQ(a.ends_at, at + 24 * kHour + 30 * kDay);
  EXPECT_FALSE(InForce(a, at + 23 * kHour));
  EXPECT_TRUE(InForce(a, at + 24 * kHour));
  EXPECT_EQ(StateAt(a, at + 24 * kHour), AuthorisationState::kApproved);
  EXPECT_TRUE(CountsTowardQuota(a, at));
}

TEST(DecideTest, ImmediateExecutionNeedsUrgency) {
  auto book = TestBook();
  auto r = Submit(book, Draft(), kNow);
  GiveOpinion(r, Verdict::kUnfavourable, Formation::kSingle, kNow + kHour);
  Time at = kNow + 2 * kHour;
  auto out = Decide(book, r, Grant("necessary", true), nullptr, {}, at);
  EXPECT_THAT(Rules(out.violations), ElementsAre("decision.immediate_execution"));
  EXPECT_EQ(out.violations[0].article, "L. 821-1");
  r.draft.urgency = true;
  out = Decide(book, r, Grant("necessary", true), nullptr, {}, at);
  ASSERT_THAT(out.violations, IsEmpty());
  EXPECT_EQ(out.authorisation->state, AuthorisationState::kAwaitingConseilEtat);
  EXPECT_EQ(out.authorisation->starts_at, at);
  EXPECT_TRUE(InForce(*out.authorisation, at));
}

TEST(DecideTest, ExpressCollegialOpinionRequired) {
  auto book = TestBook();
  auto r = Submit(book, Draft("L853-3"), kNow);
  auto out = Decide(book, r, Grant(), nullptr, {}, kNow + 80 * kHour);
  EXPECT_THAT(Rules(out.violations), ElementsAre("opinion.express"));
  GiveOpinion(r, Verdict::kFavourable, Formation::kSingle, kNow + kHour);
  out = Decide(book, r, Grant(), nullptr, {}, kNow + 2 * kHour);
  EXPECT_THAT(Rules(out.violations), ElementsAre("opinion.formation"));
  GiveOpinion(r, Verdict::kFavourable, Formation::kRestricted, kNow + kHour);
  out = Decide(book, r, Grant(), nullptr, {}, kNow + 2 * kHour);
  EXPECT_THAT(out.violations, IsEmpty());
}

TEST(DecideTest, LawRecheckedAtDecisionTime) {
  auto book = TestBook();
  auto d = Draft("L852-3", "dgse", "defence", {"1"});
  d.subsidiarity = "technical";
  auto r = Submit(book, d, T("2025-07-31T10:00:00Z"));
  EXPECT_THAT(CheckRequest(book, d, nullptr, r.created_at), IsEmpty());
  GiveOpinion(r, Verdict::kFavourable, Formation::kSingle, T("2025-07-31T20:00:00Z"));
  Quota q;
  q.technique = "L852-3";
  q.limit = 10;
  q.allocation = {{"defence", 5}};
  QuotaView view{&q, {}};
  auto out = Decide(book, r, Grant(), nullptr, view, T("2025-08-01T09:00:00Z"));
  EXPECT_THAT(Rules(out.violations), ElementsAre("technique.window"));
  // Granted on the last day, it ends at the sunset.
  out = Decide(book, r, Grant(), nullptr, view, T("2025-07-31T21:00:00Z"));
  ASSERT_THAT(out.violations, IsEmpty());
  EXPECT_EQ(out.authorisation->ends_at, T("2025-08-01T00:00:00Z"));
}

TEST(DecideTest, QuotaMustBeSetAndHaveRoom) {
  auto book = TestBook();
  auto r = Submit(book, Draft("L852-1-I"), kNow);
  GiveOpinion(r, Verdict::kFavourable, Formation::kSingle, kNow + kHour);
  Time at = kNow + 2 * kHour;
  auto out = Decide(book, r, Grant(), nullptr, {}, at);
  EXPECT_THAT(Rules(out.violations), ElementsAre("quota.unset"));
  EXPECT_EQ(out.violations[0].article, "L. 852-1 I");
  Quota q;
  q.technique = "L852-1-I";
  q.limit = 5;
  q.allocation = {{"interior", 3}, {"defence", 2}};
  out = Decide(book, r, Grant(), nullptr, QuotaView{&q, {{"interior", 2}, {"defence", 2}}}, at);
  EXPECT_THAT(out.violations, IsEmpty());
  out = Decide(book, r, Grant(), nullptr, QuotaView{&q, {{"interior", 3}}}, at);
  EXPECT_THAT(Rules(out.violations), ElementsAre("quota.minister"));
  EXPECT_EQ(out.violations[0].message,
            "in_force[interior] for L852-1-I: got 3, want < 3 (allocation of interior) "
            "(L. 852-1 I)");
  q.limit = 4;
  out = Decide(book, r, Grant(), nullptr, QuotaView{&q, {{"interior", 2}, {"defence", 2}}}, at);
  EXPECT_THAT(Rules(out.violations), ElementsAre("quota.total"));
  EXPECT_EQ(out.violations[0].message,
            "in_force for L852-1-I: got 4, want < 4 (limit) (L. 852-1 I)");
  q.allocation.erase("interior");
  out = Decide(book, r, Grant(), nullptr, QuotaView{&q, {}}, at);
  EXPECT_THAT(Rules(out.violations), ElementsAre("quota.minister"));
}

TEST(DecideTest, RenewalStartsWhenTheRenewedEnds) {
  auto book = TestBook();
  Authorisation prev;
  prev.id = "auth_1";
  prev.technique = "L851-3";
  prev.service = "dgsi";
  prev.minister = "interior";
  prev.starts_at = T("2024-01-01T00:00:00Z");
  prev.ends_at = T("2024-03-01T00:00:00Z");
  auto d = Draft("L851-3", "dgsi", "interior", {"4"}, 120);
  d.renews = "auth_1";
  d.renewal_reasons = "still needed";
  Time at = T("2024-02-20T00:00:00Z");
  auto r = Submit(book, d, at);
  GiveOpinion(r, Verdict::kFavourable, Formation::kSingle, at + kHour);
  auto out = Decide(book, r, Grant(), &prev, {}, at + 2 * kHour);
  ASSERT_THAT(out.violations, IsEmpty());
  EXPECT_EQ(out.authorisation->renews, "auth_1");
  EXPECT_EQ(out.authorisation->starts_at, prev.ends_at);
  // 120 days asked, but 4 months from 2024-03-01 is 2024-07-01: 122 days, so no cap.
  EXPECT_EQ(out.authorisation->ends_at, prev.ends_at + 120 * kDay);
  // A renewal after the end starts at the decision.
  out = Decide(book, r, Grant(), &prev, {}, T("2024-03-05T00:00:00Z"));
  ASSERT_THAT(out.violations, IsEmpty());
  EXPECT_EQ(out.authorisation->starts_at, T("2024-03-05T00:00:00Z"));
}

TEST(DecideTest, EndNeverBeyondTheCap) {
  auto book = TestBook();
  // Asked on 2023-10-30 for 122 days: 4 months from then is 2024-02-29 (the
  // 30th clamped), 122 days. Overridden, it starts 24 h later, on 2023-10-31,
  // whose cap is also 2024-02-29: 121 days, so the end is capped.
  auto d = Draft("L851-1", "dgsi", "interior", {"4"}, 122);
  Time created = T("2023-10-30T00:00:00Z");
  auto r = Submit(book, d, created);
  GiveOpinion(r, Verdict::kUnfavourable, Formation::kSingle, created + kHour);
  Time at = T("2023-10-30T02:00:00Z");
  auto out = Decide(book, r, Grant("reasons"), nullptr, {}, at);
  ASSERT_THAT(out.violations, IsEmpty());
  const auto& a = *out.authorisation;
  EXPECT_EQ(a.starts_at, T("2023-10-31T02:00:00Z"));
  EXPECT_EQ(a.ends_at, T("2024-02-29T02:00:00Z"));
  EXPECT_LT(a.ends_at, a.starts_at + 122 * kDay);
}

// --- State ----------------------------------------------------------------

Authorisation Approved(Time start, Time end) {
  Authorisation a;
  a.id = "auth_1";
  a.state = AuthorisationState::kApproved;
  a.granted_at = start;
  a.starts_at = start;
  a.ends_at = end;
  return a;
}

TEST(StateTest, ExpiryAndTermination) {
  auto a = Approved(kNow, kNow + 10 * kDay);
  EXPECT_FALSE(InForce(a, kNow - kHour));
  EXPECT_TRUE(InForce(a, kNow));
  EXPECT_EQ(StateAt(a, kNow + 10 * kDay - kHour), AuthorisationState::kApproved);
  EXPECT_EQ(StateAt(a, kNow + 10 * kDay), AuthorisationState::kExpired);
  EXPECT_FALSE(InForce(a, kNow + 10 * kDay));
  EXPECT_FALSE(CountsTowardQuota(a, kNow + 10 * kDay));
  a.terminated_at = kNow + kDay;
  EXPECT_TRUE(InForce(a, kNow + kHour));
  EXPECT_EQ(StateAt(a, kNow + kDay), AuthorisationState::kCancelled);
  EXPECT_FALSE(InForce(a, kNow + kDay));
  EXPECT_FALSE(CountsTowardQuota(a, kNow + kDay));
  auto s = Approved(kNow, kNow + 10 * kDay);
  s.state = AuthorisationState::kSuspended;
  EXPECT_FALSE(InForce(s, kNow + kHour));
  EXPECT_TRUE(CountsTowardQuota(s, kNow + kHour));
  s.state = AuthorisationState::kCancelled;
  EXPECT_FALSE(CountsTowardQuota(s, kNow + kHour));
}

TEST(StateTest, JustificationLate) {
  auto a = Approved(kNow, kNow + 10 * kDay);
  a.state = AuthorisationState::kEmergencyApproval;
  a.urgency = true;
  a.justification_due = kNow + 24 * kHour;
  EXPECT_TRUE(InForce(a, kNow));
  EXPECT_FALSE(JustificationLate(a, kNow + 24 * kHour));
  EXPECT_TRUE(JustificationLate(a, kNow + 25 * kHour));
  a.justified_at = kNow + 23 * kHour;
  EXPECT_FALSE(JustificationLate(a, kNow + 48 * kHour));
  a.justified_at = kNow + 26 * kHour;
  EXPECT_TRUE(JustificationLate(a, kNow + 48 * kHour));
  EXPECT_FALSE(JustificationLate(Approved(kNow, kNow + kDay), kNow + 5 * kDay));
}

// --- Quota decisions ------------------------------------------------------

TEST(CheckQuotaTest, Rules) {
  auto book = TestBook();
  Quota q;
  q.technique = "L852-1-I";
  q.limit = 10;
  q.allocation = {{"interior", 6}, {"defence", 4}};
  q.cnctr_opinion_ref = "CNCTR 2021-12";
  EXPECT_THAT(CheckQuota(book, q), IsEmpty());
  q.allocation["justice"] = 1;
  q.allocation["police"] = 0;
  q.cnctr_opinion_ref.clear();
  auto v = CheckQuota(book, q);
  EXPECT_THAT(Rules(v), UnorderedElementsAre("quota.unknown_minister", "quota.allocation",
                                             "quota.opinion_ref"));
  EXPECT_THAT(Articles(v), ::testing::Each(std::string("L. 852-1 I")));
  q.technique = "L851-1";
  EXPECT_THAT(Rules(CheckQuota(book, q)), ElementsAre("quota.technique"));
  q.technique = "L852-3";
  q.limit = -1;
  q.allocation.clear();
  q.cnctr_opinion_ref = "x";
  EXPECT_THAT(Rules(CheckQuota(book, q)), ElementsAre("quota.limit", "quota.allocation"));
}

}  // namespace
}  // namespace cloison::authz
