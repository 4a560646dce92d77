// Conformance cases on records, events, filters and metadata.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "store/testing/conformance_internal.h"

namespace cloison::store::testing::internal {

Status EmptyStore(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  CONF_EXPECT(!store->Backend().empty(), "Backend() must name the backend");
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  CONF_EXPECT_EQ(*rx->EventCount(), int64_t{0});
  CONF_ASSIGN_OR_FAIL(auto events, rx->Events(0, 10));
  CONF_EXPECT_EQ(events.size(), size_t{0});
  CONF_EXPECT_CODE(rx->Get("request", "nope"), Code::kNotFound);
  CONF_ASSIGN_OR_FAIL(auto list, rx->List(Kind("request")));
  CONF_EXPECT_EQ(list.size(), size_t{0});
  CONF_EXPECT_EQ(*rx->Count(Kind("request")), int64_t{0});
  CONF_EXPECT_CODE(rx->GetMeta("conformance.absent"), Code::kNotFound);
  return Status::Ok();
}

Status PutThenGetRoundTrips(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  Record full;
  full.kind = "authorisation";
  full.id = "aut_0000000000000001";
  full.state = "Approved";
  full.technique = "L851-2";
  full.minister = "interior";
  full.service = "dgsi";
  full.starts_at = -62135596800000000;  // year 1, negative
  full.ends_at = INT64_MAX;
  full.group = "L851-2/2026-12-01";
  full.body = std::string("\0\x01\xff\xfe binary \0 body", 18);
  Record big = Rec("item", "big", "held", std::string(1 << 20, 'x'));
  big.body[12345] = '\0';
  Record empty_body = Rec("item", "empty", "", "");
  Record unicode = Rec("principal", "u\xc3\xa9", "\xc3\xa9tat", "caf\xc3\xa9");
  CONF_EXPECT_OK(PutAll(*store, {full, big, empty_body, unicode}));
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  for (const Record& want : {full, big, empty_body, unicode}) {
    CONF_ASSIGN_OR_FAIL(Record got, rx->Get(want.kind, want.id));
    CONF_EXPECT_EQ(got, want);
  }
  CONF_ASSIGN_OR_FAIL(auto listed, rx->List(Kind("authorisation")));
  CONF_EXPECT_EQ(listed.size(), size_t{1});
  CONF_EXPECT_EQ(listed[0], full);
  return Status::Ok();
}

Status PutReplacesSameKindAndId(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  Record first = Rec("request", "r1", "draft", "v1");
  first.technique = "t1";
  first.ends_at = 5;
  Record second = Rec("request", "r1", "submitted", "v2");  // every field changes
  second.minister = "defence";
  Record other_kind = Rec("quota", "r1", "", "q");  // same id, other kind: distinct
  CONF_EXPECT_OK(PutAll(*store, {first, other_kind}));
  CONF_EXPECT_OK(PutAll(*store, {second}));
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  CONF_ASSIGN_OR_FAIL(Record got, rx->Get("request", "r1"));
  CONF_EXPECT_EQ(got, second);
  CONF_ASSIGN_OR_FAIL(Record got_other, rx->Get("quota", "r1"));
  CONF_EXPECT_EQ(got_other, other_kind);
  CONF_EXPECT_EQ(*rx->Count(Kind("request")), int64_t{1});
  // Replaced within one transaction too.
  CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  CONF_EXPECT_OK(tx->Put(Rec("request", "r2", "a")));
  CONF_EXPECT_OK(tx->Put(Rec("request", "r2", "b")));
  CONF_EXPECT_OK(tx->Append(Ev("test", "x")));
  CONF_EXPECT_OK(tx->Commit());
  CONF_ASSIGN_OR_FAIL(auto rx2, store->BeginRead());
  CONF_EXPECT_EQ(rx2->Get("request", "r2")->state, std::string("b"));
  CONF_EXPECT_EQ(*rx2->Count(Kind("request")), int64_t{2});
  return Status::Ok();
}

Status PutRejectsEmptyKindOrId(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  CONF_EXPECT_CODE(tx->Put(Rec("", "r1")), Code::kInvalidArgument);
  CONF_EXPECT_CODE(tx->Put(Rec("request", "")), Code::kInvalidArgument);
  // A refused argument does not spoil the transaction.
  CONF_EXPECT_OK(tx->Put(Rec("request", "r1")));
  CONF_EXPECT_OK(tx->Append(Ev("test", "x")));
  CONF_EXPECT_OK(tx->Commit());
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  CONF_EXPECT_OK(rx->Get("request", "r1"));
  return Status::Ok();
}

Status EventsAreGaplessInCommitOrder(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  std::vector<Event> want;
  for (int t = 0; t < 5; ++t) {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    for (int i = 0; i <= t; ++i) {
      Event e = Ev("test.e" + std::to_string(t), std::string("\0body", 5) + std::to_string(i));
      e.index = 999;  // ignored: Append assigns the index
      CONF_ASSIGN_OR_FAIL(int64_t idx, tx->Append(e));
      CONF_EXPECT_EQ(idx, static_cast<int64_t>(want.size()));
      e.index = idx;
      want.push_back(e);
    }
    CONF_EXPECT_OK(tx->Commit());
  }
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  const int64_t n = static_cast<int64_t>(want.size());  // 15
  CONF_EXPECT_EQ(*rx->EventCount(), n);
  CONF_ASSIGN_OR_FAIL(auto all, rx->Events(0, 1000));
  CONF_EXPECT_EQ(all, want);
  CONF_ASSIGN_OR_FAIL(auto middle, rx->Events(3, 4));
  CONF_EXPECT_EQ(middle, std::vector<Event>(want.begin() + 3, want.begin() + 7));
  CONF_ASSIGN_OR_FAIL(auto tail, rx->Events(n - 2, 10));
  CONF_EXPECT_EQ(tail, std::vector<Event>(want.end() - 2, want.end()));
  CONF_ASSIGN_OR_FAIL(auto beyond, rx->Events(n, 10));
  CONF_EXPECT_EQ(beyond.size(), size_t{0});
  CONF_ASSIGN_OR_FAIL(auto none, rx->Events(0, 0));
  CONF_EXPECT_EQ(none.size(), size_t{0});
  CONF_ASSIGN_OR_FAIL(auto huge, rx->Events(n - 1, INT64_MAX));
  CONF_EXPECT_EQ(huge.size(), size_t{1});
  return Status::Ok();
}

Status AppendRejectsEmptyBodyOrType(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  CONF_EXPECT_CODE(tx->Append(Ev("test", "")), Code::kInvalidArgument);
  CONF_EXPECT_CODE(tx->Append(Ev("", "body")), Code::kInvalidArgument);
  CONF_EXPECT_CODE(tx->Append(Ev("test", std::string(kMaxEventBody + 1, 'x'))),
                   Code::kInvalidArgument);
  // The refusals used no index and did not spoil the transaction.
  CONF_EXPECT_EQ(*tx->Append(Ev("test", "ok")), int64_t{0});
  CONF_EXPECT_EQ(*tx->Append(Ev("test", std::string(kMaxEventBody, 'x'))), int64_t{1});
  CONF_EXPECT_OK(tx->Commit());
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  CONF_EXPECT_EQ(*rx->EventCount(), int64_t{2});
  return Status::Ok();
}

Status RangesAndFiltersAreValidated(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  CONF_EXPECT_CODE(rx->Events(-1, 1), Code::kInvalidArgument);
  CONF_EXPECT_CODE(rx->Events(0, -1), Code::kInvalidArgument);
  Filter no_kind;
  no_kind.states = {"draft"};
  auto listed = rx->List(no_kind);
  CONF_EXPECT_CODE(listed, Code::kInvalidArgument);
  CONF_EXPECT(listed.status().message().find("kind") != std::string::npos,
              "the message must name `kind`: " + listed.status().message());
  CONF_EXPECT_CODE(rx->Count(no_kind), Code::kInvalidArgument);
  Filter negative = Kind("request");
  negative.limit = -1;
  CONF_EXPECT_CODE(rx->List(negative), Code::kInvalidArgument);
  CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
  CONF_EXPECT_CODE(tx->List(no_kind), Code::kInvalidArgument);
  CONF_EXPECT_CODE(tx->SetMeta("", "v"), Code::kInvalidArgument);
  CONF_EXPECT_OK(tx->Commit());  // refusals do not spoil a write transaction
  return Status::Ok();
}

Status FiltersCombineWithAnd(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  auto rec = [](std::string id, std::string state, std::string technique, std::string minister,
                std::string service, int64_t ends_at) {
    Record r = Rec("authorisation", std::move(id), std::move(state));
    r.technique = std::move(technique);
    r.minister = std::move(minister);
    r.service = std::move(service);
    r.ends_at = ends_at;
    return r;
  };
  std::vector<Record> all = {
      rec("a1", "Approved", "L851-2", "interior", "dgsi", 100),
      rec("a2", "Approved", "L851-2", "defence", "dgse", 200),
      rec("a3", "Expired", "L851-2", "interior", "dgsi", 50),
      rec("a4", "AwaitingApproval", "L852-1", "interior", "dgsi", 300),
      rec("a5", "Approved", "L852-1", "interior", "dnrd", 0),
      rec("a6", "", "", "", "", 0),
  };
  all[1].group = "g1";
  all[3].group = "g1";
  all[4].group = "g2";
  Record other = Rec("request", "a1", "Approved");  // same fields, other kind
  other.technique = "L851-2";
  other.group = "g1";
  std::vector<Record> seed = all;
  seed.push_back(other);
  CONF_EXPECT_OK(PutAll(*store, seed));

  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  struct Want {
    Filter filter;
    std::string ids;
  };
  std::vector<Want> wants;
  auto add = [&wants](Filter f, std::string ids) {
    wants.push_back({std::move(f), std::move(ids)});
  };
  Filter f = Kind("authorisation");
  add(f, "[a1, a2, a3, a4, a5, a6]");
  f.states = {"Approved"};
  add(f, "[a1, a2, a5]");
  f.states = {"Approved", "AwaitingApproval"};
  add(f, "[a1, a2, a4, a5]");
  f.states = {""};  // records without a state
  add(f, "[a6]");
  f.states = {"NoSuchState"};
  add(f, "[]");
  f = Kind("authorisation");
  f.technique = "L851-2";
  add(f, "[a1, a2, a3]");
  f.minister = "interior";
  add(f, "[a1, a3]");
  f.states = {"Approved"};
  add(f, "[a1]");
  f = Kind("authorisation");
  f.service = "dgsi";
  add(f, "[a1, a3, a4]");
  f = Kind("authorisation");
  f.ends_after = 100;  // strictly after
  add(f, "[a2, a4]");
  f.ends_after = -1;
  add(f, "[a1, a2, a3, a4, a5, a6]");
  f = Kind("authorisation");
  f.states = {"Approved"};
  f.technique = "L852-1";
  f.minister = "interior";
  f.service = "dnrd";
  f.ends_after = -1;
  add(f, "[a5]");
  f = Kind("authorisation");
  f.ends_before = 100;  // 0 < ends_at <= value: records with no end never match
  add(f, "[a1, a3]");
  f.ends_before = 0;
  add(f, "[]");
  f.ends_after = 50;
  f.ends_before = 300;
  add(f, "[a1, a2, a4]");
  f = Kind("authorisation");
  f.group = "g1";
  add(f, "[a2, a4]");
  f.ends_before = 250;
  add(f, "[a2]");
  f.group = "g";  // a group is matched whole, not as a prefix
  f.ends_before.reset();
  add(f, "[]");
  f = Kind("request");
  add(f, "[a1]");
  f = Kind("nothing");
  add(f, "[]");
  for (const Want& w : wants) {
    CONF_ASSIGN_OR_FAIL(auto listed, rx->List(w.filter));
    CONF_EXPECT_EQ(Ids(listed), w.ids);
    CONF_ASSIGN_OR_FAIL(int64_t count, rx->Count(w.filter));
    CONF_EXPECT_EQ(count, static_cast<int64_t>(listed.size()));
    for (const Record& r : listed) CONF_EXPECT_EQ(r, *rx->Get(r.kind, r.id));
  }
  return Status::Ok();
}

Status ListIsOrderedAndPaginates(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  // Inserted out of order, in two transactions.
  std::vector<std::string> ids = {"m", "b", "z", "a", "k", "c", "y", "d", "x", "e", "l"};
  std::vector<Record> first, second;
  for (size_t i = 0; i < ids.size(); ++i) {
    (i % 2 ? first : second).push_back(Rec("item", ids[i], i % 3 ? "held" : "destroyed"));
  }
  CONF_EXPECT_OK(PutAll(*store, first));
  CONF_EXPECT_OK(PutAll(*store, second));
  std::sort(ids.begin(), ids.end());
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  CONF_ASSIGN_OR_FAIL(auto listed, rx->List(Kind("item")));
  std::vector<std::string> got;
  for (const Record& r : listed) got.push_back(r.id);
  CONF_EXPECT_EQ(got, ids);
  // Walk pages of 3 with after_id; every page but the last is full.
  for (int limit : {1, 3, 4, 11, 50}) {
    Filter page = Kind("item");
    page.limit = limit;
    std::vector<std::string> walked;
    for (int pages = 0;; ++pages) {
      CONF_EXPECT(pages <= 12, "pagination does not terminate");
      CONF_ASSIGN_OR_FAIL(auto batch, rx->List(page));
      CONF_EXPECT(batch.size() <= static_cast<size_t>(limit), "page larger than limit");
      CONF_EXPECT_EQ(*rx->Count(page), static_cast<int64_t>(batch.size()));
      for (const Record& r : batch) walked.push_back(r.id);
      if (batch.size() < static_cast<size_t>(limit)) break;
      page.after_id = batch.back().id;
    }
    CONF_EXPECT_EQ(walked, ids);
  }
  // after_id is strict and need not exist.
  Filter after = Kind("item");
  after.after_id = "k";
  CONF_EXPECT_EQ(Ids(*rx->List(after)), std::string("[l, m, x, y, z]"));
  after.after_id = "kk";
  CONF_EXPECT_EQ(Ids(*rx->List(after)), std::string("[l, m, x, y, z]"));
  after.after_id = "zz";
  CONF_EXPECT_EQ(Ids(*rx->List(after)), std::string("[]"));
  // Pagination combines with the other filters.
  after = Kind("item");
  after.states = {"held"};
  after.after_id = "c";
  after.limit = 2;
  Filter held = Kind("item");
  held.states = {"held"};
  CONF_ASSIGN_OR_FAIL(auto all_held, rx->List(held));
  std::vector<std::string> want;
  for (const Record& r : all_held) {
    if (r.id > "c" && want.size() < 2) want.push_back(r.id);
  }
  CONF_ASSIGN_OR_FAIL(auto page, rx->List(after));
  std::vector<std::string> got_held;
  for (const Record& r : page) got_held.push_back(r.id);
  CONF_EXPECT_EQ(got_held, want);
  return Status::Ok();
}

Status MetaIsTransactional(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    CONF_EXPECT_OK(tx->SetMeta("conformance.origin", "cloison.example/log"));
    CONF_EXPECT_OK(tx->SetMeta("conformance.empty", ""));
    CONF_EXPECT_OK(tx->Commit());
  }
  {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    CONF_EXPECT_OK(tx->SetMeta("conformance.origin", "replaced"));
    CONF_EXPECT_EQ(*tx->GetMeta("conformance.origin"), std::string("replaced"));
  }  // rolled back
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  CONF_EXPECT_EQ(*rx->GetMeta("conformance.origin"), std::string("cloison.example/log"));
  CONF_EXPECT_EQ(*rx->GetMeta("conformance.empty"), std::string(""));
  CONF_EXPECT_CODE(rx->GetMeta("conformance.absent"), Code::kNotFound);
  rx.reset();
  {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    CONF_EXPECT_OK(tx->SetMeta("conformance.origin", "replaced"));
    CONF_EXPECT_OK(tx->Commit());
  }
  CONF_ASSIGN_OR_FAIL(auto rx2, store->BeginRead());
  CONF_EXPECT_EQ(*rx2->GetMeta("conformance.origin"), std::string("replaced"));
  return Status::Ok();
}

}  // namespace cloison::store::testing::internal

