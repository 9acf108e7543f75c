#pragma once
// Streams into a pod (exec, attach, portforward) as far as kapi takes them. kubectl upgrades
// these requests (a websocket, then SPDY with a POST); kapi sends the SPDY fallback's POST
// without upgrading, which is all a server without kubelets answers ("pod x does not have a
// host assigned"). Streaming itself is not implemented.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/errors.h"

namespace kapi::client {

class RestClient;
struct CommandEnv;

// POST .../pods/<name>/<subresource>?<query>: the error client-go's SPDY round tripper reports
// for a refused upgrade (the Status the server answered, else "unable to upgrade connection:
// <body>"), or kapi's own error when the server accepts.
CmdError open_pod_stream(RestClient& client, const std::string& ns, const std::string& name,
                         const std::string& subresource,
                         const std::vector<std::pair<std::string, std::string>>& query);

// kubectl's ExecOptions.Run for an already fetched pod (exec, and cp's tar).
struct ExecRequest {
  std::string container;  // empty: the default container, with kubectl's notice
  std::vector<std::string> command;
  bool stdin = false;
  bool tty = false;
  bool quiet = false;
  bool notices_to_stdout = false;  // cp from a pod gives exec its stdout as the error stream
};
CmdError exec_in_pod(CommandEnv& env, RestClient& client, const std::string& ns, const nlohmann::ordered_json& pod,
                     const ExecRequest& req);

}  // namespace kapi::client
