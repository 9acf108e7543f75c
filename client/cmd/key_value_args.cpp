#include "client/cmd/key_value_args.h"

namespace kapi::client {
namespace {

bool is_pair(const std::string& s) {
  return (s.find('=') != std::string::npos && s[0] != '=') || (s.size() > 1 && s.back() == '-');
}

}  // namespace

Result<ResourcesAndPairs> get_resources_and_pairs(const std::vector<std::string>& args,
                                                  const std::string& pair_type) {
  ResourcesAndPairs out;
  bool found_pair = false;
  for (const auto& s : args) {
    bool pair = is_pair(s);
    if (pair) {
      found_pair = true;
      out.pairs.push_back(s);
    } else if (!found_pair) {
      out.resources.push_back(s);
    } else {
      return CmdError::msg("all resources must be specified before " + pair_type + " changes: " + s);
    }
  }
  return out;
}

Result<ParsedPairs> parse_pairs(const std::vector<std::string>& pairs, const std::string& pair_type) {
  ParsedPairs out;
  std::string invalid;
  for (const auto& p : pairs) {
    if (p.find('=') != std::string::npos && p[0] != '=') {
      size_t eq = p.find('=');
      std::string key = p.substr(0, eq), value = p.substr(eq + 1);
      bool replaced = false;
      for (auto& kv : out.set)
        if (kv.first == key) kv.second = value, replaced = true;
      if (!replaced) out.set.emplace_back(key, value);
    } else if (p.size() > 1 && p.back() == '-') {
      out.remove.push_back(p.substr(0, p.size() - 1));
    } else {
      invalid += (invalid.empty() ? "" : ", ") + p;
    }
  }
  if (!invalid.empty()) return CmdError::msg("invalid " + pair_type + " format: " + invalid);
  return out;
}

}  // namespace kapi::client
