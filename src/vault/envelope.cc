#include "vault/envelope.h"

#include <algorithm>
#include <array>
#include <optional>
#include <cstring>

#include "crypto/aead.h"
#include "crypto/random.h"
#include "vault/chunker.h"

namespace cloison::vault {
namespace {

constexpr uint8_t kMagic[4] = {'C', 'L', 'V', 'E'};
constexpr std::string_view kDataKeyLabel = "cloison/envelope/v1/data-key";

void PutU32(std::vector<uint8_t>& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(v >> s));
}

void PutU64(uint8_t* p, uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<uint8_t>(v);
}

void PutShort(std::vector<uint8_t>& out, std::span<const uint8_t> bytes) {
  out.push_back(static_cast<uint8_t>(bytes.size()));
  out.insert(out.end(), bytes.begin(), bytes.end());
}

std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

Status Fill(const RandomSource& random, std::span<uint8_t> out) {
  return random ? random(out) : crypto::RandomBytes(out);
}

std::vector<uint8_t> DataKeyAad(std::string_view item_id, std::string_view bucket_id) {
  std::vector<uint8_t> aad(kDataKeyLabel.begin(), kDataKeyLabel.end());
  aad.push_back(0);
  aad.insert(aad.end(), item_id.begin(), item_id.end());
  aad.push_back(0);
  aad.insert(aad.end(), bucket_id.begin(), bucket_id.end());
  return aad;
}

// nonce 12 || AES-256-GCM(bucket key, data key) || tag 16
Result<std::vector<uint8_t>> WrapDataKey(const BucketKey& bucket, std::string_view item_id,
                                         std::span<const uint8_t> data_key,
                                         const RandomSource& random) {
  std::vector<uint8_t> out(kWrappedDataKeySize);
  RETURN_IF_ERROR(Fill(random, std::span(out).first(crypto::kGcmNonceSize)));
  ASSIGN_OR_RETURN(crypto::AesGcm gcm, crypto::AesGcm::Create(bucket.key()));
  RETURN_IF_ERROR(gcm.Seal(std::span(out).first(crypto::kGcmNonceSize),
                           DataKeyAad(item_id, bucket.id()), data_key,
                           std::span(out).subspan(crypto::kGcmNonceSize)));
  return out;
}

Result<crypto::SecretBytes> UnwrapDataKey(const BucketKey& bucket, const EnvelopeHeader& h) {
  if (h.wrapped_data_key.size() != kWrappedDataKeySize)
    return Status::Corruption("envelope wrapped data key: " +
                              std::to_string(h.wrapped_data_key.size()) + " bytes, want 60");
  ASSIGN_OR_RETURN(crypto::AesGcm gcm, crypto::AesGcm::Create(bucket.key()));
  crypto::SecretBytes key(crypto::kAes256KeySize);
  std::span<const uint8_t> w(h.wrapped_data_key);
  Status s = gcm.Open(w.first(crypto::kGcmNonceSize), DataKeyAad(h.item_id, h.bucket_id),
                      w.subspan(crypto::kGcmNonceSize), key.mutable_view());
  if (s.code() == Code::kCorruption)
    return Status::Corruption("envelope data key: does not open with the key of bucket '" +
                              bucket.id() + "' for item '" + h.item_id +
                              "' (wrong or destroyed bucket key, or altered header)");
  RETURN_IF_ERROR(s);
  return key;
}

std::vector<uint8_t> EncodeHeader(uint32_t chunk_size, std::string_view item_id,
                                  std::string_view bucket_id, std::span<const uint8_t> wrapped) {
  std::vector<uint8_t> h(kMagic, kMagic + 4);
  h.push_back(kEnvelopeVersion);
  h.push_back(0);  // flags: none defined in version 1
  PutU32(h, chunk_size);
  PutShort(h, AsBytes(item_id));
  PutShort(h, AsBytes(bucket_id));
  PutShort(h, wrapped);
  return h;
}

// The per-chunk associated data: a fixed prefix and 9 bytes (index, final)
// rewritten for each chunk.
std::vector<uint8_t> ChunkAadPrefix(uint32_t chunk_size, std::string_view item_id) {
  std::vector<uint8_t> a(kMagic, kMagic + 4);
  a.push_back(kEnvelopeVersion);
  PutU32(a, chunk_size);
  PutShort(a, AsBytes(item_id));
  a.resize(a.size() + 9);
  return a;
}

void SetChunk(std::vector<uint8_t>& aad, std::array<uint8_t, 12>& nonce, uint64_t index,
              bool final) {
  PutU64(aad.data() + aad.size() - 9, index);
  aad.back() = final ? 1 : 0;
  std::fill(nonce.begin(), nonce.begin() + 4, 0);
  PutU64(nonce.data() + 4, index);
}

Status CheckChunkSize(uint32_t n) {
  if (n < kMinChunkSize || n > kMaxChunkSize)
    return Status::InvalidArgument("chunk size: " + std::to_string(n) + ", want " +
                                   std::to_string(kMinChunkSize) + ".." +
                                   std::to_string(kMaxChunkSize));
  return Status::Ok();
}

}  // namespace

