#include "api/errors.h"

#include <boost/json.hpp>

#include "base/utf8.h"
#include "service/codec.h"
#include "service/vault.h"

namespace cloison::api {
namespace json = boost::json;
namespace {

struct Mapping {
  int status;
  std::string_view code;
};

Mapping Map(Code code) {
  switch (code) {
    case Code::kOk:
      return {200, "OK"};
    case Code::kInvalidArgument:
      return {400, "INVALID_ARGUMENT"};
    case Code::kNotFound:
      return {404, "NOT_FOUND"};
    case Code::kFailedPrecondition:
      return {409, "FAILED_PRECONDITION"};
    case Code::kPermissionDenied:
      return {403, "PERMISSION_DENIED"};
    case Code::kAlreadyExists:
      return {409, "ALREADY_EXISTS"};
    case Code::kUnimplemented:
      return {501, "UNIMPLEMENTED"};
    // The store is busy or unreachable: the client may retry.
    case Code::kIoError:
      return {503, "UNAVAILABLE"};
    case Code::kCorruption:
    case Code::kInternal:
      return {500, "INTERNAL"};
  }
  return {500, "INTERNAL"};
}

Mapping Map(HttpError e) {
  switch (e) {
    case HttpError::kUnauthenticated:
      return {401, "UNAUTHENTICATED"};
    case HttpError::kNotFound:
      return {404, "NOT_FOUND"};
    case HttpError::kMethodNotAllowed:
      return {405, "METHOD_NOT_ALLOWED"};
    case HttpError::kRequestTimeout:
      return {408, "REQUEST_TIMEOUT"};
    case HttpError::kGone:
      return {410, "GONE"};
    case HttpError::kPayloadTooLarge:
      return {413, "PAYLOAD_TOO_LARGE"};
    case HttpError::kUnsupportedMediaType:
      return {415, "UNSUPPORTED_MEDIA_TYPE"};
    case HttpError::kHeadersTooLarge:
      return {431, "HEADERS_TOO_LARGE"};
    case HttpError::kNotReady:
      return {503, "UNAVAILABLE"};
  }
  return {500, "INTERNAL"};
}

HttpResponse Body(Mapping m, std::string_view message, json::array violations) {
  HttpResponse r;
  r.status = m.status;
  // Messages quote what the client sent, and a JSON text must be UTF-8
  // (RFC 8259), which boost::json does not check when it serialises.
  json::object error{
      {"code", m.code}, {"message", ValidUtf8(message)}, {"violations", std::move(violations)}};
  r.body = json::serialize(json::object{{"error", std::move(error)}});
  if (m.status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"cloison\"");
  return r;
}

}  // namespace

int HttpStatusOf(Code code) {
  return Map(code).status;
}
std::string_view ErrorCodeOf(Code code) {
  return Map(code).code;
}

HttpResponse ErrorResponse(const Status& status) {
  // Two vault errors carry more than their code says: an item that existed
  // and was destroyed is gone, not in a wrong state (410, API.md), and an
  // item over the size limit is too large, not malformed (413).
  if (service::IsDestroyed(status)) return Body(Map(HttpError::kGone), status.message(), {});
  if (service::IsTooLarge(status))
    return Body(Map(HttpError::kPayloadTooLarge), status.message(), {});
  Mapping m = Map(status.code());
  bool opaque = m.status == 500;
  return Body(m, opaque ? "internal error (logged)" : std::string_view(status.message()), {});
}

HttpResponse ErrorResponse(HttpError error, std::string message) {
  return Body(Map(error), message, {});
}

HttpResponse LegalRefusal(const std::vector<rules::Violation>& violations,
                          const std::string& subject) {
  std::string message = "the law forbids it:";
  for (const auto& v : violations) message += " " + v.article + " [" + v.rule + "];";
  if (!violations.empty()) message.pop_back();
  HttpResponse r = Body({422, "LEGAL_REFUSAL"}, message, service::ToJson(violations));
  if (!subject.empty()) {
    // Re-serialise with the subject: the refusal was recorded under it.
    json::value v = json::parse(r.body);
    v.as_object()["error"].as_object()["subject"] = subject;
    r.body = json::serialize(v);
  }
  return r;
}

}  // namespace cloison::api
