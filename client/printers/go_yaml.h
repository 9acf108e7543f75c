#pragma once
// YAML exactly as kubectl prints it: sigs.k8s.io/yaml v1.4 (its go-yaml v2 fork) marshalling a
// JSON tree. Keys are sorted with go-yaml's "natural" order, 2-space indentation, sequences in
// mappings are not indented, strings are quoted only when they would resolve to another YAML 1.1
// type, multi-line strings become literal blocks, and long plain or quoted strings are folded
// at 80 columns.
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace kapi::client {

// One document, ending in a newline.
std::string to_go_yaml(const nlohmann::ordered_json& value);

// go-yaml v2's key order (sorter.go keyList.Less) for string keys.
bool go_yaml_key_less(const std::string& a, const std::string& b);

}  // namespace kapi::client
