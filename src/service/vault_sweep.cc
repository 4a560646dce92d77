// service::Vault: the retention sweep (crypto-shredding by bucket), the
// root rotation that makes earlier copies useless, and the destruction
// register (L. 822-4).
#include <algorithm>
#include <thread>

#include "crypto/sha256.h"
#include "service/event.h"
#include "service/vault_internal.h"

namespace cloison::service {
namespace json = boost::json;
namespace {

constexpr char kSweepMethod[] = "crypto-erase: bucket key destroyed";

// Scrub can be refused while a reader needs old WAL frames: retry a little.
// What it protects (deleted wrapped keys lingering in the WAL) is also
// covered by the root rotation, so a refusal is reported, not fatal.
bool ScrubWithRetry(store::Store& s) {
  for (int i = 0; i < 20; ++i) {
    if (s.Scrub().ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

// Re-wraps every live bucket key under a new root, commits, then destroys
// the old root (never before the commit that stops using it).
Result<uint32_t> RotateRoot(Vault::Impl& v, Vault& vault) {
  ASSIGN_OR_RETURN(auto tx, v.store.BeginWrite());
  ASSIGN_OR_RETURN(uint32_t old_epoch, CurrentRootEpoch(*tx));
  uint32_t next = old_epoch + 1;
  Status made = v.keys.CreateRoot(next);
  // A root left by a rotation that crashed before its commit is unused.
  if (made.code() == Code::kAlreadyExists) {
    RETURN_IF_ERROR(v.keys.DestroyRoot(next));
    made = v.keys.CreateRoot(next);
  }
  RETURN_IF_ERROR(made);
  int64_t count = 0;
  store::Filter f;
  f.kind = kBucketKind;
  f.limit = 1000;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<store::Record> page, tx->List(f));
    for (store::Record& r : page) {
      ASSIGN_OR_RETURN(vault::BucketKey key, LoadBucketKey(v, *tx, r.id));
      ASSIGN_OR_RETURN(std::vector<uint8_t> wrapped, v.keys.WrapUnder(next, key.key(), r.id));
      r.body = json::serialize(
          json::object{{"epoch", static_cast<int64_t>(next)}, {"wrapped", crypto::Hex(wrapped)}});
      RETURN_IF_ERROR(tx->Put(r));
      ++count;
    }
    if (static_cast<int>(page.size()) < f.limit) break;
    f.after_id = page.back().id;
  }
  RETURN_IF_ERROR(tx->SetMeta(kRootEpochMeta, std::to_string(next)));
  store::Event e;
  e.type = "vault.root_rotated";
  e.body = EncodeEvent({"vault.root_rotated", "system", v.keys.Name()}, v.clock, v.clock.Now(),
                       {{"from", static_cast<int64_t>(old_epoch)},
                        {"to", static_cast<int64_t>(next)},
                        {"buckets", count}});
  RETURN_IF_ERROR(tx->Append(e).status());
  RETURN_IF_ERROR(tx->Commit());
  ScrubWithRetry(v.store);
  RETURN_IF_ERROR(v.keys.DestroyRoot(old_epoch));
  (void)vault;
  return next;
}

// The sweep logs its destructions in chunks: one items.destroyed event per
// at most kSweptPerEvent items of a bucket, each entry with what the
// destruction record of an early destruction holds, so that the register
// and the ledger say the same. Per item the sweep then writes a record of a
// few bytes and an entry of about 350, instead of a destruction record and
// an event of 600-800 each (doc/formats/vault.md, BENCHMARKS.md). The
// entries are written canonical as they come, and the budget on their
// bytes keeps an event within a ledger entry (store::kMaxEventBody; the
// event's other fields take under 400 bytes). An entry alone over the
// budget (it would need identifiers of thousands of bytes) makes the
// store refuse the event and the sweep fail, changing nothing.
constexpr size_t kSweptPerEvent = 128;
constexpr size_t kSweptEventBudget = 60000;
static_assert(kSweptEventBudget + 1000 < store::kMaxEventBody);

struct SweptChunk {
  const std::string& bucket;
  uint32_t epoch;
  std::vector<std::string> ids;
  std::string items = "[";  // the entries, canonical, as the event holds them
  std::string entry;

  // Adds the item, first flushing the chunk if it is full or the entry
  // would take the event past its budget.
  Status Add(Vault::Impl& v, store::WriteTx& tx, Time now, const ItemMeta& m) {
    entry.clear();
    AppendSweptEntry(entry, m, now);
    if (ids.size() == kSweptPerEvent || items.size() + entry.size() + 1 > kSweptEventBudget)
      RETURN_IF_ERROR(Flush(v, tx, now));
    if (ids.size() > 0) items += ',';
    items += entry;
    ids.push_back(m.id);
    return Status::Ok();
  }

  // Marks every item of the chunk destroyed (as SweptRecord writes it,
  // naming the event about to be appended) and appends that event.
  Status Flush(Vault::Impl& v, store::WriteTx& tx, Time now) {
    if (ids.empty()) return Status::Ok();
    // The event's index is the count before it is appended (write
    // transactions are serialised).
    ASSIGN_OR_RETURN(int64_t index, tx.EventCount());
    // The chunk is a run of the bucket's items in id order (they were listed
    // so, and every item before them has already left the bucket), so one
    // statement retires them all; the count proves nothing else was.
    store::Record rec = SweptRecord(ids.back(), now, index);
    ASSIGN_OR_RETURN(int64_t retired,
                     tx.Retire(kItemKind, bucket, ids.front(), ids.back(), rec.ends_at, rec.body));
    if (retired != static_cast<int64_t>(ids.size()))
      return Status::Internal("sweep of " + bucket + ": retired " + std::to_string(retired) +
                              " records from " + ids.front() + " to " + ids.back() + ", want " +
                              std::to_string(ids.size()));
    items += ']';
    // The record hash is that of the body every item of the chunk now has.
    using F = EventField;
    ASSIGN_OR_RETURN(
        int64_t appended,
        AppendEventFields(tx, v.clock, now, {"items.destroyed", "system", bucket}, rec,
                          {F::Str("bucket", bucket),
                           F::Int("count", static_cast<int64_t>(ids.size())),
                           F::Raw("items", items), F::Str("method", kSweepMethod),
                           F::Str("reason", "retention"),
                           F::Int("root_epoch", static_cast<int64_t>(epoch))}));
    if (appended != index)
      return Status::Internal("sweep of " + bucket + ": ledger index " + std::to_string(appended) +
                              ", want " + std::to_string(index));
    ids.clear();
    items = "[";
    return Status::Ok();
  }
};

}  // namespace

Result<SweepResult> Vault::Sweep(const Principal& actor) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kGic}, "run the retention sweep"));
  return Sweep();
}

