#pragma once
// The server's names for the HTTP types: the HTTP/1.1 server itself lives in pkg/http (shared
// with the client's `proxy`); handlers in kapi::server keep using them unqualified.
#include "pkg/http/http.h"

namespace kapi::server {

using http::ChunkWriter;
using http::HttpHandler;
using http::HttpRequest;
using http::HttpResponse;
using http::HttpServer;
using http::HttpServerOptions;
using http::new_http_server;

}  // namespace kapi::server
