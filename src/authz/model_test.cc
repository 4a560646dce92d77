#include "authz/model.h"

#include <gtest/gtest.h>

namespace cloison::authz {
namespace {

TEST(ModelTest, RequestStateNamesRoundTrip) {
  const std::pair<RequestState, std::string_view> want[] = {
      {RequestState::kAwaitingOpinion, "awaiting_opinion"},
      {RequestState::kOpinionGiven, "opinion_given"},
      {RequestState::kGranted, "granted"},
      {RequestState::kRefused, "refused"},
      {RequestState::kWithdrawn, "withdrawn"},
  };
  for (const auto& [state, name] : want) {
    EXPECT_EQ(RequestStateName(state), name);
    EXPECT_EQ(ParseRequestState(name), state);
  }
  EXPECT_EQ(ParseRequestState("Granted"), std::nullopt);
  EXPECT_EQ(ParseRequestState(""), std::nullopt);
}

TEST(ModelTest, AuthorisationStateNamesRoundTrip) {
  const std::pair<AuthorisationState, std::string_view> want[] = {
      {AuthorisationState::kAwaitingConseilEtat, "awaiting_conseil_etat"},
      {AuthorisationState::kEmergencyApproval, "emergency_approval"},
      {AuthorisationState::kApproved, "approved"},
      {AuthorisationState::kSuspended, "suspended"},
      {AuthorisationState::kCancelled, "cancelled"},
      {AuthorisationState::kExpired, "expired"},
  };
  for (const auto& [state, name] : want) {
    EXPECT_EQ(AuthorisationStateName(state), name);
    EXPECT_EQ(ParseAuthorisationState(name), state);
  }
  EXPECT_EQ(ParseAuthorisationState("rejected"), std::nullopt);
}

TEST(ModelTest, VerdictAndFormationNamesRoundTrip) {
  EXPECT_EQ(VerdictName(Verdict::kFavourable), "favourable");
  EXPECT_EQ(VerdictName(Verdict::kUnfavourable), "unfavourable");
  EXPECT_EQ(ParseVerdict("unfavourable"), Verdict::kUnfavourable);
  EXPECT_EQ(ParseVerdict("favorable"), std::nullopt);
  EXPECT_EQ(FormationName(Formation::kSingle), "single");
  EXPECT_EQ(FormationName(Formation::kRestricted), "restricted");
  EXPECT_EQ(FormationName(Formation::kPlenary), "plenary");
  EXPECT_EQ(ParseFormation("plenary"), Formation::kPlenary);
  EXPECT_EQ(ParseFormation("restricted"), Formation::kRestricted);
  EXPECT_EQ(ParseFormation("single"), Formation::kSingle);
  EXPECT_EQ(ParseFormation("full"), std::nullopt);
}

}  // namespace
}  // namespace cloison::authz
