// The authorisation use cases (L. 821-1 to L. 821-7): one write transaction
// per use case, the state change and its event committed together. The law
// is decided by authz (pure); this layer adds roles, separation of duties,
// identifiers, time and storage.
//
// Thread-safety: a Workflow is thread-safe if its Store is (every call is one
// transaction; the rulebook, clock and id generator are thread-safe).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "authz/model.h"
#include "authz/workflow.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/status.h"
#include "rules/rulebook.h"
#include "service/principal.h"
#include "store/store.h"

namespace cloison::service {

// A use case's answer: the resulting value and, if the law said no, the
// violated rules (each with its article). A refusal is still recorded.
template <typename T>
struct Outcome {
  T value;
  std::vector<rules::Violation> violations;
  bool refused() const { return !violations.empty(); }
};

struct Decided {
  authz::Request request;
  std::optional<authz::Authorisation> authorisation;
};

struct QuotaUse {
  authz::Quota quota;
  std::map<std::string, int> in_force;  // minister -> authorisations counting now
  int issued = 0;                       // authorisations ever granted for the technique
};

// Lists are ordered by id; a page holds at most `limit` (0: all) items with
// ids after `after_id` (the last id of the previous page).
struct Page {
  std::string after_id;
  int limit = 0;
};

class Workflow {
 public:
  Workflow(store::Store& store, const rules::Rulebook& book, const Clock& clock, IdGenerator& ids);

  // Creates a principal (local administration: `cloison user add`, demo).
  Result<Principal> AddPrincipal(Principal p);
  Result<Principal> GetPrincipal(const std::string& id);

  // service_agent (for its own service) or minister (for its own ministry).
  // A request the law forbids is stored as refused with its violations.
  Result<Outcome<authz::Request>> SubmitRequest(const Principal& actor,
                                                const authz::RequestDraft& draft);
  // The drafter's service (an agent of it) or minister withdraws a request
  // before any decision.
  Result<authz::Request> Withdraw(const Principal& actor, const std::string& request_id);
  // cnctr. A formation the law does not allow is refused and nothing is stored.
  Result<Outcome<authz::Request>> GiveOpinion(const Principal& actor, const std::string& request_id,
                                              authz::Verdict verdict, authz::Formation formation,
                                              const std::string& reasons);
  // pm; never the principal who drafted the request or gave the opinion.
  Result<Outcome<Decided>> Decide(const Principal& actor, const std::string& request_id,
                                  const authz::DecisionInput& input);
  // pm: quota per technique split by minister, with the CNCTR opinion reference.
  Result<Outcome<authz::Quota>> SetQuota(const Principal& actor, const authz::Quota& quota);
  // pm: ends an authorisation now.
  Result<authz::Authorisation> Terminate(const Principal& actor, const std::string& authorisation_id,
                                         const std::string& reasons);
  // pm: the reasons of an absolute urgency sent to the CNCTR (L. 821-5); a
  // late one is accepted and flagged in its event.
  Result<authz::Authorisation> JustifyUrgency(const Principal& actor,
                                              const std::string& authorisation_id,
                                              const std::string& reasons);

  // pm: records the Conseil d'État's ruling on an authorisation granted
  // against an unfavourable opinion (L. 821-1). Upheld: the technique may
  // start now; annulled: the authorisation is cancelled.
  Result<authz::Authorisation> RecordConseilEtatRuling(const Principal& actor,
                                                       const std::string& authorisation_id,
                                                       bool upheld, const std::string& case_ref);
  // Stores the expiry of every authorisation whose end has passed, one event
  // each (the state is derived at read time anyway; this makes the register
  // say it). Returns how many expired. Any principal's scheduler may run it.
  Result<int> ExpireDue();

  // Reads: one read transaction each. Authorisations come with their state at
  // the clock's now (expiry derived).
  Result<authz::Request> GetRequest(const std::string& id);
  Result<std::vector<authz::Request>> ListRequests(std::optional<authz::RequestState> state = {},
                                                   const Page& page = {});
  Result<authz::Authorisation> GetAuthorisation(const std::string& id);
  // `state` filters on the state at the clock's now (expiry derived).
  Result<std::vector<authz::Authorisation>> ListAuthorisations(
      std::optional<authz::AuthorisationState> state = {}, const Page& page = {});
  Result<std::vector<QuotaUse>> Quotas();

  const rules::Rulebook& rulebook() const { return book_; }
  // For read-only views computed beside the use cases (service/report.h).
  store::Store& store() const { return store_; }
  const Clock& clock() const { return clock_; }

 private:
  Result<authz::QuotaView> LoadQuotaView(store::ReadTx& tx, const std::string& technique,
                                         authz::Quota& quota_storage, Time now);

  store::Store& store_;
  const rules::Rulebook& book_;
  const Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace cloison::service
