// The streaming parts shared by item envelopes and sealed items. Writing:
// content is
// buffered into chunks of a fixed size, and a full chunk is emitted (not
// final) only once more content follows, so that the last chunk, full or
// not, carries the final flag (truncation is then detectable).
//
// `S` is a writer's state with: std::vector<uint8_t> pending, an unsigned
// chunk_size, bool done, Status failed, and Status Emit(bool final), which
// encrypts and writes `pending` and clears it. Internal to src/vault.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"

namespace cloison::vault::internal {

// `who` names the writer in errors ("seal", "envelope writer"). A failed
// Emit is remembered: every later call returns it.
template <typename S>
Status ChunkedWrite(S& s, std::span<const uint8_t> content, std::string_view who) {
  if (s.done) return Status::FailedPrecondition(std::string(who) + ": already finished");
  RETURN_IF_ERROR(s.failed);
  while (!content.empty()) {
    if (s.pending.size() == s.chunk_size) {
      Status st = s.Emit(false);
      if (!st.ok()) return s.failed = st;
    }
    size_t n = std::min<size_t>(content.size(), s.chunk_size - s.pending.size());
    s.pending.insert(s.pending.end(), content.begin(), content.begin() + n);
    content = content.subspan(n);
  }
  return Status::Ok();
}

template <typename S>
Status ChunkedFinish(S& s, std::string_view who) {
  if (s.done) return Status::FailedPrecondition(std::string(who) + ": already finished");
  RETURN_IF_ERROR(s.failed);
  s.done = true;
  return s.Emit(true);
}

// The reading side: `S` has std::vector<uint8_t> buf, bool done, Status
// failed, and Status Consume(bool at_end), which decodes what `buf` holds
// (all of it when at_end). A failed Consume is remembered, as above.
template <typename S>
Status BufferedRead(S& s, std::span<const uint8_t> bytes, std::string_view who) {
  if (s.done) return Status::FailedPrecondition(std::string(who) + ": already finished");
  RETURN_IF_ERROR(s.failed);
  s.buf.insert(s.buf.end(), bytes.begin(), bytes.end());
  Status st = s.Consume(false);
  if (!st.ok()) s.failed = st;
  return st;
}

template <typename S>
Status BufferedReadFinish(S& s, std::string_view who) {
  if (s.done) return Status::FailedPrecondition(std::string(who) + ": already finished");
  RETURN_IF_ERROR(s.failed);
  s.done = true;
  return s.Consume(true);
}

}  // namespace cloison::vault::internal
