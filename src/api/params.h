// Query parameters shared by the handlers: unknown ones are errors (as
// unknown body fields are), and lists take `limit` and `after` (the last id
// of the previous page).
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "api/router.h"
#include "base/status.h"
#include "base/time.h"

namespace cloison::api {

// InvalidArgument naming the first parameter not in `known`.
Status CheckQuery(const Call& c, std::initializer_list<std::string_view> known);

struct PageQuery {
  size_t limit = 0;
  std::string after;  // the last id of the previous page, "" for the first
};

// `limit` (1..max, default `def`) and `after`; InvalidArgument naming `limit`.
Result<PageQuery> ReadPage(const Call& c, int def, int max);

// An RFC 3339 time parameter: nullopt when absent (and not `required`);
// InvalidArgument naming it when malformed or required and absent.
Result<std::optional<Time>> QueryTime(const Call& c, std::string_view name, bool required);

}  // namespace cloison::api
