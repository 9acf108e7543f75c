#pragma once
// Serializes a Config exactly as kubectl / kubeadm write kubeconfig files (sigs.k8s.io/yaml
// output: keys sorted, entries sorted by name, empty lists as null, preferences: {}).
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "pkg/kubeconfig/types.h"

namespace kapi::kubeconfig {

std::string to_yaml(const Config& config);

// The same object as JSON with keys in the Go struct order (what `kubectl config view -o json`
// prints).
nlohmann::ordered_json to_json(const Config& config);

// Writes to_yaml(config) to `path` atomically with mode 0600 (missing directories are created
// 0755, as kubectl does for ~/.kube).
Status write_file(const std::string& path, const Config& config);

}  // namespace kapi::kubeconfig
