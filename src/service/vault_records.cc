// Record codecs and shared steps of service::Vault (vault_internal.h).
#include <algorithm>
#include <charconv>
#include <cstring>
#include <map>

#include "crypto/random.h"
#include "crypto/sha256.h"
#include "service/codec.h"
#include "service/event.h"
#include "service/vault_internal.h"

namespace cloison::service {
namespace json = boost::json;
namespace {

constexpr char kEarlyDestructionMethod[] = "crypto-erase: wrapped data key overwritten";

std::string HexOf(std::span<const uint8_t> b) {
  return crypto::Hex(b);
}

Result<std::vector<uint8_t>> Unhex(std::string_view s, std::string_view field) {
  if (s.size() % 2 != 0) return Status::Corruption(std::string(field) + ": odd hex length");
  std::vector<uint8_t> out(s.size() / 2);
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = nib(s[2 * i]), lo = nib(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return Status::Corruption(std::string(field) + ": not lower-case hex");
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return out;
}

// Field readers: a stored body that does not match is Corruption naming it.
struct Reader {
  const json::object& o;
  std::string what;
  Status status;
  std::string Str(const char* k) {
    auto* v = o.if_contains(k);
    if (v && v->is_string()) return std::string(v->get_string());
    Fail(k);
    return "";
  }
  int64_t Int(const char* k) {
    auto* v = o.if_contains(k);
    if (v && v->is_int64()) return v->get_int64();
    Fail(k);
    return 0;
  }
  bool Bool(const char* k) {
    auto* v = o.if_contains(k);
    if (v && v->is_bool()) return v->get_bool();
    Fail(k);
    return false;
  }
  Time TimeOf(const char* k) { return FromMicros(Int(k)); }
  std::optional<Time> OptTime(const char* k) {
    auto* v = o.if_contains(k);
    if (!v || v->is_null()) return std::nullopt;
    return TimeOf(k);
  }
  std::vector<std::string> Strs(const char* k) {
    std::vector<std::string> out;
    auto* v = o.if_contains(k);
    if (!v || !v->is_array()) {
      Fail(k);
      return out;
    }
    for (const auto& e : v->get_array())
      if (e.is_string()) out.emplace_back(e.get_string());
    return out;
  }
  void Fail(const char* k) {
    if (status.ok()) status = Status::Corruption(what + ": field " + k + " missing or mistyped");
  }
};

Result<json::object> ParseBody(const std::string& body, const std::string& what) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return Status::Corruption(what + ": body is not a JSON object");
  return std::move(v.get_object());
}

// Writes a record body as JSON, fields in the order given, without
// building JSON values first (item and destruction records are written
// once per item at ingest and in the sweep).
class BodyWriter {
 public:
  BodyWriter() {
    out_.reserve(768);
    out_ += '{';
  }
  BodyWriter& Str(std::string_view k, std::string_view v) {
    Key(k);
    AppendCanonicalString(out_, v);
    return *this;
  }
  BodyWriter& Int(std::string_view k, int64_t v) {
    Key(k);
    out_ += std::to_string(v);
    return *this;
  }
  BodyWriter& Bool(std::string_view k, bool v) {
    Key(k);
    out_ += v ? "true" : "false";
    return *this;
  }
  BodyWriter& OptTime(std::string_view k, const std::optional<Time>& t) {
    if (t) return Int(k, ToMicros(*t));
    Key(k);
    out_ += "null";
    return *this;
  }
  BodyWriter& Strs(std::string_view k, const std::vector<std::string>& v) {
    Key(k);
    out_ += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out_ += ',';
      AppendCanonicalString(out_, v[i]);
    }
    out_ += ']';
    return *this;
  }
  std::string Done() {
    out_ += '}';
    return std::move(out_);
  }

 private:
  void Key(std::string_view k) {
    if (out_.size() > 1) out_ += ',';
    AppendCanonicalString(out_, k);
    out_ += ':';
  }
  std::string out_;
};

json::value OptTimeJson(const std::optional<Time>& t) {
  if (!t) return nullptr;
  return ToMicros(*t);
}

}  // namespace

