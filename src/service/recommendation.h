// CNCTR recommendations (L. 833-6): interrupt a technique, destroy data
// (items, or irregular transcriptions and extractions), suspend an R&D
// programme (L. 822-2 III). The CNCTR makes them; the destruction and the
// suspension take effect at once; an interruption waits for the Prime
// Minister, who reports the follow-up without delay (L. 833-6; without it
// the CNCTR may seize the Conseil d'État, L. 833-8). Formats:
// doc/exploitation.md, "Recommendations".
//
// One write transaction per recommendation, its record and
// `recommendation.made` (kind, target, reasons_sha256: never the reasons'
// text) with what it causes: `rnd.programme.suspended`, or the destruction
// of transcriptions (`transcription.destroyed`). An item's destruction goes
// through Vault::DestroyOnRecommendation, which opens its own transaction:
// it runs right after the recommendation commits (the recommendation is on
// record even if the destruction then fails; its record lists what was to
// be destroyed, and the destruction records name the recommendation).
//
// Errors: PermissionDenied (role), NotFound (unknown target or
// recommendation), InvalidArgument naming the field (unknown kind, empty
// target or reasons), FailedPrecondition (a programme not granted; an item
// under a hold, L. 822-2 II; a follow-up given twice), the vault's destroyed
// error for a target already gone. Bad input changes nothing.
//
// Thread-safety: thread-safe if the Store, Vault, Exploitation and Rnd are.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/id.h"
#include "base/status.h"
#include "service/exploitation.h"
#include "service/principal.h"
#include "service/rnd.h"
#include "service/vault.h"
#include "service/workflow.h"
#include "store/store.h"

namespace cloison::service {

inline constexpr char kRecommendationKind[] = "recommendation";

enum class RecommendationKind { kInterrupt, kDestroy, kSuspendProgramme };
std::string_view RecommendationKindName(RecommendationKind k);
std::optional<RecommendationKind> ParseRecommendationKind(std::string_view s);

struct FollowUp {
  std::string response;
  std::string by;
  Time at;
};

struct Recommendation {
  std::string id;  // "rec_..."
  RecommendationKind kind = RecommendationKind::kInterrupt;
  std::string target;  // authorisation, item / transcription, or programme id
  std::string reasons;
  std::string made_by;
  Time made_at;
  // "awaiting_follow_up" (interrupt), "followed_up", "executed" (destroy,
  // suspend_programme).
  std::string state;
  // destroy: what it destroys (the item and its kept transcriptions and
  // extractions, or the one transcription).
  std::vector<std::string> destroys;
  std::optional<FollowUp> follow_up;
};

class Recommendations {
 public:
  Recommendations(store::Store& store, const Clock& clock, IdGenerator& ids, Vault& vault,
                  Exploitation& exploitation, Rnd& rnd);

  // cnctr (POST /recommendations {kind, target, reasons}).
  Result<Recommendation> Make(const Principal& actor, std::string_view kind,
                              const std::string& target, const std::string& reasons);
  // pm: the follow-up of an interruption. `recommendation.followed_up`
  // (response_sha256).
  Result<Recommendation> RecordFollowUp(const Principal& actor, const std::string& id,
                                        const std::string& response);
  // cnctr, pm. `awaiting_only`: the interruptions without a follow-up (the
  // PM's list).
  Result<std::vector<Recommendation>> List(const Principal& actor, bool awaiting_only = false,
                                           const Page& page = {});
  Result<Recommendation> Get(const Principal& actor, const std::string& id);

 private:
  store::Store& store_;
  const Clock& clock_;
  IdGenerator& ids_;
  Vault& vault_;
  Exploitation& exploitation_;
  Rnd& rnd_;
};

}  // namespace cloison::service
