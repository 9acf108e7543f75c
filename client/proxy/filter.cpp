#include "client/proxy/filter.h"

namespace kapi::client::proxy {

std::optional<RegexpList> RegexpList::parse(const std::string& list, std::string* error) {
  RegexpList out;
  if (list.empty()) return out;
  size_t start = 0;
  for (;;) {
    size_t comma = list.find(',', start);
    std::string part = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto flags = std::regex::ECMAScript;
    // RE2's case-insensitive flag group, which ECMAScript lacks.
    if (part.rfind("(?i)", 0) == 0) {
      part.erase(0, 4);
      flags |= std::regex::icase;
    }
    try {
      out.res_.emplace_back(part, flags);
    } catch (const std::regex_error& e) {
      *error = "error parsing regexp: " + std::string(e.what()) + ": `" + part + "`";
      return std::nullopt;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool RegexpList::matches(const std::string& text) const {
  for (const auto& re : res_)
    if (std::regex_search(text, re)) return true;
  return false;
}

bool Filter::accept(const std::string& method, const std::string& path, const std::string& host) const {
  if (reject_paths.matches(path) || reject_methods.matches(method)) return false;
  return accept_paths.matches(path) && accept_hosts.matches(host);
}

std::string extract_host(const std::string& h) {
  // net.SplitHostPort: "host:port" or "[host]:port"; anything else is an error.
  size_t colon = h.rfind(':');
  if (colon == std::string::npos) return h;
  if (!h.empty() && h[0] == '[') {
    size_t close = h.find(']');
    if (close == std::string::npos || close + 1 != colon) return h;
    std::string host = h.substr(1, close - 1);
    return host;
  }
  std::string host = h.substr(0, colon);
  if (host.find(':') != std::string::npos) return h;  // too many colons
  return host;
}

}  // namespace kapi::client::proxy
