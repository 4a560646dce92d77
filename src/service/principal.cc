#include "service/principal.h"

#include <array>
#include <utility>

namespace cloison::service {
namespace {
constexpr std::array<std::pair<Role, std::string_view>, 8> kRoles{{
    {Role::kServiceAgent, "service_agent"},
    {Role::kMinister, "minister"},
    {Role::kCnctr, "cnctr"},
    {Role::kPm, "pm"},
    {Role::kGic, "gic"},
    {Role::kCollector, "collector"},
    {Role::kRndAgent, "rnd_agent"},
    {Role::kAdmin, "admin"},
}};
}  // namespace

std::string_view RoleName(Role r) {
  for (const auto& [role, name] : kRoles)
    if (role == r) return name;
  return "?";
}

std::optional<Role> ParseRole(std::string_view s) {
  for (const auto& [role, name] : kRoles)
    if (name == s) return role;
  return std::nullopt;
}

}  // namespace cloison::service
