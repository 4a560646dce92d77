// C2SP signed notes (shared/testdata/c2sp/signed-note.md) with Ed25519 keys,
// and the verifier/signer key strings:
//   verifier: "<name>+<8 hex key id>+<base64(0x01 || public key)>"
//   signer:   "PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 || seed)>"
// (0x04 instead of 0x01 for witness cosignature keys). Formats written down in
// doc/formats/checkpoint.md.
// Pure, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
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
  uint8_t algorithm = 0x01;  // as in Verifier: what FormatSignerKey writes
};

// Signature type bytes (signed-note.md "Signature types").
inline constexpr uint8_t kAlgEd25519 = 0x01;
inline constexpr uint8_t kAlgCosignatureV1 = 0x04;

// Limits on what ParseNote accepts: the spec asks for at least 16 signatures.
inline constexpr size_t kMaxNoteSignatures = 100;
inline constexpr size_t kMaxNoteBytes = 1 << 20;

// Key id: the first 4 bytes (big-endian) of SHA-256(name || "\n" || alg || key).
uint32_t KeyId(std::string_view name, uint8_t algorithm, const crypto::Ed25519PublicKey& key);

// Key names are non-empty, without '+' or Unicode spaces. The key id must be
// the one KeyId computes; the algorithm 0x01 or 0x04. Errors name the part.
Result<Verifier> ParseVerifierKey(std::string_view text);
std::string FormatVerifierKey(const Verifier& v);
Result<Signer> ParseSignerKey(std::string_view text);
// The returned string holds the private key: wipe it (crypto::WipeString).
std::string FormatSignerKey(const Signer& s);
// Checks a key name (non-empty, no '+', no Unicode space).
Status CheckKeyName(std::string_view name);
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
// the line (InvalidArgument "line 4: ..."), numbered from `first_line` when
// the note is embedded in a larger text. Signatures by unknown keys are kept.
// FormatNote(*ParseNote(t)) == t for every accepted t.
Result<Note> ParseNote(std::string_view text);
Result<Note> ParseNote(std::string_view text, int first_line);
std::string FormatNote(const Note& note);
// Adds an Ed25519 signature by `signer` over note.text; its key id is
// KeyId(name, 0x01, public key), as the spec requires.
void SignNote(Note& note, const Signer& signer);
// OK if at least one signature by `verifier` (name and key id) verifies and
// none by it fails (InvalidArgument naming the key); NotFound if the note has
// no signature by it. Only algorithm 0x01 verifiers (cosignatures:
// VerifyCosignature in checkpoint.h).
Status VerifyNote(const Note& note, const Verifier& verifier);

// Encodings shared by the C2SP formats.
// Valid UTF-8 without ASCII control characters other than "\n"; the error
// names the line (counted from `first_line`) and the byte in it.
Status CheckNoteText(std::string_view text, int first_line = 1);
// RFC 4648 section 4 base64 with padding.
std::string Base64Encode(std::span<const uint8_t> bytes);
std::string Base64Encode(std::string_view bytes);
// Strict: only the canonical encoding (padding present, unused bits zero) is
// accepted, so that decoding then encoding gives back the input.
std::optional<std::string> Base64Decode(std::string_view text);
// ASCII decimal without leading zeros ("0" alone is fine) that fits uint64.
std::optional<uint64_t> ParseDecimal(std::string_view text);

}  // namespace cloison::ledger
