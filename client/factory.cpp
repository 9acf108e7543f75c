#include "client/factory.h"

namespace kapi::client {

Factory::Factory(std::string program, GlobalOptions options)
    : program_(std::move(program)), client_config_(std::move(options)) {}

Factory::~Factory() = default;

Result<RestClient*> Factory::rest_client() {
  if (!rest_client_) {
    auto rc = client_config_.rest_config();
    if (!rc.ok()) return rc.error();
    rest_client_ = std::make_unique<RestClient>(std::move(rc).value(), user_agent(program_));
    // Discovery and the mapping come before any request: set TLS up meanwhile.
    rest_client_->prepare_async();
  }
  return rest_client_.get();
}

Result<Discovery*> Factory::discovery() {
  if (!discovery_) {
    auto client = rest_client();
    if (!client.ok()) return client.error();
    discovery_ = std::make_unique<Discovery>(**client, client_config_.options().cache_dir,
                                             (*client)->config().server);
  }
  return discovery_.get();
}

}  // namespace kapi::client
