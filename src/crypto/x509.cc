#include "crypto/x509.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "crypto/random.h"

namespace cloison::crypto {
namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Ext = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using Bn = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using StoreCtx = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
using Store = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;

int64_t Seconds(Time t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

Result<Key> NewKey() {
  Key k(EVP_EC_gen("P-256"));
  if (!k) return Status::Internal("x509: cannot generate a P-256 key");
  return k;
}

Result<std::string> KeyPem(EVP_PKEY* k) {
  Bio b(BIO_new(BIO_s_mem()));
  if (!b || PEM_write_bio_PrivateKey(b.get(), k, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return Status::Internal("x509: cannot encode the key");
  char* data = nullptr;
  long n = BIO_get_mem_data(b.get(), &data);
  std::string out(data, static_cast<size_t>(n));
  OPENSSL_cleanse(data, static_cast<size_t>(n));
  return out;
}

Result<std::string> CertPem(X509* c) {
  Bio b(BIO_new(BIO_s_mem()));
  if (!b || PEM_write_bio_X509(b.get(), c) != 1) return Status::Internal("x509: cannot encode");
  char* data = nullptr;
  long n = BIO_get_mem_data(b.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

Result<Cert> ReadCert(std::string_view pem, std::string_view what) {
  Bio b(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Cert c(b ? PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!c) return Status::InvalidArgument(std::string(what) + ": not a PEM certificate");
  return c;
}

Result<Key> ReadKey(std::string_view pem, std::string_view what) {
  Bio b(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Key k(b ? PEM_read_bio_PrivateKey(b.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!k) return Status::InvalidArgument(std::string(what) + ": not a PEM private key");
  return k;
}

Status SetSerial(X509* c) {
  uint8_t bytes[16];
  RETURN_IF_ERROR(RandomBytes(bytes));
  bytes[0] &= 0x7f;  // positive (RFC 5280 4.1.2.2)
  bytes[0] |= 0x01;  // and never zero
  Bn bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
  if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(c)))
    return Status::Internal("x509: cannot set the serial number");
  return Status::Ok();
}

Status SetName(X509_NAME* name, std::string_view cn) {
  if (cn.empty() || cn.size() > 64) return Status::InvalidArgument("common_name: want 1..64 bytes");
  if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>("Cloison"), -1, -1,
                                 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(std::string(cn).c_str()),
                                 -1, -1, 0) != 1)
    return Status::InvalidArgument("common_name: rejected by OpenSSL");
  return Status::Ok();
}

Status AddExt(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  Ext ext(X509V3_EXT_nconf_nid(nullptr, ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
    return Status::InvalidArgument("x509: bad extension " + std::string(OBJ_nid2sn(nid)) + " = " +
                                   value);
  return Status::Ok();
}

Result<Cert> NewCert(EVP_PKEY* subject_key, std::string_view cn, Time not_before, Time not_after) {
  if (not_after <= not_before) return Status::InvalidArgument("not_after: want after not_before");
  Cert c(X509_new());
  if (!c || X509_set_version(c.get(), 2) != 1) return Status::Internal("x509: cannot allocate");
  RETURN_IF_ERROR(SetSerial(c.get()));
  if (!ASN1_TIME_set(X509_getm_notBefore(c.get()), static_cast<time_t>(Seconds(not_before))) ||
      !ASN1_TIME_set(X509_getm_notAfter(c.get()), static_cast<time_t>(Seconds(not_after))))
    return Status::InvalidArgument("x509: validity out of range");
  RETURN_IF_ERROR(SetName(X509_get_subject_name(c.get()), cn));
  if (X509_set_pubkey(c.get(), subject_key) != 1)
    return Status::Internal("x509: cannot set the key");
  return c;
}

std::string NameEntry(const X509_NAME* name, int nid) {
  int i = X509_NAME_get_index_by_NID(name, nid, -1);
  if (i < 0) return {};
  ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, s);
  if (n < 0) return {};
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

Time ToTime(const ASN1_TIME* t) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return Time{};
  return std::chrono::time_point_cast<Duration>(
      std::chrono::sys_seconds(std::chrono::seconds(timegm(&tm))));
}

}  // namespace

Result<CertAndKey> MakeCa(std::string_view common_name, Time not_before, Time not_after) {
  ASSIGN_OR_RETURN(Key key, NewKey());
  ASSIGN_OR_RETURN(Cert c, NewCert(key.get(), common_name, not_before, not_after));
  if (X509_set_issuer_name(c.get(), X509_get_subject_name(c.get())) != 1)
    return Status::Internal("x509: cannot set the issuer");
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, c.get(), c.get(), nullptr, nullptr, 0);
  RETURN_IF_ERROR(AddExt(c.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
  RETURN_IF_ERROR(AddExt(c.get(), &ctx, NID_key_usage, "critical,keyCertSign,cRLSign"));
  RETURN_IF_ERROR(AddExt(c.get(), &ctx, NID_subject_key_identifier, "hash"));
  if (X509_sign(c.get(), key.get(), EVP_sha256()) <= 0)
    return Status::Internal("x509: cannot sign");
  CertAndKey out;
  ASSIGN_OR_RETURN(out.cert_pem, CertPem(c.get()));
  ASSIGN_OR_RETURN(out.key_pem, KeyPem(key.get()));
  return out;
}

Result<CertAndKey> IssueCertificate(const CertAndKey& ca, const LeafSpec& spec) {
  ASSIGN_OR_RETURN(Cert ca_cert, ReadCert(ca.cert_pem, "ca.cert_pem"));
  ASSIGN_OR_RETURN(Key ca_key, ReadKey(ca.key_pem, "ca.key_pem"));
  if (X509_check_private_key(ca_cert.get(), ca_key.get()) != 1)
    return Status::InvalidArgument("ca: the key does not match the certificate");
  if (!spec.server && !spec.client)
    return Status::InvalidArgument("spec: want server and/or client");
  ASSIGN_OR_RETURN(Key key, NewKey());
  ASSIGN_OR_RETURN(Cert c, NewCert(key.get(), spec.common_name, spec.not_before, spec.not_after));
  if (X509_set_issuer_name(c.get(), X509_get_subject_name(ca_cert.get())) != 1)
    return Status::Internal("x509: cannot set the issuer");
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, ca_cert.get(), c.get(), nullptr, nullptr, 0);
  RETURN_IF_ERROR(AddExt(c.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE"));
  RETURN_IF_ERROR(AddExt(c.get(), &ctx, NID_key_usage, "critical,digitalSignature"));
  std::string eku;
  if (spec.server) eku = "serverAuth";
  if (spec.client) eku += std::string(eku.empty() ? "" : ",") + "clientAuth";
  RETURN_IF_ERROR(AddExt(c.get(), &ctx, NID_ext_key_usage, eku));
  RETURN_IF_ERROR(AddExt(c.get(), &ctx, NID_subject_key_identifier, "hash"));
  RETURN_IF_ERROR(AddExt(c.get(), &ctx, NID_authority_key_identifier, "keyid:always"));
  std::string san;
  for (const auto& d : spec.dns) {
    if (d.empty() || d.find_first_of(",\n") != std::string::npos)
      return Status::InvalidArgument("dns: bad name \"" + d + "\"");
    san += (san.empty() ? "" : ",") + std::string("DNS:") + d;
  }
  for (const auto& ip : spec.ips) {
    if (ip.empty() || ip.find_first_of(",\n") != std::string::npos)
      return Status::InvalidArgument("ips: bad address \"" + ip + "\"");
    san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
  }
  if (!san.empty()) RETURN_IF_ERROR(AddExt(c.get(), &ctx, NID_subject_alt_name, san));
  if (X509_sign(c.get(), ca_key.get(), EVP_sha256()) <= 0)
    return Status::Internal("x509: cannot sign");
  CertAndKey out;
  ASSIGN_OR_RETURN(out.cert_pem, CertPem(c.get()));
  ASSIGN_OR_RETURN(out.key_pem, KeyPem(key.get()));
  return out;
}

Result<CertInfo> InspectCertificate(std::string_view cert_pem) {
  ASSIGN_OR_RETURN(Cert c, ReadCert(cert_pem, "certificate"));
  CertInfo info;
  info.common_name = SubjectCommonName(c.get());
  info.issuer_common_name = NameEntry(X509_get_issuer_name(c.get()), NID_commonName);
  info.serial = SerialHex(c.get());
  info.not_before = ToTime(X509_get0_notBefore(c.get()));
  info.not_after = ToTime(X509_get0_notAfter(c.get()));
  info.is_ca = X509_check_ca(c.get()) != 0;
  return info;
}

bool VerifyCertificate(std::string_view cert_pem, std::string_view ca_cert_pem, Time at) {
  auto c = ReadCert(cert_pem, "certificate");
  auto ca = ReadCert(ca_cert_pem, "ca");
  if (!c.ok() || !ca.ok()) return false;
  Store store(X509_STORE_new());
  StoreCtx ctx(X509_STORE_CTX_new());
  if (!store || !ctx || X509_STORE_add_cert(store.get(), ca->get()) != 1) return false;
  if (X509_STORE_CTX_init(ctx.get(), store.get(), c->get(), nullptr) != 1) return false;
  X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(Seconds(at)));
  return X509_verify_cert(ctx.get()) == 1;
}

std::string SubjectCommonName(const x509_st* cert) {
  if (cert == nullptr) return {};
  return NameEntry(X509_get_subject_name(cert), NID_commonName);
}

std::string SerialHex(const x509_st* cert) {
  if (cert == nullptr) return {};
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
  Bn bn(serial ? ASN1_INTEGER_to_BN(serial, nullptr) : nullptr);
  if (!bn) return {};
  char* hex = BN_bn2hex(bn.get());
  if (hex == nullptr) return {};
  std::string out(hex);
  OPENSSL_free(hex);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'F') ch = static_cast<char>(ch - 'A' + 'a');
  // BN_bn2hex pads to whole bytes; the register keys drop the padding.
  size_t nz = out.find_first_not_of('0');
  return nz == std::string::npos ? "0" : out.substr(nz);
}

}  // namespace cloison::crypto
