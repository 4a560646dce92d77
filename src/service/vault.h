// The vault's use cases (PRODUCT.md invariants 2 to 5; LAW.md "Retention and
// destruction"): ingest through the gate, reads, deadlines, holds, the
// retention sweep and crypto-shredding. One write transaction per use case,
// the change and its events committed together (service/workflow.h is the
// pattern). The law is decided by authz (the gate) and retention (deadlines,
// buckets); this layer adds roles, identifiers, time, files and storage.
//
// Storage (doc/formats/vault.md):
// - each item's content is an envelope (vault/envelope.h) appended to the
//   segment file of its bucket, DIR/vault/<compartment>/<YYYY-MM-DD>.seg
//   (vault/segment.h); its data key is wrapped by the bucket key;
// - each bucket key is stored only wrapped by the root key of the current
//   epoch, in a store record of kind "bucket" (ends_at = start of its day;
//   0 for a hold's bucket, which is never due);
// - each item is a record of kind "item" (ends_at = its deadline, 0 while
//   held), each destruction a record of kind "destruction" whose id is the
//   destroyed item's id (the tombstone: metadata only, GET answers 410).
//
// Records written here: item, bucket, hold, destruction (and the store meta
// key "vault.root_epoch"). Events: item.ingested, item.refused, item.read,
// item.unsealed, item.decrypted, item.technical_analysis, item.destroyed,
// hold.placed, hold.released, bucket.destroyed, vault.root_rotated
// (doc/formats/event.md).
//
// Errors: PermissionDenied (role), NotFound (unknown id), InvalidArgument
// naming the field (bad input; nothing is changed), FailedPrecondition (wrong
// state: a held item marked unrelated, a sealed item read before it is
// opened...), a distinct "destroyed" error for an item that is gone (see
// IsDestroyed), IoError/Corruption from files and keys. A legal refusal of an
// item (the gate) is not an error: it is an Outcome with violations, and the
// refusal is in the ledger.
//
// Thread-safety: a Vault is thread-safe if its Store and KeyProvider are.
// Every change to segment files happens inside a store write transaction, so
// writers (ingest, holds, destructions, the sweep) are serialised by the
// store's write lock, across processes too; reads run concurrently with
// them. One process at a time serves an instance (the server).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/id.h"
#include "base/status.h"
#include "cloison/seal.h"
#include "crypto/secret.h"
#include "retention/retention.h"
#include "rules/rulebook.h"
#include "service/principal.h"
#include "service/workflow.h"
#include "store/store.h"
#include "vault/key_provider.h"

