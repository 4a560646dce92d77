#include "service/codec.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <set>

namespace cloison::service {
namespace json = boost::json;
namespace {

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::value OptTime(const std::optional<Time>& t) {
  if (!t) return nullptr;
  return json::value(FormatTime(*t));
}

// Reads fields of one JSON object, remembering the first problem. Every
// message names the field: "draft.duration_days: got string, want integer".
class Reader {
 public:
  Reader(const json::value& v, std::string path, Code code) : path_(std::move(path)), code_(code) {
    if (!v.is_object()) {
      Fail(path_, "got " + Kind(v) + ", want an object");
    } else {
      obj_ = &v.as_object();
    }
  }

  std::string Str(std::string_view key, bool required = true) {
    const json::value* v = Find(key, required);
    if (!v) return {};
    if (!v->is_string()) return Fail(Name(key), "got " + Kind(*v) + ", want a string"), "";
    return std::string(v->as_string());
  }
  int64_t Int(std::string_view key, bool required = true) {
    const json::value* v = Find(key, required);
    if (!v) return 0;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= INT64_MAX) return static_cast<int64_t>(v->as_uint64());
    Fail(Name(key), "got " + Kind(*v) + ", want an integer");
    return 0;
  }
  int IntRange(std::string_view key, int64_t lo, int64_t hi, bool required = true) {
    int64_t n = Int(key, required);
    if (n < lo || n > hi) {
      Fail(Name(key), "got " + std::to_string(n) + ", want " + std::to_string(lo) + ".." +
                          std::to_string(hi));
      return 0;
    }
    return static_cast<int>(n);
  }
  bool Bool(std::string_view key, bool required = true) {
    const json::value* v = Find(key, required);
    if (!v) return false;
    if (!v->is_bool()) return Fail(Name(key), "got " + Kind(*v) + ", want true or false"), false;
    return v->as_bool();
  }
  Time TimeField(std::string_view key) {
    auto t = OptTimeField(key, true);
    return t ? *t : Time{};
  }
  std::optional<Time> OptTimeField(std::string_view key, bool required = false) {
    const json::value* v = Find(key, required);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) return Fail(Name(key), "got " + Kind(*v) + ", want a time"), std::nullopt;
    auto t = ParseTime(std::string_view(v->as_string()), Name(key));
    if (!t.ok()) return Fail(t.status().message()), std::nullopt;
    return *t;
  }
  std::vector<std::string> Strs(std::string_view key, bool required = true) {
    std::vector<std::string> out;
    const json::value* v = Find(key, required);
    if (!v) return out;
    if (!v->is_array()) return Fail(Name(key), "got " + Kind(*v) + ", want an array of strings"), out;
    for (size_t i = 0; i < v->as_array().size(); ++i) {
      const auto& e = v->as_array()[i];
      if (!e.is_string()) {
        Fail(Name(key) + "[" + std::to_string(i) + "]", "got " + Kind(e) + ", want a string");
        return {};
      }
      out.emplace_back(e.as_string());
    }
    return out;
  }
  const json::value* Raw(std::string_view key, bool required = true) { return Find(key, required); }
  std::string Name(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  // Unknown fields are errors in client input (a typo must not pass silently).
  void RejectUnknown() {
    if (!obj_) return;
    for (const auto& kv : *obj_) {
      if (!seen_.count(std::string(kv.key())))
        return Fail(Name(kv.key()), "unknown field");
    }
  }
  void Fail(const std::string& field, const std::string& what) { Fail(field + ": " + what); }
  void Fail(const std::string& message) {
    if (status_.ok()) status_ = Status(code_, message);
  }
  const Status& status() const { return status_; }

  static std::string Kind(const json::value& v) {
    switch (v.kind()) {
      case json::kind::null: return "null";
      case json::kind::bool_: return "a boolean";
      case json::kind::int64:
      case json::kind::uint64: return "an integer";
      case json::kind::double_: return "a number";
      case json::kind::string: return "a string";
      case json::kind::array: return "an array";
      case json::kind::object: return "an object";
    }
    return "?";
  }

 private:
  const json::value* Find(std::string_view key, bool required) {
    seen_.insert(std::string(key));
    if (!obj_) return nullptr;
    const json::value* v = obj_->if_contains(key);
    if (!v && required) Fail(Name(key), "missing");
    return v;
  }

  const json::object* obj_ = nullptr;
  std::string path_;
  Code code_;
  Status status_;
  std::set<std::string> seen_;
};

Result<json::value> ParseBody(const std::string& body, std::string_view what) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return Status::Corruption(std::string(what) + ": stored body is not JSON: " + ec.message());
  return v;
}

