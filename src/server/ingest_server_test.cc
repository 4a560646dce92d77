// Item ingest under concurrency over real HTTPS on 127.0.0.1: many
// collector connections at once go through the group commit
// (api/ingest_batcher.h), and each request still gets its own answer: 201
// only for an item that is then readable with exactly one item.ingested in
// the ledger, 422 with its own violations for a refusal by the gate, 400 for
// its own bad input without failing the items committed beside it.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/test_harness.h"
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

// Bounded: 32 connections of 20 items each.
constexpr int kClients = 32;
constexpr int kPerClient = 20;

class IngestServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status started = testing::StartOnLoopback(h_.api(), h_.dir(), {}, pki_, server_);
    ASSERT_TRUE(started.ok()) << started.ToString();
    // L852-2 collects correspondence, kept 30 days (L. 822-2 I 1°).
    auth_ = h_.Grant("L852-2");
    ASSERT_FALSE(auth_.empty());
    ASSERT_EQ(
        h_.As(Role::kAdmin, "PUT", "/v1/test/clock", R"({"now":"2025-03-03T09:00:00Z"})").status,
        200);
  }

  std::string Query(std::string_view kind) const {
    return "/v1/items?authorisation=" + auth_ + "&kind=" + std::string(kind) +
           "&collected_at=2025-03-03T08:30:00Z";
  }

  // The events of `type` in the store, in order.
  std::vector<store::Event> EventsOf(std::string_view type) {
    std::vector<store::Event> out;
    auto tx = h_.store().BeginRead();
    EXPECT_TRUE(tx.ok());
    if (!tx.ok()) return out;
    auto n = (*tx)->EventCount();
    EXPECT_TRUE(n.ok());
    auto all = (*tx)->Events(0, n.ok() ? *n : 0);
    EXPECT_TRUE(all.ok());
    if (!all.ok()) return out;
    for (auto& e : *all)
      if (e.type == type) out.push_back(std::move(e));
    return out;
  }

  // Sends `per_client` requests on each of `clients` connections at once;
  // `make(client, i)` gives the target and body of each. Every reply, by
  // client then order.
  template <typename Make>
  std::vector<std::vector<Reply>> Concurrently(int clients, int per_client, Make make) {
    std::vector<std::vector<Reply>> replies(clients);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    const std::string token = h_.user(Role::kCollector).token;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        // Generous: under ThreadSanitizer a commit of many items is slow.
        Client client(server_->port(), ClientOptions{pki_.ca_cert, "", "", false,
                                                     std::chrono::milliseconds(60'000)});
        for (int i = 0; i < per_client; ++i) {
          auto [target, body] = make(c, i);
          auto r = client.Send("POST", target, body, token,
                               {{"Content-Type", "application/octet-stream"}});
          if (!r.ok()) {
            failures.fetch_add(1);
            replies[c].push_back(Reply{});
            continue;
          }
          replies[c].push_back(*r);
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0) << "requests that got no answer";
    return replies;
  }

  Harness h_{true, true, 4096};
  PkiPaths pki_;
  std::unique_ptr<Server> server_;
  std::string auth_;
};

std::string Content(int client, int i) {
  return "intercepted by client " + std::to_string(client) + ", item " + std::to_string(i);
}

TEST_F(IngestServerTest, ManyConcurrentCollectorsEachGetTheirItemCommittedOnce) {
  auto replies = Concurrently(kClients, kPerClient, [&](int c, int i) {
    return std::pair{Query("correspondence"), Content(c, i)};
  });
  std::map<std::string, std::string> content_of;  // item id -> what was sent
  for (int c = 0; c < kClients; ++c) {
    ASSERT_EQ(replies[c].size(), static_cast<size_t>(kPerClient));
    for (int i = 0; i < kPerClient; ++i) {
      const Reply& r = replies[c][i];
      ASSERT_EQ(r.status, 201) << "client " << c << " item " << i << ": " << r.body;
      std::string id(Body(r).at("id").as_string());
      EXPECT_EQ(r.headers.at("location"), "/v1/items/" + id);
      EXPECT_EQ(Body(r).at("destroy_by"), "2025-04-02T08:30:00Z");
      EXPECT_TRUE(content_of.emplace(id, Content(c, i)).second) << "id given twice: " << id;
    }
  }
  ASSERT_EQ(content_of.size(), static_cast<size_t>(kClients * kPerClient));
  // Each acknowledged item is there, with its own content.
  for (const auto& [id, content] : content_of) {
    auto read = h_.As(Role::kGic, "GET", "/v1/items/" + id + "/content");
    ASSERT_EQ(read.status, 200) << id << ": " << read.body;
    EXPECT_EQ(read.body, content) << id;
  }
  // Exactly one item.ingested per item: none lost, none twice.
  auto ingested = EventsOf("item.ingested");
  EXPECT_EQ(ingested.size(), content_of.size());
  std::map<std::string, int> events_of;
  for (const auto& e : ingested)
    for (const auto& [id, content] : content_of)
      if (e.body.find("\"" + id + "\"") != std::string::npos) ++events_of[id];
  for (const auto& [id, content] : content_of) EXPECT_EQ(events_of[id], 1) << id;
  EXPECT_TRUE(EventsOf("item.refused").empty());
}

// What each client of the mixed run sends, by client number.
enum class Sends { kGood, kRefused, kBadKind, kNoCollectedAt };
Sends WhatClientSends(int c) {
  switch (c % 6) {
    case 0:
      return Sends::kBadKind;  // the vault's own check: a batch holding it fails whole
    case 1:
      return Sends::kRefused;  // L852-2 does not collect locations
    case 2:
      return Sends::kNoCollectedAt;  // refused by the handler, never queued
    default:
      return Sends::kGood;
  }
}

TEST_F(IngestServerTest, MixedBatchesAnswerEachClientItsOwn) {
  constexpr int kMixedClients = 24, kMixedPerClient = 10;
  auto replies = Concurrently(kMixedClients, kMixedPerClient, [&](int c, int i) {
    switch (WhatClientSends(c)) {
      case Sends::kBadKind:
        return std::pair{Query("smoke_signal"), Content(c, i)};
      case Sends::kRefused:
        return std::pair{Query("location"), Content(c, i)};
      case Sends::kNoCollectedAt:
        return std::pair{"/v1/items?authorisation=" + auth_ + "&kind=correspondence",
                         Content(c, i)};
      case Sends::kGood:
        break;
    }
    return std::pair{Query("correspondence"), Content(c, i)};
  });
  size_t good = 0, refused = 0;
  for (int c = 0; c < kMixedClients; ++c) {
    ASSERT_EQ(replies[c].size(), static_cast<size_t>(kMixedPerClient));
    for (int i = 0; i < kMixedPerClient; ++i) {
      const Reply& r = replies[c][i];
      SCOPED_TRACE("client " + std::to_string(c) + " item " + std::to_string(i) + ": " + r.body);
      switch (WhatClientSends(c)) {
        case Sends::kGood: {
          ASSERT_EQ(r.status, 201);
          std::string id(Body(r).at("id").as_string());
          auto read = h_.As(Role::kGic, "GET", "/v1/items/" + id + "/content");
          ASSERT_EQ(read.status, 200) << read.body;
          EXPECT_EQ(read.body, Content(c, i));
          ++good;
          break;
        }
        case Sends::kRefused: {
          ASSERT_EQ(r.status, 422);
          EXPECT_EQ(ErrorCode(r), "LEGAL_REFUSAL");
          boost::json::value body = Body(r);
          const auto& v = body.at("error").at("violations").as_array();
          ASSERT_FALSE(v.empty());
          EXPECT_FALSE(v.at(0).at("article").as_string().empty());
          ++refused;
          break;
        }
        case Sends::kBadKind: {
          ASSERT_EQ(r.status, 400);
          std::string message(Body(r).at("error").at("message").as_string());
          // Its own message, as if it had been alone: not "item N: ...".
          EXPECT_EQ(message.rfind("kind: got \"smoke_signal\"", 0), 0u) << message;
          break;
        }
        case Sends::kNoCollectedAt: {
          ASSERT_EQ(r.status, 400);
          EXPECT_NE(r.body.find("collected_at"), std::string::npos);
          break;
        }
      }
    }
  }
  EXPECT_EQ(good, 12u * kMixedPerClient);
  EXPECT_EQ(refused, 4u * kMixedPerClient);
  // Each accepted item and each refusal in the ledger once; bad input left
  // no trace, and failing a batch did not commit its other items twice.
  EXPECT_EQ(EventsOf("item.ingested").size(), good);
  EXPECT_EQ(EventsOf("item.refused").size(), refused);
}

}  // namespace
}  // namespace cloison::server
