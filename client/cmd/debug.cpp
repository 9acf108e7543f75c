// `kapi debug` (kubectl 1.33 pkg/cmd/debug/debug.go): for a pod, an ephemeral container added
// through a strategic merge patch of pods/<name>/ephemeralcontainers, or (--copy-to) a copy of
// the pod with a debug container added or changed; for node/NAME, a pod in the node's host
// namespaces. With -i/--attach kubectl then waits (without a timeout) for the container to
// start, which takes a kubelet; kapi waits the same way (polling where kubectl watches), but
// cannot attach once the container runs.
#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "client/cmd/command.h"
#include "client/cmd/debug_profiles.h"
#include "client/cmd/generated_object.h"
#include "client/cmd/object_reader.h"
#include "client/cmd/object_visitor.h"
#include "client/cmd/object_writer.h"
#include "client/cmd/pod_target.h"
#include "client/factory.h"
#include "client/printers/go_json.h"
#include "client/resource_builder.h"
#include "pkg/machinery/names.h"
#include "pkg/machinery/strategic_patch.h"
#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/yaml.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;
using Pairs = std::vector<std::pair<std::string, std::string>>;

const GeneratedKind kPod{"v1", "Pod", "pods", true};

struct DebugOptions {
  std::vector<std::string> targets, args;
  bool args_only = false, attach = false, interactive = false, tty = false, quiet = false;
  bool same_node = false, share_processes = true, share_changed = false, replace = false;
  std::string container, copy_to, image, pull_policy, target_container, profile, namespace_;
  Json env = Json::array();
  Pairs set_images;
  KeepFlags keep;
  std::optional<Json> custom;  // --custom: a partial container spec
};

// A container of a pod's spec by name (containerNameToRef: regular, init, ephemeral).
Json* container_named(Json& pod, const std::string& name, bool with_ephemeral) {
  Json& spec = pod["spec"];
  for (const char* list : {"containers", "initContainers", "ephemeralContainers"}) {
    if (!with_ephemeral && std::string(list) == "ephemeralContainers") continue;
    if (!spec.contains(list) || !spec[list].is_array()) continue;
    for (auto& c : spec[list])
      if (c.value("name", "") == name) return &c;
  }
  return nullptr;
}

// computeDebugContainerName: -c, else a free "debugger-xxxxx" (announced unless --quiet).
std::string debug_container_name(const DebugOptions& o, Json& pod, std::string& out) {
  if (!o.container.empty()) return o.container;
  std::string name;
  while (name.empty() || container_named(pod, name, true)) name = "debugger-" + machinery::random_string(5);
  if (!o.quiet) out += "Defaulting debug container name to " + name + ".\n";
  return name;
}

// The fields every new debug container starts with, in EphemeralContainerCommon's order.
Json new_container(const DebugOptions& o, const std::string& name) {
  Json c = {{"name", name}};
  if (!o.image.empty()) c["image"] = o.image;
  if (!o.args.empty()) c[o.args_only ? "args" : "command"] = o.args;
  if (!o.env.empty()) c["env"] = o.env;
  c["terminationMessagePolicy"] = "File";
  if (!o.pull_policy.empty()) c["imagePullPolicy"] = o.pull_policy;
  if (o.interactive) c["stdin"] = true;
  if (o.tty) c["tty"] = true;
  return c;
}

// applyCustomProfile[Ephemeral]: --custom strategically merged into the container `name` of
// `list` (a Container schema for both kinds, as upstream).
std::optional<CmdError> apply_custom(const DebugOptions& o, Json& pod, const char* list, const std::string& name) {
  Json* target = nullptr;
  if (pod["spec"].contains(list) && pod["spec"][list].is_array())
    for (auto& c : pod["spec"][list])
      if (c.value("name", "") == name) target = &c;
  if (!target) {
    std::string what = std::string(list) == "ephemeralContainers" ? " ephemeral container" : " container";
    return CmdError::msg("unable to find the " + name + what + " in the pod " +
                         pod["metadata"].value("name", ""));
  }
  Json custom = *o.custom;
  custom["name"] = name;
  // json.Marshal of the typed Container (zero values included), through a typed Pod.
  Json typed = to_typed({{"spec", {{"containers", Json::array({custom})}}}}, "v1", "Pod");
  Json patch = {{"spec", {{"containers", Json::array({typed["spec"]["containers"][0]})}}}};
  Json original = {{"spec", {{"containers", Json::array({*target})}}}};
  auto merged = machinery::strategic_merge_patch(original, patch, patch_schema_for(pods_mapping()));
  if (!merged.ok())
    return CmdError::msg("error creating three way patch to add debug container: " + merged.error());
  *target = (*merged)["spec"]["containers"][0];
  return std::nullopt;
}

