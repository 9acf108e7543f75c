// `create service clusterip|nodeport|loadbalancer|externalname NAME` (kubectl
// pkg/cmd/create/create_service.go): one generator, four service types.
#include <nlohmann/json.hpp>

#include "client/cmd/create_subcommand.h"
#include "pkg/machinery/go_strconv.h"
#include "pkg/machinery/names.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string service_type(const GeneratorContext& ctx) {
  const std::string& p = ctx.env.path;
  if (p.ends_with("nodeport")) return "NodePort";
  if (p.ends_with("loadbalancer")) return "LoadBalancer";
  if (p.ends_with("externalname")) return "ExternalName";
  return "ClusterIP";
}

std::optional<CmdError> validate(GeneratorContext& ctx) {
  const FlagSet& f = ctx.env.flags;
  std::string type = service_type(ctx);
  std::string cluster_ip = f.get_string("clusterip");
  if (cluster_ip == "None" && type != "ClusterIP")
    return CmdError::msg("ClusterIP=None can only be used with ClusterIP service type");
  if (cluster_ip != "None" && f.get_strings("tcp").empty() && type != "ExternalName")
    return CmdError::msg("at least one tcp port specifier must be provided");
  if (type == "ExternalName" && !machinery::is_dns1123_subdomain(f.get_string("external-name")).empty())
    return CmdError::msg("invalid service external name " + f.get_string("external-name"));
  return std::nullopt;
}

// parsePorts: "port[:targetPort]"; targetPort is a number or a port name.
std::optional<CmdError> parse_ports(const std::string& spec, Json& port_out) {
  std::string first = spec.substr(0, spec.find(':'));
  auto port = machinery::gofmt::parse_int64(first);
  bool digits = !first.empty() && first.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) return CmdError::msg("strconv.ParseUint: parsing \"" + first + "\": invalid syntax");
  if (!port || *port > 65535) return CmdError::msg("strconv.ParseUint: parsing \"" + first + "\": value out of range");
  port_out["port"] = *port;
  if (spec.find(':') == std::string::npos) {
    port_out["targetPort"] = *port;
    return std::nullopt;
  }
  std::string target = spec.substr(spec.find(':') + 1);
  target = target.substr(0, target.find(':'));
  auto num = machinery::gofmt::parse_int64(target);
  bool numeric = num && !target.empty() && target.find_first_not_of("+-0123456789") == std::string::npos;
  if (!numeric) {
    auto errs = machinery::is_valid_port_name(target);
    if (!errs.empty()) return CmdError::msg(join(errs, ","));
    port_out["targetPort"] = target;
  } else {
    auto errs = machinery::is_valid_port_num(*num);
    if (!errs.empty()) return CmdError::msg(join(errs, ","));
    port_out["targetPort"] = *num;
  }
  return std::nullopt;
}

std::optional<CmdError> generate(GeneratorContext& ctx, Json& out) {
  const FlagSet& f = ctx.env.flags;
  Json ports = Json::array();
  for (const auto& tcp : f.get_strings("tcp")) {
    std::string name = tcp;
    for (auto& c : name)
      if (c == ':') c = '-';
    Json p = {{"name", name}, {"protocol", "TCP"}};
    if (auto err = parse_ports(tcp, p)) return err;
    p["nodePort"] = f.find("node-port") ? f.get_int("node-port") : 0;
    ports.push_back(std::move(p));
  }
  Json labels = {{"app", ctx.name}};
  out = {{"apiVersion", "v1"},
         {"kind", "Service"},
         {"metadata", {{"name", ctx.name}, {"labels", labels}}},
         {"spec", {{"type", service_type(ctx)}, {"selector", labels}, {"ports", ports}}}};
  if (f.find("external-name")) out["spec"]["externalName"] = f.get_string("external-name");
  if (!f.get_string("clusterip").empty()) out["spec"]["clusterIP"] = f.get_string("clusterip");
  if (ctx.enforce_namespace) out["metadata"]["namespace"] = ctx.namespace_;
  return std::nullopt;
}

const CreateGenerator kClusterIP{"v1", "Service", "services", true, "failed to create ClusterIP service: ", validate,
                                 generate};
const CreateGenerator kNodePort{"v1", "Service", "services", true, "failed to create NodePort service: ", validate,
                                generate};
const CreateGenerator kLoadBalancer{"v1", "Service", "services", true, "failed to create LoadBalancer service: ",
                                    validate, generate};
const CreateGenerator kExternalName{"v1", "Service", "services", true, "failed to create ExternalName service: ",
                                    validate, generate};

}  // namespace

void add_create_service_clusterip_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_string("clusterip", 0, "");
  f.add_string_slice("tcp", 0);
}
int run_create_service_clusterip(CommandEnv& env) { return run_create_generator(env, kClusterIP); }

void add_create_service_nodeport_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_int("node-port", 0, 0);
  f.add_string_slice("tcp", 0);
}
int run_create_service_nodeport(CommandEnv& env) { return run_create_generator(env, kNodePort); }

void add_create_service_loadbalancer_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_string_slice("tcp", 0);
}
int run_create_service_loadbalancer(CommandEnv& env) { return run_create_generator(env, kLoadBalancer); }

void add_create_service_externalname_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_string("external-name", 0, "");
  f.add_string_slice("tcp", 0);
}
int run_create_service_externalname(CommandEnv& env) { return run_create_generator(env, kExternalName); }

}  // namespace kapi::client
