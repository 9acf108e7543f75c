#include "pkg/tls/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

namespace kapi::tls {
namespace {

std::string errno_text(const std::string& op, const std::string& path, int err) {
  return op + " " + path + ": " + std::strerror(err);
}

std::string parent_dir(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

Status ensure_dir(const std::string& dir, unsigned mode) {
  if (dir.empty() || dir == "." || dir == "/") return {};
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return {};
    return make_error("mkdir " + dir + ": not a directory", ErrorCode::kIo);
  }
  if (auto parent = parent_dir(dir); parent != dir) {
    if (auto s = ensure_dir(parent, mode); !s.ok()) return s;
  }
  if (::mkdir(dir.c_str(), mode) != 0 && errno != EEXIST) {
    return make_error(errno_text("mkdir", dir, errno), ErrorCode::kIo);
  }
  return {};
}

Status write_file_atomic(const std::string& path, const std::string& data, unsigned mode,
                         unsigned dir_mode) {
  const std::string dir = parent_dir(path);
  if (auto s = ensure_dir(dir, dir_mode); !s.ok()) return s;

  std::random_device rd;
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
    tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(rd());
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0 && errno != EEXIST) return make_error(errno_text("open", tmp, errno), ErrorCode::kIo);
  }
  if (fd < 0) return make_error("open " + tmp + ": could not create a temporary file", ErrorCode::kIo);

  auto fail = [&](const char* op) -> Status {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return make_error(errno_text(op, tmp, err), ErrorCode::kIo);
  };
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write");
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("fsync");
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return make_error(errno_text("close", tmp, err), ErrorCode::kIo);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return make_error(errno_text("rename", path, err), ErrorCode::kIo);
  }
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);  // best effort: some filesystems refuse fsync on directories
    ::close(dfd);
  }
  return {};
}

Result<std::string> read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    return make_error(errno_text("open", path, err),
                      err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo);
  }
  std::string out;
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return make_error(errno_text("read", path, err), ErrorCode::kIo);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace kapi::tls
