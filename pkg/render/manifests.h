#pragma once
// The static Pod manifests kubeadm writes to /etc/kubernetes/manifests, built as JSON trees and
// encoded through the shared typed codec (so the YAML is Go's typed encoding of a core/v1 Pod).
// Sources: cmd/kubeadm/app/phases/controlplane/{manifests,volumes}.go,
// cmd/kubeadm/app/phases/etcd/local.go, cmd/kubeadm/app/util/staticpod/utils.go.
#include <string>
#include <vector>

#include "pkg/render/options.h"

namespace kapi::render {

// The command line of a component: kubeadm's defaults merged with extraArgs (an extra arg
// replaces every default of the same name), sorted by name then value, as
// kubeadmutil.ArgumentsToCommand / BuildArgumentListFromMap do. `program` comes first.
std::vector<std::string> build_command(const std::string& program, const Args& defaults,
                                       const Args& overrides);

std::string kube_apiserver_manifest(const RenderConfig& cfg);
std::string kube_controller_manager_manifest(const RenderConfig& cfg);
std::string kube_scheduler_manifest(const RenderConfig& cfg);
std::string etcd_manifest(const RenderConfig& cfg);

}  // namespace kapi::render
