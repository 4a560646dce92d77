// R&D programmes (L. 822-2 III): a first-circle service keeps collected data
// for research on the technical means of collecting and exploiting
// intelligence, never to watch anyone. Each programme and its technical
// parameters are authorised in advance by the Prime Minister after a CNCTR
// opinion (sec.); only agents specially cleared and assigned to it may read
// its data; the CNCTR may recommend its suspension, which blocks every
// access at once, until the CNCTR lifts it (ResumeProgramme); the PM or
// the minister of the programme's service closes it, which destroys its
// copies (RndCopies::CloseProgramme). The copies themselves (pseudonymised) are in
// service/rnd_copy.h; the record formats in doc/formats/rnd.md.
//
// One write transaction per use case, the change and its event together
// (service/workflow.h is the pattern). Roles are denied by default.
// Events: rnd.programme.submitted, rnd.programme.opinion,
// rnd.programme.granted, rnd.programme.refused, rnd.programme.suspended,
// rnd.programme.resumed, rnd.programme.closed (rnd_copy.h), rnd.agent.assigned.
//
// Errors: PermissionDenied (role, service, separation of duties), NotFound
// (unknown programme or principal), InvalidArgument naming the field (bad
// input; nothing changes), FailedPrecondition (wrong state). A refusal by
// the law (a second-circle service; missing algorithm criteria when the
// rulebook requires them; a decision without the CNCTR's opinion) is an
// Outcome with violations citing the article.
//
// Thread-safety: an Rnd is thread-safe if its Store is (every call is one
// transaction; the rulebook, clock and id generator are thread-safe).
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "authz/model.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/status.h"
#include "rules/rulebook.h"
#include "service/principal.h"
#include "service/workflow.h"
#include "store/store.h"

namespace cloison::service {

inline constexpr char kRndProgrammeKind[] = "rnd_programme";

// Rule ids of the refusals (stable: they appear in events).
inline constexpr std::string_view kRuleRndFirstCircle = "rnd.first_circle";
inline constexpr std::string_view kRuleRndAlgorithmCriteria = "rnd.algorithm_criteria";
inline constexpr std::string_view kRuleRndOpinionRequired = "rnd.opinion_required";

enum class ProgrammeState {
  kAwaitingOpinion,  // submitted, the CNCTR has not given its opinion
  kOpinionGiven,     // waiting for the PM
  kGranted,          // authorised: copies may be transferred and read
  kRefused,          // by the PM, or by the law on submission
  kSuspended,        // a CNCTR recommendation: no access at all
  kClosed,           // ended by the PM or its service's minister; copies destroyed
};
std::string_view ProgrammeStateName(ProgrammeState s);
std::optional<ProgrammeState> ParseProgrammeState(std::string_view s);

// What a service agent submits (API.md POST /rnd/programmes).
struct ProgrammeDraft {
  std::string service;
  std::string title;
  // The research purpose: which technical means of collection or
  // exploitation it studies (L. 822-2 III).
  std::string purpose;
  std::string technical_parameters;
  // Stated criteria of any algorithmic processing (amendment no. 56; the
  // rulebook's rnd.algorithm_criteria_required).
  std::string algorithm_criteria;
};

struct ProgrammeOpinion {
  authz::Verdict verdict = authz::Verdict::kFavourable;
  std::string reasons;
  std::string by;
  Time at;
};

struct ProgrammeDecision {
  bool grant = false;
  std::string reasons;
  std::string by;
  Time at;
  bool against_opinion = false;  // granted despite an unfavourable opinion
};

struct ProgrammeSuspension {
  std::string recommendation;  // the CNCTR recommendation's id
  std::string by;
  Time at;
};

// The CNCTR lifting its suspension.
struct ProgrammeResumption {
  std::string reasons;
  std::string by;
  Time at;
};

struct ProgrammeClosure {
  std::string reasons;
  std::string by;
  Time at;
  int64_t copies_destroyed = 0;
};

struct Programme {
  std::string id;  // "rnp_..."
  ProgrammeDraft draft;
  ProgrammeState state = ProgrammeState::kAwaitingOpinion;
  std::string submitted_by;
  Time submitted_at;
  std::optional<ProgrammeOpinion> opinion;
  std::optional<ProgrammeDecision> decision;
  std::optional<ProgrammeSuspension> suspension;  // the last one
  std::optional<ProgrammeResumption> resumption;  // the last one
  std::optional<ProgrammeClosure> closure;
  std::vector<std::string> agents;           // assigned rnd_agent principal ids
  std::vector<rules::Violation> violations;  // why the law refused it on submission
};

// The programme's record body (doc/formats/rnd.md), which is also what the
// API answers (without "violations").
boost::json::object ProgrammeJson(const Programme& p);

class Rnd {
 public:
  Rnd(store::Store& store, const rules::Rulebook& book, const Clock& clock, IdGenerator& ids);