Result<EnvelopeHeader> ParseEnvelopeHeader(std::span<const uint8_t> b) {
  size_t pos = 0;
  auto need = [&](size_t n, const char* field) -> Status {
    if (b.size() - pos < n)
      return Status::Corruption(std::string("envelope header: truncated at ") + field);
    return Status::Ok();
  };
  RETURN_IF_ERROR(need(4, "magic"));
  if (std::memcmp(b.data(), kMagic, 4) != 0)
    return Status::Corruption("envelope header: magic is not CLVE (not an envelope)");
  pos = 4;
  RETURN_IF_ERROR(need(2, "version"));
  if (b[4] != kEnvelopeVersion)
    return Status::Corruption("envelope header: version " + std::to_string(b[4]) + ", want 1");
  if (b[5] != 0)
    return Status::Corruption("envelope header: flags " + std::to_string(b[5]) + ", want 0");
  pos = 6;
  RETURN_IF_ERROR(need(4, "chunk size"));
  EnvelopeHeader h;
  h.chunk_size = static_cast<uint32_t>(b[6]) << 24 | static_cast<uint32_t>(b[7]) << 16 |
                 static_cast<uint32_t>(b[8]) << 8 | b[9];
  if (!CheckChunkSize(h.chunk_size).ok())
    return Status::Corruption("envelope header: chunk size " + std::to_string(h.chunk_size) +
                              " out of range");
  pos = 10;
  auto field = [&](const char* name, std::string& out) -> Status {
    RETURN_IF_ERROR(need(1, name));
    size_t n = b[pos++];
    RETURN_IF_ERROR(need(n, name));
    out.assign(reinterpret_cast<const char*>(b.data() + pos), n);
    pos += n;
    if (!CheckId(out, name).ok())
      return Status::Corruption(std::string("envelope header: ") + name +
                                " is not 1..255 printable characters");
    return Status::Ok();
  };
  RETURN_IF_ERROR(field("item id", h.item_id));
  RETURN_IF_ERROR(field("bucket id", h.bucket_id));
  RETURN_IF_ERROR(need(1, "wrapped data key"));
  size_t n = b[pos++];
  if (n != kWrappedDataKeySize)
    return Status::Corruption("envelope header: wrapped data key of " + std::to_string(n) +
                              " bytes, want 60");
  RETURN_IF_ERROR(need(n, "wrapped data key"));
  h.wrapped_data_key.assign(b.begin() + pos, b.begin() + pos + n);
  pos += n;
  h.encoded_size = pos;
  return h;
}

