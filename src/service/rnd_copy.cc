#include "service/rnd_copy.h"

#include <algorithm>

#include "crypto/random.h"
#include "crypto/sha256.h"
#include "retention/retention.h"
#include "service/event.h"
#include "service/pseudonym.h"
#include "service/rnd_json.h"
#include "vault/bucket_key.h"

namespace cloison::service {
namespace json = boost::json;
namespace {

constexpr char kBucketKind[] = "bucket";               // doc/formats/vault.md
constexpr char kRootEpochMeta[] = "vault.root_epoch";  // doc/formats/vault.md
// The day of the key's bucket: far beyond any deadline. The bucket record's
// ends_at is 0, so the sweep never finds it due whatever its day says.
constexpr Date kKeyBucketDay{std::chrono::year(9999), std::chrono::December, std::chrono::day(31)};

Result<std::vector<uint8_t>> Unhex(std::string_view s, std::string_view what) {
  if (s.size() % 2 != 0) return Status::Corruption(std::string(what) + ": odd hex length");
  std::vector<uint8_t> out(s.size() / 2);
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return Status::Corruption(std::string(what) + ": not lower-case hex");
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return out;
}

Result<uint32_t> RootEpoch(store::ReadTx& tx) {
  ASSIGN_OR_RETURN(std::string s, tx.GetMeta(kRootEpochMeta));
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), ::isdigit))
    return Status::Corruption("meta vault.root_epoch: got \"" + s + "\", want a number");
  return static_cast<uint32_t>(std::stoul(s));
}

store::Record CopyRecord(const RndCopy& c) {
  json::object o{{"id", c.id},
                 {"programme", c.programme},
                 {"kind", rules::ItemKindName(c.kind)},
                 {"copied_at", FormatTime(c.copied_at)},
                 {"destroy_by", FormatTime(c.destroy_by)},
                 {"target", c.target},
                 {"identifiers", c.identifiers},
                 {"origin", c.origin},
                 {"nonce", c.nonce}};
  store::Record r;
  r.kind = kRndCopyKind;
  r.id = c.id;
  r.state = "copied";
  r.group = c.programme;
  r.starts_at = ToMicros(c.copied_at);
  r.ends_at = ToMicros(c.destroy_by);
  r.body = json::serialize(o);
  return r;
}

Result<RndCopy> CopyFromRecord(const store::Record& r) {
  std::string what = std::string(kRndCopyKind) + " " + r.id;
  ASSIGN_OR_RETURN(json::object o, ParseObject(r.body, what));
  JsonFields f(o, what);
  RndCopy c;
  c.id = f.Str("id");
  c.programme = f.Str("programme");
  auto kind = rules::ParseItemKind(f.Str("kind"));
  c.copied_at = f.At("copied_at");
  c.destroy_by = f.At("destroy_by");
  c.target = f.Str("target");
  c.identifiers = f.Int("identifiers");
  c.origin = f.Str("origin");
  c.nonce = f.Str("nonce");
  RETURN_IF_ERROR(f.status());
  if (!kind) return Status::Corruption(what + ": kind: unknown");
  c.kind = *kind;
  return c;
}

Result<RndCopy> LoadCopy(store::ReadTx& tx, const std::string& id) {
  auto rec = tx.Get(kRndCopyKind, id);
  if (!rec.ok()) {
    if (rec.status().code() == Code::kNotFound) return Status::NotFound("rnd copy: no copy " + id);
    return rec.status();
  }
  return CopyFromRecord(*rec);
}

// An agent sees neither the original item nor the nonce.
RndCopy ViewFor(const Principal& actor, RndCopy c) {
  if (actor.role != Role::kCnctr) {
    c.origin.clear();
    c.nonce.clear();
  }
  return c;
}

}  // namespace

