#pragma once
// Discovery documents (/api, /apis, /api/v1, /apis/G/V), unaggregated and aggregated (v2,
// v2beta1), built once from the resource table.
#include <string>

#include "server/http/http.h"

namespace kapi::server {

// Serves a discovery path; false if `path` is not a discovery path.
bool serve_discovery(const HttpRequest& req, HttpResponse& out, const std::string& server_address);

}  // namespace kapi::server
