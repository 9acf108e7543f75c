#pragma once
// Resource-name resolution as kubectl's builder does it over discovery (cli-runtime
// resource.Builder.mappingFor + client-go's shortcut expander, DefaultRESTMapper and
// PriorityRESTMapper): plural, singular, short names, Kind, "resource.group",
// "resource.version.group", case-insensitive resources, core group first on ambiguity.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/discovery.h"

namespace kapi::client {

struct RestMapping {
  ApiResource resource;
  // GroupKind.String() lower-cased: "pod", "deployment.apps" (kubectl's "kind/" name prefix).
  std::string group_kind_lower() const;
  // "/api/v1" or "/apis/apps/v1".
  std::string api_path() const;
};

class RestMapper {
 public:
  explicit RestMapper(const DiscoveryData& data) : data_(data) {}

  // nullopt when nothing matches (the caller reports "the server doesn't have a resource type").
  std::optional<RestMapping> mapping_for(const std::string& arg) const;

  // RESTMapper.ResourceFor({Group: group, Resource: resource}) through the shortcut expander
  // ("rs" in "apps" -> replicasets); nullopt when nothing matches.
  std::optional<ApiResource> resource_for_group(const std::string& group, const std::string& resource) const;

  // Category expansion ("all"): "pods,services,deployments.apps,..." in discovery order;
  // nullopt if `name` is not a category.
  std::optional<std::vector<std::string>> expand_category(const std::string& name) const;

  // RESTMapper.RESTMapping(GroupKind{group, kind}, version); nullopt is NoKindMatchError.
  std::optional<RestMapping> mapping_for_kind(const std::string& group, const std::string& version,
                                              const std::string& kind) const;

 private:
  std::pair<std::string, std::string> expand_shortcut(const std::string& group,
                                                      const std::string& resource) const;
  // Matches of DefaultRESTMapper.ResourcesFor, narrowed by PriorityRESTMapper's order.
  std::optional<ApiResource> resource_for(std::string group, std::string version,
                                          std::string resource) const;
  std::optional<ApiResource> kind_for(const std::string& group, const std::string& version,
                                      const std::string& kind) const;
  std::optional<ApiResource> pick_by_priority(const std::vector<const ApiResource*>& matches) const;

  const DiscoveryData& data_;
};

// "the server doesn't have a resource type \"foos\"" names the part before the first dot.
std::string resource_for_error(const std::string& arg);

}  // namespace kapi::client
