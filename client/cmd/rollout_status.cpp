// `kapi rollout status RESOURCE [--watch=false] [--revision=N] [--timeout=D]` (kubectl
// pkg/cmd/rollout/rollout_status.go, polymorphichelpers/rollout_status.go): the status line of
// each Deployment, DaemonSet or StatefulSet, repeated as the object changes until the rollout
// is done (or once with --watch=false). kubectl watches; kapi polls, printing on each new
// resourceVersion, which gives the same lines.
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "client/cmd/command.h"
#include "client/cmd/rollout_common.h"
#include "client/printers/go_json.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

struct Status {
  std::string text;
  bool done = false;
};

long long num(const Json& obj, const char* a, const char* b, long long def = 0) {
  if (!obj.contains(a) || !obj[a].is_object()) return def;
  const Json& o = obj[a];
  return o.contains(b) && o[b].is_number_integer() ? o[b].get<long long>() : def;
}

std::string q(const std::string& s) { return go_json_quote(s); }

Result<Status> deployment_status(const Json& d, long long revision) {
  std::string name = d["metadata"].value("name", "");
  if (revision > 0) {
    std::string err;
    auto rev = revision_of(d, &err);
    if (!rev) return CmdError::msg("cannot get the revision of deployment " + q(name) + ": " + err);
    if (*rev != revision)
      return CmdError::msg("desired revision (" + std::to_string(revision) + ") is different from the running revision (" +
                           std::to_string(*rev) + ")");
  }
  long long generation = num(d, "metadata", "generation");
  long long observed = num(d, "status", "observedGeneration");
  if (generation > observed) return Status{"Waiting for deployment spec update to be observed...\n", false};
  const Json& status = d.contains("status") && d["status"].is_object() ? d["status"] : Json::object();
  if (status.contains("conditions") && status["conditions"].is_array())
    for (const auto& c : status["conditions"])
      if (c.value("type", "") == "Progressing" && c.value("reason", "") == "ProgressDeadlineExceeded")
        return CmdError::msg("deployment " + q(name) + " exceeded its progress deadline");
  bool has_replicas = d.contains("spec") && d["spec"].contains("replicas") && d["spec"]["replicas"].is_number_integer();
  long long replicas = num(d, "spec", "replicas");
  long long updated = num(d, "status", "updatedReplicas"), current = num(d, "status", "replicas");
  long long available = num(d, "status", "availableReplicas");
  std::string head = "Waiting for deployment " + q(name) + " rollout to finish: ";
  if (has_replicas && updated < replicas)
    return Status{head + std::to_string(updated) + " out of " + std::to_string(replicas) +
                  " new replicas have been updated...\n", false};
  if (current > updated)
    return Status{head + std::to_string(current - updated) + " old replicas are pending termination...\n", false};
  if (available < updated)
    return Status{head + std::to_string(available) + " of " + std::to_string(updated) +
                  " updated replicas are available...\n", false};
  return Status{"deployment " + q(name) + " successfully rolled out\n", true};
}

std::string strategy_type(const Json& obj) {
  if (!obj.contains("spec") || !obj["spec"].contains("updateStrategy") || !obj["spec"]["updateStrategy"].is_object())
    return "";
  return obj["spec"]["updateStrategy"].value("type", "");
}

Result<Status> daemonset_status(const Json& ds) {
  std::string name = ds["metadata"].value("name", "");
  if (strategy_type(ds) != "RollingUpdate")
    return CmdError::msg("rollout status is only available for RollingUpdate strategy type");
  if (num(ds, "metadata", "generation") > num(ds, "status", "observedGeneration"))
    return Status{"Waiting for daemon set spec update to be observed...\n", false};
  long long desired = num(ds, "status", "desiredNumberScheduled");
  long long updated = num(ds, "status", "updatedNumberScheduled"), available = num(ds, "status", "numberAvailable");
  std::string head = "Waiting for daemon set " + q(name) + " rollout to finish: ";
  if (updated < desired)
    return Status{head + std::to_string(updated) + " out of " + std::to_string(desired) +
                  " new pods have been updated...\n", false};
  if (available < desired)
    return Status{head + std::to_string(available) + " of " + std::to_string(desired) +
                  " updated pods are available...\n", false};
  return Status{"daemon set " + q(name) + " successfully rolled out\n", true};
}

