// Conformance cases on transactions: visibility, snapshots, rollback, refusal,
// concurrency and persistence.
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

#include "store/testing/conformance_internal.h"

namespace cloison::store::testing::internal {

Status WriteTxReadsItsOwnWrites(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  CONF_EXPECT_OK(PutAll(*store, {Rec("request", "r0", "draft")}));
  CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  CONF_EXPECT_OK(tx->Put(Rec("request", "r1", "draft")));
  CONF_EXPECT_OK(tx->Put(Rec("request", "r0", "submitted")));
  CONF_EXPECT_OK(tx->SetMeta("conformance.k", "v"));
  CONF_ASSIGN_OR_FAIL(int64_t idx, tx->Append(Ev("test.own", "own")));
  CONF_EXPECT_EQ(idx, int64_t{1});
  CONF_EXPECT_EQ(tx->Get("request", "r0")->state, std::string("submitted"));
  CONF_EXPECT_OK(tx->Get("request", "r1"));
  Filter drafts = Kind("request");
  drafts.states = {"draft"};
  CONF_ASSIGN_OR_FAIL(auto listed, tx->List(drafts));
  CONF_EXPECT_EQ(Ids(listed), std::string("[r1]"));
  CONF_EXPECT_EQ(*tx->Count(Kind("request")), int64_t{2});
  CONF_EXPECT_EQ(*tx->EventCount(), int64_t{2});
  CONF_ASSIGN_OR_FAIL(auto events, tx->Events(1, 5));
  CONF_EXPECT_EQ(events.size(), size_t{1});
  CONF_EXPECT_EQ(events[0].body, std::string("own"));
  CONF_EXPECT_EQ(*tx->GetMeta("conformance.k"), std::string("v"));
  CONF_EXPECT_OK(tx->Commit());
  return Status::Ok();
}

Status UncommittedWritesAreInvisible(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  CONF_EXPECT_OK(tx->Put(Rec("request", "r1", "draft")));
  CONF_EXPECT_OK(tx->Append(Ev("test", "x")));
  CONF_EXPECT_OK(tx->SetMeta("conformance.k", "v"));
  {
    CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());  // begun while the writer is open
    CONF_EXPECT_CODE(rx->Get("request", "r1"), Code::kNotFound);
    CONF_EXPECT_EQ(*rx->EventCount(), int64_t{0});
    CONF_EXPECT_EQ(*rx->Count(Kind("request")), int64_t{0});
    CONF_EXPECT_CODE(rx->GetMeta("conformance.k"), Code::kNotFound);
  }
  CONF_EXPECT_OK(tx->Commit());
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  CONF_EXPECT_OK(rx->Get("request", "r1"));
  CONF_EXPECT_EQ(*rx->EventCount(), int64_t{1});
  CONF_EXPECT_EQ(*rx->GetMeta("conformance.k"), std::string("v"));
  return Status::Ok();
}

namespace {

// Checks that `rx` still sees exactly the state after the first commit of
// ReadTxSeesOneSnapshot.
Status SeesFirstState(ReadTx& rx) {
  CONF_EXPECT_EQ(rx.Get("request", "r1")->state, std::string("draft"));
  CONF_EXPECT_CODE(rx.Get("request", "r2"), Code::kNotFound);
  CONF_ASSIGN_OR_FAIL(auto listed, rx.List(Kind("request")));
  CONF_EXPECT_EQ(Ids(listed), std::string("[r1]"));
  CONF_EXPECT_EQ(*rx.Count(Kind("request")), int64_t{1});
  CONF_EXPECT_EQ(*rx.EventCount(), int64_t{1});
  CONF_ASSIGN_OR_FAIL(auto events, rx.Events(0, 10));
  CONF_EXPECT_EQ(events.size(), size_t{1});
  CONF_EXPECT_EQ(*rx.GetMeta("conformance.k"), std::string("old"));
  return Status::Ok();
}

}  // namespace

