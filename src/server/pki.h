// The instance's PKI under DIR/pki/ (API.md): a local CA, the server's
// certificate for 127.0.0.1/localhost, and the client certificates of
// `cloison user add` for mTLS (their CN is the principal id).
//
//   DIR/pki/ca.pem  ca.key          the CA (key 0600)
//   DIR/pki/server.pem  server.key  the server's certificate and key
//   DIR/pki/clients/PRINCIPAL.pem  PRINCIPAL.key
//
// Certificates carry real (system clock) validity, whatever clock the
// workflow reads: TLS peers check them against their own time.
#pragma once

#include <string>

#include "base/clock.h"
#include "base/status.h"

namespace cloison::server {

struct PkiPaths {
  std::string ca_cert;
  std::string ca_key;
  std::string server_cert;
  std::string server_key;
};

PkiPaths PkiPathsOf(const std::string& data_dir);

// Creates whatever of the CA and the server certificate is missing (a new
// CA also means a new server certificate). Idempotent.
Result<PkiPaths> EnsurePki(const std::string& data_dir, const Clock& clock);

struct ClientCredentials {
  std::string cert_path;
  std::string key_path;
  // What the certificate register records (service/certificates.h).
  std::string serial;  // crypto::SerialHex
  Time not_before;
  Time not_after;
};

// Issues a client certificate (clientAuth, CN = principal id, one year),
// replacing the files of an earlier one. The caller registers it
// (service::ClientCertificates::Register) so that it can be revoked.
Result<ClientCredentials> IssueClientCertificate(const std::string& data_dir,
                                                 const std::string& principal_id,
                                                 const Clock& clock);

// The certificate DIR/pki/clients/PRINCIPAL.pem, if the CA issued it (for
// revocation: certificates issued before the register existed are known
// only from there). NotFound if there is no such file; InvalidArgument for
// a file that is not a certificate of this CA for this principal.
Result<ClientCredentials> ReadClientCertificate(const std::string& data_dir,
                                                const std::string& principal_id);

}  // namespace cloison::server
