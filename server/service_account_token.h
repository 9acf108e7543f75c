#pragma once
// Service-account JWTs: issued by TokenRequest (serviceaccounts/token) and accepted as bearer
// tokens, as kube-apiserver does with --service-account-issuer, --service-account-signing-key-file,
// --service-account-key-file and --api-audiences (pkg/serviceaccount: claims.go, jwt.go).
// Thread-safe after construction.
#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pkg/runtime/status.h"
#include "server/request_info.h"

namespace kapi::server {

struct ServiceAccountTokenOptions {
  std::vector<std::string> issuers;        // the first is put in issued tokens; all are accepted
  std::vector<std::string> api_audiences;  // default: the issuers
  int64_t max_expiration_seconds = 0;      // --service-account-max-token-expiration; 0: none
  std::string signing_key_pem;             // never logged
  std::string verification_keys_pem;       // PEM blocks; the signing key's public half is added
};

class ServiceAccountTokens {
 public:
  // The UID of a live service account, or nullopt (for --service-account-lookup).
  using Lookup = std::function<std::optional<std::string>(const std::string& ns, const std::string& name)>;

  // Null with `error` set when a key does not load.
  static std::shared_ptr<ServiceAccountTokens> create(ServiceAccountTokenOptions opts, std::string& error);
  ~ServiceAccountTokens();

  const std::vector<std::string>& api_audiences() const;
  int64_t max_expiration_seconds() const;
  // Signs the claims of a token for service account `sa` (its JSON), optionally bound to `pod`,
  // valid from `now` (Unix seconds) for `expiration_seconds`.
  runtime::Status issue(const nlohmann::ordered_json& sa, const nlohmann::ordered_json* pod,
                        const std::vector<std::string>& audiences, int64_t now, int64_t expiration_seconds,
                        std::string& token) const;
  // nullopt: not a token of these issuers (another authenticator may take it). Otherwise the
  // outcome: success with `user` filled, or 401.
  std::optional<runtime::Status> authenticate(const std::string& token, const Lookup& lookup, UserInfo& user) const;

 private:
  struct Impl;
  explicit ServiceAccountTokens(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kapi::server
