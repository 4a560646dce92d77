#include "rules/check.h"

#include <algorithm>

#include "rules/parser.h"

namespace cloison::rules {
namespace {

std::string Index(std::string_view list, size_t i) {
  return std::string(list) + "[" + std::to_string(i) + "]";
}

std::string Quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

bool Overlap(const Validity& a, const Validity& b) {
  if (a.until && b.from && *a.until < *b.from) return false;
  if (b.until && a.from && *b.until < *a.from) return false;
  return true;
}

std::string Span(const Validity& v) {
  return (v.from ? FormatDate(*v.from) : std::string("open")) + " to " +
         (v.until ? FormatDate(*v.until) : std::string("open"));
}

class Checker {
 public:
  explicit Checker(const Rulebook& book) : b_(book) {}

  std::vector<Problem> Run() {
    CheckArticles();
    CheckValidities();
    CheckDuplicates();
    CheckTechniques();
    CheckServices();
    CheckUrgency();
    return std::move(out_);
  }

 private:
  void Add(std::string key, int line, std::string message) {
    out_.push_back({std::move(key), line, std::move(message)});
  }

  // An entry or a rule without the article it comes from (LAW.md: every rule
  // cites its source). Conditional rules are checked only when they apply.
  void NeedArticle(const Cite& c, std::string key, int fallback_line, std::string_view what) {
    if (!c.article.empty()) return;
    Add(std::move(key), c.line ? c.line : fallback_line,
        "missing article, want the article " + std::string(what) + " comes from");
  }

  void CheckArticles() {
    for (size_t i = 0; i < b_.purposes.size(); ++i) {
      NeedArticle(b_.purposes[i].cite, Index("purposes", i) + ".article", 0, "the purpose");
    }
    for (size_t i = 0; i < b_.ministers.size(); ++i) {
      NeedArticle(b_.ministers[i].cite, Index("ministers", i) + ".article", 0, "the minister");
    }
    for (size_t i = 0; i < b_.techniques.size(); ++i) {
      const Technique& t = b_.techniques[i];
      std::string k = Index("techniques", i);
      int l = t.cite.line;
      NeedArticle(t.cite, k + ".article", l, "the technique");
      NeedArticle(t.duration_cite, k + ".duration_article", l, "its maximum duration");
      if (!t.purposes.empty())
        NeedArticle(t.purposes_cite, k + ".purposes_article", l, "its purposes");
      for (size_t j = 0; j < t.retention.size(); ++j) {
        NeedArticle(t.retention[j].cite, k + "." + Index("retention", j) + ".article", l,
                    "the retention period");
      }
      if (t.unrelated_max)
        NeedArticle(t.unrelated_cite, k + ".unrelated_article", l, "unrelated_max");
      NeedArticle(t.urgency_cite, k + ".urgency_article", l, "urgency eligibility");
      if (t.requires_subsidiarity) {
        NeedArticle(t.subsidiarity_cite, k + ".subsidiarity_article", l, "requires_subsidiarity");
      }
      if (t.deferred_centralisation_allowed) {
        NeedArticle(t.deferred_cite, k + ".deferred_article", l, "deferred_centralisation_allowed");
      }
      if (t.requires_collegial_opinion) {
        NeedArticle(t.collegial_cite, k + ".collegial_article", l, "requires_collegial_opinion");
      }
      if (!t.second_circle_allowed) {
        NeedArticle(t.second_circle_cite, k + ".second_circle_article", l, "second_circle_allowed");
      }
      if (t.quota_required) NeedArticle(t.quota_cite, k + ".quota_article", l, "quota_required");
      if (t.window) NeedArticle(t.window->cite, k + ".window.article", l, "the legal window");
    }
    for (size_t i = 0; i < b_.services.size(); ++i) {
      NeedArticle(b_.services[i].cite, Index("services", i) + ".article", 0, "the service");
    }
    NeedArticle(b_.opinion.cite, "opinion.article", 0, "the opinion deadlines");
    NeedArticle(b_.authorisation.max_default_cite, "authorisation.max_default_article", 0,
                "max_default");
    NeedArticle(b_.authorisation.request_content_cite, "authorisation.request_content_article", 0,
                "the request content rule");
    NeedArticle(b_.authorisation.renewal_reasons_cite, "authorisation.renewal_reasons_article", 0,
                "the renewal reasons rule");
    NeedArticle(b_.authorisation.override_cite, "authorisation.override_article", 0,
                "the override rule");
    NeedArticle(b_.authorisation.conseil_etat_cite, "authorisation.conseil_etat_article", 0,
                "conseil_etat_ruling");
    NeedArticle(b_.urgency.cite, "urgency.article", 0, "the urgency procedure");
    NeedArticle(b_.protected_professions.cite, "protected_professions.article", 0,
                "the protected professions rule");
    NeedArticle(b_.rnd.cite, "rnd.article", 0, "R&D retention");
    if (b_.rnd.partitioned_storage || b_.rnd.collection_date_register ||
        b_.rnd.algorithm_criteria_required) {
      NeedArticle(b_.rnd.amendments_cite, "rnd.amendments_article", b_.rnd.cite.line,
                  "the R&D safeguards");
    }
    NeedArticle(b_.encrypted_cite, "encrypted.article", 0, "the encrypted-data ceiling");
  }

