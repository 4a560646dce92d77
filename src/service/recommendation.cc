#include "service/recommendation.h"

#include <array>
#include <utility>

#include "crypto/sha256.h"
#include "service/event.h"
#include "service/exploitation_records.h"
#include "service/rnd_json.h"

namespace cloison::service {
namespace json = boost::json;
namespace {

constexpr std::array<std::pair<RecommendationKind, std::string_view>, 3> kKinds{{
    {RecommendationKind::kInterrupt, "interrupt"},
    {RecommendationKind::kDestroy, "destroy"},
    {RecommendationKind::kSuspendProgramme, "suspend_programme"},
}};

store::Record RecordOf(const Recommendation& r) {
  json::object o{{"id", r.id},           {"kind", RecommendationKindName(r.kind)},
                 {"target", r.target},   {"reasons", r.reasons},
                 {"made_by", r.made_by}, {"made_at", FormatTime(r.made_at)},
                 {"state", r.state},     {"destroys", StringsJson(r.destroys)}};
  o["follow_up"] = nullptr;
  if (r.follow_up)
    o["follow_up"] = json::object{{"response", r.follow_up->response},
                                  {"by", r.follow_up->by},
                                  {"at", FormatTime(r.follow_up->at)}};
  store::Record rec;
  rec.kind = kRecommendationKind;
  rec.id = r.id;
  rec.state = r.state;
  rec.group = r.target;
  rec.starts_at = ToMicros(r.made_at);
  rec.body = json::serialize(o);
  return rec;
}

Result<Recommendation> FromRecord(const store::Record& rec) {
  std::string what = std::string(kRecommendationKind) + " " + rec.id;
  ASSIGN_OR_RETURN(json::object o, ParseObject(rec.body, what));
  JsonFields f(o, what);
  Recommendation r;
  r.id = f.Str("id");
  auto kind = ParseRecommendationKind(f.Str("kind"));
  r.target = f.Str("target");
  r.reasons = f.Str("reasons");
  r.made_by = f.Str("made_by");
  r.made_at = f.At("made_at");
  r.state = f.Str("state");
  r.destroys = f.Strs("destroys");
  if (const json::object* fu = f.Obj("follow_up")) {
    JsonFields g(*fu, what + " follow_up");
    r.follow_up = FollowUp{g.Str("response"), g.Str("by"), g.At("at")};
    RETURN_IF_ERROR(g.status());
  }
  RETURN_IF_ERROR(f.status());
  if (!kind) return Status::Corruption(what + ": kind: unknown");
  r.kind = *kind;
  return r;
}

Result<Recommendation> Load(store::ReadTx& tx, const std::string& id) {
  auto rec = tx.Get(kRecommendationKind, id);
  if (!rec.ok()) {
    if (rec.status().code() == Code::kNotFound)
      return Status::NotFound("recommendation: no recommendation " + id);
    return rec.status();
  }
  return FromRecord(*rec);
}

}  // namespace

std::string_view RecommendationKindName(RecommendationKind k) {
  for (const auto& [kind, name] : kKinds)
    if (kind == k) return name;
  return "?";
}

std::optional<RecommendationKind> ParseRecommendationKind(std::string_view s) {
  for (const auto& [kind, name] : kKinds)
    if (name == s) return kind;
  return std::nullopt;
}

Recommendations::Recommendations(store::Store& store, const Clock& clock, IdGenerator& ids,
                                 Vault& vault, Exploitation& exploitation, Rnd& rnd)
    : store_(store),
      clock_(clock),
      ids_(ids),
      vault_(vault),
      exploitation_(exploitation),
      rnd_(rnd) {}

Result<Recommendation> Recommendations::Make(const Principal& actor, std::string_view kind_name,
                                             const std::string& target,
                                             const std::string& reasons) {
  RETURN_IF_ERROR(AllowRoles(actor, {Role::kCnctr}, "make recommendations"));
  auto kind = ParseRecommendationKind(kind_name);
  if (!kind)
    return Status::InvalidArgument("kind: got \"" + std::string(kind_name) +
                                   "\", want interrupt, destroy or suspend_programme");
  if (target.empty()) return Status::InvalidArgument("target: missing, want an id");
  if (reasons.empty()) return Status::InvalidArgument("reasons: missing, want the reasons");
  RETURN_IF_ERROR(vault_.Open());
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  Time now = clock_.Now();
  Recommendation r;
  r.id = ids_.Next("rec");
  r.kind = *kind;
  r.target = target;
  r.reasons = reasons;
  r.made_by = actor.id;
  r.made_at = now;
  r.state = "executed";
  std::vector<std::string> transcriptions;  // destroyed in this transaction
  bool destroy_item = false;
  switch (*kind) {
    case RecommendationKind::kInterrupt: {
      // L. 833-6: the PM answers; the authorisation must exist.
      auto a = tx->Get("authorisation", target);
      if (!a.ok()) {
        if (a.status().code() == Code::kNotFound)
          return Status::NotFound("target: no authorisation " + target);
        return a.status();
      }
      r.state = "awaiting_follow_up";
      break;
    }
    case RecommendationKind::kDestroy: {
      if (tx->Get(kTranscriptionKind, target).ok()) {
        // An irregular transcription or extraction (L. 833-6).
        RETURN_IF_ERROR(vault_.LoadItem(*tx, target).status());
        transcriptions.push_back(target);
      } else {
        ASSIGN_OR_RETURN(ItemMeta m, vault_.LoadItem(*tx, target));
        // L. 822-2 II: data tied to a case before the Conseil d'État is not
        // destroyed while the case lasts.
        if (m.state == kItemHeld)
          return Status::FailedPrecondition("target: item " + target +
                                            " is held (L. 822-2 II): release its holds first");
        destroy_item = true;
        // Its transcriptions and extractions go with it at the latest.
        ASSIGN_OR_RETURN(auto kept, exploitation_.KeptOf(*tx, target));
        for (const auto& t : kept) transcriptions.push_back(t.id);
      }
      if (destroy_item) r.destroys.push_back(target);
      r.destroys.insert(r.destroys.end(), transcriptions.begin(), transcriptions.end());
      break;
    }
    case RecommendationKind::kSuspendProgramme:
      break;
  }
  store::Record rec = RecordOf(r);
  RETURN_IF_ERROR(tx->Put(rec));
  RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {"recommendation.made", actor.id, r.id}, rec,
                              {{"kind", RecommendationKindName(r.kind)},
                               {"target", target},
                               {"destroys", StringsJson(r.destroys)},
                               {"reasons_sha256", crypto::Hex(crypto::Sha256(reasons))}})
                      .status());
  if (*kind == RecommendationKind::kSuspendProgramme)
    RETURN_IF_ERROR(rnd_.SuspendProgramme(*tx, actor, target, r.id, now).status());
  for (const auto& t : transcriptions)
    RETURN_IF_ERROR(exploitation_.DestroyTranscriptionIn(*tx, actor.id, t, r.id, now).status());
  RETURN_IF_ERROR(tx->Commit());
  if (destroy_item) {
    // The vault allows this to the gic or the pm; the destruction is the
    // recommendation's effect, recorded under the recommending member's id.
    Principal executor{actor.id, actor.name, Role::kGic, "", ""};
    RETURN_IF_ERROR(vault_.DestroyOnRecommendation(executor, target, r.id).status());
  }
  return r;
}

