// For the server's tests: the instance PKI of a harness's directory and a
// server for its Api on an ephemeral port of 127.0.0.1 (tests never listen
// elsewhere).
#pragma once

#include <memory>
#include <string>

#include "api/api.h"
#include "base/clock.h"
#include "base/status.h"
#include "server/pki.h"
#include "server/server.h"

namespace cloison::server::testing {

// Fills `pki` and `server`; `options.listen` is replaced.
inline Status StartOnLoopback(api::Api& api, const std::string& dir, ServerOptions options,
                              PkiPaths& pki, std::unique_ptr<Server>& server) {
  SystemClock system;
  ASSIGN_OR_RETURN(pki, EnsurePki(dir, system));
  options.listen = "127.0.0.1:0";
  ASSIGN_OR_RETURN(server,
                   Server::Start(api, {pki.server_cert, pki.server_key, pki.ca_cert}, options));
  return Status::Ok();
}

}  // namespace cloison::server::testing
