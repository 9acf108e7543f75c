#include "server/registry/pod_stream_location.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "server/registry/json_access.h"

namespace kapi::server {

using Json = nlohmann::ordered_json;

runtime::Status pod_stream_location_error(const Json& pod, const std::string& subresource,
                                          const std::string& container) {
  const std::string name = obj_at(pod, "metadata").value("name", "");
  const Json& spec = obj_at(pod, "spec");
  if (subresource != "portforward") {
    // validateContainer; podutil.VisitContainers goes init, regular, ephemeral.
    std::vector<std::string> all;
    for (const char* key : {"initContainers", "containers", "ephemeralContainers"})
      for (const auto& c : arr_at(spec, key)) all.push_back(c.value("name", ""));
    const Json& containers = arr_at(spec, "containers");
    if (container.empty()) {
      if (containers.empty())
        return runtime::Status::bad_request("a container name must be specified for pod " + name);
      if (containers.size() > 1) {
        std::string list;
        for (const auto& c : all) list += (list.empty() ? "" : " ") + c;
        return runtime::Status::bad_request("a container name must be specified for pod " + name +
                                            ", choose one of: [" + list + "]");
      }
    } else if (std::find(all.begin(), all.end(), container) == all.end()) {
      return runtime::Status::bad_request("container " + container + " is not valid for pod " + name);
    }
  }
  // kapi has no kubelets to connect to: a pod bound to a node is refused as one without.
  return runtime::Status::bad_request("pod " + name + " does not have a host assigned");
}

}  // namespace kapi::server
