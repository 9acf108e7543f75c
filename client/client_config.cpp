#include "client/client_config.h"

#include <chrono>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "client/basic_auth_prompt.h"
#include "client/proxy_url.h"
#include "pkg/kubeconfig/loader.h"
#include "pkg/kubeconfig/types.h"
#include "pkg/machinery/duration.h"
#include "pkg/tls/file_util.h"

namespace kapi::client {
namespace {

// The whole file into `out`; false if it cannot be read.
bool read_whole_file(const std::string& path, std::string& out) {
  auto content = tls::read_file(path);
  if (!content.ok()) return false;
  out = std::move(*content);
  return true;
}


// Reads `path` into `out`; on failure the error as Go's os.ReadFile words it
// ("open <path>: no such file or directory").
std::optional<CmdError> read_go(const std::string& path, std::string& out) {
  auto content = tls::read_file(path);
  if (content.ok()) {
    out = std::move(*content);
    return std::nullopt;
  }
  std::string m = content.error().message;  // "open <path>: <strerror>"
  size_t at = std::string("open ").size() + path.size() + 2;
  if (at < m.size()) m[at] = static_cast<char>(std::tolower(static_cast<unsigned char>(m[at])));
  return CmdError::msg(m);
}

// clientcmd getUserIdentificationPartialConfig + the transport's choice between them: flags
// (--token, --client-certificate, --username...) override the user's fields one by one; a
// tokenFile is read now when there is no token, and re-read per request either way; the exec
// plugin only runs when nothing else identifies the user. `identified` tells whether anything
// does (clientcmd canIdentifyUser: a username, a certificate, a token, exec or auth provider).
std::optional<CmdError> user_credentials(const GlobalOptions& o, const kubeconfig::AuthInfo* user, RestConfig& rc,
                                         bool& identified) {
  std::string cert_file, key_file;
  if (!o.client_certificate.empty()) cert_file = o.client_certificate;
  else if (user && !user->client_certificate_data.empty()) rc.client_cert_pem = user->client_certificate_data;
  else if (user) cert_file = user->client_certificate;
  if (!o.client_key.empty()) key_file = o.client_key;
  else if (user && !user->client_key_data.empty()) rc.client_key_pem = user->client_key_data;
  else if (user) key_file = user->client_key;
  if (!cert_file.empty())
    if (auto err = read_go(cert_file, rc.client_cert_pem)) return err;
  if (!key_file.empty())
    if (auto err = read_go(key_file, rc.client_key_pem)) return err;
  std::string token = !o.token.empty() ? o.token : (user ? user->token : "");
  std::string token_file = user ? user->token_file : "";
  if (!token.empty()) {
    rc.bearer_token = token;
    rc.bearer_token_file = token_file;
  } else if (!token_file.empty()) {
    if (auto err = read_go(token_file, rc.bearer_token)) return err;
    rc.bearer_token_file = token_file;
  }
  rc.username = !o.username.empty() ? o.username : (user ? user->username : "");
  rc.password = !o.password.empty() ? o.password : (user ? user->password : "");
  bool has_token = !rc.bearer_token.empty() || !rc.bearer_token_file.empty();
  bool has_basic = !rc.username.empty() || !rc.password.empty();
  bool has_cert = !rc.client_cert_pem.empty() && !rc.client_key_pem.empty();
  identified = !rc.username.empty() || !cert_file.empty() || !rc.client_cert_pem.empty() || !rc.bearer_token.empty() ||
               (user && (user->exec || user->auth_provider));
  if (user && user->exec && !has_token && !has_basic && !has_cert) {
    ExecProvider p;
    p.config = *user->exec;
    p.config.install_hint = clean_ansi_escape_codes(p.config.install_hint);
    rc.exec = std::move(p);
  }
  return std::nullopt;
}

// clientcmd validateAuthInfo.
std::vector<CmdError> validate_auth_info(const std::string& name, const kubeconfig::AuthInfo& a) {
  std::vector<CmdError> errs;
  auto add = [&](std::string m) { errs.push_back(CmdError::msg(std::move(m))); };
  std::vector<std::string> methods;
  if (!a.token.empty()) methods.push_back("token");
  if (!a.username.empty() || !a.password.empty()) methods.push_back("basicAuth");
  if (!a.client_certificate.empty() || !a.client_certificate_data.empty()) {
    if (!a.client_certificate.empty() && !a.client_certificate_data.empty())
      add("client-cert-data and client-cert are both specified for " + name + ". client-cert-data will override.");
    if (!a.client_key.empty() && !a.client_key_data.empty())
      add("client-key-data and client-key are both specified for " + name + "; client-key-data will override");
    if (a.client_key.empty() && a.client_key_data.empty())
      add("client-key-data or client-key must be specified for " + name +
          " to use the clientCert authentication method.");
    std::string dummy;
    if (!a.client_certificate.empty())
      if (auto err = read_go(a.client_certificate, dummy))
        add("unable to read client-cert " + a.client_certificate + " for " + name + " due to " + err->message);
    if (!a.client_key.empty())
      if (auto err = read_go(a.client_key, dummy))
        add("unable to read client-key " + a.client_key + " for " + name + " due to " + err->message);
  }
  if (a.exec) {
    if (a.auth_provider)
      add("authProvider cannot be provided in combination with an exec plugin for " + name);
    if (a.exec->command.empty()) add("command must be specified for " + name + " to use exec authentication plugin");
    if (a.exec->api_version.empty())
      add("apiVersion must be specified for " + name + " to use exec authentication plugin");
    for (const auto& v : a.exec->env)
      if (v.name.empty()) add("env variable name must be specified for " + name + " to use exec authentication plugin");
    const std::string& mode = a.exec->interactive_mode;
    if (mode.empty()) add("interactiveMode must be specified for " + name + " to use exec authentication plugin");
    else if (mode != "Never" && mode != "IfAvailable" && mode != "Always")
      add("invalid interactiveMode for " + name + ": \"" + mode + "\"");
  }
  if (methods.size() > 1) {
    std::string list;
    for (const auto& m : methods) list += (list.empty() ? "" : " ") + m;
    add("more than one authentication method found for " + name + "; found [" + list + "], only one is allowed");
  }
  if ((!a.impersonate_uid.empty() || !a.impersonate_groups.empty() || !a.impersonate_extra.empty()) &&
      a.impersonate.empty())
    add("requesting uid, groups or user-extra for " + name + " without impersonating a user");
  return errs;
}

}  // namespace

std::string default_cache_dir() {
  if (const char* d = std::getenv("KUBECACHEDIR"); d && *d) return d;
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "") + "/.kube/cache";
}

