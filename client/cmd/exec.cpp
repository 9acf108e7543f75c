// `kapi exec` (kubectl pkg/cmd/exec): resolve the pod, then exec_in_pod (pod_stream.h).
#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/pod_stream.h"
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
  ExecRequest req;
  req.container = f.get_string("container");
  req.command = std::move(command);
  req.stdin = f.get_bool("stdin");
  req.tty = f.get_bool("tty");
  req.quiet = f.get_bool("quiet");
  return report_error(env.out, exec_in_pod(env, **client, *ns, *pod, req));
}

}  // namespace kapi::client
