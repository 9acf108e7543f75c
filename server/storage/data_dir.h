#pragma once
// The data directory: created private (0700) and durable, locked against a second process.
#include <string>

namespace kapi::storage {

// mkdir -p with mode 0700 for the missing components; fsyncs the parent of each one created so
// the directory itself survives a power cut. Returns "" or an error message.
std::string ensure_dir(const std::string& path);
// fsync of a directory (makes file creations/renames in it durable). Returns "" or an error.
std::string fsync_dir(const std::string& path);

// An exclusive flock on DIR/kapi.lock for the life of the object: two servers on one data
// dir would each believe they own the revision counter.
class DirLock {
 public:
  DirLock() = default;
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;
  // Returns "" or an error message.
  std::string acquire(const std::string& dir);

 private:
  int fd_ = -1;
};

}  // namespace kapi::storage
