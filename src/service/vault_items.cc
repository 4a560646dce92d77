// service::Vault: what happens to one item after ingest (unsealing,
// deadlines moved, early destruction), holds, and copies for R&D.
#include <algorithm>
#include <set>

#include "crypto/sha256.h"
#include "service/event.h"
#include "service/vault_internal.h"
#include "vault/envelope.h"

namespace cloison::service {
namespace json = boost::json;
namespace {

int64_t DueAt(Time destroy_by) {
  return ToMicros(retention::BucketDue(retention::BucketDay(destroy_by)));
}

// The bucket an item belongs in for its deadline (its home compartment).
Result<std::string> DeadlineBucket(const ItemMeta& m) {
  return vault::BucketId(m.compartment, retention::BucketDay(m.deadline.destroy_by));
}

const rules::Technique* TechniqueOf(const rules::Rulebook& book, const ItemMeta& m) {
  const rules::Technique* t = book.FindTechnique(m.technique, m.collected_at);
  return t ? t : book.FindTechnique(m.technique);
}

// Puts the item and appends its event; the item's old header (if it moved)
// is erased after the commit.
Status CommitItemChange(Vault::Impl& v, std::unique_ptr<store::WriteTx> tx, const ItemMeta& m,
                        const ItemMeta& before, Time now, std::string_view type,
                        const std::string& actor, json::object data) {
  store::Record rec = ItemRecord(m);
  RETURN_IF_ERROR(tx->Put(rec));
  data["item"] = m.id;
  data["destroy_by"] = FormatTime(m.deadline.destroy_by);
  data["rule"] = m.deadline.rule;
  data["article"] = m.deadline.article;
  data["bucket"] = m.bucket;
  RETURN_IF_ERROR(
      AppendEvent(*tx, v.clock, now, {type, actor, m.id}, rec, std::move(data)).status());
  RETURN_IF_ERROR(tx->Commit());
  if (before.bucket != m.bucket || before.offset != m.offset)
    EraseOldHeader(v, before.bucket, before.offset, before.header_length);
  return Status::Ok();
}

}  // namespace

Result<ItemMeta> Vault::OpenSealed(const Principal& actor, const std::string& id) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kGic}, "open sealed items"));
  if (options_.centralising == nullptr)
    return Status::FailedPrecondition("vault: no centralising key on this instance");
  RETURN_IF_ERROR(Open());
  Impl& v = *impl_;
  ASSIGN_OR_RETURN(auto tx, v.store.BeginWrite());
  Time now = v.clock.Now();
  ASSIGN_OR_RETURN(ItemMeta m, LoadItem(*tx, id));
  if (m.state != kItemSealed)
    return Status::FailedPrecondition("item " + id + " is " + m.state + ", want sealed");
  ASSIGN_OR_RETURN(vault::BucketKey key, LoadBucketKey(v, *tx, m.bucket));
  ASSIGN_OR_RETURN(std::vector<uint8_t> env,
                   vault::ReadSegment(v.vault_dir, m.bucket, {m.offset, m.length}));
  ASSIGN_OR_RETURN(std::vector<uint8_t> sealed, vault::OpenEnvelope(key, m.id, env));
  // The content exists in clear only in memory, and goes straight back
  // into an envelope of the same bucket.
  auto content = seal::Open(*options_.centralising, sealed);
  if (!content.ok())
    return Status(content.status().code(),
                  "item " + id + ": sealed bytes do not open: " + content.status().message());
  ASSIGN_OR_RETURN(std::vector<uint8_t> fresh, vault::SealEnvelope(key, m.id, *content));
  std::fill(content->begin(), content->end(), 0);
  ASSIGN_OR_RETURN(vault::EnvelopeHeader h, vault::ParseEnvelopeHeader(fresh));
  vault::SegmentAppender app(v.vault_dir);
  ASSIGN_OR_RETURN(vault::SegmentRef ref, app.Append(m.bucket, fresh));
  RETURN_IF_ERROR(app.Sync());
  ItemMeta before = m;
  m.state = m.holds.empty() ? kItemStored : kItemHeld;
  m.offset = ref.offset;
  m.length = ref.length;
  m.header_length = static_cast<uint32_t>(h.encoded_size);
  m.envelope_sha256 = crypto::Hex(crypto::Sha256(fresh));
  // The sealed envelope's header goes too: its data key opened the sealed bytes.
  RETURN_IF_ERROR(CommitItemChange(v, std::move(tx), m, before, now, "item.unsealed", actor.id,
                                   {{"envelope_sha256", m.envelope_sha256}}));
  return m;
}

