// Keyed pseudonyms for R&D copies (L. 822-2 III: the data are kept so that
// no one can look up the identity of the persons concerned). Pure: no I/O,
// no clock; the key comes from the caller (service/rnd_copy.h keeps one per
// programme, wrapped by the root key).
//
// An identifier is replaced by "psn_<type>_<24 hex>": the first 96 bits of
// HMAC-SHA-256(key, normalised identifier). The same identifier gives the
// same pseudonym under one key (research can link the records of one
// programme) and unrelated pseudonyms under two keys (programmes cannot be
// linked to each other). Without the key, a pseudonym cannot be tested
// against a guessed identifier (a plain hash of a phone number could).
//
// What is an identifier (doc/formats/rnd.md, "Pseudonyms"), in the content
// read as bytes (ASCII patterns; other bytes pass through untouched):
//   email  local@domain.tld                      normalised lower-case
//   tel    +CC... (E.164, 8 to 15 digits, single ' ', '.' or '-' between
//          digits) or French national 0X XX XX XX XX (10 digits, pairs
//          optionally separated)                 normalised "+33..." E.164
//   ip     IPv4 dotted quad (each 0..255), IPv6  normalised: IPv4 without
//          (RFC 4291 text forms)                 leading zeros; IPv6 RFC 5952
//   id15   15 digits in a row (IMSI, IMEI)       the digits
// A match must stand alone: not glued to a letter, digit or '_' (so that
// "psn_..." tokens and longer numbers are not cut into identifiers).
// Plus the item's target reference: its own pseudonym ("ref" type unless it
// parses whole as one of the identifiers above, then that type), and every
// standalone occurrence of it in the content is replaced too.
//
// Thread-safety: all functions are thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cloison::service {

inline constexpr size_t kPseudonymKeySize = 32;
inline constexpr size_t kPseudonymBits = 96;

// One identifier found in a text: [begin, end) and its normalised form
// ("tel:+33612345678", "email:a@b.fr", "ip:192.0.2.1", "id15:208150123456789").
struct FoundIdentifier {
  size_t begin = 0;
  size_t end = 0;
  std::string type;  // "tel", "email", "ip", "id15"
  std::string normalised;
  bool operator==(const FoundIdentifier&) const = default;
};

// Every identifier of `text`, left to right, never overlapping.
std::vector<FoundIdentifier> FindIdentifiers(std::string_view text);

// "psn_<type>_<24 hex>" for a normalised identifier of `type`.
std::string Pseudonym(std::span<const uint8_t> key, std::string_view type,
                      std::string_view normalised);

// The pseudonym of a target reference: the identifier's when the whole
// reference is one identifier (so that it matches the content's), else the
// "ref" pseudonym of the reference as given. "" for an empty reference.
std::string TargetPseudonym(std::span<const uint8_t> key, std::string_view target);

struct Pseudonymised {
  std::string content;   // identifiers replaced
  std::string target;    // TargetPseudonym
  int64_t replaced = 0;  // identifiers replaced in the content
};

// Replaces every identifier of `content` and every standalone occurrence of
// `target` (when not empty) with its pseudonym.
Pseudonymised Pseudonymise(std::span<const uint8_t> key, std::string_view content,
                           std::string_view target);

}  // namespace cloison::service