store::Record ItemRecord(const ItemMeta& m) {
  // Positional (doc/formats/vault.md, "Item record"): the item's id is the
  // record's id and its bucket the record's group, so neither is repeated,
  // and no field names: about 300 bytes instead of 630, and the sweep's
  // cost is that of rewriting these rows (BENCHMARKS.md, "Session 4").
  std::string b;
  b.reserve(384);
  b += "[";
  b += std::to_string(kItemRecordVersion);
  auto str = [&](std::string_view v) {
    b += ',';
    AppendCanonicalString(b, v);
  };
  auto num = [&](int64_t v) {
    b += ',';
    b += std::to_string(v);
  };
  auto flag = [&](bool v) { b += v ? ",true" : ",false"; };
  auto opt = [&](const std::optional<Time>& t) {
    if (t)
      num(ToMicros(*t));
    else
      b += ",null";
  };
  str(m.authorisation);
  str(m.technique);
  str(m.service);
  str(m.minister);
  str(rules::ItemKindName(m.kind));
  str(m.target);
  num(ToMicros(m.collected_at));
  num(ToMicros(m.ingested_at));
  str(m.state);
  flag(m.arrived_sealed);
  flag(m.encrypted);
  opt(m.decrypted_at);
  num(ToMicros(m.deadline.destroy_by));
  str(m.deadline.rule);
  str(m.deadline.article);
  opt(m.analysis_until);
  b += ",[";
  for (size_t i = 0; i < m.holds.size(); ++i) {
    if (i > 0) b += ',';
    AppendCanonicalString(b, m.holds[i]);
  }
  b += ']';
  num(static_cast<int64_t>(m.size));
  str(m.envelope_sha256);
  str(m.compartment);
  num(static_cast<int64_t>(m.offset));
  num(static_cast<int64_t>(m.length));
  num(static_cast<int64_t>(m.header_length));
  b += ']';
  // Only the columns the vault lists items by: the group (its bucket, for
  // the sweep and the holds). The store's other indexes are partial and
  // leave the record out, so ingesting or destroying an item touches few
  // B-trees (doc/formats/store.md, schema 3).
  store::Record r;
  r.kind = kItemKind;
  r.id = m.id;
  r.group = m.bucket;
  r.body = std::move(b);
  return r;
}

namespace {

// The positional form ItemRecord writes.
Result<ItemMeta> ItemFromArray(const store::Record& r, const json::array& a) {
  const std::string what = "item " + r.id;
  constexpr size_t kFields = 24;
  if (a.size() != kFields || !a[0].is_int64() || a[0].get_int64() != kItemRecordVersion)
    return Status::Corruption(what + ": body: want [" + std::to_string(kItemRecordVersion) +
                              ", ...] of " + std::to_string(kFields) + " fields, got " +
                              std::to_string(a.size()) + " fields");
  size_t at = 1;
  Status bad;
  auto fail = [&](const char* field) {
    if (bad.ok()) bad = Status::Corruption(what + ": field " + field + " missing or mistyped");
  };
  auto str = [&](const char* field) -> std::string {
    const json::value& v = a[at++];
    if (v.is_string()) return std::string(v.get_string());
    fail(field);
    return "";
  };
  auto num = [&](const char* field) -> int64_t {
    const json::value& v = a[at++];
    if (v.is_int64()) return v.get_int64();
    fail(field);
    return 0;
  };
  auto flag = [&](const char* field) -> bool {
    const json::value& v = a[at++];
    if (v.is_bool()) return v.get_bool();
    fail(field);
    return false;
  };
  auto opt = [&](const char* field) -> std::optional<Time> {
    const json::value& v = a[at++];
    if (v.is_null()) return std::nullopt;
    if (v.is_int64()) return FromMicros(v.get_int64());
    fail(field);
    return std::nullopt;
  };
  ItemMeta m;
  m.id = r.id;
  m.bucket = r.group;
  m.authorisation = str("authorisation");
  m.technique = str("technique");
  m.service = str("service");
  m.minister = str("minister");
  auto kind = rules::ParseItemKind(str("kind"));
  if (!kind) fail("kind");
  m.kind = kind.value_or(rules::ItemKind::kCorrespondence);
  m.target = str("target");
  m.collected_at = FromMicros(num("collected_at"));
  m.ingested_at = FromMicros(num("ingested_at"));
  m.state = str("state");
  m.arrived_sealed = flag("arrived_sealed");
  m.encrypted = flag("encrypted");
  m.decrypted_at = opt("decrypted_at");
  m.deadline.destroy_by = FromMicros(num("destroy_by"));
  m.deadline.rule = str("rule");
  m.deadline.article = str("article");
  m.analysis_until = opt("analysis_until");
  if (const json::value& h = a[at++]; h.is_array()) {
    for (const json::value& e : h.get_array()) {
      if (e.is_string())
        m.holds.emplace_back(e.get_string());
      else
        fail("holds");
    }
  } else {
    fail("holds");
  }
  m.size = static_cast<uint64_t>(num("size"));
  m.envelope_sha256 = str("envelope_sha256");
  m.compartment = str("compartment");
  m.offset = static_cast<uint64_t>(num("offset"));
  m.length = static_cast<uint64_t>(num("length"));
  m.header_length = static_cast<uint32_t>(num("header_length"));
  RETURN_IF_ERROR(bad);
  if (m.bucket.empty()) return Status::Corruption(what + ": no group (its bucket)");
  return m;
}

}  // namespace