// displayWarning: capabilities granted to a container of a pod that runs as a non-root user.
void display_warning(const Json* c, const Json& pod) {
  if (!c) return;
  const Json& psc = pod["spec"].value("securityContext", Json::object());
  if (!psc.contains("runAsUser") || psc["runAsUser"] == 0) return;
  if (!c->contains("securityContext")) return;
  const Json& sc = (*c)["securityContext"];
  if (sc.contains("runAsUser") && sc["runAsUser"] == 0) return;
  bool privileged = sc.value("privileged", false);
  bool adds = sc.contains("capabilities") && sc["capabilities"].contains("add") && !sc["capabilities"]["add"].empty();
  if (!privileged && !adds) return;
  write_stderr("Warning: Non-root user is configured for the entire target Pod, and some capabilities granted by "
               "debug profile may not work. Please consider using \"--custom\" with a custom profile that "
               "specifies \"securityContext.runAsUser: 0\".\n");
}

// The created pod's error, or the typed answer.
Result<Json> create_pod(CommandEnv& env, const std::string& ns, const Json& pod) {
  return create_generated(env, kPod, ns, to_typed(pod, "v1", "Pod"), DryRun::kNone, {});
}

// debugByEphemeralContainer. Returns the debug container's name.
Result<std::string> debug_by_ephemeral_container(CommandEnv& env, Session& s, const DebugOptions& o, const Json& live) {
  Json original = to_typed(live, "v1", "Pod");
  Json pod = original;
  std::string name = debug_container_name(o, pod, env.out);
  Json ec = new_container(o, name);
  if (!o.target_container.empty()) ec["targetContainerName"] = o.target_container;
  if (!pod["spec"].contains("ephemeralContainers") || !pod["spec"]["ephemeralContainers"].is_array())
    pod["spec"]["ephemeralContainers"] = Json::array();
  pod["spec"]["ephemeralContainers"].push_back(ec);
  apply_debug_profile(o.profile, o.keep, DebugStyle::kEphemeral, pod, name);
  if (o.custom)
    if (auto err = apply_custom(o, pod, "ephemeralContainers", name)) return *err;
  pod = to_typed(pod, "v1", "Pod");
  display_warning(&pod["spec"]["ephemeralContainers"].back(), original);
  auto patch = machinery::create_two_way_merge_patch(original, pod, patch_schema_for(pods_mapping()));
  if (!patch.ok()) return CmdError::msg("error creating patch to add debug container: " + patch.error());
  std::string ns = original["metadata"].value("namespace", o.namespace_);
  std::string pod_name = original["metadata"].value("name", "");
  std::string path = ResourceBuilder::path_for(pods_mapping(), ns, pod_name) + "/ephemeralcontainers";
  auto r = s.client->send("PATCH", path, "application/strategic-merge-patch+json", runtime::encode_json(*patch));
  if (!r.ok()) return r.error();
  if (r->status >= 400) {
    CmdError err = status_error_from_response(r->status, r->body, "patch", "pods", pod_name);
    // Without the subresource (the feature disabled), the 404 names no object.
    if (err.kind == CmdError::Kind::kStatus && err.reason == "NotFound" && err.details_name.empty())
      return CmdError::msg("ephemeral containers are disabled for this cluster (error from server: " +
                           go_json_quote(message_for_error(err)) + ")");
    return err;
  }
  return name;
}

