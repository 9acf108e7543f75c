#pragma once
// The one place commands get their clients from (kubectl's cmdutil.Factory): the resolved
// kubeconfig, a REST client over one connection, discovery and the REST mapper. Each is built
// on first use, so commands that need none of them (help, version --client) stay instant.
#include <memory>
#include <string>

#include "client/client_config.h"
#include "client/discovery.h"
#include "client/errors.h"
#include "client/rest_client.h"
#include "client/rest_mapper.h"

namespace kapi::client {

class Factory {
 public:
  Factory(std::string program, GlobalOptions options);
  ~Factory();

  const std::string& program() const { return program_; }
  ClientConfig& client_config() { return client_config_; }
  Result<RestClient*> rest_client();
  Result<Discovery*> discovery();

 private:
  std::string program_;
  ClientConfig client_config_;
  std::unique_ptr<RestClient> rest_client_;
  std::unique_ptr<Discovery> discovery_;
};

}  // namespace kapi::client
