// Who may call what: the per-role access table of the API, in one place
// (PRODUCT.md "Who uses it"; API.md's role column). Deny by default: an
// operation missing from the table is refused to every role, and only the
// operations marked anonymous answer without credentials.
//
// The table decides whether a role may call an operation at all; the use
// cases then check what depends on the record (an agent acts for its own
// service, separation of duties), and MayRead scopes what a read returns.
#pragma once

#include <string_view>
#include <vector>

#include "service/principal.h"

namespace cloison::api {

struct Access {
  std::string_view operation;  // the route's operation id
  bool anonymous = false;      // callable without credentials
  std::vector<service::Role> roles;
};

// The whole table (the OpenAPI test compares it with x-roles).
const std::vector<Access>& AccessTable();

// True if `operation` answers without credentials.
bool IsAnonymous(std::string_view operation);
// True if `role` may call `operation`. False for an operation not in the table.
bool MayCall(std::string_view operation, service::Role role);

// Whether `p` may see a record of `service` under `minister` (requests,
// authorisations): an agent sees its service's, a minister its ministry's;
// the CNCTR (reads everything, PRODUCT.md), the PM (decides) and the GIC
// (executes; authorisations only, by MayCall) see all. Others see none.
bool MayRead(const service::Principal& p, std::string_view service, std::string_view minister);

}  // namespace cloison::api
