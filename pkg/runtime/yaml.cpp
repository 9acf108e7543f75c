#include "pkg/runtime/yaml.h"

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "pkg/machinery/go_yaml.h"
#include "pkg/machinery/yaml_resolve.h"

namespace kapi::runtime {

using Json = nlohmann::ordered_json;

namespace {

Json convert(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      if (n.Tag() == "!" || n.Tag() == "tag:yaml.org,2002:str") return n.Scalar();
      if (n.Tag() == "?" || n.Tag().empty()) return machinery::goyaml::plain_value(n.Scalar());
      return n.Scalar();
    case YAML::NodeType::Sequence: {
      Json a = Json::array();
      for (const auto& e : n) a.push_back(convert(e));
      return a;
    }
    case YAML::NodeType::Map: {
      Json o = Json::object();
      for (const auto& kv : n) {
        Json k = convert(kv.first);
        std::string key = k.is_string() ? k.get<std::string>() : k.dump();
        o[key] = convert(kv.second);
      }
      return o;
    }
  }
  return nullptr;
}

}  // namespace

bool yaml_to_json(const std::string& text, std::vector<Json>& docs, std::string* error) {
  try {
    for (const auto& node : YAML::LoadAll(text)) {
      if (node.IsNull()) continue;
      docs.push_back(convert(node));
    }
  } catch (const YAML::Exception& e) {
    *error = "error converting YAML to JSON: yaml: line " + std::to_string(e.mark.line + 1) + ": " + e.msg;
    return false;
  }
  return true;
}

std::string json_to_yaml(const Json& j) { return machinery::goyaml::marshal(j); }

}  // namespace kapi::runtime
