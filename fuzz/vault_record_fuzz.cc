// Fuzzes the vault's record decoding (service/vault_internal.h,
// doc/formats/vault.md): any bytes as an item record's body give an item or
// a clean Corruption error, never a crash; whatever item is read re-encodes
// to a record that reads back to the same item and encodes the same again. The same bytes as
// a destruction record's body decode or fail cleanly.
#include <cstddef>
#include <cstdint>
#include <string>

#include "service/vault_internal.h"

namespace service = cloison::service;

namespace {

bool SameItem(const service::ItemMeta& a, const service::ItemMeta& b) {
  return a.id == b.id && a.authorisation == b.authorisation && a.technique == b.technique &&
         a.service == b.service && a.minister == b.minister && a.kind == b.kind &&
         a.target == b.target && a.collected_at == b.collected_at &&
         a.ingested_at == b.ingested_at && a.state == b.state &&
         a.arrived_sealed == b.arrived_sealed && a.encrypted == b.encrypted &&
         a.decrypted_at == b.decrypted_at && a.deadline.destroy_by == b.deadline.destroy_by &&
         a.deadline.rule == b.deadline.rule && a.deadline.article == b.deadline.article &&
         a.analysis_until == b.analysis_until && a.holds == b.holds && a.size == b.size &&
         a.envelope_sha256 == b.envelope_sha256 && a.compartment == b.compartment &&
         a.bucket == b.bucket && a.offset == b.offset && a.length == b.length &&
         a.header_length == b.header_length;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cloison::store::Record r;
  r.kind = "item";
  r.id = "itm_0000000000000001";
  r.group = "L852-1-I/2025-04-09";
  r.body.assign(reinterpret_cast<const char*>(data), size);

  auto m = service::ItemFromRecord(r);
  if (!m.ok() && m.status().code() != cloison::Code::kCorruption) __builtin_trap();
  if (m.ok()) {
    cloison::store::Record again = service::ItemRecord(*m);
    auto back = service::ItemFromRecord(again);
    if (!back.ok() || !SameItem(*m, *back)) __builtin_trap();
    // Writing is a fixed point: what was written once is written again the
    // same (the input itself may differ: whitespace, escapes).
    if (service::ItemRecord(*back).body != again.body) __builtin_trap();
  }

  auto d = service::DestructionFromRecord(r);
  if (!d.ok() && d.status().code() != cloison::Code::kCorruption) __builtin_trap();
  return 0;
}
