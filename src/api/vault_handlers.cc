// Handlers of the vault (API.md: items, holds, the retention sweep,
// destructions; service/vault.h). Each parses its input strictly, calls one
// use case and shapes the answer. The roles are checked twice, by the access
// table and by the use case; the law (the ingest gate, deadlines) is decided
// below. Answers carry metadata only, never content, except GET
// /items/{id}/content, whose every read the vault puts in the ledger.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/errors.h"
#include "api/json.h"
#include "api/params.h"
#include "service/rnd_json.h"

namespace cloison::api {
namespace json = boost::json;
namespace {

constexpr std::string_view kOctetStream = "application/octet-stream";
constexpr std::string_view kSealed = "application/cloison-sealed";

std::string_view MediaType(std::string_view content_type) {
  std::string_view base = content_type.substr(0, content_type.find(';'));
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  return base;
}


// An item's metadata as the API shows it: where it is stored (bucket,
// offsets) stays inside the vault.
json::object ItemJson(const service::ItemMeta& m) {
  return json::object{
      {"id", m.id},
      {"authorisation", m.authorisation},
      {"technique", m.technique},
      {"service", m.service},
      {"minister", m.minister},
      {"kind", rules::ItemKindName(m.kind)},
      {"target", m.target},
      {"collected_at", FormatTime(m.collected_at)},
      {"ingested_at", FormatTime(m.ingested_at)},
      {"state", m.state},
      {"arrived_sealed", m.arrived_sealed},
      {"encrypted", m.encrypted},
      {"decrypted_at", service::OptTimeJson(m.decrypted_at)},
      {"destroy_by", FormatTime(m.deadline.destroy_by)},
      {"rule", m.deadline.rule},
      {"article", m.deadline.article},
      {"analysis_until", service::OptTimeJson(m.analysis_until)},
      {"holds", service::StringsJson(m.holds)},
      {"size", m.size},
      {"envelope_sha256", m.envelope_sha256},
  };
}

json::object HoldJson(const service::Hold& h) {
  return json::object{{"id", h.id},
                      {"case", h.case_ref},
                      {"items", service::StringsJson(h.items)},
                      {"state", h.state},
                      {"placed_by", h.placed_by},
                      {"placed_at", FormatTime(h.placed_at)},
                      {"released_at", service::OptTimeJson(h.released_at)}};
}

json::object DestructionJson(const service::Destruction& d) {
  return json::object{{"item", d.item},
                      {"kind", d.kind},
                      {"technique", d.technique},
                      {"authorisation", d.authorisation},
                      {"service", d.service},
                      {"envelope_sha256", d.envelope_sha256},
                      {"collected_at", FormatTime(d.collected_at)},
                      {"reason", d.reason},
                      {"rule", d.rule},
                      {"article", d.article},
                      {"destroy_by", FormatTime(d.destroy_by)},
                      {"destroyed_at", FormatTime(d.destroyed_at)},
                      {"late", d.late},
                      {"method", d.method},
                      {"bucket", d.bucket},
                      {"root_epoch", d.root_epoch},
                      {"recommendation", d.recommendation},
                      {"actor", d.actor},
                      {"ledger_index", d.ledger_index}};
}

// A body that must be empty or {} (actions without parameters).
Status NoFields(const Call& c) {
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body, true));
  return FieldReader(v).Finish();
}

// `name=true|false`, absent: false.
Result<bool> QueryBool(const Call& c, std::string_view name) {
  auto it = c.query.find(name);
  if (it == c.query.end() || it->second == "false") return false;
  if (it->second == "true") return true;
  return Status::InvalidArgument(std::string(name) + ": got \"" + it->second +
                                 "\", want true or false");
}

Result<std::string> QueryStr(const Call& c, std::string_view name, std::string_view want) {
  auto it = c.query.find(name);
  if (it == c.query.end() || it->second.empty())
    return Status::InvalidArgument(std::string(name) + ": missing, want " + std::string(want));
  return it->second;
}

}  // namespace

Result<HttpResponse> Api::IngestItem(const Call& c) {
  service::IngestInput in;
  ASSIGN_OR_RETURN(std::optional<HttpResponse> refused, ParseIngest(c, in));
  if (refused) return std::move(*refused);
  // Committed with the items other requests sent meanwhile (group commit,
  // api/ingest_batcher.h); answered only once durable, as Vault::Ingest.
  // The server takes the asynchronous way (Api::HandleAsync); this one
  // serves in-process callers of Handle.
  return IngestAnswer(ingest_batcher_->Ingest(*c.principal, in));
}