  void CheckValidity(const Validity& v, const std::string& key, int line) {
    if (v.from && v.until && *v.from > *v.until) {
      Add(key + ".until", line,
          "got " + FormatDate(*v.until) + ", want a date on or after from " + FormatDate(*v.from));
    }
  }

  void CheckValidities() {
    for (size_t i = 0; i < b_.purposes.size(); ++i) {
      CheckValidity(b_.purposes[i].validity, Index("purposes", i), b_.purposes[i].cite.line);
    }
    for (size_t i = 0; i < b_.techniques.size(); ++i) {
      const Technique& t = b_.techniques[i];
      std::string k = Index("techniques", i);
      CheckValidity(t.validity, k, t.cite.line);
      if (t.window) {
        const LegalWindow& w = *t.window;
        int l = w.cite.line ? w.cite.line : t.cite.line;
        if (w.start > w.sunset) {
          Add(k + ".window.start", l,
              "got " + FormatDate(w.start) + ", want a date on or before sunset " +
                  FormatDate(w.sunset) + " (" + w.cite.article + ")");
        }
        // The government reports at the latest six months before the end
        // of the experiment (L. 852-3).
        Date latest = DateOf(AddMonths(StartOf(w.sunset), -6));
        if (w.report_due > latest) {
          Add(k + ".window.report_due", l,
              "got " + FormatDate(w.report_due) + ", want on or before " + FormatDate(latest) +
                  ", six months before sunset " + FormatDate(w.sunset) + " (" + w.cite.article +
                  ")");
        }
      }
    }
    for (size_t i = 0; i < b_.services.size(); ++i) {
      CheckValidity(b_.services[i].validity, Index("services", i), b_.services[i].cite.line);
    }
  }

  template <typename T>
  void CheckDuplicateIds(const std::vector<T>& v, std::string_view list) {
    for (size_t i = 0; i < v.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (v[i].id != v[j].id || !Overlap(v[i].validity, v[j].validity)) continue;
        Add(Index(list, i) + ".id", v[i].cite.line,
            "got " + Quoted(v[i].id) + " in force " + Span(v[i].validity) + ", want validity " +
                "windows that do not overlap those of " + Index(list, j) + " (" +
                Span(v[j].validity) + ")");
        break;
      }
    }
  }

  void CheckDuplicates() {
    CheckDuplicateIds(b_.purposes, "purposes");
    CheckDuplicateIds(b_.techniques, "techniques");
    CheckDuplicateIds(b_.services, "services");
    for (size_t i = 0; i < b_.ministers.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (b_.ministers[i].id != b_.ministers[j].id) continue;
        Add(Index("ministers", i) + ".id", b_.ministers[i].cite.line,
            "got " + Quoted(b_.ministers[i].id) + " again, want each minister once (first at " +
                Index("ministers", j) + ")");
        break;
      }
    }
  }

  // Every id in `ids` names a purpose of the rulebook.
  void KnownPurposes(const std::vector<std::string>& ids, const std::string& key, int line) {
    for (size_t j = 0; j < ids.size(); ++j) {
      if (b_.FindPurpose(ids[j]) == nullptr) {
        Add(Index(key, j), line, "got " + Quoted(ids[j]) + ", want a purpose of [[purposes]]");
      }
    }
  }

