// Events: the canonical, versioned encoding of every state change, appended
// in the same transaction as the change (doc/formats/event.md). They hold
// metadata and hashes, never content (grounds, reasons, item bytes).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "store/store.h"

namespace cloison::service {

inline constexpr int kEventVersion = 1;

struct EventHeader {
  std::string_view type;     // "request.submitted"
  std::string_view actor;    // principal id, or "system"
  std::string_view subject;  // the record's id
};

// Builds the canonical body: {"actor","at","clock","data","subject","type","v"}.
std::string EncodeEvent(const EventHeader& h, const Clock& clock, Time at, boost::json::object data);

// One field of an event's data for EncodeEventFields: a string, an integer
// or a boolean under its key. Views: the caller keeps the bytes alive.
struct EventField {
  enum class Type { kString, kInt, kBool, kRaw };
  std::string_view key;
  Type type = Type::kString;
  std::string_view str;
  int64_t num = 0;
  bool flag = false;

  static EventField Str(std::string_view k, std::string_view v) {
    return {k, Type::kString, v, 0, false};
  }
  static EventField Int(std::string_view k, int64_t v) { return {k, Type::kInt, {}, v, false}; }
  static EventField Bool(std::string_view k, bool v) { return {k, Type::kBool, {}, 0, v}; }
  // A value already in canonical form (codec.h), written as it is: for a
  // list the caller builds entry by entry (the sweep's items.destroyed).
  static EventField Raw(std::string_view k, std::string_view canonical_json) {
    return {k, Type::kRaw, canonical_json, 0, false};
  }
};

// The bytes EncodeEvent gives for a data object holding exactly these
// fields (distinct keys), without building JSON values: for the events
// written once per item (item.ingested, item.destroyed), where building
// and sorting a boost::json object cost more than the rest of the event.
std::string EncodeEventFields(const EventHeader& h, const Clock& clock, Time at,
                              std::vector<EventField> data);

// Appends an event whose data also carries the SHA-256 of the record body it
// describes ("record_sha256"), binding the ledger entry to the stored state.
Result<int64_t> AppendEvent(store::WriteTx& tx, const Clock& clock, Time at, const EventHeader& h,
                            const store::Record& record, boost::json::object data);
// The same with EncodeEventFields.
Result<int64_t> AppendEventFields(store::WriteTx& tx, const Clock& clock, Time at,
                                  const EventHeader& h, const store::Record& record,
                                  std::vector<EventField> data);

}  // namespace cloison::service
