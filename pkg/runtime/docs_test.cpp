// The API descriptions (pkg/api/docs) against the schema: every line must name a real type or
// field, so the docs fail here instead of rotting when the schema changes.
#include "pkg/runtime/docs.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pkg/runtime/openapi.h"

namespace kapi::runtime {
namespace {

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "  " + l + "\n";
  return out;
}

TEST(Docs, EveryLineNamesASchemaTypeOrField) {
  const Docs& docs = Docs::get();
  EXPECT_TRUE(docs.problems().empty()) << "pkg/api/docs lines that do not match the schema:\n"
                                       << join(docs.problems());
  EXPECT_GT(docs.field_count(), 500u);
}

TEST(Docs, EveryKindHasATypeDescription) {
  std::vector<std::string> missing;
  for (const auto& [name, st] : Schema::get().types())
    if (st->is_kind && Docs::get().type(*st).empty()) missing.push_back(name);
  EXPECT_TRUE(missing.empty()) << "kinds without a description in pkg/api/docs:\n" << join(missing);
}

TEST(Docs, ReportsLinesThatDoNotMatchTheSchema) {
  auto schema = Schema::parse({R"(package io.k8s.test.v1
type Inner
  depth int32 1
type Outer
  - Inner 0 inline
  name string 1
)"});
  auto docs = Docs::parse({R"(# comment
Orphan: before any package line.
package io.k8s.test.v1
Outer: A test type.
Outer.name: The name.
Outer.nmae: A misspelt field.
Outer.depth: Declared by the embedded type.
Inner.depth: How deep.
Missing: No such type.
Missing.name: No such type either.
Outer.name: Said twice.
Inner:
no colon here
package io.k8s.nothing.v1
)"},
                          *schema);
  EXPECT_EQ(docs->problems(),
            (std::vector<std::string>{
                "docs source 0:2: line before the package line",
                "io.k8s.test.v1:6: Outer has no field nmae",
                "io.k8s.test.v1:7: Outer.depth is declared by Inner; describe it there",
                "io.k8s.test.v1:9: unknown type Missing",
                "io.k8s.test.v1:10: unknown type Missing",
                "io.k8s.test.v1:11: duplicate Outer.name",
                "io.k8s.test.v1:12: expected 'Type: text' or 'Type.field: text'",
                "io.k8s.test.v1:13: expected 'Type: text' or 'Type.field: text'",
                "io.k8s.test.v1:14: no schema types in package io.k8s.nothing.v1",
            }));
  const StructType* outer = schema->find("io.k8s.test.v1.Outer");
  const StructType* inner = schema->find("io.k8s.test.v1.Inner");
  EXPECT_EQ(docs->type(*outer), "A test type.");
  EXPECT_EQ(docs->field(*outer->find("name")), "The name.");
  // The embedded field is found through the type that embeds it.
  EXPECT_EQ(docs->field(*outer->find("depth")), "How deep.");
  EXPECT_EQ(docs->type(*inner), "");
}

TEST(Docs, OpenApiCarriesTypeAndFieldDescriptions) {
  nlohmann::ordered_json components = nlohmann::ordered_json::object();
  const StructType* pod = Schema::get().find("io.k8s.api.core.v1.Pod");
  ASSERT_NE(pod, nullptr);
  add_component_schemas(*pod, components);
  const auto& pod_schema = components["io.k8s.api.core.v1.Pod"];
  EXPECT_EQ(pod_schema.value("description", ""), std::string(Docs::get().type(*pod)));
  // kind comes from the embedded TypeMeta and still carries TypeMeta.kind's text.
  const auto& kind = pod_schema.at("properties").at("kind");
  EXPECT_EQ(kind.value("description", ""), std::string(Docs::get().field(*pod->find("kind"))));
  EXPECT_NE(kind.value("description", ""), "");
}

}  // namespace
}  // namespace kapi::runtime
