#pragma once
// OpenAPI v3 component schemas derived from the typed model (pkg/api/schema).
#include <nlohmann/json_fwd.hpp>
#include <set>
#include <string>

#include "pkg/runtime/schema.h"

namespace kapi::runtime {

// Adds the component schema of `type` and of every type it references to `components`
// (an object keyed by OpenAPI name). `gvk` marks top-level kinds: {group, version, kind}.
void add_component_schemas(const StructType& type, nlohmann::ordered_json& components);

// The OpenAPI name of a special type (Time, Quantity, ...) or "" for scalars.
std::string special_component_name(Kind kind);

}  // namespace kapi::runtime
