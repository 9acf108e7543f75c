#pragma once
// The Event table of upstream's printEvent, shared by core/v1 and events.k8s.io/v1 Events (two
// shapes of one kind: each fills an EventView from its own field names).
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "server/registry/strategy.h"

namespace kapi::server {

struct EventView {
  std::string name, first, last, event_time, series_last;  // timestamps: RFC 3339 or ""
  int64_t count = 0, series_count = 0;
  bool has_series = false;
  const Json* involved = nullptr;  // the ObjectReference (involvedObject / regarding)
  std::string type, reason, message, component, host, reporting_controller, reporting_instance;
};

// The field names of one Event shape.
struct EventFieldNames {
  const char *first, *last, *count, *involved, *message, *source, *reporting_controller;
};
inline constexpr EventFieldNames kCoreEventFields{"firstTimestamp", "lastTimestamp", "count", "involvedObject",
                                                  "message", "source", "reportingComponent"};
inline constexpr EventFieldNames kEventsV1Fields{"deprecatedFirstTimestamp", "deprecatedLastTimestamp",
                                                 "deprecatedCount", "regarding", "note", "deprecatedSource",
                                                 "reportingController"};
// The view of an Event object `o` of the shape `names` (`o` must outlive it).
EventView event_view(const Json& o, const EventFieldNames& names);

std::vector<TableColumn> event_columns();
Json event_row(const EventView& v);
const Strategy& events_v1_strategy();  // events.k8s.io/v1

}  // namespace kapi::server