void register_global_flags(FlagSet& f) {
  f.add_string("as", 0, "");
  f.add_string_array("as-group", 0);
  f.add_string("as-uid", 0, "");
  f.add_string("cache-dir", 0, default_cache_dir());
  f.add_string("certificate-authority", 0, "");
  f.add_string("client-certificate", 0, "");
  f.add_string("client-key", 0, "");
  f.add_string("cluster", 0, "");
  f.add_string("context", 0, "");
  f.add_bool("disable-compression", 0, false);
  f.add_bool("insecure-skip-tls-verify", 0, false);
  f.add_string("kubeconfig", 0, "");
  f.add_string("log-flush-frequency", 0, "5s");
  f.add_bool("match-server-version", 0, false);
  f.add_string("namespace", 'n', "");
  f.add_string("password", 0, "");
  f.add_string("profile", 0, "none");
  f.add_string("profile-output", 0, "profile.pprof");
  f.add_string("request-timeout", 0, "0");
  f.add_string("server", 's', "");
  f.add_string("tls-server-name", 0, "");
  f.add_string("token", 0, "");
  f.add_string("user", 0, "");
  f.add_string("username", 0, "");
  f.add_int("v", 'v', 0);
  f.add_string("vmodule", 0, "");
  f.add_bool("warnings-as-errors", 0, false);
  f.add_bool("help", 'h', false);
}

GlobalOptions global_options_from(const FlagSet& f) {
  GlobalOptions o;
  o.kubeconfig = f.get_string("kubeconfig");
  o.context = f.get_string("context");
  o.cluster = f.get_string("cluster");
  if (!f.shadowed("user")) o.user = f.get_string("user");
  o.server = f.get_string("server");
  o.certificate_authority = f.get_string("certificate-authority");
  o.client_certificate = f.get_string("client-certificate");
  o.client_key = f.get_string("client-key");
  o.token = f.get_string("token");
  o.tls_server_name = f.get_string("tls-server-name");
  o.username = f.get_string("username");
  o.password = f.get_string("password");
  o.as = f.get_string("as");
  o.as_uid = f.get_string("as-uid");
  o.as_groups = f.get_strings("as-group");
  if (f.changed("namespace")) o.namespace_ = f.get_string("namespace");
  o.insecure_skip_tls_verify = f.get_bool("insecure-skip-tls-verify");
  o.disable_compression = f.get_bool("disable-compression");
  o.request_timeout = f.get_string("request-timeout");
  o.cache_dir = f.get_string("cache-dir");
  o.verbosity = static_cast<int>(f.get_int("v"));
  return o;
}

