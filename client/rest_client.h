#pragma once
// HTTP(S) to the API server over one kept-alive connection (client/http_client.h). TLS: client
// certificate and key from PEM memory, server verification against the configured CA (or the
// system roots) unless insecure. Not thread-safe: one RestClient per command run.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "client/client_config.h"
#include "client/errors.h"

namespace kapi::client {

struct TransportError;
struct HttpRequest;

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A request a proxy passes on (kubectl proxy), and the head of its answer.
struct ForwardRequest {
  std::string method;
  std::string target;  // escaped path and query
  HeaderList headers;  // the caller's, hop-by-hop fields removed
  std::string body;
  bool server_path = false;  // prefix the target with the server URL's path (--append-server-path)
};
struct ForwardedHead {
  int status = 0;
  HeaderList headers;  // as received; a gzip encoding the transport undid is gone
};

// The Accept headers kubectl sends for human (server-side Table) and machine output.
inline constexpr const char* kTableAccept =
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,"
    "application/json";
inline constexpr const char* kJsonAccept = "application/json";

struct HttpResponse {
  int status = 0;
  std::string reason;  // the status line's reason phrase, as the server sent it
  std::string body;
  std::string content_type;
};

// What every request carries: "kapi/v1.33.0 (linux/amd64) kubernetes/kapi" (the program name
// comes first, as kubectl's does).
std::string user_agent(const std::string& program_name);

class RestClient {
 public:
  RestClient(RestConfig config, std::string user_agent);
  ~RestClient();
  RestClient(const RestClient&) = delete;
  RestClient& operator=(const RestClient&) = delete;

  // GET `path` (starting with '/', query included; the server's path prefix is added).
  // Transport failures come back as kConnRefused / kConnError errors; any HTTP status is a
  // successful response.
  Result<HttpResponse> get(const std::string& path, const std::string& accept);

  // A streaming GET (watch): `on_line` gets each newline-terminated line of a 200 answer as it
  // arrives (and a last unterminated one at the end) and returns false to stop: no further line
  // is handed over and the connection is dropped. Any other status comes back with its whole
  // body. A stream that breaks off after the head just ends.
  Result<HttpResponse> get_lines(const std::string& path, const std::string& accept,
                                 const std::function<bool(const std::string& line)>& on_line);

  // A request with a body (POST, PATCH, PUT, DELETE; GET ignores the body), Accept
  // application/json.
  Result<HttpResponse> send(const std::string& method, const std::string& path,
                            const std::string& content_type, const std::string& body);

  // Sends a request on a proxy's behalf with this client's credentials and reads the head of
  // the answer; forward_body must read its body before the next request. As client-go's round
  // trippers, an Authorization or User-Agent the caller sent is kept. A transport failure is a
  // kConnError / kConnRefused error whose detail is Go's text.
  Result<ForwardedHead> forward(const ForwardRequest& request);
  // The body of forward's answer, handed to `sink` as it arrives (false stops reading). False
  // when the transfer broke off.
  bool forward_body(const std::function<bool(const char* data, size_t size)>& sink);

  // Builds the TLS context (client certificate, key, CA: a millisecond of OpenSSL set-up) on a
  // helper thread, so that it overlaps the caller's discovery work; the first request waits for
  // it. Not with exec plugins, whose credentials come from running the plugin in order.
  void prepare_async();

  const RestConfig& config() const { return config_; }
  // "https://host:port/path" as Go prints a request URL in errors.
  std::string url_for(const std::string& path) const;

 private:
  struct Impl;
  Result<HttpResponse> request(const std::string& method, const std::string& path, const std::string& accept,
                               const std::string& content_type, const std::string& body,
                               const std::function<bool(const std::string& line)>* on_line);
  std::optional<CmdError> connect();      // waits for prepare_async's work, or does it
  std::optional<CmdError> connect_now();
  // The bearer token for the next request ("" = none) from the token, the token file or the
  // exec plugin; an exec failure is the request's error.
  std::optional<CmdError> bearer_for_request(const std::string& path, std::string& token);
  void after_response(int status);
  // Adds Authorization (unless present), the impersonation and proxy credentials.
  void add_credentials(HttpRequest& req, const std::string& token) const;
  CmdError transport_error(const TransportError& err, const std::string& path) const;
  std::optional<CmdError> proxy_error(const std::string& path) const;
  RestConfig config_;
  std::string user_agent_;
  std::unique_ptr<Impl> impl_;
  std::thread prepare_;
  std::optional<CmdError> prepared_error_;
};

// Percent-encodes a query value as Go's url.QueryEscape does.
std::string query_escape(const std::string& s);

}  // namespace kapi::client
