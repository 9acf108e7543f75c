#include "server/authn.h"

#include <algorithm>
#include <cctype>

#include "pkg/tls/ca_pool.h"
#include "pkg/tls/peer_verify.h"
#include "server/service_account_token.h"
#include "server/token_file.h"

namespace kapi::server {

namespace {

std::string trim_space(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// As user.AuthenticatedGroupAdder: system:authenticated unless an all-users group is there.
void add_authenticated_group(UserInfo& user) {
  for (const auto& g : user.groups)
    if (g == "system:authenticated" || g == "system:unauthenticated") return;
  user.groups.push_back("system:authenticated");
}

}  // namespace

std::string bearer_token(const std::string& authorization) {
  std::string auth = trim_space(authorization);
  // strings.SplitN(auth, " ", 3): the scheme, the token, and anything after a further space.
  size_t sp = auth.find(' ');
  if (sp == std::string::npos) return "";
  std::string scheme = auth.substr(0, sp);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  if (scheme != "bearer") return "";
  size_t end = auth.find(' ', sp + 1);
  return auth.substr(sp + 1, end == std::string::npos ? std::string::npos : end - sp - 1);
}

struct Authenticator::Impl {
  tls::CaPool pool;
  bool has_pool = false;
  bool anonymous = true;
  std::shared_ptr<const TokenFile> tokens;
  std::shared_ptr<const ServiceAccountTokens> sa_tokens;
  std::function<std::optional<std::string>(const std::string&, const std::string&)> sa_lookup;
};

Authenticator::Authenticator(const std::string& client_ca_file, bool anonymous_auth,
                             std::shared_ptr<const TokenFile> tokens,
                             std::shared_ptr<const ServiceAccountTokens> sa_tokens,
                             std::function<std::optional<std::string>(const std::string&, const std::string&)> sa_lookup)
    : impl_(std::make_unique<Impl>()) {
  impl_->anonymous = anonymous_auth;
  impl_->tokens = std::move(tokens);
  impl_->sa_tokens = std::move(sa_tokens);
  impl_->sa_lookup = std::move(sa_lookup);
  if (!client_ca_file.empty()) {
    auto pool = tls::CaPool::load_file(client_ca_file);
    if (pool.ok()) {
      impl_->pool = pool.value();
      impl_->has_pool = true;
    }
  }
}

Authenticator::~Authenticator() = default;

runtime::Status Authenticator::authenticate(const HttpRequest& req, UserInfo& user) const {
  bool failed = false;  // some authenticator rejected a credential
  if (req.ssl && impl_->has_pool) {
    auto id = tls::verify_peer(const_cast<SSL*>(req.ssl), impl_->pool);
    if (id.ok()) {
      user.name = id->cn;
      user.groups = id->orgs;
      add_authenticated_group(user);
      return runtime::Status::success();
    }
    if (id.error().code != tls::ErrorCode::kNoPeerCertificate) failed = true;
  }
  if (std::string token = bearer_token(req.header("authorization")); !token.empty()) {
    const UserInfo* u = impl_->tokens ? impl_->tokens->find(token) : nullptr;
    if (u) {
      user = *u;
      add_authenticated_group(user);
      return runtime::Status::success();
    }
    if (impl_->sa_tokens) {
      UserInfo sa;
      if (auto r = impl_->sa_tokens->authenticate(token, impl_->sa_lookup, sa); r && r->ok()) {
        user = sa;
        add_authenticated_group(user);
        return runtime::Status::success();
      }
    }
    failed = true;  // "invalid bearer token"
  }
  // union.NewFailOnError: a failed credential is never downgraded to anonymous.
  if (failed || !impl_->anonymous) return runtime::Status::unauthorized();
  user.name = "system:anonymous";
  user.groups = {"system:unauthenticated"};
  return runtime::Status::success();
}

}  // namespace kapi::server
