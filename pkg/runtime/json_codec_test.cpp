// The typed codec against upstream's encoding. Expected outputs come from upstream: the kubeadm
// v1.19.4 manifest (testdata/reference, real kubeadm output), KUBECTL-CONTRACT.md's wire
// captures, and Go's encoding/json rules for the k8s.io/api structs.
#include "pkg/runtime/json_codec.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "pkg/runtime/codec.h"
#include "pkg/runtime/protobuf.h"
#include "pkg/runtime/yaml.h"

namespace kapi::runtime {
namespace {

const StructType& type(const std::string& name) {
  const StructType* t = Schema::get().find(name);
  EXPECT_NE(t, nullptr) << name;
  return *t;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Json roundtrip(const std::string& json, const std::string& type_name, DecodeResult* out = nullptr) {
  DecodeResult dr;
  Json raw;
  EXPECT_TRUE(parse_json(json, raw, dr)) << dr.error;
  Json n = normalize(raw, type(type_name), dr);
  if (out) *out = dr;
  return n;
}

TEST(Schema, KnowsTheKindsAndFieldNumbers) {
  const StructType& pod = type("io.k8s.api.core.v1.Pod");
  EXPECT_TRUE(pod.is_kind);
  ASSERT_NE(pod.find("kind"), nullptr);
  ASSERT_NE(pod.find("spec"), nullptr);
  EXPECT_EQ(pod.find("spec")->proto, 2);
  const StructType& c = type("io.k8s.api.core.v1.Container");
  EXPECT_EQ(c.find("ports")->merge_key, "containerPort");
  EXPECT_EQ(c.find("ports")->patch_strategy, "merge");
  EXPECT_TRUE(c.find("name")->required());
  // Volume embeds VolumeSource: its fields are flattened in JSON.
  EXPECT_NE(type("io.k8s.api.core.v1.Volume").find("hostPath"), nullptr);
}

TEST(JsonCodec, ZeroValuesAsGoEncodesThem) {
  // A Pod with nil containers encodes "containers":null; metav1.Time zero is null; an empty
  // PodStatus struct is {} (encoding/json never omits structs).
  Json n = roundtrip(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}})", "io.k8s.api.core.v1.Pod");
  EXPECT_EQ(encode_json(n),
            R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":"x","creationTimestamp":null},"spec":{"containers":null},"status":{}})");
}

TEST(JsonCodec, FieldOrderFollowsTheStructs) {
  Json n = roundtrip(R"({"data":{"b":"2","a":"1"},"metadata":{"namespace":"n","name":"c"},"kind":"ConfigMap","apiVersion":"v1"})",
                     "io.k8s.api.core.v1.ConfigMap");
  EXPECT_EQ(encode_json(n),
            R"({"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c","namespace":"n","creationTimestamp":null},"data":{"a":"1","b":"2"}})");
}

TEST(JsonCodec, StrictErrorsNameEveryUnknownAndDuplicateField) {
  DecodeResult dr;
  roundtrip(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"bogus":1,"containers":[{"name":"c","image":"i","imagez":"j"}]}})",
            "io.k8s.api.core.v1.Pod", &dr);
  EXPECT_EQ(dr.strict_message(),
            R"(strict decoding error: unknown field "spec.bogus", unknown field "spec.containers[0].imagez")");
  DecodeResult dup;
  roundtrip(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"a":"1","a":"2"}})",
            "io.k8s.api.core.v1.ConfigMap", &dup);
  EXPECT_EQ(dup.strict_message(), R"(strict decoding error: duplicate field "data.a")");
  EXPECT_EQ(dup.warnings(), std::vector<std::string>{R"(duplicate field "data.a")"});
}

TEST(JsonCodec, TypeErrorsUseGoWording) {
  DecodeResult dr;
  roundtrip(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":5}})", "io.k8s.api.core.v1.Pod", &dr);
  EXPECT_EQ(dr.error, "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string");
}

