#include "cli/user_cmd.h"

#include "base/clock.h"
#include "cli/args.h"
#include "service/instance.h"
#include "service/tokens.h"

namespace cloison::cli {

const std::string_view kUserRevokeUsage = R"(  user revoke --data DIR --principal ID
                        revoke every bearer token of a principal (its client
                        certificate is not revoked); prints how many
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
  service::Tokens tokens(*inst->store, clock);
  auto n = tokens.RevokeAll(a.get("--principal"));
  if (!n.ok()) {
    err << "user revoke: " << n.status().message() << "\n";
    return 1;
  }
  out << "revoked " << *n << " token(s) of " << a.get("--principal") << "\n";
  return 0;
}

}  // namespace cloison::cli