struct EnvelopeWriter::State {
  ByteSink sink;
  uint32_t chunk_size = 0;
  crypto::AesGcm gcm;
  std::vector<uint8_t> aad;
  std::array<uint8_t, 12> nonce{};
  std::vector<uint8_t> pending;  // content of the chunk not yet written
  std::vector<uint8_t> record;
  uint64_t index = 0;
  bool done = false;
  Status failed;

  explicit State(crypto::AesGcm g) : gcm(std::move(g)) {}

  Status Emit(bool final) {
    SetChunk(aad, nonce, index, final);
    record.resize(pending.size() + kChunkTagSize);
    RETURN_IF_ERROR(gcm.Seal(nonce, aad, pending, record));
    ++index;
    pending.clear();
    return sink(record);
  }
};

EnvelopeWriter::EnvelopeWriter(std::unique_ptr<State> s) : s_(std::move(s)) {}
EnvelopeWriter::~EnvelopeWriter() = default;

Result<std::unique_ptr<EnvelopeWriter>> EnvelopeWriter::Create(const BucketKey& bucket,
                                                               std::string_view item_id,
                                                               ByteSink sink,
                                                               const EnvelopeOptions& options) {
  RETURN_IF_ERROR(CheckId(item_id, "item id"));
  RETURN_IF_ERROR(CheckId(bucket.id(), "bucket id"));
  RETURN_IF_ERROR(CheckChunkSize(options.chunk_size));
  if (!sink) return Status::InvalidArgument("envelope writer: no sink");
  crypto::SecretBytes data_key(crypto::kAes256KeySize);
  RETURN_IF_ERROR(Fill(options.random, data_key.mutable_view()));
  ASSIGN_OR_RETURN(std::vector<uint8_t> wrapped,
                   WrapDataKey(bucket, item_id, data_key.view(), options.random));
  ASSIGN_OR_RETURN(crypto::AesGcm gcm, crypto::AesGcm::Create(data_key.view()));
  auto s = std::make_unique<State>(std::move(gcm));
  s->sink = std::move(sink);
  s->chunk_size = options.chunk_size;
  s->aad = ChunkAadPrefix(options.chunk_size, item_id);
  s->pending.reserve(options.chunk_size);
  RETURN_IF_ERROR(s->sink(EncodeHeader(options.chunk_size, item_id, bucket.id(), wrapped)));
  return std::unique_ptr<EnvelopeWriter>(new EnvelopeWriter(std::move(s)));
}

Status EnvelopeWriter::Write(std::span<const uint8_t> content) {
  return internal::ChunkedWrite(*s_, content, "envelope writer");
}

Status EnvelopeWriter::Finish() { return internal::ChunkedFinish(*s_, "envelope writer"); }

struct EnvelopeReader::State {
  const BucketKey* bucket = nullptr;
  std::string item_id;
  ByteSink sink;
  std::optional<crypto::AesGcm> gcm;
  EnvelopeHeader header;
  std::vector<uint8_t> aad;
  std::array<uint8_t, 12> nonce{};
  std::vector<uint8_t> buf;  // bytes received and not yet used
  std::vector<uint8_t> plain;
  uint64_t index = 0;
  bool done = false;
  Status failed;

  size_t RecordSize() const { return header.chunk_size + kChunkTagSize; }

  Status StartBody() {
    if (header.item_id != item_id)
      return Status::InvalidArgument("envelope item id: got '" + header.item_id + "', want '" +
                                     item_id + "'");
    if (header.bucket_id != bucket->id())
      return Status::InvalidArgument("envelope bucket id: got '" + header.bucket_id +
                                     "', want '" + bucket->id() + "'");
    ASSIGN_OR_RETURN(crypto::SecretBytes key, UnwrapDataKey(*bucket, header));
    ASSIGN_OR_RETURN(crypto::AesGcm g, crypto::AesGcm::Create(key.view()));
    gcm.emplace(std::move(g));
    aad = ChunkAadPrefix(header.chunk_size, item_id);
    return Status::Ok();
  }

