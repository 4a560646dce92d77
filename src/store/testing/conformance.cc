#include "store/testing/conformance.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace cloison::store::testing {
namespace {

// ---- Expectations -----------------------------------------------------------
// A failed expectation returns from the case with a Status naming the line.

Status Fail(int line, std::string_view what, const std::string& detail) {
  std::string m = "conformance.cc:" + std::to_string(line) + ": " + std::string(what);
  if (!detail.empty()) m += ": " + detail;
  return Status::Internal(std::move(m));
}

std::string Show(int64_t v) { return std::to_string(v); }
std::string Show(size_t v) { return std::to_string(v); }
std::string Show(const std::string& v) {
  if (v.size() > 80) return "\"" + v.substr(0, 80) + "...\" (" + std::to_string(v.size()) + " bytes)";
  return "\"" + v + "\"";
}
std::string Show(Code c) { return std::string(CodeName(c)); }
std::string Show(const Record& r) {
  return "{" + r.kind + "/" + r.id + " state=" + r.state + " technique=" + r.technique +
         " minister=" + r.minister + " service=" + r.service +
         " starts_at=" + std::to_string(r.starts_at) + " ends_at=" + std::to_string(r.ends_at) +
         " body=" + Show(r.body) + "}";
}
std::string Show(const Event& e) {
  return "{#" + std::to_string(e.index) + " " + e.type + " " + Show(e.body) + "}";
}
template <typename T>
std::string Show(const std::vector<T>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + Show(v[i]);
  return s + "]";
}
std::string Ids(const std::vector<Record>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i].id;
  return s + "]";
}

const Status& StatusOf(const Status& s) { return s; }
template <typename T>
const Status& StatusOf(const Result<T>& r) {
  return r.status();
}

#define CONF_CONCAT_INNER(a, b) a##b
#define CONF_CONCAT(a, b) CONF_CONCAT_INNER(a, b)