Status ReadTxSeesOneSnapshot(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    CONF_EXPECT_OK(tx->Put(Rec("request", "r1", "draft")));
    CONF_EXPECT_OK(tx->SetMeta("conformance.k", "old"));
    CONF_EXPECT_OK(tx->Append(Ev("test", "first")));
    CONF_EXPECT_OK(tx->Commit());
  }
  // One reader that has read before the writer commits, one that has not:
  // both were begun before, so both see the first state.
  CONF_ASSIGN_OR_FAIL(auto read_early, store->BeginRead());
  CONF_EXPECT_OK(SeesFirstState(*read_early));
  CONF_ASSIGN_OR_FAIL(auto read_late, store->BeginRead());
  // The writer commits from another thread while both readers are open; it
  // must not wait for them.
  Status writer_status;
  std::thread writer([&] {
    writer_status = [&]() -> Status {
      CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
      CONF_EXPECT_OK(tx->Put(Rec("request", "r1", "submitted")));
      CONF_EXPECT_OK(tx->Put(Rec("request", "r2", "draft")));
      CONF_EXPECT_OK(tx->SetMeta("conformance.k", "new"));
      CONF_EXPECT_OK(tx->Append(Ev("test", "second")));
      return tx->Commit();
    }();
  });
  writer.join();
  CONF_EXPECT_OK(writer_status);
  CONF_EXPECT_OK(SeesFirstState(*read_early));
  CONF_EXPECT_OK(SeesFirstState(*read_late));
  // A commit on this thread, with the readers still open, changes nothing either.
  CONF_EXPECT_OK(PutAll(*store, {Rec("request", "r3")}));
  CONF_EXPECT_OK(SeesFirstState(*read_early));
  CONF_EXPECT_OK(SeesFirstState(*read_late));
  CONF_ASSIGN_OR_FAIL(auto fresh, store->BeginRead());
  CONF_EXPECT_EQ(fresh->Get("request", "r1")->state, std::string("submitted"));
  CONF_EXPECT_EQ(*fresh->Count(Kind("request")), int64_t{3});
  CONF_EXPECT_EQ(*fresh->EventCount(), int64_t{3});
  CONF_EXPECT_EQ(*fresh->GetMeta("conformance.k"), std::string("new"));
  return Status::Ok();
}

Status DestroyedWriteTxRollsBack(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  CONF_EXPECT_OK(PutAll(*store, {Rec("request", "r1", "draft")}));
  {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    CONF_EXPECT_OK(tx->Put(Rec("request", "r1", "changed")));
    CONF_EXPECT_OK(tx->Put(Rec("request", "r2", "new")));
    CONF_EXPECT_OK(tx->SetMeta("conformance.k", "v"));
    CONF_EXPECT_OK(tx->Append(Ev("test", "lost 1")));
    CONF_EXPECT_OK(tx->Append(Ev("test", "lost 2")));
  }  // destroyed without Commit
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  CONF_EXPECT_EQ(rx->Get("request", "r1")->state, std::string("draft"));
  CONF_EXPECT_CODE(rx->Get("request", "r2"), Code::kNotFound);
  CONF_EXPECT_CODE(rx->GetMeta("conformance.k"), Code::kNotFound);
  CONF_EXPECT_EQ(*rx->EventCount(), int64_t{1});
  // The rolled-back events leave no gap: the next one is #1.
  CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  CONF_EXPECT_EQ(*tx->Append(Ev("test", "kept")), int64_t{1});
  CONF_EXPECT_OK(tx->Commit());
  return Status::Ok();
}

