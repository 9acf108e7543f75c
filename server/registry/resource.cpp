#include "server/registry/resource.h"

#include <algorithm>

namespace kapi::server {
namespace {

const std::vector<std::string> kAllVerbs = {"create", "delete", "deletecollection", "get",
                                            "list",   "patch",  "update",           "watch"};
const std::vector<std::string> kNoCollectionDelete = {"create", "delete", "get", "list",
                                                      "patch",  "update", "watch"};
const std::vector<std::string> kCreateOnly = {"create"};
const std::vector<std::string> kGetPatchUpdate = {"get", "patch", "update"};

SubresourceInfo status_of(const std::string& group, const std::string& kind) {
  return {"status", group, "v1", kind, kGetPatchUpdate};
}
SubresourceInfo scale() { return {"scale", "autoscaling", "v1", "Scale", kGetPatchUpdate}; }

ResourceInfo make(std::string group, std::string resource, std::string singular, std::string kind,
                  bool namespaced, std::vector<std::string> verbs, std::vector<std::string> shorts,
                  std::vector<std::string> categories, std::vector<SubresourceInfo> subs,
                  std::string prefix, std::string package) {
  ResourceInfo r;
  r.group = std::move(group);
  r.version = "v1";
  r.resource = std::move(resource);
  r.singular = std::move(singular);
  r.kind = std::move(kind);
  r.list_kind = r.kind + "List";
  r.namespaced = namespaced;
  r.verbs = std::move(verbs);
  r.short_names = std::move(shorts);
  r.categories = std::move(categories);
  r.subresources = std::move(subs);
  r.storage_prefix = std::move(prefix);
  r.package = std::move(package);
  return r;
}

// A resource of another version than v1; its status subresource answers in that version.
ResourceInfo versioned(ResourceInfo r, std::string version) {
  r.version = std::move(version);
  for (auto& s : r.subresources)
    if (s.name == "status") s.version = r.version;
  return r;
}

// Makes group/resource a second version of owner_group/owner_resource's storage. The pointer
// stays valid: the vector's buffer moves with it into all_resources().
void share_storage(std::vector<ResourceInfo>& v, const std::string& group, const std::string& version,
                   const std::string& resource, const std::string& owner_group,
                   const std::string& owner_version, const std::string& owner_resource) {
  ResourceInfo* r = nullptr;
  const ResourceInfo* owner = nullptr;
  for (auto& x : v) {
    if (x.group == group && x.version == version && x.resource == resource) r = &x;
    if (x.group == owner_group && x.version == owner_version && x.resource == owner_resource) owner = &x;
  }
  r->storage_owner = owner;
  r->storage_prefix = owner->storage_prefix;
}

std::vector<ResourceInfo> build() {
  const std::string core = "io.k8s.api.core.v1";
  std::vector<ResourceInfo> v;
  // core/v1, in upstream's discovery order.
  v.push_back(make("", "bindings", "binding", "Binding", true, kCreateOnly, {}, {}, {}, "", core));
  v.push_back(make("", "configmaps", "configmap", "ConfigMap", true, kAllVerbs, {"cm"}, {}, {},
                   "/registry/configmaps/", core));
  v.push_back(make("", "endpoints", "endpoints", "Endpoints", true, kAllVerbs, {"ep"}, {}, {},
                   "/registry/services/endpoints/", core));
  // KEP-4974: Endpoints carries APILifecycleDeprecated 1.33, replacement EndpointSlice.
  v.back().deprecation_warning = "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice";
  v.push_back(make("", "events", "event", "Event", true, kAllVerbs, {"ev"}, {}, {},
                   "/registry/events/", core));
  v.push_back(make("", "limitranges", "limitrange", "LimitRange", true, kAllVerbs, {"limits"}, {}, {},
                   "/registry/limitranges/", core));
  v.push_back(make("", "namespaces", "namespace", "Namespace", false, kNoCollectionDelete, {"ns"},
                   {},
                   {{"finalize", "", "v1", "Namespace", {"update"}}, status_of("", "Namespace")},
                   "/registry/namespaces/", core));
  v.push_back(make("", "nodes", "node", "Node", false, kAllVerbs, {"no"}, {},
                   {{"proxy", "", "v1", "NodeProxyOptions",
                     {"create", "delete", "get", "patch", "update"}},
                    status_of("", "Node")},
                   "/registry/minions/", core));
  v.push_back(make("", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true,
                   kAllVerbs, {"pvc"}, {}, {status_of("", "PersistentVolumeClaim")},
                   "/registry/persistentvolumeclaims/", core));
  v.push_back(make("", "persistentvolumes", "persistentvolume", "PersistentVolume", false, kAllVerbs,
                   {"pv"}, {}, {status_of("", "PersistentVolume")}, "/registry/persistentvolumes/", core));
  v.push_back(make(
      "", "pods", "pod", "Pod", true, kAllVerbs, {"po"}, {"all"},
      {{"attach", "", "v1", "PodAttachOptions", {"create", "get"}},
       {"binding", "", "v1", "Binding", {"create"}},
       {"ephemeralcontainers", "", "v1", "Pod", kGetPatchUpdate},
       {"eviction", "policy", "v1", "Eviction", {"create"}},
       {"exec", "", "v1", "PodExecOptions", {"create", "get"}},
       {"log", "", "v1", "Pod", {"get"}},
       {"portforward", "", "v1", "PodPortForwardOptions", {"create", "get"}},
       {"proxy", "", "v1", "PodProxyOptions", {"create", "delete", "get", "patch", "update"}},
       {"resize", "", "v1", "Pod", kGetPatchUpdate},
       status_of("", "Pod")},
      "/registry/pods/", core));
  v.push_back(make("", "podtemplates", "podtemplate", "PodTemplate", true, kAllVerbs, {}, {}, {},
                   "/registry/podtemplates/", core));
  v.push_back(make("", "replicationcontrollers", "replicationcontroller", "ReplicationController", true,
                   kAllVerbs, {"rc"}, {"all"}, {scale(), status_of("", "ReplicationController")},
                   "/registry/controllers/", core));
  v.push_back(make("", "resourcequotas", "resourcequota", "ResourceQuota", true, kAllVerbs,
                   {"quota"}, {}, {status_of("", "ResourceQuota")}, "/registry/resourcequotas/", core));
  v.push_back(make("", "secrets", "secret", "Secret", true, kAllVerbs, {}, {}, {},
                   "/registry/secrets/", core));
  // serviceaccounts/token: TokenRequest (server/registry/token_request.h).
  v.push_back(make("", "serviceaccounts", "serviceaccount", "ServiceAccount", true, kAllVerbs,
                   {"sa"}, {}, {{"token", "authentication.k8s.io", "v1", "TokenRequest", kCreateOnly}},
                   "/registry/serviceaccounts/", core));
  v.push_back(make("", "services", "service", "Service", true, kAllVerbs, {"svc"}, {"all"},
                   {{"proxy", "", "v1", "ServiceProxyOptions",
                     {"create", "delete", "get", "patch", "update"}},
                    status_of("", "Service")},
                   "/registry/services/specs/", core));
  // apps/v1
  const std::string apps = "io.k8s.api.apps.v1";
  v.push_back(make("apps", "controllerrevisions", "controllerrevision", "ControllerRevision", true, kAllVerbs,
                   {}, {}, {}, "/registry/controllerrevisions/", apps));
  v.push_back(make("apps", "daemonsets", "daemonset", "DaemonSet", true, kAllVerbs, {"ds"},
                   {"all"}, {status_of("apps", "DaemonSet")}, "/registry/daemonsets/", apps));
  v.push_back(make("apps", "deployments", "deployment", "Deployment", true, kAllVerbs, {"deploy"},
                   {"all"}, {scale(), status_of("apps", "Deployment")}, "/registry/deployments/",
                   apps));
  v.push_back(make("apps", "replicasets", "replicaset", "ReplicaSet", true, kAllVerbs, {"rs"},
                   {"all"}, {scale(), status_of("apps", "ReplicaSet")}, "/registry/replicasets/",
                   apps));
  v.push_back(make("apps", "statefulsets", "statefulset", "StatefulSet", true, kAllVerbs, {"sts"},
                   {"all"}, {scale(), status_of("apps", "StatefulSet")},
                   "/registry/statefulsets/", apps));
  // events.k8s.io/v1: a second version of core/v1 Events' storage (linked below).
  v.push_back(make("events.k8s.io", "events", "event", "Event", true, kAllVerbs, {"ev"}, {}, {},
                   "/registry/events/", "io.k8s.api.events.v1"));
  // authentication.k8s.io/v1
  const std::string authn = "io.k8s.api.authentication.v1";
  v.push_back(make("authentication.k8s.io", "selfsubjectreviews", "selfsubjectreview",
                   "SelfSubjectReview", false, kCreateOnly, {}, {}, {}, "", authn));
  v.push_back(make("authentication.k8s.io", "tokenreviews", "tokenreview", "TokenReview", false,
                   kCreateOnly, {}, {}, {}, "", authn));
  // authorization.k8s.io/v1
  const std::string authz = "io.k8s.api.authorization.v1";
  v.push_back(make("authorization.k8s.io", "localsubjectaccessreviews", "localsubjectaccessreview",
                   "LocalSubjectAccessReview", true, kCreateOnly, {}, {}, {}, "", authz));
  v.push_back(make("authorization.k8s.io", "selfsubjectaccessreviews", "selfsubjectaccessreview",
                   "SelfSubjectAccessReview", false, kCreateOnly, {}, {}, {}, "", authz));
  v.push_back(make("authorization.k8s.io", "selfsubjectrulesreviews", "selfsubjectrulesreview",
                   "SelfSubjectRulesReview", false, kCreateOnly, {}, {}, {}, "", authz));
  v.push_back(make("authorization.k8s.io", "subjectaccessreviews", "subjectaccessreview",
                   "SubjectAccessReview", false, kCreateOnly, {}, {}, {}, "", authz));
  // autoscaling/v2 (preferred) and autoscaling/v1: one storage, kept as v2 (linked below).
  v.push_back(versioned(make("autoscaling", "horizontalpodautoscalers", "horizontalpodautoscaler",
                             "HorizontalPodAutoscaler", true, kAllVerbs, {"hpa"}, {"all"},
                             {status_of("autoscaling", "HorizontalPodAutoscaler")},
                             "/registry/horizontalpodautoscalers/", "io.k8s.api.autoscaling.v2"),
                        "v2"));
  v.push_back(make("autoscaling", "horizontalpodautoscalers", "horizontalpodautoscaler",
                   "HorizontalPodAutoscaler", true, kAllVerbs, {"hpa"}, {"all"},
                   {status_of("autoscaling", "HorizontalPodAutoscaler")},
                   "/registry/horizontalpodautoscalers/", "io.k8s.api.autoscaling.v1"));
  // batch/v1
  const std::string batch = "io.k8s.api.batch.v1";
  v.push_back(make("batch", "cronjobs", "cronjob", "CronJob", true, kAllVerbs, {"cj"}, {"all"},
                   {status_of("batch", "CronJob")}, "/registry/cronjobs/", batch));
  v.push_back(make("batch", "jobs", "job", "Job", true, kAllVerbs, {}, {"all"},
                   {status_of("batch", "Job")}, "/registry/jobs/", batch));
  // certificates.k8s.io/v1
  const std::string cg = "certificates.k8s.io";
  v.push_back(make(cg, "certificatesigningrequests", "certificatesigningrequest", "CertificateSigningRequest", false,
                   kAllVerbs, {"csr"}, {},
                   {{"approval", cg, "v1", "CertificateSigningRequest", kGetPatchUpdate},
                    status_of(cg, "CertificateSigningRequest")},
                   "/registry/certificatesigningrequests/", "io.k8s.api.certificates.v1"));
  // networking.k8s.io/v1
  const std::string net = "io.k8s.api.networking.v1";
  const std::string ng = "networking.k8s.io";
  v.push_back(make(ng, "ingressclasses", "ingressclass", "IngressClass", false, kAllVerbs, {}, {}, {},
                   "/registry/ingressclasses/", net));
  v.push_back(make(ng, "ingresses", "ingress", "Ingress", true, kAllVerbs, {"ing"}, {},
                   {status_of(ng, "Ingress")}, "/registry/ingress/", net));
  v.push_back(make(ng, "networkpolicies", "networkpolicy", "NetworkPolicy", true, kAllVerbs, {"netpol"},
                   {}, {}, "/registry/networkpolicies/", net));
  // policy/v1
  v.push_back(make("policy", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget",
                   true, kAllVerbs, {"pdb"}, {}, {status_of("policy", "PodDisruptionBudget")},
                   "/registry/poddisruptionbudgets/", "io.k8s.api.policy.v1"));
  // rbac.authorization.k8s.io/v1
  const std::string rbac = "io.k8s.api.rbac.v1";
  const std::string rg = "rbac.authorization.k8s.io";
  v.push_back(make(rg, "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false,
                   kAllVerbs, {}, {}, {}, "/registry/clusterrolebindings/", rbac));
  v.push_back(make(rg, "clusterroles", "clusterrole", "ClusterRole", false, kAllVerbs, {}, {}, {},
                   "/registry/clusterroles/", rbac));
  v.push_back(make(rg, "rolebindings", "rolebinding", "RoleBinding", true, kAllVerbs, {}, {}, {},
                   "/registry/rolebindings/", rbac));
  v.push_back(make(rg, "roles", "role", "Role", true, kAllVerbs, {}, {}, {}, "/registry/roles/",
                   rbac));
  // storage.k8s.io/v1
  const std::string stor = "io.k8s.api.storage.v1";
  const std::string sg = "storage.k8s.io";
  v.push_back(make(sg, "csidrivers", "csidriver", "CSIDriver", false, kAllVerbs, {}, {}, {},
                   "/registry/csidrivers/", stor));
  v.push_back(make(sg, "csinodes", "csinode", "CSINode", false, kAllVerbs, {}, {}, {},
                   "/registry/csinodes/", stor));
  v.push_back(make(sg, "csistoragecapacities", "csistoragecapacity", "CSIStorageCapacity", true,
                   kAllVerbs, {}, {}, {}, "/registry/csistoragecapacities/", stor));
  v.push_back(make(sg, "storageclasses", "storageclass", "StorageClass", false, kAllVerbs, {"sc"}, {},
                   {}, "/registry/storageclasses/", stor));
  v.push_back(make(sg, "volumeattachments", "volumeattachment", "VolumeAttachment", false, kAllVerbs,
                   {}, {}, {status_of(sg, "VolumeAttachment")}, "/registry/volumeattachments/", stor));
  // scheduling.k8s.io/v1
  v.push_back(make("scheduling.k8s.io", "priorityclasses", "priorityclass", "PriorityClass", false,
                   kAllVerbs, {"pc"}, {}, {}, "/registry/priorityclasses/",
                   "io.k8s.api.scheduling.v1"));
  // coordination.k8s.io/v1
  v.push_back(make("coordination.k8s.io", "leases", "lease", "Lease", true, kAllVerbs, {}, {}, {},
                   "/registry/leases/", "io.k8s.api.coordination.v1"));
  // node.k8s.io/v1
  v.push_back(make("node.k8s.io", "runtimeclasses", "runtimeclass", "RuntimeClass", false, kAllVerbs, {},
                   {}, {}, "/registry/runtimeclasses/", "io.k8s.api.node.v1"));
  // discovery.k8s.io/v1
  v.push_back(make("discovery.k8s.io", "endpointslices", "endpointslice", "EndpointSlice", true,
                   kAllVerbs, {}, {}, {}, "/registry/endpointslices/",
                   "io.k8s.api.discovery.v1"));
  share_storage(v, "events.k8s.io", "v1", "events", "", "v1", "events");
  share_storage(v, "autoscaling", "v1", "horizontalpodautoscalers", "autoscaling", "v2", "horizontalpodautoscalers");
  return v;
}

}  // namespace

bool ResourceInfo::has_verb(const std::string& v) const {
  return std::find(verbs.begin(), verbs.end(), v) != verbs.end();
}

const SubresourceInfo* ResourceInfo::subresource(const std::string& name) const {
  for (const auto& s : subresources)
    if (s.name == name) return &s;
  return nullptr;
}

const std::vector<ResourceInfo>& all_resources() {
  static const std::vector<ResourceInfo> v = build();
  return v;
}

const std::vector<std::string>& group_order() {
  static const std::vector<std::string> v = {
      "apps",           "events.k8s.io",     "authentication.k8s.io", "authorization.k8s.io",
      "autoscaling",    "batch",             "certificates.k8s.io",   "networking.k8s.io",     "policy",
      "rbac.authorization.k8s.io",           "storage.k8s.io",        "scheduling.k8s.io",
      "coordination.k8s.io",                 "node.k8s.io",           "discovery.k8s.io"};
  return v;
}

std::vector<std::string> group_versions(const std::string& group) {
  std::vector<std::string> out;
  for (const auto& r : all_resources())
    if (r.group == group && std::find(out.begin(), out.end(), r.version) == out.end()) out.push_back(r.version);
  return out;
}

const ResourceInfo* find_resource(const std::string& group, const std::string& version,
                                  const std::string& resource) {
  for (const auto& r : all_resources())
    if (r.group == group && r.version == version && r.resource == resource) return &r;
  return nullptr;
}

const ResourceInfo* find_kind(const std::string& group_version, const std::string& kind) {
  for (const auto& r : all_resources())
    if (r.group_version() == group_version && r.kind == kind) return &r;
  return nullptr;
}

}  // namespace kapi::server
