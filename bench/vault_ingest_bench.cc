// Durable ingest and the retention sweep (issue: vault and retention, point
// 10), each beside what it is compared with in the same run.
//
//  (a) vault.ingest_64k / vault.ingest_1k: Vault::IngestBatch on the library
//      path, on a real instance (SQLite store with synchronous FULL, key
//      files, segment files), batches of items under one authorisation:
//      per item the gate, the deadline, a fresh data key, its wrap, the
//      envelope, the item record and its ledger event; per batch one
//      fdatasync of the segment and one commit (the WAL's fsync). The
//      reference: raw AES-256-GCM of the same items (one keyed context, a
//      fresh nonce each) appended to one file, with one fdatasync per batch.
//      Target: at least 0.50 of the reference at 64 KiB.
//  (b) vault.sweep_expired: the sweep of E expired items (E = 10^6; quick:
//      2·10^4) in a store that holds only them, and the same sweep in a store
//      that also holds 9·E items not yet due (10^7 stored in all). Value:
//      seconds with the larger store; reference: seconds with the smaller.
//      A ratio near 1 says the sweep's cost does not grow with what is
//      stored. Both stores are synced (sync(2)) before the timed sweep, so
//      that it does not pay for writing back its fill. Target: 10^6 expired
//      items in under 10 s.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "bench.h"
#include "crypto/aead.h"
#include "rules/parser.h"
#include "service/codec.h"
#include "service/event.h"
#include "service/vault.h"
#include "store/store.h"
#include "vault/file_key_provider.h"

namespace cloison::bench {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

double Seconds(SteadyClock::time_point t0, SteadyClock::time_point t1) {
  return std::chrono::duration<double>(t1 - t0).count();
}

[[noreturn]] void Die(const std::string& what, const Status& s) {
  std::fprintf(stderr, "vault ingest bench: %s: %s\n", what.c_str(), s.ToString().c_str());
  std::abort();
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what, r.status());
  return std::move(r).value();
}

void Must(const Status& s, const std::string& what) {
  if (!s.ok()) Die(what, s);
}

