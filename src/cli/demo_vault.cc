#include "cli/demo_vault.h"

#include <chrono>
#include <span>
#include <string_view>
#include <vector>

#include "cloison/seal.h"
#include "service/exploitation.h"
#include "service/vault.h"

namespace cloison::cli {
namespace {

using service::IngestInput;

class Narrator {
 public:
  Narrator(const FakeClock& clock, std::ostream& out, std::ostream& err, VaultSceneResult& result)
      : clock_(clock), out_(out), err_(err), result_(result) {}
  void Step(std::string_view what) {
    out_ << "\n[" << FormatTime(clock_.Now()) << "] " << what << "\n";
  }
  void Fail(const Status& s) {
    err_ << "demo: unexpected error: " << s.ToString() << "\n";
    result_.ok = false;
  }
  std::ostream& out() { return out_; }

 private:
  const FakeClock& clock_;
  std::ostream& out_;
  std::ostream& err_;
  VaultSceneResult& result_;
};

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

VaultSceneResult RunVaultScene(const VaultScene& scene, std::ostream& out, std::ostream& err) {
  VaultSceneResult result;
  Narrator n(scene.clock, out, err, result);
  service::Instance& inst = scene.instance;
  service::VaultOptions options;
  options.max_item_size = inst.max_item_size;
  options.centralising = &inst.centralising;
  service::Vault vault(*inst.store, inst.rulebook, scene.clock, scene.ids, *inst.root_keys, inst.dir,
                       options);
  if (Status s = vault.Open(); !s.ok()) {
    n.Fail(s);
    return result;
  }

  // Ingest: the gate checks the authorisation, the kind and the time; each
  // accepted item is encrypted under its own data key, wrapped by the key of
  // its destruction day's bucket.
  n.Step("The collector hands over items collected under the interior interception");
  const Time now = scene.clock.Now();
  std::vector<std::string> items;
  auto ingest = [&](std::string_view label, const std::string& auth, std::string kind, Time at,
                    std::string_view content, bool sealed = false) -> std::string {
    IngestInput in;
    in.authorisation = auth;
    in.kind = std::move(kind);
    in.collected_at = at;
    in.bytes = Bytes(content);
    in.sealed = sealed;
    auto r = vault.Ingest(scene.collector, in);
    if (!r.ok()) return n.Fail(r.status()), "";
    if (r->refused()) {
      ++result.refusals;
      n.out() << "    " << label << ": REFUSED at the gate (recorded in the ledger):\n";
      for (const auto& v : r->violations) {
        n.out() << "      - " << v.article << " [" << v.rule << "] " << v.message << "\n";
      }
      return "";
    }
    n.out() << "    " << label << " -> " << r->value.id << " [" << r->value.state
            << "], destroy by " << FormatTime(r->value.destroy_by) << "\n";
    return r->value.id;
  };
  const std::string call1 = ingest("call recording", scene.interception, "correspondence",
                                   now - std::chrono::minutes(40), "demo call recording #1");
  const std::string call2 = ingest("call recording", scene.interception, "correspondence",
                                   now - std::chrono::minutes(20), "demo call recording #2");
  const std::string meta = ingest("call metadata", scene.interception, "connection_data",
                                  now - std::chrono::minutes(20), "demo connection data");
  const std::string held = ingest("call recording", scene.interception, "correspondence",
                                  now - std::chrono::minutes(10), "demo call recording #3");
  ingest("a location fix under the interception", scene.interception, "location",
         now - std::chrono::minutes(5), "48.85,2.35");
  ingest("a recording dated tomorrow", scene.interception, "correspondence",
         now + std::chrono::hours(24), "from the future");

  if (!scene.satellite.empty()) {
    n.Step("Satellite interception (L. 852-3): an item arrives sealed to the centralising service");
    auto sealed = seal::Seal(inst.centralising.public_key, Bytes("demo satellite capture"));
    if (!sealed.ok()) {
      n.Fail(sealed.status());
    } else {
      std::string_view bytes(reinterpret_cast<const char*>(sealed->data()), sealed->size());
      std::string id = ingest("sealed capture", scene.satellite, "correspondence",
                              now - std::chrono::minutes(30), bytes, true);
      if (!id.empty()) {
        auto opened = vault.OpenSealed(scene.gic, id);
        if (!opened.ok()) n.Fail(opened.status());
        else n.out() << "    the GIC opens " << id << " -> [" << opened->state << "]\n";
      }
    }
  }

  if (!call1.empty()) {
    n.Step("The GIC reads a recording; the read is in the ledger");
    auto content = vault.ReadContent(scene.gic, call1);
    if (!content.ok()) n.Fail(content.status());
    else n.out() << "    " << call1 << ": " << content->view().size() << " bytes read\n";
  }
  if (!call2.empty()) {
    n.Step("The GIC finds a recording unrelated to the target: destroyed at once");
    auto d = vault.MarkUnrelated(scene.gic, call2);
    if (!d.ok()) {
      n.Fail(d.status());
    } else {
      ++result.destroyed;
      n.out() << "    " << d->item << " destroyed (" << d->reason << ", " << d->method << ")\n";
    }
  }
  std::string hold_id;
  if (!held.empty()) {
    n.Step("A case reaches the Conseil d'État: the PM places a litigation hold (L. 822-2 II)");
    auto h = vault.PlaceHold(scene.pm, "CE n° 500123", {held});
    if (!h.ok()) n.Fail(h.status());
    else n.out() << "    hold " << h->id << " freezes " << held << "\n", hold_id = h->id;
  }
  service::Exploitation exploitation(*inst.store, inst.rulebook, scene.clock, scene.ids, vault,
                                     inst.dir);
  std::string held_transcript;
  if (!hold_id.empty()) {
    n.Step("The GIC transcribes the held recording: the transcription is frozen with it");
    auto t = exploitation.Transcribe(scene.gic, held, "demo transcript of recording #3", "4");
    if (!t.ok()) n.Fail(t.status());
    else n.out() << "    " << t->id << " made from " << held << ", frozen by " << hold_id << "\n", held_transcript = t->id;
  }

  scene.clock.Advance(std::chrono::hours(24 * 31));
  n.Step("31 days later: the retention sweep (30 days for correspondence, L. 822-2 I 1°)");
  auto swept = vault.Sweep(scene.gic);
  if (!swept.ok()) {
    n.Fail(swept.status());
  } else {
    result.destroyed += static_cast<int>(swept->items);
    n.out() << "    " << swept->items << " item(s) destroyed, " << swept->buckets
            << " bucket key(s) destroyed; root key rotated to epoch " << swept->root_epoch
            << " (copies taken before cannot unwrap them)\n";
  }
  if (!held.empty()) {
    auto still = vault.GetItem(scene.cnctr, held);
    n.out() << "    held item " << held << ": "
            << (still.ok() ? "kept while the case lasts [" + still->state + "]"
                           : still.status().ToString())
            << "\n";
  }
  if (!held_transcript.empty()) {
    auto text = exploitation.ReadTranscription(scene.cnctr, held_transcript);
    n.out() << "    its transcription " << held_transcript << ": "
            << (text.ok() ? "kept with it (" + std::to_string(text->view().size()) + " bytes)"
                          : text.status().ToString())
            << "\n";
  }
  if (!meta.empty()) {
    auto kept = vault.GetItem(scene.cnctr, meta);
    if (kept.ok()) n.out() << "    connection data " << meta << ": kept until "
                           << FormatTime(kept->deadline.destroy_by) << " (" << kept->deadline.article << ")\n";
  }
  if (!hold_id.empty()) {
    n.Step("The case is closed: the PM releases the hold; the next sweep destroys the item and its transcription");
    if (auto r = vault.ReleaseHold(scene.pm, hold_id); !r.ok()) n.Fail(r.status());
    auto again = vault.Sweep(scene.gic);
    if (!again.ok()) n.Fail(again.status());
    else result.destroyed += static_cast<int>(again->items), n.out() << "    " << again->items << " item(s) destroyed\n";
    if (!held_transcript.empty() &&
        service::IsDestroyed(exploitation.ReadTranscription(scene.cnctr, held_transcript).status()))
      n.out() << "    transcription " << held_transcript << ": gone with its recording\n";
  }

  n.Step("The CNCTR reads the destruction register");
  auto list = vault.ListDestructions(scene.cnctr, now - std::chrono::hours(24));
  if (!list.ok()) {
    n.Fail(list.status());
  } else {
    for (const auto& d : *list) {
      n.out() << "    " << d.item << " " << d.kind << " " << d.reason << " under " << d.article
              << " at " << FormatTime(d.destroyed_at) << ", ledger #" << d.ledger_index << "\n";
    }
  }
  if (auto gone = vault.ReadContent(scene.cnctr, call1); !gone.ok() && service::IsDestroyed(gone.status())) {
    n.out() << "    reading " << call1 << " now: gone (HTTP 410)\n";
  }
  return result;
}

}  // namespace cloison::cli
