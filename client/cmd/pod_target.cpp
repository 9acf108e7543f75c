#include "client/cmd/pod_target.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/rest_client.h"
#include "client/factory.h"
#include "client/resource_builder.h"
#include "pkg/machinery/labels.h"

namespace kapi::client {

using Json = nlohmann::ordered_json;

const RestMapping& pods_mapping() {
  static const RestMapping m = [] {
    RestMapping r;
    r.resource.version = "v1";
    r.resource.name = "pods";
    r.resource.kind = "Pod";
    r.resource.namespaced = true;
    return r;
  }();
  return m;
}

Result<Json> get_pod(RestClient& client, const std::string& ns, const std::string& name) {
  const RestMapping& m = pods_mapping();
  auto r = client.get(ResourceBuilder::path_for(m, ns, name), "application/json, */*");
  if (!r.ok()) return r.error();
  if (r->status != 200) return status_error_from_response(r->status, r->body, "get", "pods", name);
  auto j = Json::parse(r->body, nullptr, false);
  if (!j.is_object()) return CmdError::msg("couldn't decode the pod");
  return j;
}

std::optional<std::string> pod_container(const Json& pod, const std::string& name, std::string& out, bool quiet,
                                         bool notice_to_stdout) {
  const Json spec = pod.value("spec", Json::object());
  auto names_of = [&](const char* key) {
    std::vector<std::string> v;
    for (const auto& c : spec.value(key, Json::array())) v.push_back(c.value("name", ""));
    return v;
  };
  auto containers = names_of("containers"), init = names_of("initContainers"), ephemeral = names_of("ephemeralContainers");
  if (!name.empty()) {
    for (const auto* list : {&containers, &init, &ephemeral})
      for (const auto& c : *list)
        if (c == name) return c;
    return std::nullopt;
  }
  std::string annotated = pod.value("metadata", Json::object()).value("annotations", Json::object())
                              .value("kubectl.kubernetes.io/default-container", "");
  // The annotation may name any container, init and ephemeral ones too (FindContainerByName).
  if (!annotated.empty())
    for (const auto* list : {&containers, &init, &ephemeral})
      for (const auto& c : *list)
        if (c == annotated) return c;
  if (containers.empty()) return std::nullopt;
  if (!quiet && containers.size() + init.size() + ephemeral.size() > 1) {
    std::string all;
    for (const auto& c : containers) all += (all.empty() ? "" : ", ") + c;
    for (const auto& c : ephemeral) all += ", " + c + " (ephem)";
    for (const auto& c : init) all += ", " + c + " (init)";
    const std::string notice = "Defaulted container \"" + containers[0] + "\" out of: " + all + "\n";
    if (notice_to_stdout) {
      out += notice;
    } else {
      flush_stdout(out);
      write_stderr(notice);
    }
  }
  return containers[0];
}

}  // namespace kapi::client

