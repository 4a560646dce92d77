// The conformance suite must be able to fail: each mutant below breaks one
// promise of store.h on top of a correct backend (SQLite), and the cases that
// cover that promise must catch it. The unbroken decorator passes every case.
#include "store/testing/conformance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"
#include "store/testing/temp_dir.h"

namespace cloison::store::testing {
namespace {

enum class Mutation {
  kNone,
  kReadsAreNotSnapshots,  // every read of a ReadTx sees the latest commit
  kDestroyCommits,        // a WriteTx destroyed without Commit commits
  kCommitIgnoresRefusal,  // Commit reports OK when the backend refused
  kPutKeepsFirst,         // Put does not replace an existing record
  kEventsLoseTheLast,     // Events() drops the last event of a range
  kListUnordered,         // List returns ids in descending order
  kCountIgnoresStates,    // Count ignores Filter::states
  kCallsAfterCommitWork,  // reads after Commit answer from a fresh snapshot
  kDeleteIsNotAChange,    // Delete lets a commit through without an event
  kGroupIgnored,          // List and Count ignore Filter::group
  kRetireWholeGroup,      // Retire ignores its id range
  kDeferredIsDropped,     // a deferred WriteTx's Commit reports OK and rolls back
};

class MutantReadTx final : public ReadTx {
 public:
  MutantReadTx(Store* store, std::unique_ptr<ReadTx> base, Mutation m)
      : store_(store), base_(std::move(base)), m_(m) {}

  Result<Record> Get(const std::string& kind, const std::string& id) override {
    return Tx().Get(kind, id);
  }
  Result<std::vector<Record>> List(const Filter& filter) override {
    if (m_ == Mutation::kGroupIgnored) {
      Filter f = filter;
      f.group.clear();
      return Tx().List(f);
    }
    ASSIGN_OR_RETURN(auto records, Tx().List(filter));
    if (m_ == Mutation::kListUnordered) std::reverse(records.begin(), records.end());
    return records;
  }
  Result<int64_t> Count(const Filter& filter) override {
    if (m_ == Mutation::kCountIgnoresStates) {
      Filter f = filter;
      f.states.clear();
      return Tx().Count(f);
    }
    return Tx().Count(filter);
  }
  Result<std::vector<Event>> Events(int64_t from, int64_t limit) override {
    ASSIGN_OR_RETURN(auto events, Tx().Events(from, limit));
    if (m_ == Mutation::kEventsLoseTheLast && events.size() > 1) events.pop_back();
    return events;
  }
  Result<int64_t> EventCount() override { return Tx().EventCount(); }
  Result<std::string> GetMeta(const std::string& key) override { return Tx().GetMeta(key); }

 private:
  ReadTx& Tx() {
    if (m_ == Mutation::kReadsAreNotSnapshots) {
      base_.reset();  // release before taking a new snapshot
      Result<std::unique_ptr<ReadTx>> fresh = store_->BeginRead();
      if (fresh.ok()) base_ = std::move(*fresh);
    }
    return *base_;
  }

  Store* store_;
  std::unique_ptr<ReadTx> base_;
  Mutation m_;
};

class MutantWriteTx final : public WriteTx {
 public:
  MutantWriteTx(Store* store, std::unique_ptr<WriteTx> base, Mutation m)
      : store_(store), base_(std::move(base)), m_(m) {}
  ~MutantWriteTx() override {
    if (m_ == Mutation::kDestroyCommits && !committed_) (void)base_->Commit();
  }
  void set_deferred() { deferred_ = true; }