namespace cloison::store::testing::internal {

Status DeleteRemovesAndIsAChange(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  Record keep = Rec("bucket", "b1", "live", "wrapped-1");
  keep.group = "g";
  keep.ends_at = 10;
  Record gone = Rec("bucket", "b2", "live", "wrapped-2");
  gone.group = "g";
  gone.ends_at = 20;
  CONF_EXPECT_OK(PutAll(*store, {keep, gone}));
  {
    // A delete is a change: it commits only with an event.
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    CONF_EXPECT_OK(tx->Delete("bucket", "b2"));
    CONF_EXPECT_CODE(tx->Commit(), Code::kFailedPrecondition);
  }
  {
    CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
    CONF_EXPECT_EQ(*rx->Get("bucket", "b2"), gone);
  }
  {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    // Absent keys and empty arguments are answers: the tx stays usable.
    CONF_EXPECT_CODE(tx->Delete("bucket", "nope"), Code::kNotFound);
    CONF_EXPECT_CODE(tx->Delete("", "b2"), Code::kInvalidArgument);
    CONF_EXPECT_CODE(tx->Delete("bucket", ""), Code::kInvalidArgument);
    CONF_EXPECT_CODE(tx->Delete("item", "b2"), Code::kNotFound);  // other kind
    CONF_EXPECT_OK(tx->Delete("bucket", "b2"));
    CONF_EXPECT_CODE(tx->Get("bucket", "b2"), Code::kNotFound);  // reads its own delete
    CONF_EXPECT_CODE(tx->Delete("bucket", "b2"), Code::kNotFound);
    CONF_EXPECT_OK(tx->Append(Ev("bucket.destroyed", "b2")));
    CONF_EXPECT_OK(tx->Commit());
  }
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  CONF_EXPECT_CODE(rx->Get("bucket", "b2"), Code::kNotFound);
  CONF_EXPECT_EQ(*rx->Get("bucket", "b1"), keep);
  Filter f = Kind("bucket");
  f.group = "g";
  CONF_ASSIGN_OR_FAIL(auto listed, rx->List(f));
  CONF_EXPECT_EQ(Ids(listed), std::string("[b1]"));
  f = Kind("bucket");
  f.ends_before = 100;
  CONF_EXPECT_EQ(*rx->Count(f), int64_t{1});
  // A deleted key can be put again.
  rx.reset();
  CONF_EXPECT_OK(PutAll(*store, {gone}));
  CONF_ASSIGN_OR_FAIL(auto rx2, store->BeginRead());
  CONF_EXPECT_EQ(*rx2->Get("bucket", "b2"), gone);
  return Status::Ok();
}

Status ScrubKeepsEverythingCommitted(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  CONF_EXPECT_OK(store->Scrub());  // on an empty store too
  CONF_EXPECT_OK(PutAll(*store, {Rec("bucket", "b1", "live", "k1"), Rec("bucket", "b2")}));
  {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    CONF_EXPECT_OK(tx->Delete("bucket", "b1"));
    CONF_EXPECT_OK(tx->Append(Ev("bucket.destroyed", "b1")));
    CONF_EXPECT_OK(tx->Commit());
  }
  CONF_EXPECT_OK(store->Scrub());
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  CONF_EXPECT_CODE(rx->Get("bucket", "b1"), Code::kNotFound);
  CONF_EXPECT_EQ(*rx->Get("bucket", "b2"), Rec("bucket", "b2"));
  CONF_EXPECT_EQ(*rx->EventCount(), int64_t{3});
  return Status::Ok();
}

}  // namespace cloison::store::testing::internal