namespace kapi::client {

namespace {

bool pod_ready(const Json& pod) {
  for (const auto& c : pod.value("status", Json::object()).value("conditions", Json::array()))
    if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
  return false;
}

std::string ready_time(const Json& pod) {
  for (const auto& c : pod.value("status", Json::object()).value("conditions", Json::array()))
    if (c.value("type", "") == "Ready" && c.value("status", "") == "True") return c.value("lastTransitionTime", "");
  return "";
}

long long max_restarts(const Json& pod) {
  long long m = 0;
  for (const auto& c : pod.value("status", Json::object()).value("containerStatuses", Json::array()))
    m = std::max(m, c.value("restartCount", 0LL));
  return m;
}

// afterOrZero(t1, t2): t1 is after t2, or t1 is zero while t2 is not. RFC 3339 UTC times of the
// server compare as strings.
bool after_or_zero(const std::string& t1, const std::string& t2) {
  if (t1.empty() || t2.empty()) return t1.empty();
  return t1 > t2;
}

std::string node_of(const Json& p) { return p.value("spec", Json::object()).value("nodeName", ""); }
std::string phase_of(const Json& p) { return p.value("status", Json::object()).value("phase", ""); }
std::string created(const Json& p) { return p.value("metadata", Json::object()).value("creationTimestamp", ""); }

// podutils.ByLogging.Less.
bool by_logging(const Json& a, const Json& b) {
  if (node_of(a) != node_of(b) && (node_of(a).empty() || node_of(b).empty())) return !node_of(a).empty();
  auto rank = [](const std::string& ph) { return ph == "Running" ? 0 : ph == "Unknown" ? 1 : ph == "Pending" ? 2 : 3; };
  if (rank(phase_of(a)) != rank(phase_of(b))) return rank(phase_of(a)) < rank(phase_of(b));
  if (pod_ready(a) != pod_ready(b)) return pod_ready(a);
  if (pod_ready(a) && pod_ready(b) && ready_time(a) != ready_time(b)) return after_or_zero(ready_time(b), ready_time(a));
  if (max_restarts(a) != max_restarts(b)) return max_restarts(a) > max_restarts(b);
  if (created(a) != created(b)) return after_or_zero(created(b), created(a));
  return false;
}

// podutils.ActivePods.Less (sorted in reverse by the caller).
bool active_less(const Json& a, const Json& b) {
  if (node_of(a) != node_of(b) && (node_of(a).empty() || node_of(b).empty())) return node_of(a).empty();
  auto rank = [](const std::string& ph) { return ph == "Pending" ? 0 : ph == "Unknown" ? 1 : ph == "Running" ? 2 : 3; };
  if (rank(phase_of(a)) != rank(phase_of(b))) return rank(phase_of(a)) < rank(phase_of(b));
  if (pod_ready(a) != pod_ready(b)) return !pod_ready(a);
  if (pod_ready(a) && pod_ready(b) && ready_time(a) != ready_time(b)) return after_or_zero(ready_time(a), ready_time(b));
  if (max_restarts(a) != max_restarts(b)) return max_restarts(a) > max_restarts(b);
  if (created(a) != created(b)) return after_or_zero(created(a), created(b));
  return false;
}

// "k=v,k2=v2" of a map selector (labels.SelectorFromSet, sorted by key).
std::string map_selector(const Json& m) {
  std::map<std::string, std::string> sorted;
  for (auto it = m.begin(); it != m.end(); ++it) sorted[it.key()] = it->is_string() ? it->get<std::string>() : "";
  std::string out;
  for (const auto& [k, v] : sorted) out += (out.empty() ? "" : ",") + k + "=" + v;
  return out;
}

// polymorphichelpers.SelectorsForObject: the selector's query string, or the error text.
Result<std::string> selector_for(const Json& obj, const std::string& type_name) {
  const std::string kind = obj.value("kind", "");
  const Json spec = obj.value("spec", Json::object());
  if (kind == "ReplicationController") return map_selector(spec.value("selector", Json::object()));
  if (kind == "Service") {
    if (!spec.contains("selector") || !spec["selector"].is_object())
      return CmdError::msg("invalid service '" + obj["metadata"].value("name", "") +
                           "': Service is defined without a selector");
    return map_selector(spec["selector"]);
  }
  if (kind == "ReplicaSet" || kind == "Deployment" || kind == "DaemonSet" || kind == "StatefulSet" || kind == "Job") {
    auto sel = machinery::label_selector_from_json(spec.contains("selector") ? spec["selector"] : Json());
    if (!sel.ok()) return CmdError::msg(sel.error());
    return sel->to_string();
  }
  return CmdError::msg("selector for " + type_name + " not implemented");
}

}  // namespace

Result<std::vector<Json>> pods_for_selector(RestClient& client, const std::string& ns, const std::string& selector) {
  const RestMapping& m = pods_mapping();
  auto r = client.get(ResourceBuilder::path_for(m, ns, "") + ResourceBuilder::encode_query({{"labelSelector", selector}}),
                      kJsonAccept);
  if (!r.ok()) return r.error();
  if (r->status != 200) return status_error_from_response(r->status, r->body, "list", "pods", "");
  auto list = Json::parse(r->body, nullptr, false);
  std::vector<Json> pods;
  if (list.is_object())
    for (auto& p : list.value("items", Json::array())) pods.push_back(std::move(p));
  return pods;
}

Result<Json> pod_for_object(CommandEnv& env, const std::string& ns, const std::string& type_name, PodOrder order,
                            double timeout_s, const std::string& what, size_t* candidates, Json* object) {
  *candidates = 1;
  auto client = env.factory.rest_client();
  if (!client.ok()) return client.error();
  auto discovery = env.factory.discovery();
  if (!discovery.ok()) return discovery.error();
  BuilderOptions bo;
  bo.program = env.factory.program();
  bo.namespace_ = ns;
  bo.accept = kJsonAccept;
  ResourceBuilder builder(**client, **discovery, bo);
  bool single = false;
  auto visits = builder.plan({type_name}, &single);
  if (!visits.ok()) return visits.error();
  for (const auto& v : *visits) builder.fetch(v);
  if (!builder.errors().empty()) return builder.errors().front();
  if (builder.infos().empty()) return CmdError::msg("no objects passed");
  Json obj = *builder.infos().front().object;
  const auto& mapping = *builder.infos().front().mapping;
  if (object) *object = obj;
  if (obj.value("kind", "") == "Pod") return obj;
  // %T of the typed object: "*v1.Deployment".
  const std::string go_type = "*" + mapping.resource.version + "." + mapping.resource.kind;
  auto selector = selector_for(obj, go_type);
  if (!selector.ok()) return CmdError::msg(what + " " + go_type + ": " + selector.error().message);
  auto pods = pods_for_selector(**client, ns, *selector);
  if (!pods.ok()) return pods.error();
  if (!pods->empty()) {
    auto less = order == PodOrder::kByLogging ? by_logging : [](const Json& a, const Json& b) { return active_less(b, a); };
    std::stable_sort(pods->begin(), pods->end(), less);
    *candidates = pods->size();
    return std::move(pods->front());
  }
  // GetFirstPod: watch for the first pod to be added or modified, until the timeout.
  const RestMapping& m = pods_mapping();
  long long secs = std::max(1LL, static_cast<long long>(timeout_s + 0.999));
  std::string path = ResourceBuilder::path_for(m, ns, "") +
                     ResourceBuilder::encode_query({{"labelSelector", *selector},
                                                    {"timeoutSeconds", std::to_string(secs)},
                                                    {"watch", "true"}});
  Json found;
  auto r = (*client)->get_lines(path, kJsonAccept, [&](const std::string& line) {
    auto ev = Json::parse(line, nullptr, false);
    if (!ev.is_object()) return true;
    std::string type = ev.value("type", "");
    if (type == "ADDED" || type == "MODIFIED") {
      found = ev["object"];
      return false;
    }
    return true;
  });
  if (found.is_object()) return found;
  if (!r.ok()) return r.error();
  return CmdError::msg("timed out waiting for the condition");
}

}  // namespace kapi::client
