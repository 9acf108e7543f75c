#include "client/cmd/set_common.h"

#include <gtest/gtest.h>

namespace kapi::client {
namespace {

// selectString as upstream's loop computes it, quirks included: a leading literal part only has
// to occur somewhere ("x*" selects "nginx").
TEST(SetCommon, SelectStringWildcards) {
  EXPECT_TRUE(select_string("nginx", "*"));
  EXPECT_TRUE(select_string("nginx", "nginx"));
  EXPECT_FALSE(select_string("nginx", "ngin"));
  EXPECT_TRUE(select_string("side", "si*"));
  EXPECT_TRUE(select_string("nginx", "*x"));
  EXPECT_TRUE(select_string("nginx", "n*x"));
  EXPECT_TRUE(select_string("nginx", "x*"));
  EXPECT_FALSE(select_string("ab", "*ba"));
}

RestMapping mapping(const char* group, const char* kind) {
  RestMapping m;
  m.resource.group = group;
  m.resource.version = "v1";
  m.resource.kind = kind;
  return m;
}

TEST(SetCommon, PodSpecOfKnownKindsAndTheErrorOtherwise) {
  nlohmann::ordered_json cj = {{"spec", {{"jobTemplate", {{"spec", {{"template", {{"spec", {{"x", 1}}}}}}}}}}}};
  auto spec = pod_spec_of(cj, mapping("batch", "CronJob"));
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ((**spec)["x"], 1);
  nlohmann::ordered_json svc = {{"spec", nlohmann::ordered_json::object()}};
  auto err = pod_spec_of(svc, mapping("", "Service"));
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().message, "the object is not a pod or does not have a pod template: *v1.Service");
}

}  // namespace
}  // namespace kapi::client
