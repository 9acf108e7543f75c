#pragma once
// kubectl proxy's HTTP handler (kubectl pkg/proxy/proxy_server.go): a Go ServeMux with the API
// prefix (and the static files' prefix), the prefix stripped, the filter, then each request
// passed on to the API server with the kubeconfig's credentials and the answer streamed back.
#include <optional>
#include <string>

#include "client/client_config.h"
#include "client/proxy/filter.h"
#include "pkg/http/http.h"

namespace kapi::client::proxy {

struct ProxyOptions {
  std::string api_prefix = "/";           // ends in '/'
  std::string static_prefix = "/static/";  // ends in '/'
  std::string static_dir;                 // "" = no static files
  std::optional<Filter> filter;           // none with --disable-filter
  bool append_server_path = false;
  RestConfig rest;
  std::string user_agent;
};

// The handler; thread-safe (each request borrows an idle API server connection, or opens one).
http::HttpHandler new_proxy_handler(ProxyOptions options);

// Go's path.Clean for a request path, keeping a trailing slash (net/http cleanPath).
std::string clean_path(const std::string& p);

// The small answers Go's net/http writes itself (http.Error, http.NotFound, http.Redirect).
void text_error(http::HttpResponse& res, int status, const std::string& text);
void not_found(http::HttpResponse& res);
void redirect(const http::HttpRequest& req, http::HttpResponse& res, const std::string& location);

}  // namespace kapi::client::proxy