#define EXPECT_THAT(cond, detail) \
  do {                            \
    if (!(cond)) return Fail(__LINE__, #cond, (detail)); \
  } while (0)

#define EXPECT_EQUAL(got, want)                                                    \
  do {                                                                             \
    const auto got_ = (got); /* copies: `got` may live in a temporary Result */   \
    const auto want_ = (want);                                                     \
    if (!(got_ == want_)) {                                                        \
      return Fail(__LINE__, #got, "got " + Show(got_) + ", want " + Show(want_)); \
    }                                                                              \
  } while (0)

#define EXPECT_SUCCESS(expr)                                                   \
  do {                                                                        \
    const auto& r_ = (expr);                                                  \
    if (!StatusOf(r_).ok()) return Fail(__LINE__, #expr, StatusOf(r_).ToString()); \
  } while (0)

#define EXPECT_CODE(expr, want_code)                                                   \
  do {                                                                                 \
    const auto& r_ = (expr);                                                           \
    if (StatusOf(r_).code() != (want_code)) {                                          \
      return Fail(__LINE__, #expr,                                                     \
                  "got " + StatusOf(r_).ToString() + ", want " + Show(want_code));     \
    }                                                                                  \
  } while (0)

// ASSIGN_OR_FAIL(auto x, expr): x is the value, or the case fails.
#define ASSIGN_OR_FAIL(lhs, expr) ASSIGN_OR_FAIL_IMPL(CONF_CONCAT(conf_r_, __LINE__), lhs, expr)
#define ASSIGN_OR_FAIL_IMPL(tmp, lhs, expr)                                   \
  auto tmp = (expr);                                                          \
  if (!tmp.ok()) return Fail(__LINE__, #expr, tmp.status().ToString());      \
  lhs = std::move(tmp).value()

// ---- Helpers ----------------------------------------------------------------

Record Rec(std::string kind, std::string id, std::string state = "", std::string body = "b") {
  Record r;
  r.kind = std::move(kind);
  r.id = std::move(id);
  r.state = std::move(state);
  r.body = std::move(body);
  return r;
}

Event Ev(std::string type, std::string body) {
  Event e;
  e.type = std::move(type);
  e.body = std::move(body);
  return e;
}

// Commits `records` with one event per record.
Status PutAll(Store& store, const std::vector<Record>& records) {
  ASSIGN_OR_FAIL(auto tx, store.BeginWrite());
  for (const Record& r : records) {
    EXPECT_SUCCESS(tx->Put(r));
    EXPECT_SUCCESS(tx->Append(Ev("test.put", r.kind + "/" + r.id)));
  }
  EXPECT_SUCCESS(tx->Commit());
  return Status::Ok();
}

// A Filter on `kind` and nothing else.
Filter Kind(std::string kind) {
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

// ---- Cases ------------------------------------------------------------------

Status EmptyStore(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  EXPECT_THAT(!store->Backend().empty(), "Backend() must name the backend");
  ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  EXPECT_EQUAL(*rx->EventCount(), int64_t{0});
  ASSIGN_OR_FAIL(auto events, rx->Events(0, 10));
  EXPECT_EQUAL(events.size(), size_t{0});
  EXPECT_CODE(rx->Get("request", "nope"), Code::kNotFound);
  ASSIGN_OR_FAIL(auto list, rx->List(Kind("request")));
  EXPECT_EQUAL(list.size(), size_t{0});
  EXPECT_EQUAL(*rx->Count(Kind("request")), int64_t{0});
  EXPECT_CODE(rx->GetMeta("conformance.absent"), Code::kNotFound);
  return Status::Ok();
}

Status PutThenGetRoundTrips(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  Record full;
  full.kind = "authorisation";
  full.id = "aut_0000000000000001";
  full.state = "Approved";
  full.technique = "L851-2";
  full.minister = "interior";
  full.service = "dgsi";
  full.starts_at = -62135596800000000;  // year 1, negative
  full.ends_at = INT64_MAX;
  full.body = std::string("\0\x01\xff\xfe binary \0 body", 18);
  Record big = Rec("item", "big", "held", std::string(1 << 20, 'x'));
  big.body[12345] = '\0';
  Record empty_body = Rec("item", "empty", "", "");
  Record unicode = Rec("principal", "u\xc3\xa9", "\xc3\xa9tat", "caf\xc3\xa9");
  EXPECT_SUCCESS(PutAll(*store, {full, big, empty_body, unicode}));
  ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  for (const Record& want : {full, big, empty_body, unicode}) {
    ASSIGN_OR_FAIL(Record got, rx->Get(want.kind, want.id));
    EXPECT_EQUAL(got, want);
  }
  ASSIGN_OR_FAIL(auto listed, rx->List(Kind("authorisation")));
  EXPECT_EQUAL(listed.size(), size_t{1});
  EXPECT_EQUAL(listed[0], full);
  return Status::Ok();
}

Status PutReplacesSameKindAndId(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  Record first = Rec("request", "r1", "draft", "v1");
  first.technique = "t1";
  first.ends_at = 5;
  Record second = Rec("request", "r1", "submitted", "v2");  // every field changes
  second.minister = "defence";
  Record other_kind = Rec("quota", "r1", "", "q");  // same id, other kind: distinct
  EXPECT_SUCCESS(PutAll(*store, {first, other_kind}));
  EXPECT_SUCCESS(PutAll(*store, {second}));
  ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  ASSIGN_OR_FAIL(Record got, rx->Get("request", "r1"));
  EXPECT_EQUAL(got, second);
  ASSIGN_OR_FAIL(Record got_other, rx->Get("quota", "r1"));
  EXPECT_EQUAL(got_other, other_kind);
  EXPECT_EQUAL(*rx->Count(Kind("request")), int64_t{1});
  // Replaced within one transaction too.
  ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  EXPECT_SUCCESS(tx->Put(Rec("request", "r2", "a")));
  EXPECT_SUCCESS(tx->Put(Rec("request", "r2", "b")));
  EXPECT_SUCCESS(tx->Append(Ev("test", "x")));
  EXPECT_SUCCESS(tx->Commit());
  ASSIGN_OR_FAIL(auto rx2, store->BeginRead());
  EXPECT_EQUAL(rx2->Get("request", "r2")->state, std::string("b"));
  EXPECT_EQUAL(*rx2->Count(Kind("request")), int64_t{2});
  return Status::Ok();
}

Status PutRejectsEmptyKindOrId(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  EXPECT_CODE(tx->Put(Rec("", "r1")), Code::kInvalidArgument);
  EXPECT_CODE(tx->Put(Rec("request", "")), Code::kInvalidArgument);
  // A refused argument does not spoil the transaction.
  EXPECT_SUCCESS(tx->Put(Rec("request", "r1")));
  EXPECT_SUCCESS(tx->Append(Ev("test", "x")));
  EXPECT_SUCCESS(tx->Commit());
  ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  EXPECT_SUCCESS(rx->Get("request", "r1"));
  return Status::Ok();
}

Status WriteTxReadsItsOwnWrites(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  EXPECT_SUCCESS(PutAll(*store, {Rec("request", "r0", "draft")}));
  ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  EXPECT_SUCCESS(tx->Put(Rec("request", "r1", "draft")));
  EXPECT_SUCCESS(tx->Put(Rec("request", "r0", "submitted")));
  EXPECT_SUCCESS(tx->SetMeta("conformance.k", "v"));
  ASSIGN_OR_FAIL(int64_t idx, tx->Append(Ev("test.own", "own")));
  EXPECT_EQUAL(idx, int64_t{1});
  EXPECT_EQUAL(tx->Get("request", "r0")->state, std::string("submitted"));
  EXPECT_SUCCESS(tx->Get("request", "r1"));
  Filter drafts = Kind("request");
  drafts.states = {"draft"};
  ASSIGN_OR_FAIL(auto listed, tx->List(drafts));
  EXPECT_EQUAL(Ids(listed), std::string("[r1]"));
  EXPECT_EQUAL(*tx->Count(Kind("request")), int64_t{2});
  EXPECT_EQUAL(*tx->EventCount(), int64_t{2});
  ASSIGN_OR_FAIL(auto events, tx->Events(1, 5));
  EXPECT_EQUAL(events.size(), size_t{1});
  EXPECT_EQUAL(events[0].body, std::string("own"));
  EXPECT_EQUAL(*tx->GetMeta("conformance.k"), std::string("v"));
  EXPECT_SUCCESS(tx->Commit());
  return Status::Ok();
}

Status UncommittedWritesAreInvisible(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  EXPECT_SUCCESS(tx->Put(Rec("request", "r1", "draft")));
  EXPECT_SUCCESS(tx->Append(Ev("test", "x")));
  EXPECT_SUCCESS(tx->SetMeta("conformance.k", "v"));
  {
    ASSIGN_OR_FAIL(auto rx, store->BeginRead());  // begun while the writer is open
    EXPECT_CODE(rx->Get("request", "r1"), Code::kNotFound);
    EXPECT_EQUAL(*rx->EventCount(), int64_t{0});
    EXPECT_EQUAL(*rx->Count(Kind("request")), int64_t{0});
    EXPECT_CODE(rx->GetMeta("conformance.k"), Code::kNotFound);
  }
  EXPECT_SUCCESS(tx->Commit());
  ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  EXPECT_SUCCESS(rx->Get("request", "r1"));
  EXPECT_EQUAL(*rx->EventCount(), int64_t{1});
  EXPECT_EQUAL(*rx->GetMeta("conformance.k"), std::string("v"));
  return Status::Ok();
}

// Checks that `rx` still sees exactly the state after the first commit of
// ReadTxSeesOneSnapshot.
Status SeesFirstState(ReadTx& rx) {
  EXPECT_EQUAL(rx.Get("request", "r1")->state, std::string("draft"));
  EXPECT_CODE(rx.Get("request", "r2"), Code::kNotFound);
  ASSIGN_OR_FAIL(auto listed, rx.List(Kind("request")));
  EXPECT_EQUAL(Ids(listed), std::string("[r1]"));
  EXPECT_EQUAL(*rx.Count(Kind("request")), int64_t{1});
  EXPECT_EQUAL(*rx.EventCount(), int64_t{1});
  ASSIGN_OR_FAIL(auto events, rx.Events(0, 10));
  EXPECT_EQUAL(events.size(), size_t{1});
  EXPECT_EQUAL(*rx.GetMeta("conformance.k"), std::string("old"));
  return Status::Ok();
}

Status ReadTxSeesOneSnapshot(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  {
    ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    EXPECT_SUCCESS(tx->Put(Rec("request", "r1", "draft")));
    EXPECT_SUCCESS(tx->SetMeta("conformance.k", "old"));
    EXPECT_SUCCESS(tx->Append(Ev("test", "first")));
    EXPECT_SUCCESS(tx->Commit());
  }
  // One reader that has read before the writer commits, one that has not:
  // both were begun before, so both see the first state.
  ASSIGN_OR_FAIL(auto read_early, store->BeginRead());
  EXPECT_SUCCESS(SeesFirstState(*read_early));
  ASSIGN_OR_FAIL(auto read_late, store->BeginRead());
  // The writer commits from another thread while both readers are open; it
  // must not wait for them.
  Status writer_status;
  std::thread writer([&] {
    writer_status = [&]() -> Status {
      ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
      EXPECT_SUCCESS(tx->Put(Rec("request", "r1", "submitted")));
      EXPECT_SUCCESS(tx->Put(Rec("request", "r2", "draft")));
      EXPECT_SUCCESS(tx->SetMeta("conformance.k", "new"));
      EXPECT_SUCCESS(tx->Append(Ev("test", "second")));
      return tx->Commit();
    }();
  });
  writer.join();
  EXPECT_SUCCESS(writer_status);
  EXPECT_SUCCESS(SeesFirstState(*read_early));
  EXPECT_SUCCESS(SeesFirstState(*read_late));
  // A commit on this thread, with the readers still open, changes nothing either.
  EXPECT_SUCCESS(PutAll(*store, {Rec("request", "r3")}));
  EXPECT_SUCCESS(SeesFirstState(*read_early));
  EXPECT_SUCCESS(SeesFirstState(*read_late));
  ASSIGN_OR_FAIL(auto fresh, store->BeginRead());
  EXPECT_EQUAL(fresh->Get("request", "r1")->state, std::string("submitted"));
  EXPECT_EQUAL(*fresh->Count(Kind("request")), int64_t{3});
  EXPECT_EQUAL(*fresh->EventCount(), int64_t{3});
  EXPECT_EQUAL(*fresh->GetMeta("conformance.k"), std::string("new"));
  return Status::Ok();
}

Status DestroyedWriteTxRollsBack(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  EXPECT_SUCCESS(PutAll(*store, {Rec("request", "r1", "draft")}));
  {
    ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    EXPECT_SUCCESS(tx->Put(Rec("request", "r1", "changed")));
    EXPECT_SUCCESS(tx->Put(Rec("request", "r2", "new")));
    EXPECT_SUCCESS(tx->SetMeta("conformance.k", "v"));
    EXPECT_SUCCESS(tx->Append(Ev("test", "lost 1")));
    EXPECT_SUCCESS(tx->Append(Ev("test", "lost 2")));
  }  // destroyed without Commit
  ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  EXPECT_EQUAL(rx->Get("request", "r1")->state, std::string("draft"));
  EXPECT_CODE(rx->Get("request", "r2"), Code::kNotFound);
  EXPECT_CODE(rx->GetMeta("conformance.k"), Code::kNotFound);
  EXPECT_EQUAL(*rx->EventCount(), int64_t{1});
  // The rolled-back events leave no gap: the next one is #1.
  ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  EXPECT_EQUAL(*tx->Append(Ev("test", "kept")), int64_t{1});
  EXPECT_SUCCESS(tx->Commit());
  return Status::Ok();
}

Status CommitWithoutEventFailsAndRollsBack(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  EXPECT_SUCCESS(PutAll(*store, {Rec("request", "r1", "draft")}));
  ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  EXPECT_SUCCESS(tx->Put(Rec("request", "r1", "submitted")));
  EXPECT_SUCCESS(tx->Put(Rec("request", "r2", "draft")));
  EXPECT_SUCCESS(tx->SetMeta("conformance.k", "v"));
  EXPECT_CODE(tx->Commit(), Code::kFailedPrecondition);
  EXPECT_CODE(tx->Commit(), Code::kFailedPrecondition);  // finished, whatever the outcome
  EXPECT_CODE(tx->Append(Ev("test", "too late")), Code::kFailedPrecondition);
  tx.reset();
  ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  EXPECT_EQUAL(rx->Get("request", "r1")->state, std::string("draft"));
  EXPECT_CODE(rx->Get("request", "r2"), Code::kNotFound);
  EXPECT_CODE(rx->GetMeta("conformance.k"), Code::kNotFound);
  EXPECT_EQUAL(*rx->EventCount(), int64_t{1});
  // The store is usable afterwards (nothing is left locked).
  EXPECT_SUCCESS(PutAll(*store, {Rec("request", "r2")}));
  return Status::Ok();
}

Status CommitsWithoutRecordChangeNeedNoEvent(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  {
    ASSIGN_OR_FAIL(auto tx, store->BeginWrite());  // nothing at all
    EXPECT_SUCCESS(tx->Commit());
  }
  {
    ASSIGN_OR_FAIL(auto tx, store->BeginWrite());  // reads only
    EXPECT_CODE(tx->Get("request", "r1"), Code::kNotFound);
    EXPECT_SUCCESS(tx->Commit());
  }
  {
    ASSIGN_OR_FAIL(auto tx, store->BeginWrite());  // meta only
    EXPECT_SUCCESS(tx->SetMeta("conformance.k", "v"));
    EXPECT_SUCCESS(tx->Commit());
  }
  {
    ASSIGN_OR_FAIL(auto tx, store->BeginWrite());  // an event without a record
    EXPECT_EQUAL(*tx->Append(Ev("login", "who")), int64_t{0});
    EXPECT_SUCCESS(tx->Commit());
  }
  ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  EXPECT_EQUAL(*rx->GetMeta("conformance.k"), std::string("v"));
  EXPECT_EQUAL(*rx->EventCount(), int64_t{1});
  return Status::Ok();
}

Status EveryCallAfterCommit(WriteTx& tx) {
  constexpr Code kWant = Code::kFailedPrecondition;
  EXPECT_CODE(tx.Get("request", "r1"), kWant);
  EXPECT_CODE(tx.List(Kind("request")), kWant);
  EXPECT_CODE(tx.Count(Kind("request")), kWant);
  EXPECT_CODE(tx.Events(0, 1), kWant);
  EXPECT_CODE(tx.EventCount(), kWant);
  EXPECT_CODE(tx.GetMeta("conformance.k"), kWant);
  EXPECT_CODE(tx.Put(Rec("request", "late")), kWant);
  EXPECT_CODE(tx.Append(Ev("test", "late")), kWant);
  EXPECT_CODE(tx.SetMeta("conformance.late", "v"), kWant);
  EXPECT_CODE(tx.Commit(), kWant);
  return Status::Ok();
}

Status FinishedTxRefusesEveryCall(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  {
    ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    EXPECT_SUCCESS(tx->Put(Rec("request", "r1")));
    EXPECT_SUCCESS(tx->Append(Ev("test", "x")));
    EXPECT_SUCCESS(tx->Commit());
    EXPECT_SUCCESS(EveryCallAfterCommit(*tx));
  }
  {
    ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    EXPECT_SUCCESS(tx->Put(Rec("request", "r2")));
    EXPECT_CODE(tx->Commit(), Code::kFailedPrecondition);  // no event
    EXPECT_SUCCESS(EveryCallAfterCommit(*tx));
  }
  // Nothing the late calls tried is visible, and the store is not blocked.
  ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  EXPECT_CODE(rx->Get("request", "late"), Code::kNotFound);
  EXPECT_CODE(rx->Get("request", "r2"), Code::kNotFound);
  EXPECT_EQUAL(*rx->EventCount(), int64_t{1});
  EXPECT_SUCCESS(PutAll(*store, {Rec("request", "r3")}));
  return Status::Ok();
}

Status EventsAreGaplessInCommitOrder(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  std::vector<Event> want;
  for (int t = 0; t < 5; ++t) {
    ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    for (int i = 0; i <= t; ++i) {
      Event e = Ev("test.e" + std::to_string(t), std::string("\0body", 5) + std::to_string(i));
      e.index = 999;  // ignored: Append assigns the index
      ASSIGN_OR_FAIL(int64_t idx, tx->Append(e));
      EXPECT_EQUAL(idx, static_cast<int64_t>(want.size()));
      e.index = idx;
      want.push_back(e);
    }
    EXPECT_SUCCESS(tx->Commit());
  }
  ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  const int64_t n = static_cast<int64_t>(want.size());  // 15
  EXPECT_EQUAL(*rx->EventCount(), n);
  ASSIGN_OR_FAIL(auto all, rx->Events(0, 1000));
  EXPECT_EQUAL(all, want);
  ASSIGN_OR_FAIL(auto middle, rx->Events(3, 4));
  EXPECT_EQUAL(middle, std::vector<Event>(want.begin() + 3, want.begin() + 7));
  ASSIGN_OR_FAIL(auto tail, rx->Events(n - 2, 10));
  EXPECT_EQUAL(tail, std::vector<Event>(want.end() - 2, want.end()));
  ASSIGN_OR_FAIL(auto beyond, rx->Events(n, 10));
  EXPECT_EQUAL(beyond.size(), size_t{0});
  ASSIGN_OR_FAIL(auto none, rx->Events(0, 0));
  EXPECT_EQUAL(none.size(), size_t{0});
  ASSIGN_OR_FAIL(auto huge, rx->Events(n - 1, INT64_MAX));
  EXPECT_EQUAL(huge.size(), size_t{1});
  return Status::Ok();
}

Status AppendRejectsEmptyBodyOrType(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  EXPECT_CODE(tx->Append(Ev("test", "")), Code::kInvalidArgument);
  EXPECT_CODE(tx->Append(Ev("", "body")), Code::kInvalidArgument);
  // The refusals used no index and did not spoil the transaction.
  EXPECT_EQUAL(*tx->Append(Ev("test", "ok")), int64_t{0});
  EXPECT_SUCCESS(tx->Commit());
  ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  EXPECT_EQUAL(*rx->EventCount(), int64_t{1});
  return Status::Ok();
}

Status RangesAndFiltersAreValidated(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  EXPECT_CODE(rx->Events(-1, 1), Code::kInvalidArgument);
  EXPECT_CODE(rx->Events(0, -1), Code::kInvalidArgument);
  Filter no_kind;
  no_kind.states = {"draft"};
  auto listed = rx->List(no_kind);
  EXPECT_CODE(listed, Code::kInvalidArgument);
  EXPECT_THAT(listed.status().message().find("kind") != std::string::npos,
              "the message must name `kind`: " + listed.status().message());
  EXPECT_CODE(rx->Count(no_kind), Code::kInvalidArgument);
  Filter negative = Kind("request");
  negative.limit = -1;
  EXPECT_CODE(rx->List(negative), Code::kInvalidArgument);
  ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  EXPECT_CODE(tx->List(no_kind), Code::kInvalidArgument);
  EXPECT_CODE(tx->SetMeta("", "v"), Code::kInvalidArgument);
  EXPECT_SUCCESS(tx->Commit());  // refusals do not spoil a write transaction
  return Status::Ok();
}

Status FiltersCombineWithAnd(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  auto rec = [](std::string id, std::string state, std::string technique, std::string minister,
                std::string service, int64_t ends_at) {
    Record r = Rec("authorisation", std::move(id), std::move(state));
    r.technique = std::move(technique);
    r.minister = std::move(minister);
    r.service = std::move(service);
    r.ends_at = ends_at;
    return r;
  };
  std::vector<Record> all = {
      rec("a1", "Approved", "L851-2", "interior", "dgsi", 100),
      rec("a2", "Approved", "L851-2", "defence", "dgse", 200),
      rec("a3", "Expired", "L851-2", "interior", "dgsi", 50),
      rec("a4", "AwaitingApproval", "L852-1", "interior", "dgsi", 300),
      rec("a5", "Approved", "L852-1", "interior", "dnrd", 0),
      rec("a6", "", "", "", "", 0),
  };
  Record other = Rec("request", "a1", "Approved");  // same fields, other kind
  other.technique = "L851-2";
  std::vector<Record> seed = all;
  seed.push_back(other);
  EXPECT_SUCCESS(PutAll(*store, seed));

  ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  struct Want {
    Filter filter;
    std::string ids;
  };
  std::vector<Want> wants;
  auto add = [&wants](Filter f, std::string ids) { wants.push_back({std::move(f), std::move(ids)}); };
  Filter f = Kind("authorisation");
  add(f, "[a1, a2, a3, a4, a5, a6]");
  f.states = {"Approved"};
  add(f, "[a1, a2, a5]");
  f.states = {"Approved", "AwaitingApproval"};
  add(f, "[a1, a2, a4, a5]");
  f.states = {""};  // records without a state
  add(f, "[a6]");
  f.states = {"NoSuchState"};
  add(f, "[]");
  f = Kind("authorisation");
  f.technique = "L851-2";
  add(f, "[a1, a2, a3]");
  f.minister = "interior";
  add(f, "[a1, a3]");
  f.states = {"Approved"};
  add(f, "[a1]");
  f = Kind("authorisation");
  f.service = "dgsi";
  add(f, "[a1, a3, a4]");
  f = Kind("authorisation");
  f.ends_after = 100;  // strictly after
  add(f, "[a2, a4]");
  f.ends_after = -1;
  add(f, "[a1, a2, a3, a4, a5, a6]");
  f = Kind("authorisation");
  f.states = {"Approved"};
  f.technique = "L852-1";
  f.minister = "interior";
  f.service = "dnrd";
  f.ends_after = -1;
  add(f, "[a5]");
  f = Kind("request");
  add(f, "[a1]");
  f = Kind("nothing");
  add(f, "[]");
  for (const Want& w : wants) {
    ASSIGN_OR_FAIL(auto listed, rx->List(w.filter));
    EXPECT_EQUAL(Ids(listed), w.ids);
    ASSIGN_OR_FAIL(int64_t count, rx->Count(w.filter));
    EXPECT_EQUAL(count, static_cast<int64_t>(listed.size()));
    for (const Record& r : listed) EXPECT_EQUAL(r, *rx->Get(r.kind, r.id));
  }
  return Status::Ok();
}

Status ListIsOrderedAndPaginates(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  // Inserted out of order, in two transactions.
  std::vector<std::string> ids = {"m", "b", "z", "a", "k", "c", "y", "d", "x", "e", "l"};
  std::vector<Record> first, second;
  for (size_t i = 0; i < ids.size(); ++i) {
    (i % 2 ? first : second).push_back(Rec("item", ids[i], i % 3 ? "held" : "destroyed"));
  }
  EXPECT_SUCCESS(PutAll(*store, first));
  EXPECT_SUCCESS(PutAll(*store, second));
  std::sort(ids.begin(), ids.end());
  ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  ASSIGN_OR_FAIL(auto listed, rx->List(Kind("item")));
  std::vector<std::string> got;
  for (const Record& r : listed) got.push_back(r.id);
  EXPECT_EQUAL(got, ids);
  // Walk pages of 3 with after_id; every page but the last is full.
  for (int limit : {1, 3, 4, 11, 50}) {
    Filter page = Kind("item");
    page.limit = limit;
    std::vector<std::string> walked;
    for (int pages = 0;; ++pages) {
      EXPECT_THAT(pages <= 12, "pagination does not terminate");
      ASSIGN_OR_FAIL(auto batch, rx->List(page));
      EXPECT_THAT(batch.size() <= static_cast<size_t>(limit), "page larger than limit");
      EXPECT_EQUAL(*rx->Count(page), static_cast<int64_t>(batch.size()));
      for (const Record& r : batch) walked.push_back(r.id);
      if (batch.size() < static_cast<size_t>(limit)) break;
      page.after_id = batch.back().id;
    }
    EXPECT_EQUAL(walked, ids);
  }
  // after_id is strict and need not exist.
  Filter after = Kind("item");
  after.after_id = "k";
  EXPECT_EQUAL(Ids(*rx->List(after)), std::string("[l, m, x, y, z]"));
  after.after_id = "kk";
  EXPECT_EQUAL(Ids(*rx->List(after)), std::string("[l, m, x, y, z]"));
  after.after_id = "zz";
  EXPECT_EQUAL(Ids(*rx->List(after)), std::string("[]"));
  // Pagination combines with the other filters.
  after = Kind("item");
  after.states = {"held"};
  after.after_id = "c";
  after.limit = 2;
  Filter held = Kind("item");
  held.states = {"held"};
  ASSIGN_OR_FAIL(auto all_held, rx->List(held));
  std::vector<std::string> want;
  for (const Record& r : all_held) {
    if (r.id > "c" && want.size() < 2) want.push_back(r.id);
  }
  ASSIGN_OR_FAIL(auto page, rx->List(after));
  std::vector<std::string> got_held;
  for (const Record& r : page) got_held.push_back(r.id);
  EXPECT_EQUAL(got_held, want);
  return Status::Ok();
}

Status MetaIsTransactional(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  {
    ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    EXPECT_SUCCESS(tx->SetMeta("conformance.origin", "cloison.example/log"));
    EXPECT_SUCCESS(tx->SetMeta("conformance.empty", ""));
    EXPECT_SUCCESS(tx->Commit());
  }
  {
    ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    EXPECT_SUCCESS(tx->SetMeta("conformance.origin", "replaced"));
    EXPECT_EQUAL(*tx->GetMeta("conformance.origin"), std::string("replaced"));
  }  // rolled back
  ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  EXPECT_EQUAL(*rx->GetMeta("conformance.origin"), std::string("cloison.example/log"));
  EXPECT_EQUAL(*rx->GetMeta("conformance.empty"), std::string(""));
  EXPECT_CODE(rx->GetMeta("conformance.absent"), Code::kNotFound);
  rx.reset();
  {
    ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    EXPECT_SUCCESS(tx->SetMeta("conformance.origin", "replaced"));
    EXPECT_SUCCESS(tx->Commit());
  }
  ASSIGN_OR_FAIL(auto rx2, store->BeginRead());
  EXPECT_EQUAL(*rx2->GetMeta("conformance.origin"), std::string("replaced"));
  return Status::Ok();
}

Status ManyReadTxAtOnce(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  std::vector<std::unique_ptr<ReadTx>> readers;
  for (int i = 0; i < 24; ++i) {
    EXPECT_SUCCESS(PutAll(*store, {Rec("item", "i" + std::to_string(100 + i))}));
    ASSIGN_OR_FAIL(auto rx, store->BeginRead());
    readers.push_back(std::move(rx));
  }
  // Reader i was begun after commit i: it sees i + 1 items, all the others too.
  for (size_t i = 0; i < readers.size(); ++i) {
    EXPECT_EQUAL(*readers[i]->Count(Kind("item")), static_cast<int64_t>(i + 1));
    EXPECT_EQUAL(*readers[i]->EventCount(), static_cast<int64_t>(i + 1));
  }
  return Status::Ok();
}

Status WriteTxExcludesOtherWriters(const StoreFactory& open) {
  ASSIGN_OR_FAIL(auto store, open());
  ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  EXPECT_SUCCESS(tx->Put(Rec("counter", "c", "", "1")));
  EXPECT_SUCCESS(tx->Append(Ev("test", "first")));
  std::atomic<bool> second_began{false};
  Status second_status;
  std::string second_saw;
  std::thread second([&] {
    second_status = [&]() -> Status {
      ASSIGN_OR_FAIL(auto tx2, store->BeginWrite());
      second_began = true;
      ASSIGN_OR_FAIL(Record c, tx2->Get("counter", "c"));
      second_saw = c.body;
      ASSIGN_OR_FAIL(int64_t idx, tx2->Append(Ev("test", "second")));
      EXPECT_EQUAL(idx, int64_t{1});
      return tx2->Commit();
    }();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  bool began_early = second_began.load();
  Status commit = tx->Commit();
  second.join();
  EXPECT_SUCCESS(commit);
  EXPECT_THAT(!began_early, "a second WriteTx began while the first was open");
  EXPECT_SUCCESS(second_status);
  EXPECT_EQUAL(second_saw, std::string("1"));
  return Status::Ok();
}

// Several threads increment one counter record, each in its own WriteTx with
// one event carrying the new value, while a reader checks every snapshot.
Status ConcurrentWritersAreSerialisable(const StoreFactory& open) {
  constexpr int kThreads = 4;
  constexpr int kTxPerThread = 200;
  ASSIGN_OR_FAIL(auto store, open());
  FirstFailure failure;
  std::atomic<int> writers_left{kThreads};
  auto writer = [&](int t) {
    for (int i = 0; i < kTxPerThread; ++i) {
      Status s = [&]() -> Status {
        ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
        int64_t value = 0;
        Result<Record> current = tx->Get("counter", "c");
        if (current.ok()) {
          value = std::stoll(current->body);
        } else {
          EXPECT_CODE(current, Code::kNotFound);
        }
        ++value;
        EXPECT_SUCCESS(tx->Put(Rec("counter", "c", "", std::to_string(value))));
        ASSIGN_OR_FAIL(int64_t idx, tx->Append(Ev("counter.incremented",
                                                  std::to_string(value) + " t" +
                                                      std::to_string(t) + " i" +
                                                      std::to_string(i))));
        // The event's index and the counter it carries agree: serial order.
        EXPECT_EQUAL(idx + 1, value);
        return tx->Commit();
      }();
      if (!s.ok()) {
        failure.Note(s);
        break;
      }
    }
    --writers_left;
  };
  // The counter and the number of events change together (one transaction),
  // so every snapshot sees them equal.
  auto reader = [&] {
    while (writers_left.load() > 0) {
      Status s = [&]() -> Status {
        ASSIGN_OR_FAIL(auto rx, store->BeginRead());
        ASSIGN_OR_FAIL(int64_t events, rx->EventCount());
        Result<Record> c = rx->Get("counter", "c");
        int64_t value = c.ok() ? std::stoll(c->body) : 0;
        EXPECT_EQUAL(value, events);
        return Status::Ok();
      }();
      if (!s.ok()) {
        failure.Note(s);
        return;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(writer, t);
  std::thread reader_thread(reader);
  for (std::thread& th : threads) th.join();
  reader_thread.join();
  EXPECT_SUCCESS(failure.Get());

  constexpr int64_t kTotal = int64_t{kThreads} * kTxPerThread;
  ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  EXPECT_EQUAL(rx->Get("counter", "c")->body, std::to_string(kTotal));
  EXPECT_EQUAL(*rx->EventCount(), kTotal);
  ASSIGN_OR_FAIL(auto events, rx->Events(0, kTotal + 10));
  EXPECT_EQUAL(static_cast<int64_t>(events.size()), kTotal);
  std::vector<int> last_i(kThreads, -1);
  for (int64_t n = 0; n < kTotal; ++n) {
    const Event& e = events[static_cast<size_t>(n)];
    EXPECT_EQUAL(e.index, n);
    int64_t value = 0;
    int t = 0, i = 0;
    EXPECT_THAT(std::sscanf(e.body.c_str(), "%" SCNd64 " t%d i%d", &value, &t, &i) == 3, e.body);
    EXPECT_EQUAL(value, n + 1);
    // Each thread's transactions appear in the order it committed them.
    EXPECT_THAT(t >= 0 && t < kThreads && i > last_i[static_cast<size_t>(t)], e.body);
    last_i[static_cast<size_t>(t)] = i;
  }
  return Status::Ok();
}

Status ReopenPersists(const StoreFactory& open) {
  Record r = Rec("request", "r1", "submitted", std::string("persist\0ed", 10));
  r.ends_at = 42;
  {
    ASSIGN_OR_FAIL(auto store, open());
    EXPECT_SUCCESS(PutAll(*store, {r, Rec("request", "r2")}));
    ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    EXPECT_SUCCESS(tx->SetMeta("conformance.origin", "o"));
    EXPECT_SUCCESS(tx->Commit());
    ASSIGN_OR_FAIL(auto lost, store->BeginWrite());  // never committed
    EXPECT_SUCCESS(lost->Put(Rec("request", "lost")));
    EXPECT_SUCCESS(lost->Append(Ev("test", "lost")));
  }
  ASSIGN_OR_FAIL(auto store, open());
  {
    ASSIGN_OR_FAIL(auto rx, store->BeginRead());
    EXPECT_EQUAL(*rx->Get("request", "r1"), r);
    EXPECT_EQUAL(*rx->Count(Kind("request")), int64_t{2});
    EXPECT_EQUAL(*rx->EventCount(), int64_t{2});
    EXPECT_EQUAL(*rx->GetMeta("conformance.origin"), std::string("o"));
  }
  ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  EXPECT_EQUAL(*tx->Append(Ev("test", "after reopen")), int64_t{2});
  EXPECT_SUCCESS(tx->Commit());
  store.reset();
  ASSIGN_OR_FAIL(auto again, open());
  ASSIGN_OR_FAIL(auto rx, again->BeginRead());
  EXPECT_EQUAL(*rx->EventCount(), int64_t{3});
  return Status::Ok();
}

constexpr ConformanceCase kCases[] = {
    {"EmptyStore", EmptyStore},
    {"PutThenGetRoundTrips", PutThenGetRoundTrips},
    {"PutReplacesSameKindAndId", PutReplacesSameKindAndId},
    {"PutRejectsEmptyKindOrId", PutRejectsEmptyKindOrId},
    {"WriteTxReadsItsOwnWrites", WriteTxReadsItsOwnWrites},
    {"UncommittedWritesAreInvisible", UncommittedWritesAreInvisible},
    {"ReadTxSeesOneSnapshot", ReadTxSeesOneSnapshot},
    {"DestroyedWriteTxRollsBack", DestroyedWriteTxRollsBack},
    {"CommitWithoutEventFailsAndRollsBack", CommitWithoutEventFailsAndRollsBack},
    {"CommitsWithoutRecordChangeNeedNoEvent", CommitsWithoutRecordChangeNeedNoEvent},
    {"FinishedTxRefusesEveryCall", FinishedTxRefusesEveryCall},
    {"EventsAreGaplessInCommitOrder", EventsAreGaplessInCommitOrder},
    {"AppendRejectsEmptyBodyOrType", AppendRejectsEmptyBodyOrType},
    {"RangesAndFiltersAreValidated", RangesAndFiltersAreValidated},
    {"FiltersCombineWithAnd", FiltersCombineWithAnd},
    {"ListIsOrderedAndPaginates", ListIsOrderedAndPaginates},
    {"MetaIsTransactional", MetaIsTransactional},
    {"ManyReadTxAtOnce", ManyReadTxAtOnce},
    {"WriteTxExcludesOtherWriters", WriteTxExcludesOtherWriters},
    {"ConcurrentWritersAreSerialisable", ConcurrentWritersAreSerialisable},
    {"ReopenPersists", ReopenPersists},
};

}  // namespace

std::span<const ConformanceCase> ConformanceCases() { return kCases; }

}  // namespace cloison::store::testing
