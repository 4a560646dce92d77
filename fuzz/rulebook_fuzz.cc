// Fuzzes the rulebook parser and everything that reads a parsed rulebook:
// ParseRulebook must turn any bytes into a Rulebook or an error, and
// CheckRulebook, FormatRulebook and the evaluator must then never crash,
// whatever the periods, dates and lists hold.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rules/check.h"
#include "rules/evaluator.h"
#include "rules/format.h"
#include "rules/parser.h"

namespace {

using cloison::Time;
namespace rules = cloison::rules;

void Exercise(const rules::Rulebook& book) {
  std::vector<rules::Problem> problems = rules::CheckRulebook(book);
  std::string text = rules::FormatProblems("fuzz.toml", problems);
  std::string shown = rules::FormatRulebook(book);
  (void)text;
  (void)shown;
  const Time at = cloison::FromMicros(1700000000000000);  // 2023-11-14
  for (const rules::Technique& t : book.techniques) {
    (void)rules::KindMask(t);
    (void)rules::UnrelatedDestroyBy(t, at);
    (void)book.FindTechnique(t.id, at);
    (void)book.FindTechnique(t.id);
    for (rules::ItemKind k : rules::kAllItemKinds) {
      (void)rules::DestroyBy(book, t, k, at);
      (void)rules::EncryptedDestroyBy(book, t, k, at, at);
    }
  }
  (void)rules::RndDestroyBy(book, at);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto book = rules::ParseRulebook(text, "fuzz.toml");
  if (book.ok()) Exercise(*book);
  return 0;
}
