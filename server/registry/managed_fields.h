#pragma once
// metadata.managedFields: the field sets (FieldsV1) each manager owns, computed from the typed
// model (map-type lists keyed by their list-map keys, set lists by value, atomic lists whole),
// and the server-side-apply operations on them.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "pkg/runtime/schema.h"

namespace kapi::server {

using Json = nlohmann::ordered_json;
using FieldPath = std::vector<std::string>;  // FieldsV1 keys: "f:spec", "k:{\"name\":\"c\"}", ...

// The FieldsV1 set of what `obj` sets (metadata only labels, annotations, finalizers,
// ownerReferences; never kind/apiVersion or an empty status).
Json field_set(const Json& obj, const runtime::StructType& type);
// A managedFields entry.
Json managed_entry(const std::string& manager, const std::string& operation,
                   const std::string& api_version, const Json& fields, const std::string& subresource);
// Every owned leaf path of a FieldsV1 set.
std::vector<FieldPath> leaf_paths(const Json& fields);
// `.spec.containers[name="c"].image`, as upstream prints paths in conflicts.
std::string human_path(const FieldPath& p);
// The value at a path (nullptr when absent).
const Json* value_at(const Json& obj, const FieldPath& p);
// Removes the value at a path from an object, and a path from a FieldsV1 set.
void remove_value(Json& obj, const FieldPath& p);
void remove_from_set(Json& fields, const FieldPath& p);
bool set_contains(const Json& fields, const FieldPath& p);

}  // namespace kapi::server