  Status OpenRecord(std::span<const uint8_t> record, bool final) {
    SetChunk(aad, nonce, index, final);
    plain.resize(record.size() - kChunkTagSize);
    Status s = gcm->Open(nonce, aad, record, plain);
    if (s.code() == Code::kCorruption)
      return Status::Corruption("envelope chunk " + std::to_string(index) +
                                ": authentication failed (" +
                                (final ? "truncated, altered or reordered" : "altered or reordered") +
                                ")");
    RETURN_IF_ERROR(s);
    ++index;
    return sink(plain);
  }

  Status Consume(bool at_end) {
    if (!gcm) {
      auto h = ParseEnvelopeHeader(buf);
      if (!h.ok()) {
        // Only a header cut short may still complete with more bytes.
        if (!at_end && h.status().message().find("truncated") != std::string::npos &&
            buf.size() < 4 + 2 + 4 + 3 * 256)
          return Status::Ok();
        return h.status();
      }
      header = std::move(*h);
      buf.erase(buf.begin(), buf.begin() + header.encoded_size);
      RETURN_IF_ERROR(StartBody());
    }
    size_t pos = 0;
    // Strictly more than one record: this one is not the last.
    while (buf.size() - pos > RecordSize()) {
      RETURN_IF_ERROR(OpenRecord(std::span(buf).subspan(pos, RecordSize()), false));
      pos += RecordSize();
    }
    buf.erase(buf.begin(), buf.begin() + pos);
    if (at_end) {
      if (buf.size() < kChunkTagSize)
        return Status::Corruption("envelope chunk " + std::to_string(index) + ": truncated (" +
                                  std::to_string(buf.size()) + " bytes, want at least 16)");
      RETURN_IF_ERROR(OpenRecord(buf, true));
      buf.clear();
    }
    return Status::Ok();
  }
};

EnvelopeReader::EnvelopeReader(std::unique_ptr<State> s) : s_(std::move(s)) {}
EnvelopeReader::~EnvelopeReader() = default;

Result<std::unique_ptr<EnvelopeReader>> EnvelopeReader::Create(const BucketKey& bucket,
                                                               std::string_view item_id,
                                                               ByteSink sink) {
  RETURN_IF_ERROR(CheckId(item_id, "item id"));
  if (!sink) return Status::InvalidArgument("envelope reader: no sink");
  auto s = std::make_unique<State>();
  s->bucket = &bucket;
  s->item_id = std::string(item_id);
  s->sink = std::move(sink);
  return std::unique_ptr<EnvelopeReader>(new EnvelopeReader(std::move(s)));
}

Status EnvelopeReader::Write(std::span<const uint8_t> bytes) {
  return internal::BufferedRead(*s_, bytes, "envelope reader");
}

Status EnvelopeReader::Finish() { return internal::BufferedReadFinish(*s_, "envelope reader"); }

Result<std::vector<uint8_t>> SealEnvelope(const BucketKey& bucket, std::string_view item_id,
                                          std::span<const uint8_t> content,
                                          const EnvelopeOptions& options) {
  std::vector<uint8_t> out;
  uint32_t cs = options.chunk_size == 0 ? 1 : options.chunk_size;
  out.reserve(content.size() + (content.size() / cs + 1) * kChunkTagSize + 600);
  ASSIGN_OR_RETURN(auto w, EnvelopeWriter::Create(
                               bucket, item_id,
                               [&out](std::span<const uint8_t> b) {
                                 out.insert(out.end(), b.begin(), b.end());
                                 return Status::Ok();
                               },
                               options));
  RETURN_IF_ERROR(w->Write(content));
  RETURN_IF_ERROR(w->Finish());
  return out;
}

