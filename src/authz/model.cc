#include "authz/model.h"

#include <array>
#include <utility>

namespace cloison::authz {
namespace {

// One table per enum: the name of each value, in declaration order, so that
// the name and parse functions cannot disagree.
template <typename E, size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<RequestState, 5> kRequestStates{{
    {RequestState::kAwaitingOpinion, "awaiting_opinion"},
    {RequestState::kOpinionGiven, "opinion_given"},
    {RequestState::kGranted, "granted"},
    {RequestState::kRefused, "refused"},
    {RequestState::kWithdrawn, "withdrawn"},
}};

constexpr NameTable<AuthorisationState, 6> kAuthorisationStates{{
    {AuthorisationState::kAwaitingConseilEtat, "awaiting_conseil_etat"},
    {AuthorisationState::kEmergencyApproval, "emergency_approval"},
    {AuthorisationState::kApproved, "approved"},
    {AuthorisationState::kSuspended, "suspended"},
    {AuthorisationState::kCancelled, "cancelled"},
    {AuthorisationState::kExpired, "expired"},
}};

constexpr NameTable<Verdict, 2> kVerdicts{{
    {Verdict::kFavourable, "favourable"},
    {Verdict::kUnfavourable, "unfavourable"},
}};

constexpr NameTable<Formation, 3> kFormations{{
    {Formation::kSingle, "single"},
    {Formation::kRestricted, "restricted"},
    {Formation::kPlenary, "plenary"},
}};

template <typename E, size_t N>
std::string_view NameOf(const NameTable<E, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> Parse(const NameTable<E, N>& table, std::string_view text) {
  for (const auto& [v, name] : table) {
    if (name == text) return v;
  }
  return std::nullopt;
}

}  // namespace

std::string_view RequestStateName(RequestState s) {
  return NameOf(kRequestStates, s);
}
std::optional<RequestState> ParseRequestState(std::string_view s) {
  return Parse(kRequestStates, s);
}

std::string_view AuthorisationStateName(AuthorisationState s) {
  return NameOf(kAuthorisationStates, s);
}
std::optional<AuthorisationState> ParseAuthorisationState(std::string_view s) {
  return Parse(kAuthorisationStates, s);
}

std::string_view VerdictName(Verdict v) {
  return NameOf(kVerdicts, v);
}
std::optional<Verdict> ParseVerdict(std::string_view s) {
  return Parse(kVerdicts, s);
}

std::string_view FormationName(Formation f) {
  return NameOf(kFormations, f);
}
std::optional<Formation> ParseFormation(std::string_view s) {
  return Parse(kFormations, s);
}

}  // namespace cloison::authz
