#pragma once
// --append-hash of `create configmap|secret` (kubectl/pkg/util/hash): the object's name gets
// "-" and ten characters of a SHA-256 over its kind, name, (type,) and data, so that a change of
// content makes a new object.
#include <nlohmann/json_fwd.hpp>

namespace kapi::client {

// Appends the hash to metadata.name of a generated ConfigMap or Secret.
void append_name_hash(nlohmann::ordered_json& obj);

}  // namespace kapi::client
