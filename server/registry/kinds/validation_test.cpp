// One failing case per validation rule kapi implements (object_meta.cpp, kinds/*.cpp), each
// asserting upstream's field error text: `<path>: <Type>[: <value>][: <detail>]` as
// field.Error.Error() prints it (k8s.io/kubernetes pkg/apis/core/validation, apps/validation,
// batch/validation, apimachinery pkg/api/validation and pkg/util/validation).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/registry/object_meta.h"
#include "server/registry/resource.h"
#include "server/registry/strategy.h"

namespace kapi::server {
namespace {

std::vector<std::string> texts(const std::vector<runtime::StatusCause>& causes) {
  std::vector<std::string> out;
  for (const auto& c : causes) out.push_back(c.field + ": " + c.message);
  return out;
}

const ResourceInfo& res(const std::string& group, const std::string& version, const std::string& resource) {
  const ResourceInfo* r = find_resource(group, version, resource);
  EXPECT_NE(r, nullptr) << resource;
  return *r;
}

std::vector<std::string> validate(const ResourceInfo& r, const std::string& json) {
  return texts(strategy_for(r).validate(Json::parse(json)));
}

std::vector<std::string> meta(const ResourceInfo& r, const std::string& json) {
  return texts(validate_meta(r, Json::parse(json)));
}

using V = std::vector<std::string>;

const char* kSubdomain =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const char* kLabel =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const char* kDns1035 =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
    "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const char* kNamePart =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const char* kLabelValue =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
    "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

TEST(ValidateMeta, NamesLabelsAnnotations) {
  const auto& cms = res("", "v1", "configmaps");
  EXPECT_EQ(meta(cms, R"({"metadata":{}})"),
            V{"metadata.name: Required value: name or generateName is required"});
  EXPECT_EQ(meta(cms, R"({"metadata":{"name":"Bad_Name"}})"),
            V{std::string("metadata.name: Invalid value: \"Bad_Name\": ") + kSubdomain});
  // IsDNS1123Label: a valid subdomain that is not a label "must not contain dots".
  EXPECT_EQ(meta(res("", "v1", "namespaces"), R"({"metadata":{"name":"a.b"}})"),
            V{"metadata.name: Invalid value: \"a.b\": must not contain dots"});
  EXPECT_EQ(meta(res("", "v1", "namespaces"), R"({"metadata":{"name":"a_b"}})"),
            V{std::string("metadata.name: Invalid value: \"a_b\": ") + kLabel});
  EXPECT_EQ(meta(res("", "v1", "services"), R"({"metadata":{"name":"1abc"}})"),
            V{std::string("metadata.name: Invalid value: \"1abc\": ") + kDns1035});
  // RBAC names are path segments (ValidateRBACName = path.ValidatePathSegmentName).
  EXPECT_EQ(meta(res("rbac.authorization.k8s.io", "v1", "roles"), R"({"metadata":{"name":"a/b"}})"),
            V{"metadata.name: Invalid value: \"a/b\": may not contain '/'"});
  EXPECT_EQ(meta(cms, R"({"metadata":{"name":"x","labels":{"-bad":"ok"}}})"),
            V{std::string("metadata.labels: Invalid value: \"-bad\": ") + kNamePart});
  EXPECT_EQ(meta(cms, R"({"metadata":{"name":"x","labels":{"ok":"bad value"}}})"),
            V{std::string("metadata.labels: Invalid value: \"bad value\": ") + kLabelValue});
  EXPECT_EQ(meta(cms, R"({"metadata":{"name":"x","annotations":{"bad key!":"v"}}})"),
            V{std::string("metadata.annotations: Invalid value: \"bad key!\": ") + kNamePart});
  Json big = {{"metadata", {{"name", "x"}, {"annotations", {{"a", std::string(256 * 1024, 'x')}}}}}};
  EXPECT_EQ(meta(cms, big.dump()), V{"metadata.annotations: Too long: may not be more than 262144 bytes"});
}

TEST(ValidateService, TypePortsNames) {
  const auto& svc = res("", "v1", "services");
  EXPECT_EQ(validate(svc, R"({"spec":{"type":"Foo","ports":[{"port":80}]}})"),
            V{R"(spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort")"});
  EXPECT_EQ(validate(svc, R"({"spec":{}})"), V{"spec.ports: Required value"});
  EXPECT_EQ(validate(svc, R"({"spec":{"ports":[{"port":0}]}})"),
            V{"spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"});
  EXPECT_EQ(validate(svc, R"({"spec":{"ports":[{"name":"a","port":80},{"port":81}]}})"),
            V{"spec.ports[1].name: Required value"});
  EXPECT_EQ(validate(svc, R"({"spec":{"ports":[{"name":"http","port":80},{"name":"http","port":81}]}})"),
            V{R"(spec.ports[1].name: Duplicate value: "http")"});
}

TEST(ValidatePodSpec, ContainersPortsPoliciesVolumes) {
  const auto& pods = res("", "v1", "pods");
  EXPECT_EQ(validate(pods, R"({"spec":{}})"), V{"spec.containers: Required value"});
  EXPECT_EQ(validate(pods, R"({"spec":{"containers":[{"image":"i"},{"name":"c"}]}})"),
            (V{"spec.containers[0].name: Required value", "spec.containers[1].image: Required value"}));
  EXPECT_EQ(validate(pods, R"({"spec":{"containers":[{"name":"c","image":"i"}],
                                     "initContainers":[{"name":"c","image":"i"}]}})"),
            V{R"(spec.initContainers[0].name: Duplicate value: "c")"});
  EXPECT_EQ(validate(pods, R"({"spec":{"containers":[{"name":"c","image":"i","imagePullPolicy":"Sometimes",
                                     "ports":[{"containerPort":70000},{"containerPort":80,"protocol":"ICMP"}]}]}})"),
            (V{"spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
               R"(spec.containers[0].ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP")",
               R"(spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never")"}));
  EXPECT_EQ(validate(pods, R"({"spec":{"containers":[{"name":"c","image":"i"}],"restartPolicy":"Sometimes",
                                     "dnsPolicy":"Google"}})"),
            (V{R"(spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure")",
               R"(spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None")"}));
  EXPECT_EQ(validate(pods, R"({"spec":{"containers":[{"name":"c","image":"i"}],
                                     "volumes":[{"emptyDir":{}},{"name":"v"},{"name":"v"}]}})"),
            (V{"spec.volumes[0].name: Required value", R"(spec.volumes[2].name: Duplicate value: "v")"}));
}

