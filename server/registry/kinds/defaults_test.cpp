// Defaulting against upstream's SetDefaults_* (kubernetes pkg/apis/{core,apps,batch,rbac,
// discovery}/v1/defaults.go): one case per rule kapi implements beyond the obvious ones.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/registry/resource.h"
#include "server/registry/strategy.h"

namespace kapi::server {
namespace {

Json defaulted(const char* group, const char* resource, const std::string& json) {
  const ResourceInfo* r = find_resource(group, "v1", resource);
  EXPECT_NE(r, nullptr) << resource;
  Json obj = Json::parse(json);
  strategy_for(*r).apply_defaults(obj);
  return obj;
}

TEST(PodDefaults, RequestsDefaultToLimitsPerResource) {
  Json p = defaulted("", "pods", R"({"metadata":{"name":"p"},"spec":{"containers":[
    {"name":"a","image":"i","resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"500m"}}},
    {"name":"b","image":"i","resources":{"limits":{"memory":"2Gi"}}}],
    "initContainers":[{"name":"i","image":"i","resources":{"limits":{"cpu":"2"}}}]}})");
  EXPECT_EQ(p["spec"]["containers"][0]["resources"]["requests"].dump(), R"({"cpu":"500m","memory":"1Gi"})");
  EXPECT_EQ(p["spec"]["containers"][1]["resources"]["requests"].dump(), R"({"memory":"2Gi"})");
  EXPECT_EQ(p["spec"]["initContainers"][0]["resources"]["requests"].dump(), R"({"cpu":"2"})");
  // Pod templates do not get it (SetDefaults_Pod, not SetDefaults_PodSpec).
  Json d = defaulted("apps", "deployments", R"({"metadata":{"name":"d"},"spec":{"template":{"spec":{"containers":[
    {"name":"a","image":"i","resources":{"limits":{"cpu":"1"}}}]}}}})");
  EXPECT_FALSE(d["spec"]["template"]["spec"]["containers"][0]["resources"].contains("requests"));
}

TEST(PodDefaults, HostNetworkPortsHttpGetAndProjectedTokens) {
  Json p = defaulted("", "pods", R"({"metadata":{"name":"p"},"spec":{"hostNetwork":true,"containers":[
    {"name":"a","image":"i","ports":[{"containerPort":8080}],
     "readinessProbe":{"httpGet":{"port":80}},"lifecycle":{"preStop":{"httpGet":{"port":81}}}}],
    "volumes":[{"name":"t","projected":{"sources":[{"serviceAccountToken":{"path":"tok"}},
      {"downwardAPI":{"items":[{"path":"n","fieldRef":{"fieldPath":"metadata.name"}}]}}]}}]}})");
  const Json& c = p["spec"]["containers"][0];
  EXPECT_EQ(c["ports"][0]["hostPort"], 8080);
  EXPECT_EQ(c["readinessProbe"]["httpGet"]["path"], "/");
  EXPECT_EQ(c["readinessProbe"]["httpGet"]["scheme"], "HTTP");
  EXPECT_EQ(c["lifecycle"]["preStop"]["httpGet"]["path"], "/");
  const Json& sources = p["spec"]["volumes"][0]["projected"]["sources"];
  EXPECT_EQ(sources[0]["serviceAccountToken"]["expirationSeconds"], 3600);
  EXPECT_EQ(sources[1]["downwardAPI"]["items"][0]["fieldRef"]["apiVersion"], "v1");
}

TEST(ServiceDefaults, ClientIpAffinityTimeout) {
  Json s = defaulted("", "services", R"({"metadata":{"name":"s"},"spec":{"sessionAffinity":"ClientIP","ports":[{"port":80}]}})");
  EXPECT_EQ(s["spec"]["sessionAffinityConfig"]["clientIP"]["timeoutSeconds"], 10800);
}

