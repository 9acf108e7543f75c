#include "client/cmd/name_hash.h"

#include <openssl/sha.h>

#include <nlohmann/json.hpp>
#include <string>

#include "client/printers/go_json.h"

namespace kapi::client {

namespace {

using Json = nlohmann::ordered_json;

// encodeHash: the first ten hex digits of the SHA-256, with 0 1 3 a e mapped to g h k m t so that
// no words form.
std::string encode_hash(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 5; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  for (auto& c : out) {
    switch (c) {
      case '0': c = 'g'; break;
      case '1': c = 'h'; break;
      case '3': c = 'k'; break;
      case 'a': c = 'm'; break;
      case 'e': c = 't'; break;
      default: break;
    }
  }
  return out;
}

}  // namespace

void append_name_hash(Json& obj) {
  const std::string kind = obj.value("kind", "");
  std::string name = obj["metadata"].value("name", "");
  // encodeConfigMap / encodeSecret: json.Marshal of a map (sorted keys); the data map is always
  // there, binaryData only when not empty, a Secret's type even when empty.
  Json m = {{"kind", kind}, {"name", name}, {"data", obj.value("data", Json::object())}};
  if (kind == "ConfigMap") {
    if (obj.contains("binaryData") && !obj["binaryData"].empty()) m["binaryData"] = obj["binaryData"];
  } else {
    m["type"] = obj.value("type", "");
  }
  if (obj.contains("immutable") && obj["immutable"].is_boolean()) m["immutable"] = obj["immutable"];
  obj["metadata"]["name"] = name + "-" + encode_hash(to_go_json(m));
}

}  // namespace kapi::client