authz::RequestDraft ReadDraft(Reader& r) {
  authz::RequestDraft d;
  d.service = r.Str("service");
  d.minister = r.Str("minister");
  d.technique = r.Str("technique");
  d.purposes = r.Strs("purposes");
  if (const json::value* t = r.Raw("targets")) {
    if (!t->is_array()) {
      r.Fail(r.Name("targets"), "got " + Reader::Kind(*t) + ", want an array of {type, value}");
    } else {
      for (size_t i = 0; i < t->as_array().size(); ++i) {
        Reader tr(t->as_array()[i], r.Name("targets") + "[" + std::to_string(i) + "]",
                  Code::kInvalidArgument);
        authz::Target target{tr.Str("type"), tr.Str("value")};
        tr.RejectUnknown();
        if (!tr.status().ok()) r.Fail(tr.status().message());
        d.targets.push_back(std::move(target));
      }
    }
  }
  d.grounds = r.Str("grounds");
  d.duration_days = r.IntRange("duration_days", 1, 3660);
  d.subsidiarity = r.Str("subsidiarity", false);
  d.deferred_centralisation_reason = r.Str("deferred_centralisation_reason", false);
  d.protected_profession = r.Bool("protected_profession", false);
  d.urgency = r.Bool("urgency", false);
  d.renews = r.Str("renews", false);
  d.renewal_reasons = r.Str("renewal_reasons", false);
  return d;
}

std::vector<rules::Violation> ReadViolations(const json::value* v) {
  std::vector<rules::Violation> out;
  if (!v || !v->is_array()) return out;
  for (const auto& e : v->as_array()) {
    if (!e.is_object()) continue;
    const auto& o = e.as_object();
    auto get = [&](const char* k) -> std::string {
      const json::value* f = o.if_contains(k);
      return f && f->is_string() ? std::string(f->as_string()) : std::string();
    };
    out.push_back({get("rule"), get("article"), get("message")});
  }
  return out;
}

// Whether any of the 8 bytes of `w` is below 0x20, '"' or '\\' (exact:
// the classic word-at-a-time tests for a zero byte and a byte below n).
bool WordNeedsEscape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  auto has_zero = [&](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  uint64_t below_space = (w - 0x20 * kOnes) & ~w & kHigh;
  return (below_space | has_zero(w ^ ('"' * kOnes)) | has_zero(w ^ ('\\' * kOnes))) != 0;
}

