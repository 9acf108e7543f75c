#pragma once
// Scalar handling compatible with go-yaml v2 as used by sigs.k8s.io/yaml (i.e. what kubectl
// writes and how it reads untagged scalars): plain-scalar resolution, the quoting/style choice,
// line folding at 80 columns, and map key ordering.
#include <string>
#include <string_view>

namespace kapi::kubeconfig::goyaml {

enum class PlainKind { kString, kNull, kBool, kInt, kFloat, kTimestamp };

// What an untagged plain scalar resolves to (YAML 1.1 rules of go-yaml v2: yes/no/on/off are
// bools, 0x1F/0o17/0777/1_000 are ints, 1e5/.5 floats, 2001-12-14 a timestamp, ...).
PlainKind resolve_plain(std::string_view s);

// Go-yaml's isBase60Float ("1:20" and friends are always quoted).
bool is_base60_float(std::string_view s);

// Formats a string value the way go-yaml emits it in block context: plain, 'single', "double"
// or a |literal block. `column` is the column the value starts at (after "key: " or "- "),
// `indent` the indentation of continuation lines (parent indentation + 2). The result ends with
// a newline.
std::string format_string(std::string_view value, int column, int indent);

// go-yaml's map key order (letters after other characters, digit runs compared numerically).
bool key_less(std::string_view a, std::string_view b);

}  // namespace kapi::kubeconfig::goyaml
