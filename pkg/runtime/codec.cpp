#include "pkg/runtime/codec.h"

#include <nlohmann/json.hpp>

#include "pkg/runtime/protobuf.h"
#include "pkg/runtime/yaml.h"

namespace kapi::runtime {

bool decode_body(const std::string& body, const std::string& content_type, const StructType& type,
                 Json& out, DecodeResult& result) {
  if (content_type.empty() || content_type == "application/json" || content_type == "*/*" ||
      content_type == "application/merge-patch+json" ||
      content_type == "application/strategic-merge-patch+json") {
    return parse_json(body, out, result);
  }
  if (content_type == "application/yaml" || content_type == "application/apply-patch+yaml") {
    std::vector<Json> docs;
    std::string err;
    if (!yaml_to_json(body, docs, &err, &result.yaml_strict)) {
      result.error = err;
      return false;
    }
    out = docs.empty() ? Json::object() : docs[0];
    return true;
  }
  if (content_type == "application/vnd.kubernetes.protobuf") {
    std::string err;
    if (!decode_protobuf(body, type, out, &err)) {
      result.error = err;
      return false;
    }
    return true;
  }
  result.error = "unsupported media type";
  return false;
}

void encode_response(const std::string& json, const std::string& accept, std::string& body,
                     std::string& content_type) {
  // Pick the first acceptable type the client lists; JSON when nothing else fits.
  size_t pos = 0;
  while (pos < accept.size()) {
    size_t comma = accept.find(',', pos);
    std::string item = accept.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? accept.size() : comma + 1;
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    std::string base = item.substr(0, item.find(';'));
    if (base == "application/yaml") {
      body = json_to_yaml(Json::parse(json));
      content_type = "application/yaml";
      return;
    }
    if (base == "application/json" || base == "*/*" || base == "application/*") break;
  }
  body = json;
  content_type = "application/json";
}

}  // namespace kapi::runtime
