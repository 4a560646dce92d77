// The table-driven legal suite: every case of testdata/legal/cases.toml
// (format: testdata/legal/README.md) runs as its own test against the shipped
// rulebooks (rules/csi-2021.toml, rules/csi-2021-strict.toml), loaded with
// rules::LoadRulebook. A case states facts (request, opinion, decision, quota,
// items, times) and the outcome the law gives, with the violated rule ids and
// the articles they cite.
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "authz/gate.h"
#include "authz/workflow.h"
#include "base/time.h"
#include "rules/evaluator.h"
#include "rules/parser.h"

namespace cloison {
namespace {

using authz::Authorisation;
using authz::AuthorisationState;
using rules::Rulebook;

constexpr char kCasesPath[] = "/testdata/legal/cases.toml";
constexpr char kDefaultAt[] = "2023-01-15T09:00:00Z";

struct Case {
  std::string name;
  std::string row;
  std::shared_ptr<const toml::table> table;  // the whole [[case]] table
  std::string load_error;                    // set on the single case of a file that failed
};

// gtest prints parameters; keep it short.
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name << " [" << c.row << "]";
}

std::string SourceDir() {
  return CLOISON_SOURCE_DIR;
}

bool ValidName(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::vector<Case> LoadCases() {
  std::vector<Case> out;
  const std::string path = SourceDir() + kCasesPath;
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << path << ": " << e.description() << " at line " << e.source().begin.line;
    out.push_back({"load_error", "", nullptr, msg.str()});
    return out;
  }
  const toml::array* cases = doc["case"].as_array();
  if (cases == nullptr || cases->empty()) {
    out.push_back({"load_error", "", nullptr, path + ": no [[case]] table"});
    return out;
  }
  std::set<std::string> seen;
  for (const toml::node& n : *cases) {
    const toml::table* t = n.as_table();
    Case c;
    if (t == nullptr) {
      c.load_error = "a [[case]] entry is not a table";
    } else {
      c.name = (*t)["name"].value_or(std::string());
      c.row = (*t)["row"].value_or(std::string());
      c.table = std::make_shared<toml::table>(*t);
      if (!ValidName(c.name)) c.load_error = "name: got \"" + c.name + "\", want [a-z0-9_]+";
      if (c.row.empty()) c.load_error = "row: got empty, want the LAW.md row the case covers";
      if (!seen.insert(c.name).second) c.load_error = "name: duplicate " + c.name;
    }
    if (!c.load_error.empty()) {
      c.name = "invalid_case_" + std::to_string(out.size());
    }
    out.push_back(std::move(c));
  }
  return out;
}

// --- Reading the facts --------------------------------------------------------

// Fails the test (via ADD_FAILURE) on a key a table does not know: a typo in a
// case must not silently drop a fact.
void CheckKeys(const toml::table& t, std::string_view where, std::set<std::string> known) {
  for (const auto& [key, value] : t) {
    if (!known.contains(std::string(key.str()))) {
      ADD_FAILURE() << where << ": unknown key \"" << key.str() << "\"";
    }
  }
}

const toml::table* Sub(const toml::table& t, std::string_view key) {
  return t[key].as_table();
}

std::string Str(const toml::table& t, std::string_view key, std::string fallback = "") {
  return t[key].value_or(std::move(fallback));
}

Time TimeAt(const toml::table& t, std::string_view key, std::string_view fallback = "") {
  std::string text = t[key].value_or(std::string(fallback));
  auto parsed = ParseTime(text, key);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *parsed : Time{};
}

std::optional<Time> OptTime(const toml::table& t, std::string_view key) {
  if (!t.contains(key)) return std::nullopt;
  return TimeAt(t, key);
}

std::vector<std::string> Strings(const toml::table& t, std::string_view key) {
  std::vector<std::string> out;
  if (const toml::array* a = t[key].as_array()) {
    for (const auto& n : *a) out.push_back(n.value_or(std::string()));
  }
  return out;
}

std::map<std::string, int> Counts(const toml::table* t) {
  std::map<std::string, int> out;
  if (t == nullptr) return out;
  for (const auto& [k, v] : *t)
    out[std::string(k.str())] = static_cast<int>(v.value_or(int64_t{0}));
  return out;
}

rules::ItemKind Kind(const toml::table& t, std::string_view key) {
  std::string name = Str(t, key);
  auto k = rules::ParseItemKind(name);
  EXPECT_TRUE(k.has_value()) << key << ": got \"" << name << "\", want an item kind";
  return k.value_or(rules::ItemKind::kCorrespondence);
}

Duration Hours(const toml::table& t, std::string_view key, double fallback) {
  double h = t[key].value_or(fallback);
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::ratio<3600>>(h));
}

