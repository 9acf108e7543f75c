#include "server/service_account_token.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>

#include "pkg/machinery/names.h"
#include "pkg/tls/jws.h"

namespace kapi::server {

using Json = nlohmann::ordered_json;

struct ServiceAccountTokens::Impl {
  ServiceAccountTokenOptions opts;
  std::optional<tls::JwsSigner> signer;
  tls::JwsVerifier verifier;
};

ServiceAccountTokens::ServiceAccountTokens(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ServiceAccountTokens::~ServiceAccountTokens() = default;

std::shared_ptr<ServiceAccountTokens> ServiceAccountTokens::create(ServiceAccountTokenOptions opts, std::string& error) {
  auto impl = std::make_unique<Impl>();
  if (opts.api_audiences.empty()) opts.api_audiences = opts.issuers;
  if (!opts.signing_key_pem.empty()) {
    auto signer = tls::JwsSigner::load(opts.signing_key_pem);
    if (!signer.ok()) {
      error = signer.error().message;
      return nullptr;
    }
    impl->signer.emplace(std::move(signer.value()));
    if (auto st = impl->verifier.add_keys(opts.signing_key_pem); !st.ok()) {
      error = st.error().message;
      return nullptr;
    }
  }
  if (!opts.verification_keys_pem.empty())
    if (auto st = impl->verifier.add_keys(opts.verification_keys_pem); !st.ok()) {
      error = st.error().message;
      return nullptr;
    }
  opts.signing_key_pem.clear();  // kept by the signer only
  impl->opts = std::move(opts);
  return std::shared_ptr<ServiceAccountTokens>(new ServiceAccountTokens(std::move(impl)));
}

const std::vector<std::string>& ServiceAccountTokens::api_audiences() const { return impl_->opts.api_audiences; }
int64_t ServiceAccountTokens::max_expiration_seconds() const { return impl_->opts.max_expiration_seconds; }

// token.Claims + the issuer: go-jose serializes the merged claims as a map, keys sorted.
runtime::Status ServiceAccountTokens::issue(const Json& sa, const Json* pod, const std::vector<std::string>& audiences,
                                            int64_t now, int64_t expiration_seconds, std::string& token) const {
  if (!impl_->signer || impl_->opts.issuers.empty())
    return runtime::Status::internal("failed to generate token: no service account signing key");
  const Json& meta = sa["metadata"];
  Json k8s = Json::object();
  k8s["namespace"] = meta.value("namespace", "");
  if (pod) {
    const Json& pm = (*pod)["metadata"];
    k8s["pod"] = {{"name", pm.value("name", "")}, {"uid", pm.value("uid", "")}};
  }
  k8s["serviceaccount"] = {{"name", meta.value("name", "")}, {"uid", meta.value("uid", "")}};
  Json claims = Json::object();
  claims["aud"] = audiences;
  claims["exp"] = now + expiration_seconds;
  claims["iat"] = now;
  claims["iss"] = impl_->opts.issuers.front();
  claims["jti"] = machinery::new_uuid();
  claims["kubernetes.io"] = k8s;
  claims["nbf"] = now;
  claims["sub"] = "system:serviceaccount:" + meta.value("namespace", "") + ":" + meta.value("name", "");
  auto signed_token = impl_->signer->sign(claims.dump());
  if (!signed_token.ok()) return runtime::Status::internal("failed to generate token: " + signed_token.error().message);
  token = std::move(signed_token.value());
  return runtime::Status::success();
}

std::optional<runtime::Status> ServiceAccountTokens::authenticate(const std::string& token, const Lookup& lookup,
                                                                  UserInfo& user) const {
  // Only JWTs whose unverified issuer is ours are this authenticator's (jwtTokenAuthenticator).
  size_t d1 = token.find('.');
  size_t d2 = d1 == std::string::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string::npos) return std::nullopt;
  std::string payload_text;
  if (!tls::base64url_decode(token.substr(d1 + 1, d2 - d1 - 1), payload_text)) return std::nullopt;
  Json payload = Json::parse(payload_text, nullptr, false);
  if (!payload.is_object() || !payload.contains("iss") || !payload["iss"].is_string()) return std::nullopt;
  const auto& issuers = impl_->opts.issuers;
  if (std::find(issuers.begin(), issuers.end(), payload["iss"].get<std::string>()) == issuers.end()) return std::nullopt;
  auto verified = impl_->verifier.verify(token);
  if (!verified.ok()) return runtime::Status::unauthorized();
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (!payload["exp"].is_number() || payload["exp"].get<int64_t>() < now) return runtime::Status::unauthorized();
  if (payload.contains("nbf") && payload["nbf"].is_number() && payload["nbf"].get<int64_t>() > now + 60)
    return runtime::Status::unauthorized();
  // The token's audiences must include one the server accepts.
  std::vector<std::string> auds;
  if (payload["aud"].is_string()) auds.push_back(payload["aud"].get<std::string>());
  else if (payload["aud"].is_array())
    for (const auto& a : payload["aud"])
      if (a.is_string()) auds.push_back(a.get<std::string>());
  bool aud_ok = false;
  for (const auto& a : auds)
    for (const auto& want : impl_->opts.api_audiences) aud_ok = aud_ok || a == want;
  if (!aud_ok) return runtime::Status::unauthorized();
  const Json& k8s = payload.value("kubernetes.io", Json::object());
  std::string ns = k8s.value("namespace", "");
  const Json& sa = k8s.value("serviceaccount", Json::object());
  std::string name = sa.value("name", ""), uid = sa.value("uid", "");
  if (ns.empty() || name.empty()) return runtime::Status::unauthorized();
  // --service-account-lookup: the account must still exist, with the same UID.
  if (lookup) {
    auto live = lookup(ns, name);
    if (!live || (!uid.empty() && *live != uid)) return runtime::Status::unauthorized();
  }
  user.name = "system:serviceaccount:" + ns + ":" + name;
  user.uid = uid;
  user.groups = {"system:serviceaccounts", "system:serviceaccounts:" + ns};
  return runtime::Status::success();
}

}  // namespace kapi::server