Result<std::vector<uint8_t>> OpenEnvelope(const BucketKey& bucket, std::string_view item_id,
                                          std::span<const uint8_t> envelope) {
  std::vector<uint8_t> out;
  out.reserve(envelope.size());
  ASSIGN_OR_RETURN(auto r, EnvelopeReader::Create(bucket, item_id,
                                                  [&out](std::span<const uint8_t> b) {
                                                    out.insert(out.end(), b.begin(), b.end());
                                                    return Status::Ok();
                                                  }));
  RETURN_IF_ERROR(r->Write(envelope));
  RETURN_IF_ERROR(r->Finish());
  return out;
}

// Items whose randomness is drawn by one call to the OS generator.
constexpr size_t kRandomItemsPerDraw = 256;
constexpr size_t kRandomPerItem = crypto::kAes256KeySize + crypto::kGcmNonceSize;

struct EnvelopeSealer::State {
  std::string bucket_id;
  uint32_t chunk_size = 0;
  RandomSource random;
  crypto::AesGcm wrap;  // under the bucket key
  crypto::SecretBytes pool{kRandomItemsPerDraw * kRandomPerItem};
  size_t pool_used = kRandomItemsPerDraw * kRandomPerItem;  // empty
  crypto::SecretBytes item_random{kRandomPerItem};
  std::vector<uint8_t> aad;

  explicit State(crypto::AesGcm g) : wrap(std::move(g)) {}

  // The next item's data key (32) then wrap nonce (12), in the order
  // EnvelopeWriter::Create draws them. With a caller's source, drawn from
  // it each time (fixtures); else from the pool, refilled in bulk.
  Status NextRandom() {
    std::span<uint8_t> r = item_random.mutable_view();
    if (random) {
      RETURN_IF_ERROR(random(r.first(crypto::kAes256KeySize)));
      return random(r.subspan(crypto::kAes256KeySize));
    }
    std::span<uint8_t> p = pool.mutable_view();
    if (pool_used == p.size()) {
      RETURN_IF_ERROR(crypto::RandomBytes(p));
      pool_used = 0;
    }
    std::span<uint8_t> take = p.subspan(pool_used, kRandomPerItem);
    std::memcpy(r.data(), take.data(), take.size());
    // A data key lives only in its item's header (wrapped) and nowhere else.
    std::fill(take.begin(), take.end(), 0);
    pool_used += kRandomPerItem;
    return Status::Ok();
  }
};

EnvelopeSealer::EnvelopeSealer(std::unique_ptr<State> s) : s_(std::move(s)) {}
EnvelopeSealer::EnvelopeSealer(EnvelopeSealer&&) noexcept = default;
EnvelopeSealer& EnvelopeSealer::operator=(EnvelopeSealer&&) noexcept = default;
EnvelopeSealer::~EnvelopeSealer() = default;

Result<EnvelopeSealer> EnvelopeSealer::Create(const BucketKey& bucket,
                                              const EnvelopeOptions& options) {
  RETURN_IF_ERROR(CheckId(bucket.id(), "bucket id"));
  RETURN_IF_ERROR(CheckChunkSize(options.chunk_size));
  ASSIGN_OR_RETURN(crypto::AesGcm wrap, crypto::AesGcm::Create(bucket.key()));
  auto s = std::make_unique<State>(std::move(wrap));
  s->bucket_id = bucket.id();
  s->chunk_size = options.chunk_size;
  s->random = options.random;
  return EnvelopeSealer(std::move(s));
}

size_t EnvelopeSealer::EnvelopeSize(std::string_view item_id, uint64_t content_size) const {
  uint64_t chunks = content_size == 0 ? 1 : (content_size + s_->chunk_size - 1) / s_->chunk_size;
  return 4 + 2 + 4 + (1 + item_id.size()) + (1 + s_->bucket_id.size()) + (1 + kWrappedDataKeySize) +
         content_size + chunks * kChunkTagSize;
}