Result<Recommendation> Recommendations::RecordFollowUp(const Principal& actor,
                                                       const std::string& id,
                                                       const std::string& response) {
  RETURN_IF_ERROR(AllowRoles(actor, {Role::kPm}, "record follow-ups of recommendations"));
  if (response.empty()) return Status::InvalidArgument("response: missing, want the follow-up");
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  Time now = clock_.Now();
  ASSIGN_OR_RETURN(Recommendation r, Load(*tx, id));
  if (r.state != "awaiting_follow_up")
    return Status::FailedPrecondition("recommendation " + id + " is " + r.state +
                                      ", want awaiting_follow_up");
  r.state = "followed_up";
  r.follow_up = FollowUp{response, actor.id, now};
  store::Record rec = RecordOf(r);
  RETURN_IF_ERROR(tx->Put(rec));
  RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {"recommendation.followed_up", actor.id, r.id}, rec,
                              {{"kind", RecommendationKindName(r.kind)},
                               {"target", r.target},
                               {"response_sha256", crypto::Hex(crypto::Sha256(response))}})
                      .status());
  RETURN_IF_ERROR(tx->Commit());
  return r;
}

Result<std::vector<Recommendation>> Recommendations::List(const Principal& actor,
                                                          bool awaiting_only, const Page& page) {
  RETURN_IF_ERROR(AllowRoles(actor, {Role::kCnctr, Role::kPm}, "read recommendations"));
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  store::Filter f;
  f.kind = kRecommendationKind;
  if (awaiting_only) f.states = {"awaiting_follow_up"};
  f.after_id = page.after_id;
  f.limit = page.limit;
  ASSIGN_OR_RETURN(auto recs, tx->List(f));
  std::vector<Recommendation> out;
  for (const auto& rec : recs) {
    ASSIGN_OR_RETURN(Recommendation r, FromRecord(rec));
    out.push_back(std::move(r));
  }
  return out;
}

Result<Recommendation> Recommendations::Get(const Principal& actor, const std::string& id) {
  RETURN_IF_ERROR(AllowRoles(actor, {Role::kCnctr, Role::kPm}, "read recommendations"));
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  return Load(*tx, id);
}

}  // namespace cloison::service
