// pods/ephemeralcontainers: what PrepareForUpdate keeps and what ValidatePodEphemeralContainersUpdate
// rejects, with upstream's field error texts (pkg/apis/core/validation).
#include "server/registry/kinds/pod_ephemeral.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/registry/resource.h"
#include "server/registry/strategy.h"

namespace kapi::server {
namespace {

using V = std::vector<std::string>;

const Strategy& pods() { return strategy_for(*find_resource("", "v1", "pods")); }

Json pod(const std::string& ephemeral, const std::string& meta_extra = "") {
  return Json::parse(R"({"metadata":{"name":"p","namespace":"default","resourceVersion":"5")" + meta_extra +
                     R"(},"spec":{"containers":[{"name":"app","image":"nginx","imagePullPolicy":"Always"}],)"
                     R"("initContainers":[{"name":"init","image":"busybox","imagePullPolicy":"Always"}],)"
                     R"("volumes":[{"name":"v","emptyDir":{}}],"ephemeralContainers":)" + ephemeral + "}}");
}

V update(const Json& now, const Json& old) {
  Json obj = now;
  pods().prepare_subresource_update("ephemeralcontainers", obj, old);
  pods().apply_defaults(obj);
  V out;
  for (const auto& c : pods().validate_subresource_update("ephemeralcontainers", obj, old))
    out.push_back(c.field + ": " + c.message);
  return out;
}

const char* kDebugger =
    R"({"name":"dbg","image":"busybox","imagePullPolicy":"Always","terminationMessagePolicy":"File",)"
    R"("terminationMessagePath":"/dev/termination-log"})";

TEST(PodEphemeral, PrepareKeepsAllButEphemeralContainers) {
  Json old = pod("[]");
  Json obj = pod(std::string("[") + kDebugger + "]");
  obj["spec"]["containers"][0]["image"] = "changed";
  obj["metadata"]["labels"] = {{"a", "b"}};
  pods().prepare_subresource_update("ephemeralcontainers", obj, old);
  EXPECT_EQ(obj["spec"]["containers"][0]["image"], "nginx");
  EXPECT_FALSE(obj["metadata"].contains("labels"));
  EXPECT_EQ(obj["spec"]["ephemeralContainers"][0]["name"], "dbg");
  EXPECT_EQ(obj["metadata"]["resourceVersion"], "5");
}

TEST(PodEphemeral, AddingIsAllowedAndDefaulted) {
  Json obj = pod(R"([{"name":"dbg","image":"busybox","resources":{}}])");
  EXPECT_EQ(update(obj, pod("[]")), V{});
  pods().apply_defaults(obj);
  EXPECT_EQ(obj["spec"]["ephemeralContainers"][0]["imagePullPolicy"], "Always");
  EXPECT_EQ(obj["spec"]["ephemeralContainers"][0]["terminationMessagePath"], "/dev/termination-log");
}

TEST(PodEphemeral, ExistingMayNotBeRemovedOrChanged) {
  Json old = pod(std::string("[") + kDebugger + "]");
  EXPECT_EQ(update(pod("[]"), old),
            V{"spec.ephemeralContainers: Forbidden: existing ephemeral containers \"dbg\" may not be removed\n"});
  Json changed = old;
  changed["spec"]["ephemeralContainers"][0]["image"] = "alpine";
  EXPECT_EQ(update(changed, old),
            V{"spec.ephemeralContainers[dbg]: Forbidden: existing ephemeral containers \"dbg\" may not be changed\n"});
  // Key order alone is no change.
  Json reordered = pod(R"([{"image":"busybox","name":"dbg","terminationMessagePath":"/dev/termination-log",)"
                       R"("imagePullPolicy":"Always","terminationMessagePolicy":"File"}])");
  EXPECT_EQ(update(reordered, old), V{});
}

TEST(PodEphemeral, NamesUniqueAcrossAllContainers) {
  EXPECT_EQ(update(pod(R"([{"name":"app","image":"busybox"}])"), pod("[]")),
            V{"spec.ephemeralContainers[0].name: Duplicate value: \"app\""});
  EXPECT_EQ(update(pod(R"([{"name":"init","image":"busybox"},{"name":"x","image":"b"},{"name":"x","image":"b"}])"), pod("[]")),
            (V{"spec.ephemeralContainers[0].name: Duplicate value: \"init\"",
               "spec.ephemeralContainers[2].name: Duplicate value: \"x\""}));
}

TEST(PodEphemeral, TargetMustBeARegularOrInitContainer) {
  EXPECT_EQ(update(pod(R"([{"name":"d","image":"b","targetContainerName":"app"}])"), pod("[]")), V{});
  EXPECT_EQ(update(pod(R"([{"name":"d","image":"b","targetContainerName":"e"},{"name":"e","image":"b"}])"), pod("[]")),
            V{"spec.ephemeralContainers[0].targetContainerName: Not found: \"e\""});
}

TEST(PodEphemeral, FieldsOutsideTheAllowList) {
  EXPECT_EQ(update(pod(R"([{"name":"d","image":"b","ports":[{"containerPort":80}],"resources":{"limits":{"cpu":"1"}},)"
                       R"("readinessProbe":{"exec":{"command":["true"]}},"lifecycle":{},)"
                       R"("volumeMounts":[{"name":"v","mountPath":"/v","subPath":"s"}]}])"),
                   pod("[]")),
            (V{"spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container",
               "spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container",
               "spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container",
               "spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container",
               "spec.ephemeralContainers[0].volumeMounts[0].subPath: Forbidden: cannot be set for an Ephemeral Container"}));
  EXPECT_EQ(update(pod(R"([{"name":"d"}])"), pod("[]")), V{"spec.ephemeralContainers[0].image: Required value"});
}

TEST(PodEphemeral, StaticPodsHaveNone) {
  Json old = pod("[]", R"(,"annotations":{"kubernetes.io/config.mirror":"x"})");
  Json obj = pod(R"([{"name":"d","image":"b"}])", R"(,"annotations":{"kubernetes.io/config.mirror":"x"})");
  EXPECT_EQ(update(obj, old), V{": Forbidden: static pods do not support ephemeral containers"});
}

}  // namespace
}  // namespace kapi::server
