// Property tests: random sequences of workflow calls, checked against the
// invariants of PRODUCT.md (1: nothing runs without an opinion, given or
// deemed, or a valid urgency; quotas are never exceeded). Fixed seeds, bounded
// iterations: deterministic and fast.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "authz/test_book.h"
#include "authz/workflow.h"

namespace cloison::authz {
namespace {

using testing::T;
using testing::TestBook;

constexpr auto kHour = std::chrono::hours(1);

template <typename T>
const T& Pick(std::mt19937& rng, const std::vector<T>& v) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}
bool Chance(std::mt19937& rng, double p) {
  return std::bernoulli_distribution(p)(rng);
}
int Uniform(std::mt19937& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

bool Subset(const std::vector<std::string>& xs, const std::vector<std::string>& of) {
  return std::all_of(xs.begin(), xs.end(), [&](const std::string& x) {
    return std::find(of.begin(), of.end(), x) != of.end();
  });
}

struct Granted {
  Authorisation a;
  size_t request = 0;
  DecisionInput input;
};

TEST(WorkflowPropertyTest, NothingInForceWithoutOpinionOrValidUrgency) {
  const rules::Rulebook book = TestBook();
  std::mt19937 rng(20210730);
  const std::vector<std::string> techniques = {"L851-1", "L851-2", "L851-3",  "L852-1-II",
                                               "L853-2", "L853-3", "L852-1-I"};
  const std::vector<std::pair<std::string, std::string>> services = {
      {"dgsi", "interior"}, {"dgse", "defence"},  {"dgsi", "interior"},
      {"dgse", "defence"},  {"drpp", "interior"}, {"dgsi", "defence"}};
  const std::vector<std::string> purposes = {"1", "2", "4", "5a", "6"};

  Quota quota;
  quota.technique = "L852-1-I";
  quota.limit = 1000;
  quota.allocation = {{"interior", 500}, {"defence", 500}};

  Time now = T("2023-01-02T00:00:00Z");
  std::vector<Request> requests;
  std::vector<bool> decided;
  std::vector<Granted> granted;
  int emergencies = 0, awaiting = 0, deemed = 0, refused = 0;

  for (int step = 0; step < 10000; ++step) {
    int op = Uniform(rng, 0, 3);
    if (op == 0 || requests.empty()) {
      const auto& [service, minister] = Pick(rng, services);
      RequestDraft d;
      d.service = service;
      d.minister = minister;
      d.technique = Pick(rng, techniques);
      d.purposes = {Pick(rng, purposes)};
      if (Chance(rng, 0.3)) d.purposes.push_back(Pick(rng, purposes));
      d.targets = {{"person", "X"}};
      d.grounds = "grounds";
      d.duration_days = Chance(rng, 0.7) ? Uniform(rng, 1, 28) : Uniform(rng, 1, 130);
      d.urgency = Chance(rng, 0.3);
      d.protected_profession = Chance(rng, 0.15);
      Request r;
      r.id = "req_" + std::to_string(requests.size());
      r.draft = d;
      r.created_at = now;
      r.opinion_due = OpinionDue(book, d, now);
      requests.push_back(r);
      decided.push_back(false);
    } else if (op == 1) {
      size_t i = Uniform(rng, 0, static_cast<int>(requests.size()) - 1);
      if (decided[i] || requests[i].opinion) continue;
      Opinion o;
      o.verdict = Chance(rng, 0.6) ? Verdict::kFavourable : Verdict::kUnfavourable;
      o.formation = static_cast<Formation>(Uniform(rng, 0, 2));
      o.at = now;
      requests[i].opinion = o;
    } else if (op == 2) {
      now += Uniform(rng, 0, 30) * kHour;
    } else {
      // Half the time the latest request, so that some are decided before
      // their opinion is due.
      size_t i = Chance(rng, 0.5) ? requests.size() - 1
                                  : Uniform(rng, 0, static_cast<int>(requests.size()) - 1);
      if (decided[i]) continue;
      DecisionInput input{Chance(rng, 0.9), Chance(rng, 0.6) ? "reasons" : "", Chance(rng, 0.3)};
      QuotaView view{&quota, {}};
      for (const auto& g : granted) {
        if (g.a.technique == quota.technique && CountsTowardQuota(g.a, now)) {
          ++view.in_force[g.a.minister];
        }
      }
      auto out = Decide(book, requests[i], input, nullptr, view, now);
      if (!out.violations.empty()) ++refused;
      EXPECT_TRUE(out.violations.empty() || !out.authorisation.has_value());
      if (out.authorisation) {
        decided[i] = true;
        auto eff = EffectiveOpinion(requests[i], now);
        if (eff && eff->deemed) ++deemed;
        if (out.authorisation->state == AuthorisationState::kEmergencyApproval) ++emergencies;
        if (out.authorisation->state == AuthorisationState::kAwaitingConseilEtat) ++awaiting;
        granted.push_back({*out.authorisation, i, input});
      }
    }

    if (op == 0 || op == 1) continue;  // only time and decisions change what is in force
    for (const auto& g : granted) {
      if (!InForce(g.a, now)) continue;
      const Request& r = requests[g.request];
      const rules::Technique* t = book.FindTechnique(r.draft.technique, g.a.granted_at);
      ASSERT_NE(t, nullptr);
      auto eff = EffectiveOpinion(r, g.a.granted_at);
      bool urgency_valid = g.a.state == AuthorisationState::kEmergencyApproval && r.draft.urgency &&
                           t->urgency_eligible && !r.draft.protected_profession &&
                           Subset(r.draft.purposes, book.urgency.purposes);
      ASSERT_TRUE(eff.has_value() || urgency_valid) << "step " << step << " " << r.id;
      if (eff) {
        if (eff->deemed) {
          ASSERT_FALSE(t->requires_collegial_opinion) << r.id;
        } else if (r.draft.protected_profession) {
          ASSERT_EQ(eff->formation, Formation::kPlenary) << r.id;
        } else if (t->requires_collegial_opinion) {
          ASSERT_NE(eff->formation, Formation::kSingle) << r.id;
        }
        if (eff->verdict == Verdict::kUnfavourable) {
          ASSERT_FALSE(g.input.reasons.empty()) << r.id;
          bool waited = now >= g.a.granted_at + 24 * kHour;
          ASSERT_TRUE(waited || (g.input.immediate_execution && r.draft.urgency)) << r.id;
        }
      }
      ASSERT_TRUE(t->purposes.empty() || Subset(g.a.purposes, t->purposes)) << r.id;
      ASSERT_LE(g.a.ends_at, t->max_first.After(g.a.starts_at)) << r.id;
    }
  }
  // The property is not vacuous: every path was taken.
  EXPECT_GT(granted.size(), 100u);
  EXPECT_GT(emergencies, 10);
  EXPECT_GT(awaiting, 10);
  EXPECT_GT(deemed, 10);
  EXPECT_GT(refused, 100);
}

TEST(WorkflowPropertyTest, QuotaNeverExceeded) {
  const rules::Rulebook book = TestBook();
  const std::vector<std::pair<std::string, std::string>> services = {
      {"dgsi", "interior"}, {"dgse", "defence"}, {"tracfin", "economy"}, {"drpp", "interior"}};
  int grants = 0, quota_refusals = 0, renewals = 0;
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    Quota quota;
    quota.technique = Chance(rng, 0.5) ? "L852-1-I" : "L851-6";
    quota.limit = Uniform(rng, 1, 8);
    int left = quota.limit;
    for (const char* m : {"interior", "defence", "economy"}) {
      int share = Uniform(rng, 0, left);
      quota.allocation[m] = share;
      left -= share;
    }
    Time now = T("2023-01-02T00:00:00Z");
    std::vector<Authorisation> model;

    auto counts = [&](Time at) {
      std::map<std::string, int> in_force;
      for (const auto& a : model) {
        if (CountsTowardQuota(a, at)) ++in_force[a.minister];
      }
      return in_force;
    };

    for (int step = 0; step < 400; ++step) {
      int op = Uniform(rng, 0, 9);
      if (op <= 5) {
        const auto& [service, minister] = Pick(rng, services);
        RequestDraft d;
        d.service = service;
        d.minister = minister;
        d.technique = quota.technique;
        d.purposes = {"4"};
        d.targets = {{"identifier", "+33600000000"}};
        d.grounds = "grounds";
        d.duration_days = Uniform(rng, 1, 60);
        const Authorisation* renewed = nullptr;
        if (Chance(rng, 0.2) && !model.empty()) {
          const Authorisation& prev = model[Uniform(rng, 0, static_cast<int>(model.size()) - 1)];
          if (prev.service == service && CountsTowardQuota(prev, now)) {
            renewed = &prev;
            d.renews = prev.id;
            d.renewal_reasons = "still needed";
          }
        }
        Request r;
        r.id = "req";
        r.draft = d;
        r.created_at = now - 2 * kHour;
        r.opinion_due = OpinionDue(book, d, r.created_at);
        Opinion o;
        o.verdict = Chance(rng, 0.8) ? Verdict::kFavourable : Verdict::kUnfavourable;
        o.at = now - kHour;
        r.opinion = o;
        QuotaView view{&quota, counts(now)};
        auto out = Decide(book, r, DecisionInput{true, "reasons", false}, renewed, view, now);
        for (const auto& v : out.violations) {
          if (v.rule == "quota.minister" || v.rule == "quota.total") {
            ++quota_refusals;
            break;
          }
        }
        if (out.authorisation) {
          ++grants;
          if (renewed) ++renewals;
          out.authorisation->id = "auth_" + std::to_string(model.size());
          model.push_back(*out.authorisation);
        }
      } else if (op <= 7) {
        if (model.empty()) continue;
        Authorisation& a = model[Uniform(rng, 0, static_cast<int>(model.size()) - 1)];
        if (CountsTowardQuota(a, now)) {
          a.state = AuthorisationState::kCancelled;
          a.terminated_at = now;
        }
      } else {
        now += Uniform(rng, 0, 20 * 24) * kHour;
      }
      // The invariant, now and at every instant the model can reach.
      auto in_force = counts(now);
      int total = 0;
      for (const auto& [minister, n] : in_force) {
        ASSERT_LE(n, quota.allocation[minister]) << "seed " << seed << " step " << step;
        total += n;
      }
      ASSERT_LE(total, quota.limit) << "seed " << seed << " step " << step;
      int running = 0;
      for (const auto& a : model) running += InForce(a, now) ? 1 : 0;
      ASSERT_LE(running, quota.limit);
    }
  }
  EXPECT_GT(grants, 200);
  EXPECT_GT(quota_refusals, 200);
  EXPECT_GT(renewals, 5);
}

}  // namespace
}  // namespace cloison::authz