Result<std::optional<HttpResponse>> Api::ParseIngest(const Call& c, service::IngestInput& in) {
  RETURN_IF_ERROR(CheckQuery(c, {"authorisation", "kind", "collected_at", "target", "encrypted"}));
  ASSIGN_OR_RETURN(in.authorisation, QueryStr(c, "authorisation", "the authorisation's id"));
  ASSIGN_OR_RETURN(in.kind, QueryStr(c, "kind",
                                     "one of correspondence, connection_data, computer_data, "
                                     "sound_image, url, location"));
  ASSIGN_OR_RETURN(std::optional<Time> collected, QueryTime(c, "collected_at", true));
  in.collected_at = *collected;
  if (auto it = c.query.find("target"); it != c.query.end()) in.target = it->second;
  ASSIGN_OR_RETURN(in.encrypted, QueryBool(c, "encrypted"));
  std::string_view media = MediaType(c.content_type);
  if (media == kSealed) {
    in.sealed = true;
  } else if (media != kOctetStream) {
    return std::optional<HttpResponse>(ErrorResponse(
        HttpError::kUnsupportedMediaType,
        "Content-Type: got \"" + std::string(c.content_type) + "\", want " +
            std::string(kOctetStream) + " (the content) or " + std::string(kSealed) +
            " (sealed for the centralising service)"));
  }
  if (c.body.empty()) return Status::InvalidArgument("body: empty, want the item's bytes");
  // The transport refuses a larger body before reading it; this catches
  // callers that bypass it (tests, the fuzzer).
  if (c.body.size() > options_.vault->options().max_item_size)
    return std::optional<HttpResponse>(BodyTooLarge("POST", "/v1/items", c.body.size()));
  in.bytes =
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(c.body.data()), c.body.size());
  return std::optional<HttpResponse>();
}

Result<HttpResponse> Api::IngestAnswer(Result<service::Outcome<service::Ingested>> result) {
  ASSIGN_OR_RETURN(auto out, std::move(result));
  // The gate's refusal is in the ledger (item.refused); nothing is stored,
  // so there is no subject to name.
  if (out.refused()) return LegalRefusal(out.violations);
  HttpResponse r =
      JsonResponse(201, json::object{{"id", out.value.id},
                                     {"state", out.value.state},
                                     {"destroy_by", FormatTime(out.value.destroy_by)}});
  r.headers.emplace_back("Location", "/v1/items/" + out.value.id);
  return r;
}

Result<HttpResponse> Api::GetItem(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  ASSIGN_OR_RETURN(service::ItemMeta m, options_.vault->GetItem(*c.principal, c.param("id")));
  return JsonResponse(200, ItemJson(m));
}

Result<HttpResponse> Api::GetItemContent(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  ASSIGN_OR_RETURN(crypto::SecretBytes content,
                   options_.vault->ReadContent(*c.principal, c.param("id")));
  HttpResponse r;
  r.content_type = std::string(kOctetStream);
  r.body.assign(reinterpret_cast<const char*>(content.view().data()), content.size());
  return r;
}

Result<HttpResponse> Api::OpenSealedItem(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  RETURN_IF_ERROR(NoFields(c));
  ASSIGN_OR_RETURN(service::ItemMeta m, options_.vault->OpenSealed(*c.principal, c.param("id")));
  return JsonResponse(200, ItemJson(m));
}

Result<HttpResponse> Api::RecordDecryption(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body));
  FieldReader r(v);
  auto at = r.TimeField("decrypted_at");
  RETURN_IF_ERROR(r.Finish());
  ASSIGN_OR_RETURN(service::ItemMeta m,
                   options_.vault->RecordDecryption(*c.principal, c.param("id"), *at));
  return JsonResponse(200, ItemJson(m));
}

