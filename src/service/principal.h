// Who acts (PRODUCT.md, "Who uses it"). Deny by default: each use case names
// the roles that may call it; anything else is PermissionDenied.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cloison::service {

enum class Role { kServiceAgent, kMinister, kCnctr, kPm, kGic, kCollector, kRndAgent, kAdmin };
std::string_view RoleName(Role r);
std::optional<Role> ParseRole(std::string_view s);

struct Principal {
  std::string id;
  std::string name;
  Role role = Role::kAdmin;
  std::string service;   // service_agent, rnd_agent: the service it belongs to
  std::string minister;  // minister: the ministry it signs for
};

}  // namespace cloison::service
