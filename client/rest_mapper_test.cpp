#include "client/rest_mapper.h"

#include <gtest/gtest.h>

#include "client/test_util.h"

namespace kapi::client {
namespace {

// Discovery documents served by test/e2e/test_client_golden.py (client/testdata/README.md).
DiscoveryData discovery() {
  DiscoveryData d;
  EXPECT_TRUE(parse_aggregated_discovery(testing::read_testdata("discovery_api.json"), d));
  EXPECT_TRUE(parse_aggregated_discovery(testing::read_testdata("discovery_apis.json"), d));
  return d;
}

std::string resolve(const DiscoveryData& d, const std::string& arg) {
  auto m = RestMapper(d).mapping_for(arg);
  if (!m) return "<none>";
  return m->resource.group + "/" + m->resource.version + "/" + m->resource.name;
}

TEST(RestMapper, NamesKubectlAccepts) {
  DiscoveryData d = discovery();
  EXPECT_EQ(resolve(d, "pods"), "/v1/pods");
  EXPECT_EQ(resolve(d, "pod"), "/v1/pods");
  EXPECT_EQ(resolve(d, "po"), "/v1/pods");
  EXPECT_EQ(resolve(d, "Pod"), "/v1/pods");    // resources are matched lower-cased
  EXPECT_EQ(resolve(d, "PODS"), "/v1/pods");
  EXPECT_EQ(resolve(d, "deploy"), "apps/v1/deployments");
  EXPECT_EQ(resolve(d, "deployments.apps"), "apps/v1/deployments");
  EXPECT_EQ(resolve(d, "deployment.apps"), "apps/v1/deployments");
  EXPECT_EQ(resolve(d, "deployments.v1.apps"), "apps/v1/deployments");
  EXPECT_EQ(resolve(d, "deploy.apps"), "apps/v1/deployments");
  EXPECT_EQ(resolve(d, "Deployment"), "apps/v1/deployments");
  EXPECT_EQ(resolve(d, "widgets.example"), "example.com/v1/widgets");  // group prefix
  EXPECT_EQ(resolve(d, "wd"), "example.com/v1/widgets");
}

TEST(RestMapper, UnknownNames) {
  DiscoveryData d = discovery();
  EXPECT_EQ(resolve(d, "foos"), "<none>");
  EXPECT_EQ(resolve(d, "PO"), "<none>");  // short names are case-sensitive
  EXPECT_EQ(resolve(d, "pods.apps"), "<none>");
  EXPECT_EQ(resolve(d, "pods.v1"), "<none>");  // "v1" is read as a group, as kubectl does
  EXPECT_EQ(resource_for_error("foo.bar"), "foo");
}

TEST(RestMapper, CoreGroupWinsOnAmbiguity) {
  DiscoveryData d = discovery();
  ApiResource events{"events.k8s.io", "v1", "events", "event", "Event", true, {"ev"}, {}, {}};
  ApiResource core_events{"", "v1", "events", "event", "Event", true, {"ev"}, {}, {}};
  // Discovery lists the core group first; resolution must prefer it even when a later group
  // lists the same name first in its own list.
  d.resources.insert(d.resources.begin(), core_events);
  d.resources.push_back(events);
  d.groups.push_back({"events.k8s.io", {"v1"}});
  EXPECT_EQ(resolve(d, "events"), "/v1/events");
  EXPECT_EQ(resolve(d, "ev"), "/v1/events");
  EXPECT_EQ(resolve(d, "events.events.k8s.io"), "events.k8s.io/v1/events");
}

TEST(RestMapper, PreferredVersionFirst) {
  DiscoveryData d;
  d.groups.push_back({"autoscaling", {"v2", "v1"}});
  d.resources.push_back({"autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler",
                         "HorizontalPodAutoscaler", true, {"hpa"}, {"all"}, {}});
  d.resources.push_back({"autoscaling", "v1", "horizontalpodautoscalers", "horizontalpodautoscaler",
                         "HorizontalPodAutoscaler", true, {"hpa"}, {"all"}, {}});
  EXPECT_EQ(resolve(d, "hpa"), "autoscaling/v2/horizontalpodautoscalers");
  EXPECT_EQ(resolve(d, "horizontalpodautoscalers.v1.autoscaling"), "autoscaling/v1/horizontalpodautoscalers");
}

TEST(RestMapper, AllCategoryInDiscoveryOrder) {
  DiscoveryData d = discovery();
  auto all = RestMapper(d).expand_category("all");
  ASSERT_TRUE(all.has_value());
  std::vector<std::string> want = {"pods", "services", "deployments.apps", "replicasets.apps", "jobs.batch"};
  EXPECT_EQ(*all, want);
  EXPECT_FALSE(RestMapper(d).expand_category("pods").has_value());
}

TEST(RestMapping, PrefixAndPath) {
  RestMapping m{{"apps", "v1", "deployments", "deployment", "Deployment", true, {}, {}, {}}};
  EXPECT_EQ(m.group_kind_lower(), "deployment.apps");
  EXPECT_EQ(m.api_path(), "/apis/apps/v1");
  RestMapping p{{"", "v1", "pods", "pod", "Pod", true, {}, {}, {}}};
  EXPECT_EQ(p.group_kind_lower(), "pod");
  EXPECT_EQ(p.api_path(), "/api/v1");
}

TEST(Discovery, AggregatedContentType) {
  EXPECT_TRUE(is_aggregated_content_type("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"));
  EXPECT_TRUE(is_aggregated_content_type("application/json; as=APIGroupDiscoveryList; v=v2beta1; g=apidiscovery.k8s.io"));
  EXPECT_FALSE(is_aggregated_content_type("application/json"));
  EXPECT_FALSE(is_aggregated_content_type("application/json;g=apidiscovery.k8s.io;v=v1;as=APIGroupDiscoveryList"));
}

TEST(Discovery, CacheDirLikeKubectl) {
  // cli-runtime computeDiscoverCacheDir
  EXPECT_EQ(Discovery::cache_path_for("/h/.kube/cache", "https://127.0.0.1:6443"),
            "/h/.kube/cache/discovery/127.0.0.1_6443");
  EXPECT_EQ(Discovery::cache_path_for("/c", "http://my-host:8080/prefix"), "/c/discovery/my_host_8080/prefix");
}

}  // namespace
}  // namespace kapi::client
