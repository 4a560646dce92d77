// The sealed-item format (doc/formats/sealed-item.md) behind
// include/cloison/seal.h.
#include <cloison/seal.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>

#include "crypto/aead.h"
#include "crypto/sha256.h"
#include "vault/chunker.h"

namespace cloison::seal {
namespace {

constexpr uint8_t kMagic[4] = {'C', 'L', 'S', 'I'};
constexpr std::string_view kInfo = "cloison/sealed-item/v1";
constexpr std::string_view kPublicPrefix = "cloison-seal-public-v1";
constexpr std::string_view kPrivatePrefix = "cloison-seal-private-v1";
constexpr size_t kAdSize = 74;  // magic .. ephemeral public key
constexpr uint32_t kMinChunk = 16;
constexpr uint32_t kMaxChunk = 16 * 1024 * 1024;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// "<prefix> <64 hex>" into 32 bytes; the error names `what` and never
// quotes the text (it may be a private key).
Status ParseKeyLine(std::string_view text, std::string_view prefix, std::string_view what,
                    std::span<uint8_t, 32> out) {
  text = Trim(text);
  if (text.size() != prefix.size() + 1 + 64 || text.substr(0, prefix.size()) != prefix ||
      text[prefix.size()] != ' ')
    return Status::InvalidArgument(std::string(what) + ": want '" + std::string(prefix) +
                                   " ' then 64 hex digits");
  std::string_view hex = text.substr(prefix.size() + 1);
  for (size_t i = 0; i < 32; ++i) {
    int v = 0;
    for (int j = 0; j < 2; ++j) {
      char c = hex[2 * i + j];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0)
        return Status::InvalidArgument(std::string(what) + ": want lowercase hex digits");
      v = v * 16 + d;
    }
    out[i] = static_cast<uint8_t>(v);
  }
  return Status::Ok();
}

Status CheckChunk(uint32_t n) {
  if (n < kMinChunk || n > kMaxChunk)
    return Status::InvalidArgument("chunk size: " + std::to_string(n) + ", want 16..16777216");
  return Status::Ok();
}

// key = HKDF-SHA256(X25519(private, public), ephemeral pub || recipient pub,
//                   "cloison/sealed-item/v1", 32)
Result<crypto::SecretBytes> StreamKey(std::span<const uint8_t> private_key,
                                      std::span<const uint8_t> peer_public,
                                      const PublicKey& ephemeral, const PublicKey& recipient) {
  auto shared = crypto::X25519(private_key, peer_public);
  if (!shared.ok()) return shared.status();
  std::array<uint8_t, 64> salt{};
  std::copy(ephemeral.begin(), ephemeral.end(), salt.begin());
  std::copy(recipient.begin(), recipient.end(), salt.begin() + 32);
  std::span<const uint8_t> info(reinterpret_cast<const uint8_t*>(kInfo.data()), kInfo.size());
  return crypto::HkdfSha256(shared->view(), salt, info, 32);
}

void PutU32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

}  // namespace

KeyPair GenerateKeyPair() {
  crypto::X25519KeyPair kp = crypto::GenerateX25519();
  KeyPair out;
  out.public_key = kp.public_key;
  out.private_key = std::move(kp.private_key);
  return out;
}

std::string EncodePublicKey(const PublicKey& key) {
  return std::string(kPublicPrefix) + " " + crypto::Hex(key);
}

Result<PublicKey> ParsePublicKey(std::string_view text) {
  PublicKey key{};
  RETURN_IF_ERROR(ParseKeyLine(text, kPublicPrefix, "seal public key", key));
  return key;
}

std::string EncodePrivateKey(const KeyPair& key) {
  return std::string(kPrivatePrefix) + " " + crypto::Hex(key.private_key.view());
}

Result<KeyPair> ParsePrivateKey(std::string_view text) {
  KeyPair kp;
  kp.private_key = crypto::SecretBytes(32);
  RETURN_IF_ERROR(ParseKeyLine(text, kPrivatePrefix, "seal private key",
                               std::span<uint8_t, 32>(kp.private_key.mutable_view().data(), 32)));
  ASSIGN_OR_RETURN(kp.public_key, crypto::X25519PublicFromPrivate(kp.private_key.view()));
  return kp;
}

struct SealStream::State {
  ByteSink sink;
  uint32_t chunk_size = 0;
  std::optional<crypto::SecretStreamPush> push;
  std::array<uint8_t, kAdSize> ad{};
  std::vector<uint8_t> pending;
  std::vector<uint8_t> record;
  bool done = false;
  Status failed;

