#pragma once
// Writes a tree as its typed JSON in one pass: the bytes of encode_json(normalize(obj, type))
// without building the normalized tree. The write path uses it after defaulting and admission
// have added fields out of declaration order, where normalizing again cost a seventh of a create.
#include <string>

#include "pkg/runtime/json_codec.h"

namespace kapi::runtime {

// Appends the encoding of `obj` (an object of `type`) to `out`. A value that the schema would
// reject or rewrite in a way this pass does not mirror (a type mismatch) makes it fall back to
// normalize + encode_json, so the result is always the same as theirs.
void append_typed_json(const Json& obj, const StructType& type, std::string& out);
std::string encode_typed_json(const Json& obj, const StructType& type);
// The one-pass writer alone: appends and returns true, or returns false with `out` unchanged
// where it would have to fall back (exposed so tests can see which path ran).
bool append_typed_json_direct(const Json& obj, const StructType& type, std::string& out);

}  // namespace kapi::runtime
