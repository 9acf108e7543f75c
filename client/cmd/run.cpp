// `kapi run NAME --image=IMAGE [--env=K=V] [--port=P] [--expose] [--dry-run=...]
// [--overrides=JSON] [--command] -- [COMMAND] [args...]` (kubectl 1.33 pkg/cmd/run/run.go with
// the run-pod/v1 and service/v2 generators of pkg/generate/versioned): one pod, optionally a
// ClusterIP service in front of it. With --attach/-i kubectl waits for the pod to run; kapi
// polls the pod (kubectl watches it), which gives the same answer within --pod-running-timeout.
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "client/cmd/cmd_util.h"
#include "client/cmd/command.h"
#include "client/cmd/generated_object.h"
#include "client/factory.h"
#include "client/printers/go_json.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"
#include "pkg/machinery/go_strconv.h"
#include "pkg/machinery/names.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

const GeneratedKind kPod{"v1", "Pod", "pods", true};
const GeneratedKind kService{"v1", "Service", "services", true};

// generate.ParseLabels: "k=v,k2=v2".
Result<Json> parse_labels(const std::string& spec) {
  Json labels = Json::object();
  size_t start = 0;
  while (true) {
    size_t comma = spec.find(',', start);
    std::string item = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t eq = item.find('=');
    if (eq == std::string::npos || item.find('=', eq + 1) != std::string::npos)
      return CmdError::msg("unexpected label spec: " + item);
    if (eq == 0) return CmdError::msg("unexpected empty label key");
    labels[item.substr(0, eq)] = item.substr(eq + 1);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return labels;
}

// cmdutil.ParsePairs without removal ("annotations").
Result<Json> parse_annotations(const std::vector<std::string>& pairs) {
  Json out = Json::object();
  std::string invalid;
  for (const auto& p : pairs) {
    if (p.find('=') != std::string::npos && p[0] != '=') {
      out[p.substr(0, p.find('='))] = p.substr(p.find('=') + 1);
    } else {
      invalid += (invalid.empty() ? "" : ", ") + p;
    }
  }
  if (!invalid.empty()) return CmdError::msg("invalid annotations format: " + invalid);
  return out;
}

Result<Json> parse_envs(const std::vector<std::string>& envs) {
  Json out = Json::array();
  for (const auto& e : envs) {
    size_t eq = e.find('=');
    if (eq == std::string::npos || eq == 0 || !machinery::is_env_var_name(e.substr(0, eq)).empty())
      return CmdError::msg("invalid env: " + e);
    out.push_back({{"name", e.substr(0, eq)}, {"value", e.substr(eq + 1)}});
  }
  return out;
}

// strconv.Atoi with Go's error text.
Result<long long> atoi(const std::string& s) {
  std::string digits = s;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits = digits.substr(1);
  bool ok = !digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos;
  auto v = ok ? machinery::gofmt::parse_int64(s) : std::nullopt;
  if (!ok) return CmdError::msg("strconv.Atoi: parsing " + go_json_quote(s) + ": invalid syntax");
  if (!v) return CmdError::msg("strconv.Atoi: parsing " + go_json_quote(s) + ": value out of range");
  return *v;
}

struct RunOptions {
  std::string name, image, port, restart;
  std::vector<std::string> args;
  bool attach = false, interactive = false, tty = false, remove = false;
  DryRun dry_run = DryRun::kNone;
  double timeout = 60;
  std::string namespace_;
  bool enforce_namespace = false;
};

// The run-pod/v1 generator (BasicPod.Generate), errors in its order.
Result<Json> generate_pod(const FlagSet& f, const RunOptions& o) {
  auto envs = parse_envs(f.get_strings("env"));
  if (!envs.ok()) return envs.error();
  auto annotations = parse_annotations(f.get_strings("annotations"));
  if (!annotations.ok()) return annotations.error();
  if (o.name.empty()) return CmdError::msg("'name' is a required parameter");
  Json labels = {{"run", o.name}};
  if (!f.get_string("labels").empty()) {
    auto l = parse_labels(f.get_string("labels"));
    if (!l.ok()) return l.error();
    labels = *l;
  }
  Json c = {{"name", o.name}, {"image", o.image}};
  if (o.interactive) c["stdin"] = true;
  if (o.interactive && !f.get_bool("leave-stdin-open")) c["stdinOnce"] = true;
  if (o.tty) c["tty"] = true;
  if (f.get_bool("privileged")) c["securityContext"] = {{"privileged", true}};
  if (!o.args.empty()) c[f.get_bool("command") ? "command" : "args"] = o.args;
  if (!envs->empty()) c["env"] = *envs;
  if (!f.get_string("image-pull-policy").empty()) c["imagePullPolicy"] = f.get_string("image-pull-policy");
  if (!o.port.empty()) {
    auto port = atoi(o.port);
    if (!port.ok()) return port.error();
    c["ports"] = Json::array({{{"containerPort", static_cast<int32_t>(*port)}}});
  }
  Json meta = {{"name", o.name}, {"labels", labels}};
  if (!annotations->empty()) meta["annotations"] = *annotations;
  std::string restart = o.restart.empty() ? "Always" : o.restart;
  return Json{{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", meta},
              {"spec", {{"containers", Json::array({c})}, {"restartPolicy", restart}, {"dnsPolicy", "ClusterFirst"}}}};
}

// The service/v2 generator as run --expose feeds it: the pod's labels (or run=NAME) select, the
// --labels label, one TCP port.
Result<Json> generate_service(const FlagSet& f, const RunOptions& o) {
  std::string selector_spec = f.get_string("labels").empty() ? "run=" + o.name : f.get_string("labels");
  auto selector = parse_labels(selector_spec);
  if (!selector.ok()) return selector.error();
  Json meta = {{"name", o.name}};
  if (!f.get_string("labels").empty()) meta["labels"] = *selector;
  auto port = atoi(o.port);
  if (!port.ok()) return port.error();
  int32_t p = static_cast<int32_t>(*port);
  return Json{{"apiVersion", "v1"},
              {"kind", "Service"},
              {"metadata", meta},
              {"spec",
               {{"ports", Json::array({{{"protocol", "TCP"}, {"port", p}, {"targetPort", p}}})},
                {"selector", *selector}}}};
}

// createGeneratedObject: --overrides (pod only), then the POST or, for --dry-run=client, the
// namespace of -n.
Result<Json> create_object(CommandEnv& env, const RunOptions& o, const GeneratedKind& k, Json obj, bool overrides) {
  const FlagSet& f = env.flags;
  obj = to_typed(obj, k.group_version, k.kind);
  if (overrides) {
    auto r = apply_overrides(f, k, obj);
    if (!r.ok()) return r.error();
    obj = std::move(*r);
  }
  if (o.dry_run == DryRun::kClient) {
    if (o.enforce_namespace) {
      obj["metadata"]["namespace"] = o.namespace_;
      obj = to_typed(obj, k.group_version, k.kind);
    }
    return obj;
  }
  if (f.get_bool("save-config")) add_last_applied_annotation(obj, k);
  return create_generated(env, k, o.namespace_, obj, o.dry_run, {{"fieldManager", f.get_string("field-manager")}});
}

// waitForPod(podRunningAndReady) without a kubelet: the pod stays Pending until the timeout.
std::optional<CmdError> wait_for_running(CommandEnv& env, const RunOptions& o, const std::string& ns) {
  auto client = env.factory.rest_client();
  if (!client.ok()) return client.error();
  std::string path = "/api/v1/namespaces/" + ns + "/pods/" + o.name;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long long>(o.timeout * 1000));
  while (true) {
    auto r = (*client)->get(path, kJsonAccept);
    if (!r.ok()) return r.error();
    // A deleted pod ends the watch with NotFound for an unnamed pod.
    if (r->status == 404) return status_error_from_response(404, R"({"kind":"Status","status":"Failure","message":"pods \"\" not found","reason":"NotFound","code":404})");
    auto pod = Json::parse(r->body, nullptr, false);
    if (pod.is_object() && pod.contains("status") && pod["status"].is_object()) {
      std::string phase = pod["status"].value("phase", "");
      if (phase == "Succeeded" || phase == "Failed" || phase == "Running")
        return CmdError::msg("kapi does not implement attaching to a running pod yet");
    }
    if (std::chrono::steady_clock::now() >= deadline) return CmdError::msg("timed out waiting for the condition");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// removeCreatedObjects: a background-propagation DELETE per object, `kind "name" deleted`.
void remove_objects(CommandEnv& env, const std::vector<std::pair<const GeneratedKind*, Json>>& objects) {
  auto client = env.factory.rest_client();
  if (!client.ok()) return;
  for (const auto& [k, obj] : objects) {
    std::string name = obj["metadata"].value("name", "");
    std::string ns = obj["metadata"].value("namespace", "");
    std::string path = "/api/v1/namespaces/" + ns + "/" + k->resource + "/" + name;
    auto r = (*client)->send("DELETE", path, "application/json", R"({"propagationPolicy":"Background"})");
    if (!r.ok() || r->status == 404) continue;
    if (r->status >= 400) {
      write_stderr(check_err_text(status_error_from_response(r->status, r->body, "delete", k->resource, name)));
      return;
    }
    std::string kind = k->kind;
    for (auto& ch : kind) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    env.out += kind + " \"" + name + "\" deleted\n";
  }
}

}  // namespace

void add_run_flags(FlagSet& f) {
  f.add_bool("allow-missing-template-keys", 0, true);
  f.add_string_array("annotations", 0);
  f.add_bool("attach", 0, false);
  f.add_string("cascade", 0, "background");
  f.add_bool("command", 0, false);
  add_dry_run_flag(f);
  f.add_string_array("env", 0);
  f.add_bool("expose", 0, false);
  f.add_string("field-manager", 0, "kubectl-run");
  f.add_string_slice("filename", 'f');
  f.add_bool("force", 0, false);
  f.add_int("grace-period", 0, -1);
  f.add_string("image", 0, "");
  f.add_string("image-pull-policy", 0, "");
  f.add_string("kustomize", 'k', "");
  f.add_string("labels", 'l', "");
  f.add_bool("leave-stdin-open", 0, false);
  f.add_string("output", 'o', "");
  add_override_flags(f);
  f.add_duration("pod-running-timeout", "1m0s");
  f.add_string("port", 0, "");
  f.add_bool("privileged", 0, false);
  f.add_bool("quiet", 'q', false);
  f.add_bool("recursive", 'R', false);
  f.add_string("restart", 0, "Always");
  f.add_bool("rm", 0, false);
  f.add_bool("save-config", 0, false);
  f.add_bool("show-managed-fields", 0, false);
  f.add_bool("stdin", 'i', false);
  f.add_string("template", 0, "");
  f.add_duration("timeout", "0s");
  f.add_bool("tty", 't', false);
  f.add_bool("wait", 0, false);
}

int run_run(CommandEnv& env) {
  const FlagSet& f = env.flags;
  RunOptions o;
  // Complete.
  auto dry_run = dry_run_strategy(f);
  if (!dry_run.ok()) return report_error(env.out, dry_run.error());
  o.dry_run = *dry_run;
  o.interactive = f.get_bool("stdin");
  o.tty = f.get_bool("tty");
  o.attach = f.get_bool("attach") || (!f.changed("attach") && o.interactive);
  auto printer = print_choice(f);
  if (!printer.ok()) return report_error(env.out, printer.error());
  std::string cascade = f.get_string("cascade");
  if (cascade != "background" && cascade != "true" && cascade != "foreground" && cascade != "orphan" &&
      cascade != "false")
    return report_error(env.out, CmdError::msg("invalid cascade value (" + cascade +
                                               "). Must be \"background\", \"foreground\", or \"orphan\""));

  // Run's checks, in order.
  // Upstream also rejects a "--" before NAME, but RecordFlags.Complete re-parses the whole
  // command line first, which counts the word "run" before the dash: only no NAME is an error.
  if (env.args.empty())
    return report_error(env.out, usage_error(env, "NAME is required for run"));
  auto timeout = parse_seconds(f.get_string("pod-running-timeout"));
  o.timeout = timeout ? *timeout : 0;
  if (o.timeout <= 0)
    return report_error(env.out, usage_error(env, "--pod-running-timeout must be higher than zero"));
  o.image = f.get_string("image");
  if (o.image.empty()) return report_error(env.out, CmdError::msg("--image is required"));
  if (!valid_image_reference(o.image))
    return report_error(env.out, CmdError::msg("Invalid image name " + go_json_quote(o.image) +
                                               ": invalid reference format"));
  if (o.tty && !o.interactive)
    return report_error(env.out, usage_error(env, "-i/--stdin is required for containers with -t/--tty=true"));
  o.port = f.get_string("port");
  if (f.get_bool("expose") && o.port.empty())
    return report_error(env.out, usage_error(env, "--port must be set when exposing a service"));
  auto ns = env.factory.client_config().namespace_for_request(&o.enforce_namespace);
  if (!ns.ok()) return report_error(env.out, ns.error());
  o.namespace_ = *ns;
  o.restart = f.get_string("restart");
  if (o.restart.empty()) o.restart = o.interactive ? "OnFailure" : "Always";
  if (o.restart != "Always" && o.restart != "OnFailure" && o.restart != "Never")
    return report_error(env.out, usage_error(env, "invalid restart policy: " + o.restart));
  o.remove = f.get_bool("rm");
  if (!o.attach && o.remove)
    return report_error(env.out, usage_error(env, "--rm should only be used for attached containers"));
  if (o.attach && o.dry_run != DryRun::kNone)
    return report_error(env.out, usage_error(env, "--dry-run=[server|client] can't be used with attached containers "
                                                  "options (--attach, --stdin, or --tty)"));
  std::string pull = f.get_string("image-pull-policy");
  if (!pull.empty() && pull != "Always" && pull != "IfNotPresent" && pull != "Never")
    return report_error(env.out, usage_error(env, "invalid image pull policy: " + pull));

  o.name = env.args[0];
  if (env.args.size() > 1) o.args.assign(env.args.begin() + 1, env.args.end());
  auto pod = generate_pod(f, o);
  if (!pod.ok()) return report_error(env.out, pod.error());
  // The REST mapping of Pod comes from discovery, even for --dry-run=client.
  auto discovery = env.factory.discovery();
  if (!discovery.ok()) return report_error(env.out, discovery.error());
  if (auto data = (*discovery)->get(); !data.ok()) return report_error(env.out, data.error());
  auto created_pod = create_object(env, o, kPod, std::move(*pod), true);
  if (!created_pod.ok()) return report_error(env.out, created_pod.error());

  std::vector<std::pair<const GeneratedKind*, Json>> created = {{&kPod, *created_pod}};
  std::vector<CmdError> errs;
  int printed = 0;
  // The YAML printer separates every object after its first with "---".
  auto print = [&](const GeneratedKind& k, const Json& obj) -> std::optional<CmdError> {
    if (printer->format == "yaml" && printed++ > 0) env.out += "---\n";
    return print_generated(f, *printer, k, obj, "created", o.dry_run, env.out);
  };
  if (f.get_bool("expose")) {
    auto svc = generate_service(f, o);
    Result<Json> created_svc = svc.ok() ? create_object(env, o, kService, std::move(*svc), false) : svc.error();
    if (!created_svc.ok()) {
      errs.push_back(created_svc.error());
    } else {
      if (auto err = print(kService, *created_svc)) errs.push_back(*err);
      else if (printer->format == "yaml") env.out += "---\n";
      created.emplace_back(&kService, *created_svc);
    }
  }
  if (o.attach) {
    auto err = wait_for_running(env, o, (*created_pod)["metadata"].value("namespace", o.namespace_));
    if (o.remove) remove_objects(env, created);
    return err ? report_error(env.out, *err) : 0;
  }
  if (auto err = print(kPod, *created_pod)) return report_error(env.out, *err);
  return report_errors(env.out, errs);
}

}  // namespace kapi::client