// A temporary directory removed on destruction, on the same disk as the
// project (not tmpfs): fsync must cost what it costs.
class Scratch {
 public:
  explicit Scratch(const std::string& name) {
    path_ = fs::path(CLOISON_SOURCE_DIR) / "build" / "bench-scratch" / name;
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A vault over a fresh instance: the shipped rulebook, a manual clock, root
// keys in their own directory, one approved L. 851-1 authorisation (connection
// data, kept 4 years) and one L. 852-1 I authorisation (correspondence, 30
// days), put straight into the store (the workflow is measured elsewhere).
class Instance {
 public:
  Instance(const std::string& name, Time now) : dir_(name), clock_(now) {
    book_ = Must(rules::LoadRulebook(std::string(CLOISON_SOURCE_DIR) + "/rules/csi-2021.toml"),
                 "load rulebook");
    fs::create_directories(dir_.path() / "instance");
    store_ = Must(store::OpenSqlite((dir_.path() / "instance" / "cloison.db").string()),
                  "open store");
    keys_ = Must(vault::FileKeyProvider::Open(dir_.path() / "keys"), "open keys");
    vault_ = std::make_unique<service::Vault>(*store_, book_, clock_, ids_, *keys_,
                                              (dir_.path() / "instance").string());
    Must(vault_->Open(), "open vault");
    connection_auth_ = PutAuthorisation("L851-1", now - std::chrono::hours(24 * 30),
                                        now + std::chrono::hours(24 * 90));
    correspondence_auth_ = PutAuthorisation("L852-1-I", now - std::chrono::hours(24 * 30),
                                            now + std::chrono::hours(24 * 90));
  }

  service::Vault& vault() { return *vault_; }
  FakeClock& clock() { return clock_; }
  store::Store& store() { return *store_; }
  const std::string& connection_auth() const { return connection_auth_; }
  const std::string& correspondence_auth() const { return correspondence_auth_; }
  const fs::path& path() const { return dir_.path(); }

 private:
  std::string PutAuthorisation(const std::string& technique, Time starts, Time ends) {
    authz::Authorisation a;
    a.id = ids_.Next("aut");
    a.request = "req_bench";
    a.technique = technique;
    a.service = "dgsi";
    a.minister = "interior";
    a.purposes = {"4"};
    a.state = authz::AuthorisationState::kApproved;
    a.granted_at = starts;
    a.starts_at = starts;
    a.ends_at = ends;
    store::Record r;
    r.kind = "authorisation";
    r.id = a.id;
    r.state = "approved";
    r.technique = technique;
    r.body = boost::json::serialize(service::ToJson(a));
    auto tx = Must(store_->BeginWrite(), "begin");
    Must(tx->Put(r), "put authorisation");
    Must(service::AppendEvent(*tx, clock_, clock_.Now(), {"authorisation.issued", "system", a.id},
                              r, {}),
         "append event");
    Must(tx->Commit(), "commit");
    return a.id;
  }

  Scratch dir_;
  FakeClock clock_;
  rules::Rulebook book_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<vault::FileKeyProvider> keys_;
  TimeOrderedIdGenerator ids_;  // as in production: ids in time order
  std::unique_ptr<service::Vault> vault_;
  std::string connection_auth_;
  std::string correspondence_auth_;
};

const service::Principal kCollector{"prn_c", "collector", service::Role::kCollector, "", ""};
const service::Principal kGic{"prn_g", "gic", service::Role::kGic, "", ""};

// Ingests `batches` batches of `per_batch` items of `content` collected at
// `collected` under `auth`; aborts on any refusal (a benchmark of refused
// items measures nothing).
void IngestBatches(Instance& inst, const std::string& auth, const std::string& kind,
                   Time collected, std::span<const uint8_t> content, size_t batches,
                   size_t per_batch) {
  std::vector<service::IngestInput> inputs(per_batch);
  for (auto& in : inputs) {
    in.authorisation = auth;
    in.kind = kind;
    in.collected_at = collected;
    in.bytes = content;
  }
  for (size_t b = 0; b < batches; ++b) {
    auto out = Must(inst.vault().IngestBatch(kCollector, inputs), "ingest batch");
    for (const auto& o : out) {
      if (o.refused()) {
        std::fprintf(stderr, "vault ingest bench: refused: %s\n", o.violations[0].message.c_str());
        std::abort();
      }
    }
  }
}

// Raw AES-256-GCM of the same items appended to one file, one fdatasync per
// batch.
double ReferenceSeconds(const fs::path& file, std::span<const uint8_t> content, size_t batches,
                        size_t per_batch) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
  if (fd < 0) Die("open reference file", Status::IoError(std::strerror(errno)));
  auto gcm = Must(crypto::AesGcm::Create(std::vector<uint8_t>(32, 0x22)), "aes-gcm");
  std::vector<uint8_t> out(content.size() + crypto::kGcmTagSize);
  std::array<uint8_t, 12> nonce{};
  uint64_t n = 0;
  auto t0 = SteadyClock::now();
  for (size_t b = 0; b < batches; ++b) {
    for (size_t i = 0; i < per_batch; ++i, ++n) {
      std::memcpy(nonce.data(), &n, sizeof n);
      Must(gcm.Seal(nonce, {}, content, out), "seal");
      if (::write(fd, out.data(), out.size()) != static_cast<ssize_t>(out.size())) {
        Die("write reference file", Status::IoError(std::strerror(errno)));
      }
    }
    if (::fdatasync(fd) != 0) Die("fdatasync", Status::IoError(std::strerror(errno)));
  }
  double s = Seconds(t0, SteadyClock::now());
  ::close(fd);
  return s;
}

void IngestBench(const std::string& name, size_t item_size, size_t batches, size_t per_batch) {
  std::mt19937_64 rng(7);
  std::vector<uint8_t> content(item_size);
  for (auto& b : content) b = static_cast<uint8_t>(rng());
  const Time now = *ParseTime("2026-01-15T12:00:00Z");
  const Time collected = now - std::chrono::hours(1);
  // Fastest of three interleaved runs of subject and reference: the machine
  // is shared. A fresh instance each run, so the store does not grow.
  double best = 1e30, best_ref = 1e30;
  for (int run = 0; run < 3; ++run) {
    Instance inst(name + "-" + std::to_string(run), now);
    // One warm-up batch creates the bucket key and the segment file.
    IngestBatches(inst, inst.connection_auth(), "connection_data", collected, content, 1, 1);
    auto t0 = SteadyClock::now();
    IngestBatches(inst, inst.connection_auth(), "connection_data", collected, content, batches,
                  per_batch);
    best = std::min(best, Seconds(t0, SteadyClock::now()));
    best_ref = std::min(best_ref,
                        ReferenceSeconds(inst.path() / "reference.bin", content, batches, per_batch));
  }
  const double items = static_cast<double>(batches * per_batch);
  if (item_size >= 4096) {
    const double mb = items * static_cast<double>(item_size) / 1e6;
    Report(name, mb / best, "MB/s", mb / best_ref);
  } else {
    Report(name, items / best, "items/s", items / best_ref);
  }
}

// Seconds to sweep `expired` items due now, with `not_due` more items stored
// that are not due (connection data, kept 4 years).
double SweepSeconds(const std::string& name, size_t expired, size_t not_due) {
  const Time start = *ParseTime("2026-01-15T12:00:00Z");
  Instance inst(name, start);
  std::vector<uint8_t> content(64, 0x5a);
  const size_t per_batch = 10000;
  // Correspondence is kept 30 days (L. 822-2 I 1°): due once the clock has
  // moved 31 days on. Whole batches, so the counts are multiples of 10^4.
  IngestBatches(inst, inst.correspondence_auth(), "correspondence",
                start - std::chrono::hours(1), content, expired / per_batch, per_batch);
  IngestBatches(inst, inst.connection_auth(), "connection_data", start - std::chrono::hours(1),
                content, not_due / per_batch, per_batch);
  inst.clock().Set(start + std::chrono::hours(24 * 31));
  // The fill's own writeback is not the sweep's work: without this, the
  // gigabytes the crowded fill left dirty in the page cache are written
  // out during the sweep's first fsyncs (ext4 flushes them with the
  // journal), which grows with what was just stored, not with what the
  // sweep does.
  ::sync();
  auto t0 = SteadyClock::now();
  auto swept = Must(inst.vault().Sweep(kGic), "sweep");
  double s = Seconds(t0, SteadyClock::now());
  if (swept.items != static_cast<int64_t>(expired)) {
    std::fprintf(stderr, "vault ingest bench: swept %lld items, want %zu\n",
                 static_cast<long long>(swept.items), expired);
    std::abort();
  }
  return s;
}

}  // namespace

void VaultIngestBenchmarks(const Options& options) {
  // 64 KiB items: 16 MiB per run (quick), 64 MiB (full), batches of 64.
  IngestBench("vault.ingest_64k", 64 * 1024, options.quick ? 4 : 16, 64);
  // 1 KiB items: batches of 256.
  IngestBench("vault.ingest_1k", 1024, options.quick ? 16 : 64, 256);
}

void SweepBenchmarks(const Options& options) {
  // --quick: 2·10^4 expired among 2·10^5 (the ingest that fills the stores
  // dominates the time; --quick stays near a minute in all).
  const size_t expired =
      options.sweep_items != 0 ? options.sweep_items : options.quick ? 20000 : 1000000;
  double alone = SweepSeconds("sweep-alone", expired, 0);
  double crowded = SweepSeconds("sweep-crowded", expired, 9 * expired);
  char name[96];
  std::snprintf(name, sizeof name, "vault.sweep_%zu_expired_among_%zu_s", expired, 10 * expired);
  Report(name, crowded, "s", alone);
}

}  // namespace cloison::bench
