#include "server/registry/kinds/event_conversion.h"

#include <nlohmann/json.hpp>

#include <array>
#include <utility>

namespace kapi::server {
namespace {

// {events.k8s.io/v1 name, core/v1 name} of the fields whose names differ; every other field
// (metadata, eventTime, series, action, reason, related, type, reportingInstance) is the same.
constexpr std::array<std::pair<const char*, const char*>, 7> kRenamed{{
    {"regarding", "involvedObject"},
    {"note", "message"},
    {"deprecatedSource", "source"},
    {"deprecatedFirstTimestamp", "firstTimestamp"},
    {"deprecatedLastTimestamp", "lastTimestamp"},
    {"deprecatedCount", "count"},
    {"reportingController", "reportingComponent"},
}};

// AddFieldLabelConversionsForEvent: events.k8s.io/v1 labels -> the core selectable fields.
constexpr std::array<std::pair<const char*, const char*>, 13> kFieldLabels{{
    {"reason", "reason"},
    {"regarding.kind", "involvedObject.kind"},
    {"regarding.namespace", "involvedObject.namespace"},
    {"regarding.name", "involvedObject.name"},
    {"regarding.uid", "involvedObject.uid"},
    {"regarding.apiVersion", "involvedObject.apiVersion"},
    {"regarding.resourceVersion", "involvedObject.resourceVersion"},
    {"regarding.fieldPath", "involvedObject.fieldPath"},
    {"reportingController", "reportingComponent"},
    {"source", "source"},
    {"type", "type"},
    {"metadata.namespace", "metadata.namespace"},
    {"metadata.name", "metadata.name"},
}};

// Renames the fields of `obj` from one side of kRenamed to the other (`to_core`: v1 -> core).
Json rename(Json obj, bool to_core, const char* api_version) {
  if (!obj.is_object()) return obj;
  Json out = Json::object();
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    std::string key = it.key();
    for (const auto& [v1, core] : kRenamed)
      if (key == (to_core ? v1 : core)) key = to_core ? core : v1;
    out[key] = std::move(it.value());
  }
  out["apiVersion"] = api_version;
  out["kind"] = "Event";
  return out;
}

class EventsV1Converter : public VersionConverter {
 public:
  Json to_storage(Json served) const override { return rename(std::move(served), true, "v1"); }
  Json from_storage(Json stored) const override {
    return rename(std::move(stored), false, "events.k8s.io/v1");
  }
  bool field_label(const std::string& label, std::string& stored_label) const override {
    for (const auto& [v1, core] : kFieldLabels)
      if (label == v1) {
        stored_label = core;
        return true;
      }
    return false;
  }
};

}  // namespace

const VersionConverter& events_v1_converter() {
  static EventsV1Converter c;
  return c;
}

}  // namespace kapi::server
