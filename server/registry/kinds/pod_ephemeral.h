#pragma once
// Ephemeral containers (k8s.io/kubernetes pkg/apis/core/validation validateEphemeralContainers,
// ValidatePodEphemeralContainersUpdate; pkg/registry/core/pod podEphemeralContainersStrategy).
// They are added only through pods/ephemeralcontainers, and never changed or removed after.
#include <nlohmann/json_fwd.hpp>
#include <set>
#include <string>
#include <vector>

#include "pkg/runtime/status.h"

namespace kapi::server {

using Json = nlohmann::ordered_json;

// spec.ephemeralContainers of a pod spec at `path`; `names` holds the names of the regular and
// init containers (ephemeral names must differ from all of them).
void validate_ephemeral_containers(const Json& spec, const std::string& path, const std::set<std::string>& names,
                                   std::vector<runtime::StatusCause>& out);

// PrepareForUpdate of pods/ephemeralcontainers: the stored pod with only the new
// spec.ephemeralContainers (and the request's resourceVersion, for the conflict check).
void prepare_ephemeral_containers_update(Json& obj, const Json& old);

// What the subresource adds to pod validation: no static pods, existing ephemeral containers
// neither removed nor changed.
std::vector<runtime::StatusCause> validate_ephemeral_containers_update(const Json& obj, const Json& old);

}  // namespace kapi::server
