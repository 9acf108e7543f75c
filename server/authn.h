#pragma once
// Authentication: x509 client certificates verified against --client-ca-file (CN -> user,
// O -> groups); no credential -> system:anonymous.
#include <memory>
#include <optional>
#include <string>

#include "pkg/runtime/status.h"
#include "server/http/http.h"
#include "server/request_info.h"

namespace kapi::server {

class Authenticator {
 public:
  Authenticator(const std::string& client_ca_file, bool anonymous_auth);
  ~Authenticator();
  // The user, or a 401 Status.
  runtime::Status authenticate(const HttpRequest& req, UserInfo& user) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kapi::server
