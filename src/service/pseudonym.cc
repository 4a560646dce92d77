#include "service/pseudonym.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "crypto/hmac.h"
#include "crypto/sha256.h"

namespace cloison::service {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsHex(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// A character that glues to an identifier: a match next to one is part of a
// longer token (a word, a longer number, a "psn_..." pseudonym).
bool IsWord(char c) {
  return IsDigit(c) || IsAlpha(c) || c == '_';
}
bool IsSeparator(char c) {
  return c == ' ' || c == '.' || c == '-';
}
bool IsLocalChar(char c) {
  return IsDigit(c) || IsAlpha(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool IsDomainChar(char c) {
  return IsDigit(c) || IsAlpha(c) || c == '.' || c == '-';
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool WordBefore(std::string_view t, size_t i) {
  return i > 0 && IsWord(t[i - 1]);
}
bool WordAt(std::string_view t, size_t i) {
  return i < t.size() && IsWord(t[i]);
}

// local@domain.tld around the '@' at `at`: [begin, end) or false.
bool MatchEmail(std::string_view t, size_t at, size_t& begin, size_t& end) {
  size_t b = at;
  while (b > 0 && IsLocalChar(t[b - 1])) --b;
  while (b < at && t[b] == '.') ++b;  // a local part does not start with '.'
  if (b == at) return false;
  size_t e = at + 1;
  while (e < t.size() && IsDomainChar(t[e])) ++e;
  while (e > at + 1 && (t[e - 1] == '.' || t[e - 1] == '-')) --e;  // sentence punctuation
  std::string_view domain = t.substr(at + 1, e - at - 1);
  size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || domain.find("..") != std::string_view::npos ||
      domain.front() == '.')
    return false;
  std::string_view tld = domain.substr(dot + 1);
  if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), IsAlpha)) return false;
  if (WordAt(t, e)) return false;
  begin = b;
  end = e;
  return true;
}

bool MatchIpv6(std::string_view t, size_t i, size_t& end, std::string& normalised) {
  if (!IsHex(t[i]) && t[i] != ':') return false;
  size_t j = i;
  while (j < t.size() && (IsHex(t[j]) || t[j] == ':' || t[j] == '.')) ++j;
  // Sentence punctuation after an address is not part of it: trim until it parses.
  for (size_t e = j; e > i; --e) {
    if (e != j && t[e] != '.' && t[e] != ':') break;  // only trailing '.' and ':' are trimmed
    std::string_view cand = t.substr(i, e - i);
    if (std::count(cand.begin(), cand.end(), ':') < 2 ||
        !std::any_of(cand.begin(), cand.end(), IsHex) || WordAt(t, e))
      continue;
    std::string z(cand);
    in6_addr addr{};
    if (::inet_pton(AF_INET6, z.c_str(), &addr) != 1) continue;
    char buf[INET6_ADDRSTRLEN] = {};
    if (::inet_ntop(AF_INET6, &addr, buf, sizeof buf) == nullptr) return false;
    end = e;
    normalised = std::string("ip:") + buf;
    return true;
  }
  return false;
}

bool MatchIpv4(std::string_view t, size_t i, size_t& end, std::string& normalised) {
  if (i > 0 && t[i - 1] == '.') return false;
  std::string out = "ip:";
  size_t j = i;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (j >= t.size() || t[j] != '.') return false;
      ++j;
    }
    size_t k = j;
    int value = 0;
    while (k < t.size() && IsDigit(t[k]) && k - j < 3) value = value * 10 + (t[k++] - '0');
    if (k == j || value > 255) return false;
    if (part > 0) out += '.';
    out += std::to_string(value);
    j = k;
  }
  if (WordAt(t, j) || (j + 1 < t.size() && t[j] == '.' && IsDigit(t[j + 1]))) return false;
  end = j;
  normalised = std::move(out);
  return true;
}

// E.164: '+' then 8 to 15 digits, single separators between digits. A
// French number (+33) has 11 digits; another number may follow it.
bool MatchE164(std::string_view t, size_t i, size_t& end, std::string& normalised) {
  if (t[i] != '+' || i + 1 >= t.size() || !IsDigit(t[i + 1])) return false;
  std::string digits;
  size_t j = i + 1, end_at_11 = 0;
  while (j < t.size() && digits.size() < 15) {
    if (IsDigit(t[j])) {
      digits += t[j++];
      if (digits.size() == 11) end_at_11 = j;
    } else if (IsSeparator(t[j]) && j + 1 < t.size() && IsDigit(t[j + 1])) {
      ++j;
    } else {
      break;
    }
  }
  if (digits.rfind("33", 0) == 0 && digits.size() > 11 && end_at_11 != 0 &&
      IsSeparator(t[end_at_11])) {
    digits.resize(11);
    j = end_at_11;
  }
  if (digits.size() < 8 || WordAt(t, j)) return false;
  end = j;
  normalised = "tel:+" + digits;
  return true;
}

