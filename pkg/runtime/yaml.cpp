#include "pkg/runtime/yaml.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "pkg/machinery/go_yaml.h"
#include "pkg/machinery/yaml_resolve.h"
#include "pkg/runtime/go_yaml_syntax.h"

namespace kapi::runtime {

using Json = nlohmann::ordered_json;

namespace {

// go-yaml's own errors (not the parser's), reported without a line like go-yaml does.
struct GoYamlError {
  std::string message;
};

// Go's %#v of a decoded YAML map key, for "key %#v already set in map".
std::string go_syntax(const Json& k) {
  if (k.is_null()) return "<nil>";
  if (!k.is_string()) return k.dump();
  std::string out = "\"";
  for (unsigned char c : k.get_ref<const std::string&>()) {
    if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else out += static_cast<char>(c);
  }
  return out + "\"";
}

// sigs.k8s.io/yaml's own errors (JSONToYAML's convertToJSONableObject), without "yaml: ".
struct JsonableError {
  std::string message;
};

// Go's %#v of a decoded YAML value; `nested` inside a []interface{} or map (where nil prints
// as interface {}(nil)).
std::string go_sharp_v(const Json& v, bool nested = false) {
  if (v.is_null()) return nested ? "interface {}(nil)" : "<nil>";
  if (v.is_array()) {
    std::string out = "[]interface {}{";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + go_sharp_v(v[i], true);
    return out + "}";
  }
  if (v.is_object()) {
    // Keys arrive as JSON text (strings as themselves); fmt sorts them.
    std::vector<std::string> keys;
    for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(it.key());
    std::sort(keys.begin(), keys.end());
    std::string out = "map[interface {}]interface {}{";
    for (size_t i = 0; i < keys.size(); ++i)
      out += (i ? ", " : "") + go_syntax(Json(keys[i])) + ":" + go_sharp_v(v[keys[i]], true);
    return out + "}";
  }
  return go_syntax(v);
}

// Converts one document the way sigs.k8s.io/yaml does (go-yaml v2 into interface{}, then JSON).
// When `strict` is set it also collects what go-yaml's UnmarshalStrict reports for the same
// document: every key set twice in one map, at the line of the second value.
struct Converter {
  std::vector<std::string>* strict = nullptr;

  Json value(const YAML::Node& n) {
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
        for (const auto& e : n) a.push_back(value(e));
        return a;
      }
      case YAML::NodeType::Map: {
        Json o = Json::object();
        std::vector<Json> keys;  // Go map keys (typed: 1 and "1" differ) already set
        fill(n, o, keys);
        return o;
      }
    }
    return nullptr;
  }

  // go-yaml v2 decoder.mapping(): pairs in order; a `<<` merges at its position.
  void fill(const YAML::Node& map, Json& out, std::vector<Json>& keys) {
    for (const auto& kv : map) {
      if (is_merge_key(kv.first)) {
        merge(kv.second, out, keys);
        continue;
      }
      Json k = value(kv.first);
      // go-yaml v2 decoder.mapping: a sequence or mapping cannot be a Go map key.
      if (k.is_array() || k.is_object()) throw GoYamlError{"invalid map key: " + go_sharp_v(k)};
      // convertToJSONableObject: only string, number and bool keys become JSON keys.
      if (k.is_null())
        throw JsonableError{"unsupported map key of type: %!s(<nil>), key: <nil>, value: " +
                            go_sharp_v(value(kv.second))};
      if (std::find(keys.begin(), keys.end(), k) != keys.end()) {
        if (strict)
          strict->push_back("line " + std::to_string(kv.second.Mark().line + 1) + ": key " +
                            go_syntax(k) + " already set in map");
      } else {
        keys.push_back(k);
      }
      out[k.is_string() ? k.get<std::string>() : k.dump()] = value(kv.second);
    }
  }

  // A plain `<<` key merges mappings (go-yaml v2 isMerge); a quoted "<<" is a key.
  static bool is_merge_key(const YAML::Node& k) {
    return k.IsScalar() && k.Scalar() == "<<" && (k.Tag() == "?" || k.Tag() == "tag:yaml.org,2002:merge");
  }

  // go-yaml v2 merge(): the merged keys are set into the map at the point of the `<<` (so they
  // override keys written before it, and strict mode reports keys set again after it); a
  // sequence is applied last-to-first, earlier maps winning.
  void merge(const YAML::Node& v, Json& out, std::vector<Json>& keys) {
    const char* want_map = "map merge requires map or sequence of maps as the value";
    if (v.IsMap()) return fill(v, out, keys);
    if (!v.IsSequence()) throw GoYamlError{want_map};
    for (size_t i = v.size(); i-- > 0;) {
      if (!v[i].IsMap()) throw GoYamlError{want_map};
      fill(v[i], out, keys);
    }
  }
};

}  // namespace

bool yaml_to_json(const std::string& text, std::vector<Json>& docs, std::string* error,
                  std::string* strict_error) {
  // Syntax errors are go-yaml's (yaml-cpp words them differently and accepts some inputs
  // go-yaml rejects); every document is checked, since callers convert them all.
  if (std::string e = go_yaml_syntax_error(text, true); !e.empty()) {
    *error = "error converting YAML to JSON: " + e;
    return false;
  }
  try {
    std::vector<std::string> strict;
    bool first = true;
    for (const auto& node : YAML::LoadAll(text)) {
      Converter c{first && strict_error ? &strict : nullptr};
      first = false;
      if (node.IsNull()) continue;
      docs.push_back(c.value(node));
    }
    if (strict_error && !strict.empty()) {
      // go-yaml's TypeError: "yaml: unmarshal errors:\n  " + errors joined by "\n  ".
      *strict_error = "yaml: unmarshal errors:";
      for (const auto& e : strict) *strict_error += "\n  " + e;
    }
  } catch (const YAML::Exception& e) {
    *error = "error converting YAML to JSON: yaml: line " + std::to_string(e.mark.line + 1) + ": " + e.msg;
    return false;
  } catch (const GoYamlError& e) {
    *error = "error converting YAML to JSON: yaml: " + e.message;
    return false;
  } catch (const JsonableError& e) {
    *error = "error converting YAML to JSON: " + e.message;
    return false;
  }
  return true;
}

bool first_yaml_document_to_json(const std::string& text, Json& doc, std::string* error) {
  size_t end = text.size();
  if (std::string e = go_yaml_syntax_error(text, false, &end); !e.empty()) {
    *error = "error converting YAML to JSON: " + e;
    return false;
  }
  std::vector<Json> docs;
  if (!yaml_to_json(text.substr(0, end), docs, error)) return false;
  doc = docs.empty() ? Json(nullptr) : std::move(docs[0]);
  return true;
}

std::string json_to_yaml(const Json& j) { return machinery::goyaml::marshal(j); }

}  // namespace kapi::runtime
