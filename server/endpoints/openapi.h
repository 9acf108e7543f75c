#pragma once
// /openapi/v2 (an empty gnostic protobuf document, which kubectl 1.27-1.33 accept) and
// /openapi/v3 (root + one document per group-version, generated from the typed model).
#include "server/http/http.h"

namespace kapi::server {

bool serve_openapi(const HttpRequest& req, HttpResponse& out);

}  // namespace kapi::server