namespace cloison::store::testing::internal {

Status RetireReplacesARangeOfAGroup(const StoreFactory& open) {
  CONF_ASSIGN_OR_FAIL(auto store, open());
  std::vector<Record> items;
  for (const char* id : {"i1", "i2", "i3", "i4", "i5"}) {
    Record r = Rec("item", id, "stored", std::string("metadata of ") + id);
    r.technique = "L851-2";
    r.minister = "interior";
    r.service = "dgsi";
    r.starts_at = 5;
    r.group = "g";
    items.push_back(r);
  }
  Record other = Rec("item", "i6", "", "another group");
  other.group = "h";
  Record kind = Rec("bucket", "i3", "", "another kind");
  kind.group = "g";
  items.push_back(other);
  items.push_back(kind);
  CONF_EXPECT_OK(PutAll(*store, items));
  {
    // A retirement is a change: it commits only with an event.
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    CONF_EXPECT_EQ(*tx->Retire("item", "g", "i1", "i1", 7, "t"), int64_t{1});
    CONF_EXPECT_CODE(tx->Commit(), Code::kFailedPrecondition);
  }
  {
    CONF_ASSIGN_OR_FAIL(auto tx, store->BeginWrite());
    // Bad arguments are answers: the tx stays usable.
    CONF_EXPECT_CODE(tx->Retire("", "g", "i1", "i2", 7, "t"), Code::kInvalidArgument);
    CONF_EXPECT_CODE(tx->Retire("item", "", "i1", "i2", 7, "t"), Code::kInvalidArgument);
    CONF_EXPECT_CODE(tx->Retire("item", "g", "", "i2", 7, "t"), Code::kInvalidArgument);
    CONF_EXPECT_CODE(tx->Retire("item", "g", "i3", "i2", 7, "t"), Code::kInvalidArgument);
    CONF_EXPECT_EQ(*tx->Retire("item", "nope", "i1", "i5", 7, "t"), int64_t{0});
    CONF_EXPECT_EQ(*tx->Retire("item", "g", "i2", "i4", 99, "tomb"), int64_t{3});
    // Reads its own writes; a second pass finds nothing left in the group.
    CONF_ASSIGN_OR_FAIL(Record r3, tx->Get("item", "i3"));
    CONF_EXPECT_EQ(r3.body, std::string("tomb"));
    CONF_EXPECT_EQ(*tx->Retire("item", "g", "i2", "i4", 100, "again"), int64_t{0});
    CONF_EXPECT_OK(tx->Append(Ev("items.destroyed", "i2-i4")));
    CONF_EXPECT_OK(tx->Commit());
  }
  CONF_ASSIGN_OR_FAIL(auto rx, store->BeginRead());
  for (const char* id : {"i2", "i3", "i4"}) {
    Record want;
    want.kind = "item";
    want.id = id;
    want.ends_at = 99;
    want.body = "tomb";
    CONF_EXPECT_EQ(*rx->Get("item", id), want);
  }
  // Outside the range, the group, or the kind: untouched.
  CONF_EXPECT_EQ(*rx->Get("item", "i1"), items[0]);
  CONF_EXPECT_EQ(*rx->Get("item", "i5"), items[4]);
  CONF_EXPECT_EQ(*rx->Get("item", "i6"), other);
  CONF_EXPECT_EQ(*rx->Get("bucket", "i3"), kind);
  Filter f = Kind("item");
  f.group = "g";
  CONF_ASSIGN_OR_FAIL(auto listed, rx->List(f));
  CONF_EXPECT_EQ(Ids(listed), std::string("[i1, i5]"));
  f = Kind("item");
  f.ends_after = 98;
  CONF_ASSIGN_OR_FAIL(auto ended, rx->List(f));
  CONF_EXPECT_EQ(Ids(ended), std::string("[i2, i3, i4]"));
  f = Kind("item");
  f.states = {"stored"};
  CONF_EXPECT_EQ(*rx->Count(f), int64_t{2});
  return Status::Ok();
}

}  // namespace cloison::store::testing::internal
