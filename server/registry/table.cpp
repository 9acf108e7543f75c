#include "server/registry/table.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>

#include "pkg/machinery/duration.h"
#include "pkg/runtime/json_codec.h"
#include "server/registry/conversion.h"
#include "server/registry/list_writer.h"
#include "server/registry/object_meta.h"
#include "server/registry/strategy.h"

namespace kapi::server {

namespace {
constexpr int kSlotCells = 1;
constexpr const char* kAgeMark = "@@AGE:";

time_t parse_time(const std::string& s) {
  std::tm tm{};
  if (!strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return 0;
  return timegm(&tm);
}
}  // namespace

std::string age_placeholder(const std::string& rfc3339) {
  if (rfc3339.empty()) return "<unknown>";
  return std::string(kAgeMark) + std::to_string(parse_time(rfc3339)) + "@@";
}

std::string render_ages(const std::string& text) {
  size_t pos = text.find(kAgeMark);
  if (pos == std::string::npos) return text;
  std::string out;
  out.reserve(text.size());
  size_t last = 0;
  auto now = std::chrono::system_clock::now();
  while (pos != std::string::npos) {
    size_t end = text.find("@@", pos + 6);
    if (end == std::string::npos) break;
    out.append(text, last, pos - last);
    int64_t t = std::atoll(text.substr(pos + 6, end - pos - 6).c_str());
    auto then = std::chrono::system_clock::from_time_t(static_cast<time_t>(t));
    out += machinery::human_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(now - then));
    last = end + 2;
    pos = text.find(kAgeMark, last);
  }
  out.append(text, last, std::string::npos);
  return out;
}

Json column_definitions(const ResourceInfo& res) {
  Json cols = Json::array();
  for (const auto& c : strategy_for(res).columns()) {
    Json j = Json::object();
    j["name"] = c.name;
    j["type"] = c.type;
    j["format"] = c.format;
    j["description"] = c.description;
    j["priority"] = c.priority;
    cols.push_back(j);
  }
  return cols;
}

std::string row_cells(const ResourceInfo& res, const Json& obj) {
  return runtime::encode_json(strategy_for(res).row(obj));
}

std::string table_row(const ResourceInfo& res, const Json& obj, const std::string& include_object) {
  Json row = Json::object();
  row["cells"] = strategy_for(res).row(obj);
  if (include_object == "Object") {
    row["object"] = obj;
  } else if (include_object != "None") {
    Json pom = Json::object();
    pom["kind"] = "PartialObjectMetadata";
    pom["apiVersion"] = "meta.k8s.io/v1";
    pom["metadata"] = obj.contains("metadata") ? obj["metadata"] : Json::object();
    row["object"] = pom;
  }
  return runtime::encode_json(row);
}

std::string cached_row(const ResourceInfo& res, const storage::CachedObject& obj,
                       const std::string& include_object) {
  auto parsed = [&]() {
    Json j = to_served(res, Json::parse(obj.value));
    Json& meta = j["metadata"];
    // resourceVersion as the API shows it.
    Json m = Json::object();
    for (auto it = meta.begin(); it != meta.end(); ++it) {
      m[it.key()] = it.value();
      if (it.key() == "uid") m["resourceVersion"] = std::to_string(obj.mod_revision);
    }
    if (!m.contains("resourceVersion")) m["resourceVersion"] = std::to_string(obj.mod_revision);
    meta = m;
    return j;
  };
  if (!include_object.empty() && include_object != "Metadata") return table_row(res, parsed(), include_object);
  // Only the cells are cached per object version (small); the metadata is copied from the
  // stored bytes each time, so the cache does not hold a second copy of it.
  // The cells come from the stored shape: every version sharing a storage prints the same row
  // (upstream prints the internal object), so they share the cached cells too.
  const ResourceInfo& stored = res.storage_resource();
  const std::string& cells = obj.derived(kSlotCells, [&] { return row_cells(stored, Json::parse(obj.value)); });
  std::string row;
  row.reserve(cells.size() + obj.value.size() / 2 + 96);
  row += "{\"cells\":";
  row += cells;
  row += ",\"object\":{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":";
  if (!append_metadata_json(row, obj)) return table_row(res, parsed(), include_object);
  row += "}}";
  return row;
}

Json table_for_objects(const ResourceInfo& res, const std::vector<const Json*>& objs,
                       const std::string& include_object, bool with_columns,
                       const std::string& resource_version) {
  Json t = Json::object();
  t["kind"] = "Table";
  t["apiVersion"] = "meta.k8s.io/v1";
  t["metadata"] = Json::object();
  if (!resource_version.empty()) t["metadata"]["resourceVersion"] = resource_version;
  if (with_columns) t["columnDefinitions"] = column_definitions(res);
  Json rows = Json::array();
  for (const Json* o : objs) rows.push_back(Json::parse(render_ages(table_row(res, *o, include_object))));
  t["rows"] = rows;
  return t;
}

void write_table_list(HttpResponse& out, const ResourceInfo& res, std::vector<storage::ObjectPtr> items,
                      const std::string& include_object, int64_t revision,
                      const std::string& continue_token, int64_t remaining) {
  std::string head = "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"resourceVersion\":\"" +
                     std::to_string(revision) + "\"";
  if (!continue_token.empty()) {
    head += ",\"continue\":\"" + continue_token + "\"";
    if (remaining > 0) head += ",\"remainingItemCount\":" + std::to_string(remaining);
  }
  head += "},\"columnDefinitions\":" + runtime::encode_json(column_definitions(res)) + ",\"rows\":[";
  const ResourceInfo* r = &res;
  write_list(out, std::move(head), std::move(items),
             [r, include_object](std::string& o, const storage::CachedObject& item) {
               o += render_ages(cached_row(*r, item, include_object));
             },
             "]}");
}

}  // namespace kapi::server
