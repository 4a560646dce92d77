#include "rules/format.h"

#include <algorithm>
#include <vector>

namespace cloison::rules {
namespace {

// Display width of UTF-8 text: one column per code point (labels hold é, °).
size_t Width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : rows_{std::move(header)} {}
  void Row(std::vector<std::string> cells) {
    cells.resize(rows_[0].size());
    rows_.push_back(std::move(cells));
  }
  std::string Render() const {
    std::vector<size_t> w(rows_[0].size(), 0);
    for (const auto& r : rows_) {
      for (size_t c = 0; c < r.size(); ++c) w[c] = std::max(w[c], Width(r[c]));
    }
    std::string out;
    auto line = [&](const std::vector<std::string>& r) {
      std::string l;
      for (size_t c = 0; c < r.size(); ++c) {
        l += r[c];
        if (c + 1 < r.size()) l += std::string(w[c] - Width(r[c]) + 2, ' ');
      }
      while (!l.empty() && l.back() == ' ') l.pop_back();
      out += l + "\n";
    };
    line(rows_[0]);
    std::vector<std::string> rule;
    for (size_t c = 0; c < w.size(); ++c) rule.push_back(std::string(w[c], '-'));
    line(rule);
    for (size_t i = 1; i < rows_.size(); ++i) line(rows_[i]);
    return out;
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

std::string Join(const std::vector<std::string>& v, std::string_view sep = " ") {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? std::string(sep) : "") + v[i];
  return out;
}

std::string Span(const Validity& v) {
  if (!v.from && !v.until) return "always";
  return (v.from ? FormatDate(*v.from) : std::string("...")) + ".." +
         (v.until ? FormatDate(*v.until) : std::string(""));
}

std::string YesNo(bool b) {
  return b ? "yes" : "no";
}

// "L. 821-3 (sec.)": the article with its note when the note is short.
std::string Cited(const Cite& c) {
  if (c.note.empty()) return c.article;
  std::string out = c.article;
  if (c.note.find("(sec.)") != std::string::npos) out += " (sec.)";
  if (c.note.find("(?)") != std::string::npos) out += " (?)";
  return out;
}

std::string Section(std::string_view title) {
  return "\n" + std::string(title) + "\n" + std::string(Width(title), '=') + "\n\n";
}

}  // namespace

std::string FormatRulebook(const Rulebook& b) {
  std::string out = "Rulebook " + b.id + " (format version " + std::to_string(b.version) + ")\n";
  if (!b.title.empty()) out += b.title + "\n";
  out += "In force from " + FormatDate(b.effective) + "\n";

  out += Section("Techniques");
  TextTable tech(
      {"id", "label", "article", "in force", "first", "renewal", "duration", "purposes"});
  for (const Technique& t : b.techniques) {
    tech.Row({t.id, t.label, Cited(t.cite), Span(t.validity), t.max_first.ToString(),
              t.max_renewal.ToString(), Cited(t.duration_cite),
              t.purposes.empty() ? "all" : Join(t.purposes) + " (" + Cited(t.purposes_cite) + ")"});
  }
  out += tech.Render();

  out += Section("Collection and retention (L. 822-2)");
  TextTable ret({"technique", "kind", "kept", "counted from", "ceiling", "article"});
  for (const Technique& t : b.techniques) {
    if (t.kinds.empty()) {
      ret.Row({t.id, "(collects nothing itself)", "", "", "", ""});
      continue;
    }
    for (ItemKind k : t.kinds) {
      const Retention* r = t.FindRetention(k);
      if (r == nullptr) {
        ret.Row({t.id, std::string(ItemKindName(k)), "(none)", "", "", ""});
        continue;
      }
      ret.Row({t.id, std::string(ItemKindName(k)), r->period.ToString(), r->counted_from,
               r->ceiling ? r->ceiling->ToString() : "", Cited(r->cite)});
    }
  }
  out += ret.Render();

  out += Section("Procedure by technique");
  TextTable flags({"technique", "urgency", "subsidiarity", "deferred centr.", "collegial opinion",
                   "quota", "2nd circle", "unrelated max", "window (start..sunset, report)"});
  for (const Technique& t : b.techniques) {
    std::string window = "";
    if (t.window) {
      window = FormatDate(t.window->start) + ".." + FormatDate(t.window->sunset) + ", report " +
               FormatDate(t.window->report_due) + " (" + Cited(t.window->cite) + ")";
    }
    flags.Row(
        {t.id, YesNo(t.urgency_eligible), YesNo(t.requires_subsidiarity),
         YesNo(t.deferred_centralisation_allowed), YesNo(t.requires_collegial_opinion),
         YesNo(t.quota_required), YesNo(t.second_circle_allowed),
         t.unrelated_max ? t.unrelated_max->ToString() + " (" + Cited(t.unrelated_cite) + ")" : "-",
         window.empty() ? "-" : window});
  }
  out += flags.Render();

  out += Section("Services");
  TextTable svc(
      {"id", "label", "circle", "minister", "techniques", "purposes", "article", "in force"});
  for (const Service& s : b.services) {
    svc.Row({s.id, s.label, std::to_string(s.circle), s.minister,
             s.techniques.empty() ? "all" : Join(s.techniques),
             s.purposes.empty() ? "all" : Join(s.purposes), Cited(s.cite), Span(s.validity)});
  }
  out += svc.Render();

  out += Section("Purposes");
  TextTable pur({"id", "label", "article", "in force"});
  for (const Purpose& p : b.purposes) pur.Row({p.id, p.label, Cited(p.cite), Span(p.validity)});
  out += pur.Render();

  out += Section("Ministers");
  TextTable min({"id", "label", "article"});
  for (const Minister& m : b.ministers) min.Row({m.id, m.label, Cited(m.cite)});
  out += min.Render();

  out += Section("Procedure");
  TextTable proc({"rule", "value", "article"});
  proc.Row({"CNCTR opinion, single member", b.opinion.deadline_single.ToString(),
            Cited(b.opinion.cite)});
  proc.Row({"CNCTR opinion, restricted or plenary", b.opinion.deadline_collegial.ToString(),
            Cited(b.opinion.cite)});
  proc.Row({"authorisation, default maximum", b.authorisation.max_default.ToString(),
            Cited(b.authorisation.max_default_cite)});
  proc.Row({"request content", "-", Cited(b.authorisation.request_content_cite)});
  proc.Row({"renewal states its reasons", "-", Cited(b.authorisation.renewal_reasons_cite)});
  proc.Row({"override of an unfavourable opinion", "written reasons",
            Cited(b.authorisation.override_cite)});
  proc.Row({"Conseil d'Etat ruling", b.authorisation.conseil_etat_ruling.ToString(),
            Cited(b.authorisation.conseil_etat_cite)});
  proc.Row({"urgency: purposes", Join(b.urgency.purposes), Cited(b.urgency.cite)});
  proc.Row({"urgency: reasons to the CNCTR within", b.urgency.justification_due.ToString(),
            Cited(b.urgency.cite)});
  proc.Row({"protected professions: plenary", YesNo(b.protected_professions.plenary_required),
            Cited(b.protected_professions.cite)});
  proc.Row({"protected professions: no urgency", YesNo(b.protected_professions.urgency_forbidden),
            Cited(b.protected_professions.cite)});
  proc.Row({"encrypted data: ceiling after collection", b.encrypted_ceiling.ToString(),
            Cited(b.encrypted_cite)});
  out += proc.Render();

  out += Section("Research and development (L. 822-2 III)");
  TextTable rnd({"rule", "value", "article"});
  rnd.Row({"first circle only", YesNo(b.rnd.first_circle_only), Cited(b.rnd.cite)});
  rnd.Row({"maximum retention", b.rnd.max_retention.ToString(), Cited(b.rnd.cite)});
  rnd.Row({"partitioned storage (am. 73)", YesNo(b.rnd.partitioned_storage),
           Cited(b.rnd.amendments_cite)});
  rnd.Row({"collection-date register (am. 55)", YesNo(b.rnd.collection_date_register),
           Cited(b.rnd.amendments_cite)});
  rnd.Row({"algorithm criteria (am. 56)", YesNo(b.rnd.algorithm_criteria_required),
           Cited(b.rnd.amendments_cite)});
  out += rnd.Render();

  // Every note, so that "(sec.)" and "(?)" are never hidden.
  std::vector<std::string> notes;
  auto note = [&](const std::string& where, const Cite& c) {
    if (!c.note.empty()) notes.push_back("- " + where + ": " + c.note);
  };
  for (const Technique& t : b.techniques) {
    note(t.id, t.cite);
    note(t.id + " duration", t.duration_cite);
    note(t.id + " purposes", t.purposes_cite);
    for (const Retention& r : t.retention) {
      note(t.id + " retention " + std::string(ItemKindName(r.kind)), r.cite);
    }
    note(t.id + " unrelated data", t.unrelated_cite);
    note(t.id + " urgency", t.urgency_cite);
    note(t.id + " subsidiarity", t.subsidiarity_cite);
    note(t.id + " deferred centralisation", t.deferred_cite);
    note(t.id + " collegial opinion", t.collegial_cite);
    note(t.id + " second circle", t.second_circle_cite);
    note(t.id + " quota", t.quota_cite);
    if (t.window) note(t.id + " window", t.window->cite);
  }
  for (const Service& s : b.services) note(s.id, s.cite);
  for (const Purpose& p : b.purposes) note("purpose " + p.id, p.cite);
  for (const Minister& m : b.ministers) note("minister " + m.id, m.cite);
  note("opinion", b.opinion.cite);
  note("authorisation", b.authorisation.max_default_cite);
  note("conseil d'Etat", b.authorisation.conseil_etat_cite);
  note("urgency", b.urgency.cite);
  note("protected professions", b.protected_professions.cite);
  note("R&D", b.rnd.cite);
  note("R&D amendments", b.rnd.amendments_cite);
  note("encrypted", b.encrypted_cite);
  if (!notes.empty()) {
    out += Section("Notes");
    for (const std::string& n : notes) out += n + "\n";
  }
  return out;
}

}  // namespace cloison::rules
