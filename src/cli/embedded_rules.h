// The shipped rulebooks (rules/*.toml), compiled into the binary so that
// `cloison init` and `cloison demo` need no source tree.
#pragma once

#include <string_view>

namespace cloison::cli {

std::string_view DefaultRulebook();  // rules/csi-2021.toml
std::string_view StrictRulebook();   // rules/csi-2021-strict.toml

}  // namespace cloison::cli
