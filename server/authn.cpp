#include "server/authn.h"

#include "pkg/tls/ca_pool.h"
#include "pkg/tls/peer_verify.h"

namespace kapi::server {

struct Authenticator::Impl {
  tls::CaPool pool;
  bool has_pool = false;
  bool anonymous = true;
};

Authenticator::Authenticator(const std::string& client_ca_file, bool anonymous_auth)
    : impl_(std::make_unique<Impl>()) {
  impl_->anonymous = anonymous_auth;
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
  if (req.ssl && impl_->has_pool) {
    auto id = tls::verify_peer(const_cast<SSL*>(req.ssl), impl_->pool);
    if (id.ok()) {
      user.name = id->cn;
      user.groups = id->orgs;
      user.groups.push_back("system:authenticated");
      return runtime::Status::success();
    }
    if (id.error().code != tls::ErrorCode::kNoPeerCertificate) return runtime::Status::unauthorized();
  }
  std::string auth = req.header("authorization");
  if (!auth.empty()) return runtime::Status::unauthorized();  // tokens: not supported yet
  if (!impl_->anonymous) return runtime::Status::unauthorized();
  user.name = "system:anonymous";
  user.groups = {"system:unauthenticated"};
  return runtime::Status::success();
}

}  // namespace kapi::server
