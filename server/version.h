#pragma once
// What /version reports: kapi implements the Kubernetes 1.33 API.
#include <string>

namespace kapi::server {
inline constexpr const char* kGitVersion = "v1.33.0+kapi";
std::string version_json();
}  // namespace kapi::server
