#pragma once
// Test-only helpers for pkg/render/*_test.cpp.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "pkg/render/options.h"

namespace kapi::render::testing {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A host without proxy variables and without any CA folder, named "cp1".
inline HostEnv fake_host() {
  HostEnv env;
  env.hostname = "CP1";
  env.dir_exists = [](const std::string&) { return false; };
  return env;
}

// The CA folders of the Debian host the reference manifest came from.
inline constexpr const char* kDebianCaDirs =
    "--ca-dirs=/etc/ca-certificates,/usr/local/share/ca-certificates,/usr/share/ca-certificates";

inline Result<RenderConfig> parse(std::vector<std::string> args, const HostEnv& env = fake_host()) {
  args.insert(args.begin(), "render");
  return parse_render_args(args, env);
}

}  // namespace kapi::render::testing