Result<ItemMeta> Vault::RecordDecryption(const Principal& actor, const std::string& id,
                                         Time decrypted_at) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kGic}, "record decryptions"));
  RETURN_IF_ERROR(Open());
  Impl& v = *impl_;
  ASSIGN_OR_RETURN(auto tx, v.store.BeginWrite());
  Time now = v.clock.Now();
  ASSIGN_OR_RETURN(ItemMeta m, LoadItem(*tx, id));
  if (!m.encrypted)
    return Status::FailedPrecondition("item " + id +
                                      " is not encrypted data, want one ingested as encrypted");
  if (decrypted_at > now + options_.max_clock_skew || decrypted_at < m.collected_at)
    return Status::InvalidArgument("decrypted_at: got " + FormatTime(decrypted_at) +
                                   ", want between the collection and now");
  const rules::Technique* t = TechniqueOf(v.book, m);
  if (t == nullptr) return Status::Corruption("item " + id + ": technique not in the rulebook");
  ASSIGN_OR_RETURN(retention::Deadline d,
                   retention::ForEncrypted(v.book, *t, m.kind, m.collected_at, decrypted_at));
  ItemMeta before = m;
  m.decrypted_at = decrypted_at;
  // The technical-analysis exception, if granted, still holds until its end.
  if (!m.analysis_until || *m.analysis_until < d.destroy_by) m.deadline = d;
  if (m.state != kItemHeld) {
    ASSIGN_OR_RETURN(std::string to, DeadlineBucket(m));
    RETURN_IF_ERROR(MoveItem(v, *tx, m, to, DueAt(m.deadline.destroy_by)));
  }
  RETURN_IF_ERROR(CommitItemChange(v, std::move(tx), m, before, now, "item.decrypted", actor.id,
                                   {{"decrypted_at", FormatTime(decrypted_at)}}));
  return m;
}

Result<ItemMeta> Vault::TechnicalAnalysis(const Principal& actor, const std::string& id,
                                          const std::string& justification, Time until) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kGic}, "keep data for technical analysis"));
  RETURN_IF_ERROR(Open());
  Impl& v = *impl_;
  ASSIGN_OR_RETURN(auto tx, v.store.BeginWrite());
  Time now = v.clock.Now();
  ASSIGN_OR_RETURN(ItemMeta m, LoadItem(*tx, id));
  const rules::Technique* t = TechniqueOf(v.book, m);
  if (t == nullptr) return Status::Corruption("item " + id + ": technique not in the rulebook");
  ASSIGN_OR_RETURN(retention::Deadline d,
                   retention::ForTechnicalAnalysis(v.book, *t, m.kind, m.collected_at, until,
                                                   justification, now));
  ItemMeta before = m;
  m.analysis_until = d.destroy_by;
  m.deadline = d;
  if (m.state != kItemHeld) {
    ASSIGN_OR_RETURN(std::string to, DeadlineBucket(m));
    RETURN_IF_ERROR(MoveItem(v, *tx, m, to, DueAt(m.deadline.destroy_by)));
  }
  // The justification is content: the ledger keeps its hash.
  RETURN_IF_ERROR(
      CommitItemChange(v, std::move(tx), m, before, now, "item.technical_analysis", actor.id,
                       {{"until", FormatTime(d.destroy_by)},
                        {"justification_sha256", crypto::Hex(crypto::Sha256(justification))}}));
  return m;
}