Result<size_t> EnvelopeSealer::Seal(std::string_view item_id, std::span<const uint8_t> content,
                                    std::span<uint8_t> out) {
  State& s = *s_;
  RETURN_IF_ERROR(CheckId(item_id, "item id"));
  if (out.size() != EnvelopeSize(item_id, content.size()))
    return Status::InvalidArgument("envelope sealer: out: " + std::to_string(out.size()) +
                                   " bytes, want " +
                                   std::to_string(EnvelopeSize(item_id, content.size())));
  RETURN_IF_ERROR(s.NextRandom());
  std::span<const uint8_t> r = s.item_random.view();
  std::span<const uint8_t> data_key = r.first(crypto::kAes256KeySize);
  // Header: as EncodeHeader, written in place.
  uint8_t* p = out.data();
  std::memcpy(p, kMagic, 4);
  p[4] = kEnvelopeVersion;
  p[5] = 0;
  for (int i = 0; i < 4; ++i) p[6 + i] = static_cast<uint8_t>(s.chunk_size >> (24 - 8 * i));
  p += 10;
  auto put_short = [&p](std::span<const uint8_t> b) {
    *p++ = static_cast<uint8_t>(b.size());
    std::memcpy(p, b.data(), b.size());
    p += b.size();
  };
  put_short(AsBytes(item_id));
  put_short(AsBytes(s.bucket_id));
  *p++ = static_cast<uint8_t>(kWrappedDataKeySize);
  // The wrap: nonce || AES-256-GCM(bucket key, data key) || tag, as WrapDataKey.
  std::span<uint8_t> wrapped(p, kWrappedDataKeySize);
  std::memcpy(wrapped.data(), r.data() + crypto::kAes256KeySize, crypto::kGcmNonceSize);
  s.aad = DataKeyAad(item_id, s.bucket_id);
  RETURN_IF_ERROR(s.wrap.Seal(wrapped.first(crypto::kGcmNonceSize), s.aad, data_key,
                              wrapped.subspan(crypto::kGcmNonceSize)));
  p += kWrappedDataKeySize;
  const size_t header = static_cast<size_t>(p - out.data());
  // Body: the chunks, every one but the last full, as EnvelopeWriter.
  ASSIGN_OR_RETURN(crypto::AesGcm gcm, crypto::AesGcm::Create(data_key));
  s.aad = ChunkAadPrefix(s.chunk_size, item_id);
  std::array<uint8_t, 12> nonce{};
  uint64_t index = 0;
  size_t pos = 0;
  std::span<uint8_t> body = out.subspan(header);
  do {
    size_t n = std::min<size_t>(content.size() - pos, s.chunk_size);
    bool final = pos + n == content.size();
    SetChunk(s.aad, nonce, index, final);
    RETURN_IF_ERROR(gcm.Seal(nonce, s.aad, content.subspan(pos, n), body.first(n + kChunkTagSize)));
    body = body.subspan(n + kChunkTagSize);
    pos += n;
    ++index;
  } while (pos < content.size());
  std::fill(s.item_random.mutable_view().begin(), s.item_random.mutable_view().end(), 0);
  return header;
}

Result<std::vector<uint8_t>> RewrapEnvelopeHeader(std::span<const uint8_t> envelope,
                                                  const BucketKey& from, const BucketKey& to,
                                                  const RandomSource& random) {
  ASSIGN_OR_RETURN(EnvelopeHeader h, ParseEnvelopeHeader(envelope));
  if (h.bucket_id != from.id())
    return Status::InvalidArgument("envelope bucket id: got '" + h.bucket_id + "', want '" +
                                   from.id() + "'");
  ASSIGN_OR_RETURN(crypto::SecretBytes key, UnwrapDataKey(from, h));
  ASSIGN_OR_RETURN(std::vector<uint8_t> wrapped, WrapDataKey(to, h.item_id, key.view(), random));
  return EncodeHeader(h.chunk_size, h.item_id, to.id(), wrapped);
}

}  // namespace cloison::vault
