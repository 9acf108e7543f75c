#pragma once
// The checks kube-apiserver makes before it proxies pods/exec, pods/attach or pods/portforward
// to the pod's kubelet (pkg/registry/core/pod/strategy.go streamLocation, PortForwardLocation):
// the container must be one of the pod's, and the pod must have a node.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "pkg/runtime/status.h"

namespace kapi::server {

// `subresource` is exec, attach or portforward; `container` the request's container parameter
// (not read for portforward). Returns the 400 the apiserver answers for a pod without a node.
runtime::Status pod_stream_location_error(const nlohmann::ordered_json& pod, const std::string& subresource,
                                          const std::string& container);

}  // namespace kapi::server