namespace {

// Transcriptions and extractions (service/exploitation.h, doc/exploitation.md)
// are records of this kind, grouped by the item they were made from, each
// with a vault item of its own. The vault reads them at the record level so
// that it does not depend on Exploitation, which is built on it.
constexpr char kDerivedKind[] = "transcription";

struct Derived {
  store::Record rec;
  ItemMeta item;
  bool item_gone = false;  // its vault item is already destroyed
};

// "hold hld_a" or "holds hld_a, hld_b": for the messages of refusals.
std::string HoldsText(const std::vector<std::string>& holds) {
  std::string out = holds.size() == 1 ? "hold " : "holds ";
  for (size_t i = 0; i < holds.size(); ++i) out += (i ? ", " : "") + holds[i];
  return out;
}

// L. 822-2 II: data tied to a case before the Conseil d'État is not
// destroyed while the case lasts. Every destruction of a frozen item or of
// a frozen transcription or extraction is refused with this error.
Status FrozenError(const std::string& what, const std::vector<std::string>& holds) {
  return Status::FailedPrecondition(what + " is frozen by " + HoldsText(holds) +
                                    " (L. 822-2 II): release the hold first");
}

// The kept transcriptions and extractions of `item_id`, with their vault
// items (item_gone: swept with an old bucket already).
Result<std::vector<Derived>> ListDerived(Vault& vault, store::ReadTx& tx,
                                         const std::string& item_id) {
  store::Filter f;
  f.kind = kDerivedKind;
  f.group = item_id;
  f.states = {"kept"};
  ASSIGN_OR_RETURN(auto recs, tx.List(f));
  std::vector<Derived> out;
  for (auto& r : recs) {
    Derived d;
    auto m = vault.LoadItem(tx, r.id);
    if (m.ok()) {
      d.item = *std::move(m);
    } else if (IsDestroyed(m.status())) {
      d.item_gone = true;
    } else {
      return m.status();
    }
    d.rec = std::move(r);
    out.push_back(std::move(d));
  }
  return out;
}

// The same, for a destruction of the item: FailedPrecondition (nothing
// changed) when one of them is held: a hold freezes it (L. 822-2 II), and
// it may not outlive its item (L. 822-3).
Result<std::vector<Derived>> KeptDerivedOf(Vault& vault, store::ReadTx& tx,
                                           const std::string& item_id) {
  ASSIGN_OR_RETURN(std::vector<Derived> out, ListDerived(vault, tx, item_id));
  for (const Derived& d : out)
    if (!d.item_gone && !d.item.holds.empty())
      return FrozenError("item " + item_id + ": its " + kDerivedKind + " " + d.rec.id,
                         d.item.holds);
  return out;
}

// L. 822-3: a transcription or extraction is never kept after its item. Its
// vault item is destroyed like the item (same reason, rule and article) and
// its record marked destroyed, with `transcription.destroyed`.
Status DestroyDerived(Vault::Impl& v, store::WriteTx& tx, Derived& d, Time now,
                      const std::string& actor, const std::string& reason,
                      const retention::Deadline& under, uint32_t epoch,
                      const std::string& recommendation) {
  int64_t index = -1;
  if (!d.item_gone) {
    ASSIGN_OR_RETURN(Destruction x, DestroyItem(v, tx, d.item, now, actor, reason, under,
                                                "crypto-erase: wrapped data key overwritten", epoch,
                                                recommendation, /*erase_header=*/true));
    index = x.ledger_index;
  }
  std::string what = std::string(kDerivedKind) + " " + d.rec.id;
  boost::system::error_code ec;
  json::value body = json::parse(d.rec.body, ec);
  if (ec) return Status::Corruption(what + ": body is not JSON: " + ec.message());
  if (!body.is_object()) return Status::Corruption(what + ": body is not a JSON object");
  json::object& o = body.as_object();
  o["state"] = "destroyed";
  d.rec.state = "destroyed";
  d.rec.body = json::serialize(o);
  RETURN_IF_ERROR(tx.Put(d.rec));
  const json::value* type = o.if_contains("type");
  const json::value* item = o.if_contains("item");
  RETURN_IF_ERROR(AppendEvent(tx, v.clock, now, {"transcription.destroyed", actor, d.rec.id}, d.rec,
                              {{"type", type != nullptr ? *type : json::value("")},
                               {"item", item != nullptr ? *item : json::value("")},
                               {"reason", reason},
                               {"rule", under.rule},
                               {"article", under.article},
                               {"recommendation", recommendation},
                               {"ledger_index", index}})
                      .status());
  return Status::Ok();
}

Result<Destruction> DestroyEarly(Vault::Impl& v, Vault& vault, const Principal& actor,
                                 const std::string& id, const std::string& reason,
                                 const std::string& recommendation) {
  ASSIGN_OR_RETURN(auto tx, v.store.BeginWrite());
  Time now = v.clock.Now();
  ASSIGN_OR_RETURN(ItemMeta m, vault.LoadItem(*tx, id));
  if (!m.holds.empty()) return FrozenError("item " + id, m.holds);
  retention::Deadline under = m.deadline;
  if (reason == "unrelated") {
    const rules::Technique* t = TechniqueOf(v.book, m);
    if (t != nullptr) {
      auto u = retention::ForUnrelated(v.book, *t, m.kind, m.collected_at);
      if (u.ok()) under = *u;
    }
  } else {
    under = {m.deadline.destroy_by, std::string(retention::kRuleRecommendation), "L. 833-6"};
  }
  // Checked before any header is erased, so a refusal changes nothing.
  ASSIGN_OR_RETURN(std::vector<Derived> derived, KeptDerivedOf(vault, *tx, id));
  ASSIGN_OR_RETURN(uint32_t epoch, CurrentRootEpoch(*tx));
  ASSIGN_OR_RETURN(Destruction d, DestroyItem(v, *tx, m, now, actor.id, reason, under,
                                              "crypto-erase: wrapped data key overwritten", epoch,
                                              recommendation, /*erase_header=*/true));
  // L. 822-3: its transcriptions and extractions go with it, in the same
  // transaction.
  for (auto& x : derived)
    RETURN_IF_ERROR(DestroyDerived(v, *tx, x, now, actor.id, reason, under, epoch, recommendation));
  RETURN_IF_ERROR(tx->Commit());
  return d;
}

}  // namespace

