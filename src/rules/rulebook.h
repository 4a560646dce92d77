// The rulebook: Book VIII of the CSI as data (PRODUCT.md invariant 7). Every
// number the law sets lives here, with the article it comes from and the dates
// it is in force; code never hard-codes a duration, purpose or quota.
//
// Pure values: no I/O. Built by ParseRulebook (parser.h), checked by
// CheckRulebook (check.h), read by the evaluator (evaluator.h) and by authz.
// Immutable once built; safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"

namespace cloison::rules {

// Item kinds (API.md): correspondence connection_data computer_data sound_image url location.
enum class ItemKind : uint8_t {
  kCorrespondence,
  kConnectionData,
  kComputerData,
  kSoundImage,
  kUrl,
  kLocation,
};
inline constexpr int kItemKindCount = 6;
std::string_view ItemKindName(ItemKind k);
std::optional<ItemKind> ParseItemKind(std::string_view name);
// Every kind, in enum order (for loops and masks).
inline constexpr ItemKind kAllItemKinds[kItemKindCount] = {
    ItemKind::kCorrespondence, ItemKind::kConnectionData, ItemKind::kComputerData,
    ItemKind::kSoundImage,     ItemKind::kUrl,            ItemKind::kLocation,
};

// A span of calendar months, days and hours, written "P4M", "P30D", "PT48H",
// "P1M15D" in the rulebook (a subset of ISO 8601 durations).
struct Period {
  int months = 0;
  int days = 0;
  int hours = 0;
  // t + this period (months first, clamped to the month's end, then days, hours).
  Time After(Time t) const;
  std::string ToString() const;  // back to "P4M" form
  bool operator==(const Period&) const = default;
};
std::optional<Period> ParsePeriod(std::string_view text);

// When an entry is in force: [from, until], both inclusive calendar dates (UTC),
// each optional (open-ended).
struct Validity {
  std::optional<Date> from;
  std::optional<Date> until;
  bool Covers(Time t) const;
  bool operator==(const Validity&) const = default;
};

// Where a rule comes from: "L. 852-3" (article) and the source line of the
// rulebook file it was read from (for error messages; 0 if built in code).
struct Cite {
  std::string article;
  int line = 0;
  // Free text: "(sec.)" when the value comes from a secondary source, "(?)"
  // when the point is not settled (LAW.md), or any other remark.
  std::string note;
  bool operator==(const Cite&) const = default;
};

struct Purpose {
  std::string id;     // "1", "2", ..., "5a", "5b", "5c", "6", "7" (L. 811-3)
  std::string label;
  Cite cite;
  Validity validity;
  bool operator==(const Purpose&) const = default;
};

struct Minister {
  std::string id;  // defence interior justice economy budget customs (L. 821-2)
  std::string label;
  Cite cite;
  bool operator==(const Minister&) const = default;
};

// How long one kind of data may be kept (L. 822-2 I).
struct Retention {
  ItemKind kind = ItemKind::kCorrespondence;
  Period period;                       // e.g. P30D, P120D, P4Y is written P48M
  std::string counted_from = "collection";  // "collection" | "decryption"
  std::optional<Period> ceiling;       // never beyond this after collection (encrypted: 6 years)
  Cite cite;
  bool operator==(const Retention&) const = default;
};

// The satellite experiment's legal window (L. 852-3): usable from `start` to
// `sunset` inclusive; the government reports to Parliament by `report_due`.
struct LegalWindow {
  Date start;
  Date sunset;
  Date report_due;
  Cite cite;
  bool operator==(const LegalWindow&) const = default;
};

struct Technique {
  std::string id;     // "L851-1", ..., "L852-1-I", "L852-3", "L853-3"
  std::string label;
  Cite cite;          // the article that creates it
  Validity validity;

  Period max_first;   // longest first authorisation
  Period max_renewal; // longest renewal (equal to max_first unless the law differs)
  Cite duration_cite;

  std::vector<std::string> purposes;  // permitted purposes; empty = every purpose
  Cite purposes_cite;

  std::vector<ItemKind> kinds;        // what it may collect
  std::vector<Retention> retention;   // one per kind it collects

  // Unrelated data destroyed as soon as that appears and at most this long
  // after collection (L. 852-3, L. 851-6 (sec.), L. 852-1 II (sec.)).
  std::optional<Period> unrelated_max;
  Cite unrelated_cite;

  bool urgency_eligible = true;  // absolute urgency (L. 821-5) possible
  Cite urgency_cite;

