// service::Vault use cases: ingest through the gate, refusals and bad input,
// reads, sealed items, deadlines moved, holds, the sweep, early destruction,
// roles. The irrecoverability tests are in vault_shred_test.cc.
#include "service/vault.h"

#include <map>

#include "service/codec.h"
#include "service/vault_internal.h"
#include "service/vault_test_util.h"

namespace cloison::service {
namespace {

using VaultTest = VaultFixture;

TEST_F(VaultTest, IngestStoresEncryptedWithDeadlineAndReadsBackWithALedgerEntry) {
  const std::string secret = "intercepted correspondence: meet at the harbour at noon";
  auto out = vault_->Ingest(collector_, Item(secret));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_FALSE(out->refused());
  EXPECT_EQ(out->value.state, "stored");
  // L. 822-2 I 1°: 30 days from collection.
  EXPECT_EQ(FormatTime(out->value.destroy_by), "2025-04-09T12:00:00Z");
  auto ev = LastEvents(1);
  EXPECT_EQ(ev[0].type, "item.ingested");
  EXPECT_NE(ev[0].body.find("\"article\":\"L. 822-2 I 1°\""), std::string::npos);
  EXPECT_EQ(ev[0].body.find("harbour"), std::string::npos);  // never content

  auto meta = vault_->GetItem(gic_, out->value.id);
  ASSERT_TRUE(meta.ok()) << meta.status().ToString();
  EXPECT_EQ(meta->bucket, "L852-1-I/2025-04-09");
  EXPECT_EQ(meta->technique, "L852-1-I");
  EXPECT_EQ(meta->size, secret.size());
  for (const auto& [path, bytes] : Files(instance_.path()))
    EXPECT_EQ(bytes.find("harbour"), std::string::npos) << path;

  int64_t before = Events();
  auto content = vault_->ReadContent(cnctr_, out->value.id);
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  EXPECT_EQ(std::string(content->view().begin(), content->view().end()), secret);
  EXPECT_EQ(Events(), before + 1);
  EXPECT_EQ(LastEvents(1)[0].type, "item.read");
  EXPECT_NE(LastEvents(1)[0].body.find("\"reader\":\"prn_n\""), std::string::npos);
}

TEST_F(VaultTest, EachGateAnswerIsARecordedRefusalAndStoresNothing) {
  std::string suspended =
      PutAuthorisation("L852-1-I", T("2025-03-01T00:00:00Z"), T("2025-03-05T00:00:00Z"));
  struct Case {
    std::string auth;
    std::string kind;
    Time collected;
    std::string rule;
  };
  const Case cases[] = {
      {"aut_unknown", "correspondence", T("2025-03-10T12:00:00Z"), "gate.unknown_authorisation"},
      {suspended, "correspondence", T("2025-03-10T12:00:00Z"), "gate.not_in_force"},
      {auth_, "sound_image", T("2025-03-10T12:00:00Z"), "gate.kind"},
      {auth_, "correspondence", T("2025-03-10T12:36:00Z"), "gate.in_future"},
      {auth_, "correspondence", T("2025-03-01T00:00:00Z") - Duration(1), "gate.not_in_force"},
  };
  for (const Case& c : cases) {
    IngestInput in = Item("x", c.kind, c.collected);
    in.authorisation = c.auth;
    int64_t before = Events();
    auto out = vault_->Ingest(collector_, in);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    ASSERT_TRUE(out->refused()) << c.rule;
    EXPECT_EQ(out->violations[0].rule, c.rule);
    EXPECT_FALSE(out->violations[0].article.empty());
    EXPECT_EQ(Events(), before + 1);
    auto ev = LastEvents(1)[0];
    EXPECT_EQ(ev.type, "item.refused");
    EXPECT_NE(ev.body.find(c.rule), std::string::npos);
  }
  EXPECT_EQ(CountKind("item"), 0);
  EXPECT_EQ(CountKind("bucket"), 0);
  EXPECT_FALSE(std::filesystem::exists(instance_.File("vault")));
  // Within the skew is accepted.
  EXPECT_FALSE(IngestOk("x", T("2025-03-10T12:34:00Z")).empty());
}

TEST_F(VaultTest, AnItemPastItsDeadlineAtIngestIsRefusedCitingItsRetention) {
  clock_.Set(T("2025-04-20T00:00:00Z"));
  auto out = vault_->Ingest(collector_, Item("late", "correspondence", T("2025-03-10T12:00:00Z")));
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE(out->refused());
  EXPECT_EQ(out->violations[0].rule, "retention.expired");
  EXPECT_EQ(out->violations[0].article, "L. 822-2 I 1°");
  EXPECT_EQ(CountKind("item"), 0);
}

TEST_F(VaultTest, BadInputNamesTheFieldAndChangesNothing) {
  int64_t before = Events();
  std::vector<uint8_t> big((1 << 20) + 1, 'a');
  IngestInput in = Item("x");
  in.bytes = big;
  auto r = vault_->Ingest(collector_, in);
  EXPECT_TRUE(IsTooLarge(r.status())) << r.status().ToString();
  EXPECT_NE(r.status().message().find("at most 1048576"), std::string::npos);

  r = vault_->Ingest(collector_, Item("x", "telepathy"));
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("kind: got \"telepathy\""), std::string::npos);