Result<ItemMeta> ItemFromRecord(const store::Record& r) {
  // Parsed into a buffer on the stack (the sweep reads every due item):
  // no allocation for an ordinary record.
  unsigned char scratch[4096];
  json::monotonic_resource mr(scratch, sizeof scratch);
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec, &mr);
  if (!ec && v.is_array()) return ItemFromArray(r, v.get_array());
  // The named form, written before the positional one: instances keep
  // their live items' records as they were (doc/formats/vault.md).
  if (ec || !v.is_object())
    return Status::Corruption("item " + r.id + ": body is not a JSON array or object");
  Reader in{v.get_object(), "item " + r.id, {}};
  ItemMeta m;
  m.id = in.Str("id");
  m.authorisation = in.Str("authorisation");
  m.technique = in.Str("technique");
  m.service = in.Str("service");
  m.minister = in.Str("minister");
  auto kind = rules::ParseItemKind(in.Str("kind"));
  if (!kind) in.Fail("kind");
  m.kind = kind.value_or(rules::ItemKind::kCorrespondence);
  m.target = in.Str("target");
  m.collected_at = in.TimeOf("collected_at");
  m.ingested_at = in.TimeOf("ingested_at");
  m.state = in.Str("state");
  m.arrived_sealed = in.Bool("arrived_sealed");
  m.encrypted = in.Bool("encrypted");
  m.decrypted_at = in.OptTime("decrypted_at");
  m.deadline.destroy_by = in.TimeOf("destroy_by");
  m.deadline.rule = in.Str("rule");
  m.deadline.article = in.Str("article");
  m.analysis_until = in.OptTime("analysis_until");
  m.holds = in.Strs("holds");
  m.size = static_cast<uint64_t>(in.Int("size"));
  m.envelope_sha256 = in.Str("envelope_sha256");
  m.compartment = in.Str("compartment");
  m.bucket = in.Str("bucket");
  m.offset = static_cast<uint64_t>(in.Int("offset"));
  m.length = static_cast<uint64_t>(in.Int("length"));
  m.header_length = static_cast<uint32_t>(in.Int("header_length"));
  RETURN_IF_ERROR(in.status);
  return m;
}