  Result<Record> Get(const std::string& kind, const std::string& id) override {
    if (AfterCommit()) return FreshRead()->Get(kind, id);
    return base_->Get(kind, id);
  }
  Result<std::vector<Record>> List(const Filter& filter) override {
    if (AfterCommit()) return FreshRead()->List(filter);
    return base_->List(filter);
  }
  Result<int64_t> Count(const Filter& filter) override {
    if (AfterCommit()) return FreshRead()->Count(filter);
    return base_->Count(filter);
  }
  Result<std::vector<Event>> Events(int64_t from, int64_t limit) override {
    if (AfterCommit()) return FreshRead()->Events(from, limit);
    return base_->Events(from, limit);
  }
  Result<int64_t> EventCount() override {
    if (AfterCommit()) return FreshRead()->EventCount();
    return base_->EventCount();
  }
  Result<std::string> GetMeta(const std::string& key) override {
    if (AfterCommit()) return FreshRead()->GetMeta(key);
    return base_->GetMeta(key);
  }
  Status Delete(const std::string& kind, const std::string& id) override {
    Status s = base_->Delete(kind, id);
    if (s.ok() && m_ == Mutation::kDeleteIsNotAChange) (void)base_->Append(Event{-1, "x", "x"});
    return s;
  }
  Status Put(const Record& record) override {
    if (m_ == Mutation::kPutKeepsFirst && base_->Get(record.kind, record.id).ok()) {
      return Status::Ok();
    }
    return base_->Put(record);
  }
  Result<int64_t> Retire(const std::string& kind, const std::string& group,
                         const std::string& from_id, const std::string& to_id, int64_t ends_at,
                         const std::string& body) override {
    if (m_ == Mutation::kRetireWholeGroup && !kind.empty() && !group.empty())
      return base_->Retire(kind, group, "\x01", "\x7f", ends_at, body);
    return base_->Retire(kind, group, from_id, to_id, ends_at, body);
  }
  Result<int64_t> Append(const Event& event) override { return base_->Append(event); }
  Status SetMeta(const std::string& key, const std::string& value) override {
    return base_->SetMeta(key, value);
  }
  Status Commit() override {
    committed_ = true;
    if (m_ == Mutation::kDeferredIsDropped && deferred_) {
      base_.reset();  // rolls back
      return Status::Ok();
    }
    Status s = base_->Commit();
    if (m_ == Mutation::kCommitIgnoresRefusal && s.code() == Code::kFailedPrecondition) {
      return Status::Ok();
    }
    return s;
  }

 private:
  bool AfterCommit() const { return m_ == Mutation::kCallsAfterCommitWork && committed_; }
  std::unique_ptr<ReadTx> FreshRead() {
    Result<std::unique_ptr<ReadTx>> rx = store_->BeginRead();
    return rx.ok() ? std::move(*rx) : nullptr;
  }

  Store* store_;
  std::unique_ptr<WriteTx> base_;
  Mutation m_;
  bool committed_ = false;
  bool deferred_ = false;  // from BeginDeferredWrite
};

class MutantStore final : public Store {
 public:
  MutantStore(std::unique_ptr<Store> base, Mutation m) : base_(std::move(base)), m_(m) {}
  Result<std::unique_ptr<ReadTx>> BeginRead() override {
    ASSIGN_OR_RETURN(auto rx, base_->BeginRead());
    return std::unique_ptr<ReadTx>(new MutantReadTx(base_.get(), std::move(rx), m_));
  }
  Result<std::unique_ptr<WriteTx>> BeginWrite() override {
    ASSIGN_OR_RETURN(auto tx, base_->BeginWrite());
    return std::unique_ptr<WriteTx>(new MutantWriteTx(base_.get(), std::move(tx), m_));
  }
  Result<std::unique_ptr<WriteTx>> BeginDeferredWrite() override {
    ASSIGN_OR_RETURN(auto tx, base_->BeginDeferredWrite());
    auto mutant = std::make_unique<MutantWriteTx>(base_.get(), std::move(tx), m_);
    mutant->set_deferred();
    return std::unique_ptr<WriteTx>(std::move(mutant));
  }
  Status Sync() override { return base_->Sync(); }
  std::string Backend() const override { return "mutant-" + base_->Backend(); }
  Status Scrub() override { return base_->Scrub(); }