Result<SweepResult> Vault::Sweep() {
  RETURN_IF_ERROR(Open());
  Impl& v = *impl_;
  SweepResult result;
  for (;;) {
    ASSIGN_OR_RETURN(auto tx, v.store.BeginWrite());
    Time now = v.clock.Now();
    ASSIGN_OR_RETURN(uint32_t epoch, CurrentRootEpoch(*tx));
    // Due buckets: their day has started (retention::IsDue). Hold buckets
    // have no end and never match.
    store::Filter due;
    due.kind = kBucketKind;
    due.ends_before = ToMicros(now);
    due.limit = 1;
    ASSIGN_OR_RETURN(std::vector<store::Record> buckets, tx->List(due));
    if (buckets.empty()) break;
    const std::string bucket = buckets[0].id;
    store::Filter items;
    items.kind = kItemKind;
    items.group = bucket;
    items.limit = options_.sweep_batch;
    ASSIGN_OR_RETURN(std::vector<store::Record> recs, tx->List(items));
    SweptChunk chunk{bucket, epoch};
    for (const store::Record& r : recs) {
      ASSIGN_OR_RETURN(ItemMeta m, ItemFromRecord(r));
      if (!m.holds.empty())  // never in a due bucket; refuse rather than destroy
        return Status::Internal("sweep: held item " + m.id + " in due bucket " + bucket);
      RETURN_IF_ERROR(chunk.Add(v, *tx, now, m));
      ++result.items;
    }
    RETURN_IF_ERROR(chunk.Flush(v, *tx, now));
    if (static_cast<int>(recs.size()) < options_.sweep_batch) {
      // The bucket is empty now: its key goes (secure delete), then its
      // segment. Every item of it is destroyed in this or an earlier commit.
      ASSIGN_OR_RETURN(store::Record brec, tx->Get(kBucketKind, bucket));
      RETURN_IF_ERROR(tx->Delete(kBucketKind, bucket));
      RETURN_IF_ERROR(vault::DestroySegment(v.vault_dir, bucket));
      store::Record gone = brec;
      gone.body = "";
      RETURN_IF_ERROR(AppendEvent(*tx, v.clock, now, {"bucket.destroyed", "system", bucket}, gone,
                                  {{"bucket", bucket},
                                   {"due_at", FormatTime(FromMicros(brec.ends_at))},
                                   {"method", kSweepMethod},
                                   {"root_epoch", static_cast<int64_t>(epoch)}})
                          .status());
      ++result.buckets;
    }
    RETURN_IF_ERROR(tx->Commit());
  }
  if (result.buckets > 0) {
    // Deleted wrapped keys must leave the WAL, and the root they were
    // wrapped under must go, so a copy of the store taken before this sweep
    // cannot unwrap them (PRODUCT.md invariant 4).
    ScrubWithRetry(v.store);
    ASSIGN_OR_RETURN(result.root_epoch, RotateRoot(v, *this));
  } else {
    ASSIGN_OR_RETURN(auto tx, v.store.BeginRead());
    ASSIGN_OR_RETURN(result.root_epoch, CurrentRootEpoch(*tx));
  }
  return result;
}

Result<std::vector<Destruction>> Vault::ListDestructions(const Principal& actor, Time since,
                                                         const Page& page) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kCnctr, Role::kGic}, "read the destruction register"));
  ASSIGN_OR_RETURN(auto tx, impl_->store.BeginRead());
  store::Filter f;
  // A destroyed item's record is its destruction record, with the time of
  // the destruction as its end; live items have no end (ItemRecord).
  f.kind = kItemKind;
  f.ends_after = std::max<int64_t>(ToMicros(since) - 1, 0);
  f.after_id = page.after_id;
  f.limit = page.limit;
  ASSIGN_OR_RETURN(std::vector<store::Record> recs, tx->List(f));
  return DestructionsFromRecords(*tx, recs);
}

}  // namespace cloison::service
