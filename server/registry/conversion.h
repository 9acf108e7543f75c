#pragma once
// Versions that share another resource's storage (ResourceInfo::storage_owner): the store keeps
// one shape, the owner's, and converts at its edges — a write is converted before it is stored,
// every read, list item and watch event after. Like upstream, where events.k8s.io/v1 and core/v1
// Events are one resource in etcd and the apiserver converts through the internal type.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "pkg/runtime/status.h"
#include "server/registry/resource.h"
#include "server/registry/selectors.h"
#include "server/storage/storage.h"

namespace kapi::server {

using Json = nlohmann::ordered_json;

class VersionConverter {
 public:
  virtual ~VersionConverter() = default;
  // Whole objects, TypeMeta included. The results need not be normalized: callers normalize
  // them with the target type.
  virtual Json to_storage(Json served) const = 0;
  virtual Json from_storage(Json stored) const = 0;
  // The storage owner's field-selector label for a label of this version; false: unsupported.
  virtual bool field_label(const std::string& label, std::string& stored_label) const = 0;
};

// The converter of a resource with a storage owner; null for a resource stored as served.
const VersionConverter* converter_for(const ResourceInfo& res);

// Conversions of whole objects, normalized for the target type (identity without a converter).
Json to_served(const ResourceInfo& res, Json stored);
Json to_stored(const ResourceInfo& res, Json served);

// CachedObject::derived slots: 0 the object JSON (stored shape) of watch events, 1 its Table
// cells (table.cpp), 2 the object JSON of the version converted from it (resourceVersion
// included). One converted version per storage owner, so one slot does.
inline constexpr int kSlotWatchJson = 0;
inline constexpr int kSlotConvertedJson = 2;

// The object as `res` serves it, resourceVersion included; for a converted version, made once
// per object version and shared by every reader and watcher.
std::string served_json(const ResourceInfo& res, const storage::CachedObject& obj);
// The same appended to `out`; strip_type drops kind/apiVersion (list items).
void append_served_json(std::string& out, const ResourceInfo& res, const storage::CachedObject& obj,
                        bool strip_type);
// The served JSON cached per object version (watch events): the same bytes for every watcher.
const std::string& shared_served_json(const ResourceInfo& res, const storage::CachedObject& obj);

// Parses the label and field selectors of a list, watch or deletecollection of `res`: field
// labels of a converted version are mapped to the storage owner's, and every field label must be
// one the storage owner selects on (`field label not supported: X`, 400).
runtime::Status parse_resource_selectors(const ResourceInfo& res, const std::string& label_selector,
                                         const std::string& field_selector, SelectorFilter& out);

}  // namespace kapi::server
