#include "server/storage/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kapi::storage {
namespace {

std::string errno_message(const std::string& what) { return what + ": " + std::strerror(errno); }

std::string parent_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

std::string fsync_dir(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_message("open directory " + path);
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  errno = saved;
  return rc == 0 ? "" : errno_message("fsync directory " + path);
}

std::string ensure_dir(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  struct stat st;
  if (::stat(p.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return "data dir " + path + " exists and is not a directory";
    return "";
  }
  if (errno != ENOENT) return errno_message("stat " + path);
  std::string parent = parent_of(p);
  if (parent != p) {
    if (auto err = ensure_dir(parent); !err.empty()) return err;
  }
  if (::mkdir(p.c_str(), 0700) != 0 && errno != EEXIST) return errno_message("create data dir " + p);
  return fsync_dir(parent);
}

DirLock::~DirLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor drops the flock
}

std::string DirLock::acquire(const std::string& dir) {
  std::string path = dir + "/kapi.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) return errno_message("open " + path);
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      return "data dir " + dir + " is in use by another kapi process (" + path + " is locked)";
    return errno_message("lock " + path);
  }
  return "";
}

}  // namespace kapi::storage
