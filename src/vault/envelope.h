// The item envelope (doc/formats/envelope.md, version 1): one random
// AES-256-GCM data key per item, wrapped by the item's bucket key; the
// content in chunks (64 KiB by default), each sealed under the data key with
// its index and a final flag in the associated data, so that a truncated,
// extended or reordered envelope is detected and large items stream in
// constant memory.
//
//   header:  "CLVE" | version 1 | flags 0 | chunk size (u32 BE)
//            | item id (u8 length, bytes) | bucket id (u8 length, bytes)
//            | wrapped data key (u8 length = 60, bytes)
//   body:    chunk records, ciphertext || tag (16), every record but the
//            last holding exactly `chunk size` bytes of content
//
// The data key's wrap binds the item id and the bucket id; every chunk binds
// the item id, its index and whether it is the last. The bucket id is not in
// the chunks, so a hold or a changed deadline re-wraps only the header
// (RewrapEnvelopeHeader) and never re-encrypts the content.
//
// Errors: InvalidArgument for arguments that are wrong before any envelope
// byte is read (an id, a chunk size) and for an envelope addressed to
// another item or bucket; Corruption for bytes that do not decode or do not
// authenticate, naming the field or the chunk. Nothing here throws.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "crypto/secret.h"
#include "vault/bucket_key.h"

namespace cloison::vault {

inline constexpr uint8_t kEnvelopeVersion = 1;
inline constexpr uint32_t kDefaultChunkSize = 64 * 1024;
inline constexpr uint32_t kMinChunkSize = 16;
inline constexpr uint32_t kMaxChunkSize = 16 * 1024 * 1024;
inline constexpr size_t kWrappedDataKeySize = 12 + 32 + 16;
inline constexpr size_t kChunkTagSize = 16;

// Where bytes go: a file, a buffer, a socket. A non-OK Status stops the
// writer or reader and is returned by it.
using ByteSink = std::function<Status(std::span<const uint8_t>)>;
// Randomness: fills the span. Tests pass a fixed one to make fixtures.
using RandomSource = std::function<Status(std::span<uint8_t>)>;

struct EnvelopeOptions {
  uint32_t chunk_size = kDefaultChunkSize;
  RandomSource random;  // empty: the OS generator (crypto::RandomBytes)
};

struct EnvelopeHeader {
  uint32_t chunk_size = 0;
  std::string item_id;
  std::string bucket_id;
  std::vector<uint8_t> wrapped_data_key;
  size_t encoded_size = 0;  // bytes of the header; the body starts here
};

// Decodes the header at the start of `bytes` (which may hold more).
// Corruption naming the field when it is truncated or malformed.
Result<EnvelopeHeader> ParseEnvelopeHeader(std::span<const uint8_t> bytes);

// Streams content in, envelope bytes out. Not thread-safe.
class EnvelopeWriter {
 public:
  // Draws the data key, wraps it and writes the header to `sink`.
  static Result<std::unique_ptr<EnvelopeWriter>> Create(const BucketKey& bucket,
                                                        std::string_view item_id, ByteSink sink,
                                                        const EnvelopeOptions& options = {});
  ~EnvelopeWriter();
  Status Write(std::span<const uint8_t> content);
  // Writes the last chunk. Required: an envelope without it does not open.
  Status Finish();

  struct State;

 private:
  explicit EnvelopeWriter(std::unique_ptr<State> s);
  std::unique_ptr<State> s_;
};

// Streams envelope bytes in, content out: each chunk reaches `sink` only
// once it has authenticated. Content seen before Finish() returns OK may be
// a prefix of the item (a truncated envelope is only detected at the end);
// callers that must not act on a prefix buffer it or use OpenEnvelope.
// Not thread-safe.
class EnvelopeReader {
 public:
  static Result<std::unique_ptr<EnvelopeReader>> Create(const BucketKey& bucket,
                                                        std::string_view item_id, ByteSink sink);
  ~EnvelopeReader();
  Status Write(std::span<const uint8_t> envelope_bytes);
  Status Finish();

  struct State;

 private:
  explicit EnvelopeReader(std::unique_ptr<State> s);
  std::unique_ptr<State> s_;
};

// One-shot forms of the above.
Result<std::vector<uint8_t>> SealEnvelope(const BucketKey& bucket, std::string_view item_id,
                                          std::span<const uint8_t> content,
                                          const EnvelopeOptions& options = {});
Result<std::vector<uint8_t>> OpenEnvelope(const BucketKey& bucket, std::string_view item_id,
                                          std::span<const uint8_t> envelope);

// Seals many envelopes under one bucket key straight into the caller's
// buffers (a segment's write buffer, SegmentAppender::Extend): the bucket
// key's AES-GCM context is made once, and the randomness of each item (its
// fresh data key, then the nonce of its wrap: 44 bytes) is drawn from the
// OS generator for many items at once and wiped as it is used. Every item
// still gets its own random data key; the bytes are those SealEnvelope
// writes with the same randomness (the fixture test checks both).
// Not thread-safe.
class EnvelopeSealer {
 public:
  static Result<EnvelopeSealer> Create(const BucketKey& bucket,
                                       const EnvelopeOptions& options = {});
  EnvelopeSealer(EnvelopeSealer&&) noexcept;
  EnvelopeSealer& operator=(EnvelopeSealer&&) noexcept;
  ~EnvelopeSealer();

  // Bytes of the envelope of `content_size` bytes of content for `item_id`.
  size_t EnvelopeSize(std::string_view item_id, uint64_t content_size) const;
  // Writes the envelope of `content` into `out`, which must hold exactly
  // EnvelopeSize(item_id, content.size()) bytes; returns the size of its
  // header. `out` must not overlap `content`.
  Result<size_t> Seal(std::string_view item_id, std::span<const uint8_t> content,
                      std::span<uint8_t> out);

  struct State;

 private:
  explicit EnvelopeSealer(std::unique_ptr<State> s);
  std::unique_ptr<State> s_;
};

// Moves an item to another bucket (a hold, a changed deadline): unwraps the
// data key of the header at the start of `envelope` with `from` and returns
// a new header wrapped by `to`. The caller replaces the first
// ParseEnvelopeHeader(envelope)->encoded_size bytes with it; the body stays.
Result<std::vector<uint8_t>> RewrapEnvelopeHeader(std::span<const uint8_t> envelope,
                                                  const BucketKey& from, const BucketKey& to,
                                                  const RandomSource& random = {});

}  // namespace cloison::vault