Result<Destruction> Vault::MarkUnrelated(const Principal& actor, const std::string& id) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kGic}, "mark items unrelated"));
  RETURN_IF_ERROR(Open());
  return DestroyEarly(*impl_, *this, actor, id, "unrelated", "");
}

Result<Destruction> Vault::DestroyOnRecommendation(const Principal& actor, const std::string& id,
                                                   const std::string& recommendation_id) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kGic, Role::kPm}, "destroy on a recommendation"));
  if (recommendation_id.empty()) return Status::InvalidArgument("recommendation: missing");
  RETURN_IF_ERROR(Open());
  return DestroyEarly(*impl_, *this, actor, id, "recommendation", recommendation_id);
}

namespace {

// The item a transcription or extraction was made from ("" for any other
// item), within `tx`.
Result<std::string> ParentOf(store::ReadTx& tx, const std::string& id) {
  auto rec = tx.Get(kDerivedKind, id);
  if (rec.ok()) return rec->group;
  if (rec.status().code() == Code::kNotFound) return std::string();
  return rec.status();
}

// A transcription or extraction going back under its deadline on release
// is never kept after its item (L. 822-3): its deadline is capped at its
// item's (now, when the item is gone), and its record says so.
Status CapToParent(Vault& vault, store::WriteTx& tx, ItemMeta& m, const std::string& parent,
                   Time now) {
  auto p = vault.LoadItem(tx, parent);
  retention::Deadline cap;
  if (p.ok()) {
    cap = p->deadline;
  } else if (IsDestroyed(p.status()) || p.status().code() == Code::kNotFound) {
    cap = {now, m.deadline.rule, "L. 822-3"};
  } else {
    return p.status();
  }
  if (cap.destroy_by >= m.deadline.destroy_by) return Status::Ok();
  m.deadline = cap;
  ASSIGN_OR_RETURN(store::Record rec, tx.Get(kDerivedKind, m.id));
  boost::system::error_code ec;
  json::value body = json::parse(rec.body, ec);
  if (ec || !body.is_object())
    return Status::Corruption(std::string(kDerivedKind) + " " + m.id +
                              ": body is not a JSON object");
  body.as_object()["destroy_by"] = FormatTime(cap.destroy_by);
  rec.ends_at = ToMicros(cap.destroy_by);
  rec.body = json::serialize(body);
  return tx.Put(rec);
}

}  // namespace

