#pragma once
// The patch of client-side apply (kubectl pkg/cmd/apply/patcher.go patchSimple), shared by
// `apply` and `diff`: a three-way strategic merge patch for built-in kinds, a three-way JSON
// merge patch for others (CRDs), computed from the last-applied annotation of the live object.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "client/cmd/object_reader.h"
#include "client/errors.h"

namespace kapi::client {

struct ApplyPatch {
  std::string text;          // Go-encoded JSON; "{}" when nothing changes
  std::string content_type;  // application/strategic-merge-patch+json or merge-patch+json
};

// The patch that turns `current` into `modified` (modified_text is its JSON encoding, as
// util.GetModifiedConfiguration wrote it). The error is kubectl's "creating patch with: ..." text.
Result<ApplyPatch> client_apply_patch(const nlohmann::ordered_json& current, const nlohmann::ordered_json& modified,
                                      const std::string& modified_text, const ObjectInfo& info);

}  // namespace kapi::client
