#pragma once
// Helpers shared by the storage tests.
#include <stdlib.h>

#include <filesystem>
#include <ostream>
#include <stdexcept>
#include <string>

#include "server/storage/storage.h"

namespace kapi::storage::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it at destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/kapi-storage-XXXXXX";
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string code_name(Code c) {
  switch (c) {
    case Code::kOk: return "kOk";
    case Code::kNotFound: return "kNotFound";
    case Code::kAlreadyExists: return "kAlreadyExists";
    case Code::kConflict: return "kConflict";
    case Code::kExpired: return "kExpired";
    case Code::kTooLarge: return "kTooLarge";
    case Code::kInternal: return "kInternal";
    case Code::kFutureRevision: return "kFutureRevision";
  }
  return "?";
}

// The code of a result: kOk, or its error's.
template <typename T>
Code code_of(const Result<T>& r) {
  return r.ok() ? Code::kOk : r.error().code;
}

// Opens the SQLite store or fails the test with its message.
inline std::unique_ptr<Backend> must_open_sqlite(const std::string& dir,
                                                 const SqliteOptions& opts = {}) {
  auto r = open_sqlite(dir, opts);
  if (!r.ok()) throw std::runtime_error("open_sqlite(" + dir + "): " + r.error().message);
  return std::move(r.value());
}

}  // namespace kapi::storage::testing

namespace kapi::storage {
// gtest prints codes by name.
inline void PrintTo(Code c, std::ostream* os) { *os << testing::code_name(c); }
}  // namespace kapi::storage
