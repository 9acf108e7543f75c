#pragma once
// The pod and container that `logs` and `exec` act on (kubectl's polymorphichelpers
// AttachablePodForObject and podcmd.FindOrDefaultContainerByName).
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "client/errors.h"

namespace kapi::client {

class RestClient;

// GET /api/v1/namespaces/<ns>/pods/<name>.
Result<nlohmann::ordered_json> get_pod(RestClient& client, const std::string& ns, const std::string& name);

// The container named `name`, or, when `name` is empty, the default one: the
// kubectl.kubernetes.io/default-container annotation, else the first container (then kubectl
// tells on stderr which one it picked when there was a choice). nullopt if `name` is not one of
// the pod's containers.
std::optional<std::string> pod_container(const nlohmann::ordered_json& pod, const std::string& name,
                                         std::string& out, bool quiet = false);

}  // namespace kapi::client