// French national form: 0 then [1-9], then four pairs, each optionally
// after one separator.
bool MatchFrenchNational(std::string_view t, size_t i, size_t& end, std::string& normalised) {
  if (t[i] != '0' || i + 1 >= t.size() || !IsDigit(t[i + 1]) || t[i + 1] == '0') return false;
  if (i > 0 && t[i - 1] == '+') return false;
  std::string digits(t.substr(i + 1, 1));
  size_t j = i + 2;
  for (int pair = 0; pair < 4; ++pair) {
    if (j < t.size() && IsSeparator(t[j])) ++j;
    if (j + 1 >= t.size() || !IsDigit(t[j]) || !IsDigit(t[j + 1])) return false;
    digits += t.substr(j, 2);
    j += 2;
  }
  if (WordAt(t, j)) return false;
  end = j;
  normalised = "tel:+33" + digits;
  return true;
}

bool MatchId15(std::string_view t, size_t i, size_t& end, std::string& normalised) {
  size_t j = i;
  while (j < t.size() && IsDigit(t[j])) ++j;
  if (j - i != 15 || WordAt(t, j)) return false;
  end = j;
  normalised = "id15:" + std::string(t.substr(i, 15));
  return true;
}

std::string TypeOf(std::string_view normalised) {
  return std::string(normalised.substr(0, normalised.find(':')));
}

struct Span {
  size_t begin, end;
  std::string pseudonym;
};

}  // namespace

std::vector<FoundIdentifier> FindIdentifiers(std::string_view t) {
  std::vector<FoundIdentifier> emails;
  for (size_t at = t.find('@'); at != std::string_view::npos; at = t.find('@', at + 1)) {
    size_t b, e;
    if (!MatchEmail(t, at, b, e)) continue;
    if (!emails.empty() && b < emails.back().end) continue;
    emails.push_back({b, e, "email", "email:" + Lower(t.substr(b, e - b))});
  }
  std::vector<FoundIdentifier> out;
  size_t next_email = 0;
  for (size_t i = 0; i < t.size();) {
    if (next_email < emails.size() && i == emails[next_email].begin) {
      i = emails[next_email].end;
      out.push_back(std::move(emails[next_email++]));
      continue;
    }
    size_t limit = next_email < emails.size() ? emails[next_email].begin : t.size();
    std::string_view view = t.substr(0, limit);
    size_t end = 0;
    std::string norm;
    bool found = false;
    if (!WordBefore(t, i)) {
      found = MatchIpv6(view, i, end, norm) || (IsDigit(t[i]) && MatchIpv4(view, i, end, norm)) ||
              MatchE164(view, i, end, norm) || (IsDigit(t[i]) && MatchId15(view, i, end, norm)) ||
              MatchFrenchNational(view, i, end, norm);
    }
    if (found) {
      out.push_back({i, end, TypeOf(norm), std::move(norm)});
      i = end;
    } else {
      ++i;
    }
  }
  return out;
}

std::string Pseudonym(std::span<const uint8_t> key, std::string_view type,
                      std::string_view normalised) {
  crypto::Digest mac = crypto::HmacSha256(key, normalised);
  return "psn_" + std::string(type) + "_" +
         crypto::Hex(std::span<const uint8_t>(mac.data(), kPseudonymBits / 8));
}

std::string TargetPseudonym(std::span<const uint8_t> key, std::string_view target) {
  if (target.empty()) return "";
  auto found = FindIdentifiers(target);
  if (found.size() == 1 && found[0].begin == 0 && found[0].end == target.size())
    return Pseudonym(key, found[0].type, found[0].normalised);
  return Pseudonym(key, "ref", "ref:" + std::string(target));
}

Pseudonymised Pseudonymise(std::span<const uint8_t> key, std::string_view content,
                           std::string_view target) {
  Pseudonymised out;
  out.target = TargetPseudonym(key, target);
  std::vector<Span> spans;
  for (auto& f : FindIdentifiers(content))
    spans.push_back({f.begin, f.end, Pseudonym(key, f.type, f.normalised)});
  if (!target.empty()) {
    // Standalone occurrences of the target reference, where it is not
    // already inside an identifier found above.
    bool word_first = IsWord(target.front()), word_last = IsWord(target.back());
    for (size_t p = content.find(target); p != std::string_view::npos;
         p = content.find(target, p + 1)) {
      size_t e = p + target.size();
      if ((word_first && WordBefore(content, p)) || (word_last && WordAt(content, e))) continue;
      spans.push_back({p, e, out.target});
    }
  }
  std::stable_sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  out.content.reserve(content.size());
  size_t pos = 0;
  for (const auto& s : spans) {
    if (s.begin < pos) continue;  // overlaps a replacement already made
    out.content.append(content.substr(pos, s.begin - pos));
    out.content += s.pseudonym;
    pos = s.end;
    ++out.replaced;
  }
  out.content.append(content.substr(pos));
  return out;
}

}  // namespace cloison::service