RndCopies::RndCopies(store::Store& store, const rules::Rulebook& book, const Clock& clock,
                     Vault& vault, vault::KeyProvider& keys)
    : store_(store), book_(book), clock_(clock), vault_(vault), keys_(keys) {}

std::string RndCopies::KeyBucketId(const std::string& programme_id) {
  auto id = vault::BucketId("rndkey-" + programme_id, kKeyBucketDay);
  return id.ok() ? *id : "";
}

Result<crypto::SecretBytes> RndCopies::PseudonymKey(store::WriteTx& tx,
                                                    const std::string& programme_id,
                                                    bool& created) {
  std::string bucket = KeyBucketId(programme_id);
  if (bucket.empty()) return Status::InvalidArgument("programme: id unfit for a bucket id");
  auto rec = tx.Get(kBucketKind, bucket);
  if (rec.ok()) {
    ASSIGN_OR_RETURN(json::object o, ParseObject(rec->body, "bucket " + bucket));
    JsonFields f(o, "bucket " + bucket);
    int64_t epoch = f.Int("epoch");
    std::string hex = f.Str("wrapped");
    RETURN_IF_ERROR(f.status());
    ASSIGN_OR_RETURN(std::vector<uint8_t> wrapped, Unhex(hex, "bucket " + bucket + " wrapped"));
    return keys_.UnwrapUnder(static_cast<uint32_t>(epoch), wrapped, bucket);
  }
  if (rec.status().code() != Code::kNotFound) return rec.status();
  ASSIGN_OR_RETURN(uint32_t epoch, RootEpoch(tx));
  crypto::SecretBytes key(kPseudonymKeySize);
  RETURN_IF_ERROR(crypto::RandomBytes(key.mutable_view()));
  ASSIGN_OR_RETURN(std::vector<uint8_t> wrapped, keys_.WrapUnder(epoch, key.view(), bucket));
  store::Record r;
  r.kind = kBucketKind;
  r.id = bucket;
  r.state = "live";
  r.ends_at = 0;  // never due: it lives as long as the programme's copies may
  r.body = json::serialize(
      json::object{{"epoch", static_cast<int64_t>(epoch)}, {"wrapped", crypto::Hex(wrapped)}});
  RETURN_IF_ERROR(tx.Put(r));
  created = true;
  return key;
}

