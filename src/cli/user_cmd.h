// `cloison user revoke --data DIR --principal ID`: revokes every bearer
// token (service/tokens.h) and every client certificate
// (service/certificates.h) of a principal in one transaction, one
// `token.revoked` or `certificate.revoked` event each.
// Local administration, like `user add` (which lives in cli.cc): whoever can
// open the instance directory may run it; the events name "system".
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace cloison::cli {

// The lines this command adds to `cloison help`.
extern const std::string_view kUserRevokeUsage;

// Runs `user revoke ...`; args[0] is "user", args[1] "revoke". Exit codes
// as cli::Main: 0 success, 1 failure, 2 usage error.
int RunUserRevokeCommand(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err);

}  // namespace cloison::cli
