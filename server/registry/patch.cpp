#include "server/registry/patch.h"

#include <nlohmann/json.hpp>

#include "pkg/machinery/json_patch.h"
#include "pkg/machinery/strategic_patch.h"
#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/patch_schema.h"

namespace kapi::server {

using Json = nlohmann::ordered_json;
using runtime::Status;

Status apply_patch(const std::string& content_type, const std::string& body, const Json& live,
                   const runtime::StructType* type, Json& out) {
  runtime::DecodeResult dr;
  Json patch;
  if (!runtime::parse_json(body, patch, dr))
    return Status::bad_request("error decoding patch: " + dr.error);
  if (content_type == "application/json-patch+json" && !patch.is_array())
    return Status::bad_request("json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp");
  if (content_type == "application/strategic-merge-patch+json" && !patch.is_object())
    return Status::bad_request("error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}");
  if (content_type != "application/json-patch+json" && content_type != "application/merge-patch+json" &&
      content_type != "application/strategic-merge-patch+json")
    return Status::unsupported_media_type(content_type);
  auto result = content_type == "application/json-patch+json"
                    ? machinery::apply_json_patch(live, patch)
                : content_type == "application/merge-patch+json"
                    ? machinery::apply_merge_patch(live, patch)
                    : machinery::strategic_merge_patch(live, patch, type ? runtime::patch_schema_for(*type) : nullptr);
  if (!result.ok()) {
    // Upstream answers a patch that cannot be applied with 422 (json patch test failures,
    // missing paths) or 400 for undecodable directives.
    Status s;
    s.code = result.code() ? result.code() : 422;
    s.reason = s.code == 400 ? "BadRequest" : "Invalid";
    s.message = result.error();
    return s;
  }
  out = std::move(result.value());
  return Status::success();
}

}  // namespace kapi::server
