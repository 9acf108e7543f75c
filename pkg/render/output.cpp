#include "pkg/render/output.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "pkg/tls/file_util.h"

namespace kapi::render {
namespace fs = std::filesystem;
namespace {

tls::Error fail(const std::string& out_dir, const std::string& why) {
  return tls::Error{tls::ErrorCode::kIo, "cannot write to " + out_dir + ": " + why};
}

unsigned dir_mode_for(const std::string& rel_dir) {
  return rel_dir == "manifests" || rel_dir.rfind("manifests/", 0) == 0 ? 0700 : 0755;
}

// Creates the sub-folders of `rel` under `root` with kubeadm-like modes.
tls::Status make_parents(const std::string& root, const std::string& rel) {
  fs::path parent = fs::path(rel).parent_path();
  fs::path acc;
  for (const auto& part : parent) {
    acc /= part;
    std::string dir = root + "/" + acc.string();
    if (::mkdir(dir.c_str(), dir_mode_for(acc.string())) != 0 && errno != EEXIST) {
      return tls::Error{tls::ErrorCode::kIo, dir + ": " + std::strerror(errno)};
    }
  }
  return {};
}

// Writes every file into `staging` (already created).
tls::Status stage(const std::string& staging, const std::vector<OutFile>& files) {
  for (const auto& f : files) {
    if (auto s = make_parents(staging, f.rel_path); !s) return s;
    if (auto s = tls::write_file_atomic(staging + "/" + f.rel_path, f.data, f.mode); !s) return s;
  }
  return {};
}

}  // namespace

tls::Status write_outputs(const std::string& out_dir_in, const std::vector<OutFile>& files) {
  if (files.empty()) return {};
  std::string out_dir = out_dir_in;
  while (out_dir.size() > 1 && out_dir.back() == '/') out_dir.pop_back();
  std::error_code ec;
  const bool exists = fs::exists(out_dir, ec);
  if (exists && !fs::is_directory(out_dir, ec)) return fail(out_dir, "not a directory");

  if (!exists) {
    fs::path parent = fs::absolute(out_dir, ec).parent_path();
    fs::create_directories(parent, ec);
    if (ec) return fail(out_dir, ec.message());
    std::string tmpl =
        (parent / (fs::path(out_dir).filename().string() + ".kapi-render-XXXXXX")).string();
    if (!::mkdtemp(tmpl.data())) return fail(out_dir, std::strerror(errno));
    if (auto s = stage(tmpl, files); !s) {
      fs::remove_all(tmpl, ec);
      return fail(out_dir, s.error().message);
    }
    ::chmod(tmpl.c_str(), 0755);
    if (::rename(tmpl.c_str(), out_dir.c_str()) != 0) {
      int err = errno;
      fs::remove_all(tmpl, ec);
      return fail(out_dir, std::strerror(err));
    }
    return {};
  }

  std::string tmpl = out_dir + "/.kapi-render-XXXXXX";
  if (!::mkdtemp(tmpl.data())) return fail(out_dir, std::strerror(errno));
  if (auto s = stage(tmpl, files); !s) {
    fs::remove_all(tmpl, ec);
    return fail(out_dir, s.error().message);
  }
  // Everything is staged on the same filesystem; the renames below do not fail for lack of space.
  for (const auto& f : files) {
    if (auto s = make_parents(out_dir, f.rel_path); !s) {
      fs::remove_all(tmpl, ec);
      return fail(out_dir, s.error().message);
    }
    std::string from = tmpl + "/" + f.rel_path, to = out_dir + "/" + f.rel_path;
    if (::rename(from.c_str(), to.c_str()) != 0) {
      int err = errno;
      fs::remove_all(tmpl, ec);
      return fail(out_dir, to + ": " + std::strerror(err));
    }
  }
  fs::remove_all(tmpl, ec);
  return {};
}

}  // namespace kapi::render
