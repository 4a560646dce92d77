// Internals of service::Vault shared by its .cc files: the record codecs and
// the steps several use cases share. Not part of the API.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>

#include "service/vault.h"
#include "vault/bucket_key.h"
#include "vault/envelope.h"
#include "vault/segment.h"

namespace cloison::service {

inline constexpr char kItemKind[] = "item";
inline constexpr char kBucketKind[] = "bucket";
inline constexpr char kHoldKind[] = "hold";
// Destruction records of their own kind: written before the store's schema
// 3; Vault::Open turns any it finds into item tombstones.
inline constexpr char kDestructionKind[] = "destruction";
// "3" once the vault's records are in their schema-3 shape (an item record
// sets only its group; a destroyed item's record is its destruction
// record); set at a fresh instance's first open, or by the conversion.
inline constexpr char kRecordsFormatMeta[] = "vault.records_format";
inline constexpr char kRecordsFormat[] = "3";
inline constexpr char kRootEpochMeta[] = "vault.root_epoch";
inline constexpr char kGonePrefix[] = "destroyed: ";
inline constexpr char kTooLargePrefix[] = "content: too large: ";

struct Vault::Impl {
  store::Store& store;
  const rules::Rulebook& book;
  const Clock& clock;
  IdGenerator& ids;
  vault::KeyProvider& keys;
  std::filesystem::path dir;
  std::filesystem::path vault_dir;
  VaultOptions options;
  std::mutex open_mu;
  bool opened = false;
};

// An item record's body: a JSON array, this version first (ItemRecord);
// ItemFromRecord also reads the named JSON object written before it.
inline constexpr int64_t kItemRecordVersion = 1;
store::Record ItemRecord(const ItemMeta& m);
Result<ItemMeta> ItemFromRecord(const store::Record& r);
store::Record DestructionRecord(const Destruction& d);
Result<Destruction> DestructionFromRecord(const store::Record& r);
// A swept item's record: its end is the destruction time and its body,
// {"swept":N}, names the items.destroyed event (ledger index N) whose entry
// for it holds the rest of its destruction record (doc/formats/vault.md).
inline constexpr char kSweptPrefix[] = "{\"swept\":";
store::Record SweptRecord(const std::string& item, Time destroyed_at, int64_t ledger_index);
// Appends the item's entry in an items.destroyed event, in canonical form.
void AppendSweptEntry(std::string& out, const ItemMeta& m, Time now);
// The destruction records of destroyed items' records, of either form (a
// whole record, or a swept item's, read with its event through `tx`).
Result<std::vector<Destruction>> DestructionsFromRecords(store::ReadTx& tx,
                                                         const std::vector<store::Record>& recs);
store::Record HoldRecord(const Hold& h);
Result<Hold> HoldFromRecord(const store::Record& r);

// The bucket key of `bucket_id`: unwrapped from its record under the epoch
// the record names. NotFound when the record is gone (destroyed).
Result<vault::BucketKey> LoadBucketKey(Vault::Impl& v, store::ReadTx& tx,
                                       const std::string& bucket_id);
// The same, creating the key (under the current epoch) and its record when
// absent. `due_at` is the record's ends_at (0: never due, a hold's bucket).
Result<vault::BucketKey> BucketKeyFor(Vault::Impl& v, store::WriteTx& tx,
                                      const std::string& bucket_id, int64_t due_at);
Result<uint32_t> CurrentRootEpoch(store::ReadTx& tx);
// A new id `prefix_...` that no record of `kind` has, read in `tx`. The
// vault's ids are time-ordered (base/id.h): a wall clock set back across a
// restart could give one again, and Put would then replace that record.
Result<std::string> FreshId(Vault::Impl& v, store::WriteTx& tx, const char* kind,
                            std::string_view prefix);
// Once per instance written before store schema 3 (kRecordsFormatMeta
// unset or older): rewrites destruction records of the old kind
// (`destruction`, the item record deleted) as the item's own record, which
// is now the destruction record, and live item records as ItemRecord writes
// them now (their old end would read as "destroyed"); one
// `vault.records_converted` event with the counts.
Status ConvertOldRecords(Vault::Impl& v);

// Moves an item's envelope into `to` (re-wrapped header, same body) and
// updates `m` (bucket, place). The old header is erased by the caller after
// the commit (EraseOldHeader), so a failed commit loses nothing.
Status MoveItem(Vault::Impl& v, store::WriteTx& tx, ItemMeta& m, const std::string& to,
                int64_t to_due_at);
void EraseOldHeader(Vault::Impl& v, const std::string& bucket, uint64_t offset, uint32_t length);

// Replaces the item record by its destruction record and appends
// `item.destroyed`. For an early destruction (`erase_header`), the
// envelope header is overwritten in its segment first.
Result<Destruction> DestroyItem(Vault::Impl& v, store::WriteTx& tx, const ItemMeta& m, Time now,
                                const std::string& actor, const std::string& reason,
                                const retention::Deadline& under, const std::string& method,
                                uint32_t root_epoch, const std::string& recommendation,
                                bool erase_header);

Status RequireRole(const Principal& actor, std::initializer_list<Role> roles,
                   std::string_view what);
boost::json::array ViolationRefsOf(const std::vector<rules::Violation>& vs);
Status GoneError(const std::string& id, Time destroyed_at);

}  // namespace cloison::service
