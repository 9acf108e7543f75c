#pragma once
// Reading optional children of a JSON tree without copying them: nlohmann's value(key, default)
// returns a copy of the whole subtree, which on hot paths (every create, every table row)
// dominated the profile.
#include <nlohmann/json.hpp>

namespace kapi::server {

// j[key] when it is an object, else a shared empty object.
inline const nlohmann::ordered_json& obj_at(const nlohmann::ordered_json& j, const char* key) {
  static const nlohmann::ordered_json kEmpty = nlohmann::ordered_json::object();
  if (!j.is_object()) return kEmpty;
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}

// j[key] when it is an array, else a shared empty array.
inline const nlohmann::ordered_json& arr_at(const nlohmann::ordered_json& j, const char* key) {
  static const nlohmann::ordered_json kEmpty = nlohmann::ordered_json::array();
  if (!j.is_object()) return kEmpty;
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : kEmpty;
}

}  // namespace kapi::server
