// An instance directory (API.md `cloison init DIR`):
//   DIR/cloison.toml   configuration (origin, store backend, rulebook file)
//   DIR/rulebook.toml  the rulebook in force for this instance
//   DIR/cloison.db     the SQLite store (WAL files beside it)
// Later issues add DIR/keys/ and DIR/pki/.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "rules/rulebook.h"
#include "store/store.h"

namespace cloison::service {

struct Instance {
  std::string dir;
  std::string origin;  // the ledger's origin line, unique per instance
  rules::Rulebook rulebook;
  std::unique_ptr<store::Store> store;
};

// Creates DIR (which must not exist or be empty) with the given rulebook text,
// which must parse and check clean. Nothing is left behind on failure.
Status InitInstance(const std::string& dir, const std::string& rulebook_text);

// Opens an initialised instance: reads its configuration, loads and checks
// its rulebook, opens its store.
Result<Instance> OpenInstance(const std::string& dir);

}  // namespace cloison::service