Result<Hold> Vault::PlaceHold(const Principal& actor, const std::string& case_ref,
                              const std::vector<std::string>& item_ids) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kPm}, "place holds"));
  if (case_ref.empty()) return Status::InvalidArgument("case: missing");
  if (item_ids.empty()) return Status::InvalidArgument("items: empty, want at least one");
  std::set<std::string> seen(item_ids.begin(), item_ids.end());
  if (seen.size() != item_ids.size())
    return Status::InvalidArgument("items: an item is listed twice");
  RETURN_IF_ERROR(Open());
  Impl& v = *impl_;
  ASSIGN_OR_RETURN(auto tx, v.store.BeginWrite());
  Time now = v.clock.Now();
  Hold h;
  ASSIGN_OR_RETURN(h.id, FreshId(v, *tx, kHoldKind, "hld"));
  h.case_ref = case_ref;
  h.items = item_ids;
  h.state = "placed";
  h.placed_by = actor.id;
  h.placed_at = now;
  ASSIGN_OR_RETURN(std::string hold_bucket,
                   vault::BucketId(retention::HoldCompartment(h.id), DateOf(now)));
  std::vector<std::pair<ItemMeta, ItemMeta>> moved;  // before, after
  auto freeze = [&](ItemMeta m) -> Status {
    ItemMeta before = m;
    m.holds.push_back(h.id);
    if (m.state != kItemSealed) m.state = kItemHeld;
    // Already frozen by another hold: it stays in that hold's bucket.
    if (m.holds.size() == 1) RETURN_IF_ERROR(MoveItem(v, *tx, m, hold_bucket, 0));
    RETURN_IF_ERROR(tx->Put(ItemRecord(m)));
    moved.emplace_back(std::move(before), std::move(m));
    return Status::Ok();
  };
  for (const auto& id : item_ids) {
    ASSIGN_OR_RETURN(ItemMeta m, LoadItem(*tx, id));
    RETURN_IF_ERROR(freeze(std::move(m)));
  }
  // L. 822-2 II: the item's kept transcriptions and extractions are its
  // data in another form, so the hold freezes them too. They are encrypted
  // in the item's old bucket, whose sweep would destroy them: they move
  // with it into the hold's bucket (re-wrapped, old header erased).
  json::array derived;
  for (const auto& id : item_ids) {
    ASSIGN_OR_RETURN(std::vector<Derived> kept, ListDerived(*this, *tx, id));
    for (Derived& d : kept) {
      if (d.item_gone || !seen.insert(d.rec.id).second) continue;
      RETURN_IF_ERROR(freeze(std::move(d.item)));
      derived.emplace_back(d.rec.id);
    }
  }
  store::Record rec = HoldRecord(h);
  RETURN_IF_ERROR(tx->Put(rec));
  json::array items;
  for (const auto& id : item_ids) items.push_back(json::value(id));
  RETURN_IF_ERROR(AppendEvent(*tx, v.clock, now, {"hold.placed", actor.id, h.id}, rec,
                              {{"case", case_ref},
                               {"items", std::move(items)},
                               {"derived", std::move(derived)},
                               {"article", "L. 822-2 II"}})
                      .status());
  RETURN_IF_ERROR(tx->Commit());
  for (const auto& [before, after] : moved)
    if (before.bucket != after.bucket)
      EraseOldHeader(v, before.bucket, before.offset, before.header_length);
  return h;
}

