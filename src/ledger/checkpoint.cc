// C2SP tlog-checkpoint note bodies and tlog-cosignature/v1 (Ed25519,
// algorithm 0x04) cosignatures.
#include "ledger/checkpoint.h"

#include <algorithm>
#include <array>
#include <climits>
#include <optional>

namespace cloison::ledger {
namespace {

constexpr size_t kCosignatureBytes = 8 + 64;  // timestamp, Ed25519 signature

std::string LinePrefix(int line) {
  return "line " + std::to_string(line) + ": ";
}

std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::string Who(const Verifier& v) {
  const std::array<uint8_t, 4> id = {
      static_cast<uint8_t>(v.key_id >> 24), static_cast<uint8_t>(v.key_id >> 16),
      static_cast<uint8_t>(v.key_id >> 8), static_cast<uint8_t>(v.key_id)};
  return v.name + "+" + crypto::Hex(id);
}

// The message an Ed25519 cosignature/v1 signs (tlog-cosignature.md).
std::string CosignedMessage(std::string_view body, uint64_t unix_seconds) {
  std::string m = "cosignature/v1\ntime " + std::to_string(unix_seconds) + "\n";
  m += body;
  return m;
}

}  // namespace

std::string FormatCheckpoint(const Checkpoint& c) {
  std::string out = c.origin + "\n" + std::to_string(c.size) + "\n" + Base64Encode(c.root) + "\n";
  for (const std::string& e : c.extensions) out += e + "\n";
  return out;
}

Result<Checkpoint> ParseCheckpoint(std::string_view body) {
  return ParseCheckpoint(body, 1);
}

Result<Checkpoint> ParseCheckpoint(std::string_view body, int first_line) {
  RETURN_IF_ERROR(CheckNoteText(body, first_line));
  if (body.empty() || body.back() != '\n') {
    return Status::InvalidArgument(
        LinePrefix(first_line + static_cast<int>(std::count(body.begin(), body.end(), '\n'))) +
        "checkpoint: want a final newline");
  }
  Checkpoint c;
  int line = first_line;
  int index = 0;
  while (!body.empty()) {
    const size_t nl = body.find('\n');
    const std::string_view l = body.substr(0, nl);
    body.remove_prefix(nl + 1);
    const std::string where = LinePrefix(line);
    if (l.empty()) {
      static constexpr const char* kWhat[] = {"origin", "size", "root hash", "extension"};
      return Status::InvalidArgument(where + kWhat[std::min(index, 3)] +
                                     ": empty line, want non-empty lines");
    }
    switch (index) {
      case 0:
        c.origin = std::string(l);
        break;
      case 1: {
        const std::optional<uint64_t> size = ParseDecimal(l);
        if (!size) {
          return Status::InvalidArgument(where + "size: got \"" + std::string(l.substr(0, 40)) +
                                         "\", want a decimal without leading zeros");
        }
        c.size = *size;
        break;
      }
      case 2: {
        const std::optional<std::string> root = Base64Decode(l);
        if (!root || root->size() != c.root.size()) {
          return Status::InvalidArgument(where + "root hash: got \"" +
                                         std::string(l.substr(0, 60)) +
                                         "\", want the base64 of 32 bytes");
        }
        std::copy(root->begin(), root->end(), c.root.begin());
        break;
      }
      default:
        c.extensions.emplace_back(l);
    }
    ++line;
    ++index;
  }
  if (index < 3) {
    static constexpr const char* kMissing[] = {"origin", "size", "root hash"};
    return Status::InvalidArgument(LinePrefix(line) + kMissing[index] +
                                   ": missing, want origin, size and root hash lines");
  }
  return c;
}

Result<Checkpoint> OpenCheckpoint(std::string_view signed_note, const Verifier& log_key,
                                  std::string_view want_origin) {
  ASSIGN_OR_RETURN(Note note, ParseNote(signed_note));
  ASSIGN_OR_RETURN(Checkpoint c, ParseCheckpoint(note.text));
  if (c.origin != want_origin) {
    return Status::InvalidArgument("origin: got \"" + c.origin + "\", want \"" +
                                   std::string(want_origin) + "\"");
  }
  Status signed_ok = VerifyNote(note, log_key);
  if (!signed_ok.ok()) {
    return Status(signed_ok.code(), "checkpoint: log " + signed_ok.message());
  }
  return c;
}

void Cosign(Note& checkpoint_note, const Signer& witness, uint64_t unix_seconds) {
  const std::string message = CosignedMessage(checkpoint_note.text, unix_seconds);
  const crypto::Ed25519Signature sig = crypto::Ed25519Sign(witness.key, AsBytes(message));
  NoteSignature ns;
  ns.name = witness.name;
  // The spec fixes the cosignature key id (algorithm 0x04), whatever the signer says.
  ns.key_id = KeyId(witness.name, kAlgCosignatureV1, witness.key.public_key);
  ns.bytes.resize(8);
  for (int i = 0; i < 8; ++i) ns.bytes[i] = static_cast<char>(unix_seconds >> (56 - 8 * i));
  ns.bytes.append(reinterpret_cast<const char*>(sig.data()), sig.size());
  checkpoint_note.signatures.push_back(std::move(ns));
}

Result<uint64_t> VerifyCosignature(const Note& checkpoint_note, const Verifier& witness) {
  if (witness.algorithm != kAlgCosignatureV1) {
    return Status::InvalidArgument("witness " + Who(witness) +
                                   ": algorithm: want 0x04 (cosignature/v1)");
  }
  std::optional<uint64_t> latest;
  for (const NoteSignature& sig : checkpoint_note.signatures) {
    if (sig.name != witness.name || sig.key_id != witness.key_id) continue;
    if (sig.bytes.size() != kCosignatureBytes) {
      return Status::InvalidArgument("cosignature by " + Who(witness) + ": " +
                                     std::to_string(sig.bytes.size()) +
                                     " bytes, want 72 (timestamp, Ed25519 signature)");
    }
    uint64_t t = 0;
    for (int i = 0; i < 8; ++i) t = t << 8 | static_cast<uint8_t>(sig.bytes[i]);
    if (t > static_cast<uint64_t>(INT64_MAX)) {
      return Status::InvalidArgument("cosignature by " + Who(witness) + ": timestamp " +
                                     std::to_string(t) + ", want at most 2^63-1");
    }
    const std::string message = CosignedMessage(checkpoint_note.text, t);
    if (!crypto::Ed25519Verify(witness.key, AsBytes(message),
                               AsBytes(std::string_view(sig.bytes).substr(8)))) {
      return Status::InvalidArgument("cosignature by " + Who(witness) + " does not verify");
    }
    if (!latest || t > *latest) latest = t;
  }
  if (!latest) return Status::NotFound("no cosignature by " + Who(witness));
  return *latest;
}

Signer GenerateWitnessSigner(std::string_view name) {
  Signer s;
  s.name = std::string(name);
  s.algorithm = kAlgCosignatureV1;
  s.key = crypto::GenerateEd25519();
  s.key_id = KeyId(s.name, kAlgCosignatureV1, s.key.public_key);
  return s;
}

Verifier WitnessVerifierOf(const Signer& s) {
  return Verifier{s.name, KeyId(s.name, kAlgCosignatureV1, s.key.public_key), kAlgCosignatureV1,
                  s.key.public_key};
}

}  // namespace cloison::ledger