Result<HttpResponse> Api::RecordTechnicalAnalysis(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body));
  FieldReader r(v);
  std::string justification = r.Str("justification");
  auto until = r.TimeField("until");
  RETURN_IF_ERROR(r.Finish());
  if (justification.empty()) return Status::InvalidArgument("justification: empty");
  ASSIGN_OR_RETURN(service::ItemMeta m, options_.vault->TechnicalAnalysis(
                                            *c.principal, c.param("id"), justification, *until));
  return JsonResponse(200, ItemJson(m));
}

Result<HttpResponse> Api::MarkItemUnrelated(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  RETURN_IF_ERROR(NoFields(c));
  ASSIGN_OR_RETURN(service::Destruction d,
                   options_.vault->MarkUnrelated(*c.principal, c.param("id")));
  return JsonResponse(200, DestructionJson(d));
}

Result<HttpResponse> Api::PlaceHold(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  ASSIGN_OR_RETURN(json::value v, ParseJsonBody(c.body));
  // `items` is an array of strings, which FieldReader does not read: take
  // it out and check it here, and let FieldReader check the rest.
  std::vector<std::string> items;
  bool have_items = false;
  if (v.is_object()) {
    json::object& o = v.as_object();
    if (auto* a = o.if_contains("items")) {
      if (!a->is_array())
        return Status::InvalidArgument("items: got " + std::string(KindName(*a)) +
                                       ", want an array of item ids");
      for (size_t i = 0; i < a->as_array().size(); ++i) {
        const json::value& e = a->as_array()[i];
        if (!e.is_string() || e.as_string().empty())
          return Status::InvalidArgument("items[" + std::to_string(i) +
                                         "]: want a non-empty item id");
        items.emplace_back(e.as_string());
      }
      have_items = true;
      o.erase("items");
    }
  }
  FieldReader r(v);
  std::string case_ref = r.Str("case");
  RETURN_IF_ERROR(r.Finish());
  if (case_ref.empty()) return Status::InvalidArgument("case: empty, want the case reference");
  if (!have_items || items.empty())
    return Status::InvalidArgument("items: missing or empty, want the ids of the items to hold");
  ASSIGN_OR_RETURN(service::Hold hold, options_.vault->PlaceHold(*c.principal, case_ref, items));
  HttpResponse resp = JsonResponse(201, HoldJson(hold));
  resp.headers.emplace_back("Location", "/v1/holds/" + hold.id);
  return resp;
}

Result<HttpResponse> Api::GetHold(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  ASSIGN_OR_RETURN(service::Hold hold, options_.vault->GetHold(*c.principal, c.param("id")));
  return JsonResponse(200, HoldJson(hold));
}

Result<HttpResponse> Api::ReleaseHold(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  RETURN_IF_ERROR(NoFields(c));
  ASSIGN_OR_RETURN(service::Hold hold, options_.vault->ReleaseHold(*c.principal, c.param("id")));
  return JsonResponse(200, HoldJson(hold));
}

Result<HttpResponse> Api::SweepRetention(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {}));
  RETURN_IF_ERROR(NoFields(c));
  service::SweepResult swept;
  {
    // The scheduled sweep and this one never overlap.
    std::lock_guard lock(sweep_mu_);
    ASSIGN_OR_RETURN(swept, options_.vault->Sweep(*c.principal));
  }
  return JsonResponse(200, json::object{{"destroyed", swept.items},
                                        {"buckets", swept.buckets},
                                        {"root_epoch", swept.root_epoch}});
}

Result<HttpResponse> Api::ListDestructions(const Call& c) {
  RETURN_IF_ERROR(CheckQuery(c, {"since", "limit", "after"}));
  ASSIGN_OR_RETURN(PageQuery page, ReadPage(c, options_.page_size, options_.max_page_size));
  ASSIGN_OR_RETURN(std::optional<Time> since, QueryTime(c, "since", false));
  // One more than the page, to know whether another page follows.
  service::Page want{page.after, static_cast<int>(page.limit) + 1};
  ASSIGN_OR_RETURN(
      std::vector<service::Destruction> all,
      options_.vault->ListDestructions(*c.principal, since.value_or(FromMicros(0)), want));
  json::array out;
  for (size_t i = 0; i < all.size() && i < page.limit; ++i) out.push_back(DestructionJson(all[i]));
  json::object o{{"items", std::move(out)}};
  if (all.size() > page.limit) o["next"] = all[page.limit - 1].item;
  return JsonResponse(200, o);
}

}  // namespace cloison::api