  // L. 852-3: the request must say why L. 852-1 I interception cannot be done.
  bool requires_subsidiarity = false;
  Cite subsidiarity_cite;
  // L. 852-3: deferred centralisation allowed, with a reason in the request.
  bool deferred_centralisation_allowed = false;
  Cite deferred_cite;
  // L. 853-3 (dwelling), L. 853-2: opinion of the restricted or plenary formation.
  bool requires_collegial_opinion = false;
  Cite collegial_cite;
  // Second-circle services may use it at all (L. 852-3: amendment no. 90 switch).
  bool second_circle_allowed = true;
  Cite second_circle_cite;

  // A quota of authorisations in force at once, split by minister.
  bool quota_required = false;
  Cite quota_cite;

  std::optional<LegalWindow> window;

  // The retention rule for `kind`, or nullptr if the technique has none.
  const Retention* FindRetention(ItemKind kind) const;
  bool operator==(const Technique&) const = default;
};

struct Service {
  std::string id;        // "dgsi", "dgse", ...
  std::string label;
  int circle = 1;        // 1 = L. 811-2, 2 = L. 811-4
  std::string minister;  // the minister who signs its requests
  // Second circle: the techniques and purposes its decree allows. First circle:
  // empty lists mean every technique and purpose.
  std::vector<std::string> techniques;
  std::vector<std::string> purposes;
  Cite cite;
  Validity validity;
  bool operator==(const Service&) const = default;
};

struct OpinionRules {
  Period deadline_single;    // 24 h (L. 821-3)
  Period deadline_collegial; // 72 h, restricted or plenary formation
  Cite cite;
  bool operator==(const OpinionRules&) const = default;
};

struct AuthorisationRules {
  Period max_default;            // 4 months unless a technique sets another (L. 821-4)
  Cite max_default_cite;
  Cite request_content_cite;     // L. 821-2
  Cite renewal_reasons_cite;     // L. 821-2: renewal explains why
  Cite override_cite;            // L. 821-4: reasons to override an unfavourable opinion
  Period conseil_etat_ruling;    // 24 h (L. 821-1)
  Cite conseil_etat_cite;
  bool operator==(const AuthorisationRules&) const = default;
};

struct UrgencyRules {
  std::vector<std::string> purposes;  // 1, 4, 5a (L. 821-5)
  Period justification_due;           // 24 h
  Cite cite;
  bool operator==(const UrgencyRules&) const = default;
};

struct ProtectedProfessionRules {
  bool plenary_required = true;   // L. 821-7
  bool urgency_forbidden = true;
  Cite cite;
  bool operator==(const ProtectedProfessionRules&) const = default;
};

struct RndRules {
  bool first_circle_only = true;
  Period max_retention;            // 5 years (P60M); 2 years in the strict profile
  Cite cite;
  // Rejected amendments, switches of the strict profile.
  bool partitioned_storage = false;       // no. 73
  bool collection_date_register = false;  // no. 55
  bool algorithm_criteria_required = false; // no. 56
  Cite amendments_cite;
  bool operator==(const RndRules&) const = default;
};

struct Rulebook {
  std::string id;        // "csi-2021"
  std::string title;
  int version = 1;       // format version of the file
  Date effective;        // the law this rulebook describes is in force from

  std::vector<Purpose> purposes;
  std::vector<Minister> ministers;
  std::vector<Technique> techniques;
  std::vector<Service> services;
  OpinionRules opinion;
  AuthorisationRules authorisation;
  UrgencyRules urgency;
  ProtectedProfessionRules protected_professions;
  RndRules rnd;
  // Data kept beyond retention: encrypted data counted from decryption, at
  // most this long after collection (L. 822-2 I).
  Period encrypted_ceiling;
  Cite encrypted_cite;

  // An id may appear several times with disjoint validity (the law changed):
  // the two-argument lookups return the version in force at `at` (nullptr if
  // none); the one-argument lookups return the latest version.
  const Technique* FindTechnique(std::string_view id, Time at) const;
  const Technique* FindTechnique(std::string_view id) const;
  const Purpose* FindPurpose(std::string_view id, Time at) const;
  const Purpose* FindPurpose(std::string_view id) const;
  const Service* FindService(std::string_view id, Time at) const;
  const Service* FindService(std::string_view id) const;
  const Minister* FindMinister(std::string_view id) const;

  bool operator==(const Rulebook&) const = default;
};

// The articles the evaluator cites, so that messages and tests agree.
struct Violation {
  std::string rule;     // stable id, e.g. "technique.purpose"
  std::string article;  // "L. 852-3"
  std::string message;  // "purposes: got 3, want one of 1, 2, 4, 6 (L. 852-3)"
  bool operator==(const Violation&) const = default;
};

}  // namespace cloison::rules
