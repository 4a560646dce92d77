#include "cli/demo.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include "authz/workflow.h"
#include "base/clock.h"
#include "base/id.h"
#include "cli/demo_vault.h"
#include "cli/embedded_rules.h"
#include "service/instance.h"
#include "service/ledger.h"
#include "service/tokens.h"
#include "server/serve.h"
#include "service/workflow.h"

namespace cloison::cli {
namespace {

using authz::Formation;
using authz::RequestDraft;
using authz::Verdict;
using service::Principal;
using service::Role;

// Narrates the scenario; every step goes through the same use cases as the API.
class Scenario {
 public:
  Scenario(service::Workflow& wf, FakeClock& clock, std::ostream& out, std::ostream& err)
      : wf_(wf), clock_(clock), out_(out), err_(err) {}

  Principal Add(std::string name, Role role, std::string service = {}, std::string minister = {}) {
    Principal p{"", std::move(name), role, std::move(service), std::move(minister)};
    auto r = wf_.AddPrincipal(p);
    if (!r.ok()) return Fail(r.status()), p;
    out_ << "  " << std::left << std::setw(14) << RoleName(r->role) << r->id << "  " << r->name << "\n";
    principals_.push_back(*r);
    return *r;
  }
  const std::vector<Principal>& principals() const { return principals_; }

  std::string Submit(const Principal& who, const RequestDraft& d, std::string_view what) {
    Step(what);
    auto r = wf_.SubmitRequest(who, d);
    if (!r.ok()) return Fail(r.status()), "";
    if (r->refused()) {
      out_ << "    REFUSED on submission (" << r->value.id << "):\n";
      Violations(r->violations);
      return "";
    }
    out_ << "    request " << r->value.id << " by " << who.name << ": " << d.technique << ", "
         << d.duration_days << " days; opinion due " << FormatTime(r->value.opinion_due) << "\n";
    return r->value.id;
  }

  void Opinion(const Principal& who, const std::string& id, Verdict v, Formation f) {
    auto r = wf_.GiveOpinion(who, id, v, f, "examined by the commission");
    if (!r.ok()) return Fail(r.status());
    if (r->refused()) {
      out_ << "    opinion refused:\n";
      return Violations(r->violations);
    }
    out_ << "    CNCTR opinion on " << id << ": " << authz::VerdictName(v) << " ("
         << authz::FormationName(f) << " formation)\n";
  }

  std::string Decide(const Principal& who, const std::string& id, bool grant, std::string reasons = {},
                     bool immediate = false) {
    auto r = wf_.Decide(who, id, {grant, std::move(reasons), immediate});
    if (!r.ok()) return Fail(r.status()), "";
    if (r->refused()) {
      out_ << "    PM decision on " << id << ": REFUSED BY LAW:\n";
      Violations(r->violations);
      return "";
    }
    const auto& req = r->value.request;
    if (req.opinion && req.opinion->deemed) out_ << "    (no opinion in time: deemed given, L. 821-3)\n";
    if (!r->value.authorisation) {
      out_ << "    PM refused " << id << "\n";
      return "";
    }
    const auto& a = *r->value.authorisation;
    out_ << "    PM granted " << id << " -> " << a.id << " ["
         << authz::AuthorisationStateName(a.state) << "] from " << FormatTime(a.starts_at)
         << " to " << FormatTime(a.ends_at) << "\n";
    return a.id;
  }

  void Quota(const Principal& pm, std::string technique, int limit, std::map<std::string, int> alloc,
             std::string ref) {
    authz::Quota q;
    q.technique = std::move(technique);
    q.limit = limit;
    q.allocation = std::move(alloc);
    q.cnctr_opinion_ref = std::move(ref);
    auto r = wf_.SetQuota(pm, q);
    if (!r.ok()) return Fail(r.status());
    if (r->refused()) return Violations(r->violations);
    out_ << "    quota " << q.technique << ": " << q.limit << " at once (";
    bool first = true;
    for (const auto& [m, n] : q.allocation) out_ << (first ? "" : ", ") << m << " " << n, first = false;
    out_ << "), CNCTR opinion " << q.cnctr_opinion_ref << "\n";
  }

