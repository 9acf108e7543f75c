#include "server/request_info.h"

#include <sstream>
#include <vector>

namespace kapi::server {

RequestInfo parse_request_info(const std::string& method, const std::string& path, bool watch) {
  RequestInfo info;
  info.path = path;
  std::vector<std::string> parts;
  std::stringstream ss(path);
  std::string p;
  while (std::getline(ss, p, '/'))
    if (!p.empty()) parts.push_back(p);
  std::string m = method;
  info.verb = m == "POST" ? "create" : m == "PUT" ? "update" : m == "PATCH" ? "patch"
            : m == "DELETE" ? "delete" : "get";
  if (parts.empty() || (parts[0] != "api" && parts[0] != "apis")) return info;
  info.api_prefix = parts[0];
  size_t i = 1;
  if (parts[0] == "apis") {
    if (parts.size() < 3) return info;
    info.group = parts[1];
    info.version = parts[2];
    i = 3;
  } else {
    if (parts.size() < 2) return info;
    info.version = parts[1];
    i = 2;
  }
  std::vector<std::string> rest(parts.begin() + i, parts.end());
  if (rest.empty()) return info;
  info.is_resource = true;
  if (rest[0] == "namespaces" && rest.size() > 1) {
    info.namespace_ = rest[1];
    if (rest.size() > 2 && rest[2] != "status" && rest[2] != "finalize")
      rest.erase(rest.begin(), rest.begin() + 2);
  }
  info.resource = rest[0];
  if (rest.size() >= 2) info.name = rest[1];
  if (rest.size() >= 3) info.subresource = rest[2];
  if (rest.size() > 3) info.is_resource = false;
  if (info.resource == "namespaces" && !info.name.empty()) info.namespace_ = info.name;
  if (info.verb == "get" && info.name.empty()) info.verb = watch ? "watch" : "list";
  else if (info.verb == "get" && watch) info.verb = "watch";
  if (info.verb == "delete" && info.name.empty()) info.verb = "deletecollection";
  return info;
}

}  // namespace kapi::server
