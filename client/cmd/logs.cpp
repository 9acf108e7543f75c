// `kapi logs` (kubectl pkg/cmd/logs): the pod (POD, TYPE/NAME of a workload or service, or
// every pod of -l), its containers (one, or all), then GET .../log with kubectl's query
// parameters for each, copying the bodies to stdout (with --prefix, "[pod/P/C] " per line).
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/pod_target.h"
#include "client/cmd/cmd_util.h"
#include "client/factory.h"
#include "pkg/machinery/duration.h"
#include "client/resource_builder.h"

namespace kapi::client {

void add_logs_flags(FlagSet& flags) {
  flags.add_bool("follow", 'f', false);
  flags.add_bool("previous", 'p', false);
  flags.add_bool("timestamps", 0, false);
  flags.add_string("container", 'c', "");
  flags.add_int("tail", 0, -1);
  flags.add_int("limit-bytes", 0, 0);
  flags.add_string("since", 0, "0s");
  flags.add_string("since-time", 0, "");
  flags.add_bool("all-containers", 0, false);
  flags.add_bool("ignore-errors", 0, false);
  flags.add_bool("prefix", 0, false);
  flags.add_string("selector", 'l', "");
  flags.add_bool("insecure-skip-tls-verify-backend", 0, false);
  flags.add_duration("pod-running-timeout", "20s");
  flags.add_int("max-log-requests", 0, 5);
}

namespace {

using Json = nlohmann::ordered_json;

struct LogTarget {
  std::string pod, container;
};

// The pods/log query of PodLogOptions.
std::vector<std::pair<std::string, std::string>> log_query(const FlagSet& f, const std::string& container,
                                                           bool selector, long long since_seconds) {
  std::vector<std::pair<std::string, std::string>> q = {{"container", container}};
  if (f.get_bool("follow")) q.emplace_back("follow", "true");
  if (f.get_bool("previous")) q.emplace_back("previous", "true");
  if (f.get_bool("timestamps")) q.emplace_back("timestamps", "true");
  // With -l an unset --tail means the last 10 lines.
  if (selector && f.get_int("tail") == -1 && !f.changed("tail")) q.emplace_back("tailLines", "10");
  else if (f.get_int("tail") != -1) q.emplace_back("tailLines", std::to_string(f.get_int("tail")));
  if (f.get_int("limit-bytes") > 0) q.emplace_back("limitBytes", std::to_string(f.get_int("limit-bytes")));
  if (since_seconds != 0) q.emplace_back("sinceSeconds", std::to_string(since_seconds));
  if (!f.get_string("since-time").empty()) q.emplace_back("sinceTime", f.get_string("since-time"));
  if (f.get_bool("insecure-skip-tls-verify-backend")) q.emplace_back("insecureSkipTLSVerifyBackend", "true");
  return q;
}

// logsForObjectWithClient for one pod: every container with --all-containers (init, regular,
// ephemeral), else the named or default one.
std::optional<CmdError> add_targets(const Json& pod, const FlagSet& f, const std::string& container,
                                    std::string& out, std::vector<LogTarget>& targets) {
  const std::string name = pod["metadata"].value("name", "");
  if (f.get_bool("all-containers")) {
    const Json spec = pod.value("spec", Json::object());
    for (const char* key : {"initContainers", "containers", "ephemeralContainers"})
      for (const auto& c : spec.value(key, Json::array())) targets.push_back({name, c.value("name", "")});
    return std::nullopt;
  }
  auto chosen = pod_container(pod, container, out);
  if (!chosen) return CmdError::msg("container " + container + " is not valid for pod " + name);
  targets.push_back({name, *chosen});
  return std::nullopt;
}

}  // namespace

int run_logs(CommandEnv& env) {
  const FlagSet& f = env.flags;
  const std::string program = env.factory.program();
  const std::string selector = f.get_string("selector");
  const std::string usage = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a "
                            "required argument for the logs command\nSee '" + program + " logs -h' for help and examples";
  if (env.args.size() > 2 || (env.args.empty() && selector.empty())) return report_error(env.out, CmdError::msg(usage));
  if (env.args.size() == 1 && !selector.empty())
    return report_error(env.out, CmdError::msg("only a selector (-l) or a POD name is allowed\nSee '" + program +
                                               " logs -h' for help and examples"));
  std::string container = f.get_string("container");
  const bool container_flag = f.changed("container");
  if (env.args.size() == 2) container = env.args[1];
  auto ns = env.factory.client_config().namespace_for_request();
  if (!ns.ok()) return report_error(env.out, ns.error());
  auto timeout = parse_seconds(f.get_string("pod-running-timeout"));
  if (!timeout || *timeout <= 0)
    return report_error(env.out, CmdError::msg("--pod-running-timeout must be higher than zero"));
  long long since_seconds = 0;
  if (auto since = machinery::parse_go_duration(f.get_string("since")); since.ok()) {
    // Duration.Round(time.Second): halves away from zero.
    long long ns_count = since->count();
    since_seconds = (ns_count + (ns_count >= 0 ? 500000000LL : -500000000LL)) / 1000000000LL;
  }
  // Validate.
  if (!f.get_string("since-time").empty() && since_seconds != 0)
    return report_error(env.out, CmdError::msg("at most one of `sinceTime` or `sinceSeconds` may be specified"));
  if (f.get_bool("all-containers") && !container.empty())
    return report_error(env.out, CmdError::msg("--all-containers=true should not be specified with container name " +
                                               container));
  if (container_flag && env.args.size() == 2)
    return report_error(env.out, CmdError::msg("only one of -c or an inline [CONTAINER] arg is allowed"));
  if (f.get_int("limit-bytes") < 0) return report_error(env.out, CmdError::msg("--limit-bytes must be greater than 0"));
  if (since_seconds < 0) return report_error(env.out, CmdError::msg("--since must be greater than 0"));
  if (f.get_int("tail") < -1) return report_error(env.out, CmdError::msg("--tail must be greater than or equal to -1"));

  auto client = env.factory.rest_client();
  if (!client.ok()) return report_error(env.out, client.error());
  std::vector<LogTarget> targets;
  if (!selector.empty()) {
    auto pods = pods_for_selector(**client, *ns, selector);
    if (!pods.ok()) return report_error(env.out, pods.error());
    if (pods->empty()) {
      flush_stdout(env.out);
      write_stderr("No resources found in " + *ns + " namespace.\n");
    }
    for (const auto& pod : *pods)
      if (auto err = add_targets(pod, f, container, env.out, targets)) return report_error(env.out, *err);
  } else {
    // A bare name is a pod; TYPE/NAME stands for its pods.
    const std::string target = env.args[0];
    std::string type_name = target.find('/') == std::string::npos ? "pods/" + target : target;
    size_t candidates = 1;
    auto pod = pod_for_object(env, *ns, type_name, PodOrder::kByLogging, *timeout, "cannot get the logs from",
                              &candidates);
    if (!pod.ok()) {
      const CmdError& e = pod.error();
      if (e.kind == CmdError::Kind::kStatus && e.reason == "NotFound")
        return report_error(env.out, CmdError::msg("error from server (NotFound): " + e.message + " in namespace \"" +
                                                   *ns + "\""));
      return report_error(env.out, e);
    }
    if (candidates > 1) {
      flush_stdout(env.out);
      write_stderr("Found " + std::to_string(candidates) + " pods, using pod/" + (*pod)["metadata"].value("name", "") +
                   "\n");
    }
    if (auto err = add_targets(*pod, f, container, env.out, targets)) return report_error(env.out, *err);
  }
  const bool follow = f.get_bool("follow");
  if (follow && targets.size() > 1 && static_cast<long long>(targets.size()) > f.get_int("max-log-requests"))
    return report_error(env.out, CmdError::msg("you are attempting to follow " + std::to_string(targets.size()) +
                                               " log streams, but maximum allowed concurrency is " +
                                               std::to_string(f.get_int("max-log-requests")) +
                                               ", use --max-log-requests to increase the limit"));
  const RestMapping& m = pods_mapping();
  const bool prefix = f.get_bool("prefix");
  for (const auto& t : targets) {
    std::string path = ResourceBuilder::path_for(m, *ns, t.pod) + "/log" +
                       ResourceBuilder::encode_query(log_query(f, t.container, !selector.empty(), since_seconds));
    const std::string line_prefix = prefix ? "[pod/" + t.pod + "/" + t.container + "] " : "";
    auto copy = [&](const std::string& line) {
      env.out += line_prefix + line + "\n";
      flush_stdout(env.out);
      return true;
    };
    // Without --follow the whole body is the log; with it, lines are copied as they come.
    auto r = !follow ? (*client)->get(path, "application/json, */*") : (*client)->get_lines(path, "application/json, */*", copy);
    if (!r.ok()) return report_error(env.out, r.error());
    if (r->status != 200) {
      CmdError e = status_error_from_response(r->status, r->body);
      if (f.get_bool("ignore-errors")) continue;
      return report_error(env.out, e);
    }
    if (follow) continue;
    if (line_prefix.empty()) {
      env.out += r->body;
      continue;
    }
    size_t start = 0;
    while (start < r->body.size()) {
      size_t nl = r->body.find('\n', start);
      copy(r->body.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
      start = nl == std::string::npos ? r->body.size() : nl + 1;
    }
  }
  return 0;
}

}  // namespace kapi::client