// --- Comparing outcomes -------------------------------------------------------

using RuleArticle = std::pair<std::string, std::string>;

std::vector<RuleArticle> Expected(const toml::table& expect) {
  std::vector<RuleArticle> out;
  if (const toml::array* a = expect["violations"].as_array()) {
    for (const auto& n : *a) {
      const toml::table* v = n.as_table();
      if (v == nullptr) {
        ADD_FAILURE() << "expect.violations: want tables {rule, article}";
        continue;
      }
      CheckKeys(*v, "expect.violations[]", {"rule", "article"});
      out.emplace_back(Str(*v, "rule"), Str(*v, "article"));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<RuleArticle> Actual(const std::vector<rules::Violation>& vs) {
  std::vector<RuleArticle> out;
  for (const auto& v : vs) out.emplace_back(v.rule, v.article);
  std::sort(out.begin(), out.end());
  return out;
}

std::string Describe(const std::vector<rules::Violation>& vs) {
  std::string out;
  for (const auto& v : vs) out += "\n  " + v.rule + " [" + v.article + "] " + v.message;
  return out.empty() ? " (none)" : out;
}

void ExpectViolations(const toml::table& expect, const std::vector<rules::Violation>& got) {
  EXPECT_EQ(Actual(got), Expected(expect)) << "violations:" << Describe(got);
  if (expect.contains("message")) {
    std::string want = Str(expect, "message");
    bool found = std::any_of(got.begin(), got.end(),
                             [&](const rules::Violation& v) { return v.message == want; });
    EXPECT_TRUE(found) << "no violation has the message \"" << want << "\":" << Describe(got);
  }
  // Every violation names its article, and its message ends with it.
  for (const auto& v : got) {
    EXPECT_FALSE(v.article.empty()) << v.rule;
    EXPECT_TRUE(v.message.ends_with("(" + v.article + ")")) << v.message;
  }
}

// --- Rulebooks ----------------------------------------------------------------

const Rulebook& Book(const std::string& id) {
  static auto* books = new std::map<std::string, Rulebook>();
  auto it = books->find(id);
  if (it != books->end()) return it->second;
  auto loaded = rules::LoadRulebook(SourceDir() + "/rules/" + id + ".toml");
  if (!loaded.ok()) {
    ADD_FAILURE() << "rulebook " << id << ": " << loaded.status().ToString();
    return books->emplace(id, Rulebook{}).first->second;
  }
  return books->emplace(id, std::move(*loaded)).first->second;
}

// --- Kinds of case ------------------------------------------------------------

void RunWorkflow(const Rulebook& book, const toml::table& c, const toml::table& expect) {
  CheckKeys(c, "case",
            {"name", "row", "kind", "rulebook", "note", "at", "request", "renewed", "opinion",
             "decision", "quota", "expect"});
  CheckKeys(expect, "expect",
            {"outcome", "violations", "message", "opinion_due_hours", "starts_at", "ends_at",
             "starts_after_hours", "justification_due_hours", "conseil_etat_due_hours"});
  const Time at = TimeAt(c, "at", kDefaultAt);
  const toml::table* rq = Sub(c, "request");
  ASSERT_NE(rq, nullptr) << "a workflow case needs [case.request]";
  CheckKeys(*rq, "request",
            {"service", "minister", "technique", "purposes", "targets", "grounds", "duration_days",
             "subsidiarity", "deferred_centralisation_reason", "protected_profession", "urgency",
             "renews", "renewal_reasons"});
  authz::RequestDraft d;
  d.service = Str(*rq, "service");
  d.minister = Str(*rq, "minister");
  d.technique = Str(*rq, "technique");
  d.purposes = Strings(*rq, "purposes");
  if (const toml::array* targets = (*rq)["targets"].as_array()) {
    for (const auto& n : *targets) {
      const toml::table* tt = n.as_table();
      ASSERT_NE(tt, nullptr) << "request.targets: want tables {type, value}";
      d.targets.push_back({Str(*tt, "type"), Str(*tt, "value")});
    }
  } else {
    d.targets = {{"person", "named in the request"}};
  }
  d.grounds = Str(*rq, "grounds", "grounds stated by the minister");
  d.duration_days = static_cast<int>((*rq)["duration_days"].value_or(int64_t{0}));
  d.subsidiarity = Str(*rq, "subsidiarity");
  d.deferred_centralisation_reason = Str(*rq, "deferred_centralisation_reason");
  d.protected_profession = (*rq)["protected_profession"].value_or(false);
  d.urgency = (*rq)["urgency"].value_or(false);
  d.renews = Str(*rq, "renews");
  d.renewal_reasons = Str(*rq, "renewal_reasons");

  std::optional<Authorisation> renewed;
  if (const toml::table* rn = Sub(c, "renewed")) {
    CheckKeys(*rn, "renewed",
              {"id", "technique", "service", "minister", "starts_at", "ends_at", "state"});
    Authorisation a;
    a.id = Str(*rn, "id", d.renews);
    a.technique = Str(*rn, "technique", d.technique);
    a.service = Str(*rn, "service", d.service);
    a.minister = Str(*rn, "minister", d.minister);
    a.starts_at = TimeAt(*rn, "starts_at");
    a.ends_at = TimeAt(*rn, "ends_at");
    a.granted_at = a.starts_at;
    a.state = authz::ParseAuthorisationState(Str(*rn, "state", "approved"))
                  .value_or(AuthorisationState::kApproved);
    renewed = a;
  }
  const Authorisation* renewed_ptr = renewed ? &*renewed : nullptr;

  const std::string outcome = Str(expect, "outcome");
  auto request_violations = CheckRequest(book, d, renewed_ptr, at);
  if (outcome == "request_refused") {
    EXPECT_FALSE(request_violations.empty()) << "the request was accepted";
    ExpectViolations(expect, request_violations);
    return;
  }
  ASSERT_TRUE(request_violations.empty()) << "request refused:" << Describe(request_violations);

  authz::Request r;
  r.id = "req_legal";
  r.draft = d;
  r.created_at = at;
  r.opinion_due = authz::OpinionDue(book, d, at);
  if (expect.contains("opinion_due_hours")) {
    EXPECT_EQ(r.opinion_due, at + Hours(expect, "opinion_due_hours", 0))
        << "opinion due " << FormatTime(r.opinion_due);
  }

  if (const toml::table* op = Sub(c, "opinion")) {
    CheckKeys(*op, "opinion", {"verdict", "formation", "after_hours", "reasons"});
    auto verdict = authz::ParseVerdict(Str(*op, "verdict", "favourable"));
    auto formation = authz::ParseFormation(Str(*op, "formation", "single"));
    ASSERT_TRUE(verdict && formation) << "opinion: bad verdict or formation";
    auto opinion_violations = authz::CheckOpinion(book, r, *verdict, *formation);
    if (outcome == "opinion_refused") {
      EXPECT_FALSE(opinion_violations.empty()) << "the opinion was accepted";
      ExpectViolations(expect, opinion_violations);
      return;
    }
    ASSERT_TRUE(opinion_violations.empty()) << "opinion refused:" << Describe(opinion_violations);
    authz::Opinion o;
    o.verdict = *verdict;
    o.formation = *formation;
    o.reasons = Str(*op, "reasons", "reasons of the CNCTR");
    o.by = "cnctr_member";
    o.at = at + Hours(*op, "after_hours", 1);
    r.opinion = o;
    r.state = authz::RequestState::kOpinionGiven;
  }
  if (outcome == "request_accepted") return;  // nothing decided

  const toml::table* dec = Sub(c, "decision");
  ASSERT_NE(dec, nullptr) << "outcome " << outcome << " needs [case.decision]";
  CheckKeys(*dec, "decision", {"grant", "reasons", "immediate_execution", "after_hours"});
  authz::DecisionInput input;
  input.grant = (*dec)["grant"].value_or(true);
  input.reasons = Str(*dec, "reasons");
  input.immediate_execution = (*dec)["immediate_execution"].value_or(false);
  const Time decided = at + Hours(*dec, "after_hours", 2);

  authz::Quota quota;
  authz::QuotaView view;
  if (const toml::table* q = Sub(c, "quota")) {
    CheckKeys(*q, "quota", {"limit", "allocation", "in_force", "cnctr_opinion_ref"});
    quota.technique = d.technique;
    quota.limit = static_cast<int>((*q)["limit"].value_or(int64_t{0}));
    quota.allocation = Counts(Sub(*q, "allocation"));
    quota.cnctr_opinion_ref = Str(*q, "cnctr_opinion_ref", "CNCTR opinion on the quota");
    EXPECT_TRUE(authz::CheckQuota(book, quota).empty())
        << "the case's quota is not a valid decision:" << Describe(authz::CheckQuota(book, quota));
    view.quota = &quota;
    view.in_force = Counts(Sub(*q, "in_force"));
  }

  auto out = authz::Decide(book, r, input, renewed_ptr, view, decided);
  if (outcome == "refused_at_decision") {
    EXPECT_FALSE(out.violations.empty()) << "the decision was allowed";
    EXPECT_FALSE(out.authorisation.has_value());
    ExpectViolations(expect, out.violations);
    return;
  }
  ExpectViolations(expect, out.violations);
  if (outcome == "pm_refused") {
    EXPECT_FALSE(out.authorisation.has_value());
    return;
  }
  const std::map<std::string, AuthorisationState> states = {
      {"granted", AuthorisationState::kApproved},
      {"emergency_approval", AuthorisationState::kEmergencyApproval},
      {"awaiting_conseil_etat", AuthorisationState::kAwaitingConseilEtat},
  };
  auto want = states.find(outcome);
  ASSERT_NE(want, states.end()) << "expect.outcome: got \"" << outcome << "\"";
  ASSERT_TRUE(out.authorisation.has_value()) << "no authorisation:" << Describe(out.violations);
  const Authorisation& a = *out.authorisation;
  EXPECT_EQ(a.state, want->second) << AuthorisationStateName(a.state);
  EXPECT_EQ(a.granted_at, decided);
  if (expect.contains("starts_at")) {
    EXPECT_EQ(FormatTime(a.starts_at), Str(expect, "starts_at"));
  }
  if (expect.contains("starts_after_hours")) {
    EXPECT_EQ(a.starts_at, decided + Hours(expect, "starts_after_hours", 0))
        << FormatTime(a.starts_at);
  }
  if (expect.contains("ends_at")) {
    EXPECT_EQ(FormatTime(a.ends_at), Str(expect, "ends_at"));
  }
  if (expect.contains("justification_due_hours")) {
    ASSERT_TRUE(a.justification_due.has_value());
    EXPECT_EQ(*a.justification_due, decided + Hours(expect, "justification_due_hours", 0));
  } else {
    EXPECT_FALSE(a.justification_due.has_value());
  }
  if (expect.contains("conseil_etat_due_hours")) {
    ASSERT_TRUE(a.conseil_etat_due.has_value());
    EXPECT_EQ(*a.conseil_etat_due, decided + Hours(expect, "conseil_etat_due_hours", 0));
  } else {
    EXPECT_FALSE(a.conseil_etat_due.has_value());
  }
  // Invariant 1 on the granted authorisation: not before its start, in force
  // from it until its end.
  EXPECT_FALSE(authz::InForce(a, a.starts_at - Duration(1)));
  EXPECT_TRUE(authz::InForce(a, a.starts_at));
  EXPECT_FALSE(authz::InForce(a, a.ends_at));
}

void ExpectDeadline(const toml::table& expect, std::optional<Time> got) {
  if (expect["error"].value_or(false)) {
    EXPECT_FALSE(got.has_value()) << "deadline " << FormatTime(*got);
    return;
  }
  ASSERT_TRUE(got.has_value()) << "no deadline";
  EXPECT_EQ(FormatTime(*got), Str(expect, "destroy_by"));
}

void RunRetention(const Rulebook& book, const toml::table& c, const toml::table& expect) {
  CheckKeys(c, "case",
            {"name", "row", "kind", "rulebook", "note", "technique", "item_kind", "collected_at",
             "decrypted_at", "encrypted", "unrelated", "expect"});
  CheckKeys(expect, "expect", {"destroy_by", "error", "article"});
  const rules::Technique* t = book.FindTechnique(Str(c, "technique"));
  ASSERT_NE(t, nullptr) << "technique " << Str(c, "technique");
  rules::ItemKind kind = Kind(c, "item_kind");
  Time collected = TimeAt(c, "collected_at");
  std::optional<Time> got;
  std::string article;
  if (c["unrelated"].value_or(false)) {
    got = rules::UnrelatedDestroyBy(*t, collected);
    article = t->unrelated_cite.article;
  } else if (c["encrypted"].value_or(false)) {
    auto r = rules::EncryptedDestroyBy(book, *t, kind, collected, OptTime(c, "decrypted_at"));
    if (r.ok()) got = *r;
    article = book.encrypted_cite.article;
  } else {
    auto r = rules::DestroyBy(book, *t, kind, collected);
    if (r.ok()) got = *r;
    if (const rules::Retention* rr = t->FindRetention(kind)) article = rr->cite.article;
  }
  ExpectDeadline(expect, got);
  if (expect.contains("article")) {
    EXPECT_EQ(article, Str(expect, "article"));
  }
}

void RunRnd(const Rulebook& book, const toml::table& c, const toml::table& expect) {
  CheckKeys(c, "case", {"name", "row", "kind", "rulebook", "note", "collected_at", "expect"});
  CheckKeys(expect, "expect",
            {"destroy_by", "max_retention", "article", "first_circle_only", "partitioned_storage",
             "collection_date_register", "algorithm_criteria_required"});
  EXPECT_EQ(FormatTime(rules::RndDestroyBy(book, TimeAt(c, "collected_at"))),
            Str(expect, "destroy_by"));
  if (expect.contains("max_retention")) {
    EXPECT_EQ(book.rnd.max_retention.ToString(), Str(expect, "max_retention"));
  }
  if (expect.contains("article")) {
    EXPECT_EQ(book.rnd.cite.article, Str(expect, "article"));
  }
  auto flag = [&](std::string_view key, bool got) {
    if (expect.contains(key)) {
      EXPECT_EQ(got, expect[key].value_or(!got)) << key;
    }
  };
  flag("first_circle_only", book.rnd.first_circle_only);
  flag("partitioned_storage", book.rnd.partitioned_storage);
  flag("collection_date_register", book.rnd.collection_date_register);
  flag("algorithm_criteria_required", book.rnd.algorithm_criteria_required);
}

void RunGate(const Rulebook& book, const toml::table& c, const toml::table& expect) {
  CheckKeys(c, "case",
            {"name", "row", "kind", "rulebook", "note", "technique", "state", "starts_at",
             "ends_at", "terminated_at", "item_kind", "collected_at", "now", "max_skew_seconds",
             "authorisation", "expect"});
  CheckKeys(expect, "expect", {"answer", "violations", "message"});
  const rules::Technique* t = book.FindTechnique(Str(c, "technique"));
  ASSERT_NE(t, nullptr) << "technique " << Str(c, "technique");
  Authorisation a;
  a.id = "auth_legal";
  a.technique = t->id;
  a.state = authz::ParseAuthorisationState(Str(c, "state", "approved"))
                .value_or(AuthorisationState::kApproved);
  a.starts_at = TimeAt(c, "starts_at");
  a.ends_at = TimeAt(c, "ends_at");
  a.terminated_at = OptTime(c, "terminated_at");
  authz::IngestGate gate;
  gate.Upsert(a, *t);
  const std::string id = Str(c, "authorisation", a.id);
  const rules::ItemKind kind = Kind(c, "item_kind");
  const Time collected = TimeAt(c, "collected_at");
  const Time now = TimeAt(c, "now", Str(c, "collected_at"));
  const Duration skew = std::chrono::seconds(c["max_skew_seconds"].value_or(int64_t{300}));
  authz::GateAnswer answer = gate.Check(id, kind, collected, now, skew);
  EXPECT_EQ(authz::GateAnswerName(answer), Str(expect, "answer"));
  ExpectViolations(expect, gate.Explain(book, answer, id, kind, collected, now));
}

class LegalTest : public ::testing::TestWithParam<Case> {};

TEST_P(LegalTest, Case) {
  const Case& c = GetParam();
  ASSERT_TRUE(c.load_error.empty()) << c.load_error;
  const toml::table& t = *c.table;
  const toml::table* expect = Sub(t, "expect");
  ASSERT_NE(expect, nullptr) << "a case needs [case.expect]";
  const Rulebook& book = Book(Str(t, "rulebook", "csi-2021"));
  ASSERT_FALSE(book.id.empty()) << "rulebook not loaded";
  const std::string kind = Str(t, "kind", "workflow");
  if (kind == "workflow") {
    RunWorkflow(book, t, *expect);
  } else if (kind == "retention") {
    RunRetention(book, t, *expect);
  } else if (kind == "rnd") {
    RunRnd(book, t, *expect);
  } else if (kind == "gate") {
    RunGate(book, t, *expect);
  } else {
    FAIL() << "kind: got \"" << kind << "\", want workflow, retention, rnd or gate";
  }
}

INSTANTIATE_TEST_SUITE_P(Law, LegalTest, ::testing::ValuesIn(LoadCases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace cloison
