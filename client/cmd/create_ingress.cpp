// `create ingress NAME --rule=host/path=service:port[,tls[=secret]] [--class=C]
// [--default-backend=svc:port] [--annotation=k=v]` (kubectl pkg/cmd/create/create_ingress.go):
// one networking.k8s.io/v1 Ingress; paths ending in '*' are Prefix, others Exact.
#include <nlohmann/json.hpp>
#include <regex>

#include "client/cmd/create_subcommand.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
    if (pos == std::string::npos) return out;
    start = pos + 1;
  }
}

std::optional<CmdError> validate(GeneratorContext& ctx) {
  const FlagSet& f = ctx.env.flags;
  auto rules = f.get_strings("rule");
  std::string default_backend = f.get_string("default-backend");
  if (default_backend.empty() && rules.empty())
    return CmdError::msg("not enough information provided: every ingress has to either specify a default-backend "
                         "(which catches all traffic) or a list of rules (which catch specific paths)");
  // ruleRegex, matched from the start only (Go's MatchString of an unanchored tail).
  static const std::regex kRule(R"(^[\w\*\-\.]*/.*=[\w\-]+:[\w\-]+(,tls=?[\w\-]+)?)");
  for (const auto& rule : rules)
    if (!std::regex_search(rule, kRule))
      return CmdError::msg("rule " + rule + " is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]");
  for (const auto& a : f.get_strings("annotation"))
    if (a.find('=') == std::string::npos)
      return CmdError::msg("annotation " + a + " is invalid and should be in format key=[value]");
  if (!default_backend.empty() && split(default_backend, ':').size() != 2)
    return CmdError::msg("default-backend should be in format servicename:serviceport");
  return std::nullopt;
}

// buildIngressBackendSvc: the port is a number when Atoi accepts it, else a name.
Json backend(const std::string& service) {
  auto parts = split(service, ':');
  std::string port = parts.size() > 1 ? parts[1] : "";
  Json p = Json::object();
  bool number = !port.empty() && port.find_first_not_of("0123456789") == std::string::npos && port.size() < 10;
  if (number) p["number"] = std::stoi(port);
  else p["name"] = port;
  return {{"service", {{"name", parts[0]}, {"port", p}}}};
}

Json tls_rules(const std::vector<std::string>& rules) {
  Json tls = Json::array();
  std::vector<std::string> hosts_seen;
  for (const auto& rule : rules) {
    auto parts = split(rule, ',');
    if (parts.size() != 2) continue;
    std::string host = rule.substr(0, rule.find('/'));
    auto secret_parts = split(parts[1], '=');
    std::string secret = secret_parts.size() > 1 ? secret_parts[1] : "";
    if (std::find(hosts_seen.begin(), hosts_seen.end(), host) != hosts_seen.end()) continue;
    hosts_seen.push_back(host);
    // A host joins the entry of the same secret (even an entry without one).
    auto same = std::find_if(tls.begin(), tls.end(), [&](const Json& t) { return t.value("secretName", "") == secret; });
    if (same != tls.end()) {
      if (!(*same).contains("hosts")) (*same)["hosts"] = Json::array();
      (*same)["hosts"].push_back(host);
      continue;
    }
    Json entry = Json::object();
    if (!host.empty()) entry["hosts"] = Json::array({host});
    if (!secret.empty()) entry["secretName"] = secret;
    if (!entry.empty()) tls.push_back(entry);
  }
  return tls;
}

Json ingress_rules(const std::vector<std::string>& rules) {
  Json out = Json::array();
  for (const auto& rule : rules) {
    std::string no_tls = rule.substr(0, rule.find(','));
    size_t slash = no_tls.find('/');
    std::string host = no_tls.substr(0, slash);
    auto pathsvc = split(no_tls.substr(slash + 1), '=');
    std::string path = "/" + pathsvc[0];
    std::string type = "Exact";
    if (path.back() == '*') {
      type = "Prefix";
      path.pop_back();
    }
    Json p = {{"path", path}, {"pathType", type}, {"backend", backend(pathsvc.size() > 1 ? pathsvc[1] : "")}};
    auto same = std::find_if(out.begin(), out.end(), [&](const Json& r) { return r.value("host", "") == host; });
    if (same != out.end()) {
      (*same)["http"]["paths"].push_back(p);
      continue;
    }
    Json r = Json::object();
    if (!host.empty()) r["host"] = host;
    r["http"] = {{"paths", Json::array({p})}};
    out.push_back(r);
  }
  return out;
}

std::optional<CmdError> generate(GeneratorContext& ctx, Json& out) {
  const FlagSet& f = ctx.env.flags;
  Json meta = {{"name", ctx.name}};
  if (ctx.enforce_namespace) meta["namespace"] = ctx.namespace_;
  Json annotations = Json::object();
  for (const auto& a : f.get_strings("annotation")) annotations[a.substr(0, a.find('='))] = a.substr(a.find('=') + 1);
  if (!annotations.empty()) meta["annotations"] = annotations;
  Json spec = Json::object();
  if (!f.get_string("class").empty()) spec["ingressClassName"] = f.get_string("class");
  if (!f.get_string("default-backend").empty()) spec["defaultBackend"] = backend(f.get_string("default-backend"));
  auto rules = f.get_strings("rule");
  spec["tls"] = tls_rules(rules);
  spec["rules"] = ingress_rules(rules);
  out = {{"apiVersion", "networking.k8s.io/v1"}, {"kind", "Ingress"}, {"metadata", meta}, {"spec", spec}};
  return std::nullopt;
}

const CreateGenerator kIngress{"networking.k8s.io/v1", "Ingress", "ingresses", true, "failed to create ingress: ",
                               validate, generate};

}  // namespace

void add_create_ingress_flags(FlagSet& f) {
  add_create_common_flags(f);
  f.add_string_array("annotation", 0);
  f.add_string("class", 0, "");
  f.add_string("default-backend", 0, "");
  f.add_string_array("rule", 0);
}
int run_create_ingress(CommandEnv& env) { return run_create_generator(env, kIngress); }

}  // namespace kapi::client
