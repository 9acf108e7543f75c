#pragma once
// Server-side Tables (Accept as=Table): columns and cells from each kind's Strategy. Rows are
// produced once per object version and cached; time-relative cells (AGE) are stored as a
// placeholder and filled in when the response is written.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "server/http/http.h"
#include "server/registry/resource.h"
#include "server/storage/storage.h"

namespace kapi::server {

using Json = nlohmann::ordered_json;

// A placeholder cell for "time since `rfc3339`", rendered as HumanDuration at write time.
std::string age_placeholder(const std::string& rfc3339);
// Replaces every age placeholder in `text`.
std::string render_ages(const std::string& text);

Json column_definitions(const ResourceInfo& res);
// The cells of one object's row (JSON text, with age placeholders).
std::string row_cells(const ResourceInfo& res, const Json& obj);
// One row (JSON text, with placeholders) for an object; include_object: "", Metadata, Object, None.
std::string table_row(const ResourceInfo& res, const Json& obj, const std::string& include_object);
// A cached row for a stored object (includeObject Metadata/default only).
std::string cached_row(const ResourceInfo& res, const storage::CachedObject& obj,
                       const std::string& include_object);

Json table_for_objects(const ResourceInfo& res, const std::vector<const Json*>& objs,
                       const std::string& include_object, bool with_columns,
                       const std::string& resource_version);
// A list as a Table (streamed when long).
void write_table_list(HttpResponse& out, const ResourceInfo& res, std::vector<storage::ObjectPtr> items,
                      const std::string& include_object, int64_t revision,
                      const std::string& continue_token, int64_t remaining);

}  // namespace kapi::server
