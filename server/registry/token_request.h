#pragma once
// POST serviceaccounts/NAME/token: a TokenRequest answered with a signed service-account JWT
// (pkg/registry/core/serviceaccount/storage/token.go). Never stored.
#include "server/http/http.h"
#include "server/request_info.h"
#include "server/storage/storage.h"

namespace kapi::server {

class ServiceAccountTokens;

// `tokens` null: the server has no signing key, and the subresource is not served (404).
void serve_token_request(const RequestInfo& info, const HttpRequest& req, storage::WatchCache& cache,
                         const ServiceAccountTokens* tokens, HttpResponse& out);

}  // namespace kapi::server
