#pragma once
// The typed JSON codec. Decoding a body runs it through the schema so that what kapi stores and
// returns is exactly what upstream's Go structs would encode: struct field order, omitempty,
// zero values (`creationTimestamp: null`, `resources: {}`), canonical times and quantities.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/runtime/schema.h"

namespace kapi::runtime {

using Json = nlohmann::ordered_json;

struct DecodeResult {
  std::string error;                    // a type error (Go json wording); empty when ok
  std::vector<std::string> unknown;     // field paths absent from the schema ("spec.foo")
  std::vector<std::string> duplicate;   // field paths set twice in the input ("data.a")
  // A YAML body's go-yaml strict error (`yaml: unmarshal errors:\n  line 5: key "a" already set
  // in map`): upstream checks YAML duplicates before the JSON strict decode, so it comes first.
  std::string yaml_strict;
  bool ok() const { return error.empty(); }
  // `strict decoding error: <yaml_strict>, unknown field "spec.foo", duplicate field "data.a"`
  // (runtime.strictDecodingError); "" if none.
  std::string strict_message() const;
  // The strict problems as upstream's Warning texts (`unknown field "spec.foo"`), one each.
  std::vector<std::string> warnings() const;
};

// Parses JSON text into a tree, recording duplicate keys (by path) in `result.duplicate`.
// Returns false (with result.error set to a Go-like syntax error) when the text is not JSON.
bool parse_json(std::string_view text, Json& out, DecodeResult& result);

// Turns an untyped tree into the canonical typed tree for `type`: fields in declaration order,
// Go zero values and omitempty applied; unknown fields dropped and recorded.
// `root` names the Go struct for error messages; `path` prefixes reported field paths.
Json normalize(const Json& in, const StructType& type, DecodeResult& result);
// The same, consuming the input (no copies of its strings).
Json normalize(Json&& in, const StructType& type, DecodeResult& result);

// Go's encoding/json output for a normalized tree (compact, HTML characters escaped).
std::string encode_json(const Json& j);

}  // namespace kapi::runtime
