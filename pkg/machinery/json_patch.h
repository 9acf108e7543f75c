#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "pkg/machinery/result.h"

// JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386) with the semantics and error texts of
// gopkg.in/evanphx/json-patch.v4, which kube-apiserver uses. Object key order is preserved;
// new keys are appended.
namespace kapi::machinery {

// Applies an RFC 6902 patch (a JSON array of operations) to `doc`.
// Errors read like upstream, e.g. `add operation does not apply: doc is missing path: "/a/b": missing value`.
Result<nlohmann::ordered_json> apply_json_patch(const nlohmann::ordered_json& doc, const nlohmann::ordered_json& patch);

// Applies an RFC 7386 merge patch (jsonpatch.MergePatch).
Result<nlohmann::ordered_json> apply_merge_patch(const nlohmann::ordered_json& doc, const nlohmann::ordered_json& patch);

// jsonpatch.CreateMergePatch for two objects (or two equally long arrays of objects).
Result<nlohmann::ordered_json> create_merge_patch(const nlohmann::ordered_json& original,
                                                  const nlohmann::ordered_json& modified);

// RFC 6901 token escaping: "~" -> "~0", "/" -> "~1" (and back).
std::string escape_json_pointer_token(std::string_view token);
std::string unescape_json_pointer_token(std::string_view token);

}  // namespace kapi::machinery
