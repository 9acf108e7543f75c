#pragma once
// PATCH bodies: JSON patch, JSON merge patch and strategic merge patch (driven by the schema's
// patch strategies and merge keys).
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "pkg/runtime/schema.h"
#include "pkg/runtime/status.h"

namespace kapi::server {

runtime::Status apply_patch(const std::string& content_type, const std::string& body,
                            const nlohmann::ordered_json& live, const runtime::StructType* type,
                            nlohmann::ordered_json& out);

}  // namespace kapi::server
