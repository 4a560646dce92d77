// X.509 certificates for the instance's own small PKI (API.md: `cloison
// init` makes a local CA and a server certificate; `cloison user add` a
// client certificate for mTLS). ECDSA P-256 keys, SHA-256 signatures,
// random 128-bit serial numbers, through OpenSSL's X509 API.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"

// OpenSSL's certificate type, so that callers holding one (the TLS layer)
// need not include OpenSSL headers for the declaration below.
struct x509_st;

namespace cloison::crypto {

// The subject's common name (UTF-8), "" if it has none.
std::string SubjectCommonName(const x509_st* cert);
// The serial number in lower-case hex without leading zeros ("" if none):
// the key of the instance's certificate register (service/certificates.h).
std::string SerialHex(const x509_st* cert);

// A certificate and its private key, both PEM. The key is secret: callers
// write it with owner-only permissions and wipe copies (WipeString).
struct CertAndKey {
  std::string cert_pem;
  std::string key_pem;
};

// A self-signed CA certificate (basicConstraints CA:TRUE, pathlen 0).
Result<CertAndKey> MakeCa(std::string_view common_name, Time not_before, Time not_after);

struct LeafSpec {
  std::string common_name;       // for a client certificate: the principal id
  std::vector<std::string> dns;  // subjectAltName DNS names
  std::vector<std::string> ips;  // subjectAltName IP addresses ("127.0.0.1", "::1")
  bool server = false;           // extendedKeyUsage serverAuth
  bool client = false;           // extendedKeyUsage clientAuth
  Time not_before;
  Time not_after;
};

// A certificate for `spec` signed by `ca`. InvalidArgument naming the field
// for an unusable spec or CA.
Result<CertAndKey> IssueCertificate(const CertAndKey& ca, const LeafSpec& spec);

// Facts about a PEM certificate, for checks and tests.
struct CertInfo {
  std::string common_name;
  std::string issuer_common_name;
  std::string serial;  // SerialHex
  Time not_before;
  Time not_after;
  bool is_ca = false;
};
Result<CertInfo> InspectCertificate(std::string_view cert_pem);

// True if `cert_pem` was signed by the key of `ca_cert_pem` and is within
// its validity at `at`.
bool VerifyCertificate(std::string_view cert_pem, std::string_view ca_cert_pem, Time at);

}  // namespace cloison::crypto
