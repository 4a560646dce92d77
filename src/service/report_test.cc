// The annual report over a real store: the workflow's events come from the
// use cases; the vault's (not built in this module) are appended through the
// store API exactly as the vault will append them, since the report reads
// nothing but events and authorisation records.
#include "service/report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "rules/parser.h"
#include "service/event.h"
#include "service/workflow.h"

namespace cloison::service {
namespace {

namespace json = boost::json;
using authz::Formation;
using authz::RequestDraft;
using authz::Verdict;

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cloison-rep-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
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

  Principal Add(std::string name, Role role, std::string service = {}) {
    auto p = wf_->AddPrincipal({"", std::move(name), role, std::move(service), ""});
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? *p : Principal{};
  }

  static RequestDraft Draft(std::string technique, std::vector<std::string> purposes,
                            std::string service = "dgsi", std::string minister = "interior") {
    RequestDraft d;
    d.service = std::move(service);
    d.minister = std::move(minister);
    d.technique = std::move(technique);
    d.purposes = std::move(purposes);
    d.targets = {{"identifier", "X"}};
    d.grounds = "grounds";
    d.duration_days = 30;
    return d;
  }

  // Submit, favourable opinion, grant: the authorisation's id.
  std::string Grant(const RequestDraft& d, const Principal& agent) {
    auto req = wf_->SubmitRequest(agent, d);
    EXPECT_TRUE(req.ok() && !req->refused());
    if (!req.ok() || req->refused()) return {};
    EXPECT_TRUE(
        wf_->GiveOpinion(cnctr_, req->value.id, Verdict::kFavourable, Formation::kSingle, "").ok());
    auto dec = wf_->Decide(pm_, req->value.id, {true, "", false});
    EXPECT_TRUE(dec.ok() && !dec->refused() && dec->value.authorisation);
    if (!dec.ok() || !dec->value.authorisation) return {};
    return dec->value.authorisation->id;
  }

