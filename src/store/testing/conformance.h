// The storage contract's conformance suite (Trillian's storage/testonly in
// spirit): every outcome spelled out in store/store.h, as cases that any
// backend must pass. It uses no test framework, so a backend's test can drive
// it from gtest (see store/sqlite/sqlite_test.cc) and a future PostgreSQL
// backend runs exactly the same cases.
//
// Each case returns OK, or a Status whose message says which expectation
// failed, where (conformance_tx.cc:LINE...), and what was got and wanted.
//
// Thread-safety: cases are independent; each runs on the storage its factory
// opens. Some cases start threads of their own and join them before returning.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "base/status.h"
#include "store/store.h"

namespace cloison::store::testing {

// Opens the case's storage. The caller gives each case fresh, empty storage
// (a new file, a new database); within one case, every call opens the SAME
// storage again (that is how "reopen persists" is tested). A case destroys
// the previous Store before calling the factory again.
using StoreFactory = std::function<Result<std::unique_ptr<Store>>()>;

struct ConformanceCase {
  std::string_view name;  // PascalCase, usable as a gtest parameter name
  Status (*run)(const StoreFactory& open);
};

// Every case of the suite, in a stable order.
std::span<const ConformanceCase> ConformanceCases();

}  // namespace cloison::store::testing