store::Record DestructionRecord(const Destruction& d) {
  std::string body = BodyWriter()
                         .Str("item", d.item)
                         .Str("kind", d.kind)
                         .Str("technique", d.technique)
                         .Str("authorisation", d.authorisation)
                         .Str("service", d.service)
                         .Str("envelope_sha256", d.envelope_sha256)
                         .Int("collected_at", ToMicros(d.collected_at))
                         .Str("reason", d.reason)
                         .Str("rule", d.rule)
                         .Str("article", d.article)
                         .Int("destroy_by", ToMicros(d.destroy_by))
                         .Int("destroyed_at", ToMicros(d.destroyed_at))
                         .Bool("late", d.late)
                         .Str("method", d.method)
                         .Str("bucket", d.bucket)
                         .Int("root_epoch", static_cast<int64_t>(d.root_epoch))
                         .Str("recommendation", d.recommendation)
                         .Str("actor", d.actor)
                         .Int("ledger_index", d.ledger_index)
                         .Done();
  // The item's own record, replaced in place (same kind and id): none of the
  // item's former content remains in it (secure delete overwrites the old
  // cell), and its end is the destruction time, which marks it destroyed
  // and is what the register lists by (ListDestructions).
  store::Record r;
  r.kind = kItemKind;
  r.id = d.item;
  r.ends_at = ToMicros(d.destroyed_at);
  r.body = std::move(body);
  return r;
}

Result<Destruction> DestructionFromRecord(const store::Record& r) {
  ASSIGN_OR_RETURN(json::object o, ParseBody(r.body, "destruction " + r.id));
  Reader in{o, "destruction " + r.id, {}};
  Destruction d;
  d.item = in.Str("item");
  d.kind = in.Str("kind");
  d.technique = in.Str("technique");
  d.authorisation = in.Str("authorisation");
  d.service = in.Str("service");
  d.envelope_sha256 = in.Str("envelope_sha256");
  d.collected_at = in.TimeOf("collected_at");
  d.reason = in.Str("reason");
  d.rule = in.Str("rule");
  d.article = in.Str("article");
  d.destroy_by = in.TimeOf("destroy_by");
  d.destroyed_at = in.TimeOf("destroyed_at");
  d.late = in.Bool("late");
  d.method = in.Str("method");
  d.bucket = in.Str("bucket");
  d.root_epoch = static_cast<uint32_t>(in.Int("root_epoch"));
  d.recommendation = in.Str("recommendation");
  d.actor = in.Str("actor");
  d.ledger_index = in.Int("ledger_index");
  RETURN_IF_ERROR(in.status);
  return d;
}

store::Record SweptRecord(const std::string& item, Time destroyed_at, int64_t ledger_index) {
  // Everything the register shows of the item is in the event; the record
  // only marks the item destroyed (its end) and names the event, so a sweep
  // writes a few bytes per item instead of a whole destruction record.
  store::Record r;
  r.kind = kItemKind;
  r.id = item;
  r.ends_at = ToMicros(destroyed_at);
  r.body = std::string(kSweptPrefix) + std::to_string(ledger_index) + "}";
  return r;
}

void AppendSweptEntry(std::string& out, const ItemMeta& m, Time now) {
  // Canonical (codec.h): keys in byte order, no whitespace.
  auto str = [&](std::string_view key, std::string_view value) {
    AppendCanonicalString(out, key);
    out += ':';
    AppendCanonicalString(out, value);
    out += ',';
  };
  out += '{';
  str("article", m.deadline.article);
  str("authorisation", m.authorisation);
  str("collected_at", FormatTime(m.collected_at));
  str("destroy_by", FormatTime(m.deadline.destroy_by));
  str("envelope_sha256", m.envelope_sha256);
  str("item", m.id);
  str("kind", rules::ItemKindName(m.kind));
  out += now > m.deadline.destroy_by ? "\"late\":true," : "\"late\":false,";
  str("rule", m.deadline.rule);
  str("service", m.service);
  str("technique", m.technique);
  out.back() = '}';
}