Status DeferredWriteTxIsAWriteTx(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  CONF_EXPECT_OK(PutAll(*store, {Rec("request", "r0", "draft")}));
  {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginDeferredWrite());
    CONF_EXPECT_OK(tx->Put(Rec("request", "r1", "draft")));
    CONF_EXPECT_EQ(*tx->Append(Ev("test.deferred", "d")), int64_t{1});
    CONF_EXPECT_OK(tx->Get("request", "r1"));
    CONF_EXPECT_OK(tx->Commit());
  }
  {
    // Committed: seen by every later transaction, before any Sync.
    CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
    CONF_EXPECT_OK(rx->Get("request", "r1"));
    CONF_EXPECT_EQ(*rx->EventCount(), int64_t{2});
  }
  CONF_EXPECT_OK(store->Sync());
  {
    // The same refusals: a change without an event, and no commit at all.
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginDeferredWrite());
    CONF_EXPECT_OK(tx->Put(Rec("request", "r2", "draft")));
    CONF_EXPECT_CODE(tx->Commit(), Code::kFailedPrecondition);
  }
  {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginDeferredWrite());
    CONF_EXPECT_OK(tx->Put(Rec("request", "r3", "draft")));
    CONF_EXPECT_OK(tx->Append(Ev("test", "lost")));
  }  // destroyed without Commit
  // Durable and deferred transactions share one gapless log.
  CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  CONF_EXPECT_EQ(*tx->Append(Ev("test", "durable")), int64_t{2});
  CONF_EXPECT_OK(tx->Commit());
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  CONF_EXPECT_CODE(rx->Get("request", "r2"), Code::kNotFound);
  CONF_EXPECT_CODE(rx->Get("request", "r3"), Code::kNotFound);
  CONF_EXPECT_EQ(*rx->EventCount(), int64_t{3});
  CONF_EXPECT_OK(store->Sync());
  return Status::Ok();
}

Status CommitWithoutEventFailsAndRollsBack(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  CONF_EXPECT_OK(PutAll(*store, {Rec("request", "r1", "draft")}));
  CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  CONF_EXPECT_OK(tx->Put(Rec("request", "r1", "submitted")));
  CONF_EXPECT_OK(tx->Put(Rec("request", "r2", "draft")));
  CONF_EXPECT_OK(tx->SetMeta("conformance.k", "v"));
  CONF_EXPECT_CODE(tx->Commit(), Code::kFailedPrecondition);
  CONF_EXPECT_CODE(tx->Commit(), Code::kFailedPrecondition);  // finished, whatever the outcome
  CONF_EXPECT_CODE(tx->Append(Ev("test", "too late")), Code::kFailedPrecondition);
  tx.reset();
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  CONF_EXPECT_EQ(rx->Get("request", "r1")->state, std::string("draft"));
  CONF_EXPECT_CODE(rx->Get("request", "r2"), Code::kNotFound);
  CONF_EXPECT_CODE(rx->GetMeta("conformance.k"), Code::kNotFound);
  CONF_EXPECT_EQ(*rx->EventCount(), int64_t{1});
  // The store is usable afterwards (nothing is left locked).
  CONF_EXPECT_OK(PutAll(*store, {Rec("request", "r2")}));
  return Status::Ok();
}

Status CommitsWithoutRecordChangeNeedNoEvent(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());  // nothing at all
    CONF_EXPECT_OK(tx->Commit());
  }
  {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());  // reads only
    CONF_EXPECT_CODE(tx->Get("request", "r1"), Code::kNotFound);
    CONF_EXPECT_OK(tx->Commit());
  }
  {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());  // meta only
    CONF_EXPECT_OK(tx->SetMeta("conformance.k", "v"));
    CONF_EXPECT_OK(tx->Commit());
  }
  {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());  // an event without a record
    CONF_EXPECT_EQ(*tx->Append(Ev("login", "who")), int64_t{0});
    CONF_EXPECT_OK(tx->Commit());
  }
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  CONF_EXPECT_EQ(*rx->GetMeta("conformance.k"), std::string("v"));
  CONF_EXPECT_EQ(*rx->EventCount(), int64_t{1});
  return Status::Ok();
}

namespace {

Status EveryCallAfterCommit(WriteTx& tx) {
  constexpr Code kWant = Code::kFailedPrecondition;
  CONF_EXPECT_CODE(tx.Get("request", "r1"), kWant);
  CONF_EXPECT_CODE(tx.List(Kind("request")), kWant);
  CONF_EXPECT_CODE(tx.Count(Kind("request")), kWant);
  CONF_EXPECT_CODE(tx.Events(0, 1), kWant);
  CONF_EXPECT_CODE(tx.EventCount(), kWant);
  CONF_EXPECT_CODE(tx.GetMeta("conformance.k"), kWant);
  CONF_EXPECT_CODE(tx.Put(Rec("request", "late")), kWant);
  CONF_EXPECT_CODE(tx.Append(Ev("test", "late")), kWant);
  CONF_EXPECT_CODE(tx.SetMeta("conformance.late", "v"), kWant);
  CONF_EXPECT_CODE(tx.Commit(), kWant);
  return Status::Ok();
}

}  // namespace