std::optional<double> parse_request_timeout(const std::string& text) {
  // cli-runtime: an integer alone means seconds; otherwise time.ParseDuration.
  bool all_digits = !text.empty();
  for (char c : text) all_digits &= c >= '0' && c <= '9';
  if (all_digits) return std::strtod(text.c_str(), nullptr);
  auto d = machinery::parse_go_duration(text);
  if (!d.ok()) return std::nullopt;
  return std::chrono::duration<double>(*d).count();
}

std::string go_duration_string(double seconds) {
  long long ns = std::llround(seconds * 1e9);
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  unsigned long long u = ns < 0 ? -ns : ns;
  auto frac = [](unsigned long long v, int digits) {
    // v has `digits` fractional decimal digits; trailing zeros trimmed.
    std::string s = std::to_string(v);
    unsigned long long p = 1;
    for (int i = 0; i < digits; ++i) p *= 10;
    std::string ip = std::to_string(v / p);
    std::string fp = std::to_string(v % p);
    fp = std::string(digits - fp.size(), '0') + fp;
    while (!fp.empty() && fp.back() == '0') fp.pop_back();
    (void)s;
    return fp.empty() ? ip : ip + "." + fp;
  };
  if (u < 1000000000ULL) {
    if (u < 1000) return sign + std::to_string(u) + "ns";
    if (u < 1000000) return sign + frac(u, 3) + "\u00b5s";
    return sign + frac(u, 6) + "ms";
  }
  unsigned long long h = u / 3600000000000ULL;
  u -= h * 3600000000000ULL;
  unsigned long long m = u / 60000000000ULL;
  u -= m * 60000000000ULL;
  std::string out = sign;
  if (h > 0) out += std::to_string(h) + "h";
  if (h > 0 || m > 0) out += std::to_string(m) + "m";
  out += frac(u, 9) + "s";
  return out;
}

ClientConfig::ClientConfig(GlobalOptions options) : options_(std::move(options)) {}
ClientConfig::~ClientConfig() = default;

Result<const kubeconfig::Config*> ClientConfig::loaded() {
  if (config_) return static_cast<const kubeconfig::Config*>(config_.get());
  auto c = kubeconfig::load_default(options_.kubeconfig);
  if (!c.ok()) return CmdError::msg(c.error().message);
  config_ = std::make_unique<kubeconfig::Config>(std::move(c).value());
  return static_cast<const kubeconfig::Config*>(config_.get());
}

// clientcmd DirectClientConfig.ConfirmUsable: a named context that is missing, then the cluster's
// validity (server present, CA readable).
std::optional<CmdError> ClientConfig::confirm_usable() {
  auto cfg = loaded();
  if (!cfg.ok()) return cfg.error();
  const kubeconfig::Config& c = **cfg;
  std::vector<CmdError> errs;
  std::string context_name = !options_.context.empty() ? options_.context : c.current_context;
  const kubeconfig::Context* ctx = context_name.empty() ? nullptr : c.find_context(context_name);
  if (!context_name.empty() && !ctx) {
    errs.push_back(CmdError::config("context was not found for specified context: " + context_name));
  }
  {
    std::string auth_name = !options_.user.empty() ? options_.user : (ctx ? ctx->user : "");
    const kubeconfig::AuthInfo* ai = c.find_user(auth_name);
    kubeconfig::AuthInfo merged = ai ? *ai : kubeconfig::AuthInfo{};
    // mergo.Merge(WithOverride) of the flag overrides: only non-empty values replace.
    auto over = [](std::string& field, const std::string& flag) {
      if (!flag.empty()) field = flag;
    };
    over(merged.token, options_.token);
    over(merged.client_certificate, options_.client_certificate);
    over(merged.client_key, options_.client_key);
    over(merged.username, options_.username);
    over(merged.password, options_.password);
    over(merged.impersonate, options_.as);
    over(merged.impersonate_uid, options_.as_uid);
    if (!options_.as_groups.empty()) merged.impersonate_groups = options_.as_groups;
    for (auto& e : validate_auth_info(auth_name, merged)) errs.push_back(std::move(e));
  }
  std::string cluster_name = !options_.cluster.empty() ? options_.cluster : (ctx ? ctx->cluster : "");
  const kubeconfig::Cluster* cl = c.find_cluster(cluster_name);
  std::string server = !options_.server.empty() ? options_.server : (cl ? cl->server : "");
  bool cluster_missing_named = !options_.cluster.empty() && !cl;
  if (cluster_missing_named) server.clear();  // getCluster failed: an empty Cluster{}
  else if (server.empty()) server = "http://localhost:8080";  // clientcmd.ClusterDefaults
  if (server.empty()) {
    if (cluster_name.empty()) errs.push_back(CmdError::msg("no server found for cluster \"\""));
    else errs.push_back(CmdError::msg("no server found for cluster \"" + cluster_name + "\""));
  }
  if (cl && !cl->proxy_url.empty() && !cluster_missing_named) {
    auto p = parse_proxy_url(cl->proxy_url);
    if (!p.ok())
      errs.push_back(CmdError::msg("invalid 'proxy-url' " + nlohmann::json(cl->proxy_url).dump() + " for cluster " +
                                   nlohmann::json(cluster_name).dump() + ": " + p.error().message));
  }
  bool tls_override = options_.insecure_skip_tls_verify || !options_.certificate_authority.empty();
  std::string ca_file = tls_override ? options_.certificate_authority : (cl ? cl->certificate_authority : "");
  if (!ca_file.empty()) {
    std::string dummy;
    if (!read_whole_file(ca_file, dummy)) {
      errs.push_back(CmdError::msg("unable to read certificate-authority " + ca_file + " for " +
                                   cluster_name + " due to open " + ca_file +
                                   ": no such file or directory"));
    }
  }
  if (errs.empty()) return std::nullopt;
  if (errs.size() == 1) return errs[0];
  std::string msg = "\n";
  for (const auto& e : errs) msg += "* " + e.message + "\n";
  CmdError agg = CmdError::config(msg);
  agg.kind = CmdError::Kind::kVerbatim;
  agg.message = "Error in configuration: " + msg;
  return agg;
}