 private:
  std::unique_ptr<Store> base_;
  Mutation m_;
};

Status RunCase(std::string_view name, Mutation m) {
  TempDir dir;
  if (!dir.ok()) return Status::IoError("no temporary directory");
  const std::string path = dir.File("store.db");
  StoreFactory open = [&path, m]() -> Result<std::unique_ptr<Store>> {
    // synchronous NORMAL: these runs test the suite, not durability.
    ASSIGN_OR_RETURN(auto store, OpenSqlite(path, SqliteOptions{.synchronous_full = false}));
    return std::unique_ptr<Store>(new MutantStore(std::move(store), m));
  };
  for (const ConformanceCase& c : ConformanceCases()) {
    if (c.name == name) return c.run(open);
  }
  return Status::NotFound("no conformance case " + std::string(name));
}

TEST(ConformanceSuite, HasUniqueNamedCases) {
  std::vector<std::string_view> names;
  for (const ConformanceCase& c : ConformanceCases()) {
    EXPECT_FALSE(c.name.empty());
    EXPECT_NE(c.run, nullptr);
    names.push_back(c.name);
  }
  EXPECT_GE(names.size(), 20u);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
}

struct Catch {
  Mutation mutation;
  std::string_view case_name;
};

constexpr Catch kCatches[] = {
    {Mutation::kReadsAreNotSnapshots, "ReadTxSeesOneSnapshot"},
    {Mutation::kDestroyCommits, "DestroyedWriteTxRollsBack"},
    {Mutation::kDestroyCommits, "ReopenPersists"},
    {Mutation::kCommitIgnoresRefusal, "CommitWithoutEventFailsAndRollsBack"},
    {Mutation::kPutKeepsFirst, "PutReplacesSameKindAndId"},
    {Mutation::kEventsLoseTheLast, "EventsAreGaplessInCommitOrder"},
    {Mutation::kListUnordered, "ListIsOrderedAndPaginates"},
    {Mutation::kCountIgnoresStates, "FiltersCombineWithAnd"},
    {Mutation::kCallsAfterCommitWork, "FinishedTxRefusesEveryCall"},
    {Mutation::kDeleteIsNotAChange, "DeleteRemovesAndIsAChange"},
    {Mutation::kGroupIgnored, "FiltersCombineWithAnd"},
    {Mutation::kRetireWholeGroup, "RetireReplacesARangeOfAGroup"},
    {Mutation::kDeferredIsDropped, "DeferredWriteTxIsAWriteTx"},
};

// The control: without a mutation, the decorator passes the same cases, so a
// failure below comes from the mutation.
TEST(ConformanceSuite, TheUnbrokenDecoratorPassesTheCasesUsedBelow) {
  for (const Catch& c : kCatches) {
    Status s = RunCase(c.case_name, Mutation::kNone);
    EXPECT_TRUE(s.ok()) << c.case_name << ": " << s.ToString();
  }
}

void PrintTo(const Catch& c, std::ostream* os) {
  *os << c.case_name;
}

class ConformanceCatches : public ::testing::TestWithParam<Catch> {};

TEST_P(ConformanceCatches, TheBrokenPromise) {
  Status s = RunCase(GetParam().case_name, GetParam().mutation);
  EXPECT_FALSE(s.ok()) << GetParam().case_name << " passed a store that breaks it";
  if (!s.ok()) {
    EXPECT_EQ(s.code(), Code::kInternal) << s.ToString();                 // an expectation failed
    EXPECT_EQ(s.message().rfind("conformance_", 0), 0u) << s.ToString();  // names file:line
  }
}

INSTANTIATE_TEST_SUITE_P(Mutants, ConformanceCatches, ::testing::ValuesIn(kCatches),
                         [](const ::testing::TestParamInfo<Catch>& info) {
                           return std::string(info.param.case_name) + "_" +
                                  std::to_string(info.index);
                         });

}  // namespace
}  // namespace cloison::store::testing
