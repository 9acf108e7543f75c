#pragma once
// Key ranges as etcd uses them: a prefix selects [prefix, prefix_end(prefix)).
#include <string>
#include <string_view>

namespace kapi::storage {

// The first key after every key that starts with prefix ("" = unbounded: prefix is "" or all 0xff).
inline std::string prefix_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto& c = reinterpret_cast<unsigned char&>(end.back());
    if (c < 0xff) {
      ++c;
      return end;
    }
    end.pop_back();
  }
  return end;
}

inline bool has_prefix(std::string_view key, std::string_view prefix) {
  return key.substr(0, prefix.size()) == prefix;
}

// Where a listing starts: the continue key, but never before the prefix.
inline std::string range_begin(const std::string& prefix, const std::string& start_key) {
  return start_key > prefix ? start_key : prefix;
}

}  // namespace kapi::storage
