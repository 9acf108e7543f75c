#pragma once
// Per-kind behaviour plugged into the generic store: defaulting, validation, what a create or
// update may change, generation tracking, selectable fields and the server-side Table.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

#include "pkg/runtime/status.h"
#include "server/registry/resource.h"
#include "server/request_info.h"

namespace kapi::server {

using Json = nlohmann::ordered_json;

struct TableColumn {
  std::string name, type, format, description;
  int priority = 0;
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  // Upstream's defaulting functions for the kind (applied on every decode of a write).
  virtual void apply_defaults(Json& obj) const {}
  // PrepareForCreate: e.g. reset status.
  virtual void prepare_create(Json& obj) const {}
  // PrepareForCreate of kinds that record the requesting user (CSRs); default: prepare_create.
  virtual void prepare_create_as(Json& obj, const UserInfo& user) const { prepare_create(obj); }
  // PrepareForUpdate of the main resource: e.g. keep the old status.
  virtual void prepare_update(Json& obj, const Json& old) const;
  // PrepareForUpdate of /status: keep everything but status (and labels/annotations changes).
  virtual void prepare_status_update(Json& obj, const Json& old) const;
  // PrepareForUpdate of another subresource with an update strategy of its own (a CSR's
  // /approval, pods/ephemeralcontainers). Default: nothing.
  virtual void prepare_subresource_update(const std::string& subresource, Json& obj, const Json& old) const {}
  virtual std::vector<runtime::StatusCause> validate(const Json& obj) const { return {}; }
  virtual std::vector<runtime::StatusCause> validate_update(const Json& obj, const Json& old) const {
    return validate(obj);
  }
  // ValidateUpdate of a subresource's strategy ("" = the resource). Default: validate_update.
  virtual std::vector<runtime::StatusCause> validate_subresource_update(const std::string& subresource,
                                                                        const Json& obj, const Json& old) const {
    return validate_update(obj, old);
  }
  // A validating admission plugin of the kind's own, on create (e.g. CSRs'
  // CertificateSubjectRestriction): the reason the request is forbidden, or "" to admit it.
  virtual std::string create_denial(const Json& obj) const { return ""; }
  // Whether metadata.generation is maintained (bumped on spec changes).
  virtual bool tracks_generation() const { return false; }
  // Whether the kind has a status subresource (status is ignored on create/update).
  virtual bool has_status() const { return false; }
  // Field-selector attributes beyond metadata.name/metadata.namespace.
  virtual void fields(const Json& obj, std::vector<std::pair<std::string, std::string>>& out) const {}
  // Server-side Table. Default: Name + Created At.
  virtual std::vector<TableColumn> columns() const;
  virtual Json row(const Json& obj) const;
};

// The strategy of a resource (never null).
const Strategy& strategy_for(const ResourceInfo& r);

// Helpers shared by strategies.
std::string age_cell(const Json& obj);  // HumanDuration since creationTimestamp, "<unknown>"
TableColumn name_column();
TableColumn age_column();

}  // namespace kapi::server
