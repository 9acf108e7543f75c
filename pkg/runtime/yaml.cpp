#include "pkg/runtime/yaml.h"

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <regex>

namespace kapi::runtime {

using Json = nlohmann::ordered_json;

namespace {

// go-yaml v2's resolution of plain scalars.
Json resolve_plain(const std::string& s) {
  static const char* kTrue[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static const char* kFalse[] = {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  for (const char* t : kTrue) if (s == t) return true;
  for (const char* f : kFalse) if (s == f) return false;
  static const std::regex kInt("^[-+]?(0|[1-9][0-9_]*)$");
  static const std::regex kHex("^[-+]?0x[0-9a-fA-F_]+$");
  static const std::regex kOct("^[-+]?0[0-7_]+$");
  static const std::regex kFloat("^[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?$");
  std::string clean;
  for (char c : s) if (c != '_') clean += c;
  try {
    if (std::regex_match(s, kInt)) return std::stoll(clean);
    if (std::regex_match(s, kHex)) return std::stoll(clean, nullptr, 16);
    if (std::regex_match(s, kOct)) return std::stoll(clean, nullptr, 8);
    if (std::regex_match(s, kFloat)) {
      double d = std::stod(clean);
      if (std::floor(d) == d && std::fabs(d) < 9e15 && clean.find_first_of("eE") == std::string::npos)
        return d;
      return d;
    }
  } catch (...) {
  }
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf") return std::numeric_limits<double>::infinity();
  return s;
}

Json convert(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      if (n.Tag() == "!" || n.Tag() == "tag:yaml.org,2002:str") return n.Scalar();
      if (n.Tag() == "?" || n.Tag().empty()) return resolve_plain(n.Scalar());
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

bool needs_quotes(const std::string& s) {
  if (s.empty()) return true;
  Json r = resolve_plain(s);
  if (!r.is_string()) return true;
  static const std::string kSpecialStart = "-?:,[]{}#&*!|>'\"%@`";
  if (kSpecialStart.find(s[0]) != std::string::npos) {
    if (!((s[0] == '-' || s[0] == '?' || s[0] == ':') && s.size() > 1 && s[1] != ' ')) return true;
  }
  if (s.front() == ' ' || s.back() == ' ') return true;
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return true;
  if (s.back() == ':') return true;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

std::string scalar(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return v.dump();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::floor(d) == d && std::fabs(d) < 1e21) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.0f", d);
      return buf;
    }
    return v.dump();
  }
  const std::string& s = v.get_ref<const std::string&>();
  if (!needs_quotes(s)) return s;
  if (s.find('\n') == std::string::npos && s.find('\'') == std::string::npos) {
    bool printable = true;
    for (unsigned char c : s) printable &= c >= 0x20 && c != 0x7f;
    if (printable) return "'" + s + "'";
  }
  return Json(s).dump();
}

void emit(const Json& v, int indent, std::string& out, bool in_seq);

void emit_map(const Json& v, int indent, std::string& out, bool first_inline) {
  std::vector<std::string> keys;
  for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  bool first = true;
  for (const auto& k : keys) {
    if (!(first && first_inline)) out += std::string(indent, ' ');
    first = false;
    out += (needs_quotes(k) ? scalar(Json(k)) : k) + ":";
    const Json& c = v[k];
    if (c.is_object() && !c.empty()) {
      out += "\n";
      emit_map(c, indent + 2, out, false);
    } else if (c.is_array() && !c.empty()) {
      out += "\n";
      emit(c, indent, out, false);
    } else if (c.is_object()) {
      out += " {}\n";
    } else if (c.is_array()) {
      out += " []\n";
    } else {
      out += " " + scalar(c) + "\n";
    }
  }
}

void emit(const Json& v, int indent, std::string& out, bool in_seq) {
  if (v.is_object()) {
    if (v.empty()) { out += "{}\n"; return; }
    emit_map(v, indent, out, in_seq);
  } else if (v.is_array()) {
    if (v.empty()) { out += "[]\n"; return; }
    for (const auto& e : v) {
      out += std::string(indent, ' ') + "-";
      if (e.is_object() && !e.empty()) {
        out += " ";
        emit_map(e, indent + 2, out, true);
      } else if (e.is_array() && !e.empty()) {
        out += "\n";
        emit(e, indent + 2, out, false);
      } else if (e.is_object()) {
        out += " {}\n";
      } else if (e.is_array()) {
        out += " []\n";
      } else {
        out += " " + scalar(e) + "\n";
      }
    }
  } else {
    out += scalar(v) + "\n";
  }
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

std::string json_to_yaml(const Json& j) {
  std::string out;
  emit(j, 0, out, false);
  return out;
}

}  // namespace kapi::runtime
