#pragma once
// One row per served resource: everything discovery, routing, storage and the client need to
// know about it. Per-kind behaviour (defaults, validation, table columns) lives in strategies.
#include <string>
#include <vector>

namespace kapi::server {

struct SubresourceInfo {
  std::string name;  // "status", "scale", ...
  std::string group, version, kind;  // response kind
  std::vector<std::string> verbs;
};

struct ResourceInfo {
  std::string group;     // "" for core
  std::string version;   // "v1"
  std::string resource;  // plural: "pods"
  std::string singular;  // "pod"
  std::string kind;      // "Pod"
  std::string list_kind; // "PodList"
  bool namespaced = true;
  std::vector<std::string> verbs;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  std::vector<SubresourceInfo> subresources;
  std::string storage_prefix;  // "/registry/pods/" ("" = never stored: reviews, bindings)
  std::string package;         // schema package, e.g. "io.k8s.api.core.v1"
  // A second version of another resource's storage, as upstream keeps events.k8s.io/v1 and
  // core/v1 Events as one resource: objects are kept in the owner's shape under the owner's
  // prefix and converted on the way in and out (server/registry/conversion.h). Null: this
  // resource's objects are stored as it serves them.
  const ResourceInfo* storage_owner = nullptr;
  // Upstream's deprecation warning for every request on the resource (its type's
  // APILifecycleDeprecated/Replacement), e.g. "v1 Endpoints is deprecated in v1.33+; use
  // discovery.k8s.io/v1 EndpointSlice". Empty: not deprecated.
  std::string deprecation_warning;

  std::string group_version() const { return group.empty() ? version : group + "/" + version; }
  std::string api_prefix() const { return group.empty() ? "/api/v1" : "/apis/" + group + "/" + version; }
  bool stored() const { return !storage_prefix.empty(); }
  // The resource whose shape is stored: the storage owner, or this one.
  const ResourceInfo& storage_resource() const { return storage_owner ? *storage_owner : *this; }
  bool has_verb(const std::string& v) const;
  const SubresourceInfo* subresource(const std::string& name) const;
  // Storage key of an object.
  std::string key(const std::string& ns, const std::string& name) const {
    return namespaced ? storage_prefix + ns + "/" + name : storage_prefix + name;
  }
};

// Every served resource, in discovery order.
const std::vector<ResourceInfo>& all_resources();
// The group order of /apis (the core group is served at /api).
const std::vector<std::string>& group_order();
// The versions a group serves, preferred first (their order in the resource table).
std::vector<std::string> group_versions(const std::string& group);
const ResourceInfo* find_resource(const std::string& group, const std::string& version,
                                  const std::string& resource);
const ResourceInfo* find_kind(const std::string& group_version, const std::string& kind);

}  // namespace kapi::server
