// `kapi exec` (kubectl pkg/cmd/exec): GET the pod, pick the container, then request
// .../exec. kubectl first tries a websocket upgrade and falls back to SPDY with a POST; kapi
// sends that POST without upgrading, which is all a server without a kubelet answers (400 "pod
// ... does not have a host assigned"). Streaming into a running container is not implemented.
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/pod_target.h"
#include "client/factory.h"
#include "client/resource_builder.h"

namespace kapi::client {

void add_exec_flags(FlagSet& flags) {
  flags.add_string("container", 'c', "");
  flags.add_string_slice("filename", 'f');
  flags.add_bool("stdin", 'i', false);
  flags.add_bool("tty", 't', false);
  flags.add_bool("quiet", 'q', false);
  flags.add_duration("pod-running-timeout", "1m0s");
}

int run_exec(CommandEnv& env) {
  const FlagSet& f = env.flags;
  const std::string program = env.factory.program();
  const int dash = f.args_len_at_dash();
  if (env.args.empty() || dash == 0)
    return report_error(env.out, CmdError::msg("pod, type/name or --filename must be specified"));
  if (dash < 0 && env.args.size() > 1)
    return report_error(env.out, CmdError::msg("exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- "
                                               "[COMMAND] instead\nSee '" + program + " exec -h' for help and examples"));
  std::vector<std::string> command(env.args.begin() + 1, env.args.end());
  if (command.empty())
    return report_error(env.out, CmdError::msg("you must specify at least one command for the container"));
  auto ns = env.factory.client_config().namespace_for_request();
  if (!ns.ok()) return report_error(env.out, ns.error());
  auto client = env.factory.rest_client();
  if (!client.ok()) return report_error(env.out, client.error());
  auto timeout = parse_seconds(f.get_string("pod-running-timeout"));
  if (!timeout || *timeout <= 0)
    return report_error(env.out, CmdError::msg("--pod-running-timeout must be higher than zero\nSee '" + program +
                                               " exec -h' for help and examples"));
  // A bare name is a pod; TYPE/NAME stands for the most active of its pods.
  const std::string target = env.args[0];
  size_t candidates = 1;
  auto pod = pod_for_object(env, *ns, target.find('/') == std::string::npos ? "pods/" + target : target,
                            PodOrder::kMostActive, *timeout, "cannot attach to", &candidates);
  if (!pod.ok()) return report_error(env.out, pod.error());
  const std::string name = (*pod)["metadata"].value("name", "");
  std::string phase = pod->value("status", nlohmann::ordered_json::object()).value("phase", "");
  if (phase == "Succeeded" || phase == "Failed")
    return report_error(env.out, CmdError::msg("cannot exec into a container in a completed pod; current phase is " + phase));
  std::string container = f.get_string("container");
  const bool quiet = f.get_bool("quiet");
  auto chosen = pod_container(*pod, container, env.out, quiet);
  // An unknown -c name goes to the server as given, as kubectl does.
  std::string c = chosen ? *chosen : container;

  // A TTY needs -i and a terminal on stdin; -t alone is dropped silently.
  bool tty = f.get_bool("tty") && f.get_bool("stdin");
  if (tty && !::isatty(0)) {
    tty = false;
    if (!quiet) {
      flush_stdout(env.out);
      write_stderr("Unable to use a TTY - input is not a terminal or the right kind of file\n");
    }
  }
  std::vector<std::pair<std::string, std::string>> q;
  for (const auto& arg : command) q.emplace_back("command", arg);
  q.emplace_back("container", c);
  q.emplace_back("stderr", "true");
  if (f.get_bool("stdin")) q.emplace_back("stdin", "true");
  q.emplace_back("stdout", "true");
  if (tty) q.emplace_back("tty", "true");
  const RestMapping& m = pods_mapping();
  std::string path = ResourceBuilder::path_for(m, *ns, name) + "/exec" + ResourceBuilder::encode_query(q);
  auto r = (*client)->send("POST", path, "", "");
  if (!r.ok()) return report_error(env.out, r.error());
  if (r->status >= 200 && r->status < 300)
    return report_error(env.out, CmdError::msg("kapi does not implement streaming exec sessions yet"));
  return report_error(env.out, status_error_from_response(r->status, r->body));
}

}  // namespace kapi::client
