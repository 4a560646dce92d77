#include "service/vault.h"

#include <algorithm>
#include <cstring>
#include <set>

#include "authz/gate.h"
#include "crypto/sha256.h"
#include "service/codec.h"
#include "service/event.h"
#include "service/vault_internal.h"
#include "vault/envelope.h"

namespace cloison::service {
namespace json = boost::json;
namespace {

// Structure of a sealed item (doc/formats/sealed-item.md): magic, version,
// flags, chunk size, addressed to the centralising key, at least one chunk.
// Authentication happens when the gic opens it (OpenSealed).
Status CheckSealed(std::span<const uint8_t> b, const seal::KeyPair* central) {
  if (central == nullptr)
    return Status::InvalidArgument("sealed: this instance has no centralising key");
  if (b.size() < seal::kHeaderSize + seal::kChunkOverhead)
    return Status::InvalidArgument(
        "sealed: " + std::to_string(b.size()) + " bytes, want at least " +
        std::to_string(seal::kHeaderSize + seal::kChunkOverhead) + " (truncated)");
  if (std::memcmp(b.data(), "CLSI", 4) != 0 || b[4] != seal::kVersion || b[5] != 0)
    return Status::InvalidArgument("sealed: header: want magic CLSI, version 1, flags 0");
  uint32_t c = (uint32_t{b[6]} << 24) | (uint32_t{b[7]} << 16) | (uint32_t{b[8]} << 8) | b[9];
  if (c < 16 || c > 16u * 1024 * 1024)
    return Status::InvalidArgument("sealed: chunk size " + std::to_string(c) +
                                   ", want 16..16777216");
  if (!std::equal(central->public_key.begin(), central->public_key.end(), b.begin() + 10))
    return Status::InvalidArgument(
        "sealed: recipient: sealed to another key, want this instance's centralising key");
  return Status::Ok();
}

struct Prepared {
  const IngestInput* in = nullptr;
  rules::ItemKind kind = rules::ItemKind::kCorrespondence;
};

}  // namespace

bool IsDestroyed(const Status& s) {
  return s.code() == Code::kFailedPrecondition && s.message().rfind(kGonePrefix, 0) == 0;
}
bool IsTooLarge(const Status& s) {
  return s.code() == Code::kInvalidArgument && s.message().rfind(kTooLargePrefix, 0) == 0;
}

Vault::Vault(store::Store& store, const rules::Rulebook& book, const Clock& clock, IdGenerator& ids,
             vault::KeyProvider& keys, std::string dir, VaultOptions options)
    : impl_(new Impl{store, book, clock, ids, keys, dir, std::filesystem::path(dir) / "vault",
                     options}),
      options_(options) {}

Vault::~Vault() = default;

Status Vault::Open() {
  std::lock_guard<std::mutex> lock(impl_->open_mu);
  if (impl_->opened) return Status::Ok();
  ASSIGN_OR_RETURN(auto tx, impl_->store.BeginWrite());
  auto epoch = CurrentRootEpoch(*tx);
  ASSIGN_OR_RETURN(std::vector<uint32_t> present, impl_->keys.RootEpochs());
  if (!epoch.ok()) {
    if (epoch.status().code() != Code::kNotFound) return epoch.status();
    // First use: epoch 1 (or the newest root the provider already has).
    uint32_t e = present.empty() ? 1 : present.back();
    if (present.empty()) RETURN_IF_ERROR(impl_->keys.CreateRoot(e));
    RETURN_IF_ERROR(tx->SetMeta(kRootEpochMeta, std::to_string(e)));
    RETURN_IF_ERROR(tx->SetMeta(kRecordsFormatMeta, kRecordsFormat));
    store::Event ev;
    ev.type = "vault.root_rotated";
    ev.body = EncodeEvent({"vault.root_rotated", "system", impl_->keys.Name()}, impl_->clock,
                          impl_->clock.Now(),
                          {{"from", 0}, {"to", static_cast<int64_t>(e)}, {"buckets", 0}});
    RETURN_IF_ERROR(tx->Append(ev).status());
    RETURN_IF_ERROR(tx->Commit());
  } else {
    tx.reset();
    if (std::find(present.begin(), present.end(), *epoch) == present.end())
      return Status::FailedPrecondition("vault: root key of epoch " + std::to_string(*epoch) +
                                        " is missing from " + impl_->keys.Name() +
                                        " (the store's bucket keys are wrapped under it)");
    // A crash between a rotation's commit and the old root's destruction,
    // or before the commit (a new root never used): finish it now.
    for (uint32_t e : present)
      if (e != *epoch) RETURN_IF_ERROR(impl_->keys.DestroyRoot(e));
    RETURN_IF_ERROR(ConvertOldRecords(*impl_));
  }
  impl_->opened = true;
  return Status::Ok();
}

Result<Outcome<Ingested>> Vault::Ingest(const Principal& actor, const IngestInput& in) {
  ASSIGN_OR_RETURN(auto out, IngestBatch(actor, std::span<const IngestInput>(&in, 1)));
  return std::move(out[0]);
}

Result<std::vector<Outcome<Ingested>>> Vault::IngestBatch(const Principal& actor,
                                                          std::span<const IngestInput> items) {
  return IngestItems(actor, items, false);
}

Result<std::vector<Outcome<Ingested>>> Vault::IngestBatchDeferred(
    const Principal& actor, std::span<const IngestInput> items) {
  return IngestItems(actor, items, true);
}

Status Vault::SyncCommitted() {
  return impl_->store.Sync();
}

Result<std::vector<Outcome<Ingested>>> Vault::IngestItems(const Principal& actor,
                                                          std::span<const IngestInput> items,
                                                          bool deferred) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kCollector}, "submit items"));
  // Bad input first: it changes nothing, not even the ledger.
  std::vector<Prepared> prep(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    const IngestInput& in = items[i];
    std::string at = items.size() > 1 ? "item " + std::to_string(i) + ": " : "";
    auto kind = rules::ParseItemKind(in.kind);
    if (!kind)
      return Status::InvalidArgument(at + "kind: got \"" + in.kind +
                                     "\", want one of correspondence, connection_data, "
                                     "computer_data, sound_image, url, location");
    if (in.bytes.size() > options_.max_item_size)
      return Status::InvalidArgument(std::string(kTooLargePrefix) + at +
                                     std::to_string(in.bytes.size()) + " bytes, want at most " +
                                     std::to_string(options_.max_item_size));
    if (in.authorisation.empty()) return Status::InvalidArgument(at + "authorisation: missing");
    if (in.sealed) {
      Status s = CheckSealed(in.bytes, options_.centralising);
      if (!s.ok()) return Status::InvalidArgument(at + s.message());
    }
    prep[i] = {&in, *kind};
  }
  RETURN_IF_ERROR(Open());
  Impl& v = *impl_;
  ASSIGN_OR_RETURN(auto tx, deferred ? v.store.BeginDeferredWrite() : v.store.BeginWrite());
  Time now = v.clock.Now();
  std::vector<Outcome<Ingested>> out(items.size());
  vault::SegmentAppender app(v.vault_dir);
  std::map<std::string, authz::Authorisation> auths;
  std::map<std::string, vault::BucketKey> buckets;
  std::map<std::string, vault::EnvelopeSealer> sealers;  // one per bucket touched
  struct Pending {
    ItemMeta meta;
  };
  std::vector<Pending> accepted;
  for (size_t i = 0; i < items.size(); ++i) {
    const IngestInput& in = *prep[i].in;
    rules::ItemKind kind = prep[i].kind;
    // The gate (authz/gate.h) over this one authorisation, read in this
    // transaction: always what the workflow last committed.
    authz::IngestGate gate;
    const rules::Technique* tech = nullptr;
    auto it = auths.find(in.authorisation);
    if (it == auths.end()) {
      auto rec = tx->Get("authorisation", in.authorisation);
      if (rec.ok()) {
        ASSIGN_OR_RETURN(authz::Authorisation a, AuthorisationFromJson(rec->body));
        it = auths.emplace(in.authorisation, std::move(a)).first;
      } else if (rec.status().code() != Code::kNotFound) {
        return rec.status();
      }
    }
    if (it != auths.end()) {
      tech = v.book.FindTechnique(it->second.technique, in.collected_at);
      if (tech == nullptr) tech = v.book.FindTechnique(it->second.technique);
      if (tech != nullptr) gate.Upsert(it->second, *tech);
    }
    authz::GateAnswer answer =
        gate.Check(in.authorisation, kind, in.collected_at, now, options_.max_clock_skew);
    std::vector<rules::Violation> violations =
        gate.Explain(v.book, answer, in.authorisation, kind, in.collected_at, now);
    retention::Deadline deadline;
    if (violations.empty()) {
      auto d = in.encrypted
                   ? retention::ForEncrypted(v.book, *tech, kind, in.collected_at, std::nullopt)
                   : retention::ForKind(v.book, *tech, kind, in.collected_at);
      if (!d.ok()) {
        violations.push_back({"retention.no_rule", "L. 822-2 I", d.status().message()});
      } else if (d->destroy_by <= now) {
        // Keeping it even for a moment would be past its deadline.
        violations.push_back({"retention.expired", d->article,
                              "collected_at: its retention ended at " + FormatTime(d->destroy_by) +
                                  " (" + d->article + ")"});
      } else {
        deadline = *d;
      }
    }
    if (!violations.empty()) {
      json::object data{{"authorisation", in.authorisation},
                        {"kind", in.kind},
                        {"collected_at", FormatTime(in.collected_at)},
                        {"size", static_cast<int64_t>(in.bytes.size())},
                        {"sealed", in.sealed},
                        {"violations", ViolationRefsOf(violations)}};
      if (tech) data["technique"] = tech->id;
      store::Event e;
      e.type = "item.refused";
      e.body =
          EncodeEvent({"item.refused", actor.id, in.authorisation}, v.clock, now, std::move(data));
      RETURN_IF_ERROR(tx->Append(e).status());
      out[i].violations = std::move(violations);
      continue;
    }
    ItemMeta m;
    ASSIGN_OR_RETURN(m.id, FreshId(v, *tx, kItemKind, "itm"));
    m.authorisation = in.authorisation;
    m.technique = tech->id;
    m.service = it->second.service;
    m.minister = it->second.minister;
    m.kind = kind;
    m.target = in.target;
    m.collected_at = in.collected_at;
    m.ingested_at = now;
    m.state = in.sealed ? kItemSealed : kItemStored;
    m.arrived_sealed = in.sealed;
    m.encrypted = in.encrypted;
    m.deadline = deadline;
    m.size = in.bytes.size();
    m.compartment = retention::Compartment(m.technique);
    ASSIGN_OR_RETURN(m.bucket,
                     vault::BucketId(m.compartment, retention::BucketDay(deadline.destroy_by)));
    auto bk = buckets.find(m.bucket);
    if (bk == buckets.end()) {
      ASSIGN_OR_RETURN(
          vault::BucketKey key,
          BucketKeyFor(v, *tx, m.bucket,
                       ToMicros(retention::BucketDue(retention::BucketDay(deadline.destroy_by)))));
      bk = buckets.emplace(m.bucket, std::move(key)).first;
    }
    auto sl = sealers.find(m.bucket);
    if (sl == sealers.end()) {
      ASSIGN_OR_RETURN(vault::EnvelopeSealer sealer, vault::EnvelopeSealer::Create(bk->second));
      sl = sealers.emplace(m.bucket, std::move(sealer)).first;
    }
    // Sealed straight into the segment's write buffer: no copy of the
    // content between buffers, no allocation per item.
    ASSIGN_OR_RETURN(vault::SegmentAppender::Extent ext,
                     app.Extend(m.bucket, sl->second.EnvelopeSize(m.id, in.bytes.size())));
    ASSIGN_OR_RETURN(size_t header, sl->second.Seal(m.id, in.bytes, ext.bytes));
    m.offset = ext.ref.offset;
    m.length = ext.ref.length;
    m.header_length = static_cast<uint32_t>(header);
    m.envelope_sha256 = crypto::Hex(crypto::Sha256Parts({ext.bytes}));
    out[i].value = {m.id, m.state, deadline.destroy_by};
    accepted.push_back({std::move(m)});
  }
  // The disk writes the envelopes back while the records and events are
  // prepared; Sync below waits for it.
  RETURN_IF_ERROR(app.StartWriteback());
  for (const Pending& p : accepted) {
    const ItemMeta& m = p.meta;
    store::Record rec = ItemRecord(m);
    RETURN_IF_ERROR(tx->Put(rec));
    const std::string collected_at = FormatTime(m.collected_at);
    const std::string destroy_by = FormatTime(m.deadline.destroy_by);
    using F = EventField;
    RETURN_IF_ERROR(
        AppendEventFields(
            *tx, v.clock, now, {"item.ingested", actor.id, m.id}, rec,
            {F::Str("item", m.id), F::Str("authorisation", m.authorisation),
             F::Str("technique", m.technique), F::Str("service", m.service),
             F::Str("kind", rules::ItemKindName(m.kind)), F::Str("collected_at", collected_at),
             F::Str("destroy_by", destroy_by), F::Str("rule", m.deadline.rule),
             F::Str("article", m.deadline.article), F::Int("size", static_cast<int64_t>(m.size)),
             F::Str("envelope_sha256", m.envelope_sha256), F::Bool("sealed", m.arrived_sealed),
             F::Bool("encrypted", m.encrypted), F::Str("bucket", m.bucket)})
            .status());
  }
  // Durable before the records that point at them are committed.
  RETURN_IF_ERROR(app.Sync());
  RETURN_IF_ERROR(tx->Commit());
  return out;
}

