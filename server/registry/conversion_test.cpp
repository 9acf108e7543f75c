// Versions sharing a storage: events.k8s.io/v1 Events stored as core/v1 Events. The expected
// JSON follows upstream's conversion (pkg/apis/events/v1/conversion.go and its
// conversion_test.go cases) and Go's encoding of the k8s.io/api structs (field order, omitempty,
// `null` for zero times).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pkg/runtime/json_codec.h"
#include "server/registry/conversion.h"
#include "server/registry/resource.h"

namespace kapi::server {
namespace {

const ResourceInfo& events_v1() { return *find_resource("events.k8s.io", "v1", "events"); }
const ResourceInfo& core_events() { return *find_resource("", "v1", "events"); }

std::string stored(const std::string& served) {
  return runtime::encode_json(to_stored(events_v1(), Json::parse(served)));
}
std::string served(const std::string& stored_json) {
  return runtime::encode_json(to_served(events_v1(), Json::parse(stored_json)));
}

TEST(EventsConversion, SharesCoreEventsStorage) {
  EXPECT_EQ(events_v1().storage_owner, &core_events());
  EXPECT_EQ(events_v1().storage_prefix, "/registry/events/");
  EXPECT_EQ(&core_events().storage_resource(), &core_events());
  EXPECT_EQ(converter_for(core_events()), nullptr);
  EXPECT_NE(converter_for(events_v1()), nullptr);
}

// Test_convert_v1_Event_To_core_Event.
TEST(EventsConversion, V1ToCore) {
  EXPECT_EQ(stored(R"({"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"foo","namespace":"default"},
      "regarding":{"kind":"Pod","namespace":"default","name":"foo"},
      "deprecatedSource":{"component":"controller-manager","host":"master1"},"note":"convert v1 event to core event"})"),
            R"({"kind":"Event","apiVersion":"v1","metadata":{"name":"foo","namespace":"default","creationTimestamp":null},)"
            R"("involvedObject":{"kind":"Pod","namespace":"default","name":"foo"},"message":"convert v1 event to core event",)"
            R"("source":{"component":"controller-manager","host":"master1"},"firstTimestamp":null,"lastTimestamp":null,)"
            R"("eventTime":null,"reportingComponent":"","reportingInstance":""})");
}

// Test_convert_core_Event_To_v1_Event.
TEST(EventsConversion, CoreToV1) {
  EXPECT_EQ(served(R"({"apiVersion":"v1","kind":"Event","metadata":{"name":"foo","namespace":"default"},
      "involvedObject":{"namespace":"default","name":"foo","kind":"Pod"},
      "source":{"component":"controller-manager","host":"master1"},"message":"convert core event to v1 event"})"),
            R"({"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"foo","namespace":"default","creationTimestamp":null},)"
            R"("eventTime":null,"regarding":{"kind":"Pod","namespace":"default","name":"foo"},"note":"convert core event to v1 event",)"
            R"("deprecatedSource":{"component":"controller-manager","host":"master1"},"deprecatedFirstTimestamp":null,)"
            R"("deprecatedLastTimestamp":null})");
}