namespace cloison::service {

struct VaultOptions {
  // Largest item accepted, in bytes of what the collector sends (content or
  // sealed bytes). Larger: InvalidArgument, see IsTooLarge (HTTP 413).
  uint64_t max_item_size = 64ull << 20;
  // How far in the future a collection time may be (clocks differ).
  Duration max_clock_skew = std::chrono::minutes(5);
  // Items destroyed per write transaction by the sweep: bounds the
  // transaction and the work lost by a crash (the sweep is idempotent).
  int sweep_batch = 10000;
  // The centralising service's X25519 key pair (keys/centralising.key,
  // service/instance.h): sealed items must be addressed to its public key,
  // and OpenSealed uses its private key. Without it, sealed items are
  // refused (InvalidArgument naming `sealed`). Not owned.
  const seal::KeyPair* centralising = nullptr;
};

// "stored" (encrypted under the vault's keys, readable by the roles that may),
// "sealed" (still sealed to the centralising service inside its envelope),
// "held" (frozen by a hold, L. 822-2 II). A destroyed item has no item
// record any more: its destruction record answers (IsDestroyed).
inline constexpr char kItemStored[] = "stored";
inline constexpr char kItemSealed[] = "sealed";
inline constexpr char kItemHeld[] = "held";

// An item's metadata. Never its content.
struct ItemMeta {
  std::string id;  // "itm_..."
  std::string authorisation;
  std::string technique;
  std::string service;
  std::string minister;
  rules::ItemKind kind = rules::ItemKind::kCorrespondence;
  std::string target;  // the collector's target reference, "" if none
  Time collected_at;
  Time ingested_at;
  std::string state;            // kItemStored, kItemSealed or kItemHeld
  bool arrived_sealed = false;  // sealed at collection (L. 852-3 deferred centralisation)
  bool encrypted = false;       // the content is encrypted data (L. 822-2 I)
  std::optional<Time> decrypted_at;
  retention::Deadline deadline;        // while held: the deadline it returns to on release
  std::optional<Time> analysis_until;  // technical-analysis exception, if granted
  std::vector<std::string> holds;      // ids of the holds freezing it
  uint64_t size = 0;                   // bytes received (content or sealed bytes)
  std::string envelope_sha256;         // hex, of the envelope as stored
  // Its home compartment (the technique's, or an R&D programme's) and where
  // it is: bucket id (a hold's while held), the envelope's place in the
  // bucket's segment.
  std::string compartment;
  std::string bucket;
  uint64_t offset = 0;
  uint64_t length = 0;
  uint32_t header_length = 0;
};

// What a collector sends (API.md POST /items).
struct IngestInput {
  std::string authorisation;
  std::string kind;  // API name, "correspondence" ...; unknown: InvalidArgument naming `kind`
  Time collected_at;
  std::string target;
  // The content, or (sealed = true) the sealed bytes (doc/formats/sealed-item.md).
  std::span<const uint8_t> bytes;
  bool sealed = false;
  // The content is encrypted data whose retention counts from decryption
  // (L. 822-2 I); RecordDecryption moves its deadline.
  bool encrypted = false;
};

struct Ingested {
  std::string id;  // "" when refused
  std::string state;
  Time destroy_by;
};

// One destruction record (kind "destruction"), modelled on the certificate
// of sanitization of NIST SP 800-88: what, under which rule, when, how.
struct Destruction {
  std::string item;  // the destroyed item's id (also the record's id)
  std::string kind;  // item kind
  std::string technique;
  std::string authorisation;
  std::string service;
  std::string envelope_sha256;
  Time collected_at;
  std::string reason;   // "retention", "unrelated", "recommendation"
  std::string rule;     // retention rule id (retention.h) or the early-destruction rule
  std::string article;  // "L. 822-2 I 1°", "L. 852-3", "L. 833-6"
  Time destroy_by;      // the deadline it was under
  Time destroyed_at;
  bool late = false;  // destroyed after its deadline (never by the sweep run on time)
  // "crypto-erase: bucket key destroyed" (sweep) or "crypto-erase: wrapped
  // data key overwritten" (early destruction), with the bucket and the root
  // epoch its key was wrapped under at the time.
  std::string method;
  std::string bucket;
  uint32_t root_epoch = 0;
  std::string recommendation;  // the CNCTR recommendation id, reason "recommendation"
  std::string actor;           // principal id, or "system"
  int64_t ledger_index = -1;   // its item.destroyed event, or the items.destroyed listing it
};

// A litigation hold (L. 822-2 II): a Conseil d'État case freezing items.
struct Hold {
  std::string id;  // "hld_..."
  std::string case_ref;
  std::vector<std::string> items;
  std::string state;  // "placed", "released"
  std::string placed_by;
  Time placed_at;
  std::optional<Time> released_at;
};

struct SweepResult {
  int64_t items = 0;        // items destroyed
  int64_t buckets = 0;      // bucket keys destroyed
  uint32_t root_epoch = 0;  // the root epoch after the sweep
};

// True for the error of an item that existed and was destroyed (HTTP 410).
bool IsDestroyed(const Status& s);
// True for the error of an item over VaultOptions::max_item_size (HTTP 413).
bool IsTooLarge(const Status& s);

class Vault {
 public:
  // `dir` is the instance directory (segments go to dir/vault/). `keys` holds
  // the numbered root keys; the store meta "vault.root_epoch" says which one
  // wraps the bucket keys.
  Vault(store::Store& store, const rules::Rulebook& book, const Clock& clock, IdGenerator& ids,
        vault::KeyProvider& keys, std::string dir, VaultOptions options = {});
  ~Vault();

  // Brings the root keys in line with the store (first use: creates epoch
  // 1; after a crash between a rotation's commit and the old root's
  // destruction: destroys it). Every use case calls it once; call it at
  // startup to fail early.
  Status Open();