Result<Outcome<RndCopy>> RndCopies::TransferToProgramme(const Principal& actor,
                                                        const std::string& programme_id,
                                                        const std::string& item_id) {
  RETURN_IF_ERROR(AllowRoles(actor, {Role::kGic}, "transfer items to rnd programmes"));
  if (item_id.empty()) return Status::InvalidArgument("item: missing, want an item id");
  RETURN_IF_ERROR(vault_.Open());
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  Time now = clock_.Now();
  ASSIGN_OR_RETURN(Programme p, Rnd::Load(*tx, programme_id));
  if (p.state != ProgrammeState::kGranted)
    return Status::FailedPrecondition("rnd programme " + p.id + " is " +
                                      std::string(ProgrammeStateName(p.state)) +
                                      ", want granted (L. 822-2 III)");
  ASSIGN_OR_RETURN(ItemMeta item, vault_.LoadItem(*tx, item_id));
  if (item.compartment.rfind("rnd-", 0) == 0)
    return Status::InvalidArgument("item: " + item_id + " is already an R&D copy");
  retention::Deadline deadline = retention::ForRnd(book_, item.collected_at);
  RndCopy c;
  c.programme = p.id;
  c.kind = item.kind;
  c.copied_at = now;
  c.destroy_by = deadline.destroy_by;
  // L. 822-2 III: at the latest 5 years (2 in the strict profile) after the
  // original collection; a copy already past it may not be made.
  if (deadline.destroy_by <= now) {
    std::vector<rules::Violation> vs{{std::string(kRuleRndMaxRetention), deadline.article,
                                      "item: collected " + FormatTime(item.collected_at) +
                                          ", its R&D limit " + FormatTime(deadline.destroy_by) +
                                          " has passed (" + deadline.article + ")"}};
    return Outcome<RndCopy>{std::move(c), std::move(vs)};
  }
  ASSIGN_OR_RETURN(crypto::SecretBytes content, vault_.ReadContentIn(*tx, item_id));
  bool key_created = false;
  ASSIGN_OR_RETURN(crypto::SecretBytes key, PseudonymKey(*tx, p.id, key_created));
  auto view = content.view();
  Pseudonymised ps = Pseudonymise(
      key.view(), std::string_view(reinterpret_cast<const char*>(view.data()), view.size()),
      item.target);
  // The copy's vault metadata: its kind and the original collection time
  // (the vault's destruction record names it); nothing else of the origin
  // (no grounds, purposes, targets, authorisation, technique or service).
  ItemMeta stripped;
  stripped.kind = item.kind;
  stripped.collected_at = item.collected_at;
  auto bytes = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(ps.content.data()),
                                        ps.content.size());
  auto stored =
      vault_.StoreCopy(*tx, stripped, retention::RndCompartment(p.id), deadline, bytes, "rnc");
  crypto::WipeString(ps.content);
  if (!stored.ok()) return stored.status();
  c.id = stored->id;
  c.target = ps.target;
  c.identifiers = ps.replaced;
  c.origin = item.id;
  uint8_t nonce[16];
  RETURN_IF_ERROR(crypto::RandomBytes(nonce));
  c.nonce = crypto::Hex(nonce);
  store::Record rec = CopyRecord(c);
  RETURN_IF_ERROR(tx->Put(rec));
  bool registered = book_.rnd.collection_date_register;
  if (registered) {
    store::Record reg;
    reg.kind = kRndRegisterKind;
    reg.id = c.id;
    reg.group = p.id;
    reg.starts_at = ToMicros(item.collected_at);
    reg.ends_at = ToMicros(c.destroy_by);
    reg.body = json::serialize(json::object{
        {"copy", c.id}, {"programme", p.id}, {"collected_at", FormatTime(item.collected_at)}});
    RETURN_IF_ERROR(tx->Put(reg));
  }
  // The original item's id is not in the event: the record it hashes names
  // it, with a random nonce, so the ledger commits to the link without
  // showing it (doc/formats/rnd.md, "The ledger and the origin").
  RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {"rnd.item.copied", actor.id, c.id}, rec,
                              {{"programme", p.id},
                               {"copy", c.id},
                               {"kind", rules::ItemKindName(c.kind)},
                               {"destroy_by", FormatTime(c.destroy_by)},
                               {"rule", deadline.rule},
                               {"article", deadline.article},
                               {"identifiers", c.identifiers},
                               {"register", registered},
                               {"pseudonym_key_created", key_created}})
                      .status());
  RETURN_IF_ERROR(tx->Commit());
  return Outcome<RndCopy>{std::move(c), {}};
}

