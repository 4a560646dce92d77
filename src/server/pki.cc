#include "server/pki.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/id.h"
#include "crypto/secret.h"
#include "crypto/x509.h"

namespace cloison::server {
namespace fs = std::filesystem;
namespace {

constexpr auto kDay = std::chrono::hours(24);

Result<std::string> Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes atomically (temporary file then rename); `secret` files are 0600
// from creation.
Status Write(const std::string& path, const std::string& text, bool secret) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError("cannot write " + tmp);
    std::error_code ec;
    fs::permissions(tmp,
                    secret ? fs::perms::owner_read | fs::perms::owner_write
                           : fs::perms::owner_read | fs::perms::owner_write |
                                 fs::perms::group_read | fs::perms::others_read,
                    fs::perm_options::replace, ec);
    if (ec) return Status::IoError("cannot set permissions of " + tmp + ": " + ec.message());
    out << text;
    out.flush();
    if (!out) return Status::IoError("cannot write " + tmp);
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status::IoError("cannot rename " + tmp + ": " + ec.message());
  return Status::Ok();
}

Status MakeDir(const std::string& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return Status::IoError("cannot create " + path + ": " + ec.message());
  fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace, ec);
  return Status::Ok();
}

Result<crypto::CertAndKey> LoadCa(const PkiPaths& p) {
  crypto::CertAndKey ca;
  ASSIGN_OR_RETURN(ca.cert_pem, Read(p.ca_cert));
  ASSIGN_OR_RETURN(ca.key_pem, Read(p.ca_key));
  return ca;
}

}  // namespace

PkiPaths PkiPathsOf(const std::string& data_dir) {
  fs::path d = fs::path(data_dir) / "pki";
  return {(d / "ca.pem").string(), (d / "ca.key").string(), (d / "server.pem").string(),
          (d / "server.key").string()};
}

Result<PkiPaths> EnsurePki(const std::string& data_dir, const Clock& clock) {
  PkiPaths p = PkiPathsOf(data_dir);
  RETURN_IF_ERROR(MakeDir((fs::path(data_dir) / "pki").string()));
  Time now = clock.Now();
  bool new_ca = false;
  if (!fs::exists(p.ca_cert) || !fs::exists(p.ca_key)) {
    ASSIGN_OR_RETURN(
        auto ca, crypto::MakeCa("Cloison instance CA " + RandomIdGenerator().Next("ca"), now - kDay,
                                now + 3650 * kDay));
    RETURN_IF_ERROR(Write(p.ca_key, ca.key_pem, true));
    RETURN_IF_ERROR(Write(p.ca_cert, ca.cert_pem, false));
    crypto::WipeString(ca.key_pem);
    new_ca = true;
  }
  if (new_ca || !fs::exists(p.server_cert) || !fs::exists(p.server_key)) {
    ASSIGN_OR_RETURN(auto ca, LoadCa(p));
    crypto::LeafSpec spec{"localhost", {"localhost"}, {"127.0.0.1", "::1"}, true,
                          false,       now - kDay,    now + 365 * kDay};
    auto leaf = crypto::IssueCertificate(ca, spec);
    crypto::WipeString(ca.key_pem);
    if (!leaf.ok()) return leaf.status();
    RETURN_IF_ERROR(Write(p.server_key, leaf->key_pem, true));
    RETURN_IF_ERROR(Write(p.server_cert, leaf->cert_pem + ca.cert_pem, false));
    crypto::WipeString(leaf->key_pem);
  }
  return p;
}

Result<ClientCredentials> IssueClientCertificate(const std::string& data_dir,
                                                 const std::string& principal_id,
                                                 const Clock& clock) {
  if (!IsWellFormedId(principal_id))
    return Status::InvalidArgument("principal: got \"" + principal_id + "\", want an id");
  ASSIGN_OR_RETURN(PkiPaths p, EnsurePki(data_dir, clock));
  std::string dir = (fs::path(data_dir) / "pki" / "clients").string();
  RETURN_IF_ERROR(MakeDir(dir));
  ASSIGN_OR_RETURN(auto ca, LoadCa(p));
  Time now = clock.Now();
  crypto::LeafSpec spec{principal_id, {}, {}, false, true, now - kDay, now + 365 * kDay};
  auto leaf = crypto::IssueCertificate(ca, spec);
  crypto::WipeString(ca.key_pem);
  if (!leaf.ok()) return leaf.status();
  ASSIGN_OR_RETURN(crypto::CertInfo info, crypto::InspectCertificate(leaf->cert_pem));
  ClientCredentials out{(fs::path(dir) / (principal_id + ".pem")).string(),
                        (fs::path(dir) / (principal_id + ".key")).string(), info.serial,
                        info.not_before, info.not_after};
  RETURN_IF_ERROR(Write(out.key_path, leaf->key_pem, true));
  RETURN_IF_ERROR(Write(out.cert_path, leaf->cert_pem, false));
  crypto::WipeString(leaf->key_pem);
  return out;
}

Result<ClientCredentials> ReadClientCertificate(const std::string& data_dir,
                                                const std::string& principal_id) {
  if (!IsWellFormedId(principal_id))
    return Status::InvalidArgument("principal: got \"" + principal_id + "\", want an id");
  fs::path dir = fs::path(data_dir) / "pki" / "clients";
  ClientCredentials out{(dir / (principal_id + ".pem")).string(),
                        (dir / (principal_id + ".key")).string(), "", Time{}, Time{}};
  std::error_code ec;
  if (!fs::exists(out.cert_path, ec))
    return Status::NotFound("client certificate: no " + out.cert_path);
  ASSIGN_OR_RETURN(std::string pem, Read(out.cert_path));
  ASSIGN_OR_RETURN(std::string ca_pem, Read(PkiPathsOf(data_dir).ca_cert));
  auto info = crypto::InspectCertificate(pem);
  if (!info.ok()) return Status::InvalidArgument(out.cert_path + ": " + info.status().message());
  if (info->common_name != principal_id)
    return Status::InvalidArgument(out.cert_path + ": common name " + info->common_name +
                                   ", want " + principal_id);
  // Signed by this instance's CA (validity aside: an expired one is still
  // worth listing as revoked).
  if (!crypto::VerifyCertificate(pem, ca_pem, info->not_before))
    return Status::InvalidArgument(out.cert_path + ": not issued by " +
                                   PkiPathsOf(data_dir).ca_cert);
  out.serial = info->serial;
  out.not_before = info->not_before;
  out.not_after = info->not_after;
  return out;
}

}  // namespace cloison::server