  Status Emit(bool final) {
    record.resize(pending.size() + kChunkOverhead);
    RETURN_IF_ERROR(push->Push(pending, ad, final, record));
    pending.clear();
    return sink(record);
  }
};

SealStream::SealStream(std::unique_ptr<State> s) : s_(std::move(s)) {}
SealStream::~SealStream() = default;

Result<std::unique_ptr<SealStream>> SealStreamWithEphemeral(const PublicKey& recipient,
                                                            std::span<const uint8_t> ephemeral,
                                                            ByteSink sink,
                                                            const SealOptions& options) {
  RETURN_IF_ERROR(CheckChunk(options.chunk_size));
  if (!sink) return Status::InvalidArgument("seal: no sink");
  ASSIGN_OR_RETURN(PublicKey eph_pub, crypto::X25519PublicFromPrivate(ephemeral));
  auto key = StreamKey(ephemeral, recipient, eph_pub, recipient);
  if (!key.ok())
    return Status::InvalidArgument("seal: recipient public key rejected: " +
                                   key.status().message());
  auto s = std::make_unique<SealStream::State>();
  s->sink = std::move(sink);
  s->chunk_size = options.chunk_size;
  std::array<uint8_t, kHeaderSize> header{};
  std::memcpy(header.data(), kMagic, 4);
  header[4] = kVersion;
  header[5] = 0;
  PutU32(header.data() + 6, options.chunk_size);
  std::copy(recipient.begin(), recipient.end(), header.begin() + 10);
  std::copy(eph_pub.begin(), eph_pub.end(), header.begin() + 42);
  std::array<uint8_t, crypto::kSecretStreamHeaderSize> ss_header{};
  ASSIGN_OR_RETURN(crypto::SecretStreamPush push, crypto::SecretStreamPush::Create(key->view(), ss_header));
  s->push.emplace(std::move(push));
  std::copy(ss_header.begin(), ss_header.end(), header.begin() + kAdSize);
  std::copy(header.begin(), header.begin() + kAdSize, s->ad.begin());
  s->pending.reserve(options.chunk_size);
  RETURN_IF_ERROR(s->sink(header));
  return std::unique_ptr<SealStream>(new SealStream(std::move(s)));
}

Result<std::unique_ptr<SealStream>> SealStream::Create(const PublicKey& recipient, ByteSink sink,
                                                       const SealOptions& options) {
  crypto::X25519KeyPair eph = crypto::GenerateX25519();
  return SealStreamWithEphemeral(recipient, eph.private_key.view(), std::move(sink), options);
}

Status SealStream::Write(std::span<const uint8_t> content) {
  return vault::internal::ChunkedWrite(*s_, content, "seal");
}

Status SealStream::Finish() { return vault::internal::ChunkedFinish(*s_, "seal"); }

struct OpenStream::State {
  const KeyPair* recipient = nullptr;
  ByteSink sink;
  uint32_t chunk_size = 0;
  std::optional<crypto::SecretStreamPull> pull;
  std::array<uint8_t, kAdSize> ad{};
  std::vector<uint8_t> buf;
  std::vector<uint8_t> plain;
  uint64_t index = 0;
  bool done = false;
  Status failed;

  size_t RecordSize() const { return chunk_size + kChunkOverhead; }

  Status StartBody() {
    const uint8_t* h = buf.data();
    if (std::memcmp(h, kMagic, 4) != 0)
      return Status::Corruption("sealed item: magic is not CLSI (not a sealed item)");
    if (h[4] != kVersion)
      return Status::Corruption("sealed item: version " + std::to_string(h[4]) + ", want 1");
    if (h[5] != 0)
      return Status::Corruption("sealed item: flags " + std::to_string(h[5]) + ", want 0");
    chunk_size = static_cast<uint32_t>(h[6]) << 24 | static_cast<uint32_t>(h[7]) << 16 |
                 static_cast<uint32_t>(h[8]) << 8 | h[9];
    if (!CheckChunk(chunk_size).ok())
      return Status::Corruption("sealed item: chunk size " + std::to_string(chunk_size) +
                                " out of range");
    PublicKey to{}, eph{};
    std::copy(h + 10, h + 42, to.begin());
    std::copy(h + 42, h + 74, eph.begin());
    if (to != recipient->public_key)
      return Status::InvalidArgument("sealed item: addressed to key " +
                                     crypto::Hex(std::span(to).first(8)) + "..., not to " +
                                     crypto::Hex(std::span(recipient->public_key).first(8)) +
                                     "...");
    auto key = StreamKey(recipient->private_key.view(), eph, eph, to);
    if (!key.ok())
      return Status::Corruption("sealed item: ephemeral key rejected: " + key.status().message());
    auto p = crypto::SecretStreamPull::Create(key->view(), std::span(buf).subspan(kAdSize, 24));
    if (!p.ok()) return Status::Corruption("sealed item: stream header rejected");
    pull.emplace(std::move(*p));
    std::copy(h, h + kAdSize, ad.begin());
    buf.erase(buf.begin(), buf.begin() + kHeaderSize);
    return Status::Ok();
  }

