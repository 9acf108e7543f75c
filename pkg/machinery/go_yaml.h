#pragma once
// YAML exactly as sigs.k8s.io/yaml (its go-yaml v2 fork) writes a JSON tree, i.e. what kubectl
// prints, kubeadm writes and the apiserver serves as application/yaml: keys in go-yaml's
// "natural" order, 2-space indentation, sequences in mappings not indented, strings quoted only
// when they would resolve to another YAML 1.1 type, multi-line strings as literal blocks, long
// plain or quoted strings folded at 80 columns.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace kapi::machinery::goyaml {

// yaml.JSONToYAML of the tree's JSON text: one document, ending in a newline.
std::string marshal(const nlohmann::ordered_json& value);

// go-yaml v2's key order (sorter.go keyList.Less) for string keys.
bool key_less(std::string_view a, std::string_view b);

}  // namespace kapi::machinery::goyaml
