// Bootstrap-role decisions (kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy:
// system:public-info-viewer, system:discovery, system:basic-user) and impersonation
// (k8s.io/apiserver pkg/endpoints/filters/impersonation.go).
#include "server/authorizer.h"

#include <gtest/gtest.h>

namespace kapi::server {
namespace {

AuthzAttributes path(const std::string& p, const std::string& verb = "get") {
  AuthzAttributes a;
  a.verb = verb;
  a.path = p;
  return a;
}

AuthzAttributes resource(const std::string& verb, const std::string& group, const std::string& res) {
  AuthzAttributes a;
  a.is_resource = true;
  a.verb = verb;
  a.group = group;
  a.resource = res;
  return a;
}

TEST(Authorizer, MastersMayDoEverything) {
  UserInfo admin{"kubernetes-admin", "", {"system:masters", "system:authenticated"}};
  EXPECT_TRUE(authorized(admin, resource("delete", "", "pods")));
  EXPECT_TRUE(authorized(admin, path("/metrics")));
}

TEST(Authorizer, AuthenticatedUsersGetDiscoveryAndSelfReviewsOnly) {
  UserInfo bob{"bob", "", {"system:authenticated"}};
  EXPECT_TRUE(authorized(bob, path("/apis/apps/v1")));
  EXPECT_TRUE(authorized(bob, path("/openapi/v3")));
  EXPECT_TRUE(authorized(bob, path("/version/")));
  EXPECT_FALSE(authorized(bob, path("/apis", "post")));
  EXPECT_FALSE(authorized(bob, path("/metrics")));
  EXPECT_TRUE(authorized(bob, resource("create", "authorization.k8s.io", "selfsubjectaccessreviews")));
  EXPECT_TRUE(authorized(bob, resource("create", "authentication.k8s.io", "selfsubjectreviews")));
  EXPECT_FALSE(authorized(bob, resource("create", "authorization.k8s.io", "subjectaccessreviews")));
  EXPECT_FALSE(authorized(bob, resource("list", "", "pods")));
}

TEST(Authorizer, AnonymousGetsPublicInfoOnly) {
  UserInfo anon{"system:anonymous", "", {"system:unauthenticated"}};
  EXPECT_TRUE(authorized(anon, path("/healthz")));
  EXPECT_FALSE(authorized(anon, path("/api")));
  EXPECT_FALSE(authorized(anon, resource("create", "authorization.k8s.io", "selfsubjectaccessreviews")));
}

TEST(Impersonation, OnlyMastersAndGroupsImplied) {
  UserInfo admin{"kubernetes-admin", "", {"system:masters", "system:authenticated"}};
  UserInfo u = admin;
  EXPECT_EQ(impersonate(u, "bob", {"devs"}, "").code, 0);
  EXPECT_EQ(u.name, "bob");
  EXPECT_EQ(u.groups, (std::vector<std::string>{"devs", "system:authenticated"}));
  UserInfo anon = admin;
  impersonate(anon, "system:anonymous", {}, "");
  EXPECT_EQ(anon.groups, (std::vector<std::string>{"system:unauthenticated"}));
  UserInfo bob{"bob", "", {"system:authenticated"}};
  auto e = impersonate(bob, "alice", {}, "");
  EXPECT_EQ(e.code, 403);
  EXPECT_EQ(e.message, "User \"bob\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope");
  EXPECT_EQ(bob.name, "bob");
  UserInfo none = admin;
  EXPECT_EQ(impersonate(none, "", {"g"}, "").message, "requested [{Group g}] without impersonating a user");
  EXPECT_EQ(impersonate(none, "", {}, "").code, 0);
}

}  // namespace
}  // namespace kapi::server
