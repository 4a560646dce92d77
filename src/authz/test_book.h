// A rulebook built in code for the authz unit tests, shaped after LAW.md but
// independent of rules/csi-2021.toml: the unit tests check the workflow's
// logic, the legal suite (test/legal_test.cc) checks the shipped data.
#pragma once

#include <string>
#include <vector>

#include "base/time.h"
#include "rules/rulebook.h"

namespace cloison::authz::testing {

inline rules::Cite C(std::string article) {
  return rules::Cite{std::move(article)};
}

inline rules::Period P(int months, int days = 0, int hours = 0) {
  rules::Period p;
  p.months = months;
  p.days = days;
  p.hours = hours;
  return p;
}

inline Date D(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
}

inline Time T(const char* rfc3339) {
  return *ParseTime(rfc3339);
}

inline rules::Technique Tech(std::string id, std::string article, rules::Period max) {
  rules::Technique t;
  t.id = std::move(id);
  t.label = t.id;
  t.cite = C(article);
  t.max_first = max;
  t.max_renewal = max;
  t.duration_cite = C(article);
  t.purposes_cite = C(article);
  t.urgency_cite = C("L. 821-5");
  t.kinds = {rules::ItemKind::kConnectionData};
  return t;
}

inline rules::Rulebook TestBook() {
  using rules::ItemKind;
  rules::Rulebook b;
  b.id = "test";
  b.effective = D(2021, 7, 31);
  for (const char* p : {"1", "2", "3", "4", "5a", "5b", "5c", "6", "7"}) {
    b.purposes.push_back({p, std::string("purpose ") + p, C("L. 811-3"), {}});
  }
  for (const char* m : {"defence", "interior", "justice", "economy", "budget", "customs"}) {
    rules::Minister minister;
    minister.id = m;
    minister.label = m;
    b.ministers.push_back(minister);
  }

  b.techniques.push_back(Tech("L851-1", "L. 851-1", P(4)));

  auto t = Tech("L851-2", "L. 851-2", P(4));
  t.purposes = {"4"};
  t.urgency_eligible = false;
  t.kinds = {ItemKind::kConnectionData, ItemKind::kUrl};
  b.techniques.push_back(t);

  // L. 851-3: 2 months first, 4 on renewal; purposes 1, 2, 4 since 2024
  // (two versions, to test a law that changes between request and decision).
  t = Tech("L851-3", "L. 851-3", P(2));
  t.max_renewal = P(4);
  t.purposes = {"4"};
  t.urgency_eligible = false;
  t.validity.until = D(2023, 12, 31);
  b.techniques.push_back(t);
  t.purposes = {"1", "2", "4"};
  t.validity = {D(2024, 1, 1), std::nullopt};
  b.techniques.push_back(t);

  t = Tech("L851-6", "L. 851-6", P(2));
  t.quota_required = true;
  t.quota_cite = C("L. 851-6");
  b.techniques.push_back(t);

  t = Tech("L852-1-I", "L. 852-1", P(4));
  t.quota_required = true;
  t.quota_cite = C("L. 852-1 I");
  t.kinds = {ItemKind::kCorrespondence, ItemKind::kConnectionData};
  b.techniques.push_back(t);

  t = Tech("L852-1-II", "L. 852-1 II", P(0, 0, 48));
  t.kinds = {ItemKind::kCorrespondence};
  b.techniques.push_back(t);

  t = Tech("L852-3", "L. 852-3", P(0, 30));
  t.purposes = {"1", "2", "4", "6"};
  t.requires_subsidiarity = true;
  t.subsidiarity_cite = C("L. 852-3 I");
  t.deferred_centralisation_allowed = true;
  t.deferred_cite = C("L. 852-3 II");
  t.second_circle_allowed = false;
  t.second_circle_cite = C("L. 852-3 V");
  t.quota_required = true;
  t.quota_cite = C("L. 852-3 IV");
  t.kinds = {ItemKind::kCorrespondence, ItemKind::kConnectionData};
  t.window = rules::LegalWindow{D(2021, 8, 1), D(2025, 7, 31), D(2025, 1, 31), C("L. 852-3 VI")};
  b.techniques.push_back(t);

  t = Tech("L853-2", "L. 853-2", P(2));
  t.requires_collegial_opinion = true;
  t.collegial_cite = C("L. 853-3");
  t.validity.from = D(2021, 8, 1);
  t.kinds = {ItemKind::kComputerData};
  b.techniques.push_back(t);

  t = Tech("L853-3", "L. 853-3", P(0, 30));
  t.requires_collegial_opinion = true;
  t.collegial_cite = C("L. 853-3 III");
  t.urgency_eligible = false;
  t.urgency_cite = C("L. 821-5");
  t.kinds = {ItemKind::kSoundImage, ItemKind::kComputerData};
  b.techniques.push_back(t);

  auto svc = [](std::string id, std::string minister, int circle) {
    rules::Service s;
    s.id = std::move(id);
    s.label = s.id;
    s.minister = std::move(minister);
    s.circle = circle;
    s.cite = C(circle == 1 ? "R. 811-1" : "R. 811-2");
    return s;
  };
  b.services.push_back(svc("dgse", "defence", 1));
  b.services.push_back(svc("dgsi", "interior", 1));
  b.services.push_back(svc("tracfin", "economy", 1));
  auto drpp = svc("drpp", "interior", 2);
  drpp.techniques = {"L851-1", "L852-1-I", "L852-3"};
  drpp.purposes = {"4", "6"};
  b.services.push_back(drpp);
  auto old = svc("old", "interior", 1);
  old.validity.until = D(2022, 12, 31);
  b.services.push_back(old);

  b.opinion = {P(0, 0, 24), P(0, 0, 72), C("L. 821-3")};
  b.authorisation.max_default = P(4);
  b.authorisation.max_default_cite = C("L. 821-4");
  b.authorisation.request_content_cite = C("L. 821-2");
  b.authorisation.renewal_reasons_cite = C("L. 821-2 renewal");
  b.authorisation.override_cite = C("L. 821-4 override");
  b.authorisation.conseil_etat_ruling = P(0, 0, 24);
  b.authorisation.conseil_etat_cite = C("L. 821-1");
  b.urgency = {{"1", "4", "5a"}, P(0, 0, 24), C("L. 821-5")};
  b.protected_professions.cite = C("L. 821-7");
  b.rnd.max_retention = P(60);
  b.rnd.cite = C("L. 822-2 III");
  b.encrypted_ceiling = P(72);
  b.encrypted_cite = C("L. 822-2 I");
  return b;
}

}  // namespace cloison::authz::testing