  auto sealed = seal::Seal(central_.public_key, Bytes("sealed content"));
  ASSERT_TRUE(sealed.ok());
  IngestInput s = Item("");
  s.sealed = true;
  std::vector<uint8_t> truncated(sealed->begin(), sealed->begin() + 50);
  s.bytes = truncated;
  r = vault_->Ingest(collector_, s);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("sealed: "), std::string::npos);
  EXPECT_NE(r.status().message().find("truncated"), std::string::npos);

  auto other = seal::GenerateKeyPair();
  auto to_other = seal::Seal(other.public_key, Bytes("sealed content"));
  s.bytes = *to_other;
  r = vault_->Ingest(collector_, s);
  EXPECT_NE(r.status().message().find("sealed: recipient"), std::string::npos);

  std::vector<uint8_t> forged = *sealed;
  forged[0] = 'X';
  s.bytes = forged;
  r = vault_->Ingest(collector_, s);
  EXPECT_NE(r.status().message().find("sealed: header"), std::string::npos);

  // A batch with one bad item stores none of them.
  std::vector<IngestInput> batch = {Item("good"), Item("bad", "nope")};
  auto b = vault_->IngestBatch(collector_, batch);
  EXPECT_NE(b.status().message().find("item 1: kind"), std::string::npos);

  EXPECT_EQ(Events(), before);
  EXPECT_EQ(CountKind("item"), 0);
}