  // An event as the vault appends it: the canonical encoding, through the
  // store API, at the clock's now.
  void AppendVaultEvent(std::string_view type, std::string_view subject, json::object data) {
    auto tx = store_->BeginWrite();
    ASSERT_TRUE(tx.ok());
    store::Event e;
    e.type = std::string(type);
    e.body = EncodeEvent({type, "system", subject}, clock_, clock_.Now(), std::move(data));
    ASSERT_TRUE((*tx)->Append(e).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }

  AnnualReport Report(int year) {
    auto r = LoadAnnualReport(*store_, year, &book_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : AnnualReport{};
  }

  std::string dir_;
  rules::Rulebook book_;
  FakeClock clock_{*ParseTime("2025-03-03T08:00:00Z")};
  SequentialIdGenerator ids_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Workflow> wf_;
  Principal dgsi_, dgse_, cnctr_, pm_;
};

TEST_F(ReportTest, CountsTheWorkflowOfTheYear) {
  // Granted after a favourable opinion, purposes 4 and 1.
  const std::string a1 = Grant(Draft("L851-4", {"4", "1"}), dgsi_);
  ASSERT_FALSE(a1.empty());
  // Refused by law at submission (L. 851-3: not for 90 days, nor purpose 4).
  RequestDraft unlawful = Draft("L851-3", {"4"});
  unlawful.duration_days = 90;
  auto refused = wf_->SubmitRequest(dgsi_, unlawful);
  ASSERT_TRUE(refused.ok() && refused->refused());
  // Withdrawn.
  auto w = wf_->SubmitRequest(dgse_, Draft("L851-4", {"4"}, "dgse", "defence"));
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(wf_->Withdraw(dgse_, w->value.id).ok());
  // Unfavourable opinion, then the PM says no.
  auto no = wf_->SubmitRequest(dgse_, Draft("L851-4", {"4"}, "dgse", "defence"));
  ASSERT_TRUE(no.ok());
  ASSERT_TRUE(
      wf_->GiveOpinion(cnctr_, no->value.id, Verdict::kUnfavourable, Formation::kRestricted, "")
          .ok());
  ASSERT_TRUE(wf_->Decide(pm_, no->value.id, {false, "", false}).ok());
  // Unfavourable opinion, overridden without reasons: refused by law (L. 821-4).
  auto bad = wf_->SubmitRequest(dgsi_, Draft("L851-4", {"4"}));
  ASSERT_TRUE(
      wf_->GiveOpinion(cnctr_, bad->value.id, Verdict::kUnfavourable, Formation::kSingle, "").ok());
  auto bad_dec = wf_->Decide(pm_, bad->value.id, {true, "", false});
  ASSERT_TRUE(bad_dec.ok() && bad_dec->refused());
  // Silence: the opinion is deemed given after the deadline (L. 821-3).
  auto silent = wf_->SubmitRequest(dgse_, Draft("L851-4", {"5a"}, "dgse", "defence"));
  ASSERT_TRUE(silent.ok());
  clock_.Advance(std::chrono::hours(25));
  auto deemed = wf_->Decide(pm_, silent->value.id, {true, "", false});
  ASSERT_TRUE(deemed.ok() && !deemed->refused());
  // Absolute urgency (L. 821-5): granted at once, justified late.
  RequestDraft urgent = Draft("L851-4", {"4"});
  urgent.urgency = true;
  auto u = wf_->SubmitRequest(dgsi_, urgent);
  ASSERT_TRUE(u.ok() && !u->refused()) << (u.ok() ? u->violations[0].message : "");
  auto ud = wf_->Decide(pm_, u->value.id, {true, "", false});
  ASSERT_TRUE(ud.ok() && !ud->refused()) << (ud.ok() ? ud->violations[0].message : "");
  ASSERT_EQ(ud->value.authorisation->state, authz::AuthorisationState::kEmergencyApproval);
  clock_.Advance(std::chrono::hours(30));
  ASSERT_TRUE(wf_->JustifyUrgency(pm_, ud->value.authorisation->id, "reasons").ok());
  ASSERT_TRUE(wf_->Terminate(pm_, a1, "done").ok());

  AnnualReport r = Report(2025);
  EXPECT_EQ(r.year, 2025);
  EXPECT_EQ(r.requests["submitted"], 7);
  EXPECT_EQ(r.requests["refused_by_law_at_submission"], 1);
  EXPECT_EQ(r.requests["refused_by_law"], 2);  // at submission and at decision
  EXPECT_EQ(r.requests["withdrawn"], 1);
  EXPECT_EQ(r.requests["urgency"], 1);
  EXPECT_EQ(r.opinions["favourable"], 1);
  EXPECT_EQ(r.opinions["unfavourable"], 2);
  EXPECT_EQ(r.opinions["deemed"], 1);
  EXPECT_EQ(r.opinions["formation_restricted"], 1);
  EXPECT_EQ(r.opinions["formation_single"], 2);
  EXPECT_EQ(r.decisions["granted"], 3);
  EXPECT_EQ(r.decisions["refused"], 1);
  EXPECT_EQ(r.decisions["refused_by_law"], 1);
  EXPECT_EQ(r.authorisations["issued"], 3);
  EXPECT_EQ(r.authorisations["terminated"], 1);
  EXPECT_EQ(r.by_technique["L851-4"], 3);
  EXPECT_EQ(r.by_technique["L852-1-I"], 0);  // listed from the rulebook
  EXPECT_EQ(r.by_purpose["4"], 2);
  EXPECT_EQ(r.by_purpose["1"], 1);
  EXPECT_EQ(r.by_purpose["5a"], 1);
  EXPECT_EQ(r.by_service["dgsi"], 2);
  EXPECT_EQ(r.by_service["dgse"], 1);
  EXPECT_EQ(r.by_minister["interior"], 2);
  EXPECT_EQ(r.by_minister["defence"], 1);
  EXPECT_EQ(r.urgency["requested"], 1);
  EXPECT_EQ(r.urgency["granted"], 1);
  EXPECT_EQ(r.urgency["justified"], 1);
  EXPECT_EQ(r.urgency["justified_late"], 1);
  // Nothing of the vault yet: its sections are there, at zero.
  EXPECT_EQ(r.destructions["items"], 0);
  EXPECT_TRUE(r.items_ingested.empty());

  // Another year sees none of it.
  AnnualReport other = Report(2024);
  EXPECT_EQ(other.events_in_year, 0);
  EXPECT_EQ(other.requests["submitted"], 0);
  EXPECT_EQ(other.by_technique["L851-4"], 0);
}

TEST_F(ReportTest, TheYearIsTheUtcYearOfTheEvent) {
  clock_.Set(*ParseTime("2024-12-31T23:59:59Z"));
  ASSERT_TRUE(wf_->SubmitRequest(dgsi_, Draft("L851-4", {"4"})).ok());
  clock_.Set(*ParseTime("2025-01-01T00:00:00Z"));
  ASSERT_TRUE(wf_->SubmitRequest(dgsi_, Draft("L851-4", {"4"})).ok());
  ASSERT_TRUE(wf_->SubmitRequest(dgsi_, Draft("L851-4", {"4"})).ok());
  EXPECT_EQ(Report(2024).requests["submitted"], 1);
  EXPECT_EQ(Report(2025).requests["submitted"], 2);
  EXPECT_EQ(Report(2026).requests["submitted"], 0);
}

TEST_F(ReportTest, QuotaLimitAndPeakInForce) {
  // Set in 2024, still in force in 2025.
  clock_.Set(*ParseTime("2024-06-01T00:00:00Z"));
  authz::Quota q{"L852-1-I", 3, {{"interior", 2}, {"defence", 1}}, "CNCTR-1", "", {}};
  ASSERT_TRUE(wf_->SetQuota(pm_, q).ok());
  // One granted on 2024-12-20 for 30 days: in force at the start of 2025.
  clock_.Set(*ParseTime("2024-12-20T00:00:00Z"));
  const std::string old = Grant(Draft("L852-1-I", {"4"}), dgsi_);
  ASSERT_FALSE(old.empty());
  clock_.Set(*ParseTime("2025-01-05T00:00:00Z"));
  const std::string a = Grant(Draft("L852-1-I", {"4"}), dgsi_);
  const std::string b = Grant(Draft("L852-1-I", {"1"}, "dgse", "defence"), dgse_);
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  // Peak of 3 on 2025-01-05; then two end, and a new one never meets them.
  clock_.Advance(std::chrono::hours(1));
  ASSERT_TRUE(wf_->Terminate(pm_, a, "done").ok());
  ASSERT_TRUE(wf_->Terminate(pm_, b, "done").ok());
  clock_.Set(*ParseTime("2025-06-01T00:00:00Z"));
  ASSERT_FALSE(Grant(Draft("L852-1-I", {"4"}), dgsi_).empty());
  q.limit = 4;
  q.allocation = {{"interior", 3}, {"defence", 1}};
  ASSERT_TRUE(wf_->SetQuota(pm_, q).ok());

  AnnualReport r = Report(2025);
  ASSERT_EQ(r.quotas.count("L852-1-I"), 1u);
  EXPECT_EQ(r.quotas["L852-1-I"].limit, 4);
  EXPECT_EQ(r.quotas["L852-1-I"].peak, 3);
  EXPECT_EQ(r.quotas["L852-1-I"].changes, 1);
  EXPECT_EQ(r.authorisations["issued"], 3);  // the 2024 one belongs to 2024

  AnnualReport y2024 = Report(2024);
  EXPECT_EQ(y2024.quotas["L852-1-I"].limit, 3);
  EXPECT_EQ(y2024.quotas["L852-1-I"].peak, 1);
  EXPECT_EQ(y2024.quotas["L852-1-I"].changes, 1);
  // Before any quota was set, there is no quota line.
  EXPECT_TRUE(Report(2023).quotas.empty());
}

TEST_F(ReportTest, CountsTheVaultEventsByKindAndReason) {
  AppendVaultEvent("item.ingested", "itm_1", {{"kind", "correspondence"}, {"size", 1024}});
  AppendVaultEvent("item.ingested", "itm_2", {{"kind", "correspondence"}, {"size", 10}});
  AppendVaultEvent("item.ingested", "itm_3", {{"kind", "location"}, {"size", 10}});
  AppendVaultEvent("item.refused", "auth_x",
                   {{"kind", "sound_image"}, {"violations", json::array{}}});
  AppendVaultEvent("item.read", "itm_1", {});
  AppendVaultEvent("item.destroyed", "itm_1",
                   {{"kind", "correspondence"}, {"reason", "retention"}});
  AppendVaultEvent("item.destroyed", "itm_3", {{"kind", "location"}, {"reason", "unrelated"}});
  AppendVaultEvent("item.destroyed", "itm_2",
                   {{"kind", "correspondence"}, {"reason", "recommendation"}});
  // The sweep's chunk: each of its entries is one destruction.
  AppendVaultEvent("items.destroyed", "bkt_0",
                   {{"reason", "retention"},
                    {"items", json::array{json::object{{"item", "itm_4"}, {"kind", "location"}},
                                          json::object{{"item", "itm_5"}, {"kind", "location"}}}}});
  AppendVaultEvent("bucket.destroyed", "bkt_1", {});
  AppendVaultEvent("hold.placed", "hld_1", {});
  AppendVaultEvent("hold.placed", "hld_2", {});
  AppendVaultEvent("hold.released", "hld_1", {});
  AppendVaultEvent("transcription.made", "trn_1", {});
  AppendVaultEvent("extraction.made", "ext_1", {});
  AppendVaultEvent("transmission.made", "tms_1", {{"other_purpose", false}});
  AppendVaultEvent("transmission.made", "tms_2", {{"other_purpose", true}});
  AppendVaultEvent("rnd.programme.submitted", "rnd_1", {});
  AppendVaultEvent("rnd.programme.opinion", "rnd_1", {{"verdict", "favourable"}});
  AppendVaultEvent("rnd.programme.granted", "rnd_1", {});
  AppendVaultEvent("rnd.programme.submitted", "rnd_2", {});
  AppendVaultEvent("rnd.programme.refused", "rnd_2", {});
  AppendVaultEvent("rnd.programme.suspended", "rnd_1", {});
  AppendVaultEvent("rnd.item.copied", "rci_1", {});
  AppendVaultEvent("recommendation.made", "rec_1", {{"kind", "destroy"}});
  AppendVaultEvent("recommendation.made", "rec_2", {{"kind", "interrupt"}});
  AppendVaultEvent("item.ingested", "itm_4", {});  // no kind: counted, as unknown

  AnnualReport r = Report(2025);
  EXPECT_EQ(r.items_ingested["correspondence"], 2);
  EXPECT_EQ(r.items_ingested["location"], 1);
  EXPECT_EQ(r.items_ingested["unknown"], 1);
  EXPECT_EQ(r.items_refused["sound_image"], 1);
  EXPECT_EQ(r.destructions["items"], 5);
  EXPECT_EQ(r.destructions["buckets"], 1);
  EXPECT_EQ(r.destructions_by_kind["correspondence"], 2);
  EXPECT_EQ(r.destructions_by_kind["location"], 3);
  EXPECT_EQ(r.destructions_by_reason["retention"], 3);
  EXPECT_EQ(r.destructions_by_reason["unrelated"], 1);
  EXPECT_EQ(r.destructions_by_reason["recommendation"], 1);
  EXPECT_EQ(r.holds["placed"], 2);
  EXPECT_EQ(r.holds["released"], 1);
  EXPECT_EQ(r.exploitation["reads"], 1);
  EXPECT_EQ(r.exploitation["transcriptions"], 1);
  EXPECT_EQ(r.exploitation["extractions"], 1);
  EXPECT_EQ(r.exploitation["transmissions"], 2);
  EXPECT_EQ(r.exploitation["transmissions_other_purpose"], 1);
  EXPECT_EQ(r.rnd["programmes_submitted"], 2);
  EXPECT_EQ(r.rnd["opinions"], 1);
  EXPECT_EQ(r.rnd["opinions_favourable"], 1);
  EXPECT_EQ(r.rnd["programmes_granted"], 1);
  EXPECT_EQ(r.rnd["programmes_refused"], 1);
  EXPECT_EQ(r.rnd["programmes_suspended"], 1);
  EXPECT_EQ(r.rnd["items_copied"], 1);
  EXPECT_EQ(r.recommendations["destroy"], 1);
  EXPECT_EQ(r.recommendations["interrupt"], 1);
  EXPECT_EQ(r.recommendations["suspend_programme"], 0);
}

TEST_F(ReportTest, RendersJsonAndCsv) {
  ASSERT_FALSE(Grant(Draft("L851-4", {"4"}), dgsi_).empty());
  AppendVaultEvent("item.ingested", "itm_1", {{"kind", "a,\"b\""}});
  authz::Quota q{"L852-1-I", 3, {{"interior", 2}, {"defence", 1}}, "CNCTR-1", "", {}};
  ASSERT_TRUE(wf_->SetQuota(pm_, q).ok());
  AnnualReport r = Report(2025);
  r.quotas["L853-2"];  // a quota line without a limit

  json::object o = ReportToJson(r);
  EXPECT_EQ(o.at("year").as_int64(), 2025);
  EXPECT_EQ(o.at("requests").at("submitted").as_int64(), 1);
  EXPECT_EQ(o.at("authorisations_by_technique").at("L851-4").as_int64(), 1);
  EXPECT_EQ(o.at("quotas").at("L852-1-I").at("limit").as_int64(), 3);
  EXPECT_TRUE(o.at("quotas").at("L853-2").at("limit").is_null());
  EXPECT_EQ(o.at("items_ingested").at("a,\"b\"").as_int64(), 1);

  std::string csv = ReportToCsv(r);
  EXPECT_EQ(csv.rfind("section,key,value\r\n", 0), 0u);
  EXPECT_NE(csv.find("\r\nreport,year,2025\r\n"), std::string::npos);
  EXPECT_NE(csv.find("\r\nrequests,submitted,1\r\n"), std::string::npos);
  EXPECT_NE(csv.find("\r\nauthorisations_by_technique,L851-4,1\r\n"), std::string::npos);
  EXPECT_NE(csv.find("\r\nquota_limit,L852-1-I,3\r\n"), std::string::npos);
  EXPECT_NE(csv.find("\r\nquota_peak,L852-1-I,0\r\n"), std::string::npos);
  EXPECT_EQ(csv.find("quota_limit,L853-2"), std::string::npos);
  EXPECT_NE(csv.find("\r\nitems_ingested,\"a,\"\"b\"\"\",1\r\n"), std::string::npos);
  // Every row has three fields (no stray separators outside quotes).
  size_t rows = 0;
  for (size_t at = 0; at < csv.size(); at = csv.find("\r\n", at) + 2) ++rows;
  size_t counted = 1;  // header
  counted += 3;        // report rows
  for (const auto& [name, counts] : ReportSections(r)) counted += counts->size();
  counted += 2 * r.quotas.size() + 1;  // peak and changes each, one limit
  EXPECT_EQ(rows, counted);
}

TEST_F(ReportTest, BadInputIsRefused) {
  EXPECT_EQ(LoadAnnualReport(*store_, 1969).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(LoadAnnualReport(*store_, 10000).status().code(), Code::kInvalidArgument);
  for (std::string bad : {"", "25", "20255", "2o25", "-2025", "1969"}) {
    auto y = ParseReportYear(bad);
    EXPECT_EQ(y.status().code(), Code::kInvalidArgument) << bad;
    EXPECT_NE(y.status().message().find("year"), std::string::npos);
  }
  EXPECT_EQ(*ParseReportYear("2025"), 2025);

  AnnualReportBuilder b(2025);
  EXPECT_EQ(b.Add({7, "x", "not json"}).code(), Code::kCorruption);
  EXPECT_EQ(b.Add({8, "x", R"({"at":"yesterday"})"}).code(), Code::kCorruption);
  // An issued authorisation whose record is missing is named.
  AnnualReportBuilder c(2025);
  ASSERT_TRUE(c.Add({0, "authorisation.issued",
                     R"({"at":"2025-02-01T00:00:00Z","data":{},"subject":"auth_9"})"})
                  .ok());
  auto r = c.Finish({});
  EXPECT_EQ(r.status().code(), Code::kCorruption);
  EXPECT_NE(r.status().message().find("auth_9"), std::string::npos);
}

}  // namespace
}  // namespace cloison::service