// debugByCopy (generatePodCopyWithDebugContainer). Returns the debug container's name, "" when
// only images were changed.
Result<std::string> debug_by_copy(CommandEnv& env, Session& s, const DebugOptions& o, const Json& live) {
  Json original = to_typed(live, "v1", "Pod");
  const Json& meta = original["metadata"];
  Json copy_meta = {{"name", o.copy_to}, {"namespace", meta.value("namespace", "")}};
  if (meta.contains("labels")) copy_meta["labels"] = meta["labels"];
  if (meta.contains("annotations")) copy_meta["annotations"] = meta["annotations"];
  Json pod = {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", copy_meta}, {"spec", original["spec"]}};
  Json& spec = pod["spec"];
  spec.erase("ephemeralContainers");
  if (o.share_changed) spec["shareProcessNamespace"] = o.share_processes;
  if (!o.same_node) spec.erase("nodeName");
  std::map<std::string, std::string> images(o.set_images.begin(), o.set_images.end());
  if (spec.contains("containers") && spec["containers"].is_array())
    for (auto& c : spec["containers"]) {
      std::string image = images.count("*") ? images["*"] : "";
      if (auto it = images.find(c.value("name", "")); it != images.end()) image = it->second;
      if (!image.empty()) c["image"] = image;
    }
  std::string name = o.container;
  Json* c = container_named(pod, name, false);
  if (!c) {
    if (o.image.empty()) {
      if (!o.set_images.empty()) name.clear();
      else return CmdError::msg("you must specify image when creating new container");
    } else {
      if (name.empty()) name = debug_container_name(o, pod, env.out);
      spec["containers"].push_back({{"name", name}, {"terminationMessagePolicy", "File"}});
      c = &spec["containers"].back();
    }
  }
  if (c) {
    if (!o.args.empty()) {
      if (o.args_only) {
        (*c)["args"] = o.args;
      } else {
        (*c)["command"] = o.args;
        c->erase("args");
      }
    }
    if (!o.env.empty()) (*c)["env"] = o.env;
    if (!o.image.empty()) (*c)["image"] = o.image;
    if (!o.pull_policy.empty()) (*c)["imagePullPolicy"] = o.pull_policy;
    (*c)["stdin"] = o.interactive;
    (*c)["tty"] = o.tty;
    std::string cname = c->value("name", "");
    apply_debug_profile(o.profile, o.keep, DebugStyle::kPodCopy, pod, cname);
    if (o.custom)
      if (auto err = apply_custom(o, pod, "containers", name)) return *err;
  }
  pod = to_typed(pod, "v1", "Pod");
  const Json* debug_container = nullptr;
  if (!name.empty())
    for (const auto& k : pod["spec"]["containers"])
      if (k.value("name", "") == name) debug_container = &k;
  display_warning(debug_container, pod);
  auto created = create_pod(env, pod["metadata"].value("namespace", ""), pod);
  if (!created.ok()) return created.error();
  if (o.replace) {
    std::string path = ResourceBuilder::path_for(pods_mapping(), meta.value("namespace", ""), meta.value("name", ""));
    auto r = s.client->send("DELETE", path, "application/json", R"({"gracePeriodSeconds":0})");
    if (!r.ok()) return r.error();
    if (r->status >= 400) return status_error_from_response(r->status, r->body, "delete", "pods", meta.value("name", ""));
  }
  return name;
}

// visitNode (generateNodeDebugPod): a pod on the node, in the host namespaces the profile gives.
Result<std::string> debug_node(CommandEnv& env, const DebugOptions& o, const Json& node, std::string& pod_name) {
  std::string node_name = node["metadata"].value("name", "");
  std::string cn = o.container.empty() ? "debugger" : o.container;
  std::string pn = "node-debugger-" + node_name + "-" + machinery::random_string(5);
  if (!o.quiet)
    env.out += "Creating debugging pod " + pn + " with container " + cn + " on node " + node_name + ".\n";
  Json pod = {{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", {{"name", pn}}},
              {"spec",
               {{"containers", Json::array({new_container(o, cn)})},
                {"nodeName", node_name},
                {"restartPolicy", "Never"},
                {"tolerations", Json::array({{{"operator", "Exists"}}})}}}};
  apply_debug_profile(o.profile, o.keep, DebugStyle::kNode, pod, cn);
  if (o.custom)
    if (auto err = apply_custom(o, pod, "containers", cn)) return *err;
  auto created = create_pod(env, o.namespace_, pod);
  if (!created.ok()) return created.error();
  pod_name = pn;
  return cn;
}

// The status of container `name` in any of the pod's status lists (getContainerStatusByName).
const Json* container_status(const Json& pod, const std::string& name) {
  if (!pod.contains("status") || !pod["status"].is_object()) return nullptr;
  const Json& status = pod["status"];
  for (const char* list : {"initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"}) {
    if (!status.contains(list) || !status[list].is_array()) continue;
    for (const auto& s : status[list])
      if (s.value("name", "") == name) return &s;
  }
  return nullptr;
}

// waitForContainer: until the container runs or has terminated, printing the reason it waits
// (unless --quiet); a deleted pod is NotFound. Then attach, which kapi does not implement.
std::optional<CmdError> wait_and_attach(CommandEnv& env, Session& s, const DebugOptions& o, const std::string& ns,
                                        const std::string& pod_name, const std::string& container) {
  flush_stdout(env.out);
  std::string path = ResourceBuilder::path_for(pods_mapping(), ns, pod_name);
  std::string last_message;
  while (true) {
    auto r = s.client->get(path, kJsonAccept);
    if (!r.ok()) return r.error();
    if (r->status == 404)
      return status_error_from_response(
          404, R"({"kind":"Status","status":"Failure","message":"pods \"\" not found","reason":"NotFound","code":404})");
    if (r->status >= 400) return status_error_from_response(r->status, r->body, "get", "pods", pod_name);
    Json pod = Json::parse(r->body, nullptr, false);
    if (const Json* st = pod.is_object() ? container_status(pod, container) : nullptr) {
      const Json& state = st->contains("state") && (*st)["state"].is_object() ? (*st)["state"] : Json::object();
      if (state.contains("running") || state.contains("terminated"))
        return CmdError::msg("kapi does not implement attaching to a debug container yet");
      std::string message = state.contains("waiting") ? state["waiting"].value("message", "") : "";
      if (!o.quiet && !message.empty() && message != last_message)
        write_stderr("Warning: container " + container + ": " + message + "\n");
      last_message = message;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

// --custom: the file's container spec, JSON or else YAML.
std::optional<CmdError> read_custom(const std::string& file, DebugOptions& o) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return CmdError::msg("must pass a container spec json file for custom profile: open " + file +
                         ": no such file or directory");
  std::stringstream ss;
  ss << in.rdbuf();
  Json doc = Json::parse(ss.str(), nullptr, false);
  if (doc.is_discarded()) {
    std::string err;
    if (!runtime::first_yaml_document_to_json(ss.str(), doc, &err))
      return CmdError::msg(file + " does not contain a valid container spec: " + err);
  }
  if (doc.is_null()) return std::nullopt;  // "null": no custom profile, as a nil pointer
  if (!doc.is_object())
    return CmdError::msg(file + " does not contain a valid container spec: error unmarshaling JSON: while decoding "
                                "JSON: json: cannot unmarshal " +
                         std::string(doc.is_array() ? "array" : doc.is_string() ? "string" : "number") +
                         " into Go value of type v1.Container");
  o.custom = doc;
  return std::nullopt;
}

bool set_in(const Json& c, const char* k) {
  if (!c.contains(k) || c[k].is_null()) return false;
  const Json& v = c[k];
  if (std::string(k) == "lifecycle") return true;  // a pointer
  return v.is_string() ? !v.get<std::string>().empty() : !v.empty();
}

// Complete and Validate, in upstream's order.
std::optional<CmdError> complete_and_validate(CommandEnv& env, DebugOptions& o) {
  const FlagSet& f = env.flags;
  o.pull_policy = f.get_string("image-pull-policy");
  o.targets = env.args;
  int dash = f.args_len_at_dash();
  if (dash >= 0 && env.args.size() > static_cast<size_t>(dash)) {
    o.targets.assign(env.args.begin(), env.args.begin() + dash);
    o.args.assign(env.args.begin() + dash, env.args.end());
  }
  o.interactive = f.get_bool("stdin");
  o.attach = f.get_bool("attach") || (!f.changed("attach") && o.interactive);
  for (const auto& [k, v] : f.get_string_map("env")) o.env.push_back({{"name", k}, {"value", v}});
  auto ns = env.factory.client_config().namespace_for_request();
  if (!ns.ok()) return ns.error();
  o.namespace_ = *ns;
  o.profile = f.get_string("profile");
  o.keep = {f.get_bool("keep-labels"), f.get_bool("keep-annotations"), f.get_bool("keep-liveness"),
            f.get_bool("keep-readiness"), f.get_bool("keep-startup"), f.get_bool("keep-init-containers")};
  if (!known_debug_profile(o.profile)) return CmdError::msg("unknown profile: " + o.profile);
  if (!f.get_string("custom").empty())
    if (auto err = read_custom(f.get_string("custom"), o)) return err;
  o.args_only = f.get_bool("arguments-only");
  o.container = f.get_string("container");
  o.copy_to = f.get_string("copy-to");
  o.replace = f.get_bool("replace");
  o.image = f.get_string("image");
  o.quiet = f.get_bool("quiet");
  o.same_node = f.get_bool("same-node");
  o.share_processes = f.get_bool("share-processes");
  o.share_changed = f.changed("share-processes");
  o.set_images = f.get_string_map("set-image");
  o.target_container = f.get_string("target");
  o.tty = f.get_bool("tty");

  // Validate.
  if (o.attach && f.changed("attach") && o.image.empty() && o.container.empty())
    return CmdError::msg("you must specify --container or create a new container using --image in order to attach.");
  if (!o.copy_to.empty()) {
    if (o.image.empty() && o.set_images.empty() && o.args.empty())
      return CmdError::msg("you must specify --image, --set-image or command arguments.");
    if (!o.args.empty() && o.container.empty() && o.image.empty())
      return CmdError::msg("you must specify an existing container or a new image when specifying args.");
  } else if (o.replace) {
    return CmdError::msg("--replace may only be used with --copy-to.");
  } else if (o.same_node) {
    return CmdError::msg("--same-node may only be used with --copy-to.");
  } else if (!o.set_images.empty()) {
    return CmdError::msg("--set-image may only be used with --copy-to.");
  } else if (o.image.empty()) {
    return CmdError::msg("you must specify --image when not using --copy-to.");
  }
  if (!o.image.empty() && !valid_image_reference(o.image))
    return CmdError::msg("invalid image name " + go_json_quote(o.image) + ": invalid reference format");
  if (o.targets.empty() && f.get_strings("filename").empty())
    return CmdError::msg("NAME or filename is required for debug");
  if (!o.pull_policy.empty() && o.pull_policy != "Always" && o.pull_policy != "IfNotPresent" &&
      o.pull_policy != "Never")
    return CmdError::msg("invalid image pull policy: " + o.pull_policy);
  // Go ranges over the map in random order; the first invalid pair in key order here.
  for (const auto& [name, image] : o.set_images)
    if (!valid_image_reference(image))
      return CmdError::msg("invalid image name " + go_json_quote(image) + " for container " + go_json_quote(name) +
                           ": invalid reference format");
  if (!o.target_container.empty()) {
    if (!o.copy_to.empty()) return CmdError::msg("--target is incompatible with --copy-to. Use --share-processes instead.");
    if (!o.quiet)
      env.out += "Targeting container " + go_json_quote(o.target_container) +
                 ". If you don't see processes from this container it may be because the container runtime doesn't "
                 "support this feature.\n";
  }
  if (o.tty && !o.interactive) return CmdError::msg("-i/--stdin is required for containers with -t/--tty=true");
  if (o.custom) {
    const Json& c = *o.custom;
    if (set_in(c, "name") || set_in(c, "command") || set_in(c, "image") || set_in(c, "lifecycle") ||
        set_in(c, "volumeDevices"))
      return CmdError::msg("name, command, image, lifecycle and volume devices are not modifiable via custom profile");
  }
  if (o.profile == "legacy") {
    flush_stdout(env.out);
    write_stderr("--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly "
                 "specify a profile, for example \"--profile=general\".\n");
  }
  return std::nullopt;
}

}  // namespace

void add_debug_flags(FlagSet& f) {
  f.add_string_slice("filename", 'f');
  f.add_bool("arguments-only", 0, false);
  f.add_bool("attach", 0, false);
  f.add_string("container", 'c', "");
  f.add_string("copy-to", 0, "");
  f.add_bool("replace", 0, false);
  f.add_string_to_string("env", 0);
  f.add_string("image", 0, "");
  f.add_bool("keep-labels", 0, false);
  f.add_bool("keep-annotations", 0, false);
  f.add_bool("keep-liveness", 0, false);
  f.add_bool("keep-readiness", 0, false);
  f.add_bool("keep-startup", 0, false);
  f.add_bool("keep-init-containers", 0, true);
  f.add_string_to_string("set-image", 0);
  f.add_string("image-pull-policy", 0, "");
  f.add_bool("stdin", 'i', false);
  f.add_bool("quiet", 'q', false);
  f.add_bool("same-node", 0, false);
  f.add_bool("share-processes", 0, true);
  f.add_string("target", 0, "");
  f.add_bool("tty", 't', false);
  f.add_string("profile", 0, "legacy");
  f.add_string("custom", 0, "");
}

int run_debug(CommandEnv& env) {
  DebugOptions o;
  if (auto err = complete_and_validate(env, o)) return report_error(env.out, *err);
  if (!o.targets.empty() && !env.flags.get_strings("filename").empty())
    return report_error(env.out, CmdError::msg("resource/name arguments cannot be provided when a path is specified"));
  Session s(env);
  if (auto err = s.open()) return report_error(env.out, *err);
  VisitOptions vo;
  // ResourceNames("pods", ...): a bare name is a pod.
  for (const auto& t : o.targets) vo.args.push_back(t.find('/') == std::string::npos ? "pods/" + t : t);
  std::vector<CmdError> errs;
  bool stopped = false;  // the builder is not ContinueOnError: the first error ends the visit
  std::string last_node_pod;
  auto fatal = visit_objects(
      s, vo,
      [&](ObjectInfo& info) -> std::optional<CmdError> {
        if (stopped || !errs.empty()) return std::nullopt;
        const ApiResource& r = info.mapping.resource;
        Result<std::string> container = std::string();
        // The debug pod: the node debugger's, the copy, or the target itself.
        std::string pod_ns = info.namespace_.empty() ? o.namespace_ : info.namespace_;
        std::string pod_name = !o.copy_to.empty() ? o.copy_to : info.name;
        if (r.group.empty() && r.kind == "Node") container = debug_node(env, o, *info.object, last_node_pod);
        else if (r.group.empty() && r.kind == "Pod" && o.copy_to.empty())
          container = debug_by_ephemeral_container(env, s, o, *info.object);
        else if (r.group.empty() && r.kind == "Pod") container = debug_by_copy(env, s, o, *info.object);
        else
          container = CmdError::msg(go_json_quote(r.group + "/" + r.version + ", Kind=" + r.kind) +
                                    " not supported by debug");
        if (!container.ok()) {
          stopped = true;
          return container.error();
        }
        if (o.attach && !container->empty()) {
          stopped = true;
          if (r.kind == "Node") {
            pod_ns = o.namespace_;
            pod_name = last_node_pod;
          }
          return wait_and_attach(env, s, o, pod_ns, pod_name, *container);
        }
        return std::nullopt;
      },
      errs);
  if (fatal) return report_error(env.out, *fatal);
  if (!errs.empty()) return report_error(env.out, errs.front());
  flush_stdout(env.out);
  return 0;
}

}  // namespace kapi::client