TEST(JsonCodec, TimesAreNormalizedToUtcSeconds) {
  Json n = roundtrip(R"({"metadata":{"name":"x","creationTimestamp":"2020-01-02T03:04:05.123+01:00"}})",
                     "io.k8s.api.core.v1.ConfigMap");
  EXPECT_EQ(n["metadata"]["creationTimestamp"], "2020-01-02T02:04:05Z");
}

TEST(JsonCodec, KubeadmManifestRoundTripsByteForByte) {
  // Real kubeadm v1.19.4 output: decoding and re-encoding it must give the same bytes.
  std::string text = read("testdata/reference/kube-apiserver.v1.19.4.yaml");
  ASSERT_FALSE(text.empty());
  std::vector<Json> docs;
  std::string err;
  ASSERT_TRUE(yaml_to_json(text, docs, &err)) << err;
  ASSERT_EQ(docs.size(), 1u);
  DecodeResult dr;
  Json n = normalize(docs[0], type("io.k8s.api.core.v1.Pod"), dr);
  EXPECT_TRUE(dr.ok()) << dr.error;
  EXPECT_TRUE(dr.unknown.empty());
  EXPECT_EQ(json_to_yaml(n), text);
}

TEST(Protobuf, DecodesKubectlCreateConfigMapBody) {
  // Captured from kubectl 1.32 `create configmap cm1 --from-literal=a=b` (KUBECTL-CONTRACT §3).
  const std::string hex =
      "6b3873000a0f0a0276311209436f6e6669674d6170121d0a130a03636d3112001a0022002a0032003800420012060a01611201621a002200";
  std::string body;
  for (size_t i = 0; i < hex.size(); i += 2) body += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  Json raw;
  std::string err;
  ASSERT_TRUE(decode_protobuf(body, type("io.k8s.api.core.v1.ConfigMap"), raw, &err)) << err;
  DecodeResult dr;
  Json n = normalize(raw, type("io.k8s.api.core.v1.ConfigMap"), dr);
  EXPECT_EQ(encode_json(n),
            R"({"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cm1","creationTimestamp":null},"data":{"a":"b"}})");
  // And our encoder produces a body the decoder reads back identically.
  Json again;
  ASSERT_TRUE(decode_protobuf(encode_protobuf(n, type("io.k8s.api.core.v1.ConfigMap")),
                              type("io.k8s.api.core.v1.ConfigMap"), again, &err));
  DecodeResult dr2;
  EXPECT_EQ(encode_json(normalize(again, type("io.k8s.api.core.v1.ConfigMap"), dr2)), encode_json(n));
}

TEST(Yaml, PlainScalarsResolveAsGoYamlV2) {
  std::vector<Json> docs;
  std::string err;
  ASSERT_TRUE(yaml_to_json("a: yes\nb: '1'\nc: 1\nd: 1.5\ne: ~\nf: on\n---\nx: 1\n", docs, &err));
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].dump(), R"({"a":true,"b":"1","c":1,"d":1.5,"e":null,"f":true})");
}

TEST(Yaml, MergeKeysFollowGoYamlV2) {
  // Checked with kubectl 1.33 (`set serviceaccount --local -o yaml` of this manifest): a merge
  // overrides keys written before it, earlier maps of a merge sequence win, a quoted "<<" is a
  // plain key, and a merge of a scalar is an error.
  std::vector<Json> docs;
  std::string err;
  ASSERT_TRUE(yaml_to_json("a: explicit-before\n"
                           "<<: [{a: from-first, b: from-first}, {a: from-second, b: from-second, c: from-second}]\n"
                           "c: explicit-after\n"
                           "\"<<\": quoted\n",
                           docs, &err)) << err;
  EXPECT_EQ(docs[0].dump(), R"({"a":"from-first","b":"from-first","c":"explicit-after","<<":"quoted"})");
  docs.clear();
  ASSERT_TRUE(yaml_to_json("base: &b {x: 1}\nm:\n  <<: *b\n  z: 2\n", docs, &err)) << err;
  EXPECT_EQ(docs[0]["m"].dump(), R"({"x":1,"z":2})");
  EXPECT_FALSE(yaml_to_json("labels:\n  <<: x\n", docs, &err));
  EXPECT_EQ(err, "error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value");
}

