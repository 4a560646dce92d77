#include "api/access.h"

namespace cloison::api {
namespace {
using service::Role;
constexpr Role kAgent = Role::kServiceAgent;
constexpr Role kMinister = Role::kMinister;
constexpr Role kCnctr = Role::kCnctr;
constexpr Role kPm = Role::kPm;
constexpr Role kGic = Role::kGic;
constexpr Role kCollector = Role::kCollector;
constexpr Role kRnd = Role::kRndAgent;
constexpr Role kAdmin = Role::kAdmin;
}  // namespace

const std::vector<Access>& AccessTable() {
  static const std::vector<Access> kTable = {
      // Service: anyone, no credentials.
      {"getOpenApi", true, {}},
      {"getHealth", true, {}},
      {"getMetrics", true, {}},
      // Requests (L. 821-1 to L. 821-4): drafted by an agent of the service
      // or signed by the minister; the CNCTR gives its opinion, the PM decides.
      {"submitRequest", false, {kAgent, kMinister}},
      {"listRequests", false, {kAgent, kMinister, kCnctr, kPm}},
      {"getRequest", false, {kAgent, kMinister, kCnctr, kPm}},
      {"withdrawRequest", false, {kAgent, kMinister}},
      {"giveOpinion", false, {kCnctr}},
      {"decideRequest", false, {kPm}},
      // Authorisations: the GIC executes them, so it sees them (no grounds).
      {"listAuthorisations", false, {kAgent, kMinister, kCnctr, kPm, kGic}},
      {"getAuthorisation", false, {kAgent, kMinister, kCnctr, kPm, kGic}},
      {"terminateAuthorisation", false, {kPm}},
      {"justifyUrgency", false, {kPm}},
      {"recordConseilEtatRuling", false, {kPm}},
      // Quotas: set by the PM after the CNCTR's opinion.
      {"setQuota", false, {kPm}},
      {"listQuotas", false, {kPm, kCnctr, kMinister}},
      // The manual clock exists only with --test-clock; then anyone signed in.
      {"setTestClock", false, {kAgent, kMinister, kCnctr, kPm, kGic, kCollector, kRnd, kAdmin}},
      // The vault (L. 822-2): collectors send, the centralising service
      // (GIC) exploits and destroys early, the CNCTR reads everything
      // (L. 833-2), the PM places holds (L. 822-2 II).
      {"ingestItem", false, {kCollector}},
      {"getItem", false, {kGic, kCnctr}},
      {"getItemContent", false, {kGic, kCnctr}},
      {"openSealedItem", false, {kGic}},
      {"recordDecryption", false, {kGic}},
      {"recordTechnicalAnalysis", false, {kGic}},
      {"markItemUnrelated", false, {kGic}},
      {"placeHold", false, {kPm}},
      {"getHold", false, {kPm, kCnctr}},
      {"releaseHold", false, {kPm}},
      {"sweepRetention", false, {kGic}},
      {"listDestructions", false, {kCnctr, kGic}},
      // R&D (L. 822-2 III): a first-circle agent submits, the CNCTR gives
      // its opinion, the PM decides and, with the administrator, assigns the
      // cleared agents; the GIC transfers; assigned agents and the CNCTR read.
      // The CNCTR lifts the suspension it recommended; the PM or the
      // minister of the programme's service closes it (checked by the use
      // case: service/rnd_copy.h).
      {"submitRndProgramme", false, {kAgent}},
      {"getRndProgramme", false, {kAgent, kCnctr, kPm, kRnd, kAdmin}},
      {"giveRndOpinion", false, {kCnctr}},
      {"decideRndProgramme", false, {kPm}},
      {"assignRndAgent", false, {kPm, kAdmin}},
      {"transferRndItem", false, {kGic}},
      {"getRndItemContent", false, {kRnd, kCnctr}},
      {"resumeRndProgramme", false, {kCnctr}},
      {"closeRndProgramme", false, {kPm, kMinister}},
      // Exploitation (L. 822-3, L. 822-4): the GIC alone transcribes,
      // extracts, transmits and destroys; the CNCTR reads everything and its
      // queue; an agent reads what was transmitted to its service (checked
      // by the use case).
      {"transcribeItem", false, {kGic}},
      {"extractFromItem", false, {kGic}},
      {"getTranscription", false, {kGic, kCnctr}},
      {"getTranscriptionContent", false, {kGic, kCnctr, kAgent}},
      {"destroyTranscription", false, {kGic}},
      {"transmitTranscription", false, {kGic}},
      {"listCnctrQueue", false, {kCnctr}},
      {"acknowledgeQueueEntry", false, {kCnctr}},
      // Recommendations (L. 833-6): made by the CNCTR, followed up by the PM.
      {"createRecommendation", false, {kCnctr}},
      {"getRecommendation", false, {kCnctr, kPm}},
      {"recordFollowUp", false, {kPm}},
      {"getAnnualReport", false, {kCnctr, kPm}},
      {"getLedgerCheckpoint", false, {kCnctr}},
      {"getLedgerTile", false, {kCnctr}},
      {"getLedgerProof", false, {kCnctr}},
      {"getLedgerKey", false, {kCnctr}},
  };
  return kTable;
}

namespace {
const Access* Find(std::string_view operation) {
  for (const Access& a : AccessTable())
    if (a.operation == operation) return &a;
  return nullptr;
}
}  // namespace

bool IsAnonymous(std::string_view operation) {
  const Access* a = Find(operation);
  return a && a->anonymous;
}

bool MayCall(std::string_view operation, service::Role role) {
  const Access* a = Find(operation);
  if (!a) return false;
  for (Role r : a->roles)
    if (r == role) return true;
  return false;
}

bool MayRead(const service::Principal& p, std::string_view service, std::string_view minister) {
  switch (p.role) {
    case Role::kCnctr:
    case Role::kPm:
    case Role::kGic:
      return true;
    case Role::kServiceAgent:
      return !p.service.empty() && p.service == service;
    case Role::kMinister:
      return !p.minister.empty() && p.minister == minister;
    case Role::kCollector:
    case Role::kRndAgent:
    case Role::kAdmin:
      return false;
  }
  return false;
}

}  // namespace cloison::api