Result<Hold> Vault::ReleaseHold(const Principal& actor, const std::string& hold_id) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kPm}, "release holds"));
  RETURN_IF_ERROR(Open());
  Impl& v = *impl_;
  ASSIGN_OR_RETURN(auto tx, v.store.BeginWrite());
  Time now = v.clock.Now();
  auto hrec = tx->Get(kHoldKind, hold_id);
  if (!hrec.ok()) {
    if (hrec.status().code() == Code::kNotFound)
      return Status::NotFound("hold: no hold " + hold_id);
    return hrec.status();
  }
  ASSIGN_OR_RETURN(Hold h, HoldFromRecord(*hrec));
  if (h.state != "placed")
    return Status::FailedPrecondition("hold " + hold_id + " is " + h.state + ", want placed");
  std::vector<std::pair<ItemMeta, ItemMeta>> moved;
  std::set<std::string> emptied;  // hold buckets that may be left empty
  auto unfreeze = [&](ItemMeta m) -> Status {
    ItemMeta before = m;
    m.holds.erase(std::remove(m.holds.begin(), m.holds.end(), h.id), m.holds.end());
    std::string target;
    if (m.holds.empty()) {
      if (m.state == kItemHeld) m.state = kItemStored;
      ASSIGN_OR_RETURN(std::string parent, ParentOf(*tx, m.id));
      if (!parent.empty()) RETURN_IF_ERROR(CapToParent(*this, *tx, m, parent, now));
      ASSIGN_OR_RETURN(target, DeadlineBucket(m));
    } else {
      // Still frozen: into the bucket of a hold that remains.
      ASSIGN_OR_RETURN(target,
                       vault::BucketId(retention::HoldCompartment(m.holds.front()), DateOf(now)));
    }
    if (m.bucket != target) {
      emptied.insert(m.bucket);
      RETURN_IF_ERROR(
          MoveItem(v, *tx, m, target, m.holds.empty() ? DueAt(m.deadline.destroy_by) : 0));
    }
    RETURN_IF_ERROR(tx->Put(ItemRecord(m)));
    moved.emplace_back(std::move(before), std::move(m));
    return Status::Ok();
  };
  std::set<std::string> seen(h.items.begin(), h.items.end());
  for (const auto& id : h.items) {
    auto loaded = LoadItem(*tx, id);
    if (!loaded.ok()) {
      if (loaded.status().code() == Code::kNotFound || IsDestroyed(loaded.status())) continue;
      return loaded.status();
    }
    RETURN_IF_ERROR(unfreeze(*std::move(loaded)));
  }
  // The transcriptions and extractions the hold froze with their items
  // (PlaceHold, and those made while it stood: StoreCopy) go back under
  // their deadline, never after their item's (L. 822-3).
  json::array derived;
  for (const auto& id : h.items) {
    ASSIGN_OR_RETURN(std::vector<Derived> kept, ListDerived(*this, *tx, id));
    for (Derived& d : kept) {
      if (d.item_gone || !seen.insert(d.rec.id).second) continue;
      const auto& holds = d.item.holds;
      if (std::find(holds.begin(), holds.end(), h.id) == holds.end()) continue;
      RETURN_IF_ERROR(unfreeze(std::move(d.item)));
      derived.emplace_back(d.rec.id);
    }
  }
  h.state = "released";
  h.released_at = now;
  store::Record rec = HoldRecord(h);
  RETURN_IF_ERROR(tx->Put(rec));
  RETURN_IF_ERROR(
      AppendEvent(
          *tx, v.clock, now, {"hold.released", actor.id, h.id}, rec,
          {{"case", h.case_ref}, {"derived", std::move(derived)}, {"article", "L. 822-2 II"}})
          .status());
  // A hold bucket left with no item has no more reason to exist.
  std::vector<std::string> gone;
  for (const auto& b : emptied) {
    store::Filter f;
    f.kind = kItemKind;
    f.group = b;
    f.limit = 1;
    ASSIGN_OR_RETURN(int64_t left, tx->Count(f));
    if (left > 0) continue;
    if (tx->Delete(kBucketKind, b).ok()) gone.push_back(b);
  }
  RETURN_IF_ERROR(tx->Commit());
  for (const auto& [before, after] : moved)
    if (before.bucket != after.bucket)
      EraseOldHeader(v, before.bucket, before.offset, before.header_length);
  for (const auto& b : gone) (void)vault::DestroySegment(v.vault_dir, b);
  return h;
}

Result<Hold> Vault::GetHold(const Principal& actor, const std::string& hold_id) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kPm, Role::kCnctr}, "read holds"));
  ASSIGN_OR_RETURN(auto tx, impl_->store.BeginRead());
  auto rec = tx->Get(kHoldKind, hold_id);
  if (!rec.ok()) {
    if (rec.status().code() == Code::kNotFound) return Status::NotFound("hold: no hold " + hold_id);
    return rec.status();
  }
  return HoldFromRecord(*rec);
}