void Escape(std::string& out, std::string_view s) {
  out += '"';
  // Runs of characters that need no escape are appended whole; eight bytes
  // are looked at a time while none of them needs one (event and record
  // bodies are written for every ingested item).
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    while (i + 8 <= s.size()) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (WordNeedsEscape(w)) break;
      i += 8;
    }
    if (i >= s.size()) break;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void CanonicalInto(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: out += "null"; return;
    case json::kind::bool_: out += v.as_bool() ? "true" : "false"; return;
    case json::kind::int64: out += std::to_string(v.as_int64()); return;
    case json::kind::uint64: out += std::to_string(v.as_uint64()); return;
    case json::kind::double_:
      // Canonical entries carry no floating point; an integral double is
      // written as an integer, anything else is a programming error upstream.
      out += std::to_string(static_cast<int64_t>(v.as_double()));
      return;
    case json::kind::string: Escape(out, v.as_string()); return;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.as_array()) {
        if (!first) out += ',';
        first = false;
        CanonicalInto(out, e);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      // Sorted through pointers on the stack for the usual small objects.
      const json::object& o = v.as_object();
      const json::key_value_pair* small[32];
      std::vector<const json::key_value_pair*> large;
      const json::key_value_pair** kvs = small;
      if (o.size() > std::size(small)) {
        large.resize(o.size());
        kvs = large.data();
      }
      size_t n = 0;
      for (const auto& kv : o) kvs[n++] = &kv;
      std::sort(kvs, kvs + n, [](auto* a, auto* b) { return a->key() < b->key(); });
      out += '{';
      bool first = true;
      for (size_t k = 0; k < n; ++k) {
        const json::key_value_pair* kv = kvs[k];
        if (!first) out += ',';
        first = false;
        Escape(out, kv->key());
        out += ':';
        CanonicalInto(out, kv->value());
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

json::object ToJson(const authz::RequestDraft& d) {
  json::array targets;
  for (const auto& t : d.targets) targets.push_back(json::object{{"type", t.type}, {"value", t.value}});
  json::object o{{"service", d.service},
                 {"minister", d.minister},
                 {"technique", d.technique},
                 {"purposes", Strings(d.purposes)},
                 {"targets", std::move(targets)},
                 {"grounds", d.grounds},
                 {"duration_days", d.duration_days},
                 {"protected_profession", d.protected_profession},
                 {"urgency", d.urgency}};
  if (!d.subsidiarity.empty()) o["subsidiarity"] = d.subsidiarity;
  if (!d.deferred_centralisation_reason.empty())
    o["deferred_centralisation_reason"] = d.deferred_centralisation_reason;
  if (!d.renews.empty()) o["renews"] = d.renews;
  if (!d.renewal_reasons.empty()) o["renewal_reasons"] = d.renewal_reasons;
  return o;
}

json::array ToJson(const std::vector<rules::Violation>& v) {
  json::array a;
  for (const auto& x : v)
    a.push_back(json::object{{"rule", x.rule}, {"article", x.article}, {"message", x.message}});
  return a;
}

json::object ToJson(const authz::Request& r) {
  json::object o{{"id", r.id},
                 {"draft", ToJson(r.draft)},
                 {"state", std::string(authz::RequestStateName(r.state))},
                 {"drafted_by", r.drafted_by},
                 {"created_at", FormatTime(r.created_at)},
                 {"opinion_due", FormatTime(r.opinion_due)},
                 {"authorisation", r.authorisation}};
  if (r.opinion) {
    o["opinion"] = json::object{{"verdict", std::string(authz::VerdictName(r.opinion->verdict))},
                                {"formation", std::string(authz::FormationName(r.opinion->formation))},
                                {"reasons", r.opinion->reasons},
                                {"by", r.opinion->by},
                                {"at", FormatTime(r.opinion->at)},
                                {"deemed", r.opinion->deemed}};
  }
  if (r.decision) {
    o["decision"] = json::object{{"grant", r.decision->grant},
                                 {"reasons", r.decision->reasons},
                                 {"immediate_execution", r.decision->immediate_execution},
                                 {"by", r.decision->by},
                                 {"at", FormatTime(r.decision->at)},
                                 {"violations", ToJson(r.decision->violations)}};
  }
  return o;
}

json::object ToJson(const authz::Authorisation& a) {
  json::object o{{"id", a.id},
                 {"request", a.request},
                 {"technique", a.technique},
                 {"service", a.service},
                 {"minister", a.minister},
                 {"purposes", Strings(a.purposes)},
                 {"state", std::string(authz::AuthorisationStateName(a.state))},
                 {"granted_at", FormatTime(a.granted_at)},
                 {"starts_at", FormatTime(a.starts_at)},
                 {"ends_at", FormatTime(a.ends_at)},
                 {"urgency", a.urgency},
                 {"justification_due", OptTime(a.justification_due)},
                 {"justified_at", OptTime(a.justified_at)},
                 {"conseil_etat_due", OptTime(a.conseil_etat_due)},
                 {"renews", a.renews},
                 {"terminated_at", OptTime(a.terminated_at)}};
  return o;
}

json::object ToJson(const authz::Quota& q) {
  json::object alloc;
  for (const auto& [m, n] : q.allocation) alloc[m] = n;
  return json::object{{"technique", q.technique},
                      {"limit", q.limit},
                      {"allocation", std::move(alloc)},
                      {"cnctr_opinion_ref", q.cnctr_opinion_ref},
                      {"set_by", q.set_by},
                      {"set_at", FormatTime(q.set_at)}};
}

json::object ToJson(const Principal& p) {
  return json::object{{"id", p.id},
                      {"name", p.name},
                      {"role", std::string(RoleName(p.role))},
                      {"service", p.service},
                      {"minister", p.minister}};
}

Result<authz::Request> RequestFromJson(const std::string& body) {
  ASSIGN_OR_RETURN(json::value v, ParseBody(body, "request"));
  Reader r(v, "request", Code::kCorruption);
  authz::Request req;
  req.id = r.Str("id");
  if (const json::value* d = r.Raw("draft")) {
    Reader dr(*d, "request.draft", Code::kCorruption);
    req.draft = ReadDraft(dr);
    if (!dr.status().ok()) return dr.status();
  }
  auto state = authz::ParseRequestState(r.Str("state"));
  if (!state) r.Fail("request.state", "unknown state");
  req.state = state.value_or(authz::RequestState::kAwaitingOpinion);
  req.drafted_by = r.Str("drafted_by");
  req.created_at = r.TimeField("created_at");
  req.opinion_due = r.TimeField("opinion_due");
  req.authorisation = r.Str("authorisation");
  if (const json::value* o = r.Raw("opinion", false)) {
    Reader orr(*o, "request.opinion", Code::kCorruption);
    authz::Opinion op;
    auto verdict = authz::ParseVerdict(orr.Str("verdict"));
    auto formation = authz::ParseFormation(orr.Str("formation"));
    if (!verdict || !formation) orr.Fail("request.opinion", "unknown verdict or formation");
    op.verdict = verdict.value_or(authz::Verdict::kFavourable);
    op.formation = formation.value_or(authz::Formation::kSingle);
    op.reasons = orr.Str("reasons");
    op.by = orr.Str("by");
    op.at = orr.TimeField("at");
    op.deemed = orr.Bool("deemed");
    if (!orr.status().ok()) return orr.status();
    req.opinion = std::move(op);
  }
  if (const json::value* d = r.Raw("decision", false)) {
    Reader dr(*d, "request.decision", Code::kCorruption);
    authz::DecisionRecord dec;
    dec.grant = dr.Bool("grant");
    dec.reasons = dr.Str("reasons");
    dec.immediate_execution = dr.Bool("immediate_execution");
    dec.by = dr.Str("by");
    dec.at = dr.TimeField("at");
    dec.violations = ReadViolations(dr.Raw("violations"));
    if (!dr.status().ok()) return dr.status();
    req.decision = std::move(dec);
  }
  if (!r.status().ok()) return r.status();
  return req;
}

Result<authz::Authorisation> AuthorisationFromJson(const std::string& body) {
  ASSIGN_OR_RETURN(json::value v, ParseBody(body, "authorisation"));
  Reader r(v, "authorisation", Code::kCorruption);
  authz::Authorisation a;
  a.id = r.Str("id");
  a.request = r.Str("request");
  a.technique = r.Str("technique");
  a.service = r.Str("service");
  a.minister = r.Str("minister");
  a.purposes = r.Strs("purposes");
  auto state = authz::ParseAuthorisationState(r.Str("state"));
  if (!state) r.Fail("authorisation.state", "unknown state");
  a.state = state.value_or(authz::AuthorisationState::kApproved);
  a.granted_at = r.TimeField("granted_at");
  a.starts_at = r.TimeField("starts_at");
  a.ends_at = r.TimeField("ends_at");
  a.urgency = r.Bool("urgency");
  a.justification_due = r.OptTimeField("justification_due");
  a.justified_at = r.OptTimeField("justified_at");
  a.conseil_etat_due = r.OptTimeField("conseil_etat_due");
  a.renews = r.Str("renews");
  a.terminated_at = r.OptTimeField("terminated_at");
  if (!r.status().ok()) return r.status();
  return a;
}

Result<authz::Quota> QuotaFromJson(const std::string& body) {
  ASSIGN_OR_RETURN(json::value v, ParseBody(body, "quota"));
  Reader r(v, "quota", Code::kCorruption);
  authz::Quota q;
  q.technique = r.Str("technique");
  q.limit = r.IntRange("limit", 0, 1000000);
  if (const json::value* a = r.Raw("allocation")) {
    if (!a->is_object()) {
      r.Fail("quota.allocation", "want an object");
    } else {
      for (const auto& kv : a->as_object()) {
        if (!kv.value().is_int64()) {
          r.Fail("quota.allocation." + std::string(kv.key()), "want an integer");
          continue;
        }
        q.allocation[std::string(kv.key())] = static_cast<int>(kv.value().as_int64());
      }
    }
  }
  q.cnctr_opinion_ref = r.Str("cnctr_opinion_ref");
  q.set_by = r.Str("set_by");
  q.set_at = r.TimeField("set_at");
  if (!r.status().ok()) return r.status();
  return q;
}

Result<Principal> PrincipalFromJson(const std::string& body) {
  ASSIGN_OR_RETURN(json::value v, ParseBody(body, "principal"));
  Reader r(v, "principal", Code::kCorruption);
  Principal p;
  p.id = r.Str("id");
  p.name = r.Str("name");
  auto role = ParseRole(r.Str("role"));
  if (!role) r.Fail("principal.role", "unknown role");
  p.role = role.value_or(Role::kAdmin);
  p.service = r.Str("service");
  p.minister = r.Str("minister");
  if (!r.status().ok()) return r.status();
  return p;
}

Result<authz::RequestDraft> DraftFromJson(const json::value& v) {
  Reader r(v, "", Code::kInvalidArgument);
  authz::RequestDraft d = ReadDraft(r);
  r.RejectUnknown();
  if (!r.status().ok()) return r.status();
  return d;
}

void AppendCanonicalString(std::string& out, std::string_view s) {
  Escape(out, s);
}

std::string Canonical(const json::value& v) {
  std::string out;
  CanonicalInto(out, v);
  return out;
}

}  // namespace cloison::service