namespace {

// The items.destroyed event at `index`, parsed: its data, and its entries
// by item id.
struct SweptEvent {
  json::object event;
  std::map<std::string, const json::object*, std::less<>> entries;
};

Result<const SweptEvent*> LoadSweptEvent(store::ReadTx& tx, int64_t index,
                                         std::map<int64_t, SweptEvent>& cache) {
  if (auto it = cache.find(index); it != cache.end()) return &it->second;
  const std::string what = "ledger entry " + std::to_string(index);
  ASSIGN_OR_RETURN(std::vector<store::Event> events, tx.Events(index, 1));
  if (events.size() != 1 || events[0].type != "items.destroyed")
    return Status::Corruption(what + ": want the items.destroyed event a swept item names, got " +
                              (events.empty() ? std::string("none") : events[0].type));
  ASSIGN_OR_RETURN(json::object o, ParseBody(events[0].body, what));
  SweptEvent& e = cache[index];
  e.event = std::move(o);
  const json::object* data = e.event.contains("data") && e.event.at("data").is_object()
                                 ? &e.event.at("data").get_object()
                                 : nullptr;
  const json::array* items = data && data->contains("items") && data->at("items").is_array()
                                 ? &data->at("items").get_array()
                                 : nullptr;
  if (!items) {
    cache.erase(index);
    return Status::Corruption(what + ": field data.items missing or mistyped");
  }
  for (const json::value& v : *items) {
    if (!v.is_object() || !v.get_object().contains("item") ||
        !v.get_object().at("item").is_string())
      continue;
    e.entries.emplace(std::string(v.get_object().at("item").get_string()), &v.get_object());
  }
  return &e;
}

Result<Destruction> SweptDestruction(store::ReadTx& tx, const store::Record& r,
                                     std::map<int64_t, SweptEvent>& cache) {
  std::string_view digits = std::string_view(r.body).substr(std::strlen(kSweptPrefix));
  int64_t index = -1;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (ec != std::errc() || index < 0 || std::string_view(end, digits.data() + digits.size()) != "}")
    return Status::Corruption("destruction " + r.id + ": field swept missing or mistyped");
  ASSIGN_OR_RETURN(const SweptEvent* e, LoadSweptEvent(tx, index, cache));
  auto entry = e->entries.find(r.id);
  if (entry == e->entries.end())
    return Status::Corruption("destruction " + r.id + ": ledger entry " + std::to_string(index) +
                              " does not list it");
  const std::string what = "destruction " + r.id + " (ledger entry " + std::to_string(index) + ")";
  Reader head{e->event, what, {}};
  Reader data{e->event.at("data").get_object(), what, {}};
  Reader in{*entry->second, what, {}};
  Destruction d;
  d.item = r.id;
  d.kind = in.Str("kind");
  d.technique = in.Str("technique");
  d.authorisation = in.Str("authorisation");
  d.service = in.Str("service");
  d.envelope_sha256 = in.Str("envelope_sha256");
  d.rule = in.Str("rule");
  d.article = in.Str("article");
  d.late = in.Bool("late");
  std::string collected = in.Str("collected_at"), destroy_by = in.Str("destroy_by");
  d.reason = data.Str("reason");
  d.method = data.Str("method");
  d.bucket = data.Str("bucket");
  d.root_epoch = static_cast<uint32_t>(data.Int("root_epoch"));
  d.actor = head.Str("actor");
  RETURN_IF_ERROR(head.status);
  RETURN_IF_ERROR(data.status);
  RETURN_IF_ERROR(in.status);
  ASSIGN_OR_RETURN(d.collected_at, ParseTime(collected, what + ": collected_at"));
  ASSIGN_OR_RETURN(d.destroy_by, ParseTime(destroy_by, what + ": destroy_by"));
  d.destroyed_at = FromMicros(r.ends_at);
  d.ledger_index = index;
  return d;
}

}  // namespace

Result<std::vector<Destruction>> DestructionsFromRecords(store::ReadTx& tx,
                                                         const std::vector<store::Record>& recs) {
  std::map<int64_t, SweptEvent> swept;
  std::vector<Destruction> out;
  out.reserve(recs.size());
  for (const store::Record& r : recs) {
    if (r.body.rfind(kSweptPrefix, 0) == 0) {
      ASSIGN_OR_RETURN(Destruction d, SweptDestruction(tx, r, swept));
      out.push_back(std::move(d));
    } else {
      ASSIGN_OR_RETURN(Destruction d, DestructionFromRecord(r));
      out.push_back(std::move(d));
    }
  }
  return out;
}