Status FinishedTxRefusesEveryCall(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    CONF_EXPECT_OK(tx->Put(Rec("request", "r1")));
    CONF_EXPECT_OK(tx->Append(Ev("test", "x")));
    CONF_EXPECT_OK(tx->Commit());
    CONF_EXPECT_OK(EveryCallAfterCommit(*tx));
  }
  {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    CONF_EXPECT_OK(tx->Put(Rec("request", "r2")));
    CONF_EXPECT_CODE(tx->Commit(), Code::kFailedPrecondition);  // no event
    CONF_EXPECT_OK(EveryCallAfterCommit(*tx));
  }
  // Nothing the late calls tried is visible, and the store is not blocked.
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  CONF_EXPECT_CODE(rx->Get("request", "late"), Code::kNotFound);
  CONF_EXPECT_CODE(rx->Get("request", "r2"), Code::kNotFound);
  CONF_EXPECT_EQ(*rx->EventCount(), int64_t{1});
  CONF_EXPECT_OK(PutAll(*store, {Rec("request", "r3")}));
  return Status::Ok();
}

Status ManyReadTxAtOnce(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  std::vector<std::unique_ptr<ReadTx>> readers;
  for (int i = 0; i < 24; ++i) {
    CONF_EXPECT_OK(PutAll(*store, {Rec("item", "i" + std::to_string(100 + i))}));
    CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
    readers.push_back(std::move(rx));
  }
  // Reader i was begun after commit i: it sees i + 1 items, all the others too.
  for (size_t i = 0; i < readers.size(); ++i) {
    CONF_EXPECT_EQ(*readers[i]->Count(Kind("item")), static_cast<int64_t>(i + 1));
    CONF_EXPECT_EQ(*readers[i]->EventCount(), static_cast<int64_t>(i + 1));
  }
  return Status::Ok();
}

