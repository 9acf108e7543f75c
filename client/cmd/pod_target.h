#pragma once
// The pod and container that `logs`, `exec`, `attach`, `port-forward` and `cp` act on (kubectl's polymorphichelpers
// AttachablePodForObject and podcmd.FindOrDefaultContainerByName).
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client/errors.h"

namespace kapi::client {

class RestClient;

struct CommandEnv;
struct RestMapping;

// core/v1 pods, for the requests on a pod and its subresources (log, exec).
const RestMapping& pods_mapping();

// GET /api/v1/namespaces/<ns>/pods/<name>.
Result<nlohmann::ordered_json> get_pod(RestClient& client, const std::string& ns, const std::string& name);

// Which pod stands for a workload: podutils.ByLogging (logs: running and ready first) or
// sort.Reverse(ActivePods) (exec, attach).
enum class PodOrder { kByLogging, kMostActive };

// polymorphichelpers' LogsForObject / AttachablePodForObject for a TYPE/NAME argument: a pod is
// itself; a Deployment, ReplicaSet, ReplicationController, DaemonSet, StatefulSet, Job or
// Service stands for the first of its selector's pods in `order`, waiting up to `timeout_s` for
// one to appear ("timed out waiting for the condition"). Other kinds are "<what> *v1.Kind:
// selector for *v1.Kind not implemented" (`what`: "cannot get the logs from", "cannot attach to").
// `candidates` gets how many pods the selector matched ("Found N pods, using pod/X"); `object`,
// if given, the object TYPE/NAME named (port-forward reads a Service's ports).
Result<nlohmann::ordered_json> pod_for_object(CommandEnv& env, const std::string& ns, const std::string& type_name,
                                              PodOrder order, double timeout_s, const std::string& what,
                                              size_t* candidates, nlohmann::ordered_json* object = nullptr);

// The pods of a label selector in `ns` (a list GET); nullopt-free: an empty list is no error.
Result<std::vector<nlohmann::ordered_json>> pods_for_selector(RestClient& client, const std::string& ns,
                                                              const std::string& selector);

// The container named `name`, or, when `name` is empty, the default one: the
// kubectl.kubernetes.io/default-container annotation, else the first container (then kubectl
// tells on stderr which one it picked when there was a choice). nullopt if `name` is not one of
// the pod's containers. `notice_to_stdout`: the notice goes to `out` (cp from a pod hands exec
// its stdout as the error stream).
std::optional<std::string> pod_container(const nlohmann::ordered_json& pod, const std::string& name,
                                         std::string& out, bool quiet = false, bool notice_to_stdout = false);

}  // namespace kapi::client
