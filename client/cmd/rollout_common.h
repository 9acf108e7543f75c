#pragma once
// What the rollout subcommands share (kubectl pkg/cmd/rollout, polymorphichelpers and
// deploymentutil): the objects named on the command line (ResourceTypeOrNameArgs(true, ...)),
// a Deployment's ReplicaSets with their revisions, and the pod template text of a revision.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client/cmd/object_reader.h"

namespace kapi::client {

// The flags every rollout subcommand has: -f/-k/-R and -l.
void add_rollout_target_flags(FlagSet& f);
// "required resource not specified" when neither arguments nor files name anything.
std::optional<CmdError> require_rollout_targets(const CommandEnv& env);
// Builder...ContinueOnError().Latest().Flatten(): the objects into `out`; per-object errors are
// appended to `errs`; a returned error stops before any object (r.Err()).
std::optional<CmdError> resolve_rollout_objects(Session& s, std::vector<ObjectInfo>& out, std::vector<CmdError>& errs);

// "deployments.apps" (the resource string of the patchers' errors).
std::string resource_string(const ObjectInfo& info);
// GroupKind.String(): "Deployment.apps", "Service".
std::string group_kind_string(const ObjectInfo& info);
// apps.GroupKindElement.Accept: the kinds kubectl's polymorphic helpers know, else the error
// "no visitor method exists for {group Kind}".
std::optional<std::string> visitor_error(const ObjectInfo& info);

// deploymentutil.Revision: the deployment.kubernetes.io/revision annotation (0 when absent);
// nullopt with `err` set (strconv's text) when it does not parse.
std::optional<long long> revision_of(const nlohmann::ordered_json& obj, std::string* err = nullptr);

// deploymentutil.GetAllReplicaSets: the ReplicaSets selected by the deployment and controlled
// by it (old ones and the new one alike).
Result<std::vector<nlohmann::ordered_json>> deployment_replica_sets(Session& s, const nlohmann::ordered_json& deployment);

// printTemplate: DescribePodTemplate through a plain (untabbed) prefix writer.
std::string print_template(const nlohmann::ordered_json& tmpl);

// The ControllerRevisions selected by and controlled by a DaemonSet or StatefulSet.
Result<std::vector<nlohmann::ordered_json>> controller_revisions(Session& s, const nlohmann::ordered_json& owner);

}  // namespace kapi::client

#include <functional>

namespace kapi::client {

// RunPause / RunResume / RunRestart: each object's mutation (set_common's CalculatePatches;
// errors read "error: deployments.apps \"web\" <err>"), then a PATCH and "<kind>/<name>
// <operation>". `unchanged` handles a "{}" patch: it prints or returns the object's error.
// --field-manager defaults to kubectl-rollout.
void add_rollout_patch_flags(FlagSet& f);
int run_rollout_patch_command(
    CommandEnv& env, const std::function<Result<bool>(nlohmann::ordered_json& typed, ObjectInfo& info)>& mutate,
    const std::string& operation, const std::function<std::optional<CmdError>(CommandEnv&, ObjectInfo&)>& unchanged);

}  // namespace kapi::client
