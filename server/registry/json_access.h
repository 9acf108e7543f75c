#pragma once
// Reading optional children of a JSON tree without copying them: nlohmann's value(key, default)
// returns a copy of the whole subtree, which on hot paths (every create, every table row)
// dominated the profile.
#include <nlohmann/json_fwd.hpp>

#include <string>

namespace kapi::server {

// j[key] when it is an object, else a shared empty object.
const nlohmann::ordered_json& obj_at(const nlohmann::ordered_json& j, const char* key);
// j[key] when it is an array, else a shared empty array.
const nlohmann::ordered_json& arr_at(const nlohmann::ordered_json& j, const char* key);
// j[key] when it is a string, else "".
std::string str_at(const nlohmann::ordered_json& j, const char* key);

}  // namespace kapi::server
