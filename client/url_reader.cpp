#include "client/url_reader.h"

#include <chrono>
#include <thread>

#include "client/client_config.h"
#include "client/rest_client.h"

namespace kapi::client {

bool is_url_argument(const std::string& arg) {
  return arg.rfind("http://", 0) == 0 || arg.rfind("https://", 0) == 0;
}

namespace {

// The URL as a RestClient endpoint (no credentials; the system roots for https) and the
// request path with its query.
RestConfig endpoint_for(const std::string& url, std::string& path) {
  RestConfig rc;
  rc.server = url;
  size_t scheme_end = url.find("://");
  rc.scheme = url.substr(0, scheme_end);
  std::string rest = url.substr(scheme_end + 3);
  size_t slash = rest.find_first_of("/?#");
  rc.host_port = rest.substr(0, slash);
  path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (size_t hash = path.find('#'); hash != std::string::npos) path.resize(hash);
  if (path.empty() || path[0] != '/') path = "/" + path;
  split_host_port(rc);
  return rc;
}

}  // namespace

Result<std::string> read_url(const std::string& url) {
  std::string path;
  RestClient client(endpoint_for(url, path), "Go-http-client/1.1");
  CmdError last;
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::seconds(1));
    auto r = client.get(path, "*/*");
    if (!r.ok()) {
      // A *url.Error, which kubectl prints as it prints the API server's ("The connection to
      // the server HOST was refused ...", "Unable to connect to the server: ...").
      last = r.error();
      continue;
    }
    if (r->status == 200) return std::move(r->body);
    last = CmdError::msg("unable to read URL \"" + url + "\", server reported " + std::to_string(r->status) +
                         (r->reason.empty() ? "" : " " + r->reason) + ", status code=" + std::to_string(r->status));
    if (r->status < 500 || r->status >= 600) break;
  }
  return last;
}

}  // namespace kapi::client
