// Event validation, upstream pkg/apis/core/validation/events.go: the legacy checks every
// version gets, and the strict ones of events.k8s.io/v1. Objects are in the core/v1 shape, the
// field paths upstream's internal type gives.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/registry/kinds/event_validation.h"
#include "server/registry/resource.h"

namespace kapi::server {
namespace {

using V = std::vector<std::string>;

V texts(const std::vector<runtime::StatusCause>& causes) {
  V out;
  for (const auto& c : causes) out.push_back(c.field + ": " + c.message);
  return out;
}
V create(const std::string& json, bool strict) { return texts(validate_event_create(Json::parse(json), strict)); }

TEST(EventValidation, LegacyNamespaceRules) {
  // Old-style events (no eventTime): the involved object's namespace must be the event's, or
  // empty for events in "default".
  EXPECT_EQ(create(R"({"metadata":{"name":"e","namespace":"a"},"involvedObject":{"namespace":"b"}})", false),
            V{"involvedObject.namespace: Invalid value: \"b\": does not match event.namespace"});
  EXPECT_EQ(create(R"({"metadata":{"name":"e","namespace":"a"},"involvedObject":{}})", false),
            V{"involvedObject.namespace: Invalid value: \"\": does not match event.namespace"});
  EXPECT_EQ(create(R"({"metadata":{"name":"e","namespace":"default"},"involvedObject":{"kind":"Node"}})", false), V{});
  EXPECT_EQ(create(R"({"metadata":{"name":"e","namespace":"a"},"involvedObject":{"namespace":"a"}})", false), V{});
}

TEST(EventValidation, LegacyNewStyleEventsNeedReportingFields) {
  EXPECT_EQ(create(R"({"metadata":{"name":"e","namespace":"a"},"involvedObject":{},"eventTime":"2024-01-01T00:00:00.000000Z"})",
                   false),
            (V{"involvedObject.namespace: Invalid value: \"\": does not match event.namespace",
               "reportingController: Required value",
               "reportingController: Invalid value: \"\": name part must be non-empty",
               "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or "
               "'.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
               "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
               "reportingInstance: Required value", "action: Required value", "reason: Required value"}));
  // kube-system, like default, may hold events about cluster-scoped objects.
  EXPECT_EQ(create(R"({"metadata":{"name":"e","namespace":"kube-system"},"involvedObject":{},
      "eventTime":"2024-01-01T00:00:00.000000Z","reportingComponent":"k/c","reportingInstance":"i","action":"a",
      "reason":"r","message":")" + std::string(1025, 'm') + "\"}",
                   false),
            V{"message: Invalid value: \"\": can have at most 1024 characters"});
}

TEST(EventValidation, StrictCreateOfEventsV1) {
  EXPECT_EQ(create(R"({"metadata":{"name":"e","namespace":"default"},"involvedObject":{},"type":"Foo",
      "firstTimestamp":"2024-01-01T00:00:00Z","lastTimestamp":"2024-01-01T00:00:00Z","count":2,
      "source":{"host":"h"},"series":{"count":1}})",
                   true),
            (V{"series.count: Invalid value: \"\": should be at least 2", "series.lastObservedTime: Required value",
               "eventTime: Required value", "type: Invalid value: \"\": has invalid value: Foo",
               "firstTimestamp: Invalid value: \"\": needs to be unset",
               "lastTimestamp: Invalid value: \"\": needs to be unset", "count: Invalid value: \"\": needs to be unset",
               "source: Invalid value: \"\": needs to be unset"}));
  EXPECT_EQ(create(R"({"metadata":{"name":"e","namespace":"default"},"involvedObject":{},"type":"Normal",
      "eventTime":"2024-01-01T00:00:00.000000Z","reportingComponent":"c","reportingInstance":"i","action":"a","reason":"r"})",
                   true),
            V{});
}

TEST(EventValidation, StrictUpdateKeepsTheEventImmutable) {
  Json old = Json::parse(R"({"metadata":{"name":"e","namespace":"default"},"involvedObject":{"kind":"Pod","name":"p"},
      "type":"Normal","eventTime":"2024-01-01T00:00:00.000000Z","reportingComponent":"c","reportingInstance":"i",
      "action":"a","reason":"r","message":"m"})");
  Json now = old;
  now["message"] = "m2";
  now["involvedObject"]["name"] = "q";
  now["eventTime"] = "2024-01-02T00:00:00.500000Z";
  EXPECT_EQ(texts(validate_event_update(now, old, false)), V{});
  EXPECT_EQ(texts(validate_event_update(now, old, true)),
            (V{"involvedObject: Invalid value: core.ObjectReference{Kind:\"Pod\", Namespace:\"\", Name:\"q\", UID:\"\", "
               "APIVersion:\"\", ResourceVersion:\"\", FieldPath:\"\"}: field is immutable",
               "message: Invalid value: \"m2\": field is immutable",
               "eventTime: Invalid value: 2024-01-02 00:00:00.5 +0000 UTC: field is immutable"}));
}

}  // namespace
}  // namespace kapi::server
