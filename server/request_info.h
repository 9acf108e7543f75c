#pragma once
// What a request is about, parsed from its path and method as upstream's RequestInfoFactory.
#include <string>
#include <vector>

namespace kapi::server {

struct RequestInfo {
  bool is_resource = false;
  std::string verb;  // get list watch create update patch delete deletecollection
  std::string api_prefix, group, version, namespace_, resource, name, subresource;
  std::string path;
};

RequestInfo parse_request_info(const std::string& method, const std::string& path, bool watch);

struct UserInfo {
  std::string name;
  std::string uid;
  std::vector<std::string> groups;
};

}  // namespace kapi::server