store::Record HoldRecord(const Hold& h) {
  json::array items;
  for (const auto& i : h.items) items.push_back(json::value(i));
  json::object o{{"id", h.id},
                 {"case", h.case_ref},
                 {"items", std::move(items)},
                 {"state", h.state},
                 {"placed_by", h.placed_by},
                 {"placed_at", ToMicros(h.placed_at)},
                 {"released_at", OptTimeJson(h.released_at)}};
  store::Record r;
  r.kind = kHoldKind;
  r.id = h.id;
  r.state = h.state;
  r.starts_at = ToMicros(h.placed_at);
  r.body = json::serialize(o);
  return r;
}

Result<Hold> HoldFromRecord(const store::Record& r) {
  ASSIGN_OR_RETURN(json::object o, ParseBody(r.body, "hold " + r.id));
  Reader in{o, "hold " + r.id, {}};
  Hold h;
  h.id = in.Str("id");
  h.case_ref = in.Str("case");
  h.items = in.Strs("items");
  h.state = in.Str("state");
  h.placed_by = in.Str("placed_by");
  h.placed_at = in.TimeOf("placed_at");
  h.released_at = in.OptTime("released_at");
  RETURN_IF_ERROR(in.status);
  return h;
}

Result<uint32_t> CurrentRootEpoch(store::ReadTx& tx) {
  auto m = tx.GetMeta(kRootEpochMeta);
  if (!m.ok()) return m.status();
  uint32_t e = 0;
  for (char c : *m) {
    if (c < '0' || c > '9') return Status::Corruption("meta vault.root_epoch: not a number");
    e = e * 10 + static_cast<uint32_t>(c - '0');
  }
  return e;
}

Result<vault::BucketKey> LoadBucketKey(Vault::Impl& v, store::ReadTx& tx,
                                       const std::string& bucket_id) {
  ASSIGN_OR_RETURN(store::Record r, tx.Get(kBucketKind, bucket_id));
  ASSIGN_OR_RETURN(json::object o, ParseBody(r.body, "bucket " + bucket_id));
  Reader in{o, "bucket " + bucket_id, {}};
  uint32_t epoch = static_cast<uint32_t>(in.Int("epoch"));
  std::string hex = in.Str("wrapped");
  RETURN_IF_ERROR(in.status);
  ASSIGN_OR_RETURN(std::vector<uint8_t> wrapped, Unhex(hex, "bucket wrapped"));
  ASSIGN_OR_RETURN(crypto::SecretBytes key, v.keys.UnwrapUnder(epoch, wrapped, bucket_id));
  // BucketKey::Unwrap would go through the current epoch; the record says
  // which epoch wrapped it.
  ASSIGN_OR_RETURN(vault::BucketKey bk, vault::BucketKey::FromBytes(bucket_id, key.view()));
  return bk;
}

Result<std::string> FreshId(Vault::Impl& v, store::WriteTx& tx, const char* kind,
                            std::string_view prefix) {
  // Odds of a second draw: 2^-22 per id made in the same millisecond
  // before the clock went back; a third, that squared.
  for (int draw = 0; draw < 8; ++draw) {
    std::string id = v.ids.Next(prefix);
    auto existing = tx.Get(kind, id);
    if (existing.status().code() == Code::kNotFound) return id;
    if (!existing.ok()) return existing.status();
  }
  return Status::Internal(std::string(kind) + ": no unused id in 8 draws");
}

