// The one place that maps errors to HTTP (STYLE.md: "one file maps codes").
// Every error answer has the body of API.md:
//   {"error": {"code": "...", "message": "...", "violations": [...]}}
// A legal refusal is 422 LEGAL_REFUSAL with the violated rules and articles.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/http.h"
#include "base/status.h"
#include "rules/rulebook.h"

namespace cloison::api {

// Errors that only the HTTP layer knows (no Status code stands for them).
enum class HttpError {
  kUnauthenticated,       // 401: no or bad credentials
  kNotFound,              // 404: no such route
  kMethodNotAllowed,      // 405
  kRequestTimeout,        // 408: the client was too slow
  kGone,                  // 410: destroyed
  kPayloadTooLarge,       // 413
  kUnsupportedMediaType,  // 415
  kHeadersTooLarge,       // 431
  kNotReady,              // 503
};

// The HTTP status and error code of a non-OK Status.
int HttpStatusOf(Code code);
std::string_view ErrorCodeOf(Code code);

// The error body for a Status. Errors the client cannot act on (corruption,
// internal) answer a generic message: the detail goes to the log only. The
// vault's destroyed error (service::IsDestroyed) is 410 GONE and its
// too-large error (service::IsTooLarge) 413 PAYLOAD_TOO_LARGE, whatever
// their codes map to otherwise.
HttpResponse ErrorResponse(const Status& status);
HttpResponse ErrorResponse(HttpError error, std::string message);
// 422 LEGAL_REFUSAL; `subject` (a record the refusal was stored under, e.g.
// the refused request) is added to the error object when not empty.
HttpResponse LegalRefusal(const std::vector<rules::Violation>& violations,
                          const std::string& subject = {});

}  // namespace cloison::api
