// The authorisation workflow's values: request -> opinion -> decision ->
// authorisation (L. 821-1 to L. 821-7), and quotas. Plain values, no I/O;
// codec.h turns them into the JSON bodies the store keeps.
//
// States follow the ETSI TS 103 120 AuthorisationStatus dictionary
// (AwaitingApproval, EmergencyApproval, Approved, Rejected, Suspended,
// Cancelled, Expired, Invalid) plus the French steps.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "rules/rulebook.h"

namespace cloison::authz {

using rules::Violation;

struct Target {
  std::string type;   // "person" "identifier" "place" "vehicle" "status"
  std::string value;
  bool operator==(const Target&) const = default;
};

// What the requester submits (API.md POST /requests).
struct RequestDraft {
  std::string service;
  std::string minister;
  std::string technique;
  std::vector<std::string> purposes;
  std::vector<Target> targets;
  std::string grounds;
  int duration_days = 0;
  std::string subsidiarity;                  // L. 852-3: why L. 852-1 I cannot be used
  std::string deferred_centralisation_reason; // L. 852-3: why centralisation is deferred
  bool protected_profession = false;         // L. 821-7
  bool urgency = false;                      // L. 821-5 absolute urgency asked for
  std::string renews;                        // authorisation id, for a renewal
  std::string renewal_reasons;               // L. 821-2: why renewal is justified
};

enum class RequestState {
  kAwaitingOpinion,  // ETSI AwaitingApproval, before the CNCTR's opinion
  kOpinionGiven,     // AwaitingApproval, opinion given, waiting for the PM
  kGranted,          // an authorisation was issued
  kRefused,          // ETSI Rejected: the PM refused, or the law forbade it
  kWithdrawn,        // ETSI Cancelled before any decision
};
std::string_view RequestStateName(RequestState s);
std::optional<RequestState> ParseRequestState(std::string_view s);

enum class Verdict { kFavourable, kUnfavourable };
enum class Formation { kSingle, kRestricted, kPlenary };
std::string_view VerdictName(Verdict v);
std::string_view FormationName(Formation f);
std::optional<Verdict> ParseVerdict(std::string_view s);
std::optional<Formation> ParseFormation(std::string_view s);

struct Opinion {
  Verdict verdict = Verdict::kFavourable;
  Formation formation = Formation::kSingle;
  std::string reasons;
  std::string by;   // principal id
  Time at;
  bool deemed = false;  // no opinion in time: deemed given (L. 821-3)
};

struct DecisionInput {
  bool grant = false;
  std::string reasons;
  bool immediate_execution = false;  // L. 821-1: urgency despite an unfavourable opinion
};

struct DecisionRecord {
  bool grant = false;
  std::string reasons;
  bool immediate_execution = false;
  std::string by;
  Time at;
  std::vector<Violation> violations;  // why the law refused, if it did
};

struct Request {
  std::string id;
  RequestDraft draft;
  RequestState state = RequestState::kAwaitingOpinion;
  std::string drafted_by;  // principal id
  Time created_at;
  Time opinion_due;        // 24 h or 72 h after created_at (L. 821-3)
  std::optional<Opinion> opinion;
  std::optional<DecisionRecord> decision;
  std::string authorisation;  // id of the authorisation it produced
};

enum class AuthorisationState {
  kAwaitingConseilEtat,  // granted against an unfavourable opinion; waits 24 h (L. 821-1)
  kEmergencyApproval,    // absolute urgency, no prior opinion (L. 821-5)
  kApproved,             // in force between starts_at and ends_at
  kSuspended,
  kCancelled,            // terminated by the PM
  kExpired,              // ends_at passed (derived at read time, then stored)
};
std::string_view AuthorisationStateName(AuthorisationState s);
std::optional<AuthorisationState> ParseAuthorisationState(std::string_view s);

struct Authorisation {
  std::string id;
  std::string request;
  std::string technique;
  std::string service;
  std::string minister;
  std::vector<std::string> purposes;
  AuthorisationState state = AuthorisationState::kApproved;
  Time granted_at;
  Time starts_at;   // when the technique may start (after the Conseil d'État's 24 h if it applies)
  Time ends_at;     // starts_at + duration, capped by the rulebook
  bool urgency = false;
  std::optional<Time> justification_due;  // urgency: reasons to the CNCTR within 24 h
  std::optional<Time> justified_at;
  std::optional<Time> conseil_etat_due;
  std::string renews;      // previous authorisation id
  std::optional<Time> terminated_at;
};

// PM's quota decision for one technique (L. 852-1 I, L. 852-3, L. 851-6 (sec.)).
struct Quota {
  std::string technique;
  int limit = 0;
  std::map<std::string, int> allocation;  // minister -> share; sum <= limit
  std::string cnctr_opinion_ref;          // reference to the CNCTR's opinion
  std::string set_by;
  Time set_at;
};

}  // namespace cloison::authz
