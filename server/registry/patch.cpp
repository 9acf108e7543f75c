#include "server/registry/patch.h"

#include <nlohmann/json.hpp>

#include "pkg/runtime/json_codec.h"

namespace kapi::server {

using Json = nlohmann::ordered_json;
using runtime::Status;

Status apply_patch(const std::string& content_type, const std::string& body, const Json& live,
                   const runtime::StructType* type, Json& out) {
  runtime::DecodeResult dr;
  Json patch;
  if (!runtime::parse_json(body, patch, dr))
    return Status::bad_request("error decoding patch: " + dr.error);
  try {
    if (content_type == "application/json-patch+json") {
      if (!patch.is_array()) return Status::bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
      out = live.patch(patch);
      return Status::success();
    }
    if (content_type == "application/merge-patch+json" || content_type == "application/strategic-merge-patch+json") {
      if (!patch.is_object()) return Status::bad_request("error decoding patch: json: cannot unmarshal into object");
      out = live;
      out.merge_patch(patch);
      return Status::success();
    }
  } catch (const std::exception& e) {
    Status s = Status::invalid("", "", "", {});
    s.code = 422;
    s.message = e.what();
    return s;
  }
  return Status::unsupported_media_type(content_type);
}

}  // namespace kapi::server