TEST_F(VaultTest, SealedItemStaysSealedUntilTheGicOpensIt) {
  const std::string secret = "deferred centralisation payload";
  auto sealed = seal::Seal(central_.public_key, Bytes(secret));
  ASSERT_TRUE(sealed.ok());
  IngestInput in = Item("");
  in.sealed = true;
  in.bytes = *sealed;
  auto out = vault_->Ingest(collector_, in);
  ASSERT_TRUE(out.ok() && !out->refused()) << out.status().ToString();
  EXPECT_EQ(out->value.state, "sealed");
  auto read = vault_->ReadContent(gic_, out->value.id);
  EXPECT_EQ(read.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(vault_->OpenSealed(cnctr_, out->value.id).status().code(), Code::kPermissionDenied);
  auto opened = vault_->OpenSealed(gic_, out->value.id);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->state, "stored");
  EXPECT_EQ(LastEvents(1)[0].type, "item.unsealed");
  read = vault_->ReadContent(gic_, out->value.id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(std::string(read->view().begin(), read->view().end()), secret);
  for (const auto& [path, bytes] : Files(instance_.path()))
    EXPECT_EQ(bytes.find("payload"), std::string::npos) << path;
}

TEST_F(VaultTest, ForgedSealedBytesFailToOpenAndTheItemIsUnchanged) {
  auto sealed = seal::Seal(central_.public_key, Bytes("payload"));
  std::vector<uint8_t> forged = *sealed;
  forged.back() ^= 1;
  IngestInput in = Item("");
  in.sealed = true;
  in.bytes = forged;
  auto out = vault_->Ingest(collector_, in);
  ASSERT_TRUE(out.ok() && !out->refused());
  int64_t before = Events();
  auto opened = vault_->OpenSealed(gic_, out->value.id);
  EXPECT_EQ(opened.status().code(), Code::kCorruption) << opened.status().ToString();
  EXPECT_EQ(Events(), before);
  EXPECT_EQ(vault_->GetItem(gic_, out->value.id)->state, "sealed");
}

TEST_F(VaultTest, DecryptionMovesTheDeadlineOfEncryptedDataCappedAtSixYears) {
  std::string plain = IngestOk("plain", T("2025-03-10T12:00:00Z"));
  IngestInput in = Item("ciphertext blob");
  in.encrypted = true;
  auto out = vault_->Ingest(collector_, in);
  ASSERT_TRUE(out.ok() && !out->refused());
  // L. 822-2 I: not decrypted yet, 6 years from collection.
  EXPECT_EQ(FormatTime(out->value.destroy_by), "2031-03-10T12:00:00Z");
  clock_.Set(T("2026-01-10T00:00:00Z"));
  auto m = vault_->RecordDecryption(gic_, out->value.id, T("2026-01-05T00:00:00Z"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(FormatTime(m->deadline.destroy_by), "2026-02-04T00:00:00Z");
  EXPECT_EQ(m->bucket, "L852-1-I/2026-02-04");
  EXPECT_EQ(LastEvents(1)[0].type, "item.decrypted");
  auto c = vault_->ReadContent(gic_, out->value.id);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(std::string(c->view().begin(), c->view().end()), "ciphertext blob");
  // Not encrypted data: refused, unchanged.
  clock_.Set(T("2025-03-11T00:00:00Z"));
  EXPECT_EQ(vault_->RecordDecryption(gic_, plain, T("2025-03-10T13:00:00Z")).status().code(),
            Code::kFailedPrecondition);
  // Technical analysis: explicit end, justification required.
  EXPECT_EQ(vault_->TechnicalAnalysis(gic_, plain, "", T("2027-01-01T00:00:00Z")).status().code(),
            Code::kInvalidArgument);
  auto ta = vault_->TechnicalAnalysis(gic_, plain, "attack indicators", T("2027-01-01T00:00:00Z"));
  ASSERT_TRUE(ta.ok()) << ta.status().ToString();
  EXPECT_EQ(ta->deadline.rule, "retention.technical_analysis");
  EXPECT_EQ(ta->bucket, "L852-1-I/2027-01-01");
  EXPECT_EQ(LastEvents(1)[0].body.find("attack indicators"), std::string::npos);
}

TEST_F(VaultTest, SweepDestroysExactlyTheDueBucketsAndIsIdempotent) {
  std::vector<std::string> early, late;
  for (int i = 0; i < 7; ++i) early.push_back(IngestOk("early " + std::to_string(i)));
  std::string connection =
      PutAuthorisation("L851-1", T("2025-03-01T00:00:00Z"), T("2025-07-01T00:00:00Z"));
  auth_ = connection;
  for (int i = 0; i < 2; ++i)
    late.push_back(
        IngestOk("late " + std::to_string(i), T("2025-03-10T12:00:00Z"), "connection_data"));
  // The day before the bucket's day: nothing is due.
  clock_.Set(T("2025-04-08T23:59:59Z"));
  auto s = vault_->Sweep(gic_);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->items, 0);
  // The bucket's day has started (deadline 12:00 that day): all 7 go, in
  // batches of 3, and the 4-year bucket stays.
  clock_.Set(T("2025-04-09T00:00:00Z"));
  s = vault_->Sweep(gic_);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->items, 7);
  EXPECT_EQ(s->buckets, 1);
  EXPECT_EQ(s->root_epoch, 2u);
  EXPECT_FALSE(std::filesystem::exists(instance_.File("vault/L852-1-I/2025-04-09.seg")));
  for (const auto& id : early) {
    auto g = vault_->GetItem(gic_, id);
    EXPECT_TRUE(IsDestroyed(g.status())) << g.status().ToString();
    EXPECT_TRUE(IsDestroyed(vault_->ReadContent(cnctr_, id).status()));
  }
  for (const auto& id : late) {
    auto c = vault_->ReadContent(gic_, id);
    ASSERT_TRUE(c.ok()) << c.status().ToString();  // re-wrapped under the new root
  }
  auto d = vault_->ListDestructions(cnctr_, T("2025-04-01T00:00:00Z"));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->size(), 7u);
  EXPECT_EQ((*d)[0].reason, "retention");
  EXPECT_EQ((*d)[0].article, "L. 822-2 I 1°");
  EXPECT_EQ((*d)[0].method, "crypto-erase: bucket key destroyed");
  EXPECT_EQ((*d)[0].root_epoch, 1u);
  EXPECT_FALSE((*d)[0].late);
  auto tx = std::move(store_->BeginRead()).value();
  auto ev = tx->Events((*d)[0].ledger_index, 1);
  ASSERT_EQ(ev->size(), 1u);
  // The sweep logs its destructions by chunks of a bucket: the event lists
  // the item (VaultTest.ASweepOfManyItemsIsLoggedInBoundedChunks).
  EXPECT_EQ((*ev)[0].type, "items.destroyed");
  EXPECT_NE((*ev)[0].body.find("\"item\":\"" + (*d)[0].item + "\""), std::string::npos);
  EXPECT_EQ(vault_->ListDestructions(cnctr_, T("2025-04-10T00:00:00Z"))->size(), 0u);
  // Run again: nothing more.
  int64_t events = Events();
  s = vault_->Sweep();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->items, 0);
  EXPECT_EQ(Events(), events);
}

