// `kapi port-forward` (kubectl pkg/cmd/portforward and client-go tools/portforward): resolve the
// pod, translate the ports (a Service's port to its target container port, a named port to its
// number; UDP ports refused), require a Running pod, check the listen addresses and the port
// numbers, then ask for the stream (pod_stream.h). Listening and forwarding are not implemented.
#include <arpa/inet.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>

#include "client/cmd/command.h"
#include "client/cmd/pod_stream.h"
#include "client/cmd/pod_target.h"
#include "client/factory.h"
#include "client/rest_client.h"
#include "pkg/machinery/go_format.h"
#include "pkg/machinery/go_strconv.h"

namespace kapi::client {

namespace {

using Json = nlohmann::ordered_json;

// strings.Split(port, ":").
std::vector<std::string> colon_parts(const std::string& port) {
  std::vector<std::string> parts;
  size_t start = 0, colon;
  while ((colon = port.find(':', start)) != std::string::npos) {
    parts.push_back(port.substr(start, colon - start));
    start = colon + 1;
  }
  parts.push_back(port.substr(start));
  return parts;
}

// splitPort: "[LOCAL:]REMOTE"; anything but two parts is its first part twice.
std::pair<std::string, std::string> split_port(const std::string& port) {
  std::vector<std::string> parts = colon_parts(port);
  if (parts.size() == 2) return {parts[0], parts[1]};
  return {parts[0], parts[0]};
}

// strconv.Atoi.
std::optional<int64_t> atoi(const std::string& s) { return machinery::gofmt::parse_int64(s); }

std::string name_of(const Json& obj) { return obj.value("metadata", Json::object()).value("name", ""); }

// util.LookupContainerPortNumberByName (regular containers only).
Result<int64_t> container_port_by_name(const Json& pod, const std::string& name) {
  for (const auto& c : pod.value("spec", Json::object()).value("containers", Json::array()))
    for (const auto& p : c.value("ports", Json::array()))
      if (p.value("name", "") == name) return p.value("containerPort", int64_t{0});
  return CmdError::msg("Pod '" + name_of(pod) + "' does not have a named port '" + name + "'");
}

// util.LookupServicePortNumberByName.
Result<int64_t> service_port_by_name(const Json& svc, const std::string& name) {
  for (const auto& p : svc.value("spec", Json::object()).value("ports", Json::array()))
    if (p.value("name", "") == name) return p.value("port", int64_t{0});
  return CmdError::msg("Service '" + name_of(svc) + "' does not have a named port '" + name + "'");
}

// util.LookupContainerPortNumberByServicePort.
Result<int64_t> container_port_by_service_port(const Json& svc, const Json& pod, int32_t port) {
  const Json spec = svc.value("spec", Json::object());
  for (const auto& p : spec.value("ports", Json::array())) {
    if (p.value("port", int64_t{0}) != port) continue;
    if (spec.value("clusterIP", "") == "None") return port;
    const Json target = p.value("targetPort", Json());
    if (target.is_string()) return container_port_by_name(pod, target.get<std::string>());
    int64_t t = target.is_number_integer() ? target.get<int64_t>() : 0;
    return t == 0 ? p.value("port", int64_t{0}) : t;  // an omitted targetPort is the port
  }
  return CmdError::msg("Service " + name_of(svc) + " does not have a service port " + std::to_string(port));
}

// checkUDPPortInService / checkUDPPortInPod: ports only served over UDP cannot be forwarded.
std::optional<CmdError> check_udp(const std::vector<std::string>& ports, const Json& obj, bool service) {
  std::set<int64_t> udp, tcp;
  auto note = [&](const Json& p, const char* key) {
    std::string proto = p.value("protocol", "");
    if (proto == "UDP") udp.insert(p.value(key, int64_t{0}));
    if (proto == "TCP") tcp.insert(p.value(key, int64_t{0}));
  };
  const Json spec = obj.value("spec", Json::object());
  if (service) {
    for (const auto& p : spec.value("ports", Json::array())) note(p, "port");
  } else {
    for (const auto& c : spec.value("containers", Json::array()))
      for (const auto& p : c.value("ports", Json::array())) note(p, "containerPort");
  }
  for (const auto& port : ports) {
    const std::string remote = split_port(port).second;
    auto num = atoi(remote);
    if (!num) {
      auto named = service ? service_port_by_name(obj, remote) : container_port_by_name(obj, remote);
      if (!named.ok()) return named.error();
      num = *named;
    }
    if (udp.count(*num) && !tcp.count(*num)) return CmdError::msg("UDP protocol is not supported for " + remote);
  }
  return std::nullopt;
}

// translateServicePortToTargetPort.
Result<std::vector<std::string>> translate_service_ports(const std::vector<std::string>& ports, const Json& svc,
                                                         const Json& pod) {
  std::vector<std::string> out;
  for (const auto& port : ports) {
    auto [local, remote] = split_port(port);
    auto num = atoi(remote);
    if (!num) {
      auto svc_port = service_port_by_name(svc, remote);
      if (!svc_port.ok()) return svc_port.error();
      num = *svc_port;
      if (local == remote) local = std::to_string(*num);
    }
    auto container_port = container_port_by_service_port(svc, pod, static_cast<int32_t>(*num));
    if (!container_port.ok()) return container_port.error();
    remote = std::to_string(*container_port);
    out.push_back(local != remote ? local + ":" + remote : remote);
  }
  return out;
}

// convertPodNamedPortToNumber.
Result<std::vector<std::string>> convert_pod_ports(const std::vector<std::string>& ports, const Json& pod) {
  std::vector<std::string> out;
  for (const auto& port : ports) {
    auto [local, remote] = split_port(port);
    if (remote.empty()) return CmdError::msg("remote port cannot be empty");
    std::string number = remote;
    if (!atoi(remote)) {
      auto named = container_port_by_name(pod, remote);
      if (!named.ok()) return named.error();
      number = std::to_string(*named);
    }
    out.push_back(local != remote ? local + ":" + number : number);
  }
  return out;
}

// netutils.ParseIPSloppy: IPv4 parts may carry leading zeros.
bool parses_as_ip(const std::string& s) {
  if (s.find(':') != std::string::npos) {
    in6_addr a6;
    return ::inet_pton(AF_INET6, s.c_str(), &a6) == 1;
  }
  size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
    size_t start = i;
    uint64_t n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && n < 0xFFFFFF) n = n * 10 + static_cast<uint64_t>(s[i++] - '0');
    if (i == start || n > 0xFF) return false;
  }
  return i == s.size();
}

