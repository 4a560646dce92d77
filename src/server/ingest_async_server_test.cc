// Item ingest's asynchronous path over real HTTPS (api::Api::HandleAsync,
// api/ingest_batcher.h): a request waiting for its group commit holds no
// thread. The committer is held in its test hook so that each test chooses
// what one batch holds; the server has a single handler thread, so ingests
// that held a thread while waiting could never queue together.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/test_harness.h"
#include "base/hold_point.h"
#include "server/pki.h"
#include "server/server.h"
#include "server/test_client.h"
#include "server/test_server.h"

namespace cloison::server {
namespace {
using api::testing::Body;
using api::testing::ErrorCode;
using api::testing::Harness;
using service::Role;
using testing::Client;
using testing::ClientOptions;
using testing::Reply;

// Waits (bounded, for slow sanitizer builds) until `done()`; false if never.
bool Eventually(const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// The committer's hook: while held, the committer waits in it with the
// batch it took; every batch's size is recorded.
class CommitGate {
 public:
  void Hold() { point_.Hold(); }
  void Release() { point_.Release(); }
  void Enter(size_t items) {
    {
      std::lock_guard lock(mu_);
      sizes_.push_back(items);
    }
    point_.Pass();
  }
  // True once the committer has taken `n` batches.
  bool WaitBatches(size_t n) { return point_.WaitPasses(n, std::chrono::seconds(60)); }
  std::vector<size_t> sizes() {
    std::lock_guard lock(mu_);
    return sizes_;
  }

 private:
  HoldPoint point_;
  std::mutex mu_;
  std::vector<size_t> sizes_;  // guarded by mu_
};

api::IngestBatcherOptions GatedBy(CommitGate& gate) {
  api::IngestBatcherOptions o;
  o.before_commit = [&gate](size_t items) { gate.Enter(items); };
  return o;
}

// Each scenario runs twice: ingest's checks on the I/O thread (the
// default) and on the handler pool (IngestAsyncOnPoolServerTest).
class IngestAsyncServerTest : public ::testing::Test {
 protected:
  explicit IngestAsyncServerTest(bool checks_on_io_threads = true)
      : checks_on_io_threads_(checks_on_io_threads) {}

  void SetUp() override {
    ServerOptions o;
    o.handler_threads = 1;
    o.ingest_checks_on_io_threads = checks_on_io_threads_;
    Status started = testing::StartOnLoopback(h_.api(), h_.dir(), o, pki_, server_);
    ASSERT_TRUE(started.ok()) << started.ToString();
    auth_ = h_.Grant("L852-2");
    ASSERT_FALSE(auth_.empty());
    ASSERT_EQ(
        h_.As(Role::kAdmin, "PUT", "/v1/test/clock", R"({"now":"2025-03-03T09:00:00Z"})").status,
        200);
  }
  void TearDown() override {
    // Never leave the committer held: the Api drains it when destroyed.
    gate_.Release();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

  std::string Query(std::string_view kind) const {
    return "/v1/items?authorisation=" + auth_ + "&kind=" + std::string(kind) +
           "&collected_at=2025-03-03T08:30:00Z";
  }

  // Sends one ingest on a connection of its own, from a thread of its own;
  // its reply lands in replies_[slot] once answered.
  void SendAsync(size_t slot, std::string target, std::string body) {
    threads_.emplace_back([this, slot, target = std::move(target), body = std::move(body)] {
      Client client(server_->port(),
                    ClientOptions{pki_.ca_cert, "", "", false, std::chrono::milliseconds(60'000)});
      auto r = client.Send("POST", target, body, h_.user(Role::kCollector).token,
                           {{"Content-Type", "application/octet-stream"}});
      std::lock_guard lock(mu_);
      replies_[slot] = r.ok() ? *r : Reply{};
    });
  }
  void JoinAll() {
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  bool Queued(size_t n) {
    return Eventually([&] { return h_.api().ingest_batcher()->queued() == n; });
  }

  size_t EventCount(std::string_view type) {
    auto tx = h_.store().BeginRead();
    EXPECT_TRUE(tx.ok());
    if (!tx.ok()) return 0;
    auto n = (*tx)->EventCount();
    EXPECT_TRUE(n.ok());
    auto all = (*tx)->Events(0, n.ok() ? *n : 0);
    EXPECT_TRUE(all.ok());
    size_t count = 0;
    if (all.ok())
      for (const auto& e : *all) count += e.type == type;
    return count;
  }

  // A first item, taken alone by the committer, which is then held: what
  // follows queues behind it.
  void HoldCommitterWithFirstItem() {
    gate_.Hold();
    SendAsync(0, Query("correspondence"), "first");
    ASSERT_TRUE(gate_.WaitBatches(1));
  }

  // The scenarios.
  void IngestsWaitTogetherForOneCommitHoldingNoThread();
  void BadItemInABatchIsRefusedAlone();
  void ShutdownAnswersIngestsInFlight();

  const bool checks_on_io_threads_;
  CommitGate gate_;  // before h_: the Api's committer calls it until h_ is gone
  Harness h_{true, true, 4096, GatedBy(gate_)};
  PkiPaths pki_;
  std::unique_ptr<Server> server_;
  std::string auth_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::map<size_t, Reply> replies_;  // guarded by mu_
};

std::string Content(size_t i) {
  return "intercepted, item " + std::to_string(i);
}

class IngestAsyncOnPoolServerTest : public IngestAsyncServerTest {
 protected:
  IngestAsyncOnPoolServerTest() : IngestAsyncServerTest(false) {}
};

void IngestAsyncServerTest::IngestsWaitTogetherForOneCommitHoldingNoThread() {
  constexpr size_t kItems = 24;
  HoldCommitterWithFirstItem();
  if (HasFatalFailure()) return;
  for (size_t i = 1; i <= kItems; ++i) SendAsync(i, Query("correspondence"), Content(i));
  // All queued at once behind the held commit, through one handler thread.
  ASSERT_TRUE(Queued(kItems));
  // Meanwhile the handler thread serves other requests.
  Client reader(server_->port(), ClientOptions{pki_.ca_cert});
  auto read = reader.Send("GET", "/v1/authorisations/" + auth_, "", h_.user(Role::kCnctr).token);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->status, 200) << read->body;
  gate_.Release();
  JoinAll();
  EXPECT_EQ(gate_.sizes(), (std::vector<size_t>{1, kItems}));
  std::set<std::string> ids;
  for (size_t i = 0; i <= kItems; ++i) {
    const Reply& r = replies_[i];
    ASSERT_EQ(r.status, 201) << "item " << i << ": " << r.body;
    std::string id(Body(r).at("id").as_string());
    EXPECT_EQ(r.headers.at("location"), "/v1/items/" + id);
    EXPECT_TRUE(ids.insert(id).second) << "id given twice: " << id;
    auto content = h_.As(Role::kGic, "GET", "/v1/items/" + id + "/content");
    ASSERT_EQ(content.status, 200) << content.body;
    EXPECT_EQ(content.body, i == 0 ? "first" : Content(i));
  }
  EXPECT_EQ(EventCount("item.ingested"), kItems + 1);
  // Each answered request counted once, under its operation.
  EXPECT_EQ(h_.metrics().Get("cloison_ingest_batched_items_total"),
            static_cast<int64_t>(kItems + 1));
}

void IngestAsyncServerTest::BadItemInABatchIsRefusedAlone() {
  HoldCommitterWithFirstItem();
  if (HasFatalFailure()) return;
  // One batch: good items, one the vault refuses as bad input (which fails
  // a batch whole), one the gate refuses (L852-2 does not collect
  // locations).
  constexpr size_t kBad = 3, kRefused = 5, kItems = 8;
  for (size_t i = 1; i <= kItems; ++i) {
    std::string kind = i == kBad ? "smoke_signal" : i == kRefused ? "location" : "correspondence";
    SendAsync(i, Query(kind), Content(i));
  }
  ASSERT_TRUE(Queued(kItems));
  gate_.Release();
  JoinAll();
  ASSERT_EQ(gate_.sizes().size(), 2u);
  EXPECT_EQ(gate_.sizes()[1], kItems);
  for (size_t i = 1; i <= kItems; ++i) {
    const Reply& r = replies_[i];
    SCOPED_TRACE("item " + std::to_string(i) + ": " + r.body);
    if (i == kBad) {
      ASSERT_EQ(r.status, 400);
      std::string message(Body(r).at("error").at("message").as_string());
      // Its own message, as if it had been alone: not "item N: ...".
      EXPECT_EQ(message.rfind("kind: got \"smoke_signal\"", 0), 0u) << message;
    } else if (i == kRefused) {
      ASSERT_EQ(r.status, 422);
      EXPECT_EQ(ErrorCode(r), "LEGAL_REFUSAL");
    } else {
      ASSERT_EQ(r.status, 201);
      std::string id(Body(r).at("id").as_string());
      auto content = h_.As(Role::kGic, "GET", "/v1/items/" + id + "/content");
      ASSERT_EQ(content.status, 200) << content.body;
      EXPECT_EQ(content.body, Content(i));
    }
  }
  EXPECT_EQ(replies_[0].status, 201);
  EXPECT_EQ(EventCount("item.ingested"), kItems - 2 + 1);
  EXPECT_EQ(EventCount("item.refused"), 1u);
}

void IngestAsyncServerTest::ShutdownAnswersIngestsInFlight() {
  constexpr size_t kItems = 8;
  HoldCommitterWithFirstItem();
  if (HasFatalFailure()) return;
  for (size_t i = 1; i <= kItems; ++i) SendAsync(i, Query("correspondence"), Content(i));
  ASSERT_TRUE(Queued(kItems));
  // A graceful shutdown while every ingest waits for its commit: none is
  // cut off; each is answered once durable, then its connection closed.
  server_->Shutdown();
  gate_.Release();
  JoinAll();
  server_->Wait();
  for (size_t i = 0; i <= kItems; ++i) {
    const Reply& r = replies_[i];
    ASSERT_EQ(r.status, 201) << "item " << i << ": " << r.body;
    std::string id(Body(r).at("id").as_string());
    EXPECT_EQ(h_.As(Role::kGic, "GET", "/v1/items/" + id).status, 200);
  }
  EXPECT_EQ(EventCount("item.ingested"), kItems + 1);
}

TEST_F(IngestAsyncServerTest, IngestsWaitTogetherForOneCommitHoldingNoThread) {
  IngestsWaitTogetherForOneCommitHoldingNoThread();
}
TEST_F(IngestAsyncServerTest, BadItemInABatchIsRefusedAlone) {
  BadItemInABatchIsRefusedAlone();
}
TEST_F(IngestAsyncServerTest, ShutdownAnswersIngestsInFlight) {
  ShutdownAnswersIngestsInFlight();
}
TEST_F(IngestAsyncOnPoolServerTest, IngestsWaitTogetherForOneCommitHoldingNoThread) {
  IngestsWaitTogetherForOneCommitHoldingNoThread();
}
TEST_F(IngestAsyncOnPoolServerTest, BadItemInABatchIsRefusedAlone) {
  BadItemInABatchIsRefusedAlone();
}
TEST_F(IngestAsyncOnPoolServerTest, ShutdownAnswersIngestsInFlight) {
  ShutdownAnswersIngestsInFlight();
}

}  // namespace
}  // namespace cloison::server