Result<vault::BucketKey> BucketKeyFor(Vault::Impl& v, store::WriteTx& tx,
                                      const std::string& bucket_id, int64_t due_at) {
  auto existing = LoadBucketKey(v, tx, bucket_id);
  if (existing.ok() || existing.status().code() != Code::kNotFound) return existing;
  ASSIGN_OR_RETURN(uint32_t epoch, CurrentRootEpoch(tx));
  crypto::SecretBytes key(vault::kBucketKeySize);
  RETURN_IF_ERROR(crypto::RandomBytes(key.mutable_view()));
  ASSIGN_OR_RETURN(std::vector<uint8_t> wrapped, v.keys.WrapUnder(epoch, key.view(), bucket_id));
  store::Record r;
  r.kind = kBucketKind;
  r.id = bucket_id;
  r.state = "live";
  r.ends_at = due_at;
  r.body = json::serialize(
      json::object{{"epoch", static_cast<int64_t>(epoch)}, {"wrapped", HexOf(wrapped)}});
  RETURN_IF_ERROR(tx.Put(r));
  return vault::BucketKey::FromBytes(bucket_id, key.view());
}

Status MoveItem(Vault::Impl& v, store::WriteTx& tx, ItemMeta& m, const std::string& to,
                int64_t to_due_at) {
  if (m.bucket == to) return Status::Ok();
  ASSIGN_OR_RETURN(vault::BucketKey from_key, LoadBucketKey(v, tx, m.bucket));
  ASSIGN_OR_RETURN(vault::BucketKey to_key, BucketKeyFor(v, tx, to, to_due_at));
  ASSIGN_OR_RETURN(std::vector<uint8_t> env,
                   vault::ReadSegment(v.vault_dir, m.bucket, {m.offset, m.length}));
  ASSIGN_OR_RETURN(std::vector<uint8_t> header, vault::RewrapEnvelopeHeader(env, from_key, to_key));
  std::vector<uint8_t> moved = header;
  moved.insert(moved.end(), env.begin() + m.header_length, env.end());
  vault::SegmentAppender app(v.vault_dir);
  ASSIGN_OR_RETURN(vault::SegmentRef ref, app.Append(to, moved));
  RETURN_IF_ERROR(app.Sync());
  m.bucket = to;
  m.offset = ref.offset;
  m.length = ref.length;
  m.header_length = static_cast<uint32_t>(header.size());
  m.envelope_sha256 = crypto::Hex(crypto::Sha256(moved));
  return Status::Ok();
}

void EraseOldHeader(Vault::Impl& v, const std::string& bucket, uint64_t offset, uint32_t length) {
  // Best effort after the commit: if it fails, the old header is still
  // wrapped by a bucket key that is destroyed on its day.
  (void)vault::EraseInSegment(v.vault_dir, bucket, {offset, length});
}

Result<Destruction> DestroyItem(Vault::Impl& v, store::WriteTx& tx, const ItemMeta& m, Time now,
                                const std::string& actor, const std::string& reason,
                                const retention::Deadline& under, const std::string& method,
                                uint32_t root_epoch, const std::string& recommendation,
                                bool erase_header) {
  if (erase_header)
    RETURN_IF_ERROR(vault::EraseInSegment(v.vault_dir, m.bucket, {m.offset, m.header_length}));
  Destruction d;
  d.item = m.id;
  d.kind = std::string(rules::ItemKindName(m.kind));
  d.technique = m.technique;
  d.authorisation = m.authorisation;
  d.service = m.service;
  d.envelope_sha256 = m.envelope_sha256;
  d.collected_at = m.collected_at;
  d.reason = reason;
  d.rule = under.rule;
  d.article = under.article;
  d.destroy_by = under.destroy_by;
  d.destroyed_at = now;
  d.late = now > under.destroy_by;
  d.method = method;
  d.bucket = m.bucket;
  d.root_epoch = root_epoch;
  d.recommendation = recommendation;
  d.actor = actor;
  // The event's index is the count before it is appended (write
  // transactions are serialised), so the record can name it and the event
  // can hash the record.
  ASSIGN_OR_RETURN(d.ledger_index, tx.EventCount());
  store::Record rec = DestructionRecord(d);
  RETURN_IF_ERROR(tx.Put(rec));
  const std::string destroy_by = FormatTime(d.destroy_by);
  using F = EventField;
  ASSIGN_OR_RETURN(
      int64_t index,
      AppendEventFields(
          tx, v.clock, now, {"item.destroyed", actor, m.id}, rec,
          {F::Str("item", m.id), F::Str("kind", d.kind), F::Str("technique", d.technique),
           F::Str("authorisation", d.authorisation), F::Str("envelope_sha256", d.envelope_sha256),
           F::Str("reason", reason), F::Str("rule", d.rule), F::Str("article", d.article),
           F::Str("destroy_by", destroy_by), F::Bool("late", d.late), F::Str("method", method),
           F::Str("bucket", d.bucket), F::Int("root_epoch", static_cast<int64_t>(root_epoch)),
           F::Str("recommendation", recommendation)}));
  if (index != d.ledger_index)
    return Status::Internal("destruction of " + m.id + ": ledger index " + std::to_string(index) +
                            ", want " + std::to_string(d.ledger_index));
  return d;
}

