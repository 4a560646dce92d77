// R&D copies (L. 822-2 III): the centralising service copies an item into
// an authorised programme. The copy is pseudonymised (service/pseudonym.h)
// under the programme's own key, stripped of grounds, purposes, targets,
// authorisation and service, and stored encrypted in the programme's own
// compartment ("rnd-<programme>", its own bucket keys) with a deadline at
// most rnd.max_retention after the ORIGINAL collection (5 years; 2 in the
// strict profile). Only the programme's assigned agents and the CNCTR read
// it, never while the programme is suspended (the CNCTR excepted: L. 833-2);
// every read is in the ledger. Formats: doc/formats/rnd.md.
//
// Built on the vault's public API (Vault::LoadItem, ReadContentIn,
// StoreCopy) and on the documented bucket record (doc/formats/vault.md): the
// programme's pseudonym key is a random 32-byte key kept only wrapped by the
// root key, as the record of a bucket that is never due, so that the
// vault's root rotation re-wraps it with the bucket keys.
//
// Records: rnd_copy (one per copy, group = programme), rnd_register (the
// collection-date register, when rnd.collection_date_register is on), and
// the programme's key bucket. Events: rnd.item.copied, rnd.item.read,
// rnd.programme.closed (with the vault's item.destroyed for each copy, and
// bucket.destroyed and vault.root_rotated from the sweep that follows).
//
// Errors: PermissionDenied (role; an agent not assigned), NotFound (unknown
// programme, item or copy), the vault's destroyed error (IsDestroyed) for a
// copy or item that is gone, FailedPrecondition (programme not granted or
// suspended; a sealed item), InvalidArgument naming the field. A copy the
// law forbids (its 5-year limit already passed) is an Outcome with the
// violation, and nothing is stored.
//
// Thread-safety: thread-safe if the Store, the Vault and the KeyProvider
// are (every call is one transaction).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "crypto/secret.h"
#include "rules/rulebook.h"
#include "service/principal.h"
#include "service/rnd.h"
#include "service/vault.h"
#include "service/workflow.h"
#include "store/store.h"
#include "vault/key_provider.h"

namespace cloison::service {

inline constexpr char kRndCopyKind[] = "rnd_copy";
inline constexpr char kRndRegisterKind[] = "rnd_register";
inline constexpr std::string_view kRuleRndMaxRetention = "rnd.max_retention";
inline constexpr std::string_view kRuleRndProgrammeClosed = "rnd.programme_closed";

struct RndCopy {
  std::string id;  // "rnc_...": also the id of the vault item holding the content
  std::string programme;
  rules::ItemKind kind = rules::ItemKind::kCorrespondence;
  Time copied_at;
  Time destroy_by;
  std::string target;       // the target reference's pseudonym, "" if none
  int64_t identifiers = 0;  // identifiers replaced in the content
  // CNCTR only (empty in an agent's view): the original item, and the
  // random nonce that makes the record's hash in the ledger hiding.
  std::string origin;
  std::string nonce;
};

struct RegisterEntry {
  std::string copy;
  std::string programme;
  Time collected_at;  // of the original item
};

class RndCopies {
 public:
  RndCopies(store::Store& store, const rules::Rulebook& book, const Clock& clock, Vault& vault,
            vault::KeyProvider& keys);

  // gic (POST /rnd/programmes/{id}/items): a granted programme, a stored
  // item. `rnd.item.copied`.
  Result<Outcome<RndCopy>> TransferToProgramme(const Principal& actor,
                                               const std::string& programme_id,
                                               const std::string& item_id);
  // rnd_agent assigned to the copy's programme, or cnctr (GET
  // /rnd/items/{id}/content). `rnd.item.read`.
  Result<crypto::SecretBytes> ReadRndContent(const Principal& actor, const std::string& copy_id);
  // The same readers; an agent's view has no origin.
  Result<RndCopy> GetCopy(const Principal& actor, const std::string& copy_id);
  Result<std::vector<RndCopy>> ListCopies(const Principal& actor, const std::string& programme_id,
                                          const Page& page = {});
  // The collection-date register (amendment no. 55), cnctr or the
  // programme's agents. Empty when the rulebook keeps none.
  Result<std::vector<RegisterEntry>> Register(const Principal& actor,
                                              const std::string& programme_id);

  // pm, or a minister for a programme of a service under its ministry
  // (PermissionDenied otherwise): closes a granted or suspended programme
  // (FailedPrecondition otherwise) for `reasons` (required; the ledger
  // keeps their hash). In one transaction: every copy is destroyed (a
  // destruction record and `item.destroyed` each, reason
  // "programme_closed", rule rnd.programme_closed, L. 822-2 III), the
  // programme's buckets and its pseudonym key are made due, and it is
  // `closed` (`rnd.programme.closed`); then the vault's sweep destroys those
  // keys and segments and rotates the root, so that no copy of the store
  // taken earlier opens them. A copy frozen by a hold: FailedPrecondition
  // naming the hold (L. 822-2 II), nothing changed. If that sweep fails the
  // programme is closed all the same (committed) and the next sweep, which
  // finds the buckets due, finishes it. From then on the programme refuses
  // transfers, agents' reads and every change.
  Result<Programme> CloseProgramme(const Principal& actor, const std::string& programme_id,
                                   const std::string& reasons);

  // The bucket id of a programme's pseudonym key: "rndkey-<programme>/9999-12-31".
  static std::string KeyBucketId(const std::string& programme_id);

 private:
  Result<crypto::SecretBytes> PseudonymKey(store::WriteTx& tx, const std::string& programme_id,
                                           bool& created);
  // The programme, if `actor` may read its data now.
  Result<Programme> Readable(store::ReadTx& tx, const Principal& actor,
                             const std::string& programme_id);

  store::Store& store_;
  const rules::Rulebook& book_;
  const Clock& clock_;
  Vault& vault_;
  vault::KeyProvider& keys_;
};

}  // namespace cloison::service