TEST(JobDefaults, CompletionsOnlyWithoutParallelismAndLabelsFromTemplate) {
  Json j = defaulted("batch", "jobs", R"({"metadata":{"name":"j"},"spec":{"parallelism":3,"template":{
    "metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}})");
  EXPECT_FALSE(j["spec"].contains("completions"));
  EXPECT_EQ(j["spec"]["parallelism"], 3);
  EXPECT_EQ(j["metadata"]["labels"].dump(), R"({"app":"x"})");
  Json plain = defaulted("batch", "jobs", R"({"metadata":{"name":"j","labels":{"own":"1"}},"spec":{"template":{
    "metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}})");
  EXPECT_EQ(plain["spec"]["completions"], 1);
  EXPECT_EQ(plain["spec"]["parallelism"], 1);
  EXPECT_EQ(plain["metadata"]["labels"].dump(), R"({"own":"1"})");
  Json perIndex = defaulted("batch", "jobs", R"({"metadata":{"name":"j"},"spec":{"backoffLimitPerIndex":1,
    "podFailurePolicy":{"rules":[{"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget"}]}]},
    "template":{"spec":{"containers":[{"name":"c","image":"i"}]}}}})");
  EXPECT_EQ(perIndex["spec"]["backoffLimit"], 2147483647);
  EXPECT_EQ(perIndex["spec"]["podReplacementPolicy"], "Failed");
  EXPECT_EQ(perIndex["spec"]["podFailurePolicy"]["rules"][0]["onPodConditions"][0]["status"], "True");
}

TEST(StatefulSetDefaults, RollingUpdateOnlyWhenTypeDefaultedAndClaimTemplates) {
  Json s = defaulted("apps", "statefulsets", R"({"metadata":{"name":"s"},"spec":{"updateStrategy":{"type":"RollingUpdate"},
    "volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"]}}],
    "template":{"spec":{"containers":[{"name":"c","image":"i"}]}}}})");
  EXPECT_FALSE(s["spec"]["updateStrategy"].contains("rollingUpdate"));
  const Json& pvc = s["spec"]["volumeClaimTemplates"][0];
  EXPECT_EQ(pvc["apiVersion"], "v1");
  EXPECT_EQ(pvc["kind"], "PersistentVolumeClaim");
  EXPECT_EQ(pvc["spec"]["volumeMode"], "Filesystem");
  EXPECT_EQ(pvc["status"]["phase"], "Pending");
  Json d = defaulted("apps", "statefulsets", R"({"metadata":{"name":"s"},"spec":{"template":{"spec":{"containers":[]}}}})");
  EXPECT_EQ(d["spec"]["updateStrategy"]["rollingUpdate"]["partition"], 0);
}

TEST(OtherDefaults, RbacEndpointsSlicesLimitRanges) {
  Json rb = defaulted("rbac.authorization.k8s.io", "rolebindings", R"({"metadata":{"name":"b"},"roleRef":{"kind":"Role","name":"r"},
    "subjects":[{"kind":"User","name":"u"},{"kind":"ServiceAccount","name":"s","namespace":"n"}]})");
  EXPECT_EQ(rb["roleRef"]["apiGroup"], "rbac.authorization.k8s.io");
  EXPECT_EQ(rb["subjects"][0]["apiGroup"], "rbac.authorization.k8s.io");
  EXPECT_EQ(rb["subjects"][1]["apiGroup"], "");
  Json eps = defaulted("discovery.k8s.io", "endpointslices", R"({"metadata":{"name":"e"},"addressType":"IPv4","ports":[{"port":80}]})");
  EXPECT_EQ(eps["ports"][0].dump(), R"({"port":80,"name":"","protocol":"TCP"})");
  Json ep = defaulted("", "endpoints", R"({"metadata":{"name":"e"},"subsets":[{"ports":[{"port":80}]}]})");
  EXPECT_EQ(ep["subsets"][0]["ports"][0]["protocol"], "TCP");
  Json lr = defaulted("", "limitranges", R"({"metadata":{"name":"l"},"spec":{"limits":[
    {"type":"Container","max":{"cpu":"2","memory":"1Gi"},"default":{"memory":"512Mi"},"min":{"ephemeral-storage":"1Gi"}},
    {"type":"Pod","max":{"cpu":"4"}}]}})");
  EXPECT_EQ(lr["spec"]["limits"][0]["default"].dump(), R"({"memory":"512Mi","cpu":"2"})");
  EXPECT_EQ(lr["spec"]["limits"][0]["defaultRequest"].dump(), R"({"memory":"512Mi","cpu":"2","ephemeral-storage":"1Gi"})");
  EXPECT_FALSE(lr["spec"]["limits"][1].contains("default"));
}

}  // namespace
}  // namespace kapi::server
