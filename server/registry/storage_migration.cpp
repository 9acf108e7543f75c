#include "server/registry/storage_migration.h"

#include <nlohmann/json.hpp>

#include "pkg/runtime/json_codec.h"
#include "server/registry/conversion.h"
#include "server/registry/resource.h"

namespace kapi::server {

int migrate_events_v1_storage(storage::Backend& backend) {
  static const std::string kOldPrefix = "/registry/events.k8s.io/events/";
  const ResourceInfo* res = find_resource("events.k8s.io", "v1", "events");
  auto list = backend.list(kOldPrefix, "", 0);
  if (!res || !list.ok()) return 0;
  int moved = 0;
  for (const auto& kv : list->items) {
    Json obj = Json::parse(kv.value, nullptr, false);
    if (obj.is_object()) {
      auto r = backend.create(res->storage_prefix + kv.key.substr(kOldPrefix.size()),
                              runtime::encode_json(to_stored(*res, std::move(obj))));
      moved += r.ok() ? 1 : 0;
    }
    (void)backend.remove(kv.key, kv.mod_revision);
  }
  return moved;
}

}  // namespace kapi::server
