#include "server/registry/kinds/events.h"

#include <nlohmann/json.hpp>

#include <cctype>

#include "server/registry/json_access.h"
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

namespace {

std::string str_of(const Json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// events.k8s.io/v1 names: regarding, note, deprecated* and reportingController.
class EventsV1Strategy : public Strategy {
 public:
  std::vector<TableColumn> columns() const override { return event_columns(); }
  Json row(const Json& o) const override {
    EventView v;
    v.name = o["metadata"].value("name", "");
    v.first = str_of(o, "deprecatedFirstTimestamp");
    v.last = str_of(o, "deprecatedLastTimestamp");
    v.event_time = str_of(o, "eventTime");
    v.count = o.value("deprecatedCount", int64_t{0});
    if (o.contains("series") && o["series"].is_object()) {
      v.has_series = true;
      v.series_last = str_of(o["series"], "lastObservedTime");
      v.series_count = o["series"].value("count", int64_t{0});
    }
    v.involved = &obj_at(o, "regarding");
    v.type = str_of(o, "type");
    v.reason = str_of(o, "reason");
    v.message = str_of(o, "note");
    v.component = str_of(obj_at(o, "deprecatedSource"), "component");
    v.host = str_of(obj_at(o, "deprecatedSource"), "host");
    v.reporting_controller = str_of(o, "reportingController");
    v.reporting_instance = str_of(o, "reportingInstance");
    return event_row(v);
  }
};

}  // namespace

const Strategy& events_v1_strategy() {
  static EventsV1Strategy s;
  return s;
}

}  // namespace kapi::server
