// UTF-8 (RFC 3629): what the API's text and the ledger's notes must be.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cloison {

// Decodes one UTF-8 sequence at s[i] (i < s.size()); returns its length, or
// 0 if it is not the shortest encoding of a scalar value (overlong,
// surrogate, > U+10FFFF, truncated).
size_t DecodeUtf8(std::string_view s, size_t i, char32_t& cp);

// Whether all of `s` is well-formed UTF-8.
bool IsUtf8(std::string_view s);

// `s` with each byte that does not start a well-formed sequence replaced by
// U+FFFD: for messages that quote what a client sent.
std::string ValidUtf8(std::string_view s);

}  // namespace cloison
