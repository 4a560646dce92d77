// An instance directory (API.md `cloison init DIR`):
//   DIR/cloison.toml   configuration (origin, store backend, rulebook file)
//   DIR/rulebook.toml  the rulebook in force for this instance
//   DIR/cloison.db     the SQLite store (WAL files beside it)
//   DIR/keys/ledger.key  the ledger's signer key (mode 0600, DIR/keys 0700;
//                      doc/formats/ledger.md); its name is the origin
//   DIR/ledger.pub     the matching verifier key, for the CNCTR's verifier
// A later issue adds DIR/pki/.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "ledger/note.h"
#include "rules/rulebook.h"
#include "store/store.h"

namespace cloison::service {

struct Instance {
  std::string dir;
  std::string origin;  // the ledger's origin line, unique per instance
  rules::Rulebook rulebook;
  std::unique_ptr<store::Store> store;
  ledger::Signer ledger_key;  // signs checkpoints; named after `origin`
};

inline constexpr char kLedgerKeyFile[] = "keys/ledger.key";
inline constexpr char kLedgerPubFile[] = "ledger.pub";

// Creates DIR (which must not exist or be empty) with the given rulebook text,
// which must parse and check clean. Nothing is left behind on failure.
Status InitInstance(const std::string& dir, const std::string& rulebook_text);

// Opens an initialised instance: reads its configuration, loads and checks
// its rulebook, loads the ledger key (refused if others may read it, or if it
// is not named after the origin), opens its store.
Result<Instance> OpenInstance(const std::string& dir);

}  // namespace cloison::service