// strconv.ParseUint(s, 10, 16), as the error text client-go wraps.
std::optional<std::string> parse_port_error(const std::string& s, uint64_t& out) {
  auto fail = [&](const char* why) {
    return "strconv.ParseUint: parsing " + machinery::gofmt::quote(s) + ": " + why;
  };
  if (s.empty()) return fail("invalid syntax");
  uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return fail("invalid syntax");
    n = n * 10 + static_cast<uint64_t>(c - '0');
    if (n > 0xFFFF) return fail("value out of range");
  }
  out = n;
  return std::nullopt;
}

// portforward.parsePorts on the translated ports.
std::optional<CmdError> check_ports(const std::vector<std::string>& ports) {
  for (const auto& port : ports) {
    std::vector<std::string> parts = colon_parts(port);
    if (parts.size() > 2) return CmdError::msg("invalid port format '" + port + "'");
    std::string local = parts[0], remote = parts.back();
    if (parts.size() == 2 && local.empty()) local = "0";  // ":5000" picks a free local port
    uint64_t l = 0, r = 0;
    if (auto e = parse_port_error(local, l)) return CmdError::msg("error parsing local port '" + local + "': " + *e);
    if (auto e = parse_port_error(remote, r)) return CmdError::msg("error parsing remote port '" + remote + "': " + *e);
    if (r == 0) return CmdError::msg("remote port must be > 0");
  }
  return std::nullopt;
}

}  // namespace

void add_port_forward_flags(FlagSet& flags) {
  flags.add_string_slice("address", 0);
  flags.add_duration("pod-running-timeout", "1m0s");
}

int run_port_forward(CommandEnv& env) {
  const FlagSet& f = env.flags;
  const std::string usage = "\nSee '" + env.factory.program() + " port-forward -h' for help and examples";
  if (env.args.size() < 2)
    return report_error(env.out, CmdError::msg("TYPE/NAME and list of ports are required for port-forward" + usage));
  auto ns = env.factory.client_config().namespace_for_request();
  if (!ns.ok()) return report_error(env.out, ns.error());
  auto timeout = parse_seconds(f.get_string("pod-running-timeout"));
  if (!timeout || *timeout <= 0)
    return report_error(env.out, CmdError::msg("--pod-running-timeout must be higher than zero" + usage));
  auto client = env.factory.rest_client();
  if (!client.ok()) return report_error(env.out, client.error());

  const std::string target = env.args[0];
  size_t candidates = 1;
  Json object;
  auto pod = pod_for_object(env, *ns, target.find('/') == std::string::npos ? "pods/" + target : target,
                            PodOrder::kMostActive, *timeout, "cannot attach to", &candidates, &object);
  if (!pod.ok()) return report_error(env.out, pod.error());
  const std::vector<std::string> specs(env.args.begin() + 1, env.args.end());
  const bool service = object.value("kind", "") == "Service";
  if (auto e = check_udp(specs, service ? object : *pod, service)) return report_error(env.out, *e);
  auto ports = service ? translate_service_ports(specs, object, *pod) : convert_pod_ports(specs, *pod);
  if (!ports.ok()) return report_error(env.out, ports.error());

  // RunPortForward reads the pod again.
  const std::string name = name_of(*pod);
  auto current = get_pod(**client, *ns, name);
  if (!current.ok()) return report_error(env.out, current.error());
  std::string phase = current->value("status", Json::object()).value("phase", "");
  if (phase != "Running")
    return report_error(env.out,
                        CmdError::msg("unable to forward port because pod is not running. Current status=" + phase));

  std::vector<std::string> addresses = f.changed("address") ? f.get_strings("address")
                                                            : std::vector<std::string>{"localhost"};
  if (addresses.empty()) return report_error(env.out, CmdError::msg("you must specify at least 1 address"));
  for (const auto& a : addresses)
    if (a != "localhost" && !parses_as_ip(a)) return report_error(env.out, CmdError::msg(a + " is not a valid IP"));
  if (auto e = check_ports(*ports)) return report_error(env.out, *e);

  CmdError e = open_pod_stream(**client, *ns, name, "portforward", {});
  if (e.kind == CmdError::Kind::kStatus || e.message.rfind("unable to upgrade connection: ", 0) == 0)
    e = CmdError::msg("error upgrading connection: " + e.message);
  return report_error(env.out, e);
}

}  // namespace kapi::client
