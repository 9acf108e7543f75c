#pragma once
// Descriptions of API types and fields, kept apart from the schema in pkg/api/docs/*.docs and
// written in kapi's own words. The OpenAPI documents (and so `kubectl explain`) read them.
//
// Format (line based, `#` at the start of a line is a comment):
//   package io.k8s.api.core.v1        # OpenAPI name prefix of the lines that follow
//   Pod: One or more containers ...   # description of the type
//   Pod.spec: What the pod should ... # description of a field (JSON name) declared by the type
// A field reached through an embedded (inline) struct is described on the struct declaring it
// (TypeMeta.kind, not Pod.kind), so one line serves every type that embeds it.
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pkg/runtime/schema.h"

namespace kapi::runtime {

class Docs {
 public:
  // The docs embedded in the binary, checked against Schema::get() (parsed on first use;
  // thread-safe). Lines that do not match the schema are dropped; problems() lists them.
  static const Docs& get();
  // Parses docs sources against `schema`, which must outlive the result. Never throws: every
  // malformed line, unknown package/type/field, duplicate or empty text is reported in problems().
  static std::unique_ptr<Docs> parse(const std::vector<std::string_view>& sources,
                                     const Schema& schema);

  // The description of a type or field; "" when none is written.
  std::string_view type(const StructType& st) const;
  std::string_view field(const Field& f) const;

  // One message per rejected line, e.g. "core.v1.docs:12: Pod has no field specs".
  const std::vector<std::string>& problems() const { return problems_; }
  size_t type_count() const { return types_.size(); }
  size_t field_count() const { return fields_.size(); }

 private:
  std::unordered_map<const StructType*, std::string> types_;
  std::unordered_map<const Field*, std::string> fields_;
  std::vector<std::string> problems_;
};

}  // namespace kapi::runtime
