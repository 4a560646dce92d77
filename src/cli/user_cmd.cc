#include "cli/user_cmd.h"

#include "base/clock.h"
#include "cli/args.h"
#include "server/pki.h"
#include "service/certificates.h"
#include "service/instance.h"

namespace cloison::cli {

const std::string_view kUserRevokeUsage = R"(  user revoke --data DIR --principal ID
                        revoke every bearer token and every client
                        certificate of a principal, in one transaction; the
                        server refuses them from the next request on
                        (401); prints how many of each
)";

int RunUserRevokeCommand(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err) {
  auto usage = [&](const std::string& what) {
    err << "cloison: user revoke: " << what << "\nrun 'cloison help' for usage\n";
    return 2;
  };
  Args a = ParseArgs(args, 2, {"--data", "--principal"}, {});
  if (!a.error.empty()) return usage(a.error);
  if (a.has("--help")) return out << kUserRevokeUsage, 0;
  for (const char* f : {"--data", "--principal"})
    if (!a.has(f)) return usage(std::string(f) + " is required");
  if (!a.positional.empty()) return usage("unexpected argument \"" + a.positional[0] + "\"");
  auto inst = service::OpenInstance(a.get("--data"));
  if (!inst.ok()) {
    err << "user revoke: " << inst.status().message() << "\n";
    return 1;
  }
  SystemClock clock;
  const std::string principal = a.get("--principal");
  // The certificate under DIR/pki/clients/ too: one issued before the
  // register existed is known only from there.
  std::vector<service::CertificateRef> on_disk;
  auto file = server::ReadClientCertificate(a.get("--data"), principal);
  if (file.ok()) {
    on_disk.push_back({file->serial, file->not_before, file->not_after});
  } else if (file.status().code() != Code::kNotFound) {
    err << "user revoke: " << file.status().message() << "\n";
    return 1;
  }
  auto n = service::RevokePrincipal(*inst->store, clock, principal, "system", on_disk);
  if (!n.ok()) {
    err << "user revoke: " << n.status().message() << "\n";
    return 1;
  }
  out << "revoked " << n->tokens << " token(s) and " << n->certificates
      << " client certificate(s) of " << principal << "\n";
  return 0;
}

}  // namespace cloison::cli
