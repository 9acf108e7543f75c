#pragma once
// The filesystem and process side of `kubectl diff` (pkg/cmd/diff/diff.go Directory and
// DiffProgram): the LIVE-/MERGED- temp directories and the diff program run over them.
#include <optional>
#include <string>
#include <utility>

#include "client/errors.h"

namespace kapi::client {

// A fresh directory $TMPDIR/<prefix>-<random> (os.MkdirTemp), removed recursively on destruction.
class TempDir {
 public:
  static Result<TempDir> create(const std::string& prefix);
  TempDir(TempDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir();
  const std::string& path() const { return path_; }
  // Writes (or overwrites) the file `name` in the directory with mode 0700, as upstream does.
  std::optional<CmdError> write_file(const std::string& name, const std::string& content) const;

 private:
  explicit TempDir(std::string p) : path_(std::move(p)) {}
  std::string path_;
};

// Runs $KUBECTL_EXTERNAL_DIFF (its first word; later words only if they match
// ^[a-zA-Z0-9-=]+$, appended after the directories) or `diff -u -N from to`, with this
// process's stdout and stderr. Returns its exit status, or kubectl's `failed to run "diff": ...`
// error when it cannot start or exits above 1.
Result<int> run_diff_program(const std::string& from, const std::string& to);

}  // namespace kapi::client
