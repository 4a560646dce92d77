// The group commit's pipeline (api/ingest_batcher.h) over a real vault and
// SQLite store, with the store's Sync held or failed by the test: an item is
// answered only after the sync that covers its commit, while the committer
// goes on committing the next batch.
#include "api/ingest_batcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "base/hold_point.h"
#include "service/vault_test_util.h"

namespace cloison::api {
namespace {

using service::Ingested;
using service::IngestInput;
using service::Outcome;

// The store under the vault, except that Sync waits while the test holds it
// and fails when the test says so.
class HeldSyncStore final : public store::Store {
 public:
  explicit HeldSyncStore(store::Store& base) : base_(base) {}
  Result<std::unique_ptr<store::ReadTx>> BeginRead() override { return base_.BeginRead(); }
  Result<std::unique_ptr<store::WriteTx>> BeginWrite() override { return base_.BeginWrite(); }
  Result<std::unique_ptr<store::WriteTx>> BeginDeferredWrite() override {
    return base_.BeginDeferredWrite();
  }
  std::string Backend() const override { return base_.Backend(); }
  Status Scrub() override { return base_.Scrub(); }
  Status Sync() override {
    point_.Pass();
    if (fail_.load()) return Status::IoError("store: sync: fdatasync: Input/output error");
    return base_.Sync();
  }

  void Hold() { point_.Hold(); }
  void Release() { point_.Release(); }
  void Fail() { fail_.store(true); }
  // Waits (bounded) until Sync has been entered `n` times.
  bool WaitEntered(size_t n) { return point_.WaitPasses(n, std::chrono::seconds(20)); }

 private:
  store::Store& base_;
  HoldPoint point_;
  std::atomic<bool> fail_{false};
};

// Releases the store's Sync when a test ends, first: a batcher being
// stopped waits for its syncer.
struct ReleaseAtEnd {
  HeldSyncStore& store;
  ~ReleaseAtEnd() { store.Release(); }
};

class IngestBatcherTest : public service::VaultFixture {
 protected:
  void SetUp() override {
    VaultFixture::SetUp();
    held_ = std::make_unique<HeldSyncStore>(*store_);
    service::VaultOptions o;
    o.max_item_size = 1 << 20;
    vault_over_held_ =
        std::make_unique<service::Vault>(*held_, book_, clock_, ids_, *keys_, instance_.path(), o);
    ASSERT_TRUE(vault_over_held_->Open().ok());
  }

  // Answers, in the order they came.
  struct Answers {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<Result<Outcome<Ingested>>> got;  // guarded by mu
    IngestBatcher::Callback Collect() {
      return [this](Result<Outcome<Ingested>> r) {
        std::lock_guard lock(mu);
        got.push_back(std::move(r));
        cv.notify_all();
      };
    }
    size_t size() {
      std::lock_guard lock(mu);
      return got.size();
    }
    bool WaitFor(size_t n) {
      std::unique_lock lock(mu);
      return cv.wait_for(lock, std::chrono::seconds(20), [&] { return got.size() >= n; });
    }
  };

  // Polls (bounded) until `done()`.
  static bool Eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 2000; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
  }

  std::unique_ptr<HeldSyncStore> held_;
  std::unique_ptr<service::Vault> vault_over_held_;
};

TEST_F(IngestBatcherTest, AnswersAfterTheSyncWhileTheNextBatchCommits) {
  held_->Hold();
  Answers answers;
  IngestBatcher batcher(*vault_over_held_, nullptr);
  ReleaseAtEnd release{*held_};
  const IngestInput first = Item("first");
  const IngestInput second = Item("second");

  batcher.Submit(collector_, first, answers.Collect());
  ASSERT_TRUE(held_->WaitEntered(1));
  // Committed and visible to readers, but not answered: not yet durable.
  EXPECT_EQ(CountKind("item"), 1);
  EXPECT_EQ(answers.size(), 0u);

  // The committer is not held by the sync: it commits the next batch.
  batcher.Submit(collector_, second, answers.Collect());
  EXPECT_TRUE(Eventually([&] { return CountKind("item") == 2; }));
  EXPECT_EQ(answers.size(), 0u);

  held_->Release();
  ASSERT_TRUE(answers.WaitFor(2));
  std::lock_guard lock(answers.mu);
  for (const auto& r : answers.got) {
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_FALSE(r->refused());
  }
}

TEST_F(IngestBatcherTest, AFailedSyncAnswersThatTheItemMayOrMayNotBeKept) {
  held_->Fail();
  Answers answers;
  IngestBatcher batcher(*vault_over_held_, nullptr);
  const IngestInput item = Item("unsure");
  batcher.Submit(collector_, item, answers.Collect());
  ASSERT_TRUE(answers.WaitFor(1));
  std::lock_guard lock(answers.mu);
  const auto& r = answers.got[0];
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kIoError);
  EXPECT_NE(r.status().message().find("may or may not be kept"), std::string::npos)
      << r.status().ToString();
}

TEST_F(IngestBatcherTest, StopAnswersEverythingSubmittedBeforeIt) {
  held_->Hold();
  Answers answers;
  IngestBatcher batcher(*vault_over_held_, nullptr);
  std::vector<IngestInput> items;
  for (int i = 0; i < 20; ++i) items.push_back(Item("item " + std::to_string(i)));
  for (const auto& in : items) batcher.Submit(collector_, in, answers.Collect());
  ASSERT_TRUE(held_->WaitEntered(1));
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    held_->Release();
  });
  batcher.Stop();  // drains the committer, then the syncer
  releaser.join();
  EXPECT_EQ(answers.size(), items.size());
  EXPECT_EQ(CountKind("item"), static_cast<int64_t>(items.size()));
}

}  // namespace
}  // namespace cloison::api
