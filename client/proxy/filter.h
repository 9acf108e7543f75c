#pragma once
// kubectl proxy's request filter (kubectl pkg/proxy FilterServer): which paths, hosts and methods
// the proxy passes on. Each list is a comma-separated string of regular expressions, any of
// which may match anywhere in the text (Go's MatchString).
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace kapi::client::proxy {

class RegexpList {
 public:
  // Splits on every comma ("" is the empty list; "a," holds an empty pattern, which matches
  // everything) and compiles each part. On a bad pattern returns nullopt with *error set to the
  // text kubectl logs after "Error compiling re: ".
  static std::optional<RegexpList> parse(const std::string& list, std::string* error);
  bool matches(const std::string& text) const;

 private:
  std::vector<std::regex> res_;
};

struct Filter {
  RegexpList accept_paths, reject_paths, accept_hosts, reject_methods;

  // A path that matches reject_paths, or a method that matches reject_methods, is refused;
  // otherwise the path must match accept_paths and the host accept_hosts.
  bool accept(const std::string& method, const std::string& path, const std::string& host) const;
};

// The host of a Host header ("localhost:8001" -> "localhost", "[::1]:8001" -> "::1"); the value
// itself when it has no port (net.SplitHostPort fails: "[::1]" stays "[::1]").
std::string extract_host(const std::string& host_header);

}  // namespace kapi::client::proxy
