#pragma once
// JSON text exactly as Go's encoding/json writes a decoded (unstructured) object: map keys
// sorted, <, > and & escaped as \u003c..., U+2028/2029 escaped, floats in Go's shortest form
// (pkg/machinery/go_format.h).
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace kapi::client {

// json.Marshal (indent empty) or json.MarshalIndent(v, "", indent). No trailing newline.
std::string to_go_json(const nlohmann::ordered_json& value, const std::string& indent = "");

// json.MarshalIndent of a Go struct: keys keep the tree's order, which for a typed object (a tree
// from runtime::normalize) is the struct's field order (maps are already sorted there).
std::string to_go_json_ordered(const nlohmann::ordered_json& value, const std::string& indent = "");

// A JSON string literal with Go's escaping.
std::string go_json_quote(const std::string& s);

}  // namespace kapi::client
