#include "server/registry/json_access.h"

#include <nlohmann/json.hpp>

namespace kapi::server {

const nlohmann::ordered_json& obj_at(const nlohmann::ordered_json& j, const char* key) {
  static const nlohmann::ordered_json kEmpty = nlohmann::ordered_json::object();
  if (!j.is_object()) return kEmpty;
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}

const nlohmann::ordered_json& arr_at(const nlohmann::ordered_json& j, const char* key) {
  static const nlohmann::ordered_json kEmpty = nlohmann::ordered_json::array();
  if (!j.is_object()) return kEmpty;
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : kEmpty;
}

std::string str_at(const nlohmann::ordered_json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace kapi::server
