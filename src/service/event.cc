#include "service/event.h"

#include <algorithm>

#include "crypto/sha256.h"
#include "service/codec.h"

namespace cloison::service {

std::string EncodeEvent(const EventHeader& h, const Clock& clock, Time at, boost::json::object data) {
  boost::json::object o{{"v", kEventVersion},
                        {"type", h.type},
                        {"actor", h.actor},
                        {"subject", h.subject},
                        {"at", FormatTime(at)},
                        // PRODUCT.md, Time: the ledger records a manual clock.
                        {"clock", clock.IsManual() ? "manual" : "system"},
                        {"data", std::move(data)}};
  return Canonical(o);
}

namespace {

void AppendField(std::string& out, const EventField& f) {
  AppendCanonicalString(out, f.key);
  out += ':';
  switch (f.type) {
    case EventField::Type::kString:
      AppendCanonicalString(out, f.str);
      break;
    case EventField::Type::kInt:
      out += std::to_string(f.num);
      break;
    case EventField::Type::kBool:
      out += f.flag ? "true" : "false";
      break;
    case EventField::Type::kRaw:
      out += f.str;
      break;
  }
}

std::string_view RecordSha256Hex(const store::Record& record, std::string& hex) {
  // Sha256Parts: the same digest, without the one-shot form's context
  // allocation and algorithm lookup on every event.
  hex = crypto::Hex(crypto::Sha256Parts(
      {{reinterpret_cast<const uint8_t*>(record.body.data()), record.body.size()}}));
  return hex;
}

}  // namespace

std::string EncodeEventFields(const EventHeader& h, const Clock& clock, Time at,
                              std::vector<EventField> data) {
  // Canonical order: keys by their bytes, at both levels (codec.h).
  std::sort(data.begin(), data.end(),
            [](const EventField& a, const EventField& b) { return a.key < b.key; });
  std::string out;
  out.reserve(160 + 48 * data.size());
  const std::string at_text = FormatTime(at);
  out += '{';
  AppendField(out, EventField::Str("actor", h.actor));
  out += ',';
  AppendField(out, EventField::Str("at", at_text));
  out += ',';
  // PRODUCT.md, Time: the ledger records a manual clock.
  AppendField(out, EventField::Str("clock", clock.IsManual() ? "manual" : "system"));
  out += ",\"data\":{";
  for (size_t i = 0; i < data.size(); ++i) {
    if (i > 0) out += ',';
    AppendField(out, data[i]);
  }
  out += "},";
  AppendField(out, EventField::Str("subject", h.subject));
  out += ',';
  AppendField(out, EventField::Str("type", h.type));
  out += ',';
  AppendField(out, EventField::Int("v", kEventVersion));
  out += '}';
  return out;
}

Result<int64_t> AppendEventFields(store::WriteTx& tx, const Clock& clock, Time at,
                                  const EventHeader& h, const store::Record& record,
                                  std::vector<EventField> data) {
  std::string hex;
  data.push_back(EventField::Str("record_kind", record.kind));
  data.push_back(EventField::Str("record_sha256", RecordSha256Hex(record, hex)));
  store::Event e;
  e.type = std::string(h.type);
  e.body = EncodeEventFields(h, clock, at, std::move(data));
  return tx.Append(e);
}

Result<int64_t> AppendEvent(store::WriteTx& tx, const Clock& clock, Time at, const EventHeader& h,
                            const store::Record& record, boost::json::object data) {
  data["record_kind"] = record.kind;
  std::string hex;
  data["record_sha256"] = RecordSha256Hex(record, hex);
  store::Event e;
  e.type = std::string(h.type);
  e.body = EncodeEvent(h, clock, at, std::move(data));
  return tx.Append(e);
}

}  // namespace cloison::service
