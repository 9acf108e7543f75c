// Real-world manifests (testdata/manifests/*.yaml) decoded by kapi's codec and encoded again must
// give, byte for byte, what upstream's typed decode->encode gives. The goldens were printed by
// real kubectl 1.33 through its typed code paths (tools/manifests/regen_golden.sh), or, for kinds
// kubectl has no typed path for, written by hand from the Go rules (testdata/manifests/README.md).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/yaml.h"

namespace kapi::runtime {
namespace {

namespace fs = std::filesystem;
const fs::path kDir = "testdata/manifests";

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The schema type of an object from its apiVersion and kind: "rbac.authorization.k8s.io/v1"
// lives in package io.k8s.api.rbac.v1, "v1" in io.k8s.api.core.v1.
const StructType* type_of(const Json& obj) {
  std::string api_version = obj.value("apiVersion", "");
  auto slash = api_version.find('/');
  std::string group = slash == std::string::npos ? "core" : api_version.substr(0, slash);
  std::string version = slash == std::string::npos ? api_version : api_version.substr(slash + 1);
  group = group.substr(0, group.find('.'));
  return Schema::get().find("io.k8s.api." + group + "." + version, obj.value("kind", ""));
}

// kubectl -o json prints one indented document per object; split them on the top-level braces.
std::vector<Json> json_documents(const std::string& text) {
  std::vector<Json> out;
  size_t start = 0;
  while ((start = text.find("{\n", start)) != std::string::npos) {
    size_t end = text.find("\n}\n", start);
    if (end == std::string::npos) break;
    out.push_back(Json::parse(text.substr(start, end + 2 - start)));
    start = end + 3;
  }
  return out;
}

struct Encoded {
  std::string yaml;
  std::vector<std::string> json;
};

Encoded encode_manifest(const std::string& name) {
  std::vector<Json> docs;
  std::string err;
  EXPECT_TRUE(yaml_to_json(read(kDir / (name + ".yaml")), docs, &err)) << name << ": " << err;
  Encoded out;
  for (const Json& doc : docs) {
    const StructType* type = type_of(doc);
    EXPECT_NE(type, nullptr) << name << ": no type for " << doc.value("apiVersion", "") << " "
                             << doc.value("kind", "");
    if (!type) continue;
    DecodeResult dr;
    Json typed = normalize(doc, *type, dr);
    EXPECT_TRUE(dr.ok()) << name << ": " << dr.error;
    EXPECT_TRUE(dr.unknown.empty() && dr.duplicate.empty()) << name << ": " << dr.strict_message();
    if (!out.yaml.empty()) out.yaml += "---\n";  // kubectl's YAML printer between objects
    out.yaml += json_to_yaml(typed);
    out.json.push_back(encode_json(typed));
  }
  return out;
}

std::vector<std::string> golden_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kDir / "golden"))
    if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ManifestsGolden, AtLeastThirtyManifestsHaveGoldens) {
  EXPECT_GE(golden_names().size(), 30u);
  for (const auto& e : fs::directory_iterator(kDir))
    if (e.path().extension() == ".yaml")
      EXPECT_TRUE(fs::exists(kDir / "golden" / e.path().filename())) << e.path() << " has no golden";
}

TEST(ManifestsGolden, YamlRoundTripsByteForByte) {
  for (const auto& name : golden_names()) {
    SCOPED_TRACE(name);
    EXPECT_EQ(encode_manifest(name).yaml, read(kDir / "golden" / (name + ".yaml")));
  }
}

TEST(ManifestsGolden, JsonFieldOrderAndValuesMatch) {
  // The JSON goldens are kubectl's indented output; compare Go's compact encoding of both so
  // that field order, zero values and escaping count, and indentation (a printer concern) not.
  for (const auto& name : golden_names()) {
    fs::path path = kDir / "golden" / (name + ".json");
    if (!fs::exists(path)) continue;
    SCOPED_TRACE(name);
    std::vector<std::string> want;
    for (const Json& doc : json_documents(read(path))) want.push_back(encode_json(doc));
    EXPECT_EQ(encode_manifest(name).json, want);
  }
}

}  // namespace
}  // namespace kapi::runtime
