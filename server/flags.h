#pragma once
// kube-apiserver's command line: the union of its flags from 1.19 to 1.33 (plus kapi's
// --data-dir), parsed the way pflag does (--name=value, --name value, -v=N).
#include <map>
#include <string>
#include <vector>

namespace kapi::server {

struct FlagSet {
  std::map<std::string, std::string> values;  // explicitly given
  std::string get(const std::string& name, const std::string& def = "") const {
    auto it = values.find(name);
    return it == values.end() ? def : it->second;
  }
  bool has(const std::string& name) const { return values.count(name) > 0; }
};

// Parses argv[1..]; false with `error` set (one line) on an unknown flag or missing value.
bool parse_serve_flags(int argc, char** argv, FlagSet& out, std::string& error);
std::string serve_usage();

}  // namespace kapi::server
