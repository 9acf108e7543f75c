#include "client/client_config.h"

#include <chrono>
#include <cmath>
#include <cstdlib>

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

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
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
  std::string ca_file = !options_.certificate_authority.empty() ? options_.certificate_authority
                                                                : (cl ? cl->certificate_authority : "");
  if (!ca_file.empty() && !options_.insecure_skip_tls_verify) {
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
  rc.insecure = options_.insecure_skip_tls_verify || (cl && cl->insecure_skip_tls_verify);
  rc.tls_server_name = !options_.tls_server_name.empty() ? options_.tls_server_name
                                                         : (cl ? cl->tls_server_name : "");
  // Certificate authority: a --certificate-authority flag replaces the cluster's CA; the
  // insecure flag drops it.
  if (!options_.insecure_skip_tls_verify) {
    std::string ca_file;
    if (!options_.certificate_authority.empty()) {
      ca_file = options_.certificate_authority;
    } else if (cl && !cl->certificate_authority_data.empty()) {
      rc.ca_pem = cl->certificate_authority_data;
    } else if (cl) {
      ca_file = cl->certificate_authority;
    }
    if (!ca_file.empty() && !read_whole_file(ca_file, rc.ca_pem))
      return CmdError::msg("open " + ca_file + ": no such file or directory");
  }
  // Client certificate and key: flags replace both file and data.
  std::string cert_file, key_file;
  if (!options_.client_certificate.empty()) cert_file = options_.client_certificate;
  else if (user && !user->client_certificate_data.empty()) rc.client_cert_pem = user->client_certificate_data;
  else if (user) cert_file = user->client_certificate;
  if (!options_.client_key.empty()) key_file = options_.client_key;
  else if (user && !user->client_key_data.empty()) rc.client_key_pem = user->client_key_data;
  else if (user) key_file = user->client_key;
  if (!cert_file.empty() && !read_whole_file(cert_file, rc.client_cert_pem))
    return CmdError::msg("open " + cert_file + ": no such file or directory");
  if (!key_file.empty() && !read_whole_file(key_file, rc.client_key_pem))
    return CmdError::msg("open " + key_file + ": no such file or directory");
  if (!options_.token.empty()) {
    rc.bearer_token = options_.token;
  } else if (user && !user->token.empty()) {
    rc.bearer_token = user->token;
  } else if (user && !user->token_file.empty()) {
    std::string t;
    if (!read_whole_file(user->token_file, t))
      return CmdError::msg("open " + user->token_file + ": no such file or directory");
    rc.bearer_token = trim(t);
  }
  rc.username = !options_.username.empty() ? options_.username : (user ? user->username : "");
  rc.password = !options_.password.empty() ? options_.password : (user ? user->password : "");
  rc.impersonate_user = !options_.as.empty() ? options_.as : (user ? user->impersonate : "");
  rc.impersonate_uid = !options_.as_uid.empty() ? options_.as_uid : (user ? user->impersonate_uid : "");
  rc.impersonate_groups = !options_.as_groups.empty() ? options_.as_groups
                                                      : (user ? user->impersonate_groups : std::vector<std::string>{});

  auto timeout = parse_request_timeout(options_.request_timeout);
  if (!timeout) {
    return CmdError::msg(
        "Invalid timeout value. Timeout must be a single integer in seconds, or an integer "
        "followed by a corresponding time unit (e.g. 1s | 2m | 3h)");
  }
  rc.timeout_seconds = *timeout > 0 ? *timeout : 0;
  if (rc.timeout_seconds > 0) rc.timeout_param = go_duration_string(rc.timeout_seconds);

  // client-go DefaultServerURL: a server without scheme gets https when TLS is configured.
  std::string url = rc.server;
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    bool tls = !rc.ca_pem.empty() || rc.insecure || !rc.client_cert_pem.empty();
    url = (tls ? "https://" : "http://") + url;
    scheme_end = url.find("://");
  }
  rc.scheme = url.substr(0, scheme_end);
  std::string rest = url.substr(scheme_end + 3);
  size_t slash = rest.find('/');
  rc.host_port = rest.substr(0, slash);
  rc.path_prefix = slash == std::string::npos ? "" : rest.substr(slash);
  while (!rc.path_prefix.empty() && rc.path_prefix.back() == '/') rc.path_prefix.pop_back();
  std::string hp = rc.host_port;
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
  return rc;
}

}  // namespace kapi::client