  // collector. The gate (authz::IngestGate): the authorisation is in force
  // for its technique at collected_at, the technique collects `kind`,
  // collected_at <= now + max_clock_skew; and the deadline has not already
  // passed. A refusal is an Outcome with violations (rule ids and articles)
  // and an `item.refused` event; nothing is stored. Accepted: encrypted in
  // its deadline's bucket, made durable (fdatasync), `item.ingested`.
  Result<Outcome<Ingested>> Ingest(const Principal& actor, const IngestInput& in);
  // The same for many items: one fdatasync per segment touched and one
  // commit. Bad input in any item (InvalidArgument) stores none of them;
  // refusals are per item.
  Result<std::vector<Outcome<Ingested>>> IngestBatch(const Principal& actor,
                                                     std::span<const IngestInput> items);
  // IngestBatch, except that it returns once the batch is committed, not
  // once the commit is durable (store::Store::BeginDeferredWrite): the
  // envelopes are durable, the records and events may still be lost to a
  // power loss until SyncCommitted() returns. Tell nobody of the outcome
  // before then (group commit: api/ingest_batcher.h).
  Result<std::vector<Outcome<Ingested>>> IngestBatchDeferred(const Principal& actor,
                                                             std::span<const IngestInput> items);
  // Makes every commit made before the call durable (store::Store::Sync).
  Status SyncCommitted();

  // gic, cnctr. Metadata; IsDestroyed error for a destroyed item;
  // PermissionDenied for an item of an R&D compartment (L. 822-2 III): those
  // are read through RndCopies, under the programme's rules.
  Result<ItemMeta> GetItem(const Principal& actor, const std::string& id);
  // gic, cnctr. The content; `item.read` (with the reader) in the ledger.
  // FailedPrecondition for a sealed item (the gic opens it first).
  Result<crypto::SecretBytes> ReadContent(const Principal& actor, const std::string& id);
  // gic. Opens a sealed item with the centralising key and stores its
  // content in a new envelope (same bucket); `item.unsealed`. Corruption
  // (item unchanged) when the sealed bytes do not open.
  Result<ItemMeta> OpenSealed(const Principal& actor, const std::string& id);

  // gic. An encrypted item was decrypted at `decrypted_at` (<= now): its
  // deadline is now the period of its kind from then, capped at 6 years
  // from collection (L. 822-2 I); the item moves to that bucket.
  // `item.decrypted`.
  Result<ItemMeta> RecordDecryption(const Principal& actor, const std::string& id,
                                    Time decrypted_at);
  // gic. The technical-analysis exception (L. 822-2 I): kept until `until`
  // (capped at the encrypted ceiling), for the stated justification (its
  // hash goes to the ledger). `item.technical_analysis`.
  Result<ItemMeta> TechnicalAnalysis(const Principal& actor, const std::string& id,
                                     const std::string& justification, Time until);

  // gic. Unrelated data (L. 852-3, L. 851-6, L. 852-1 II): destroyed now.
  // The envelope header (wrapped data key) is overwritten in its segment,
  // the item record is replaced by its destruction record. `item.destroyed`
  // reason "unrelated". Its kept transcriptions and extractions are destroyed
  // with it, in the same transaction (never kept after their item, L. 822-3).
  // FailedPrecondition for a held item, or one whose transcription is held.
  Result<Destruction> MarkUnrelated(const Principal& actor, const std::string& id);
  // gic or pm: a CNCTR destroy recommendation followed (L. 833-6), as
  // MarkUnrelated with reason "recommendation" and its id.
  Result<Destruction> DestroyOnRecommendation(const Principal& actor, const std::string& id,
                                              const std::string& recommendation_id);

  // pm (L. 822-2 II). Held items move to the hold's own compartment and are
  // never swept while any hold freezes them; so do their kept
  // transcriptions and extractions (and those made while it stands), which
  // no destruction may then reach either. `hold.placed` (with `derived`).
  // Unknown or destroyed items: NotFound / destroyed error, nothing placed.
  Result<Hold> PlaceHold(const Principal& actor, const std::string& case_ref,
                         const std::vector<std::string>& item_ids);
  // pm. Items no other hold freezes go back to their deadline's bucket (a
  // deadline already past: destroyed by the next sweep), the transcriptions
  // and extractions it froze too, never after their item's deadline
  // (L. 822-3). `hold.released` (with `derived`).
  Result<Hold> ReleaseHold(const Principal& actor, const std::string& hold_id);
  // pm, cnctr.
  Result<Hold> GetHold(const Principal& actor, const std::string& hold_id);

