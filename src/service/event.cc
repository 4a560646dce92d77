#include "service/event.h"

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

Result<int64_t> AppendEvent(store::WriteTx& tx, const Clock& clock, Time at, const EventHeader& h,
                            const store::Record& record, boost::json::object data) {
  data["record_kind"] = record.kind;
  // Sha256Parts: the same digest, without the one-shot form's context
  // allocation and algorithm lookup on every event.
  data["record_sha256"] = crypto::Hex(crypto::Sha256Parts(
      {{reinterpret_cast<const uint8_t*>(record.body.data()), record.body.size()}}));
  store::Event e;
  e.type = std::string(h.type);
  e.body = EncodeEvent(h, clock, at, std::move(data));
  return tx.Append(e);
}

}  // namespace cloison::service