// An id generator that hands out one id twice, as a time-ordered one may
// after a restart with the clock set back (base/id.h).
class RepeatingIds final : public IdGenerator {
 public:
  std::string Next(std::string_view prefix) override {
    if (calls_++ == 1) return last_;  // the second call repeats the first
    return last_ = next_.Next(prefix);
  }

 private:
  SequentialIdGenerator next_;
  std::string last_;
  int calls_ = 0;
};

// A new item never takes an id some record has: Put would replace that
// record. The vault draws again (FreshId), and both items stay readable.
TEST_F(VaultTest, ANewItemNeverReusesAnId) {
  RepeatingIds ids;
  Vault v(*store_, book_, clock_, ids, *keys_, instance_.path());
  ASSERT_TRUE(v.Open().ok());
  auto first = v.Ingest(collector_, Item("first"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = v.Ingest(collector_, Item("second"));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_FALSE(first->refused());
  ASSERT_FALSE(second->refused());
  EXPECT_NE(first->value.id, second->value.id);
  auto a = v.ReadContent(cnctr_, first->value.id);
  auto b = v.ReadContent(cnctr_, second->value.id);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(std::string(a->view().begin(), a->view().end()), "first");
  EXPECT_EQ(std::string(b->view().begin(), b->view().end()), "second");
}

// One bucket of 300 items swept in one transaction: its destructions go
// to the ledger as items.destroyed events of at most 128 items each, every
// item in exactly one, every event within a ledger entry; the register
// reads each item's destruction record back from its event.
TEST_F(VaultTest, ASweepOfManyItemsIsLoggedInBoundedChunks) {
  VaultOptions o;
  o.max_item_size = 1 << 20;
  o.sweep_batch = 1000;
  Vault big(*store_, book_, clock_, ids_, *keys_, instance_.path(), o);
  ASSERT_TRUE(big.Open().ok());
  std::vector<IngestInput> inputs;
  for (int i = 0; i < 300; ++i) inputs.push_back(Item("item " + std::to_string(i)));
  auto in = big.IngestBatch(collector_, inputs);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  std::map<std::string, Time> deadline;
  for (const auto& out : *in) {
    ASSERT_FALSE(out.refused());
    deadline[out.value.id] = out.value.destroy_by;
  }
  ASSERT_EQ(deadline.size(), 300u);
  const int64_t before = Events();
  clock_.Set(T("2025-04-09T00:00:00Z"));
  auto s = big.Sweep(gic_);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->items, 300);
  std::map<std::string, int> listed;
  std::vector<size_t> chunks;
  {
    auto tx = std::move(store_->BeginRead()).value();
    auto events = tx->Events(before, Events() - before);
    ASSERT_TRUE(events.ok());
    for (const auto& e : *events) {
      if (e.type != "items.destroyed") continue;
      EXPECT_LE(e.body.size(), store::kMaxEventBody);
      // Written entry by entry, yet canonical as every event (event.md).
      EXPECT_EQ(Canonical(boost::json::parse(e.body)), e.body);
      auto body = boost::json::parse(e.body).as_object();
      const auto& data = body.at("data").as_object();
      EXPECT_EQ(data.at("reason"), "retention");
      EXPECT_EQ(data.at("bucket"), "L852-1-I/2025-04-09");
      const auto& items = data.at("items").as_array();
      EXPECT_EQ(data.at("count").as_int64(), static_cast<int64_t>(items.size()));
      chunks.push_back(items.size());
      for (const auto& item : items) ++listed[std::string(item.at("item").as_string())];
    }
  }
  // At most 128 items an event, fewer when the entries' size bound would
  // pass the event's budget: three events at least.
  EXPECT_GE(chunks.size(), 3u);
  size_t total = 0;
  for (size_t c : chunks) {
    EXPECT_LE(c, 128u);
    total += c;
  }
  EXPECT_EQ(total, 300u);
  ASSERT_EQ(listed.size(), 300u);
  for (const auto& [id, n] : listed) {
    EXPECT_EQ(n, 1) << id;
    EXPECT_EQ(deadline.count(id), 1u) << id;
  }
  Page page;
  page.limit = 1000;
  auto d = big.ListDestructions(cnctr_, T("2025-04-01T00:00:00Z"), page);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->size(), 300u);
  auto tx = std::move(store_->BeginRead()).value();
  for (const Destruction& x : *d) {
    ASSERT_EQ(deadline.count(x.item), 1u) << x.item;
    EXPECT_EQ(x.destroy_by, deadline[x.item]);
    EXPECT_EQ(x.kind, "correspondence");
    EXPECT_EQ(x.article, "L. 822-2 I 1°");
    EXPECT_EQ(x.collected_at, T("2025-03-10T12:00:00Z"));
    EXPECT_EQ(x.destroyed_at, T("2025-04-09T00:00:00Z"));
    EXPECT_EQ(x.method, "crypto-erase: bucket key destroyed");
    EXPECT_EQ(x.actor, "system");
    EXPECT_FALSE(x.late);
    auto ev = tx->Events(x.ledger_index, 1);
    ASSERT_TRUE(ev.ok() && ev->size() == 1u);
    EXPECT_EQ((*ev)[0].type, "items.destroyed");
    EXPECT_NE((*ev)[0].body.find("\"item\":\"" + x.item + "\""), std::string::npos);
    EXPECT_TRUE(IsDestroyed(big.GetItem(gic_, x.item).status()));
  }
}

