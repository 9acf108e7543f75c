#pragma once
// The typed model at run time: pkg/api/schema/*.schema parsed once into these structures.
// Every codec (JSON, protobuf), the OpenAPI documents and strategic-merge-patch metadata read
// them; no other field list exists in kapi.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kapi::runtime {

enum class Kind {
  kString, kBool, kInt32, kInt64, kFloat64, kBytes,
  kTime, kMicroTime, kDuration, kQuantity, kIntOrString,
  kRaw,  // RawExtension, FieldsV1, Any: arbitrary JSON kept as is
  kStruct, kPointer, kSlice, kMap,
};

struct StructType;

struct Type {
  Kind kind = Kind::kString;
  const StructType* st = nullptr;  // kStruct
  const Type* elem = nullptr;      // kPointer, kSlice, kMap (value type)
  std::string spelling;            // as written in the schema, e.g. "[]Container"
  bool nullable() const { return kind == Kind::kPointer || kind == Kind::kSlice || kind == Kind::kMap; }
};

struct Field {
  std::string json;  // JSON name; empty for an inline (embedded) struct
  const Type* type = nullptr;
  int proto = 0;     // protobuf field number, 0 = not in protobuf
  bool omitempty = false;
  bool optional = false;
  bool inline_ = false;
  std::string patch_strategy;  // "", "merge", "replace", "retainKeys", "merge,retainKeys"
  std::string merge_key;
  std::string list_type;       // "", "atomic", "map", "set"
  std::vector<std::string> list_keys;
  std::string map_type;
  bool required() const { return !omitempty && !optional && !inline_; }
};

struct StructType {
  std::string name;      // full OpenAPI name, e.g. io.k8s.api.core.v1.Pod
  std::string short_name;  // Pod
  std::string go_package;  // v1 (last element of the Go package, for error messages)
  bool is_kind = false;  // a top-level API object (runtime.Object)
  bool atomic = false;   // +structType=atomic
  std::vector<Field> fields;  // declaration order, inline structs not flattened
  // JSON name -> field after flattening inline structs (points into this or an inline type).
  const Field* find(std::string_view json) const;
  // The position in flat() of the field with this JSON name, or -1.
  int index_of(std::string_view json) const;
  // Fields in JSON order with inline structs flattened.
  const std::vector<const Field*>& flat() const { return flat_; }

  std::vector<const Field*> flat_;
  std::map<std::string, int, std::less<>> by_json_;  // JSON name -> index in flat_
};

class Schema {
 public:
  // The schema embedded in the binary (parsed on first use; thread-safe).
  static const Schema& get();
  // Parses schema sources (for tests). Throws std::runtime_error on malformed input.
  static std::unique_ptr<Schema> parse(const std::vector<std::string_view>& sources);

  const StructType* find(std::string_view full_name) const;
  // Finds a kind by its OpenAPI package prefix and kind, e.g. ("io.k8s.api.apps.v1","Deployment").
  const StructType* find(std::string_view package, std::string_view kind) const;
  const std::map<std::string, std::unique_ptr<StructType>, std::less<>>& types() const { return types_; }

 private:
  const Type* intern_type(const std::string& spelling, const std::string& package);
  void finish();
  std::map<std::string, std::unique_ptr<StructType>, std::less<>> types_;
  std::map<std::string, std::unique_ptr<Type>, std::less<>> type_pool_;
};

}  // namespace kapi::runtime
