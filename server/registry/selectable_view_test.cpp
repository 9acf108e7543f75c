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

}  // namespace
}  // namespace kapi::server
