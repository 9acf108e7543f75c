#pragma once
// Shared helpers for the client's unit tests (tests run from the source root).
#include <fstream>
#include <sstream>
#include <string>

namespace kapi::client::testing {

inline std::string read_testdata(const std::string& name) {
  std::ifstream in("client/testdata/" + name, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace kapi::client::testing