TEST(ValidatePod, UpdatesMayOnlyChangeImagesAndFriends) {
  const auto& pods = res("", "v1", "pods");
  Json old = Json::parse(R"({"spec":{"containers":[{"name":"c","image":"i"}]}})");
  Json images = Json::parse(R"({"spec":{"containers":[{"name":"c","image":"j"}],"activeDeadlineSeconds":5}})");
  EXPECT_TRUE(strategy_for(pods).validate_update(images, old).empty());
  Json other = Json::parse(R"({"spec":{"containers":[{"name":"c","image":"i"}],"hostname":"h"}})");
  EXPECT_EQ(texts(strategy_for(pods).validate_update(other, old)),
            V{"spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
              "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
              "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
              "previously negative)"});
}

TEST(ValidateDeployment, SelectorReplicasRestartPolicy) {
  const auto& deps = res("apps", "v1", "deployments");
  const std::string tmpl = R"("template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"i"}]}})";
  EXPECT_EQ(validate(deps, R"({"spec":{)" + tmpl + "}}"), V{"spec.selector: Required value"});
  EXPECT_EQ(validate(deps, R"({"spec":{"selector":{"matchLabels":{}},)" + tmpl + "}}"),
            V{"spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
              "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"});
  EXPECT_EQ(validate(deps, R"({"spec":{"selector":{"matchLabels":{"app":"y"}},)" + tmpl + "}}"),
            V{R"(spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`)"});
  EXPECT_EQ(validate(deps, R"({"spec":{"replicas":-1,"selector":{"matchLabels":{"app":"x"}},)" + tmpl + "}}"),
            V{"spec.replicas: Invalid value: -1: must be greater than or equal to 0"});
  EXPECT_EQ(validate(deps, R"({"spec":{"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},
                                     "spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"i"}]}}}})"),
            V{R"(spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always")"});
}

TEST(ValidateJob, RestartPolicy) {
  EXPECT_EQ(validate(res("batch", "v1", "jobs"),
                     R"({"spec":{"template":{"spec":{"restartPolicy":"Always","containers":[{"name":"c","image":"i"}]}}}})"),
            V{R"(spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never")"});
}

}  // namespace
}  // namespace kapi::server