// Every field: the renamed ones, and those both versions name alike (series, related, action,
// reason, type, eventTime, reportingInstance). A series count of 0 is omitted by core/v1 only.
TEST(EventsConversion, EveryFieldBothWays) {
  const std::string core =
      R"({"kind":"Event","apiVersion":"v1","metadata":{"name":"e","namespace":"ns","creationTimestamp":null},)"
      R"("involvedObject":{"kind":"Pod","namespace":"ns","name":"p","uid":"u1","apiVersion":"v1","resourceVersion":"7","fieldPath":"spec.containers{c}"},)"
      R"("reason":"BackOff","message":"Back-off","source":{"component":"kubelet","host":"n1"},)"
      R"("firstTimestamp":"2024-01-01T00:00:00Z","lastTimestamp":"2024-01-02T00:00:00Z","count":5,"type":"Warning",)"
      R"("eventTime":"2024-01-01T00:00:00.123456Z","series":{"count":4,"lastObservedTime":"2024-01-03T00:00:00.000000Z"},)"
      R"("action":"Pulling","related":{"kind":"Node","name":"n1"},"reportingComponent":"kubelet","reportingInstance":"n1"})";
  const std::string v1 =
      R"({"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"e","namespace":"ns","creationTimestamp":null},)"
      R"("eventTime":"2024-01-01T00:00:00.123456Z","series":{"count":4,"lastObservedTime":"2024-01-03T00:00:00.000000Z"},)"
      R"("reportingController":"kubelet","reportingInstance":"n1","action":"Pulling","reason":"BackOff",)"
      R"("regarding":{"kind":"Pod","namespace":"ns","name":"p","uid":"u1","apiVersion":"v1","resourceVersion":"7","fieldPath":"spec.containers{c}"},)"
      R"("related":{"kind":"Node","name":"n1"},"note":"Back-off","type":"Warning",)"
      R"("deprecatedSource":{"component":"kubelet","host":"n1"},"deprecatedFirstTimestamp":"2024-01-01T00:00:00Z",)"
      R"("deprecatedLastTimestamp":"2024-01-02T00:00:00Z","deprecatedCount":5})";
  EXPECT_EQ(served(core), v1);
  EXPECT_EQ(stored(v1), core);
  EXPECT_EQ(served(R"({"kind":"Event","apiVersion":"v1","metadata":{"name":"e"},"series":{}})"),
            R"({"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"e","creationTimestamp":null},)"
            R"("eventTime":null,"series":{"count":0,"lastObservedTime":null},"regarding":{},"deprecatedSource":{},)"
            R"("deprecatedFirstTimestamp":null,"deprecatedLastTimestamp":null})");
}

// AddFieldLabelConversionsForEvent.
TEST(EventsConversion, FieldLabels) {
  const VersionConverter& c = *converter_for(events_v1());
  std::string mapped;
  for (auto [label, want] : std::vector<std::pair<std::string, std::string>>{
           {"regarding.kind", "involvedObject.kind"}, {"regarding.namespace", "involvedObject.namespace"},
           {"regarding.name", "involvedObject.name"}, {"regarding.uid", "involvedObject.uid"},
           {"regarding.apiVersion", "involvedObject.apiVersion"},
           {"regarding.resourceVersion", "involvedObject.resourceVersion"},
           {"regarding.fieldPath", "involvedObject.fieldPath"}, {"reportingController", "reportingComponent"},
           {"reason", "reason"}, {"source", "source"}, {"type", "type"}, {"metadata.name", "metadata.name"},
           {"metadata.namespace", "metadata.namespace"}}) {
    ASSERT_TRUE(c.field_label(label, mapped)) << label;
    EXPECT_EQ(mapped, want);
  }
  for (const char* label : {"involvedObject.kind", "reportingComponent", "note", "deprecatedSource", "spec.x"})
    EXPECT_FALSE(c.field_label(label, mapped)) << label;
}

TEST(EventsConversion, SelectorsMatchTheStoredFields) {
  SelectorFilter sel;
  ASSERT_TRUE(parse_resource_selectors(events_v1(), "", "regarding.name=p,reportingController!=x", sel).ok());
  Attrs fields{{"metadata.name", "e"}, {"involvedObject.name", "p"}, {"reportingComponent", "kubelet"}};
  EXPECT_TRUE(sel.match({}, fields));
  fields[1].second = "q";
  EXPECT_FALSE(sel.match({}, fields));

  SelectorFilter bad;
  auto st = parse_resource_selectors(events_v1(), "", "involvedObject.name=p", bad);
  EXPECT_EQ(st.code, 400);
  EXPECT_EQ(st.message, "field label not supported: involvedObject.name");
  st = parse_resource_selectors(core_events(), "", "regarding.name=p", bad);
  EXPECT_EQ(st.message, "field label not supported: regarding.name");
  SelectorFilter core;
  EXPECT_TRUE(parse_resource_selectors(core_events(), "", "involvedObject.name=p,source=kubelet", core).ok());
}

}  // namespace
}  // namespace kapi::server