Result<ItemMeta> Vault::LoadItem(store::ReadTx& tx, const std::string& id) {
  auto rec = tx.Get(kItemKind, id);
  // A destroyed item's record is its destruction record: its end is when.
  if (rec.ok())
    return rec->ends_at != 0 ? GoneError(id, FromMicros(rec->ends_at)) : ItemFromRecord(*rec);
  if (rec.status().code() != Code::kNotFound) return rec.status();
  return Status::NotFound("item: no item " + id);
}

Result<crypto::SecretBytes> Vault::ReadContentIn(store::ReadTx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(ItemMeta m, LoadItem(tx, id));
  if (m.state == kItemSealed)
    return Status::FailedPrecondition("item " + id +
                                      " is sealed: the centralising service opens it first");
  ASSIGN_OR_RETURN(vault::BucketKey key, LoadBucketKey(*impl_, tx, m.bucket));
  ASSIGN_OR_RETURN(std::vector<uint8_t> env,
                   vault::ReadSegment(impl_->vault_dir, m.bucket, {m.offset, m.length}));
  ASSIGN_OR_RETURN(std::vector<uint8_t> content, vault::OpenEnvelope(key, m.id, env));
  crypto::SecretBytes out(content);
  std::fill(content.begin(), content.end(), 0);
  return out;
}

