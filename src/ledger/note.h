// C2SP signed notes (shared/testdata/c2sp/signed-note.md) with Ed25519 keys,
// and the verifier/signer key strings:
//   verifier: "<name>+<8 hex key id>+<base64(0x01 || public key)>"
//   signer:   "PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 || seed)>"
// Pure, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "crypto/ed25519.h"

namespace cloison::ledger {

struct Verifier {
  std::string name;
  uint32_t key_id = 0;
  uint8_t algorithm = 0x01;  // 0x01 Ed25519 note signatures; 0x04 timestamped cosignature/v1
  crypto::Ed25519PublicKey key{};
};

struct Signer {
  std::string name;
  uint32_t key_id = 0;
  crypto::Ed25519KeyPair key;
};

// Key id: the first 4 bytes (big-endian) of SHA-256(name || "\n" || alg || key).
uint32_t KeyId(std::string_view name, uint8_t algorithm, const crypto::Ed25519PublicKey& key);

Result<Verifier> ParseVerifierKey(std::string_view text);
std::string FormatVerifierKey(const Verifier& v);
Result<Signer> ParseSignerKey(std::string_view text);
std::string FormatSignerKey(const Signer& s);
// A fresh Ed25519 signer named `name`, and its verifier.
Signer GenerateSigner(std::string_view name);
Verifier VerifierOf(const Signer& s);

struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  std::string bytes;  // the decoded signature field, after the 4-byte key id
};

struct Note {
  std::string text;  // the body, ending in "\n"
  std::vector<NoteSignature> signatures;
};

// Parses a signed note (body, blank line, "— name base64" lines). Errors name
// the line.
Result<Note> ParseNote(std::string_view text);
std::string FormatNote(const Note& note);
// Adds an Ed25519 signature by `signer` over note.text.
void SignNote(Note& note, const Signer& signer);
// OK if at least one signature by `verifier` (name and key id) verifies.
Status VerifyNote(const Note& note, const Verifier& verifier);

}  // namespace cloison::ledger
