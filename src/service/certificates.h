// The instance's register of client certificates (mTLS, API.md): which
// certificate the instance CA issued to which principal, and which were
// revoked. The TLS layer proves that a certificate was signed by the CA; only
// this register can say that it was since withdrawn, so the server asks it
// on every request made with a certificate (api::Api::Authenticate), and a
// revocation made by `cloison user revoke` while the server runs takes
// effect at the next request, also on a connection already open.
//
// Records: kind "certificate", id = the serial (crypto::SerialHex), group =
// the principal id (so a principal's certificates list without a scan),
// state "active" or "revoked", starts_at/ends_at = the validity, body =
// canonical JSON {"principal", "revoked_at"?, "revoked_by"?}. Events:
// "certificate.issued" and "certificate.revoked" (doc/formats/event.md),
// subject the serial, naming the principal, never a key.
//
// The register is a deny list: a serial it does not know passes (the CA
// verified it; certificates issued before the register existed are not in
// it), which is why revocation also takes certificates known from outside
// the register (the PEM under DIR/pki/clients/) and records them as revoked.
//
// Authenticate (below) is how the API turns what a request presents into a
// principal: the token, the principal and the certificate are read in one
// read transaction, so a request costs one snapshot of the store, and what
// it reads is never older than that snapshot (no cache): a token or a
// certificate revoked by a commit before the request began, from this
// process or another one on the same store, is refused.
//
// Thread-safety: thread-safe if the Store is (one transaction per call).
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "service/principal.h"
#include "store/store.h"

namespace cloison::service {

struct CertificateRef {
  std::string serial;  // crypto::SerialHex: lower-case hex, no leading zeros
  Time not_before;
  Time not_after;
};

class ClientCertificates {
 public:
  ClientCertificates(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Records that the CA issued `cert` to `principal_id` (which must exist:
  // NotFound otherwise). InvalidArgument naming the field for a malformed
  // serial or validity; AlreadyExists if the serial is registered.
  Status Register(const std::string& principal_id, const CertificateRef& cert,
                  const std::string& actor = "system");

  // Revokes, in `tx`, every active registered certificate of `principal_id`
  // and each of `also` not yet revoked (certificates of this principal known
  // outside the register), one "certificate.revoked" event each. Returns how
  // many were revoked. The caller has checked that the principal exists.
  // A serial of `also` registered to another principal is InvalidArgument.
  static Result<int> RevokeAllIn(store::WriteTx& tx, const Clock& clock, Time now,
                                 const std::string& principal_id, const std::string& actor,
                                 const std::vector<CertificateRef>& also);

  // Ok unless the certificate `serial` presented by `principal_id` (its
  // CN) may not be used: FailedPrecondition "client certificate serial X of
  // principal Y was revoked at T", or naming the principal it was issued to
  // if that is another one. IoError if the store cannot answer.
  Status Check(std::string_view principal_id, std::string_view serial) const;
  // The same, read in `tx` (IoError if it cannot answer): see Authenticate.
  static Status CheckIn(store::ReadTx& tx, std::string_view principal_id, std::string_view serial);

 private:
  store::Store& store_;
  const Clock& clock_;
};

struct RevokedCredentials {
  int tokens = 0;
  int certificates = 0;
};

// Revokes every bearer token (service/tokens.h) and every client
// certificate of `principal_id` in one transaction: all or none. NotFound
// naming the field "principal" if there is no such principal (nothing
// changes). `also` as in RevokeAllIn.
Result<RevokedCredentials> RevokePrincipal(store::Store& store, const Clock& clock,
                                           const std::string& principal_id,
                                           const std::string& actor = "system",
                                           const std::vector<CertificateRef>& also = {});

// What a request presents (API.md, Authentication). The views must outlive
// the call.
struct Credentials {
  // The text after "Bearer " in the Authorization header; nullopt if the
  // request has no such header (an empty token is a malformed one).
  std::optional<std::string_view> token;
  // A client certificate the TLS layer verified against the instance CA:
  // its CN (the principal id) and its serial (crypto::SerialHex). Both ""
  // without a certificate; a serial "" with a CN is not looked up.
  std::string_view cert_principal;
  std::string_view cert_serial;
};

// The principal behind `credentials`, at `clock`'s now. At most one read
// transaction, begun only when something must be read (malformed input is
// refused without one; a certificate without a token, or a token without a
// certificate, reads in the same one as the principal). In this order:
// the certificate (revoked, or issued to another principal), the token
// (malformed, unknown, revoked, expired), neither given, the two naming
// different principals, the principal unknown. Each refusal is
// InvalidArgument with what was wrong (never the token itself); IoError
// "credentials: cannot check now" if the store cannot answer or holds a
// record it cannot decode.
Result<Principal> Authenticate(store::Store& store, const Clock& clock,
                               const Credentials& credentials);

// Authenticate, remembering what it accepted. A request whose credentials
// (token, certificate name and serial) were accepted before is answered
// without reading the store while no record of the kinds credentials are
// made of (principal, token, certificate) has changed since, which
// store::Store::ChangeStamp tells from memory shared by every process on
// the store: a revocation, a new role, a new certificate, committed by this
// process or by `cloison user ...` in another, empties it before the next
// request that begins after the commit has returned. An entry is also kept
// at most `max_age` (a process that died between its commit and the stamp's
// growth would otherwise leave it unseen). The token's end is judged again
// at every request, at the clock's now. Refusals are never remembered. At
// most `max_entries`; when full, it starts over. The kept tokens are their
// SHA-256, never the tokens. A store without ChangeStamp: nothing kept.
//
// Thread-safe.
class CredentialCache {
 public:
  explicit CredentialCache(size_t max_entries = 4096,
                           std::chrono::steady_clock::duration max_age = std::chrono::seconds(1))
      : max_entries_(max_entries), max_age_(max_age) {}
  Result<Principal> Authenticate(store::Store& store, const Clock& clock,
                                 const Credentials& credentials);
  // The kinds whose changes it watches.
  static std::span<const std::string_view> WatchedKinds();

 private:
  struct Entry {
    Principal principal;
    int64_t token_ends_at = 0;  // 0: no token
    std::chrono::steady_clock::time_point filled_at;
  };
  const size_t max_entries_;
  const std::chrono::steady_clock::duration max_age_;
  std::mutex mu_;
  uint64_t stamp_ = 0;                              // guarded by mu_
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
};

}  // namespace cloison::service