TEST_F(VaultTest, AHoldSuspendsDestructionAndNothingElseDoes) {
  std::string held = IngestOk("held item");
  std::string free_item = IngestOk("free item");
  // Reading, decryption records, technical analysis refusals: none suspends.
  ASSERT_TRUE(vault_->ReadContent(gic_, free_item).ok());
  auto h = vault_->PlaceHold(pm_, "CE 123456", {held});
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(vault_->GetItem(gic_, held)->state, "held");
  EXPECT_EQ(vault_->GetItem(gic_, held)->bucket, "hold-" + h->id + "/2025-03-10");
  EXPECT_EQ(vault_->MarkUnrelated(gic_, held).status().code(), Code::kFailedPrecondition);
  clock_.Set(T("2025-06-01T00:00:00Z"));
  auto s = vault_->Sweep();
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->items, 1);
  EXPECT_TRUE(IsDestroyed(vault_->GetItem(gic_, free_item).status()));
  auto c = vault_->ReadContent(gic_, held);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  // Released past its deadline: back to its bucket, destroyed by the next sweep.
  auto r = vault_->ReleaseHold(pm_, h->id);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->state, "released");
  EXPECT_EQ(vault_->GetItem(gic_, held)->bucket, "L852-1-I/2025-04-09");
  EXPECT_EQ(vault_->ReleaseHold(pm_, h->id).status().code(), Code::kFailedPrecondition);
  s = vault_->Sweep();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->items, 1);
  auto d = vault_->ListDestructions(gic_, T("2025-01-01T00:00:00Z"));
  ASSERT_EQ(d->size(), 2u);
  for (const auto& x : *d) {
    if (x.item == held) {
      EXPECT_TRUE(x.late);  // kept past its deadline under the hold
    }
  }
}

