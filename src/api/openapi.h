// The OpenAPI 3.0 description of the API, served at /v1/openapi.json. It is
// written by hand (openapi.cc) so that it documents what clients need, and
// kept true by api_test's OpenApi tests: its paths, methods, operation ids
// and x-roles must be exactly the router's routes and the access table.
#pragma once

#include <string_view>

namespace cloison::api {

std::string_view OpenApiDocument();

}  // namespace cloison::api
