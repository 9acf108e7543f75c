#include "client/cmd/pod_stream.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "client/cmd/command.h"
#include "client/cmd/pod_target.h"
#include "client/resource_builder.h"
#include "client/rest_client.h"

namespace kapi::client {

using Json = nlohmann::ordered_json;

CmdError open_pod_stream(RestClient& client, const std::string& ns, const std::string& name,
                         const std::string& subresource,
                         const std::vector<std::pair<std::string, std::string>>& query) {
  std::string path = ResourceBuilder::path_for(pods_mapping(), ns, name) + "/" + subresource +
                     ResourceBuilder::encode_query(query);
  auto r = client.send("POST", path, "", "");
  if (!r.ok()) return r.error();
  if (r->status >= 200 && r->status < 300)
    return CmdError::msg("kapi does not implement streaming " + subresource + " sessions yet");
  auto body = Json::parse(r->body, nullptr, false);
  if (body.is_object() && body.value("kind", "") == "Status") return status_error_from_response(r->status, r->body);
  // spdy.RoundTripper.NewConnection: the body, trimmed, when it is not a Status.
  std::string text = r->body;
  const char* ws = " \t\r\n\v\f";
  text.erase(0, text.find_first_not_of(ws) == std::string::npos ? text.size() : text.find_first_not_of(ws));
  text.erase(text.find_last_not_of(ws) + 1);
  return CmdError::msg("unable to upgrade connection: " + text);
}

CmdError exec_in_pod(CommandEnv& env, RestClient& client, const std::string& ns, const Json& pod,
                     const ExecRequest& req) {
  const std::string name = pod["metadata"].value("name", "");
  std::string phase = pod.value("status", Json::object()).value("phase", "");
  if (phase == "Succeeded" || phase == "Failed")
    return CmdError::msg("cannot exec into a container in a completed pod; current phase is " + phase);
  std::string container = req.container;
  if (container.empty()) {
    // An unknown -c name goes to the server as given, as kubectl does.
    auto chosen = pod_container(pod, container, env.out, req.quiet, req.notices_to_stdout);
    if (!chosen) return CmdError::msg("pod " + name + " does not have a container");
    container = *chosen;
  }
  // A TTY needs -i and a terminal on stdin; -t alone is dropped silently.
  bool tty = req.tty && req.stdin;
  if (tty && !::isatty(0)) {
    tty = false;
    if (!req.quiet) {
      const std::string notice = "Unable to use a TTY - input is not a terminal or the right kind of file\n";
      if (req.notices_to_stdout) {
        env.out += notice;
      } else {
        flush_stdout(env.out);
        write_stderr(notice);
      }
    }
  }
  std::vector<std::pair<std::string, std::string>> q;
  for (const auto& arg : req.command) q.emplace_back("command", arg);
  q.emplace_back("container", container);
  q.emplace_back("stderr", "true");
  if (req.stdin) q.emplace_back("stdin", "true");
  q.emplace_back("stdout", "true");
  if (tty) q.emplace_back("tty", "true");
  return open_pod_stream(client, ns, name, "exec", q);
}

}  // namespace kapi::client
