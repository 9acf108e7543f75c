#pragma once
// Small filesystem helpers shared by pkg/tls and pkg/kubeconfig.
#include <string>

#include "pkg/tls/result.h"

namespace kapi::tls {

// Creates `dir` and any missing parents with `mode` (existing directories are left as they are).
Status ensure_dir(const std::string& dir, unsigned mode = 0755);

// Writes `data` to `path` atomically: a temporary file in the same directory is created with
// open(O_CREAT|O_EXCL, mode) (so a key written with 0600 is never readable by others, not even
// briefly), written, fsync'ed and renamed over `path`; then the directory is fsync'ed. Missing
// parent directories are created with `dir_mode`.
Status write_file_atomic(const std::string& path, const std::string& data, unsigned mode = 0644,
                         unsigned dir_mode = 0755);

// Reads a whole file. A missing file is ErrorCode::kNotFound.
Result<std::string> read_file(const std::string& path);

bool file_exists(const std::string& path);

}  // namespace kapi::tls