Result<Status> statefulset_status(const Json& sts) {
  if (strategy_type(sts) != "RollingUpdate")
    return CmdError::msg("rollout status is only available for RollingUpdate strategy type");
  long long observed = num(sts, "status", "observedGeneration");
  if (observed == 0 || num(sts, "metadata", "generation") > observed)
    return Status{"Waiting for statefulset spec update to be observed...\n", false};
  const Json& spec = sts["spec"];
  bool has_replicas = spec.contains("replicas") && spec["replicas"].is_number_integer();
  long long replicas = num(sts, "spec", "replicas");
  long long ready = num(sts, "status", "readyReplicas"), updated = num(sts, "status", "updatedReplicas");
  if (has_replicas && ready < replicas)
    return Status{"Waiting for " + std::to_string(replicas - ready) + " pods to be ready...\n", false};
  const Json& strategy = spec["updateStrategy"];
  if (strategy.contains("rollingUpdate") && strategy["rollingUpdate"].is_object()) {
    const Json& ru = strategy["rollingUpdate"];
    if (has_replicas && ru.contains("partition") && ru["partition"].is_number_integer()) {
      long long want = replicas - ru["partition"].get<long long>();
      if (updated < want)
        return Status{"Waiting for partitioned roll out to finish: " + std::to_string(updated) + " out of " +
                      std::to_string(want) + " new pods have been updated...\n", false};
    }
    return Status{"partitioned roll out complete: " + std::to_string(updated) + " new pods have been updated...\n", true};
  }
  const Json& st = sts.contains("status") && sts["status"].is_object() ? sts["status"] : Json::object();
  std::string update_rev = st.value("updateRevision", ""), current_rev = st.value("currentRevision", "");
  if (update_rev != current_rev)
    return Status{"waiting for statefulset rolling update to complete " + std::to_string(updated) +
                  " pods at revision " + update_rev + "...\n", false};
  return Status{"statefulset rolling update complete " + std::to_string(num(sts, "status", "currentReplicas")) +
                " pods at revision " + current_rev + "...\n", true};
}

}  // namespace

void add_rollout_status_flags(FlagSet& f) {
  add_rollout_target_flags(f);
  f.add_int("revision", 0, 0);
  f.add_duration("timeout", "0s");
  f.add_bool("watch", 'w', true);
}

int run_rollout_status(CommandEnv& env) {
  const FlagSet& f = env.flags;
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  if (auto err = require_rollout_targets(env)) return report_error(env.out, *err);
  long long revision = f.get_int("revision");
  if (revision < 0)
    return report_error(env.out, CmdError::msg("revision must be a positive integer: " + std::to_string(revision)));
  auto timeout = parse_seconds(f.get_string("timeout"));
  double seconds = timeout ? *timeout : 0;
  bool watch = f.get_bool("watch");

  std::vector<ObjectInfo> infos;
  std::vector<CmdError> errs;
  if (auto fatal = resolve_rollout_objects(s, infos, errs)) return report_error(env.out, *fatal);
  for (auto& info : infos) {
    const auto& r = info.mapping.resource;
    bool apps = r.group == "apps" || r.group == "extensions";
    Result<Status> (*viewer)(const Json&, long long) = nullptr;
    if (apps && r.kind == "Deployment") viewer = deployment_status;
    else if (apps && r.kind == "DaemonSet") viewer = [](const Json& o, long long) { return daemonset_status(o); };
    else if (r.group == "apps" && r.kind == "StatefulSet") viewer = [](const Json& o, long long) { return statefulset_status(o); };
    if (!viewer)
      return report_error(env.out, CmdError::msg("no status viewer has been implemented for " + group_kind_string(info)));
    // watchtools.ContextWithOptionalTimeout: no deadline for a zero timeout.
    auto deadline = seconds > 0 ? Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                      std::chrono::duration<double>(seconds))
                                : Clock::time_point::max();
    std::string path = ResourceBuilder::path_for(info.mapping, info.namespace_, info.name);
    std::string last_version;
    while (true) {
      auto got = s.client->get(path, kJsonAccept);
      if (!got.ok()) return report_error(env.out, got.error());
      if (got->status == 404) return report_error(env.out, CmdError::msg("object has been deleted"));
      if (got->status >= 400)
        return report_error(env.out,
                            status_error_from_response(got->status, got->body, "get", r.name, info.name));
      auto obj = Json::parse(got->body, nullptr, false);
      std::string version = obj.is_object() ? obj["metadata"].value("resourceVersion", "") : "";
      if (obj.is_object() && version != last_version) {
        last_version = version;
        auto status = viewer(obj, revision);
        if (!status.ok()) return report_error(env.out, status.error());
        env.out += status->text;
        flush_stdout(env.out);
        if (status->done || !watch) break;
      }
      if (Clock::now() >= deadline) return report_error(env.out, CmdError::msg("timed out waiting for the condition"));
      auto wait = std::chrono::milliseconds(200);
      if (deadline != Clock::time_point::max()) wait = std::min<std::chrono::milliseconds>(
          wait, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()) + std::chrono::milliseconds(1));
      std::this_thread::sleep_for(wait);
    }
  }
  if (!errs.empty()) return report_errors(env.out, errs);
  if (infos.empty()) write_stderr("No resources found in " + s.namespace_ + " namespace.\n");
  return 0;
}

}  // namespace kapi::client
