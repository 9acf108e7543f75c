#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "pkg/machinery/result.h"

// Strategic Merge Patch as apimachinery pkg/util/strategicpatch/patch.go (v0.36): applying
// patches (directives $patch, $setElementOrder/, $retainKeys, $deleteFromPrimitiveList/) and
// creating two-way and three-way (kubectl apply) patches. Error texts follow upstream.
namespace kapi::machinery {

// Describes one struct level of a typed object for SMP.
class PatchSchema {
 public:
  virtual ~PatchSchema() = default;
  struct Field {
    std::string strategy;   // "", "merge", "replace", "retainKeys" or "merge,retainKeys"
    std::string merge_key;  // for merge lists of objects
    const PatchSchema* elem = nullptr;  // list elements / map values / nested struct; nullptr = untyped
    bool is_list = false;
    bool is_map = false;
  };
  // Info for field `name` at this level; nullopt when unknown (then: maps merge recursively, lists replace).
  virtual std::optional<Field> field(std::string_view name) const = 0;
};

// Result::code() of a three-way patch whose changes conflict with the live object (overwrite=false).
inline constexpr int kStrategicPatchConflict = 1;

// StrategicMergePatch: applies `patch` to `original` (both JSON objects; null reads as {}).
// Key order of `original` is kept; new keys are appended.
Result<nlohmann::ordered_json> strategic_merge_patch(const nlohmann::ordered_json& original,
                                                     const nlohmann::ordered_json& patch, const PatchSchema* schema);

// CreateTwoWayMergePatch: the patch turning `original` into `modified` (keys sorted like Go's encoder).
Result<nlohmann::ordered_json> create_two_way_merge_patch(const nlohmann::ordered_json& original,
                                                          const nlohmann::ordered_json& modified,
                                                          const PatchSchema* schema);

// CreateThreeWayMergePatch as kubectl apply computes it: `original` is the last-applied
// configuration, `modified` the new configuration, `current` the live object. With
// overwrite=false, conflicting live changes fail with code kStrategicPatchConflict.
Result<nlohmann::ordered_json> create_three_way_merge_patch(const nlohmann::ordered_json& original,
                                                            const nlohmann::ordered_json& modified,
                                                            const nlohmann::ordered_json& current,
                                                            const PatchSchema* schema, bool overwrite = true);

// MergeStrategicMergeMapPatchUsingLookupPatchMeta: folds several patches into one.
Result<nlohmann::ordered_json> merge_strategic_merge_patches(const std::vector<nlohmann::ordered_json>& patches,
                                                             const PatchSchema* schema);

// MergingMapsHaveConflicts.
Result<bool> merging_maps_have_conflicts(const nlohmann::ordered_json& left, const nlohmann::ordered_json& right,
                                         const PatchSchema* schema);

// sortMergeListsByName: canonical order of merge lists (by merge key) and scalar merge lists;
// upstream's tests normalise inputs with it.
Result<nlohmann::ordered_json> sort_merge_lists_by_name(const nlohmann::ordered_json& obj, const PatchSchema* schema);

}  // namespace kapi::machinery
