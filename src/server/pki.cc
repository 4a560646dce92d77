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
  ClientCredentials out{(fs::path(dir) / (principal_id + ".pem")).string(),
                        (fs::path(dir) / (principal_id + ".key")).string()};
  RETURN_IF_ERROR(Write(out.key_path, leaf->key_pem, true));
  RETURN_IF_ERROR(Write(out.cert_path, leaf->cert_pem, false));
  crypto::WipeString(leaf->key_pem);
  return out;
}

}  // namespace cloison::server