TEST(JsonCodec, NumericQuantitiesAreReadAsGoPrintsTheFloat) {
  // A YAML float reaches resource.Quantity through float64 and encoding/json: 0.000001 is
  // "0.000001" (1u), 1e3 is "1000" (1k). Values from kubectl 1.33 (testdata/manifests).
  Json n = roundtrip(R"({"spec":{"hard":{"a":0.000001,"b":1e3,"c":1.5e9,"d":0.25,"e":7}}})",
                     "io.k8s.api.core.v1.ResourceQuota");
  EXPECT_EQ(n["spec"]["hard"].dump(), R"({"a":"1u","b":"1k","c":"1500M","d":"250m","e":"7"})");
}

TEST(Codec, YamlStrictErrorsAreGoYamlsThenTheJsonOnes) {
  // apimachinery's json serializer (Yaml+Strict): YAMLToJSONStrict's error first (go-yaml v2
  // setMapIndex: `line N: key %#v already set in map`, N the line of the second value), then
  // the JSON strict errors of the converted (duplicate-free) body.
  const std::string body =
      "apiVersion: v1\n"
      "kind: ConfigMap\n"
      "metadata:\n"
      "  name: x\n"
      "data:\n"
      "  a: \"1\"\n"
      "  a: \"2\"\n"
      "bogus: {}\n";
  DecodeResult dr;
  Json raw;
  ASSERT_TRUE(decode_body(body, "application/yaml", type("io.k8s.api.core.v1.ConfigMap"), raw, dr));
  EXPECT_EQ(raw["data"]["a"], "2");  // non-strict YAMLToJSON: the later value wins
  (void)normalize(raw, type("io.k8s.api.core.v1.ConfigMap"), dr);
  EXPECT_EQ(dr.yaml_strict, "yaml: unmarshal errors:\n  line 7: key \"a\" already set in map");
  EXPECT_TRUE(dr.duplicate.empty());
  EXPECT_EQ(dr.strict_message(),
            "strict decoding error: yaml: unmarshal errors:\n  line 7: key \"a\" already set in map, "
            "unknown field \"bogus\"");
  EXPECT_EQ(dr.warnings().front(), dr.yaml_strict);
}

TEST(Yaml, StrictDuplicateKeysAsGoYamlReportsThem) {
  auto strict = [](const std::string& text) {
    std::vector<Json> docs;
    std::string err, strict_err;
    EXPECT_TRUE(yaml_to_json(text, docs, &err, &strict_err)) << err;
    return strict_err;
  };
  // Keys compare as decoded Go values: yes and true are the same bool key; the line is the
  // value's (a block mapping value starts at its first key). Every duplicate is listed.
  EXPECT_EQ(strict("m:\n  yes: 1\n  true: 2\nspec:\n  x: 1\nspec:\n  y: 2\n"),
            "yaml: unmarshal errors:\n  line 3: key true already set in map\n"
            "  line 7: key \"spec\" already set in map");
  EXPECT_EQ(strict("a: 1\n\"a\": 2\n1: x\n\"1\": y\n"),
            "yaml: unmarshal errors:\n  line 2: key \"a\" already set in map");
  // A key set again after a merge is a duplicate for go-yaml v2's strict decoder.
  EXPECT_EQ(strict("base: &b {name: a}\nc:\n  <<: *b\n  name: b\n"),
            "yaml: unmarshal errors:\n  line 4: key \"name\" already set in map");
  // Only the first document is checked (yaml.UnmarshalStrict reads one document).
  EXPECT_EQ(strict("a: 1\n---\na: 1\na: 2\n"), "");
}

TEST(Codec, YamlBodiesDecodeThroughTheSamePath) {
  DecodeResult dr;
  Json raw;
  ASSERT_TRUE(decode_body("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n", "application/yaml",
                          type("io.k8s.api.core.v1.ConfigMap"), raw, dr));
  EXPECT_EQ(raw["metadata"]["name"], "web");
  EXPECT_FALSE(decode_body("x", "text/plain", type("io.k8s.api.core.v1.ConfigMap"), raw, dr));
}

}  // namespace
}  // namespace kapi::runtime