Result<ItemMeta> Vault::StoreCopy(store::WriteTx& tx, const ItemMeta& origin,
                                  const std::string& compartment,
                                  const retention::Deadline& deadline,
                                  std::span<const uint8_t> content, std::string_view id_prefix) {
  RETURN_IF_ERROR(Open());
  Impl& v = *impl_;
  Time now = v.clock.Now();
  if (deadline.destroy_by <= now)
    return Status::InvalidArgument("deadline: " + FormatTime(deadline.destroy_by) + " has passed");
  ItemMeta m = origin;
  m.id = v.ids.Next(id_prefix);
  m.ingested_at = now;
  m.arrived_sealed = false;
  m.deadline = deadline;
  m.analysis_until.reset();
  m.size = content.size();
  m.compartment = compartment;
  // A transcription or extraction made from a frozen item is frozen with
  // it (L. 822-2 II): same holds, in the hold bucket the item is in, never
  // due; ReleaseHold gives it back its deadline.
  m.state = m.holds.empty() ? kItemStored : kItemHeld;
  int64_t due_at = 0;
  if (m.holds.empty()) {
    ASSIGN_OR_RETURN(m.bucket, DeadlineBucket(m));
    due_at = DueAt(deadline.destroy_by);
  } else if (m.bucket.rfind(retention::HoldCompartment(m.holds.front()) + "/", 0) != 0) {
    return Status::Internal("item " + origin.id + " is held by " + m.holds.front() +
                            " but is in bucket " + m.bucket);
  }
  ASSIGN_OR_RETURN(vault::BucketKey key, BucketKeyFor(v, tx, m.bucket, due_at));
  ASSIGN_OR_RETURN(std::vector<uint8_t> env, vault::SealEnvelope(key, m.id, content));
  ASSIGN_OR_RETURN(vault::EnvelopeHeader h, vault::ParseEnvelopeHeader(env));
  vault::SegmentAppender app(v.vault_dir);
  ASSIGN_OR_RETURN(vault::SegmentRef ref, app.Append(m.bucket, env));
  RETURN_IF_ERROR(app.Sync());
  m.offset = ref.offset;
  m.length = ref.length;
  m.header_length = static_cast<uint32_t>(h.encoded_size);
  m.envelope_sha256 = crypto::Hex(crypto::Sha256(env));
  RETURN_IF_ERROR(tx.Put(ItemRecord(m)));
  return m;
}

Result<std::vector<Destruction>> Vault::ShredCompartment(
    store::WriteTx& tx, const std::string& compartment, const std::string& actor,
    const std::string& reason, const std::string& rule, const std::string& article) {
  if (compartment.empty() || compartment.find('/') != std::string::npos)
    return Status::InvalidArgument("compartment: got \"" + compartment + "\", want a name");
  RETURN_IF_ERROR(Open());
  Impl& v = *impl_;
  Time now = v.clock.Now();
  ASSIGN_OR_RETURN(uint32_t epoch, CurrentRootEpoch(tx));
  // Its buckets are "<compartment>/<day>": the ids right after the prefix.
  const std::string prefix = compartment + "/";
  std::vector<store::Record> buckets;
  store::Filter bf;
  bf.kind = kBucketKind;
  bf.after_id = prefix;
  bf.limit = 1000;
  for (bool more = true; more;) {
    ASSIGN_OR_RETURN(std::vector<store::Record> page, tx.List(bf));
    more = static_cast<int>(page.size()) == bf.limit;
    for (store::Record& r : page) {
      if (r.id.rfind(prefix, 0) != 0) {
        more = false;
        break;
      }
      buckets.push_back(std::move(r));
    }
    if (more) bf.after_id = buckets.back().id;
  }
  std::vector<Destruction> out;
  for (store::Record& b : buckets) {
    store::Filter items;
    items.kind = kItemKind;
    items.group = b.id;
    ASSIGN_OR_RETURN(std::vector<store::Record> recs, tx.List(items));
    for (const store::Record& r : recs) {
      ASSIGN_OR_RETURN(ItemMeta m, ItemFromRecord(r));
      if (!m.holds.empty()) return FrozenError("item " + m.id, m.holds);
      // Destroyed by the destruction of its bucket's key, which the sweep
      // does next (the same method as the sweep's).
      ASSIGN_OR_RETURN(Destruction d, DestroyItem(v, tx, m, now, actor, reason,
                                                  {m.deadline.destroy_by, rule, article},
                                                  "crypto-erase: bucket key destroyed", epoch, "",
                                                  /*erase_header=*/false));
      out.push_back(std::move(d));
    }
    b.ends_at = ToMicros(now);  // due now: the sweep destroys its key
    RETURN_IF_ERROR(tx.Put(b));
  }
  return out;
}

}  // namespace cloison::service
