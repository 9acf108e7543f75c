// The published OpenAPI v3 documents carry the descriptions of pkg/api/docs, which is what
// `kubectl explain` prints.
#include "server/endpoints/openapi.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pkg/runtime/docs.h"
#include "pkg/runtime/schema.h"

namespace kapi::server {
namespace {

nlohmann::json document(const std::string& path) {
  HttpRequest req;
  req.method = "GET";
  req.path = path;
  HttpResponse out;
  EXPECT_TRUE(serve_openapi(req, out));
  EXPECT_EQ(out.status, 200);
  return nlohmann::json::parse(out.body);
}

std::string field_doc(const std::string& type, const std::string& json) {
  const auto* st = runtime::Schema::get().find(type);
  return st ? std::string(runtime::Docs::get().field(*st->find(json))) : "";
}

TEST(OpenApi, CoreV1CarriesPodSpecAndContainerImageDescriptions) {
  auto schemas = document("/openapi/v3/api/v1")["components"]["schemas"];
  std::string spec = field_doc("io.k8s.api.core.v1.Pod", "spec");
  std::string image = field_doc("io.k8s.api.core.v1.Container", "image");
  ASSERT_FALSE(spec.empty());
  ASSERT_FALSE(image.empty());
  EXPECT_EQ(schemas["io.k8s.api.core.v1.Pod"]["properties"]["spec"]["description"], spec);
  EXPECT_EQ(schemas["io.k8s.api.core.v1.Container"]["properties"]["image"]["description"], image);
  const auto& pod = schemas["io.k8s.api.core.v1.Pod"];
  EXPECT_EQ(pod["description"], std::string(runtime::Docs::get().type(
                                    *runtime::Schema::get().find("io.k8s.api.core.v1.Pod"))));
}

TEST(OpenApi, AppsV1CarriesDeploymentDescriptions) {
  auto schemas = document("/openapi/v3/apis/apps/v1")["components"]["schemas"];
  std::string replicas = field_doc("io.k8s.api.apps.v1.DeploymentSpec", "replicas");
  ASSERT_FALSE(replicas.empty());
  EXPECT_EQ(schemas["io.k8s.api.apps.v1.DeploymentSpec"]["properties"]["replicas"]["description"],
            replicas);
}

}  // namespace
}  // namespace kapi::server
