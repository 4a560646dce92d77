// Events: the canonical, versioned encoding of every state change, appended
// in the same transaction as the change (doc/formats/event.md). They hold
// metadata and hashes, never content (grounds, reasons, item bytes).
#pragma once

#include <string>
#include <string_view>

#include <boost/json.hpp>

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

// Appends an event whose data also carries the SHA-256 of the record body it
// describes ("record_sha256"), binding the ledger entry to the stored state.
Result<int64_t> AppendEvent(store::WriteTx& tx, const Clock& clock, Time at, const EventHeader& h,
                            const store::Record& record, boost::json::object data);

}  // namespace cloison::service
