// An instance directory (API.md `cloison init DIR`):
//   DIR/cloison.toml   configuration (origin, store backend, rulebook file)
//   DIR/rulebook.toml  the rulebook in force for this instance
//   DIR/cloison.db     the SQLite store (WAL files beside it)
//   DIR/keys/ledger.key  the ledger's signer key (mode 0600, DIR/keys 0700;
//                      doc/formats/ledger.md); its name is the origin
//   DIR/ledger.pub     the matching verifier key, for the CNCTR's verifier
//   DIR/keys/centralising.key  the centralising service's X25519 private key
//                      (0600; sealed items, L. 852-3), DIR/centralising.pub
//                      its public key for collectors (`cloison seal --key`)
//   DIR/vault/         item segments (doc/formats/vault.md)
//   root keys          in [vault] root_key_dir of cloison.toml, default
//                      DIR/keys/root; put it outside DIR so that copies of
//                      the instance do not carry it (doc/formats/vault.md)
// A later issue adds DIR/pki/.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "cloison/seal.h"
#include "ledger/note.h"
#include "rules/rulebook.h"
#include "store/store.h"
#include "vault/key_provider.h"

namespace cloison::service {

struct Instance {
  std::string dir;
  std::string origin;  // the ledger's origin line, unique per instance
  rules::Rulebook rulebook;
  std::unique_ptr<store::Store> store;
  ledger::Signer ledger_key;  // signs checkpoints; named after `origin`
  // The vault (service/vault.h): root keys (file provider over
  // root_key_dir), the centralising key pair, the item size limit.
  std::string root_key_dir;
  std::unique_ptr<vault::KeyProvider> root_keys;
  seal::KeyPair centralising;
  uint64_t max_item_size = 64ull << 20;
};

inline constexpr char kLedgerKeyFile[] = "keys/ledger.key";
inline constexpr char kLedgerPubFile[] = "ledger.pub";
inline constexpr char kCentralisingKeyFile[] = "keys/centralising.key";
inline constexpr char kCentralisingPubFile[] = "centralising.pub";
inline constexpr char kDefaultRootKeyDir[] = "keys/root";

// Creates DIR (which must not exist or be empty) with the given rulebook text,
// which must parse and check clean. Nothing is left behind on failure.
Status InitInstance(const std::string& dir, const std::string& rulebook_text);

// Opens an initialised instance: reads its configuration, loads and checks
// its rulebook, loads the ledger key (refused if others may read it, or if it
// is not named after the origin), opens its store, its root key directory
// and its centralising key pair (made on first open for instances created
// before it existed).
Result<Instance> OpenInstance(const std::string& dir);

}  // namespace cloison::service
