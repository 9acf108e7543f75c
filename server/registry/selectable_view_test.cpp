#include "server/registry/selectable_view.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kapi::server {
namespace {

TEST(SelectableView, KeepsLabelsAndShallowScalarsOnly) {
  auto v = selectable_view(R"({"kind":"Pod","metadata":{"name":"p","namespace":"ns",
    "labels":{"app":"web","tier":"fe"},"annotations":{"a":"b"},"managedFields":[{"manager":"m"}]},
    "spec":{"nodeName":"n1","hostNetwork":true,"containers":[{"name":"c","image":"i"}],
            "securityContext":{"runAsUser":1}},
    "status":{"phase":"Running","podIP":"10.0.0.1","conditions":[{"type":"Ready"}]},
    "type":"Opaque","count":3,"ratio":1.5,"gone":null})");
  EXPECT_EQ(v.dump(), R"({"kind":"Pod","metadata":{"name":"p","namespace":"ns","labels":{"app":"web","tier":"fe"}},)"
                      R"("spec":{"nodeName":"n1","hostNetwork":true},"status":{"phase":"Running","podIP":"10.0.0.1"},)"
                      R"("type":"Opaque","count":3,"ratio":1.5,"gone":null})");
}

TEST(SelectableView, LabelsOnlyUnderMetadataAndNothingInsideArrays) {
  auto v = selectable_view(R"({"spec":{"labels":{"x":"y"},"template":{"metadata":{"labels":{"a":"b"}}}},
    "items":[{"metadata":{"labels":{"c":"d"}}}],"metadata":{"labels":{}}})");
  EXPECT_EQ(v.dump(), R"({"spec":{},"metadata":{"labels":{}}})");
}

TEST(SelectableView, InvalidJsonIsEmpty) {
  EXPECT_EQ(selectable_view("{\"a\":").dump(), "{}");
  EXPECT_EQ(selectable_view("").dump(), "{}");
}

// The direct scan must agree with the SAX reference on every document, including the ones it
// hands over to it (escapes, floats, odd spacing, malformed text).
TEST(SelectableView, DirectScanAgreesWithSax) {
  for (const char* doc : {
           R"({"kind":"Pod","metadata":{"name":"p","labels":{"a":"b","n":1,"o":{"x":"y"},"l":[1]}},"spec":{"x":{"y":"z"},"a":[{"b":"c"}],"s":"q\"uote"},"status":{"phase":"Pending"}})",
           R"( { "metadata" : { "name" : "p" , "labels" : { "a" : "b" } } , "n" : -12 , "u" : 18446744073709551615 } )",
           R"({"metadata":{"name":"a\u003cb","labels":{"k":"v"}}})",
           R"({"metadata":{"labels":{"k":"v\n"}}})",
           R"({"ratio":1.5,"metadata":{}})",
           R"({"big":-9223372036854775809})",
           R"({"lead":01})",
           R"({"neg":-01})",
           R"({"a":1}x)",
           R"({"a":})",
           R"({"k\"":1})",
           R"({"a":"b","a":{"c":"d"},"metadata":{"labels":{"x":"1"},"labels":{"y":"2"}}})",
           R"({"spec":{"labels":{"x":"y"}},"items":[{"metadata":{"labels":{"c":"d"}}}],"s":"esc\\"})",
           R"([1,2])",
           R"({"t":true,"f":false,"z":null,"e":{},"arr":[]})",
       }) {
    EXPECT_EQ(selectable_view(doc).dump(), selectable_view_sax(doc).dump()) << doc;
  }
  // What kapi stores (compact, canonical) takes the direct path.
  nlohmann::ordered_json direct;
  const char* stored = R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","namespace":"d","uid":"u",)"
                       R"("labels":{"app":"web"},"managedFields":[{"manager":"m","fieldsV1":{"f:spec":{}}}]},)"
                       R"("spec":{"containers":[{"name":"c","image":"nginx","resources":{}}],"priority":0,)"
                       R"("enableServiceLinks":true},"status":{"phase":"Pending","qosClass":"BestEffort"}})";
  ASSERT_TRUE(selectable_view_direct(stored, direct));
  EXPECT_EQ(direct.dump(), selectable_view_sax(stored).dump());
}

}  // namespace
}  // namespace kapi::server
