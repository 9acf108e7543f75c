#pragma once
// The strategies of the built-in kinds (one function per kind family).
#include "server/registry/strategy.h"

namespace kapi::server {
const Strategy& pod_strategy();
const Strategy* core_strategy(const std::string& resource);
const Strategy* apps_strategy(const std::string& resource);
const Strategy* other_strategy(const std::string& group, const std::string& resource);
const Strategy* networking_strategy(const std::string& resource);
const Strategy* storage_strategy(const std::string& group, const std::string& resource);
const Strategy* controllers_strategy(const std::string& group, const std::string& resource);
const Strategy* certificates_strategy(const std::string& resource);
const Strategy* autoscaling_strategy(const std::string& version, const std::string& resource);
}  // namespace kapi::server
