#include "client/cmd/apply_patch.h"

#include <functional>
#include <nlohmann/json.hpp>

#include "client/cmd/object_writer.h"
#include "client/printers/go_json.h"
#include "pkg/machinery/json_patch.h"
#include "pkg/machinery/strategic_patch.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// jsonmergepatch.CreateThreeWayJSONMergePatch, simplified: deletions from original->modified,
// additions and changes from current->modified.
Json three_way_json_merge_patch(const Json& original, const Json& modified, const Json& current) {
  std::function<void(Json&)> keep_nulls = [&](Json& p) {
    if (!p.is_object()) return;
    for (auto it = p.begin(); it != p.end();) {
      if (it->is_null()) { ++it; continue; }
      if (it->is_object()) {
        keep_nulls(*it);
        if (it->empty()) { it = p.erase(it); continue; }
        ++it;
        continue;
      }
      it = p.erase(it);
    }
  };
  std::function<void(Json&)> drop_nulls = [&](Json& p) {
    if (!p.is_object()) return;
    for (auto it = p.begin(); it != p.end();) {
      if (it->is_null()) { it = p.erase(it); continue; }
      if (it->is_object()) {
        drop_nulls(*it);
        if (it->empty()) { it = p.erase(it); continue; }
      }
      ++it;
    }
  };
  auto del = machinery::create_merge_patch(original, modified);
  auto add = machinery::create_merge_patch(current, modified);
  Json d = del.ok() ? *del : Json::object();
  Json a = add.ok() ? *add : Json::object();
  keep_nulls(d);
  drop_nulls(a);
  auto merged = machinery::apply_merge_patch(d, a);
  return merged.ok() ? *merged : a;
}

}  // namespace

Result<ApplyPatch> client_apply_patch(const Json& current, const Json& modified, const std::string& modified_text,
                                      const ObjectInfo& info) {
  Json original = Json::object();
  Json annots = annotations_of(current);
  if (annots.contains(kLastApplied) && annots[kLastApplied].is_string()) {
    auto o = Json::parse(annots[kLastApplied].get<std::string>(), nullptr, false);
    if (o.is_object()) original = std::move(o);
  }
  if (const machinery::PatchSchema* schema = patch_schema_for(info.mapping)) {
    auto p = machinery::create_three_way_merge_patch(original, modified, current, schema, true);
    if (!p.ok())
      return CmdError::msg("creating patch with:\noriginal:\n" + to_go_json(original) + "\nmodified:\n" +
                           modified_text.substr(0, modified_text.size() - 1) + "\ncurrent:\n" + to_go_json(current) +
                           "\nfor: " + go_json_quote(info.source) + ": " + p.error());
    return ApplyPatch{to_go_json(*p), "application/strategic-merge-patch+json"};
  }
  return ApplyPatch{to_go_json(three_way_json_merge_patch(original, modified, current)), "application/merge-patch+json"};
}

}  // namespace kapi::client
