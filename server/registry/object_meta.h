#pragma once
// ObjectMeta handling shared by every verb: system fields on create, managedFields, metadata
// validation, resourceVersion injection, continue tokens.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "pkg/runtime/schema.h"
#include "pkg/runtime/status.h"
#include "server/http/http.h"
#include "server/registry/resource.h"
#include "server/request_info.h"
#include "server/storage/storage.h"

namespace kapi::server {

using Json = nlohmann::ordered_json;

void set_resource_version(Json& obj, int64_t rev);
// The object as the API returns it (metadata.resourceVersion set); `strip_type` drops
// kind/apiVersion as list items do. No parsing: the revision is spliced into the stored bytes.
void append_object_json(std::string& out, const storage::CachedObject& obj, bool strip_type);
// The object's metadata as the API shows it (resourceVersion included), read from the stored
// bytes without parsing them; false if they have no top-level metadata object.
bool append_metadata_json(std::string& out, const storage::CachedObject& obj);
// The same for stored bytes not (yet) in the cache, e.g. the answer to a write.
void append_with_resource_version(std::string& out, const std::string& stored, int64_t rev, bool strip_type);
std::string object_json(const storage::CachedObject& obj);
Json without_rv(Json obj);
// `{"kind":..,"apiVersion":..,REST}` -> `{REST}` (list items carry no TypeMeta).
std::string strip_type_meta(const std::string& json);
// uid, creationTimestamp, generation, managedFields of a new object.
void prepare_new_meta(Json& obj, const runtime::StructType& type, bool tracks_generation,
                      const HttpRequest& req, const UserInfo& user, const std::string& operation);
void update_managed_fields(Json& obj, const Json& old, const runtime::StructType& type,
                           const HttpRequest& req, const UserInfo& user, const std::string& subresource);
// The field manager of a request: ?fieldManager, else the user agent up to its first '/'.
std::string manager_of(const HttpRequest& req);
std::vector<runtime::StatusCause> validate_meta(const ResourceInfo& res, const Json& obj);
std::string random_suffix();
std::string new_uid();
bool is_dry_run(const HttpRequest& req);
bool wants_table(const HttpRequest& req);
std::string encode_continue(int64_t rev, const std::string& start);
bool decode_continue(const std::string& token, int64_t& rev, std::string& start);

}  // namespace kapi::server
