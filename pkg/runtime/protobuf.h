#pragma once
// Kubernetes protobuf (application/vnd.kubernetes.protobuf): the "k8s\0" magic, a
// runtime.Unknown envelope, and each type's message with the field numbers of the schema.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "pkg/runtime/schema.h"

namespace kapi::runtime {

// Decodes an enveloped body into an untyped JSON tree of `type` (apiVersion/kind filled from
// the envelope). false with `error` set on malformed input.
bool decode_protobuf(std::string_view body, const StructType& type, nlohmann::ordered_json& out,
                     std::string* error);

// Encodes a normalized JSON object of `type` as an enveloped protobuf body.
std::string encode_protobuf(const nlohmann::ordered_json& obj, const StructType& type);

}  // namespace kapi::runtime
