// The vault's part of `cloison demo`: items collected under the scenario's
// authorisations, a refusal at the gate, a sealed satellite item opened by
// the centralising service, a read in the ledger, an unrelated item destroyed
// at once, a litigation hold, and the retention sweep a month later
// (crypto-shredding, destruction records, root key rotation).
#pragma once

#include <ostream>
#include <string>

#include "base/clock.h"
#include "base/id.h"
#include "service/instance.h"
#include "service/principal.h"

namespace cloison::cli {

struct VaultScene {
  service::Instance& instance;
  FakeClock& clock;
  IdGenerator& ids;
  service::Principal collector, gic, pm, cnctr;
  std::string interception;  // an L. 852-1 I authorisation in force now
  std::string satellite;     // an L. 852-3 authorisation in force now ("" to skip)
};

struct VaultSceneResult {
  bool ok = true;
  int refusals = 0;
  int destroyed = 0;
};

// Narrates on `out` in the demo's format; unexpected errors go to `err`.
VaultSceneResult RunVaultScene(const VaultScene& scene, std::ostream& out, std::ostream& err);

}  // namespace cloison::cli
