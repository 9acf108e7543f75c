// managedFields sets as upstream's structured-merge-diff writes them (FieldsV1: "f:" fields,
// "k:" list-map items keyed by their listMapKeys, "." for the item itself) and SSA's paths.
#include "server/registry/managed_fields.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pkg/runtime/schema.h"

namespace kapi::server {
namespace {

const runtime::StructType& type(const char* name) { return *runtime::Schema::get().find(name); }

TEST(ManagedFields, ListMapItemsAreKeyedByTheirKeys) {
  Json deploy = Json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","labels":{"app":"d"}},
    "spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80,"protocol":"TCP"}]}]}}}})");
  Json set = field_set(deploy, type("io.k8s.api.apps.v1.Deployment"));
  EXPECT_EQ(set.dump(),
            R"({"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{"f:name":{},"f:image":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{"f:containerPort":{},"f:protocol":{},".":{}}},".":{}}}}}}})");
}

// The order upstream writes (structured-merge-diff's Set.ToJSON), as `kubectl get -o yaml
// --show-managed-fields` shows it on a real cluster: "." first, then fields by name, then list
// items by key value (80 before 443: numbers compare as numbers).
TEST(ManagedFields, EntriesWriteSetsInUpstreamOrder) {
  Json svc = Json::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},
    "spec":{"selector":{"app":"s"},"type":"NodePort","ports":[{"protocol":"TCP","port":443,"targetPort":443},{"protocol":"TCP","port":80,"targetPort":80}]}})");
  Json e = managed_entry("kubectl", "Update", "v1", field_set(svc, type("io.k8s.api.core.v1.Service")), "");
  EXPECT_EQ(e["fieldsV1"].dump(),
            R"({"f:spec":{"f:ports":{"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{},"f:protocol":{},"f:targetPort":{}},)"
            R"("k:{\"port\":443,\"protocol\":\"TCP\"}":{".":{},"f:port":{},"f:protocol":{},"f:targetPort":{}}},"f:selector":{},"f:type":{}}})");
}

TEST(ManagedFields, LeafPathsAndHumanPaths) {
  Json set = Json::parse(R"({"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{}}}}}}})");
  auto paths = leaf_paths(set);
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(human_path(paths[0]), ".spec.replicas");
  EXPECT_EQ(human_path(paths[1]), ".spec.template.spec.containers[name=\"c\"].image");
}

TEST(ManagedFields, ValueLookupRemovalAndSetEdits) {
  Json obj = Json::parse(R"({"spec":{"containers":[{"name":"a","image":"x"},{"name":"c","image":"y"}]}})");
  FieldPath p = {"f:spec", "f:containers", "k:{\"name\":\"c\"}", "f:image"};
  ASSERT_NE(value_at(obj, p), nullptr);
  EXPECT_EQ(*value_at(obj, p), "y");
  remove_value(obj, {"f:spec", "f:containers", "k:{\"name\":\"a\"}"});
  EXPECT_EQ(obj["spec"]["containers"].size(), 1u);
  Json set = Json::parse(R"({"f:spec":{"f:replicas":{},"f:paused":{}}})");
  EXPECT_TRUE(set_contains(set, {"f:spec", "f:replicas"}));
  remove_from_set(set, {"f:spec", "f:replicas"});
  EXPECT_FALSE(set_contains(set, {"f:spec", "f:replicas"}));
  remove_from_set(set, {"f:spec", "f:paused"});
  EXPECT_EQ(set.dump(), "{}");  // emptied parents go too
}

}  // namespace
}  // namespace kapi::server