  Status OpenRecord(std::span<const uint8_t> record, bool last) {
    plain.resize(record.size() - kChunkOverhead);
    auto final = pull->Pull(record, ad, plain);
    if (!final.ok())
      return Status::Corruption("sealed item chunk " + std::to_string(index) +
                                ": authentication failed (altered, reordered or wrong key)");
    if (*final != last)
      return Status::Corruption("sealed item chunk " + std::to_string(index) +
                                (last ? ": truncated (the last chunk is not tagged final)"
                                      : ": tagged final but more bytes follow"));
    ++index;
    return sink(plain);
  }

  Status Consume(bool at_end) {
    if (!pull) {
      if (buf.size() < kHeaderSize) {
        if (at_end)
          return Status::Corruption("sealed item: truncated header (" +
                                    std::to_string(buf.size()) + " bytes, want 98)");
        return Status::Ok();
      }
      RETURN_IF_ERROR(StartBody());
    }
    size_t pos = 0;
    while (buf.size() - pos > RecordSize()) {
      RETURN_IF_ERROR(OpenRecord(std::span(buf).subspan(pos, RecordSize()), false));
      pos += RecordSize();
    }
    buf.erase(buf.begin(), buf.begin() + pos);
    if (at_end) {
      if (buf.size() < kChunkOverhead)
        return Status::Corruption("sealed item chunk " + std::to_string(index) +
                                  ": truncated (" + std::to_string(buf.size()) +
                                  " bytes, want at least 17)");
      RETURN_IF_ERROR(OpenRecord(buf, true));
      buf.clear();
    }
    return Status::Ok();
  }
};

OpenStream::OpenStream(std::unique_ptr<State> s) : s_(std::move(s)) {}
OpenStream::~OpenStream() = default;

Result<std::unique_ptr<OpenStream>> OpenStream::Create(const KeyPair& recipient, ByteSink sink) {
  if (recipient.private_key.size() != 32)
    return Status::InvalidArgument("open: private key of " +
                                   std::to_string(recipient.private_key.size()) +
                                   " bytes, want 32");
  if (!sink) return Status::InvalidArgument("open: no sink");
  auto s = std::make_unique<State>();
  s->recipient = &recipient;
  s->sink = std::move(sink);
  return std::unique_ptr<OpenStream>(new OpenStream(std::move(s)));
}

Status OpenStream::Write(std::span<const uint8_t> sealed) {
  return vault::internal::BufferedRead(*s_, sealed, "open");
}

Status OpenStream::Finish() { return vault::internal::BufferedReadFinish(*s_, "open"); }

Result<std::vector<uint8_t>> Seal(const PublicKey& recipient, std::span<const uint8_t> content,
                                  const SealOptions& options) {
  std::vector<uint8_t> out;
  ASSIGN_OR_RETURN(auto s, SealStream::Create(
                               recipient,
                               [&out](std::span<const uint8_t> b) {
                                 out.insert(out.end(), b.begin(), b.end());
                                 return Status::Ok();
                               },
                               options));
  RETURN_IF_ERROR(s->Write(content));
  RETURN_IF_ERROR(s->Finish());
  return out;
}

Result<std::vector<uint8_t>> Open(const KeyPair& recipient, std::span<const uint8_t> sealed) {
  std::vector<uint8_t> out;
  ASSIGN_OR_RETURN(auto o, OpenStream::Create(recipient, [&out](std::span<const uint8_t> b) {
                     out.insert(out.end(), b.begin(), b.end());
                     return Status::Ok();
                   }));
  RETURN_IF_ERROR(o->Write(sealed));
  RETURN_IF_ERROR(o->Finish());
  return out;
}

}  // namespace cloison::seal
