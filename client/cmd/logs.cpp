// `kapi logs` (kubectl pkg/cmd/logs): GET the pod, pick the container, then GET .../log with
// kubectl's query parameters and copy the body to stdout. Only pods are supported as targets
// (POD, pod/NAME); other TYPE/NAME forms are reported as not implemented once they exist.
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/pod_target.h"
#include "client/factory.h"
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

int run_logs(CommandEnv& env) {
  const FlagSet& f = env.flags;
  const std::string program = env.factory.program();
  if (env.args.empty() || env.args.size() > 2)
    return report_error(env.out, CmdError::msg("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or "
                                               "TYPE/NAME is a required argument for the logs command\nSee '" +
                                               program + " logs -h' for help and examples"));
  std::string container = f.get_string("container");
  if (env.args.size() == 2 && container.empty()) container = env.args[1];
  else if (env.args.size() == 2 && !container.empty())
    return report_error(env.out, CmdError::msg("only one of -c or an inline [CONTAINER] arg is allowed"));
  std::string target = env.args[0], name = target;
  if (auto slash = target.find('/'); slash != std::string::npos) {
    std::string type = target.substr(0, slash);
    name = target.substr(slash + 1);
    if (type != "pod" && type != "pods" && type != "po")
      return report_error(env.out, CmdError::msg("kapi does not implement \"logs " + type + "/NAME\" yet"));
  }
  auto ns = env.factory.client_config().namespace_for_request();
  if (!ns.ok()) return report_error(env.out, ns.error());
  auto client = env.factory.rest_client();
  if (!client.ok()) return report_error(env.out, client.error());
  auto pod = get_pod(**client, *ns, name);
  if (!pod.ok()) {
    const CmdError& e = pod.error();
    if (e.kind == CmdError::Kind::kStatus && e.reason == "NotFound")
      return report_error(env.out, CmdError::msg("error from server (NotFound): " + e.message + " in namespace \"" +
                                                 *ns + "\""));
    return report_error(env.out, e);
  }
  auto chosen = pod_container(*pod, container, env.out);
  if (!chosen)
    return report_error(env.out, CmdError::msg("container " + container + " is not valid for pod " + name));

  std::vector<std::pair<std::string, std::string>> q = {{"container", *chosen}};
  if (f.get_bool("follow")) q.emplace_back("follow", "true");
  if (f.get_bool("previous")) q.emplace_back("previous", "true");
  if (f.get_bool("timestamps")) q.emplace_back("timestamps", "true");
  if (f.get_int("tail") >= 0) q.emplace_back("tailLines", std::to_string(f.get_int("tail")));
  if (f.get_int("limit-bytes") > 0) q.emplace_back("limitBytes", std::to_string(f.get_int("limit-bytes")));
  if (!f.get_string("since-time").empty()) q.emplace_back("sinceTime", f.get_string("since-time"));
  if (f.get_bool("insecure-skip-tls-verify-backend")) q.emplace_back("insecureSkipTLSVerifyBackend", "true");
  RestMapping m;
  m.resource.version = "v1";
  m.resource.name = "pods";
  m.resource.namespaced = true;
  std::string path = ResourceBuilder::path_for(m, *ns, name) + "/log" + ResourceBuilder::encode_query(q);
  // Without --follow the whole body is the log; with it, lines are copied as they come.
  auto r = !f.get_bool("follow") ? (*client)->get(path, "application/json, */*")
                                 : (*client)->get_lines(path, "application/json, */*", [&](const std::string& line) {
                                     env.out += line + "\n";
                                     flush_stdout(env.out);
                                     return true;
                                   });
  if (!r.ok()) return report_error(env.out, r.error());
  if (r->status != 200) return report_error(env.out, status_error_from_response(r->status, r->body));
  if (!f.get_bool("follow")) env.out += r->body;
  return 0;
}

}  // namespace kapi::client