TEST_F(VaultTest, UnrelatedAndRecommendedDestructionsAreImmediate) {
  std::string a = IngestOk("unrelated one");
  std::string b = IngestOk("recommended one");
  std::string keep = IngestOk("kept");
  auto d = vault_->MarkUnrelated(gic_, a);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->reason, "unrelated");
  EXPECT_EQ(d->method, "crypto-erase: wrapped data key overwritten");
  EXPECT_TRUE(IsDestroyed(vault_->ReadContent(gic_, a).status()));
  EXPECT_EQ(vault_->DestroyOnRecommendation(gic_, b, "").status().code(), Code::kInvalidArgument);
  auto r = vault_->DestroyOnRecommendation(pm_, b, "rec_0001");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->article, "L. 833-6");
  EXPECT_EQ(r->recommendation, "rec_0001");
  EXPECT_TRUE(IsDestroyed(vault_->MarkUnrelated(gic_, a).status()));
  EXPECT_EQ(vault_->MarkUnrelated(gic_, "itm_nope").status().code(), Code::kNotFound);
  ASSERT_TRUE(vault_->ReadContent(gic_, keep).ok());  // same bucket, untouched
}

// Records written before store schema 3 are converted once when the vault
// opens: a destruction record of its own kind (the item record deleted)
// becomes the item's tombstone, so it still answers "destroyed" and stays in
// the register; a live item whose record carried its deadline as its end
// (which now reads as "destroyed") is rewritten and stays readable.
TEST_F(VaultTest, OldDestructionRecordsAreConvertedAtOpen) {
  std::string a = IngestOk("destroyed under the old format");
  std::string live = IngestOk("still live, stored under the old format");
  ASSERT_TRUE(vault_->MarkUnrelated(gic_, a).ok());
  {
    auto tx = std::move(store_->BeginWrite()).value();
    // A live item of the old shape: its deadline as its end, its state,
    // technique and collection time copied into the indexed columns.
    store::Record l = *tx->Get("item", live);
    ASSERT_EQ(l.ends_at, 0);
    l.ends_at = ToMicros(T("2025-04-10T00:00:00Z"));
    l.state = "stored";
    l.technique = "L852-1-I";
    l.starts_at = ToMicros(T("2025-03-10T12:00:00Z"));
    ASSERT_TRUE(tx->Put(l).ok());
    ASSERT_TRUE(tx->SetMeta("vault.records_format", "2").ok());
    store::Record r = *tx->Get("item", a);
    ASSERT_NE(r.ends_at, 0);
    store::Record old = r;
    old.kind = "destruction";
    old.state = "unrelated";
    ASSERT_TRUE(tx->Delete("item", a).ok());
    ASSERT_TRUE(tx->Put(old).ok());
    store::Event e{.type = "test.old_format", .body = "{}"};
    ASSERT_TRUE(tx->Append(e).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(vault_->GetItem(gic_, a).status().code(), Code::kNotFound);  // unseen by this build
  EXPECT_TRUE(IsDestroyed(vault_->GetItem(gic_, live).status()));        // misread as destroyed
  auto reopen = [&] {
    VaultOptions o = vault_->options();
    vault_ = std::make_unique<Vault>(*store_, book_, clock_, ids_, *keys_, instance_.path(), o);
    ASSERT_TRUE(vault_->Open().ok());
  };
  reopen();
  EXPECT_EQ(LastEvents(1)[0].type, "vault.records_converted");
  EXPECT_TRUE(IsDestroyed(vault_->GetItem(gic_, a).status()));
  auto kept = vault_->ReadContent(gic_, live);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(std::string(kept->view().begin(), kept->view().end()),
            "still live, stored under the old format");
  EXPECT_EQ(CountKind("destruction"), 0);
  auto d = vault_->ListDestructions(cnctr_, T("2025-01-01T00:00:00Z"));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->size(), 1u);
  EXPECT_EQ((*d)[0].item, a);
  EXPECT_EQ((*d)[0].reason, "unrelated");
  int64_t events = Events();
  reopen();  // nothing left to convert: no event
  EXPECT_EQ(Events(), events);
}

// Item records are written positionally (a JSON array; vault.md); a live
// item written before, as a named JSON object, is still read, read out and
// swept on time.
TEST_F(VaultTest, ItemRecordsOfTheNamedFormStillReadAndSweep) {
  std::string id = IngestOk("stored under the named format");
  {
    auto tx = std::move(store_->BeginWrite()).value();
    store::Record r = *tx->Get("item", id);
    ASSERT_EQ(r.body.front(), '[');
    auto m = ItemFromRecord(r);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    boost::json::array holds;
    for (const auto& h : m->holds) holds.push_back(boost::json::value(h));
    auto opt = [](const std::optional<Time>& t) -> boost::json::value {
      return t ? boost::json::value(ToMicros(*t)) : boost::json::value(nullptr);
    };
    boost::json::object named{{"id", m->id},
                              {"authorisation", m->authorisation},
                              {"technique", m->technique},
                              {"service", m->service},
                              {"minister", m->minister},
                              {"kind", rules::ItemKindName(m->kind)},
                              {"target", m->target},
                              {"collected_at", ToMicros(m->collected_at)},
                              {"ingested_at", ToMicros(m->ingested_at)},
                              {"state", m->state},
                              {"arrived_sealed", m->arrived_sealed},
                              {"encrypted", m->encrypted},
                              {"decrypted_at", opt(m->decrypted_at)},
                              {"destroy_by", ToMicros(m->deadline.destroy_by)},
                              {"rule", m->deadline.rule},
                              {"article", m->deadline.article},
                              {"analysis_until", opt(m->analysis_until)},
                              {"holds", holds},
                              {"size", static_cast<int64_t>(m->size)},
                              {"envelope_sha256", m->envelope_sha256},
                              {"compartment", m->compartment},
                              {"bucket", m->bucket},
                              {"offset", static_cast<int64_t>(m->offset)},
                              {"length", static_cast<int64_t>(m->length)},
                              {"header_length", static_cast<int64_t>(m->header_length)}};
    r.body = boost::json::serialize(named);
    ASSERT_TRUE(tx->Put(r).ok());
    store::Event e{.type = "test.named_format", .body = "{}"};
    ASSERT_TRUE(tx->Append(e).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto got = vault_->GetItem(gic_, id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->kind, rules::ItemKind::kCorrespondence);
  EXPECT_EQ(got->bucket, "L852-1-I/2025-04-09");
  auto c = vault_->ReadContent(gic_, id);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(std::string(c->view().begin(), c->view().end()), "stored under the named format");
  clock_.Set(T("2025-04-09T00:00:00Z"));
  auto s = vault_->Sweep(gic_);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->items, 1);
  EXPECT_TRUE(IsDestroyed(vault_->GetItem(gic_, id).status()));
}

// A positional record that does not match its layout is Corruption naming
// the item, never a crash or a misread.
TEST_F(VaultTest, AMalformedItemRecordIsCorruptionNamingIt) {
  std::string id = IngestOk("x");
  auto tx = std::move(store_->BeginRead()).value();
  store::Record r = *tx->Get("item", id);
  for (std::string bad : {std::string("[1]"), std::string("[2") + r.body.substr(2),
                          std::string("[1,") + r.body.substr(3, r.body.size() - 4) + ",0]",
                          std::string("[\"1\"") + r.body.substr(2), std::string("not json")}) {
    store::Record b = r;
    b.body = bad;
    auto m = ItemFromRecord(b);
    EXPECT_EQ(m.status().code(), Code::kCorruption) << bad;
    EXPECT_NE(m.status().message().find(id), std::string::npos) << m.status().ToString();
  }
  store::Record b = r;
  size_t sha = b.body.find(",\"stored\",");
  ASSERT_NE(sha, std::string::npos);
  b.body.replace(sha, 10, ",7,");  // the state as a number
  auto m = ItemFromRecord(b);
  EXPECT_EQ(m.status().code(), Code::kCorruption);
  EXPECT_NE(m.status().message().find("state"), std::string::npos) << m.status().ToString();
}

TEST_F(VaultTest, SatelliteUnrelatedCitesL852_3) {
  auth_ = PutAuthorisation("L852-3", T("2025-03-01T00:00:00Z"), T("2025-03-31T00:00:00Z"));
  std::string a = IngestOk("sat");
  auto d = vault_->MarkUnrelated(gic_, a);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->rule, "retention.unrelated");
  EXPECT_EQ(d->article, "L. 852-3");
}

TEST_F(VaultTest, WrongRolesAreDeniedAndChangeNothing) {
  std::string id = IngestOk("x");
  int64_t before = Events();
  for (const Principal* p : {&gic_, &cnctr_, &pm_, &admin_})
    EXPECT_EQ(vault_->Ingest(*p, Item("y")).status().code(), Code::kPermissionDenied);
  for (const Principal* p : {&collector_, &pm_, &admin_}) {
    EXPECT_EQ(vault_->GetItem(*p, id).status().code(), Code::kPermissionDenied);
    EXPECT_EQ(vault_->ReadContent(*p, id).status().code(), Code::kPermissionDenied);
    EXPECT_EQ(vault_->ListDestructions(*p, {}).status().code(), Code::kPermissionDenied);
  }
  for (const Principal* p : {&collector_, &cnctr_, &pm_, &admin_}) {
    EXPECT_EQ(vault_->MarkUnrelated(*p, id).status().code(), Code::kPermissionDenied);
    EXPECT_EQ(vault_->Sweep(*p).status().code(), Code::kPermissionDenied);
    EXPECT_EQ(vault_->RecordDecryption(*p, id, T("2025-03-10T12:10:00Z")).status().code(),
              Code::kPermissionDenied);
  }
  for (const Principal* p : {&collector_, &cnctr_, &gic_, &admin_}) {
    EXPECT_EQ(vault_->PlaceHold(*p, "CE 1", {id}).status().code(), Code::kPermissionDenied);
    EXPECT_EQ(vault_->ReleaseHold(*p, "hld_x").status().code(), Code::kPermissionDenied);
  }
  EXPECT_EQ(vault_->DestroyOnRecommendation(cnctr_, id, "rec_1").status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(Events(), before);
}

}  // namespace
}  // namespace cloison::service
