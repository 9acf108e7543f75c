// `kapi attach` (kubectl pkg/cmd/attach): resolve the pod (POD, TYPE/NAME or TYPE NAME), pick the
// container, settle the TTY as kubectl does (the container's own tty setting wins), then ask for
// the stream (pod_stream.h). kubectl does not wait for a Pending pod: the server refuses it.
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/pod_stream.h"
#include "client/cmd/pod_target.h"
#include "client/factory.h"

namespace kapi::client {

using Json = nlohmann::ordered_json;

void add_attach_flags(FlagSet& flags) {
  flags.add_duration("pod-running-timeout", "1m0s");
  flags.add_string("container", 'c', "");
  flags.add_bool("stdin", 'i', false);
  flags.add_bool("tty", 't', false);
  flags.add_bool("quiet", 'q', false);
}

int run_attach(CommandEnv& env) {
  const FlagSet& f = env.flags;
  auto ns = env.factory.client_config().namespace_for_request();
  if (!ns.ok()) return report_error(env.out, ns.error());
  auto timeout = parse_seconds(f.get_string("pod-running-timeout"));
  if (!timeout || *timeout <= 0)
    return report_error(env.out, CmdError::msg("--pod-running-timeout must be higher than zero\nSee '" +
                                               env.factory.program() + " attach -h' for help and examples"));
  if (env.args.empty()) return report_error(env.out, CmdError::msg("at least 1 argument is required for attach"));
  if (env.args.size() > 2) {
    std::string list;
    for (const auto& a : env.args) list += (list.empty() ? "" : " ") + a;
    return report_error(env.out, CmdError::msg("expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw " +
                                               std::to_string(env.args.size()) + ": [" + list + "]"));
  }
  auto client = env.factory.rest_client();
  if (!client.ok()) return report_error(env.out, client.error());

  std::string target = env.args.size() == 2 ? env.args[0] + "/" + env.args[1] : env.args[0];
  if (env.args.size() == 1 && target.find('/') == std::string::npos) target = "pods/" + target;
  size_t candidates = 1;
  auto pod = pod_for_object(env, *ns, target, PodOrder::kMostActive, *timeout, "cannot attach to", &candidates);
  if (!pod.ok()) return report_error(env.out, pod.error());
  const std::string name = (*pod)["metadata"].value("name", "");
  std::string phase = pod->value("status", Json::object()).value("phase", "");
  if (phase == "Succeeded" || phase == "Failed")
    return report_error(env.out, CmdError::msg("cannot attach a container in a completed pod; current phase is " + phase));

  const bool quiet = f.get_bool("quiet"), stdin = f.get_bool("stdin");
  auto container = pod_container(*pod, f.get_string("container"), env.out, quiet);
  if (!container)
    return report_error(env.out, CmdError::msg("cannot attach to the container: container " + f.get_string("container") +
                                               " not found in pod " + name));
  // The container's tty setting wins over -t.
  bool container_tty = false;
  for (const auto* key : {"containers", "initContainers", "ephemeralContainers"})
    for (const auto& c : pod->value("spec", Json::object()).value(key, Json::array()))
      if (c.value("name", "") == *container) container_tty = c.value("tty", false);
  bool tty = f.get_bool("tty");
  if (tty && !container_tty) {
    tty = false;
    if (!quiet) {
      flush_stdout(env.out);
      write_stderr("error: Unable to use a TTY - container " + *container + " did not allocate one\n");
    }
  } else if (!tty && container_tty) {
    tty = true;
  }
  // SetupTTY: a TTY needs stdin, and stdin must be a terminal.
  if (!stdin) tty = false;
  if (tty && !::isatty(0)) {
    tty = false;
    if (!quiet) {
      flush_stdout(env.out);
      write_stderr("Unable to use a TTY - input is not a terminal or the right kind of file\n");
    }
  }
  if (!quiet) {
    flush_stdout(env.out);
    write_stderr("If you don't see a command prompt, try pressing enter.\n");
  }
  // PodAttachOptions as query parameters; a raw terminal carries stderr on stdout.
  std::vector<std::pair<std::string, std::string>> q{{"container", *container}};
  if (!tty) q.emplace_back("stderr", "true");
  if (stdin) q.emplace_back("stdin", "true");
  q.emplace_back("stdout", "true");
  if (tty) q.emplace_back("tty", "true");
  return report_error(env.out, open_pod_stream(**client, *ns, name, "attach", q));
}

}  // namespace kapi::client
