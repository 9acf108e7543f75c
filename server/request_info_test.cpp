// RequestInfo parsing, as upstream's RequestInfoFactory (apiserver pkg/endpoints/request).
#include "server/request_info.h"

#include <gtest/gtest.h>

namespace kapi::server {
namespace {

struct Case {
  const char* method;
  const char* path;
  bool watch;
  const char* verb;
  const char* ns;
  const char* resource;
  const char* name;
  const char* sub;
};

TEST(RequestInfo, ParsesResourcePaths) {
  const Case cases[] = {
      {"GET", "/api/v1/namespaces/default/pods", false, "list", "default", "pods", "", ""},
      {"GET", "/api/v1/namespaces/default/pods", true, "watch", "default", "pods", "", ""},
      {"GET", "/api/v1/namespaces/default/pods/p1", false, "get", "default", "pods", "p1", ""},
      {"GET", "/api/v1/namespaces/default/pods/p1", true, "watch", "default", "pods", "p1", ""},
      {"PUT", "/api/v1/namespaces/default/pods/p1/status", false, "update", "default", "pods", "p1", "status"},
      {"POST", "/api/v1/namespaces/default/pods", false, "create", "default", "pods", "", ""},
      {"DELETE", "/api/v1/namespaces/default/pods", false, "deletecollection", "default", "pods", "", ""},
      {"PATCH", "/apis/apps/v1/namespaces/ns/deployments/d/scale", false, "patch", "ns", "deployments", "d", "scale"},
      // A namespace is its own namespace; status and finalize are its subresources.
      {"GET", "/api/v1/namespaces/kube-system", false, "get", "kube-system", "namespaces", "kube-system", ""},
      {"PUT", "/api/v1/namespaces/x/finalize", false, "update", "x", "namespaces", "x", "finalize"},
      {"GET", "/api/v1/nodes/n1", false, "get", "", "nodes", "n1", ""},
      {"GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles", false, "list", "", "clusterroles", "", ""},
  };
  for (const auto& c : cases) {
    RequestInfo info = parse_request_info(c.method, c.path, c.watch);
    EXPECT_TRUE(info.is_resource) << c.path;
    EXPECT_EQ(info.verb, c.verb) << c.path;
    EXPECT_EQ(info.namespace_, c.ns) << c.path;
    EXPECT_EQ(info.resource, c.resource) << c.path;
    EXPECT_EQ(info.name, c.name) << c.path;
    EXPECT_EQ(info.subresource, c.sub) << c.path;
  }
}

TEST(RequestInfo, NonResourcePaths) {
  for (const char* p : {"/api", "/apis", "/api/v1", "/apis/apps/v1", "/healthz", "/openapi/v3"})
    EXPECT_FALSE(parse_request_info("GET", p, false).is_resource) << p;
}

}  // namespace
}  // namespace kapi::server