  void CheckTechniques() {
    const Period& cap = b_.authorisation.max_default;
    for (size_t i = 0; i < b_.techniques.size(); ++i) {
      const Technique& t = b_.techniques[i];
      std::string k = Index("techniques", i);
      KnownPurposes(t.purposes, k + ".purposes",
                    t.purposes_cite.line ? t.purposes_cite.line : t.cite.line);
      // L. 821-4: 4 months at most unless a technique sets another maximum;
      // the rulebook keeps the general cap above every technique's own.
      int dl = t.duration_cite.line ? t.duration_cite.line : t.cite.line;
      if (PeriodLonger(t.max_first, cap)) {
        Add(k + ".max_first", dl,
            "got " + t.max_first.ToString() + ", want at most " + cap.ToString() + " (" +
                b_.authorisation.max_default_cite.article + ")");
      }
      if (PeriodLonger(t.max_renewal, cap)) {
        Add(k + ".max_renewal", dl,
            "got " + t.max_renewal.ToString() + ", want at most " + cap.ToString() + " (" +
                b_.authorisation.max_default_cite.article + ")");
      }
      for (size_t j = 0; j < t.retention.size(); ++j) {
        const Retention& r = t.retention[j];
        std::string rk = k + "." + Index("retention", j);
        int rl = r.cite.line ? r.cite.line : t.cite.line;
        if (std::find(t.kinds.begin(), t.kinds.end(), r.kind) == t.kinds.end()) {
          Add(rk + ".kind", rl,
              "got \"" + std::string(ItemKindName(r.kind)) + "\", want a kind " + t.id +
                  " collects (kinds)");
        }
        for (size_t m = 0; m < j; ++m) {
          if (t.retention[m].kind == r.kind) {
            Add(rk + ".kind", rl,
                "got \"" + std::string(ItemKindName(r.kind)) + "\" again, want one rule per kind");
          }
        }
        if (r.counted_from != "collection" && r.counted_from != "decryption") {
          Add(rk + ".counted_from", rl,
              "got " + Quoted(r.counted_from) + ", want \"collection\" or \"decryption\"");
        }
      }
      for (ItemKind kind : t.kinds) {
        if (t.FindRetention(kind) == nullptr) {
          Add(k + ".kinds", t.cite.line,
              "got \"" + std::string(ItemKindName(kind)) +
                  "\" with no [[techniques.retention]] for it, want a retention period for every "
                  "kind collected (L. 822-2 I)");
        }
      }
    }
  }

  void CheckServices() {
    for (size_t i = 0; i < b_.services.size(); ++i) {
      const Service& s = b_.services[i];
      std::string k = Index("services", i);
      int l = s.cite.line;
      if (s.circle != 1 && s.circle != 2) {
        Add(k + ".circle", l,
            "got " + std::to_string(s.circle) + ", want 1 (L. 811-2) or 2 (L. 811-4)");
      }
      if (b_.FindMinister(s.minister) == nullptr) {
        Add(k + ".minister", l, "got " + Quoted(s.minister) + ", want a minister of [[ministers]]");
      }
      KnownPurposes(s.purposes, k + ".purposes", l);
      if (s.circle == 2 && s.techniques.empty()) {
        Add(k + ".techniques", l,
            "missing, want the techniques the designating decree allows a second-circle "
            "service (L. 811-4)");
      }
      for (size_t j = 0; j < s.techniques.size(); ++j) {
        const std::string& id = s.techniques[j];
        if (b_.FindTechnique(id) == nullptr) {
          Add(Index(k + ".techniques", j), l,
              "got " + Quoted(id) + ", want a technique of [[techniques]]");
          continue;
        }
        if (s.circle != 2) continue;
        for (const Technique& t : b_.techniques) {
          if (t.id != id || t.second_circle_allowed || !Overlap(t.validity, s.validity)) continue;
          Add(Index(k + ".techniques", j), l,
              "got " + Quoted(id) +
                  " for a second-circle service, want a technique with "
                  "second_circle_allowed (" +
                  t.second_circle_cite.article + ")");
          break;
        }
      }
    }
  }

  void CheckUrgency() {
    KnownPurposes(b_.urgency.purposes, "urgency.purposes", b_.urgency.cite.line);
  }

  const Rulebook& b_;
  std::vector<Problem> out_;
};

}  // namespace

bool PeriodLonger(const Period& a, const Period& b) {
  // 2024 is a leap year; 24 starts cover every month length and February both ways.
  for (int m = 0; m < 24; ++m) {
    Time start = AddMonths(
        StartOf(Date{std::chrono::year(2024), std::chrono::January, std::chrono::day(1)}), m);
    if (a.After(start) > b.After(start)) return true;
  }
  return false;
}

std::vector<Problem> CheckRulebook(const Rulebook& book) {
  return Checker(book).Run();
}

std::string FormatProblems(std::string_view source, const std::vector<Problem>& problems,
                           size_t max) {
  std::string out;
  for (size_t i = 0; i < problems.size() && i < max; ++i) {
    const Problem& p = problems[i];
    if (i) out += "\n";
    out += std::string(source) + ":" + std::to_string(p.line) + ": " + p.key + ": " + p.message;
  }
  if (problems.size() > max) {
    out += "\n... and " + std::to_string(problems.size() - max) + " more";
  }
  return out;
}

Result<Rulebook> ParseAndCheck(std::string_view text, std::string_view source_name) {
  ASSIGN_OR_RETURN(Rulebook book, ParseRulebook(text, source_name));
  std::vector<Problem> problems = CheckRulebook(book);
  if (!problems.empty()) return Status::InvalidArgument(FormatProblems(source_name, problems));
  return book;
}

Result<Rulebook> LoadAndCheck(const std::string& path) {
  ASSIGN_OR_RETURN(Rulebook book, LoadRulebook(path));
  std::vector<Problem> problems = CheckRulebook(book);
  if (!problems.empty()) return Status::InvalidArgument(FormatProblems(path, problems));
  return book;
}

}  // namespace cloison::rules