  void Step(std::string_view what) {
    out_ << "\n[" << FormatTime(clock_.Now()) << "] " << what << "\n";
  }
  void Advance(std::chrono::hours h) { clock_.Advance(h); }
  void Violations(const std::vector<rules::Violation>& vs) {
    ++refusals_;
    for (const auto& v : vs) out_ << "      - " << v.article << " [" << v.rule << "] " << v.message << "\n";
  }
  void Fail(const Status& s) {
    err_ << "demo: unexpected error: " << s.ToString() << "\n";
    ok_ = false;
  }
  bool ok() const { return ok_; }
  int refusals() const { return refusals_; }

 private:
  service::Workflow& wf_;
  FakeClock& clock_;
  std::ostream& out_;
  std::ostream& err_;
  bool ok_ = true;
  int refusals_ = 0;
  std::vector<Principal> principals_;
};

RequestDraft Draft(std::string service, std::string minister, std::string technique,
                   std::vector<std::string> purposes, int days) {
  RequestDraft d;
  d.service = std::move(service);
  d.minister = std::move(minister);
  d.technique = std::move(technique);
  d.purposes = std::move(purposes);
  d.targets = {{"identifier", "+33 6 00 00 00 00"}};
  d.grounds = "Reasoned grounds held in the register (demo text).";
  d.duration_days = days;
  return d;
}

}  // namespace

int RunDemo(const DemoOptions& options, std::ostream& out, std::ostream& err) {
  std::string dir = options.dir;
  if (dir.empty()) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cloison-demo-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) {
      err << "demo: cannot create a temporary directory\n";
      return 1;
    }
    dir = tmpl;
  }
  if (Status s = service::InitInstance(dir, std::string(DefaultRulebook())); !s.ok()) {
    err << "demo: " << s.message() << "\n";
    return 1;
  }
  auto inst = service::OpenInstance(dir);
  if (!inst.ok()) {
    err << "demo: " << inst.status().message() << "\n";
    return 1;
  }
  // A manual clock: the scenario spans days in a second, and every event
  // records that the clock was manual. March 2025 is inside the satellite
  // experiment's legal window (L. 852-3, until 31 July 2025).
  FakeClock clock(*ParseTime("2025-03-03T08:00:00Z"));
  TimeOrderedIdGenerator ids;
  service::Workflow wf(*inst->store, inst->rulebook, clock, ids);
  Scenario s(wf, clock, out, err);

  out << "Cloison demo: instance " << dir << " (rulebook " << inst->rulebook.id << ", store "
      << inst->store->Backend() << ", manual clock)\n\nprincipals:\n";
  Principal dgsi = s.Add("Agent DGSI", Role::kServiceAgent, "dgsi");
  Principal dgse = s.Add("Agent DGSE", Role::kServiceAgent, "dgse");
  Principal interior = s.Add("Ministre de l'Intérieur (délégué)", Role::kMinister, "", "interior");
  Principal cnctr = s.Add("Membre de la CNCTR", Role::kCnctr);
  Principal pm = s.Add("Cabinet du Premier ministre", Role::kPm);
  Principal gic = s.Add("Opérateur GIC", Role::kGic);
  Principal collector = s.Add("Collecteur", Role::kCollector);
  s.Add("Administrateur", Role::kAdmin);

  s.Step("The PM sets quotas after the CNCTR's opinion");
  s.Quota(pm, "L852-1-I", 3, {{"interior", 2}, {"defence", 1}}, "CNCTR-2025-Q-004");
  s.Quota(pm, "L852-3", 2, {{"defence", 2}}, "CNCTR-2025-Q-005");

  // 1. An ordinary security interception, favourable opinion, granted.
  std::string r1 = s.Submit(dgsi, Draft("dgsi", "interior", "L852-1-I", {"4"}, 120),
                            "DGSI asks for a security interception (terrorism, 4 months)");
  s.Advance(std::chrono::hours(6));
  s.Opinion(cnctr, r1, Verdict::kFavourable, Formation::kSingle);
  std::string a1 = s.Decide(pm, r1, true);

  // 2. The algorithm technique asked for 90 days: its first authorisation is capped at 2 months.
  s.Submit(dgsi, Draft("dgsi", "interior", "L851-3", {"4"}, 90),
           "DGSI asks for an algorithm (L. 851-3) for 90 days");

  // 3. Satellite interception for an economic purpose, with no subsidiarity reason.
  s.Submit(dgse, Draft("dgse", "defence", "L852-3", {"3"}, 30),
           "DGSE asks for satellite interception for purpose 3, without saying why L. 852-1 cannot serve");

  // 4. The same, lawful: purpose 1, subsidiarity stated, the CNCTR stays silent.
  RequestDraft sat = Draft("dgse", "defence", "L852-3", {"1"}, 30);
  sat.subsidiarity = "The operator's cooperation would compromise confidentiality.";
  std::string r4 = s.Submit(dgse, sat, "DGSE asks again: purpose 1, subsidiarity stated, 30 days");
  s.Advance(std::chrono::hours(25));
  s.Step("25 hours later, no opinion: the PM decides");
  std::string a4 = s.Decide(pm, r4, true);

  // 5. Quota: interior has 2 interceptions; the third is refused at decision time.
  std::string r5 = s.Submit(interior, Draft("dgsi", "interior", "L852-1-I", {"6"}, 60),
                            "The Interior minister signs a second interception request (organised crime)");
  s.Opinion(cnctr, r5, Verdict::kFavourable, Formation::kSingle);
  std::string a5 = s.Decide(pm, r5, true);
  std::string r6 = s.Submit(dgsi, Draft("dgsi", "interior", "L852-1-I", {"4"}, 30),
                            "DGSI asks for a third interception: interior's share is 2");
  s.Opinion(cnctr, r6, Verdict::kFavourable, Formation::kSingle);
  s.Decide(pm, r6, true);

  // 6. Overriding an unfavourable opinion: the Conseil d'État is seized, 24 h wait.
  std::string r7 = s.Submit(dgsi, Draft("dgsi", "interior", "L851-4", {"5c"}, 30),
                            "DGSI asks for real-time geolocation (collective violence)");
  s.Opinion(cnctr, r7, Verdict::kUnfavourable, Formation::kSingle);
  s.Decide(pm, r7, true, "");
  std::string r7b = s.Submit(dgsi, Draft("dgsi", "interior", "L851-4", {"5c"}, 30),
                             "DGSI asks again; the PM will override with written reasons");
  s.Opinion(cnctr, r7b, Verdict::kUnfavourable, Formation::kSingle);
  s.Decide(pm, r7b, true, "Imminent threat documented in annex 3.");

  // 7. Absolute urgency: no prior opinion, reasons to the CNCTR within 24 h.
  RequestDraft urgent = Draft("dgsi", "interior", "L851-4", {"4"}, 10);
  urgent.urgency = true;
  std::string r8 = s.Submit(dgsi, urgent, "DGSI invokes absolute urgency for geolocation (terrorism)");
  std::string a8 = s.Decide(pm, r8, true);
  s.Advance(std::chrono::hours(30));
  s.Step("30 hours later, the PM sends the urgency's reasons to the CNCTR");
  if (!a8.empty()) {
    auto j = wf.JustifyUrgency(pm, a8, "Attack planned within days.");
    if (!j.ok()) s.Fail(j.status());
    else out << "    justification received " << (authz::JustificationLate(*j, clock.Now()) ? "LATE (flagged for the CNCTR)" : "in time") << "\n";
  }

  // 8. Urgency is never available for protected professions.
  RequestDraft journalist = Draft("dgsi", "interior", "L851-4", {"4"}, 10);
  journalist.urgency = true;
  journalist.protected_profession = true;
  s.Submit(dgsi, journalist, "DGSI invokes urgency against a journalist");

  // 9. Termination.
  if (!a1.empty()) {
    s.Step("The PM terminates the first interception");
    auto t = wf.Terminate(pm, a1, "Target left the territory.");
    if (!t.ok()) s.Fail(t.status());
    else out << "    " << t->id << " is " << authz::AuthorisationStateName(t->state) << "\n";
  }

  s.Step("Quota use now");
  auto quotas = wf.Quotas();
  if (!quotas.ok()) s.Fail(quotas.status());
  else
    for (const auto& q : *quotas) {
      out << "    " << std::left << std::setw(10) << q.quota.technique << " limit " << q.quota.limit
          << ", issued " << q.issued << ", in force:";
      for (const auto& [m, n] : q.quota.allocation) {
        auto it = q.in_force.find(m);
        out << " " << m << " " << (it == q.in_force.end() ? 0 : it->second) << "/" << n;
      }
      out << "\n";
    }
  // 10. The vault: items, a refusal at the gate, a sealed item, a read, an
  // unrelated item destroyed, a hold, and the sweep a month later.
  VaultSceneResult vault_scene;
  if (!a5.empty()) {
    vault_scene = RunVaultScene({*inst, clock, ids, collector, gic, pm, cnctr, a5, a4}, out, err);
  }

  // 11. After the satellite experiment's sunset, the technique is unavailable.
  clock.Set(*ParseTime("2025-08-04T09:00:00Z"));
  s.Submit(dgse, sat, "August 2025: DGSE asks for satellite interception again");

  // The ledger: every event is a leaf; the instance signs a checkpoint that
  // the CNCTR verifies with nothing but the public key in DIR/ledger.pub.
  s.Step("The instance signs a ledger checkpoint (C2SP signed note)");
  uint64_t events = 0;
  auto ledger = service::Ledger::Open(*inst->store, inst->ledger_key, clock);
  if (!ledger.ok()) {
    s.Fail(ledger.status());
  } else if (auto cp = (*ledger)->IssueCheckpoint(); !cp.ok()) {
    s.Fail(cp.status());
  } else {
    events = (*ledger)->size();
    std::istringstream lines(*cp);
    for (std::string line; std::getline(lines, line);) out << "    " << line << "\n";
    out << "    verifier key: " << ledger::FormatVerifierKey((*ledger)->verifier()) << "\n";
  }
  out << "\n" << s.refusals() + vault_scene.refusals
      << " legal refusals, each citing its articles; " << vault_scene.destroyed
      << " items destroyed on time or early, each with its destruction record; " << events
      << " events in the ledger, each committed in the same transaction as its change.\n"
      << "The instance stays in " << dir << "\n";
  if (!s.ok() || !vault_scene.ok) return 1;
  if (!options.serve) return 0;

  // Serve it: one bearer token per demo principal (stored hashed; shown once).
  service::Tokens tokens(*inst->store, clock);
  out << "\ndemo credentials (Authorization: Bearer TOKEN):\n";
  for (const auto& p : s.principals()) {
    auto token = tokens.Issue(p);
    if (!token.ok()) {
      err << "demo: " << token.status().ToString() << "\n";
      return 1;
    }
    out << "  " << std::left << std::setw(14) << RoleName(p.role) << *token << "  " << p.name << "\n";
  }
  server::ServeOptions serve;
  serve.listen = options.listen;
  serve.test_clock = &clock;  // the scenario's manual clock; PUT /v1/test/clock moves it
  Status served = server::Serve(*inst, clock, serve, out);
  if (!served.ok()) {
    err << "demo: " << served.ToString() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace cloison::cli