Result<std::string> ClientConfig::namespace_for_request(bool* explicit_ns) {
  if (options_.namespace_ && !options_.namespace_->empty()) {
    if (explicit_ns) *explicit_ns = true;
    return *options_.namespace_;
  }
  if (explicit_ns) *explicit_ns = false;
  if (auto err = confirm_usable()) return *err;
  auto cfg = loaded();
  const kubeconfig::Config& c = **cfg;
  std::string context_name = !options_.context.empty() ? options_.context : c.current_context;
  const kubeconfig::Context* ctx = c.find_context(context_name);
  if (ctx && !ctx->namespace_.empty()) return ctx->namespace_;
  return std::string("default");
}

Result<RestConfig> ClientConfig::rest_config() {
  auto cfg = loaded();
  if (!cfg.ok()) return cfg.error();
  const kubeconfig::Config& c = **cfg;

  // getAuthInfo / getContext / getCluster: names given by flags must exist.
  std::string context_name = !options_.context.empty() ? options_.context : c.current_context;
  const kubeconfig::Context* ctx = c.find_context(context_name);
  std::string user_name = !options_.user.empty() ? options_.user : (ctx ? ctx->user : "");
  const kubeconfig::AuthInfo* user = c.find_user(user_name);
  if (!options_.user.empty() && !user)
    return CmdError::msg("auth info \"" + options_.user + "\" does not exist");
  if (!options_.context.empty() && !ctx)
    return CmdError::msg("context \"" + options_.context + "\" does not exist");
  std::string cluster_name = !options_.cluster.empty() ? options_.cluster : (ctx ? ctx->cluster : "");
  const kubeconfig::Cluster* cl = c.find_cluster(cluster_name);
  if (!options_.cluster.empty() && !cl)
    return CmdError::msg("cluster \"" + options_.cluster + "\" does not exist");
  if (auto err = confirm_usable()) return *err;

  RestConfig rc;
  rc.server = !options_.server.empty() ? options_.server : (cl ? cl->server : "");
  if (rc.server.empty()) rc.server = "http://localhost:8080";
  // clientcmd merges the cluster's TLS settings (and the user's credentials, below) only when
  // the transport is TLS, judged from the server URL alone: an https:// server. A server
  // without a scheme, or http://, is then plain HTTP whatever CA or flags are configured.
  size_t scheme_at = rc.server.find("://");
  const bool tls_transport = scheme_at != std::string::npos && rc.server.substr(0, scheme_at) == "https";
  // clientcmd getCluster: --insecure-skip-tls-verify or --certificate-authority replace the
  // cluster's insecure flag, CA file and CA data together.
  bool tls_override = options_.insecure_skip_tls_verify || !options_.certificate_authority.empty();
  std::string ca_file;
  if (tls_transport) {
    rc.tls_server_name = !options_.tls_server_name.empty() ? options_.tls_server_name
                                                           : (cl ? cl->tls_server_name : "");
    rc.insecure = tls_override ? options_.insecure_skip_tls_verify : (cl && cl->insecure_skip_tls_verify);
    ca_file = tls_override ? options_.certificate_authority : (cl ? cl->certificate_authority : "");
    if (!tls_override && cl && !cl->certificate_authority_data.empty()) {
      rc.ca_pem = cl->certificate_authority_data;  // data wins over a file
    } else if (!ca_file.empty()) {
      if (auto err = read_go(ca_file, rc.ca_pem)) return *err;
    }
  }
  rc.impersonate_user = !options_.as.empty() ? options_.as : (user ? user->impersonate : "");
  rc.impersonate_uid = !options_.as_uid.empty() ? options_.as_uid : (user ? user->impersonate_uid : "");
  rc.impersonate_groups = !options_.as_groups.empty() ? options_.as_groups
                                                      : (user ? user->impersonate_groups : std::vector<std::string>{});
  rc.proxy_url = cl ? cl->proxy_url : "";
  // ClientConfig parses the timeout before it reads (or asks for) credentials.
  auto timeout = parse_request_timeout(options_.request_timeout);
  if (!timeout) {
    return CmdError::msg(
        "Invalid timeout value. Timeout must be a single integer in seconds, or an integer "
        "followed by a corresponding time unit (e.g. 1s | 2m | 3h)");
  }
  rc.timeout_seconds = *timeout > 0 ? *timeout : 0;
  if (rc.timeout_seconds > 0) rc.timeout_param = go_duration_string(rc.timeout_seconds);
  if (tls_transport) {
    bool identified = false;
    if (auto err = user_credentials(options_, user, rc, identified)) return *err;
    if (!identified) {
      // Asked once per process; a failed prompt is asked again by the next caller, as clientcmd.
      // Kept only when both parts are non-empty, as clientcmd's promptedCredentials.
      if (!prompted_ || prompted_->username.empty() || prompted_->password.empty()) {
        auto answer = prompt_basic_auth();
        if (!answer.ok()) return answer.error();
        if (!rc.password.empty()) answer->password = rc.password;  // --password wins
        prompted_ = std::move(*answer);
      }
      rc.username = prompted_->username;
      rc.password = prompted_->password;
    }
    if (rc.exec) {
      rc.exec->cluster.server = rc.server;
      rc.exec->cluster.tls_server_name = rc.tls_server_name;
      rc.exec->cluster.insecure = rc.insecure;
      rc.exec->cluster.ca_data = rc.ca_pem;
      rc.exec->cluster.proxy_url = rc.proxy_url;
      rc.exec->cluster.disable_compression = options_.disable_compression || (cl && cl->disable_compression);
      if (auto err = check_exec_api_version(*rc.exec)) return *err;
    }
  }

  // client-go TLSConfigFor, when the transport is built (after any prompt).
  if (rc.insecure && (!rc.ca_pem.empty() || !ca_file.empty()))
    return CmdError::msg("specifying a root certificates file with the insecure flag is not allowed");

  // client-go DefaultServerURL: a server without scheme would get https if TLS were configured,
  // which it never is here (see tls_transport).
  std::string url = rc.server;
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    url = "http://" + url;
    scheme_end = url.find("://");
  }
  rc.scheme = url.substr(0, scheme_end);
  std::string rest = url.substr(scheme_end + 3);
  size_t slash = rest.find('/');
  rc.host_port = rest.substr(0, slash);
  rc.path_prefix = slash == std::string::npos ? "" : rest.substr(slash);
  while (!rc.path_prefix.empty() && rc.path_prefix.back() == '/') rc.path_prefix.pop_back();
  split_host_port(rc);
  return rc;
}

void split_host_port(RestConfig& rc) {
  const std::string& hp = rc.host_port;
  if (!hp.empty() && hp[0] == '[') {
    size_t close = hp.find(']');
    rc.host = hp.substr(1, close - 1);
    if (close + 1 < hp.size() && hp[close + 1] == ':') rc.port = std::atoi(hp.c_str() + close + 2);
  } else if (size_t colon = hp.rfind(':'); colon != std::string::npos) {
    rc.host = hp.substr(0, colon);
    rc.port = std::atoi(hp.c_str() + colon + 1);
  } else {
    rc.host = hp;
  }
  if (rc.port == 0) rc.port = rc.scheme == "https" ? 443 : 80;
}

}  // namespace kapi::client