  // service_agent, for its own service. Empty title, purpose or technical
  // parameters, or an unknown service: InvalidArgument, nothing stored. A
  // service that is not first-circle (when rnd.first_circle_only), or no
  // algorithm criteria when rnd.algorithm_criteria_required: stored as
  // refused with its violations, `rnd.programme.refused`.
  Result<Outcome<Programme>> SubmitProgramme(const Principal& actor, const ProgrammeDraft& draft);
  // cnctr, on a programme awaiting its opinion. `rnd.programme.opinion`.
  Result<Programme> GiveProgrammeOpinion(const Principal& actor, const std::string& id,
                                         authz::Verdict verdict, const std::string& reasons);
  // pm; never the drafter nor the opinion's author (PermissionDenied). No
  // opinion yet: refused (L. 822-2 III), nothing stored.
  // `rnd.programme.granted` or `rnd.programme.refused`.
  Result<Outcome<Programme>> DecideProgramme(const Principal& actor, const std::string& id,
                                             bool grant, const std::string& reasons);
  // admin or pm: assigns an rnd_agent of the programme's service to a
  // granted programme (L. 822-2 III: agents specially cleared and assigned
  // to that work). `rnd.agent.assigned`.
  Result<Programme> AssignAgent(const Principal& actor, const std::string& id,
                                const std::string& agent_id);

  // Inside the caller's write transaction (service/recommendation.h): the
  // CNCTR's suspend_programme recommendation (L. 822-2 III, L. 833-6) takes
  // effect at once: every read of the programme's data is refused from this
  // commit on. cnctr only; a programme not granted: FailedPrecondition.
  // Appends `rnd.programme.suspended`.
  Result<Programme> SuspendProgramme(store::WriteTx& tx, const Principal& actor,
                                     const std::string& id, const std::string& recommendation_id,
                                     Time now);

  // cnctr: lifts the suspension of a suspended programme (FailedPrecondition
  // otherwise), for `reasons` (required; the ledger keeps their hash): agents
  // read again from this commit on. Only the CNCTR: the suspension is its
  // act (L. 822-2 III: it checks the programme's compliance and recommends
  // the suspension), so only its finding that the programme complies again
  // lifts it; the PM's authorisation stands throughout and does not.
  // `rnd.programme.resumed`.
  Result<Programme> ResumeProgramme(const Principal& actor, const std::string& id,
                                    const std::string& reasons);

  // Reads. cnctr, pm: every programme, whole. service_agent: its service's.
  // rnd_agent: the programmes it is assigned to. admin: every programme,
  // without the opinion's and decision's reasons (PRODUCT.md: an
  // administrator reads no opinion or decision text); the rnd_agent does
  // not see them either.
  Result<Programme> GetProgramme(const Principal& actor, const std::string& id);
  Result<std::vector<Programme>> ListProgrammes(const Principal& actor,
                                                std::optional<ProgrammeState> state = {},
                                                const Page& page = {});

  // For the R&D copies (service/rnd_copy.h): the programme, within `tx`.
  static Result<Programme> Load(store::ReadTx& tx, const std::string& id);
  // Its store record (kind rnd_programme), for a change made there.
  static store::Record Record(const Programme& p);

 private:
  store::Store& store_;
  const rules::Rulebook& book_;
  const Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace cloison::service
