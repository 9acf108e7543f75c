#pragma once
// --www: Go's http.FileServer(http.Dir(dir)) under a stripped prefix: files with their
// content type and Last-Modified, index.html for a directory, else a directory listing.
#include <string>

#include "pkg/http/http.h"

namespace kapi::client::proxy {

// Go's html.EscapeString (also the body of a redirect).
std::string html_escape(const std::string& s);

// Answers `req` from `dir`; `path` is the request path with the prefix removed.
void serve_static(const std::string& dir, const std::string& path, const http::HttpRequest& req,
                  http::HttpResponse& res);

}  // namespace kapi::client::proxy
