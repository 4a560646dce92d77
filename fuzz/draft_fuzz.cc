// Fuzzes the request parser of the API (POST /requests body): any bytes give
// a draft or an InvalidArgument naming a field, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <boost/json.hpp>

#include "service/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return 0;
  auto draft = cloison::service::DraftFromJson(v);
  if (!draft.ok() && draft.status().message().empty()) __builtin_trap();
  if (draft.ok()) {
    // What was accepted encodes and decodes to itself.
    auto again = cloison::service::DraftFromJson(cloison::service::ToJson(*draft));
    if (!again.ok() || again->purposes != draft->purposes || again->targets != draft->targets ||
        again->duration_days != draft->duration_days)
      __builtin_trap();
  }
  return 0;
}
