// Bearer tokens (API.md: `Authorization: Bearer TOKEN`). A token is 32 random
// bytes shown once, as "cloison_" + 64 hex digits; the store keeps only its
// SHA-256 (record kind "token", id = hex hash, body = the principal id), so a
// copy of the store gives no usable credential. Issuing is an event
// ("token.issued") that names the principal and the expiry, never the token
// nor its hash.
//
// Revoking is an event too ("token.revoked", one per token, naming the
// principal): the record stays, marked revoked, so a revoked token answers
// "revoked" rather than "unknown" and its history stays in the ledger.
//
// Independent of Workflow. The API authenticates through
// service::Authenticate (certificates.h), which resolves the token and its
// principal in one read transaction.
//
// Thread-safety: thread-safe if the Store is (one transaction per call).
#pragma once

#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "service/principal.h"
#include "store/store.h"

namespace cloison::service {

inline constexpr std::string_view kTokenPrefix = "cloison_";
// A token outlives a year of demo or test-clock time only if reissued.
inline constexpr Duration kDefaultTokenLifetime = std::chrono::hours(24 * 366);

class Tokens {
 public:
  Tokens(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // A new token for `principal` (which must exist), valid for `lifetime`.
  // The only time the token's text exists outside the caller.
  Result<std::string> Issue(const Principal& principal, Duration lifetime = kDefaultTokenLifetime);

  // Revokes every active token of `principal_id` (which must exist: NotFound
  // otherwise) on behalf of `actor` (a principal id, or "system" for local
  // administration). Returns how many were revoked; 0 is not an error (the
  // principal may have none left). All or none: one transaction.
  Result<int> RevokeAll(const std::string& principal_id, const std::string& actor = "system");
  // The same inside `tx` (the caller has checked that the principal exists
  // and commits): for revoking tokens and certificates together
  // (service/certificates.h, RevokePrincipal).
  static Result<int> RevokeAllIn(store::WriteTx& tx, const Clock& clock, Time now,
                                 const std::string& principal_id, const std::string& actor);

  // The principal id a token stands for. NotFound for a malformed or unknown
  // token, FailedPrecondition for an expired or revoked one; the messages
  // never repeat the token.
  Result<std::string> Resolve(std::string_view token) const;
  // The same, read in `tx` and judged at `now`, so that a caller can read
  // the token, the principal and a certificate in one snapshot (one read
  // transaction; service/certificates.h, Authenticate).
  // `ends_at`, if not null, gets the token's end (microseconds since the
  // epoch) when it resolves.
  static Result<std::string> ResolveIn(store::ReadTx& tx, Time now, std::string_view token,
                                       int64_t* ends_at = nullptr);
  // True if `token` has the shape of an issued token ("cloison_" + 64
  // lower-case hex digits): a malformed one is refused without reading.
  static bool WellFormed(std::string_view token);

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace cloison::service
