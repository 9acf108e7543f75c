#include "client/exec_plugin.h"

#include <nlohmann/json.hpp>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>

#include "client/private_key.h"
#include "pkg/machinery/base64.h"
#include "pkg/machinery/duration.h"
#include "pkg/runtime/go_json_syntax.h"
#include "pkg/runtime/yaml.h"

extern char** environ;

namespace kapi::client {
namespace {

constexpr const char* kGroup = "client.authentication.k8s.io";
constexpr const char* kInstallHintVerboseHelp =
    "\n\nIt looks like you are trying to use a client-go credential plugin that is not installed.\n\n"
    "To learn more about this feature, consult the documentation available at:\n"
    "      https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins";

bool known_version(const std::string& v) {
  return v == std::string(kGroup) + "/v1" || v == std::string(kGroup) + "/v1beta1";
}

// encoding/json's name for a JSON value's type in "cannot unmarshal X into ...".
std::string json_type_name(const nlohmann::json& j) {
  if (j.is_array()) return "array";
  if (j.is_string()) return "string";
  if (j.is_boolean()) return "bool";
  if (j.is_number()) return "number";
  if (j.is_object()) return "object";
  return "null";
}

// exec.LookPath: a name with a slash is used as is; otherwise the first executable regular
// file of that name in $PATH (an empty entry is ".").
std::optional<std::string> look_path(const std::string& cmd) {
  if (cmd.find('/') != std::string::npos) return cmd;
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "";
  size_t start = 0;
  while (true) {
    size_t colon = p.find(':', start);
    std::string dir = p.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (dir.empty()) dir = ".";
    std::string full = dir + "/" + cmd;
    struct stat st {};
    if (stat(full.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111)) return full;
    if (colon == std::string::npos) return std::nullopt;
    start = colon + 1;
  }
}

std::string lower_first(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

struct RunResult {
  bool started = false;
  std::string start_error;  // Go's *PathError text for a failed fork/exec
  int exit_code = 0;
  std::string out;
};

// Runs `argv` with `env`; stdout captured, stderr inherited, stdin /dev/null unless interactive.
RunResult run_process(const std::string& path, const std::vector<std::string>& args,
                      const std::vector<std::string>& env, bool interactive) {
  RunResult r;
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) {
    r.start_error = std::strerror(errno);
    return r;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
  if (!interactive) posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  std::vector<char*> argv, envp;
  argv.push_back(const_cast<char*>(path.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, path.c_str(), &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(pipefd[1]);
  if (rc != 0) {
    close(pipefd[0]);
    r.start_error = "fork/exec " + path + ": " + lower_first(std::strerror(rc));
    return r;
  }
  r.started = true;
  char buf[65536];
  ssize_t n;
  while ((n = read(pipefd[0], buf, sizeof buf)) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    r.out.append(buf, static_cast<size_t>(n));
  }
  close(pipefd[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;  // Go's ExitCode(): -1 if signaled
  return r;
}

// The process environment plus `extra`, a later entry replacing an earlier one of the same name
// (Go's exec dedupEnv).
std::vector<std::string> merged_env(const std::vector<std::string>& extra) {
  std::vector<std::string> all;
  for (char** e = environ; e && *e; ++e) all.emplace_back(*e);
  for (const auto& x : extra) all.push_back(x);
  std::map<std::string, size_t> last;
  for (size_t i = 0; i < all.size(); ++i) last[all[i].substr(0, all[i].find('='))] = i;
  std::vector<std::string> out;
  for (size_t i = 0; i < all.size(); ++i)
    if (last[all[i].substr(0, all[i].find('='))] == i) out.push_back(all[i]);
  return out;
}

// tls.X509KeyPair's first checks, with its error texts.
std::optional<std::string> check_key_pair(const std::string& cert_pem, const std::string& key_pem) {
  BIO* cb = BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size()));
  X509* cert = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
  BIO_free(cb);
  if (!cert) {
    ERR_clear_error();
    return "tls: failed to find any PEM data in certificate input";
  }
  EVP_PKEY* key = read_private_key_pem(key_pem);
  ERR_clear_error();
  std::optional<std::string> err;
  if (!key) err = "tls: failed to find any PEM data in key input";
  else if (X509_check_private_key(cert, key) != 1) err = "tls: private key does not match public key";
  ERR_clear_error();
  if (key) EVP_PKEY_free(key);
  X509_free(cert);
  return err;
}

}  // namespace

std::string clean_ansi_escape_codes(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    bool control = (c < 0x20 && !(c >= 0x09 && c <= 0x0d)) || c == 0x7f;
    if (control) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "U+%04X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::optional<CmdError> check_exec_api_version(const ExecProvider& p) {
  if (known_version(p.config.api_version)) return std::nullopt;
  return CmdError::msg("exec plugin: invalid apiVersion " + nlohmann::json(p.config.api_version).dump());
}

std::string exec_info_json(const ExecProvider& p, bool interactive) {
  nlohmann::ordered_json spec = nlohmann::ordered_json::object();
  if (p.config.provide_cluster_info) {
    const ExecClusterInfo& c = p.cluster;
    nlohmann::ordered_json cl;
    cl["server"] = c.server;
    if (!c.tls_server_name.empty()) cl["tls-server-name"] = c.tls_server_name;
    if (c.insecure) cl["insecure-skip-tls-verify"] = true;
    if (!c.ca_data.empty()) cl["certificate-authority-data"] = machinery::base64_encode(c.ca_data);
    if (!c.proxy_url.empty()) cl["proxy-url"] = c.proxy_url;
    if (c.disable_compression) cl["disable-compression"] = true;
    cl["config"] = nullptr;  // the cluster's exec extension; kapi's kubeconfig model drops extensions
    spec["cluster"] = cl;
  }
  spec["interactive"] = interactive;
  nlohmann::ordered_json j;
  j["kind"] = "ExecCredential";
  j["apiVersion"] = p.config.api_version;
  j["spec"] = spec;
  return j.dump() + "\n";
}

Result<ExecCredentials> decode_exec_output(const std::string& out, const std::string& api_version) {
  auto fail = [](const std::string& m) { return Result<ExecCredentials>(CmdError::msg(m)); };
  // The universal decoder reads JSON when the text starts with '{', YAML otherwise.
  size_t first = out.find_first_not_of(" \t\r\n");
  nlohmann::json j;
  if (first != std::string::npos && out[first] == '{') {
    std::string syntax = runtime::go_json_syntax_error(out);
    if (!syntax.empty()) return fail("decoding stdout: couldn't get version/kind; json parse error: " + syntax);
    j = nlohmann::json::parse(out, nullptr, false);
  } else {
    std::vector<nlohmann::ordered_json> docs;
    std::string err;
    if (!runtime::yaml_to_json(out, docs, &err)) return fail("decoding stdout: " + err);
    if (!docs.empty()) j = nlohmann::json::parse(docs[0].dump());
  }
  if (!j.is_object() && !j.is_null()) {
    return fail("decoding stdout: couldn't get version/kind; json parse error: json: cannot unmarshal " +
                json_type_name(j) +
                " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind "
                "string \"json:\\\"kind,omitempty\\\"\" }");
  }
  std::string version, kind;
  if (j.is_object()) {
    for (const char* f : {"apiVersion", "kind"}) {
      if (j.contains(f) && !j[f].is_string() && !j[f].is_null())
        return fail("decoding stdout: couldn't get version/kind; json parse error: json: cannot unmarshal " +
                    json_type_name(j[f]) + " into Go struct field ." + f + " of type string");
    }
    if (j.contains("apiVersion") && j["apiVersion"].is_string()) version = j["apiVersion"];
    if (j.contains("kind") && j["kind"].is_string()) kind = j["kind"];
  }
  // Missing parts default from the internal type the decoder decodes into.
  if (version.empty()) version = std::string(kGroup) + "/__internal";
  if (kind.empty()) kind = "ExecCredential";
  if (kind != "ExecCredential" || (!known_version(version) && version != std::string(kGroup) + "/__internal")) {
    return fail("decoding stdout: no kind \"" + kind + "\" is registered for version \"" + version +
                "\" in scheme \"pkg/client/auth/exec/exec.go:62\"");
  }
  const nlohmann::json* status = nullptr;
  if (j.is_object() && j.contains("status") && !j["status"].is_null()) {
    status = &j["status"];
    if (!status->is_object())
      return fail("decoding stdout: json: cannot unmarshal " + json_type_name(*status) +
                  " into Go struct field ExecCredential.status of type " + version.substr(version.find('/') + 1) +
                  ".ExecCredentialStatus");
  }
  ExecCredentials creds;
  std::string exp;
  if (status) {
    struct Field {
      const char* name;
      std::string* into;
    } fields[] = {{"expirationTimestamp", &exp},
                  {"token", &creds.token},
                  {"clientCertificateData", &creds.cert_pem},
                  {"clientKeyData", &creds.key_pem}};
    for (const auto& f : fields) {
      if (!status->contains(f.name) || (*status)[f.name].is_null()) continue;
      const auto& v = (*status)[f.name];
      if (!v.is_string()) {
        if (std::string(f.name) == "expirationTimestamp")
          return fail("decoding stdout: json: cannot unmarshal " + json_type_name(v) +
                      " into Go struct field ExecCredentialStatus.status.expirationTimestamp of type string");
        return fail("decoding stdout: json: cannot unmarshal " + json_type_name(v) +
                    " into Go struct field ExecCredentialStatus.status." + f.name + " of type string");
      }
      *f.into = v.get<std::string>();
    }
    if (!exp.empty()) {
      auto t = machinery::parse_rfc3339(exp);
      if (!t.ok()) return fail("decoding stdout: " + t.error());
    }
  }
  if (version != api_version) {
    return fail("exec plugin is configured to use API version " + api_version + ", plugin returned version " +
                version);
  }
  if (!status) return fail("exec plugin didn't return a status field");
  if (creds.token.empty() && creds.cert_pem.empty() && creds.key_pem.empty())
    return fail("exec plugin didn't return a token or cert/key pair");
  if (creds.cert_pem.empty() != creds.key_pem.empty())
    return fail("exec plugin returned only certificate or key, not both");
  if (!creds.cert_pem.empty()) {
    if (auto err = check_key_pair(creds.cert_pem, creds.key_pem))
      return fail("failed parsing client key/certificate: " + *err);
  }
  return creds;
}

namespace {
std::optional<ExecProvider> g_last_failed;     // the last run failed
std::optional<ExecProvider> g_last_refreshed;  // the last run was a refresh after a 401
}  // namespace

bool repeat_exec_attempt() {
  if (g_last_failed) {
    ExecProvider p = *g_last_failed;
    (void)exec_credentials(p);
    return true;
  }
  if (g_last_refreshed) {
    ExecProvider p = *g_last_refreshed;
    (void)exec_credentials(p, /*refresh=*/true);
    return true;
  }
  return false;
}

Result<ExecCredentials> exec_credentials(const ExecProvider& p, bool refresh) {
  // One authenticator per process for a given plugin config (client-go keys its cache on the
  // config); kubectl runs the plugin once and again only to refresh.
  // `proxy` asks from many connection threads at once: one plugin run at a time, as client-go's
  // authenticator holds its lock while it runs the plugin.
  static std::recursive_mutex mu;
  std::lock_guard<std::recursive_mutex> lock(mu);
  static std::map<std::string, ExecCredentials> cache;
  std::string key = exec_info_json(p, false) + p.config.command;
  for (const auto& a : p.config.args) key += '\0' + a;
  for (const auto& e : p.config.env) key += '\0' + e.name + '=' + e.value;
  if (!refresh) {
    if (auto it = cache.find(key); it != cache.end()) return it->second;
  }
  const auto& c = p.config;
  bool interactive = false;
  if (c.interactive_mode == "IfAvailable") {
    interactive = isatty(0);
  } else if (c.interactive_mode == "Always") {
    if (!isatty(0)) return CmdError::msg("exec plugin cannot support interactive mode: standard input is not a terminal");
    interactive = true;
  }
  std::vector<std::string> extra;
  for (const auto& e : c.env) extra.push_back(e.name + "=" + e.value);
  extra.push_back("KUBERNETES_EXEC_INFO=" + exec_info_json(p, interactive));
  auto path = look_path(c.command);
  if (!path) {
    std::string msg = "exec: executable " + c.command + " not found";
    // client-go adds the hint at most 10 times an hour per authenticator; one kubectl run is one.
    msg += kInstallHintVerboseHelp;
    if (!c.install_hint.empty()) msg += "\n\n" + c.install_hint;
    return CmdError::msg(msg);
  }
  std::fflush(stderr);
  RunResult r = run_process(*path, c.args, merged_env(extra), interactive);
  if (!r.started) {
    g_last_failed = p;
    return CmdError::msg("exec: " + r.start_error);
  }
  if (r.exit_code != 0) {
    g_last_failed = p;
    return CmdError::msg("exec: executable " + c.command + " failed with exit code " + std::to_string(r.exit_code));
  }
  auto creds = decode_exec_output(r.out, c.api_version);
  if (creds.ok()) {
    cache[key] = *creds;
    g_last_failed.reset();
    if (refresh) g_last_refreshed = p;
    else g_last_refreshed.reset();
  } else {
    g_last_failed = p;
  }
  return creds;
}

}  // namespace kapi::client