Status ConvertOldRecords(Vault::Impl& v) {
  ASSIGN_OR_RETURN(auto tx, v.store.BeginWrite());
  auto format = tx->GetMeta(kRecordsFormatMeta);
  if (format.ok() && *format == kRecordsFormat) return Status::Ok();
  if (!format.ok() && format.status().code() != Code::kNotFound) return format.status();
  store::Filter f;
  f.kind = kDestructionKind;
  ASSIGN_OR_RETURN(std::vector<store::Record> old, tx->List(f));
  for (const store::Record& r : old) {
    ASSIGN_OR_RETURN(Destruction d, DestructionFromRecord(r));
    RETURN_IF_ERROR(tx->Put(DestructionRecord(d)));
    RETURN_IF_ERROR(tx->Delete(kDestructionKind, r.id));
  }
  // Live items of the old shape: an end set (their deadline), in a bucket.
  // A destroyed item's record has no group (DestructionRecord).
  int64_t items = 0;
  store::Filter live;
  live.kind = kItemKind;
  live.ends_after = 0;
  live.limit = 1000;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<store::Record> page, tx->List(live));
    for (const store::Record& r : page) {
      if (r.group.empty()) continue;
      ASSIGN_OR_RETURN(ItemMeta m, ItemFromRecord(r));
      RETURN_IF_ERROR(tx->Put(ItemRecord(m)));
      ++items;
    }
    if (static_cast<int>(page.size()) < live.limit) break;
    live.after_id = page.back().id;
  }
  RETURN_IF_ERROR(tx->SetMeta(kRecordsFormatMeta, kRecordsFormat));
  store::Event e;
  e.type = "vault.records_converted";
  e.body = EncodeEvent({"vault.records_converted", "system", kRecordsFormatMeta}, v.clock,
                       v.clock.Now(),
                       {{"destruction_records", static_cast<int64_t>(old.size())},
                        {"items", items},
                        {"format", kRecordsFormat}});
  RETURN_IF_ERROR(tx->Append(e).status());
  return tx->Commit();
}

Result<Destruction> Vault::DestroyEarlyIn(store::WriteTx& tx, const ItemMeta& m, Time now,
                                          const std::string& actor, const std::string& reason,
                                          const retention::Deadline& under,
                                          const std::string& recommendation) {
  ASSIGN_OR_RETURN(uint32_t epoch, CurrentRootEpoch(tx));
  return DestroyItem(*impl_, tx, m, now, actor, reason, under, kEarlyDestructionMethod, epoch,
                     recommendation, /*erase_header=*/true);
}

Status RequireRole(const Principal& actor, std::initializer_list<Role> roles,
                   std::string_view what) {
  for (Role r : roles)
    if (actor.role == r) return Status::Ok();
  return Status::PermissionDenied("role " + std::string(RoleName(actor.role)) + " may not " +
                                  std::string(what));
}

json::array ViolationRefsOf(const std::vector<rules::Violation>& vs) {
  json::array a;
  for (const auto& v : vs) a.push_back(json::object{{"rule", v.rule}, {"article", v.article}});
  return a;
}

Status GoneError(const std::string& id, Time destroyed_at) {
  return Status::FailedPrecondition(std::string(kGonePrefix) + "item " + id + " was destroyed at " +
                                    FormatTime(destroyed_at));
}

}  // namespace cloison::service