Result<Programme> RndCopies::CloseProgramme(const Principal& actor, const std::string& programme_id,
                                            const std::string& reasons) {
  RETURN_IF_ERROR(AllowRoles(actor, {Role::kPm, Role::kMinister}, "close rnd programmes"));
  if (reasons.empty()) return Status::InvalidArgument("reasons: missing, want a text");
  RETURN_IF_ERROR(vault_.Open());
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  Time now = clock_.Now();
  ASSIGN_OR_RETURN(Programme p, Rnd::Load(*tx, programme_id));
  // Who ends a programme: L. 822-2 III names no one. The PM authorised it
  // and may end what it authorised (as it terminates an authorisation,
  // L. 821-4). The minister answering for the service that runs it (the
  // one who signs its requests, L. 821-2) may too: the data are destroyed
  // once no longer indispensable to the programme (L. 822-2 III), which is
  // the service's call, and closing only ever destroys data sooner. The
  // CNCTR does not close: it recommends suspension (L. 822-2 III, L. 833-6).
  if (actor.role == Role::kMinister) {
    const rules::Service* s = book_.FindService(p.draft.service, now);
    if (s == nullptr) s = book_.FindService(p.draft.service);
    if (s == nullptr || s->minister != actor.minister)
      return Status::PermissionDenied("rnd programme " + p.id + " belongs to " + p.draft.service +
                                      ", not a service of the " + actor.minister + " minister");
  }
  if (p.state != ProgrammeState::kGranted && p.state != ProgrammeState::kSuspended)
    return Status::FailedPrecondition("rnd programme " + p.id + " is " +
                                      std::string(ProgrammeStateName(p.state)) +
                                      ", want granted or suspended");
  // L. 822-2 II: a copy frozen by a hold is not destroyed while the case
  // lasts; the programme stays open until the hold is released.
  store::Filter cf;
  cf.kind = kRndCopyKind;
  cf.group = p.id;
  ASSIGN_OR_RETURN(auto copy_recs, tx->List(cf));
  for (const auto& r : copy_recs) {
    auto m = vault_.LoadItem(*tx, r.id);
    if (!m.ok()) {
      if (IsDestroyed(m.status())) continue;  // swept on its day already
      return m.status();
    }
    if (!m->holds.empty())
      return Status::FailedPrecondition("rnd programme " + p.id + ": its copy " + r.id +
                                        " is frozen by hold " + m->holds.front() +
                                        " (L. 822-2 II): release the hold first");
  }
  ASSIGN_OR_RETURN(
      std::vector<Destruction> destroyed,
      vault_.ShredCompartment(*tx, retention::RndCompartment(p.id), actor.id, "programme_closed",
                              std::string(kRuleRndProgrammeClosed), book_.rnd.cite.article));
  // The pseudonym key goes with the copies: made due now like the
  // compartment's buckets, the sweep deletes it and the root rotation makes
  // earlier copies of its record useless.
  bool key_destroyed = false;
  auto key = tx->Get(kBucketKind, KeyBucketId(p.id));
  if (key.ok()) {
    key->ends_at = ToMicros(now);
    RETURN_IF_ERROR(tx->Put(*key));
    key_destroyed = true;
  } else if (key.status().code() != Code::kNotFound) {
    return key.status();
  }
  p.state = ProgrammeState::kClosed;
  p.closure = ProgrammeClosure{reasons, actor.id, now, static_cast<int64_t>(destroyed.size())};
  store::Record rec = Rnd::Record(p);
  RETURN_IF_ERROR(tx->Put(rec));
  RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {"rnd.programme.closed", actor.id, p.id}, rec,
                              {{"service", p.draft.service},
                               // A count, not the ids: each copy has its own
                               // item.destroyed just before, and a list would
                               // grow past a ledger entry's bound.
                               {"copies_destroyed", static_cast<int64_t>(destroyed.size())},
                               {"pseudonym_key_destroyed", key_destroyed},
                               {"article", book_.rnd.cite.article},
                               {"reasons_sha256", crypto::Hex(crypto::Sha256(reasons))}})
                      .status());
  RETURN_IF_ERROR(tx->Commit());
  // The keys themselves: the sweep finds the buckets due (see above).
  (void)vault_.Sweep();
  return p;
}