Status WriteTxExcludesOtherWriters(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  CONF_EXPECT_OK(tx->Put(Rec("counter", "c", "", "1")));
  CONF_EXPECT_OK(tx->Append(Ev("test", "first")));
  std::atomic<bool> second_began{false};
  Status second_status;
  std::string second_saw;
  std::thread second([&] {
    second_status = [&]() -> Status {
      CONF_ASSIGN_OR_FAIL(auto tx2, store->BeginWrite());
      second_began = true;
      CONF_ASSIGN_OR_FAIL(Record c, tx2->Get("counter", "c"));
      second_saw = c.body;
      CONF_ASSIGN_OR_FAIL(int64_t idx, tx2->Append(Ev("test", "second")));
      CONF_EXPECT_EQ(idx, int64_t{1});
      return tx2->Commit();
    }();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  bool began_early = second_began.load();
  Status commit = tx->Commit();
  second.join();
  CONF_EXPECT_OK(commit);
  CONF_EXPECT(!began_early, "a second WriteTx began while the first was open");
  CONF_EXPECT_OK(second_status);
  CONF_EXPECT_EQ(second_saw, std::string("1"));
  return Status::Ok();
}

// Several threads increment one counter record, each in its own WriteTx with
// one event carrying the new value, while a reader checks every snapshot.
Status ConcurrentWritersAreSerialisable(const StoreFactory& open) {
  constexpr int kThreads = 4;
  constexpr int kTxPerThread = 200;
  CONF_ASSIGN_OR_FAIL(auto store, open());
  FirstFailure failure;
  std::atomic<int> writers_left{kThreads};
  auto writer = [&](int t) {
    for (int i = 0; i < kTxPerThread; ++i) {
      Status s = [&]() -> Status {
        CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
        int64_t value = 0;
        Result<Record> current = tx->Get("counter", "c");
        if (current.ok()) {
          value = std::stoll(current->body);
        } else {
          CONF_EXPECT_CODE(current, Code::kNotFound);
        }
        ++value;
        CONF_EXPECT_OK(tx->Put(Rec("counter", "c", "", std::to_string(value))));
        CONF_ASSIGN_OR_FAIL(
            int64_t idx,
            tx->Append(Ev("counter.incremented", std::to_string(value) + " t" + std::to_string(t) +
                                                     " i" + std::to_string(i))));
        // The event's index and the counter it carries agree: serial order.
        CONF_EXPECT_EQ(idx + 1, value);
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
        CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
        CONF_ASSIGN_OR_FAIL(int64_t events, rx->EventCount());
        Result<Record> c = rx->Get("counter", "c");
        int64_t value = c.ok() ? std::stoll(c->body) : 0;
        CONF_EXPECT_EQ(value, events);
        return Status::Ok();
      }();
      if (!s.ok()) {
        failure.Note(s);
        return;
      }
      std::this_thread::yield();  // let the writers run on a loaded machine
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(writer, t);
  std::thread reader_thread(reader);
  for (std::thread& th : threads) th.join();
  reader_thread.join();
  CONF_EXPECT_OK(failure.Get());

  constexpr int64_t kTotal = int64_t{kThreads} * kTxPerThread;
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  CONF_EXPECT_EQ(rx->Get("counter", "c")->body, std::to_string(kTotal));
  CONF_EXPECT_EQ(*rx->EventCount(), kTotal);
  CONF_ASSIGN_OR_FAIL(auto events, rx->Events(0, kTotal + 10));
  CONF_EXPECT_EQ(static_cast<int64_t>(events.size()), kTotal);
  std::vector<int> last_i(kThreads, -1);
  for (int64_t n = 0; n < kTotal; ++n) {
    const Event& e = events[static_cast<size_t>(n)];
    CONF_EXPECT_EQ(e.index, n);
    int64_t value = 0;
    int t = 0, i = 0;
    CONF_EXPECT(std::sscanf(e.body.c_str(), "%" SCNd64 " t%d i%d", &value, &t, &i) == 3, e.body);
    CONF_EXPECT_EQ(value, n + 1);
    // Each thread's transactions appear in the order it committed them.
    CONF_EXPECT(t >= 0 && t < kThreads && i > last_i[static_cast<size_t>(t)], e.body);
    last_i[static_cast<size_t>(t)] = i;
  }
  return Status::Ok();
}

Status ReopenPersists(const StoreFactory& open) {
  Record r = Rec("request", "r1", "submitted", std::string("persist\0ed", 10));
  r.ends_at = 42;
  {
    CONF_ASSIGN_OR_FAIL(auto store, open());
    CONF_EXPECT_OK(PutAll(*store, {r, Rec("request", "r2")}));
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    CONF_EXPECT_OK(tx->SetMeta("conformance.origin", "o"));
    CONF_EXPECT_OK(tx->Commit());
    CONF_ASSIGN_OR_FAIL(auto lost, store->BeginWrite());  // never committed
    CONF_EXPECT_OK(lost->Put(Rec("request", "lost")));
    CONF_EXPECT_OK(lost->Append(Ev("test", "lost")));
  }
  CONF_ASSIGN_OR_FAIL(auto store, open());
  {
    CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
    CONF_EXPECT_EQ(*rx->Get("request", "r1"), r);
    CONF_EXPECT_EQ(*rx->Count(Kind("request")), int64_t{2});
    CONF_EXPECT_EQ(*rx->EventCount(), int64_t{2});
    CONF_EXPECT_EQ(*rx->GetMeta("conformance.origin"), std::string("o"));
  }
  CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  CONF_EXPECT_EQ(*tx->Append(Ev("test", "after reopen")), int64_t{2});
  CONF_EXPECT_OK(tx->Commit());
  store.reset();
  CONF_ASSIGN_OR_FAIL(auto again, open());
  CONF_ASSIGN_OR_FAIL(auto rx, again->BeginRead());
  CONF_EXPECT_EQ(*rx->EventCount(), int64_t{3});
  return Status::Ok();
}

}  // namespace cloison::store::testing::internal