namespace {

// L. 822-2 III: data copied for a research and development programme are
// read only through the R&D use case (service/rnd_copy.h), under the
// programme's access rules; the vault's generic reads refuse them.
Status RefuseRndCopy(const ItemMeta& m) {
  if (m.compartment.rfind("rnd-", 0) == 0)
    return Status::PermissionDenied(
        "item " + m.id + ": compartment " + m.compartment +
        " is an R&D programme's (L. 822-2 III): read it through the R&D use case, under the "
        "programme's access rules");
  return Status::Ok();
}

}  // namespace

Result<ItemMeta> Vault::GetItem(const Principal& actor, const std::string& id) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kGic, Role::kCnctr}, "read item metadata"));
  ASSIGN_OR_RETURN(auto tx, impl_->store.BeginRead());
  ASSIGN_OR_RETURN(ItemMeta m, LoadItem(*tx, id));
  RETURN_IF_ERROR(RefuseRndCopy(m));
  return m;
}

Result<crypto::SecretBytes> Vault::ReadContent(const Principal& actor, const std::string& id) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kGic, Role::kCnctr}, "read item content"));
  RETURN_IF_ERROR(Open());
  // A write transaction: the read is in the ledger with it (invariant 5).
  ASSIGN_OR_RETURN(auto tx, impl_->store.BeginWrite());
  Time now = impl_->clock.Now();
  {
    ASSIGN_OR_RETURN(ItemMeta m, LoadItem(*tx, id));
    RETURN_IF_ERROR(RefuseRndCopy(m));
  }
  ASSIGN_OR_RETURN(crypto::SecretBytes content, ReadContentIn(*tx, id));
  ASSIGN_OR_RETURN(store::Record rec, tx->Get(kItemKind, id));
  store::Event e;
  e.type = "item.read";
  json::object data{{"item", id},
                    {"reader", actor.id},
                    {"role", std::string(RoleName(actor.role))},
                    {"record_kind", kItemKind},
                    {"record_sha256", crypto::Hex(crypto::Sha256(rec.body))}};
  e.body = EncodeEvent({"item.read", actor.id, id}, impl_->clock, now, std::move(data));
  RETURN_IF_ERROR(tx->Append(e).status());
  RETURN_IF_ERROR(tx->Commit());
  return content;
}

}  // namespace cloison::service
