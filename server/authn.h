#pragma once
// Authentication, as kube-apiserver's union of authenticators: x509 client certificates
// verified against --client-ca-file (CN -> user, O -> groups), then bearer tokens from the
// --token-auth-file, then service-account JWTs; the first that succeeds wins, system:authenticated is added. A credential
// that fails (and nothing succeeding) is 401; no credential at all -> system:anonymous.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "pkg/runtime/status.h"
#include "server/http/http.h"
#include "server/request_info.h"

namespace kapi::server {

class TokenFile;
class ServiceAccountTokens;

class Authenticator {
 public:
  // `tokens` may be null (no --token-auth-file); so may `sa_tokens` (no service-account keys),
  // whose accounts `sa_lookup` finds (--service-account-lookup).
  Authenticator(const std::string& client_ca_file, bool anonymous_auth,
                std::shared_ptr<const TokenFile> tokens = nullptr,
                std::shared_ptr<const ServiceAccountTokens> sa_tokens = nullptr,
                std::function<std::optional<std::string>(const std::string&, const std::string&)> sa_lookup = nullptr);
  ~Authenticator();
  // The user, or a 401 Status.
  runtime::Status authenticate(const HttpRequest& req, UserInfo& user) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The token of an `Authorization: Bearer <token>` header as upstream's bearertoken
// authenticator reads it; "" when there is none.
std::string bearer_token(const std::string& authorization);

}  // namespace kapi::server
