// Fuzzes envelope decoding (vault/envelope.h, doc/formats/envelope.md) with a
// fixed bucket key: any bytes give content or a clean error, never a crash,
// both in one piece and streamed in small pieces, and the two agree. The
// header parser must never claim more bytes than it was given.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "vault/envelope.h"

namespace vault = cloison::vault;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const vault::BucketKey kBucket = [] {
    std::vector<uint8_t> k(32);
    for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(i);
    return std::move(vault::BucketKey::FromBytes("ops/2025-01-31", k)).value();
  }();
  std::span<const uint8_t> in(data, size);

  auto h = vault::ParseEnvelopeHeader(in);
  if (h.ok() && h->encoded_size > size) __builtin_trap();

  auto whole = vault::OpenEnvelope(kBucket, "item-0001", in);

  std::vector<uint8_t> streamed;
  auto r = vault::EnvelopeReader::Create(kBucket, "item-0001", [&](std::span<const uint8_t> b) {
    streamed.insert(streamed.end(), b.begin(), b.end());
    return cloison::Status::Ok();
  });
  if (!r.ok()) __builtin_trap();
  cloison::Status s;
  for (size_t pos = 0; pos < size && s.ok(); pos += 7)
    s = (*r)->Write(in.subspan(pos, std::min<size_t>(7, size - pos)));
  if (s.ok()) s = (*r)->Finish();
  if (s.ok() != whole.ok()) __builtin_trap();
  if (whole.ok() && *whole != streamed) __builtin_trap();

  auto rewrapped = vault::RewrapEnvelopeHeader(in, kBucket, kBucket);
  (void)rewrapped;
  return 0;
}
