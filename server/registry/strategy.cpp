#include "server/registry/strategy.h"

#include <nlohmann/json.hpp>

#include "server/registry/json_access.h"

#include "server/registry/table.h"

namespace kapi::server {

void Strategy::prepare_update(Json& obj, const Json& old) const {
  if (has_status()) {
    if (old.contains("status")) obj["status"] = old["status"];
    else obj.erase("status");
  }
}

void Strategy::prepare_status_update(Json& obj, const Json& old) const {
  Json status = obj_at(obj, "status");
  Json meta = obj["metadata"];
  obj = old;
  obj["status"] = status;
  // Status writes may not change spec; metadata except labels/annotations stays too.
  obj["metadata"]["resourceVersion"] = meta.value("resourceVersion", "");
}

TableColumn name_column() {
  return {"Name", "string", "name", "Name must be unique within a namespace.", 0};
}
TableColumn age_column() {
  return {"Age", "string", "", "Time since the object was created.", 0};
}

std::vector<TableColumn> Strategy::columns() const {
  return {name_column(), {"Created At", "date", "", "Time when the object was created.", 0}};
}

Json Strategy::row(const Json& obj) const {
  const Json& meta = obj["metadata"];
  Json created = meta.contains("creationTimestamp") ? meta["creationTimestamp"] : Json(nullptr);
  return Json::array({meta.value("name", ""), created});
}

std::string age_cell(const Json& obj) {
  const Json& meta = obj["metadata"];
  if (!meta.contains("creationTimestamp") || !meta["creationTimestamp"].is_string()) return "<unknown>";
  return age_placeholder(meta["creationTimestamp"].get<std::string>());
}

}  // namespace kapi::server
