// Writing files so that readers see either the old content or the new one,
// never a part: a temporary file beside the target, fsync, rename, fsync of
// the directory. Used for key files, exported tiles and cosigned notes.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "base/status.h"

namespace cloison::service {

// Writes `data` to `path` atomically with permissions `mode` (set from the
// creation of the temporary file on, so a secret is never readable by
// others). Creates missing parent directories with mode 0755 (0700 when
// `mode` gives others nothing).
Status WriteFileAtomically(const std::string& path, std::string_view data, mode_t mode = 0644);

// Reads a whole file; NotFound if it does not exist.
Result<std::string> ReadWholeFile(const std::string& path);

}  // namespace cloison::service
