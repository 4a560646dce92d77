// Internal to the conformance suite: expectations that return a Status
// naming the failed line, small helpers, and the cases' declarations. Not for
// use outside src/store/testing.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "store/store.h"
#include "store/testing/conformance.h"

namespace cloison::store::testing::internal {

// ---- Expectations -----------------------------------------------------------
// A failed expectation returns from the case with a Status naming the line.

// "conformance_tx.cc:123: <expression>: got ..., want ...".
inline Status Fail(std::string_view file, int line, std::string_view what,
                   const std::string& detail) {
  if (size_t slash = file.rfind('/'); slash != std::string_view::npos)
    file.remove_prefix(slash + 1);
  std::string m = std::string(file) + ":" + std::to_string(line) + ": " + std::string(what);
  if (!detail.empty()) m += ": " + detail;
  return Status::Internal(std::move(m));
}

inline std::string Show(int64_t v) {
  return std::to_string(v);
}
inline std::string Show(size_t v) {
  return std::to_string(v);
}
inline std::string Show(const std::string& v) {
  if (v.size() > 80)
    return "\"" + v.substr(0, 80) + "...\" (" + std::to_string(v.size()) + " bytes)";
  return "\"" + v + "\"";
}
inline std::string Show(Code c) {
  return std::string(CodeName(c));
}
inline std::string Show(const Record& r) {
  return "{" + r.kind + "/" + r.id + " state=" + r.state + " technique=" + r.technique +
         " minister=" + r.minister + " service=" + r.service +
         " starts_at=" + std::to_string(r.starts_at) + " ends_at=" + std::to_string(r.ends_at) +
         " group=" + r.group + " body=" + Show(r.body) + "}";
}
inline std::string Show(const Event& e) {
  return "{#" + std::to_string(e.index) + " " + e.type + " " + Show(e.body) + "}";
}
template <typename T>
inline std::string Show(const std::vector<T>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + Show(v[i]);
  return s + "]";
}
inline std::string Ids(const std::vector<Record>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i].id;
  return s + "]";
}

inline const Status& StatusOf(const Status& s) {
  return s;
}
template <typename T>
inline const Status& StatusOf(const Result<T>& r) {
  return r.status();
}

#define CONF_CONCAT_INNER(a, b) a##b
#define CONF_CONCAT(a, b) CONF_CONCAT_INNER(a, b)

#define CONF_EXPECT(cond, detail)                                  \
  do {                                                             \
    if (!(cond)) return Fail(__FILE__, __LINE__, #cond, (detail)); \
  } while (0)

#define CONF_EXPECT_EQ(got, want)                                                           \
  do {                                                                                      \
    const auto got_ = (got); /* copies: `got` may live in a temporary Result */             \
    const auto want_ = (want);                                                              \
    if (!(got_ == want_)) {                                                                 \
      return Fail(__FILE__, __LINE__, #got, "got " + Show(got_) + ", want " + Show(want_)); \
    }                                                                                       \
  } while (0)

#define CONF_EXPECT_OK(expr)                                                                 \
  do {                                                                                       \
    const auto& r_ = (expr);                                                                 \
    if (!StatusOf(r_).ok()) return Fail(__FILE__, __LINE__, #expr, StatusOf(r_).ToString()); \
  } while (0)

#define CONF_EXPECT_CODE(expr, want_code)                                          \
  do {                                                                             \
    const auto& r_ = (expr);                                                       \
    if (StatusOf(r_).code() != (want_code)) {                                      \
      return Fail(__FILE__, __LINE__, #expr,                                       \
                  "got " + StatusOf(r_).ToString() + ", want " + Show(want_code)); \
    }                                                                              \
  } while (0)

// CONF_ASSIGN_OR_FAIL(auto x, expr): x is the value, or the case fails.
#define CONF_ASSIGN_OR_FAIL(lhs, expr) \
  CONF_ASSIGN_OR_FAIL_IMPL(CONF_CONCAT(conf_r_, __LINE__), lhs, expr)
#define CONF_ASSIGN_OR_FAIL_IMPL(tmp, lhs, expr)                                  \
  auto tmp = (expr);                                                              \
  if (!tmp.ok()) return Fail(__FILE__, __LINE__, #expr, tmp.status().ToString()); \
  lhs = std::move(tmp).value()

// ---- Helpers ----------------------------------------------------------------

inline Record Rec(std::string kind, std::string id, std::string state = "",
                  std::string body = "b") {
  Record r;
  r.kind = std::move(kind);
  r.id = std::move(id);
  r.state = std::move(state);
  r.body = std::move(body);
  return r;
}

inline Event Ev(std::string type, std::string body) {
  Event e;
  e.type = std::move(type);
  e.body = std::move(body);
  return e;
}

// Commits `records` with one event per record.
inline Status PutAll(Store& store, const std::vector<Record>& records) {
  CONF_ASSIGN_OR_FAIL(auto tx, store.BeginWrite());
  for (const Record& r : records) {
    CONF_EXPECT_OK(tx->Put(r));
    CONF_EXPECT_OK(tx->Append(Ev("test.put", r.kind + "/" + r.id)));
  }
  CONF_EXPECT_OK(tx->Commit());
  return Status::Ok();
}

// A Filter on `kind` and nothing else.
inline Filter Kind(std::string kind) {
  Filter f;
  f.kind = std::move(kind);
  return f;
}

// Collects the first failure of worker threads.
class FirstFailure {
 public:
  void Note(Status s) {
    if (s.ok()) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (status_.ok()) status_ = std::move(s);
  }
  Status Get() {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }

 private:
  std::mutex mu_;
  Status status_;  // guarded by mu_
};

// ---- Cases (conformance_records.cc, conformance_tx.cc) ---------------------

Status EmptyStore(const StoreFactory& open);
Status PutThenGetRoundTrips(const StoreFactory& open);
Status PutReplacesSameKindAndId(const StoreFactory& open);
Status PutRejectsEmptyKindOrId(const StoreFactory& open);
Status WriteTxReadsItsOwnWrites(const StoreFactory& open);
Status UncommittedWritesAreInvisible(const StoreFactory& open);
Status ReadTxSeesOneSnapshot(const StoreFactory& open);
Status DestroyedWriteTxRollsBack(const StoreFactory& open);
Status DeferredWriteTxIsAWriteTx(const StoreFactory& open);
Status CommitWithoutEventFailsAndRollsBack(const StoreFactory& open);
Status CommitsWithoutRecordChangeNeedNoEvent(const StoreFactory& open);
Status FinishedTxRefusesEveryCall(const StoreFactory& open);
Status EventsAreGaplessInCommitOrder(const StoreFactory& open);
Status AppendRejectsEmptyBodyOrType(const StoreFactory& open);
Status RangesAndFiltersAreValidated(const StoreFactory& open);
Status FiltersCombineWithAnd(const StoreFactory& open);
Status ListIsOrderedAndPaginates(const StoreFactory& open);
Status MetaIsTransactional(const StoreFactory& open);
Status ManyReadTxAtOnce(const StoreFactory& open);
Status WriteTxExcludesOtherWriters(const StoreFactory& open);
Status ConcurrentWritersAreSerialisable(const StoreFactory& open);
Status ReopenPersists(const StoreFactory& open);
Status DeleteRemovesAndIsAChange(const StoreFactory& open);
Status RetireReplacesARangeOfAGroup(const StoreFactory& open);
Status ScrubKeepsEverythingCommitted(const StoreFactory& open);

}  // namespace cloison::store::testing::internal
