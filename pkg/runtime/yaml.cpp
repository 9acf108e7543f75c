#include "pkg/runtime/yaml.h"

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "pkg/machinery/go_yaml.h"
#include "pkg/machinery/yaml_resolve.h"

namespace kapi::runtime {

using Json = nlohmann::ordered_json;

namespace {

// go-yaml's own errors (not the parser's), reported without a line like go-yaml does.
struct GoYamlError {
  std::string message;
};

Json convert(const YAML::Node& n);

// A plain `<<` key merges mappings (go-yaml v2 decode.go isMerge); a quoted "<<" is a key.
bool is_merge_key(const YAML::Node& k) {
  return k.IsScalar() && k.Scalar() == "<<" && (k.Tag() == "?" || k.Tag() == "tag:yaml.org,2002:merge");
}

// go-yaml v2 merge(): the merged keys are set into the map at the point of the `<<` (so they
// override keys written before it); a sequence is applied last-to-first, earlier maps winning.
void merge(const YAML::Node& v, Json& out) {
  const char* want_map = "map merge requires map or sequence of maps as the value";
  auto apply = [&](const YAML::Node& m) {
    if (!m.IsMap()) throw GoYamlError{want_map};
    Json merged = convert(m);
    for (auto it = merged.begin(); it != merged.end(); ++it) out[it.key()] = it.value();
  };
  if (v.IsMap()) return apply(v);
  if (!v.IsSequence()) throw GoYamlError{want_map};
  for (size_t i = v.size(); i-- > 0;) apply(v[i]);
}

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
        if (is_merge_key(kv.first)) {
          merge(kv.second, o);
          continue;
        }
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
  } catch (const GoYamlError& e) {
    *error = "error converting YAML to JSON: yaml: " + e.message;
    return false;
  }
  return true;
}

std::string json_to_yaml(const Json& j) { return machinery::goyaml::marshal(j); }

}  // namespace kapi::runtime
