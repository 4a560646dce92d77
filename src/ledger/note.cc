// C2SP signed notes (signed-note.md): parsing, formatting, Ed25519 signing
// and verification, verifier and signer key strings, and the strict base64
// and decimal encodings that the other C2SP formats share.
#include "ledger/note.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "base/utf8.h"
#include "crypto/secret.h"
#include "crypto/sha256.h"

namespace cloison::ledger {
namespace {

constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";  // U+2014 EM DASH, space
constexpr std::string_view kSignerPrefix = "PRIVATE+KEY+";

std::string LinePrefix(int line) {
  return "line " + std::to_string(line) + ": ";
}

// Quotes a fragment of input for an error message, shortened and with bytes
// outside printable ASCII escaped, so that messages stay one readable line.
std::string Quote(std::string_view s) {
  constexpr size_t kMax = 40;
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < kMax; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      static constexpr char kDigits[] = "0123456789abcdef";
      out += "\\x";
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
  }
  if (s.size() > kMax) out += "...";
  out += '"';
  return out;
}

std::string KeyIdHex(uint32_t id) {
  const std::array<uint8_t, 4> b = {static_cast<uint8_t>(id >> 24), static_cast<uint8_t>(id >> 16),
                                    static_cast<uint8_t>(id >> 8), static_cast<uint8_t>(id)};
  return crypto::Hex(b);
}

std::optional<uint32_t> ParseKeyIdHex(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  uint32_t id = 0;
  for (char c : s) {
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else {
      return std::nullopt;  // lowercase only: the spec's hex encoding, one spelling
    }
    id = id << 4 | static_cast<uint32_t>(v);
  }
  return id;
}

// Unicode White_Space (what Go's unicode.IsSpace reports), which key names
// must not contain.
bool IsUnicodeSpace(char32_t c) {
  switch (c) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x20:
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

crypto::Ed25519PublicKey ToPublicKey(std::string_view bytes) {
  crypto::Ed25519PublicKey key{};
  std::memcpy(key.data(), bytes.data(), key.size());
  return key;
}

std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Splits "name+hexid+base64" (the part of a key string after any prefix).
// Names have no '+', so the first two '+' are the separators; base64 may
// hold more.
struct KeyParts {
  std::string_view name, id, key;
};
// A secret text (a signer key) is never quoted in the error.
Result<KeyParts> SplitKey(std::string_view text, std::string_view what, bool secret) {
  const size_t p1 = text.find('+');
  const size_t p2 = p1 == std::string_view::npos ? p1 : text.find('+', p1 + 1);
  if (p2 == std::string_view::npos) {
    return Status::InvalidArgument(std::string(what) + ": got " +
                                   (secret ? std::string("a key") : Quote(text)) +
                                   ", want <name>+<8 hex key id>+<base64 key>");
  }
  return KeyParts{text.substr(0, p1), text.substr(p1 + 1, p2 - p1 - 1), text.substr(p2 + 1)};
}

Status CheckAlgorithm(uint8_t alg, std::string_view what) {
  if (alg == kAlgEd25519 || alg == kAlgCosignatureV1) return Status::Ok();
  return Status::InvalidArgument(std::string(what) + ": algorithm: got 0x" +
                                 crypto::Hex(std::array<uint8_t, 1>{alg}) +
                                 ", want 0x01 (Ed25519) or 0x04 (cosignature/v1)");
}

Status CheckKeyId(uint32_t got, uint32_t want, std::string_view what) {
  if (got == want) return Status::Ok();
  return Status::InvalidArgument(std::string(what) + ": key id: got " + KeyIdHex(got) + ", want " +
                                 KeyIdHex(want) +
                                 " (SHA-256 of name, newline, algorithm and public key)");
}

}  // namespace

// ---------------------------------------------------------------- encodings

Status CheckNoteText(std::string_view text, int first_line) {
  int line = first_line;
  size_t line_start = 0;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      line_start = ++i;
      continue;
    }
    const std::string where =
        LinePrefix(line) + "byte " + std::to_string(i - line_start + 1) + ": ";
    if (c < 0x20) {
      return Status::InvalidArgument(where + "control character 0x" +
                                     crypto::Hex(std::array<uint8_t, 1>{c}) +
                                     ", want none other than newline");
    }
    char32_t cp;
    const size_t n = DecodeUtf8(text, i, cp);
    if (n == 0) return Status::InvalidArgument(where + "invalid UTF-8");
    i += n;
  }
  return Status::Ok();
}

