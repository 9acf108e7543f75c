#pragma once
// Content negotiation for request bodies and responses: JSON, YAML, and (where implemented)
// protobuf. Everything is converted to the same JSON tree and decoded by the same code.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "pkg/runtime/json_codec.h"

namespace kapi::runtime {

// Parses a request body of `content_type` (without parameters) into an untyped tree.
// false with result.error = "unsupported media type" for unknown types, else a decode error.
bool decode_body(const std::string& body, const std::string& content_type, const StructType& type,
                 Json& out, DecodeResult& result);

// Encodes a JSON document for the Accept header: JSON (default) or YAML.
void encode_response(const std::string& json, const std::string& accept, std::string& body,
                     std::string& content_type);

}  // namespace kapi::runtime
