// `kapi proxy` (kubectl pkg/cmd/proxy): a local HTTP server that passes requests under
// --api-prefix on to the API server with the kubeconfig's credentials, behind kubectl's
// filter, and serves --www's files under --www-prefix. Runs until killed.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "client/cmd/command.h"
#include "client/factory.h"
#include "client/proxy/handler.h"
#include "client/rest_client.h"
#include "pkg/http/http.h"
#include "pkg/http/listener.h"

namespace kapi::client {
namespace {

constexpr int kDefaultPort = 8001;

struct Options {
  std::string static_dir, static_prefix, api_prefix, accept_paths, reject_paths, accept_hosts, reject_methods;
  std::string address, unix_socket;
  long long port = kDefaultPort;
  bool disable_filter = false, append_server_path = false;
};

Options read_options(const FlagSet& f) {
  Options o;
  o.static_dir = f.get_string("www");
  o.static_prefix = f.get_string("www-prefix");
  o.api_prefix = f.get_string("api-prefix");
  o.accept_paths = f.get_string("accept-paths");
  o.reject_paths = f.get_string("reject-paths");
  o.accept_hosts = f.get_string("accept-hosts");
  o.reject_methods = f.get_string("reject-methods");
  o.port = f.get_int("port");
  o.address = f.get_string("address");
  o.disable_filter = f.get_bool("disable-filter");
  o.unix_socket = f.get_string("unix-socket");
  o.append_server_path = f.get_bool("append-server-path");
  return o;
}

// MakeRegexpArrayOrDie: a bad pattern is klog.Fatalf (exit 255).
bool compile(const std::string& list, proxy::RegexpList* out) {
  std::string err;
  auto re = proxy::RegexpList::parse(list, &err);
  if (!re) {
    write_stderr(klog_line('F', "proxy_server.go:83", "Error compiling re: " + err));
    return false;
  }
  *out = std::move(*re);
  return true;
}

// kubectl's ListenUnix: a socket already at the path (stale or not) is removed, and the new one
// is made accessible to the user only.
int listen_unix(const std::string& path, std::string* bound, std::string* error) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) ::unlink(path.c_str());
  mode_t old = ::umask(077);
  int fd = http::listen_go("unix", path, bound, error);
  ::umask(old);
  return fd;
}

}  // namespace

void add_proxy_flags(FlagSet& flags) {
  flags.add_string("www", 'w', "");
  flags.add_string("www-prefix", 'P', "/static/");
  flags.add_string("api-prefix", 0, "/");
  flags.add_string("accept-paths", 0, "^.*");
  flags.add_string("reject-paths", 0, "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach");
  flags.add_string("accept-hosts", 0, R"(^localhost$,^127\.0\.0\.1$,^\[::1\]$)");
  flags.add_string("reject-methods", 0, "^$");
  flags.add_int("port", 'p', kDefaultPort);
  flags.add_string("address", 0, "127.0.0.1");
  flags.add_bool("disable-filter", 0, false);
  flags.add_string("unix-socket", 'u', "");
  flags.add_duration("keepalive", "0s");
  flags.add_bool("append-server-path", 0, false);
}

int run_proxy(CommandEnv& env) {
  Options o = read_options(env.flags);

  // Complete
  auto rc = env.factory.client_config().rest_config();
  if (!rc.ok()) return report_error(env.out, rc.error());
  if (o.static_prefix.empty() || o.static_prefix.back() != '/') o.static_prefix += '/';
  if (o.api_prefix.empty() || o.api_prefix.back() != '/') o.api_prefix += '/';
  proxy::ProxyOptions po;
  if (o.disable_filter) {
    if (o.unix_socket.empty())
      write_stderr(klog_warning_line("proxy.go:177", "Request filter disabled, your proxy is vulnerable to XSRF attacks, please be cautious"));
  } else {
    proxy::Filter f;
    if (!compile(o.accept_paths, &f.accept_paths) || !compile(o.reject_paths, &f.reject_paths) ||
        !compile(o.accept_hosts, &f.accept_hosts) || !compile(o.reject_methods, &f.reject_methods))
      return 255;
    po.filter = std::move(f);
  }

  // Validate
  if (o.port != kDefaultPort && !o.unix_socket.empty())
    return report_error(env.out, CmdError::msg("cannot set --unix-socket and --port at the same time"));
  if (!o.static_dir.empty()) {
    struct stat st;
    if (::stat(o.static_dir.c_str(), &st) != 0) {
      std::string why = std::strerror(errno);
      if (!why.empty()) why[0] = static_cast<char>(tolower(static_cast<unsigned char>(why[0])));
      write_stderr(klog_warning_line("proxy.go:200", "Failed to stat static file directory " + o.static_dir +
                                                         ": stat " + o.static_dir + ": " + why));
    } else if (!S_ISDIR(st.st_mode)) {
      write_stderr(klog_warning_line("proxy.go:202", "Static file directory " + o.static_dir + " is not a directory"));
    }
  }

  // Run
  po.api_prefix = o.api_prefix;
  po.static_prefix = o.static_prefix;
  po.static_dir = o.static_dir;
  po.append_server_path = o.append_server_path;
  po.rest = std::move(rc).value();
  po.user_agent = user_agent(env.factory.program());
  std::string bound, error;
  int fd = o.unix_socket.empty()
               ? http::listen_go("tcp", o.address + ":" + std::to_string(o.port), &bound, &error)
               : listen_unix(o.unix_socket, &bound, &error);
  if (fd < 0) return report_error(env.out, CmdError::msg(error));
  env.out += "Starting to serve on " + bound + "\n";
  flush_stdout(env.out);

  http::HttpServerOptions so;
  so.listen_fd = fd;
  so.max_threads = 1000;            // a watch holds its connection's thread
  so.max_body = size_t{1} << 30;    // Go's proxy sets no limit
  so.status_error_bodies = false;   // answers pass through as the API server gave them
  so.gzip = false;
  so.httplib_fields = false;
  auto server = http::new_http_server(so, proxy::new_proxy_handler(std::move(po)));
  if (!server->bind(&error)) return report_error(env.out, CmdError::msg(error));
  server->serve();
  return 0;
}

}  // namespace kapi::client