std::string Base64Encode(std::span<const uint8_t> bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (bytes.size() - i == 1) {
    const uint32_t v = bytes[i] << 16;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (bytes.size() - i == 2) {
    const uint32_t v = bytes[i] << 16 | bytes[i + 1] << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  return Base64Encode(AsBytes(bytes));
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  const auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int pad = 0;
    if (last && text[i + 3] == '=') pad = text[i + 2] == '=' ? 2 : 1;
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      int d = 0;
      if (k < 4 - pad) {
        d = value(text[i + k]);
        if (d < 0) return std::nullopt;  // includes '=' before the end
      }
      v = v << 6 | static_cast<uint32_t>(d);
    }
    out += static_cast<char>(v >> 16);
    if (pad == 2) {
      if ((v & 0xFFFF) != 0) return std::nullopt;  // unused bits must be zero
    } else {
      out += static_cast<char>((v >> 8) & 0xFF);
      if (pad == 1) {
        if ((v & 0xFF) != 0) return std::nullopt;
      } else {
        out += static_cast<char>(v & 0xFF);
      }
    }
  }
  return out;
}

std::optional<uint64_t> ParseDecimal(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

// --------------------------------------------------------------------- keys

uint32_t KeyId(std::string_view name, uint8_t algorithm, const crypto::Ed25519PublicKey& key) {
  std::string buf(name);
  buf += '\n';
  buf += static_cast<char>(algorithm);
  buf.append(reinterpret_cast<const char*>(key.data()), key.size());
  const crypto::Digest d = crypto::Sha256(buf);
  return uint32_t{d[0]} << 24 | uint32_t{d[1]} << 16 | uint32_t{d[2]} << 8 | uint32_t{d[3]};
}

Status CheckKeyName(std::string_view name) {
  if (name.empty())
    return Status::InvalidArgument("key name: empty, want a name such as example.com/log");
  for (size_t i = 0; i < name.size();) {
    char32_t cp;
    const size_t n = DecodeUtf8(name, i, cp);
    if (n == 0) return Status::InvalidArgument("key name: " + Quote(name) + " is not valid UTF-8");
    if (cp == '+' || IsUnicodeSpace(cp) || cp < 0x20) {
      return Status::InvalidArgument("key name: got " + Quote(name) +
                                     ", want no '+', spaces or control characters");
    }
    i += n;
  }
  return Status::Ok();
}

Result<Verifier> ParseVerifierKey(std::string_view text) {
  ASSIGN_OR_RETURN(KeyParts parts, SplitKey(text, "verifier key", /*secret=*/false));
  Status name_ok = CheckKeyName(parts.name);
  if (!name_ok.ok()) return Status::InvalidArgument("verifier key: " + name_ok.message());
  const std::optional<uint32_t> id = ParseKeyIdHex(parts.id);
  if (!id) {
    return Status::InvalidArgument("verifier key: key id: got " + Quote(parts.id) +
                                   ", want 8 lowercase hex digits");
  }
  const std::optional<std::string> key = Base64Decode(parts.key);
  if (!key || key->size() != 33) {
    return Status::InvalidArgument("verifier key: key: got " + Quote(parts.key) +
                                   ", want the base64 of 33 bytes (algorithm, public key)");
  }
  Verifier v;
  v.name = std::string(parts.name);
  v.algorithm = static_cast<uint8_t>((*key)[0]);
  RETURN_IF_ERROR(CheckAlgorithm(v.algorithm, "verifier key"));
  v.key = ToPublicKey(std::string_view(*key).substr(1));
  v.key_id = KeyId(v.name, v.algorithm, v.key);
  RETURN_IF_ERROR(CheckKeyId(*id, v.key_id, "verifier key"));
  return v;
}

std::string FormatVerifierKey(const Verifier& v) {
  std::string key(1, static_cast<char>(v.algorithm));
  key.append(reinterpret_cast<const char*>(v.key.data()), v.key.size());
  return v.name + "+" + KeyIdHex(v.key_id) + "+" + Base64Encode(key);
}

Result<Signer> ParseSignerKey(std::string_view text) {
  if (text.substr(0, kSignerPrefix.size()) != kSignerPrefix) {
    // The text is a secret: never echo it.
    return Status::InvalidArgument("signer key: want PRIVATE+KEY+<name>+<key id>+<base64 key>");
  }
  ASSIGN_OR_RETURN(KeyParts parts, SplitKey(text.substr(kSignerPrefix.size()), "signer key",
                                            /*secret=*/true));
  // Parts of a malformed key string may be parts of the secret: errors quote
  // nothing.
  if (!CheckKeyName(parts.name).ok()) {
    return Status::InvalidArgument("signer key: key name: want non-empty, without '+' or spaces");
  }
  const std::optional<uint32_t> id = ParseKeyIdHex(parts.id);
  if (!id) return Status::InvalidArgument("signer key: key id: want 8 lowercase hex digits");
  std::optional<std::string> key = Base64Decode(parts.key);
  if (!key || key->size() != 33) {
    if (key) crypto::WipeString(*key);
    return Status::InvalidArgument(
        "signer key: key: want the base64 of 33 bytes (algorithm, 32-byte seed)");
  }
  const uint8_t alg = static_cast<uint8_t>((*key)[0]);
  auto pair = crypto::Ed25519FromSeed(AsBytes(std::string_view(*key).substr(1)));
  crypto::WipeString(*key);
  RETURN_IF_ERROR(CheckAlgorithm(alg, "signer key"));
  if (!pair.ok()) return Status::InvalidArgument("signer key: " + pair.status().message());
  Signer s;
  s.name = std::string(parts.name);
  s.algorithm = alg;
  s.key = std::move(*pair);
  s.key_id = KeyId(s.name, alg, s.key.public_key);
  if (*id != s.key_id) {
    return Status::InvalidArgument("signer key: key id: want " + KeyIdHex(s.key_id) +
                                   " (SHA-256 of name, newline, algorithm and public key)");
  }
  return s;
}

std::string FormatSignerKey(const Signer& s) {
  std::string key(1, static_cast<char>(s.algorithm));
  const auto seed = s.key.seed.view();
  key.append(reinterpret_cast<const char*>(seed.data()), seed.size());
  std::string out =
      std::string(kSignerPrefix) + s.name + "+" + KeyIdHex(s.key_id) + "+" + Base64Encode(key);
  crypto::WipeString(key);
  return out;
}

Signer GenerateSigner(std::string_view name) {
  Signer s;
  s.name = std::string(name);
  s.algorithm = kAlgEd25519;
  s.key = crypto::GenerateEd25519();
  s.key_id = KeyId(s.name, s.algorithm, s.key.public_key);
  return s;
}

Verifier VerifierOf(const Signer& s) {
  return Verifier{s.name, KeyId(s.name, s.algorithm, s.key.public_key), s.algorithm,
                  s.key.public_key};
}

// -------------------------------------------------------------------- notes

Result<Note> ParseNote(std::string_view text) {
  return ParseNote(text, 1);
}

Result<Note> ParseNote(std::string_view text, int first_line) {
  if (text.size() > kMaxNoteBytes) {
    return Status::InvalidArgument("note: " + std::to_string(text.size()) +
                                   " bytes, want at most " + std::to_string(kMaxNoteBytes));
  }
  RETURN_IF_ERROR(CheckNoteText(text, first_line));
  const int last_line = first_line + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  if (text.empty() || text.back() != '\n') {
    return Status::InvalidArgument(LinePrefix(last_line) + "note: want a final newline");
  }
  // The text ends at the last empty line; the signatures follow it.
  const size_t split = text.rfind("\n\n");
  if (split == std::string_view::npos) {
    return Status::InvalidArgument(LinePrefix(last_line - 1) +
                                   "note: want a blank line, then signature lines");
  }
  Note note;
  note.text = std::string(text.substr(0, split + 1));
  std::string_view sigs = text.substr(split + 2);
  int line =
      first_line + static_cast<int>(std::count(note.text.begin(), note.text.end(), '\n')) + 1;
  if (sigs.empty()) {
    return Status::InvalidArgument(LinePrefix(line) +
                                   "note: want at least one signature line after the blank line");
  }
  while (!sigs.empty()) {
    const size_t nl = sigs.find('\n');  // present: the note ends in a newline
    const std::string_view l = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    const std::string where = LinePrefix(line++);
    if (note.signatures.size() == kMaxNoteSignatures) {
      return Status::InvalidArgument(where + "signature: more than " +
                                     std::to_string(kMaxNoteSignatures) + " signatures");
    }
    if (l.substr(0, kSigPrefix.size()) != kSigPrefix) {
      return Status::InvalidArgument(where + "signature: got " + Quote(l) +
                                     ", want \"\xE2\x80\x94 <key name> <base64>\"");
    }
    const std::string_view rest = l.substr(kSigPrefix.size());
    const size_t space = rest.find(' ');
    if (space == std::string_view::npos) {
      return Status::InvalidArgument(where + "signature: got " + Quote(l) +
                                     ", want a space between key name and signature");
    }
    const std::string_view name = rest.substr(0, space);
    Status name_ok = CheckKeyName(name);
    if (!name_ok.ok()) return Status::InvalidArgument(where + name_ok.message());
    const std::string_view b64 = rest.substr(space + 1);
    std::optional<std::string> raw = Base64Decode(b64);
    if (!raw) {
      return Status::InvalidArgument(where + "signature: got " + Quote(b64) +
                                     ", want canonical base64");
    }
    if (raw->size() < 5) {
      return Status::InvalidArgument(where + "signature: " + std::to_string(raw->size()) +
                                     " bytes, want a 4-byte key id and a signature");
    }
    NoteSignature sig;
    sig.name = std::string(name);
    const auto u = [&](size_t k) { return static_cast<uint32_t>(static_cast<uint8_t>((*raw)[k])); };
    sig.key_id = u(0) << 24 | u(1) << 16 | u(2) << 8 | u(3);
    sig.bytes = raw->substr(4);
    note.signatures.push_back(std::move(sig));
  }
  return note;
}

std::string FormatNote(const Note& note) {
  std::string out = note.text;
  out += '\n';
  for (const NoteSignature& sig : note.signatures) {
    std::string raw(4, '\0');
    raw[0] = static_cast<char>(sig.key_id >> 24);
    raw[1] = static_cast<char>(sig.key_id >> 16);
    raw[2] = static_cast<char>(sig.key_id >> 8);
    raw[3] = static_cast<char>(sig.key_id);
    raw += sig.bytes;
    out += kSigPrefix;
    out += sig.name;
    out += ' ';
    out += Base64Encode(raw);
    out += '\n';
  }
  return out;
}

void SignNote(Note& note, const Signer& signer) {
  const crypto::Ed25519Signature sig = crypto::Ed25519Sign(signer.key, AsBytes(note.text));
  NoteSignature ns;
  ns.name = signer.name;
  ns.key_id = KeyId(signer.name, kAlgEd25519, signer.key.public_key);
  ns.bytes.assign(reinterpret_cast<const char*>(sig.data()), sig.size());
  note.signatures.push_back(std::move(ns));
}

Status VerifyNote(const Note& note, const Verifier& verifier) {
  const std::string who = verifier.name + "+" + KeyIdHex(verifier.key_id);
  if (verifier.algorithm != kAlgEd25519) {
    return Status::InvalidArgument("verifier " + who + ": algorithm 0x" +
                                   crypto::Hex(std::array<uint8_t, 1>{verifier.algorithm}) +
                                   ", want 0x01 (cosignatures: VerifyCosignature)");
  }
  bool verified = false;
  for (const NoteSignature& sig : note.signatures) {
    if (sig.name != verifier.name || sig.key_id != verifier.key_id) continue;
    // A known key's failing signature makes the note malformed (signed-note.md).
    if (!crypto::Ed25519Verify(verifier.key, AsBytes(note.text), AsBytes(sig.bytes))) {
      return Status::InvalidArgument("signature by " + who + " does not verify");
    }
    verified = true;
  }
  if (!verified) return Status::NotFound("no signature by " + who);
  return Status::Ok();
}

}  // namespace cloison::ledger
