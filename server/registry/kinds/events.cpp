#include "server/registry/kinds/events.h"

#include <nlohmann/json.hpp>

#include <cctype>

#include "server/registry/json_access.h"
#include "server/registry/kinds/event_conversion.h"
#include "server/registry/kinds/event_validation.h"
#include "server/registry/table.h"

namespace kapi::server {

std::vector<TableColumn> event_columns() {
  return {{"Last Seen", "string", "", "Time when this Event was last seen", 0},
          {"Type", "string", "", "Type of this event (Normal, Warning), new types could be added in the future.", 0},
          {"Reason", "string", "", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.", 0},
          {"Object", "string", "", "The object that this event is about.", 0},
          {"Subobject", "string", "", "The subobject of the involved object.", 1},
          {"Source", "string", "", "The component reporting this event.", 1},
          {"Message", "string", "", "A human-readable description of the status of this operation.", 0},
          {"First Seen", "string", "", "The time at which the event was first recorded.", 1},
          {"Count", "string", "", "The number of times this event has occurred.", 1},
          {"Name", "string", "name", "Name must be unique within a namespace.", 1}};
}

namespace {

std::string since(const std::string& t) { return t.empty() ? "<unknown>" : age_placeholder(t); }

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

}  // namespace

// printEvent: first = firstTimestamp or eventTime; last = lastTimestamp or first; a series
// overrides last and count; a count of 0 (singleton events of the new API) shows 1.
Json event_row(const EventView& v) {
  std::string first = since(v.first.empty() ? v.event_time : v.first);
  std::string last = v.last.empty() ? first : since(v.last);
  int64_t count = v.count;
  if (v.has_series) {
    last = since(v.series_last);
    count = v.series_count;
  } else if (count == 0) {
    count = 1;
  }
  static const Json kNoObject = Json::object();
  const Json& io = v.involved ? *v.involved : kNoObject;
  std::string kind = io.value("kind", "");
  for (auto& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string name = io.value("name", "");
  std::string target = name.empty() ? kind : kind + "/" + name;
  // formatEventSource: component (or reportingController), then ", host" (or reportingInstance).
  std::string component = v.component.empty() ? v.reporting_controller : v.component;
  std::string instance = v.host.empty() ? v.reporting_instance : v.host;
  std::string source = instance.empty() ? component : component + ", " + instance;
  return Json::array({last, v.type, v.reason, target, io.value("fieldPath", ""), source, trim(v.message), first,
                      count, v.name});
}

EventView event_view(const Json& o, const EventFieldNames& n) {
  auto str = [](const Json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  EventView v;
  v.name = str(obj_at(o, "metadata"), "name");
  v.first = str(o, n.first);
  v.last = str(o, n.last);
  v.event_time = str(o, "eventTime");
  v.count = o.value(n.count, int64_t{0});
  if (o.contains("series") && o["series"].is_object()) {
    v.has_series = true;
    v.series_last = str(o["series"], "lastObservedTime");
    v.series_count = o["series"].value("count", int64_t{0});
  }
  v.involved = &obj_at(o, n.involved);
  v.type = str(o, "type");
  v.reason = str(o, "reason");
  v.message = str(o, n.message);
  v.component = str(obj_at(o, n.source), "component");
  v.host = str(obj_at(o, n.source), "host");
  v.reporting_controller = str(o, n.reporting_controller);
  v.reporting_instance = str(o, "reportingInstance");
  return v;
}

namespace {

// events.k8s.io/v1 names: regarding, note, deprecated* and reportingController. Stored as core/v1
// Events (kinds/event_conversion.h); validated in that shape with the strict checks of the API.
class EventsV1Strategy : public Strategy {
 public:
  std::vector<runtime::StatusCause> validate(const Json& obj) const override {
    return validate_event_create(events_v1_converter().to_storage(obj), true);
  }
  std::vector<runtime::StatusCause> validate_update(const Json& obj, const Json& old) const override {
    const VersionConverter& c = events_v1_converter();
    return validate_event_update(c.to_storage(obj), c.to_storage(old), true);
  }
  std::vector<TableColumn> columns() const override { return event_columns(); }
  Json row(const Json& o) const override {
    return event_row(event_view(o, kEventsV1Fields));
  }
};

}  // namespace

const Strategy& events_v1_strategy() {
  static EventsV1Strategy s;
  return s;
}

}  // namespace kapi::server
