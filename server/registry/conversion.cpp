#include "server/registry/conversion.h"

#include <nlohmann/json.hpp>

#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/schema.h"
#include "server/registry/kinds/event_conversion.h"
#include "server/registry/kinds/hpa_conversion.h"
#include "server/registry/object_meta.h"
#include "server/registry/strategy.h"

namespace kapi::server {

namespace {

Json normalized(Json obj, const ResourceInfo& as) {
  runtime::DecodeResult dr;
  return runtime::normalize(std::move(obj), *runtime::Schema::get().find(as.package, as.kind), dr);
}

// The converted object JSON, resourceVersion included, made once per object version.
const std::string& converted_json(const ResourceInfo& res, const storage::CachedObject& obj) {
  return obj.derived(kSlotConvertedJson, [&] {
    std::string out;
    append_with_resource_version(out, runtime::encode_json(to_served(res, Json::parse(obj.value))), obj.mod_revision,
                                 false);
    return out;
  });
}

}  // namespace

const VersionConverter* converter_for(const ResourceInfo& res) {
  if (!res.storage_owner) return nullptr;
  if (res.group == "events.k8s.io" && res.resource == "events") return &events_v1_converter();
  if (res.group == "autoscaling" && res.resource == "horizontalpodautoscalers") return &hpa_v1_converter();
  return nullptr;
}

Json to_served(const ResourceInfo& res, Json stored) {
  const VersionConverter* c = converter_for(res);
  if (!c) return stored;
  return normalized(c->from_storage(std::move(stored)), res);
}

Json to_stored(const ResourceInfo& res, Json served) {
  const VersionConverter* c = converter_for(res);
  if (!c) return served;
  return normalized(c->to_storage(std::move(served)), res.storage_resource());
}

std::string served_json(const ResourceInfo& res, const storage::CachedObject& obj) {
  return converter_for(res) ? converted_json(res, obj) : object_json(obj);
}

void append_served_json(std::string& out, const ResourceInfo& res, const storage::CachedObject& obj,
                        bool strip_type) {
  if (!converter_for(res)) return append_object_json(out, obj, strip_type);
  const std::string& json = converted_json(res, obj);
  out += strip_type ? strip_type_meta(json) : json;
}

const std::string& shared_served_json(const ResourceInfo& res, const storage::CachedObject& obj) {
  if (!converter_for(res)) return obj.derived(kSlotWatchJson, [&obj] { return object_json(obj); });
  return converted_json(res, obj);
}

runtime::Status parse_resource_selectors(const ResourceInfo& res, const std::string& label_selector,
                                         const std::string& field_selector, SelectorFilter& out) {
  const ResourceInfo& stored = res.storage_resource();
  const VersionConverter* c = converter_for(res);
  std::vector<std::pair<std::string, std::string>> fields;
  fields.emplace_back("metadata.name", "");
  if (stored.namespaced) fields.emplace_back("metadata.namespace", "");
  strategy_for(stored).fields(Json::object(), fields);
  return parse_selectors(label_selector, field_selector, out, [&](const std::string& label, std::string& mapped) {
    mapped = label;
    if (c && !c->field_label(label, mapped)) return false;
    for (const auto& f : fields)
      if (f.first == mapped) return true;
    return false;
  });
}

}  // namespace kapi::server
