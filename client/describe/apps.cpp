// Workload describers (describe.go DeploymentDescriber, ReplicaSetDescriber,
// DaemonSetDescriber, StatefulSetDescriber) and their pod counts (getPodStatusForController).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "client/describe/common.h"
#include "client/describe/containers.h"
#include "client/describe/describer.h"
#include "pkg/machinery/duration.h"

namespace kapi::client::describe {
namespace {

struct PodCounts {
  int running = 0, waiting = 0, succeeded = 0, failed = 0;
  std::string text() const {
    return std::to_string(running) + " Running / " + std::to_string(waiting) + " Waiting / " +
           std::to_string(succeeded) + " Succeeded / " + std::to_string(failed) + " Failed";
  }
};

std::vector<std::pair<std::string, std::string>> selector_params(const std::string& selector) {
  if (selector.empty()) return {};
  return {{"labelSelector", selector}};
}

// getPodStatusForController: the pods the selector matches that this controller owns.
Result<PodCounts> pod_counts(Describe& d, const Json& obj) {
  const Json& meta = at(obj, "metadata");
  std::string selector = selector_string(path(obj, {"spec", "selector"}));
  auto pods = d.list("/api/v1/namespaces/" + str(meta, "namespace") + "/pods",
                     selector_params(selector), "pods");
  if (!pods.ok()) return pods.error();
  PodCounts c;
  for (const auto& p : *pods) {
    if (controller_uid(p) != str(meta, "uid") || controller_uid(p).empty()) continue;
    std::string phase = str(at(p, "status"), "phase");
    if (phase == "Running")
      ++c.running;
    else if (phase == "Pending")
      ++c.waiting;
    else if (phase == "Succeeded")
      ++c.succeeded;
    else if (phase == "Failed")
      ++c.failed;
  }
  return c;
}

void conditions_reason_table(const Json& conditions, PrefixWriter& w) {
  if (size_of(conditions) == 0) return;
  w.write(kLevel0, "Conditions:\n  Type\tStatus\tReason\n");
  w.write(kLevel1, "----\t------\t------\n");
  for (const auto& c : items(conditions))
    w.write(kLevel1, str(c, "type") + " \t" + str(c, "status") + "\t" + str(c, "reason") + "\n");
}

std::string int_or_string_ptr(const Json& v) { return v.is_null() ? "<nil>" : int_or_string(v); }

// The deployment's template equals the replica set's, ignoring pod-template-hash.
bool equal_ignore_hash(Json a, Json b) {
  for (Json* t : {&a, &b})
    if (t->is_object() && (*t)["metadata"].is_object() && (*t)["metadata"]["labels"].is_object()) {
      (*t)["metadata"]["labels"].erase("pod-template-hash");
      if ((*t)["metadata"]["labels"].empty()) (*t)["metadata"].erase("labels");
    }
  return nlohmann::json(a) == nlohmann::json(b);
}

std::string replica_sets_text(const std::vector<const Json*>& sets) {
  std::vector<std::string> parts;
  for (const Json* rs : sets)
    parts.push_back(str(at(*rs, "metadata"), "name") + " (" +
                    std::to_string(num(at(*rs, "status"), "replicas")) + "/" +
                    std::to_string(num(at(*rs, "spec"), "replicas")) + " replicas created)");
  std::string s = join(parts, ", ");
  return s.empty() ? "<none>" : s;
}

}  // namespace

Result<std::string> describe_deployment(Describe& d, const Json& obj) {
  const Json& meta = at(obj, "metadata");
  const Json& spec = at(obj, "spec");
  const Json& status = at(obj, "status");
  std::vector<Json> events;
  if (d.settings().show_events) events = d.events_for(obj, "Deployment");
  // deploymentutil.GetAllReplicaSetsInChunks: owned replica sets, the oldest with the
  // deployment's template is the new one.
  std::vector<Json> owned;
  bool have_sets = false;
  std::string selector = selector_string(at(spec, "selector"));
  auto rs_list = d.list("/apis/apps/v1/namespaces/" + str(meta, "namespace") + "/replicasets",
                        selector_params(selector), "replicasets");
  if (rs_list.ok()) {
    have_sets = true;
    for (auto& rs : *rs_list)
      if (controller_uid(rs) == str(meta, "uid") && !controller_uid(rs).empty())
        owned.push_back(rs);
  }
  auto created = [](const Json& rs) {
    auto t = machinery::parse_rfc3339(str(at(rs, "metadata"), "creationTimestamp"));
    return t.ok() ? *t : machinery::TimePoint{};
  };
  std::stable_sort(owned.begin(), owned.end(), [&](const Json& a, const Json& b) {
    if (created(a) == created(b))
      return str(at(a, "metadata"), "name") < str(at(b, "metadata"), "name");
    return created(a) < created(b);
  });
  const Json* new_rs = nullptr;
  for (const auto& rs : owned)
    if (equal_ignore_hash(path(rs, {"spec", "template"}), at(spec, "template"))) {
      new_rs = &rs;
      break;
    }
  std::vector<const Json*> old_sets, new_sets;
  for (const auto& rs : owned)
    if (&rs != new_rs) old_sets.push_back(&rs);
  if (new_rs) new_sets.push_back(new_rs);

  TabbedWriter w;
  w.write(kLevel0, "Name:\t" + str(meta, "name") + "\n");
  w.write(kLevel0, "Namespace:\t" + str(meta, "namespace") + "\n");
  w.write(kLevel0, "CreationTimestamp:\t" + rfc1123z(at(meta, "creationTimestamp")) + "\n");
  print_labels_multiline(w, "Labels", at(meta, "labels"));
  print_annotations_multiline(w, "Annotations", at(meta, "annotations"));
  w.write(kLevel0, "Selector:\t" + selector + "\n");
  w.write(kLevel0, "Replicas:\t" + std::to_string(num(spec, "replicas")) + " desired | " +
                       std::to_string(num(status, "updatedReplicas")) + " updated | " +
                       std::to_string(num(status, "replicas")) + " total | " +
                       std::to_string(num(status, "availableReplicas")) + " available | " +
                       std::to_string(num(status, "unavailableReplicas")) + " unavailable\n");
  w.write(kLevel0, "StrategyType:\t" + str(at(spec, "strategy"), "type") + "\n");
  w.write(kLevel0, "MinReadySeconds:\t" + std::to_string(num(spec, "minReadySeconds")) + "\n");
  const Json& ru = path(spec, {"strategy", "rollingUpdate"});
  if (!ru.is_null())
    w.write(kLevel0, "RollingUpdateStrategy:\t" + int_or_string_ptr(at(ru, "maxUnavailable")) +
                         " max unavailable, " + int_or_string_ptr(at(ru, "maxSurge")) +
                         " max surge\n");
  describe_pod_template(at(spec, "template"), w);
  conditions_reason_table(at(status, "conditions"), w);
  if (have_sets && (!old_sets.empty() || !new_sets.empty())) {
    w.write(kLevel0, "OldReplicaSets:\t" + replica_sets_text(old_sets) + "\n");
    w.write(kLevel0, "NewReplicaSet:\t" + replica_sets_text(new_sets) + "\n");
  }
  if (d.settings().show_events) describe_events(events, w);
  return w.str();
}

Result<std::string> describe_replica_set(Describe& d, const Json& obj) {
  const Json& meta = at(obj, "metadata");
  const Json& spec = at(obj, "spec");
  auto counts = pod_counts(d, obj);
  std::vector<Json> events;
  if (d.settings().show_events) events = d.events_for(obj, "ReplicaSet");
  TabbedWriter w;
  w.write(kLevel0, "Name:\t" + str(meta, "name") + "\n");
  w.write(kLevel0, "Namespace:\t" + str(meta, "namespace") + "\n");
  w.write(kLevel0, "Selector:\t" + format_label_selector(at(spec, "selector")) + "\n");
  print_labels_multiline(w, "Labels", at(meta, "labels"));
  print_annotations_multiline(w, "Annotations", at(meta, "annotations"));
  if (auto c = controlled_by(obj); !c.empty()) w.write(kLevel0, "Controlled By:\t" + c + "\n");
  w.write(kLevel0, "Replicas:\t" + std::to_string(num(at(obj, "status"), "replicas")) +
                       " current / " + std::to_string(num(spec, "replicas")) + " desired\n");
  w.write(kLevel0, "Pods Status:\t");
  if (!counts.ok())
    w.write(kLevel0, "error in fetching pods: " + message_for_error(counts.error()) + "\n");
  else
    w.write(kLevel0, counts->text() + "\n");
  describe_pod_template(at(spec, "template"), w);
  conditions_reason_table(path(obj, {"status", "conditions"}), w);
  if (d.settings().show_events) describe_events(events, w);
  return w.str();
}

Result<std::string> describe_daemon_set(Describe& d, const Json& obj) {
  const Json& meta = at(obj, "metadata");
  const Json& spec = at(obj, "spec");
  const Json& status = at(obj, "status");
  auto counts = pod_counts(d, obj);
  if (!counts.ok()) return counts.error();
  std::vector<Json> events;
  if (d.settings().show_events) events = d.events_for(obj, "DaemonSet");
  TabbedWriter w;
  w.write(kLevel0, "Name:\t" + str(meta, "name") + "\n");
  w.write(kLevel0, "Namespace:\t" + str(meta, "namespace") + "\n");
  w.write(kLevel0, "Selector:\t" + selector_string(at(spec, "selector")) + "\n");
  std::string node_selector = format_labels(path(spec, {"template", "spec", "nodeSelector"}));
  w.write(kLevel0, "Node-Selector:\t" + node_selector + "\n");
  print_labels_multiline(w, "Labels", at(meta, "labels"));
  print_annotations_multiline(w, "Annotations", at(meta, "annotations"));
  w.write(kLevel0, "Desired Number of Nodes Scheduled: " +
                       std::to_string(num(status, "desiredNumberScheduled")) + "\n");
  w.write(kLevel0, "Current Number of Nodes Scheduled: " +
                       std::to_string(num(status, "currentNumberScheduled")) + "\n");
  w.write(kLevel0, "Number of Nodes Scheduled with Up-to-date Pods: " +
                       std::to_string(num(status, "updatedNumberScheduled")) + "\n");
  w.write(kLevel0, "Number of Nodes Scheduled with Available Pods: " +
                       std::to_string(num(status, "numberAvailable")) + "\n");
  w.write(kLevel0, "Number of Nodes Misscheduled: " +
                       std::to_string(num(status, "numberMisscheduled")) + "\n");
  w.write(kLevel0, "Pods Status:\t" + counts->text() + "\n");
  describe_pod_template(at(spec, "template"), w);
  if (d.settings().show_events) describe_events(events, w);
  return w.str();
}

Result<std::string> describe_stateful_set(Describe& d, const Json& obj) {
  const Json& meta = at(obj, "metadata");
  const Json& spec = at(obj, "spec");
  auto counts = pod_counts(d, obj);
  if (!counts.ok()) return counts.error();
  std::vector<Json> events;
  if (d.settings().show_events) events = d.events_for(obj, "StatefulSet");
  TabbedWriter w;
  w.write(kLevel0, "Name:\t" + str(meta, "name") + "\n");
  w.write(kLevel0, "Namespace:\t" + str(meta, "namespace") + "\n");
  w.write(kLevel0, "CreationTimestamp:\t" + rfc1123z(at(meta, "creationTimestamp")) + "\n");
  w.write(kLevel0, "Selector:\t" + selector_string(at(spec, "selector")) + "\n");
  print_labels_multiline(w, "Labels", at(meta, "labels"));
  print_annotations_multiline(w, "Annotations", at(meta, "annotations"));
  w.write(kLevel0, "Replicas:\t" + std::to_string(num(spec, "replicas")) + " desired | " +
                       std::to_string(num(at(obj, "status"), "replicas")) + " total\n");
  w.write(kLevel0, "Update Strategy:\t" + str(at(spec, "updateStrategy"), "type") + "\n");
  const Json& ru = path(spec, {"updateStrategy", "rollingUpdate"});
  if (!ru.is_null() && has(ru, "partition")) {
    w.write(kLevel1, "Partition:\t" + std::to_string(num(ru, "partition")) + "\n");
    if (has(ru, "maxUnavailable"))
      w.write(kLevel1, "MaxUnavailable:\t" + int_or_string(at(ru, "maxUnavailable")) + "\n");
  }
  w.write(kLevel0, "Pods Status:\t" + counts->text() + "\n");
  describe_pod_template(at(spec, "template"), w);
  const Json& templates = at(spec, "volumeClaimTemplates");
  if (size_of(templates) == 0) {
    w.write(kLevel0, "Volume Claims:\t<none>\n");
  } else {
    w.write(kLevel0, "Volume Claims:\n");
    for (const auto& pvc : items(templates)) {
      const Json& pm = at(pvc, "metadata");
      const Json& ps = at(pvc, "spec");
      w.write(kLevel1, "Name:\t" + str(pm, "name") + "\n");
      std::string cls = has(at(pm, "annotations"), "volume.beta.kubernetes.io/storage-class")
                            ? str(at(pm, "annotations"), "volume.beta.kubernetes.io/storage-class")
                            : str(ps, "storageClassName");
      w.write(kLevel1, "StorageClass:\t" + cls + "\n");
      print_labels_multiline(w, "Labels", at(pm, "labels"), "  ");
      print_labels_multiline(w, "Annotations", at(pm, "annotations"), "  ");
      const Json& storage = path(ps, {"resources", "requests", "storage"});
      w.write(kLevel1, "Capacity:\t" +
                           (storage.is_null() ? std::string("<default>") : quantity(storage)) +
                           "\n");
      w.write(kLevel1, "Access Modes:\t" + sprint(at(ps, "accessModes")) + "\n");
    }
  }
  if (d.settings().show_events) describe_events(events, w);
  return w.str();
}

}  // namespace kapi::client::describe