  // gic (POST /retention/sweep); Sweep() is the scheduler's, as "system".
  // Destroys every due bucket (retention.h IsDue) holding no held item:
  // item records replaced by destruction records with one `item.destroyed`
  // each, in transactions of sweep_batch items; bucket key records deleted
  // and segments unlinked with one `bucket.destroyed` each; then the store
  // is scrubbed and the root key rotated (every live bucket key re-wrapped
  // under a new root, committed, then the old root destroyed), so copies of
  // the instance taken earlier cannot unwrap the destroyed bucket keys. Cost
  // grows with what is due and with the number of live buckets, not with
  // the number of items stored. Idempotent: a crashed sweep is finished by
  // the next one.
  Result<SweepResult> Sweep(const Principal& actor);
  Result<SweepResult> Sweep();

  // cnctr, gic (GET /destructions?since=T). Destruction records with
  // destroyed_at >= since, ordered by item id; `page` as in Workflow.
  Result<std::vector<Destruction>> ListDestructions(const Principal& actor, Time since,
                                                    const Page& page = {});

  // --- For use cases built on the vault (exploitation, R&D copies). ---
  // They run inside the caller's write transaction; the caller checks roles
  // and appends its own event.

  // An item's metadata, or the destroyed error, within `tx`.
  Result<ItemMeta> LoadItem(store::ReadTx& tx, const std::string& id);
  // The content of a stored (not sealed) item, within `tx`; no event.
  Result<crypto::SecretBytes> ReadContentIn(store::ReadTx& tx, const std::string& id);
  // Destroys item `m` before its day, within `tx`, as MarkUnrelated does:
  // its envelope header (the wrapped data key) overwritten in its segment,
  // its record replaced by its destruction record (`reason`, the rule and
  // article of `under`, `recommendation` if any), `item.destroyed`
  // appended. Holds are the caller's to check first (L. 822-2 II).
  Result<Destruction> DestroyEarlyIn(store::WriteTx& tx, const ItemMeta& m, Time now,
                                     const std::string& actor, const std::string& reason,
                                     const retention::Deadline& under,
                                     const std::string& recommendation);
  // Stores `content` as a new item derived from `origin` (an R&D copy) in
  // `compartment` (retention::RndCompartment) with `deadline`; the sweep
  // destroys it like any item. The record is Put in `tx`; the segment append
  // is durable on return. Returns the new item (id with `id_prefix`). When
  // `origin.holds` is not empty (a transcription of a held item), the copy
  // is frozen by the same holds, in origin's hold bucket (L. 822-2 II).
  Result<ItemMeta> StoreCopy(store::WriteTx& tx, const ItemMeta& origin,
                             const std::string& compartment, const retention::Deadline& deadline,
                             std::span<const uint8_t> content, std::string_view id_prefix = "itm");

  // Crypto-shreds `compartment` (an R&D programme's, when it is closed),
  // within `tx`: every item of its buckets is destroyed (a destruction
  // record and `item.destroyed` each: `reason`, `rule`, `article`, method
  // "crypto-erase: bucket key destroyed") and every bucket record of it is
  // made due now, so that the next Sweep destroys the bucket keys and
  // segments (`bucket.destroyed`) and rotates the root. Items of it frozen
  // by a hold are in their hold's bucket and not reached: the caller
  // refuses first (L. 822-2 II). One transaction, whatever the size.
  Result<std::vector<Destruction>> ShredCompartment(
      store::WriteTx& tx, const std::string& compartment, const std::string& actor,
      const std::string& reason, const std::string& rule, const std::string& article);

  const VaultOptions& options() const { return options_; }

  struct Impl;

 private:
  // IngestBatch (deferred: IngestBatchDeferred).
  Result<std::vector<Outcome<Ingested>>> IngestItems(const Principal& actor,
                                                     std::span<const IngestInput> items,
                                                     bool deferred);

  std::unique_ptr<Impl> impl_;
  VaultOptions options_;
};

}  // namespace cloison::service
