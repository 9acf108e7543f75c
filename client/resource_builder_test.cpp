#include "client/resource_builder.h"

#include <gtest/gtest.h>

namespace kapi::client {
namespace {

// Request URLs as kubectl 1.33 sends them (seen on the wire by test/e2e/test_client_golden.py).
TEST(ResourceBuilder, Paths) {
  RestMapping pods{{"", "v1", "pods", "pod", "Pod", true, {}, {}, {}}};
  RestMapping nodes{{"", "v1", "nodes", "node", "Node", false, {}, {}, {}}};
  RestMapping deploy{{"apps", "v1", "deployments", "deployment", "Deployment", true, {}, {}, {}}};
  EXPECT_EQ(ResourceBuilder::path_for(pods, "default", ""), "/api/v1/namespaces/default/pods");
  EXPECT_EQ(ResourceBuilder::path_for(pods, "", ""), "/api/v1/pods");
  EXPECT_EQ(ResourceBuilder::path_for(nodes, "default", "n1"), "/api/v1/nodes/n1");
  EXPECT_EQ(ResourceBuilder::path_for(deploy, "ns", "web"), "/apis/apps/v1/namespaces/ns/deployments/web");
  EXPECT_EQ(ResourceBuilder::path_for(pods, "default", "we[b]*"), "/api/v1/namespaces/default/pods/we%5Bb%5D%2A");
}

TEST(ResourceBuilder, QueryKeysSortedAndEscaped) {
  EXPECT_EQ(ResourceBuilder::encode_query({}), "");
  EXPECT_EQ(ResourceBuilder::encode_query({{"limit", "500"}, {"labelSelector", "app=web,tier in (a b)"}}),
            "?labelSelector=app%3Dweb%2Ctier+in+%28a+b%29&limit=500");
  EXPECT_EQ(ResourceBuilder::encode_query({{"watch", "true"}, {"resourceVersion", "200"}, {"fieldSelector", "metadata.name=db-0"}}),
            "?fieldSelector=metadata.name%3Ddb-0&resourceVersion=200&watch=true");
}

}  // namespace
}  // namespace kapi::client
