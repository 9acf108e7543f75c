// append_typed_json must give exactly encode_json(normalize(x)) for any tree: the real manifests
// as decoded (document key order), the same trees with every object's keys reversed (what
// defaulting does to field order), and inputs normalize rejects or rewrites (the fallback).
#include "pkg/runtime/typed_json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "pkg/runtime/yaml.h"

namespace kapi::runtime {
namespace {

namespace fs = std::filesystem;

std::string slow(const Json& obj, const StructType& type) {
  DecodeResult dr;
  return encode_json(normalize(obj, type, dr));
}

const StructType& type(const char* group_version, const char* kind) {
  const StructType* t = Schema::get().find(group_version, kind);
  EXPECT_NE(t, nullptr) << kind;
  return *t;
}

Json reversed(const Json& j) {
  if (j.is_array()) {
    Json out = Json::array();
    for (const auto& e : j) out.push_back(reversed(e));
    return out;
  }
  if (!j.is_object()) return j;
  Json out = Json::object();
  const auto& items = j.get_ref<const Json::object_t&>();
  for (auto it = items.rbegin(); it != items.rend(); ++it) out[it->first] = reversed(it->second);
  return out;
}

TEST(TypedJson, MatchesNormalizeThenEncodeOnEveryManifest) {
  int checked = 0;
  for (const auto& entry : fs::directory_iterator("testdata/manifests")) {
    if (entry.path().extension() != ".yaml") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::vector<Json> docs;
    std::string err;
    if (!yaml_to_json(ss.str(), docs, &err)) continue;  // the malformed ones
    for (const Json& doc : docs) {
      std::string api_version = doc.value("apiVersion", "");
      auto slash = api_version.find('/');
      std::string group = slash == std::string::npos ? "core" : api_version.substr(0, slash);
      std::string version = slash == std::string::npos ? api_version : api_version.substr(slash + 1);
      group = group.substr(0, group.find('.'));
      const StructType* t = Schema::get().find("io.k8s.api." + group + "." + version, doc.value("kind", ""));
      if (!t) continue;
      EXPECT_EQ(encode_typed_json(doc, *t), slow(doc, *t)) << entry.path();
      Json rev = reversed(doc);
      std::string direct;
      EXPECT_TRUE(append_typed_json_direct(rev, *t, direct)) << entry.path();
      EXPECT_EQ(direct, slow(rev, *t)) << entry.path() << " (keys reversed)";
      ++checked;
    }
  }
  EXPECT_GT(checked, 40);
}

TEST(TypedJson, ZeroValuesEscapesAndMaps) {
  const StructType& pod = type("io.k8s.api.core.v1", "Pod");
  for (const char* text : {
           R"({})",
           R"({"metadata":{"name":"a<b>&c","labels":{"z":"1","a":"é\u2028"}},"spec":{"containers":[]}})",
           R"({"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"1000m","memory":1e3}}}]}})",
           R"({"spec":{"containers":[{"name":"c","ports":[{"containerPort":80.0}]}],"priority":0,"hostNetwork":false}})",
           R"({"metadata":{"creationTimestamp":"2024-01-02T03:04:05.123Z","unknown":1},"status":{"phase":""}})",
           R"({"spec":{"overhead":{},"nodeSelector":null,"tolerations":[{"tolerationSeconds":5}]}})",
       }) {
    Json j = Json::parse(text);
    std::string direct;
    EXPECT_TRUE(append_typed_json_direct(j, pod, direct)) << text;
    EXPECT_EQ(direct, slow(j, pod)) << text;
  }
}

TEST(TypedJson, FallsBackWhereNormalizeRejects) {
  const StructType& pod = type("io.k8s.api.core.v1", "Pod");
  for (const char* text : {
           R"({"metadata":{"name":5}})",
           R"({"metadata":{"name":""},"spec":{"priority":"x"}})",
           R"({"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"bogus"}}}]}})",
           R"({"spec":{"containers":{}}})",
           R"({"spec":{"priority":3000000000}})",
           R"({"spec":{"activeDeadlineSeconds":1.5}})",
           R"({"metadata":{"creationTimestamp":"yesterday"}})",
           R"({"spec":{"nodeSelector":[]}})",
       }) {
    Json j = Json::parse(text);
    std::string direct = "x";
    EXPECT_FALSE(append_typed_json_direct(j, pod, direct)) << text;
    EXPECT_EQ(direct, "x");
    EXPECT_EQ(encode_typed_json(j, pod), slow(j, pod)) << text;
  }
}

}  // namespace
}  // namespace kapi::runtime
