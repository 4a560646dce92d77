#include "rules/rulebook.h"

#include <chrono>

namespace cloison::rules {
namespace {

constexpr std::string_view kKindNames[kItemKindCount] = {
    "correspondence", "connection_data", "computer_data", "sound_image", "url", "location",
};

// Reads a run of decimal digits at `pos` (at most 5: 99999 months is already
// eight millennia); false if there is none or it is too long.
bool ReadNumber(std::string_view s, size_t& pos, int& out) {
  size_t start = pos;
  int v = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    if (pos - start == 5) return false;
    v = v * 10 + (s[pos] - '0');
    ++pos;
  }
  if (pos == start) return false;
  out = v;
  return true;
}

// The latest of several versions: the one whose validity starts last (an
// open start counts as the earliest); on a tie, the later entry in the file.
template <typename T>
const T* Latest(const std::vector<T>& entries, std::string_view id) {
  const T* best = nullptr;
  for (const T& e : entries) {
    if (e.id != id) continue;
    if (best == nullptr || !best->validity.from ||
        (e.validity.from && *e.validity.from >= *best->validity.from)) {
      best = &e;
    }
  }
  return best;
}

template <typename T>
const T* InForceAt(const std::vector<T>& entries, std::string_view id, Time at) {
  for (const T& e : entries) {
    if (e.id == id && e.validity.Covers(at)) return &e;
  }
  return nullptr;
}

}  // namespace

std::string_view ItemKindName(ItemKind k) {
  auto i = static_cast<size_t>(k);
  return i < kItemKindCount ? kKindNames[i] : std::string_view("unknown");
}

std::optional<ItemKind> ParseItemKind(std::string_view name) {
  for (int i = 0; i < kItemKindCount; ++i) {
    if (kKindNames[i] == name) return static_cast<ItemKind>(i);
  }
  return std::nullopt;
}

// Grammar: "P" [n "M"] [n "D"] ["T" n "H"], at least one component, not all
// zero. Years, weeks, minutes and seconds are refused on purpose: the law
// counts in months, days and hours, and one spelling per length keeps
// rulebooks comparable (4 years is P48M).
std::optional<Period> ParsePeriod(std::string_view text) {
  if (text.size() < 3 || text[0] != 'P') return std::nullopt;
  Period p;
  size_t pos = 1;
  bool any = false;
  bool seen_m = false, seen_d = false;
  while (pos < text.size() && text[pos] != 'T') {
    int n = 0;
    if (!ReadNumber(text, pos, n) || pos >= text.size()) return std::nullopt;
    char unit = text[pos++];
    if (unit == 'M' && !seen_m && !seen_d) {
      p.months = n;
      seen_m = true;
    } else if (unit == 'D' && !seen_d) {
      p.days = n;
      seen_d = true;
    } else {
      return std::nullopt;
    }
    any = true;
  }
  if (pos < text.size()) {  // 'T'
    ++pos;
    int n = 0;
    if (!ReadNumber(text, pos, n) || pos + 1 != text.size() || text[pos] != 'H') {
      return std::nullopt;
    }
    p.hours = n;
    any = true;
  }
  if (!any || (p.months == 0 && p.days == 0 && p.hours == 0)) return std::nullopt;
  return p;
}

Time Period::After(Time t) const {
  Time moved = months != 0 ? AddMonths(t, months) : t;
  return moved + std::chrono::days(days) + std::chrono::hours(hours);
}

std::string Period::ToString() const {
  std::string out = "P";
  if (months != 0) out += std::to_string(months) + "M";
  if (days != 0) out += std::to_string(days) + "D";
  if (hours != 0) out += "T" + std::to_string(hours) + "H";
  if (out.size() == 1) out += "0D";
  return out;
}

bool Validity::Covers(Time t) const {
  Date d = DateOf(t);
  if (from && d < *from) return false;
  if (until && d > *until) return false;
  return true;
}

const Retention* Technique::FindRetention(ItemKind kind) const {
  for (const Retention& r : retention) {
    if (r.kind == kind) return &r;
  }
  return nullptr;
}

const Technique* Rulebook::FindTechnique(std::string_view id, Time at) const {
  return InForceAt(techniques, id, at);
}
const Technique* Rulebook::FindTechnique(std::string_view id) const {
  return Latest(techniques, id);
}
const Purpose* Rulebook::FindPurpose(std::string_view id, Time at) const {
  return InForceAt(purposes, id, at);
}
const Purpose* Rulebook::FindPurpose(std::string_view id) const {
  return Latest(purposes, id);
}
const Service* Rulebook::FindService(std::string_view id, Time at) const {
  return InForceAt(services, id, at);
}
const Service* Rulebook::FindService(std::string_view id) const {
  return Latest(services, id);
}
const Minister* Rulebook::FindMinister(std::string_view id) const {
  for (const Minister& m : ministers) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

}  // namespace cloison::rules
