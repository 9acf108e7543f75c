#include "server/registry/pod_stream_location.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kapi::server {
namespace {

const nlohmann::ordered_json kPod = nlohmann::ordered_json::parse(R"({"metadata":{"name":"two"},
  "spec":{"containers":[{"name":"a"},{"name":"b"}],"initContainers":[{"name":"init"}],
          "ephemeralContainers":[{"name":"dbg"}]}})");

TEST(PodStreamLocation, ContainerIsCheckedBeforeTheHost) {
  EXPECT_EQ(pod_stream_location_error(kPod, "exec", "zz").message, "container zz is not valid for pod two");
  EXPECT_EQ(pod_stream_location_error(kPod, "attach", "").message,
            "a container name must be specified for pod two, choose one of: [init a b dbg]");
  for (const char* c : {"a", "init", "dbg"})
    EXPECT_EQ(pod_stream_location_error(kPod, "exec", c).message, "pod two does not have a host assigned");
  EXPECT_EQ(pod_stream_location_error(kPod, "exec", "a").code, 400);
}

TEST(PodStreamLocation, PortForwardHasNoContainer) {
  EXPECT_EQ(pod_stream_location_error(kPod, "portforward", "").message, "pod two does not have a host assigned");
}

TEST(PodStreamLocation, OneContainerIsTheDefault) {
  auto pod = nlohmann::ordered_json::parse(R"({"metadata":{"name":"one"},"spec":{"containers":[{"name":"c"}]}})");
  EXPECT_EQ(pod_stream_location_error(pod, "attach", "").message, "pod one does not have a host assigned");
  auto none = nlohmann::ordered_json::parse(R"({"metadata":{"name":"x"},"spec":{}})");
  EXPECT_EQ(pod_stream_location_error(none, "exec", "").message, "a container name must be specified for pod x");
}

}  // namespace
}  // namespace kapi::server
