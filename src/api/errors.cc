#include "api/errors.h"

#include <boost/json.hpp>

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

// The length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no
// overlong form, no surrogate, at most U+10FFFF), 0 if there is none.
size_t Utf8SequenceAt(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size() || b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  return n;
}

// `text` with each byte that is not part of well-formed UTF-8 replaced by
// U+FFFD: messages quote what the client sent, and a JSON text must be
// UTF-8 (RFC 8259), which boost::json does not check when it serialises.
std::string ValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = Utf8SequenceAt(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

HttpResponse Body(Mapping m, std::string_view message, json::array violations) {
  HttpResponse r;
  r.status = m.status;
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
