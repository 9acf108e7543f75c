#pragma once
// kubectl describe's describers (pkg/describe/describe.go): one function per kind turns an
// object fetched by the command into text, fetching what else it shows (events, pods, replica
// sets, quotas, ...) through `Describe`. Kinds without their own describer get the generic one.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

#include "client/errors.h"
#include "client/rest_mapper.h"

namespace kapi::client {
class RestClient;
}

namespace kapi::client::describe {

using Json = nlohmann::ordered_json;

struct DescriberSettings {
  bool show_events = true;
  long long chunk_size = 500;
};

// The REST access a describer needs, with client-go's typed-client semantics.
class Describe {
 public:
  Describe(RestClient& client, DescriberSettings settings) : client_(client), settings_(settings) {}
  const DescriberSettings& settings() const { return settings_; }

  // GET `path`; a Status answer becomes the error it carries.
  Result<Json> get(const std::string& path);
  // A list following `continue` (runtimeresource.FollowContinue with Limit=chunk size); the
  // items of every chunk. `resource` names the list in EnhanceListError texts.
  Result<std::vector<Json>> list(const std::string& path,
                                 std::vector<std::pair<std::string, std::string>> params,
                                 const std::string& resource);
  // searchEvents: core/v1 events about the object with this reference (kind may be empty),
  // listed in `ns` ("" = all namespaces). Errors give what was found so far.
  std::vector<Json> events(const std::string& ns, const std::string& kind, const std::string& name,
                           const std::string& uid, const std::string& ref_namespace);
  // searchEvents(obj): the reference is the object's kind, name, namespace and uid.
  std::vector<Json> events_for(const Json& obj, const std::string& kind);

 private:
  RestClient& client_;
  DescriberSettings settings_;
};

// Describer(mapping): the kind's describer, or the generic one. The object is the one the
// command fetched (apiVersion/kind set).
Result<std::string> describe_object(Describe& d, const RestMapping& mapping, const Json& obj);

// Per-kind describers (client/describe/<group>.cpp).
Result<std::string> describe_pod(Describe& d, const Json& pod);
Result<std::string> describe_generic(Describe& d, const RestMapping& mapping, const Json& obj);
Result<std::string> describe_deployment(Describe& d, const Json& obj);
Result<std::string> describe_replica_set(Describe& d, const Json& obj);
Result<std::string> describe_daemon_set(Describe& d, const Json& obj);
Result<std::string> describe_stateful_set(Describe& d, const Json& obj);
Result<std::string> describe_job(Describe& d, const Json& obj);
Result<std::string> describe_cron_job(Describe& d, const Json& obj);
Result<std::string> describe_service(Describe& d, const Json& obj);
Result<std::string> describe_endpoints(Describe& d, const Json& obj);
Result<std::string> describe_endpoint_slice(Describe& d, const Json& obj);
Result<std::string> describe_config_map(Describe& d, const Json& obj);
Result<std::string> describe_secret(Describe& d, const Json& obj);
Result<std::string> describe_service_account(Describe& d, const Json& obj);
Result<std::string> describe_namespace(Describe& d, const Json& obj);
Result<std::string> describe_limit_range(Describe& d, const Json& obj);
Result<std::string> describe_resource_quota(Describe& d, const Json& obj);
Result<std::string> describe_priority_class(Describe& d, const Json& obj);
Result<std::string> describe_certificate_signing_request(Describe& d, const Json& obj);
Result<std::string> describe_node(Describe& d, const Json& obj);
Result<std::string> describe_role(Describe& d, const Json& obj);
Result<std::string> describe_role_binding(Describe& d, const Json& obj);

}  // namespace kapi::client::describe