Result<Programme> RndCopies::Readable(store::ReadTx& tx, const Principal& actor,
                                      const std::string& programme_id) {
  RETURN_IF_ERROR(AllowRoles(actor, {Role::kRndAgent, Role::kCnctr}, "read R&D data"));
  ASSIGN_OR_RETURN(Programme p, Rnd::Load(tx, programme_id));
  // The CNCTR's access to R&D data is permanent and complete (L. 833-2),
  // and it must be able to check a programme it had suspended.
  if (actor.role == Role::kCnctr) return p;
  if (std::find(p.agents.begin(), p.agents.end(), actor.id) == p.agents.end())
    return Status::PermissionDenied("rnd programme " + p.id + ": agent " + actor.id +
                                    " is not assigned to it (L. 822-2 III)");
  if (p.state == ProgrammeState::kClosed)
    return Status::FailedPrecondition("rnd programme " + p.id +
                                      " is closed: its copies are destroyed (L. 822-2 III)");
  if (p.state == ProgrammeState::kSuspended)
    return Status::FailedPrecondition("rnd programme " + p.id +
                                      " is suspended on a CNCTR recommendation (L. 822-2 III)");
  if (p.state != ProgrammeState::kGranted)
    return Status::FailedPrecondition("rnd programme " + p.id + " is " +
                                      std::string(ProgrammeStateName(p.state)) + ", want granted");
  return p;
}

Result<crypto::SecretBytes> RndCopies::ReadRndContent(const Principal& actor,
                                                      const std::string& copy_id) {
  RETURN_IF_ERROR(AllowRoles(actor, {Role::kRndAgent, Role::kCnctr}, "read R&D data"));
  RETURN_IF_ERROR(vault_.Open());
  ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  Time now = clock_.Now();
  auto rec = tx->Get(kRndCopyKind, copy_id);
  if (!rec.ok()) {
    if (rec.status().code() == Code::kNotFound)
      return Status::NotFound("rnd copy: no copy " + copy_id);
    return rec.status();
  }
  ASSIGN_OR_RETURN(RndCopy c, CopyFromRecord(*rec));
  ASSIGN_OR_RETURN(Programme p, Readable(*tx, actor, c.programme));
  ASSIGN_OR_RETURN(crypto::SecretBytes content, vault_.ReadContentIn(*tx, copy_id));
  RETURN_IF_ERROR(AppendEvent(*tx, clock_, now, {"rnd.item.read", actor.id, c.id}, *rec,
                              {{"programme", p.id}, {"reader", actor.id}})
                      .status());
  RETURN_IF_ERROR(tx->Commit());
  return content;
}

Result<RndCopy> RndCopies::GetCopy(const Principal& actor, const std::string& copy_id) {
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  ASSIGN_OR_RETURN(RndCopy c, LoadCopy(*tx, copy_id));
  RETURN_IF_ERROR(Readable(*tx, actor, c.programme).status());
  return ViewFor(actor, std::move(c));
}

Result<std::vector<RndCopy>> RndCopies::ListCopies(const Principal& actor,
                                                   const std::string& programme_id,
                                                   const Page& page) {
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  RETURN_IF_ERROR(Readable(*tx, actor, programme_id).status());
  store::Filter f;
  f.kind = kRndCopyKind;
  f.group = programme_id;
  f.after_id = page.after_id;
  f.limit = page.limit;
  ASSIGN_OR_RETURN(auto recs, tx->List(f));
  std::vector<RndCopy> out;
  for (const auto& r : recs) {
    ASSIGN_OR_RETURN(RndCopy c, CopyFromRecord(r));
    out.push_back(ViewFor(actor, std::move(c)));
  }
  return out;
}

Result<std::vector<RegisterEntry>> RndCopies::Register(const Principal& actor,
                                                       const std::string& programme_id) {
  ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  RETURN_IF_ERROR(Readable(*tx, actor, programme_id).status());
  store::Filter f;
  f.kind = kRndRegisterKind;
  f.group = programme_id;
  ASSIGN_OR_RETURN(auto recs, tx->List(f));
  std::vector<RegisterEntry> out;
  for (const auto& r : recs) {
    ASSIGN_OR_RETURN(json::object o, ParseObject(r.body, "rnd_register " + r.id));
    JsonFields g(o, "rnd_register " + r.id);
    RegisterEntry e{g.Str("copy"), g.Str("programme"), g.At("collected_at")};
    RETURN_IF_ERROR(g.status());
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace cloison::service
