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
// Thread-safety: thread-safe if the Store is (one transaction per call).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
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

}  // namespace cloison::service
