#pragma once
// Internal to the go-template engine: a Go value as text/template's reflection sees it, for data
// decoded from JSON (map[string]interface {}, []interface {}, string, int64, float64, bool, nil)
// and the values templates make (int and float64 literals, strings, bools).
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kapi::client::gotmpl {

using Json = nlohmann::ordered_json;

struct Value {
  enum class K { kInvalid, kNil, kBool, kInt, kFloat, kString, kMap, kSlice };
  K k = K::kInvalid;
  // Held in an interface{} (an element of a decoded map or slice): reflection reports the
  // static type "interface {}" and text/template unwraps it at the end of a pipeline.
  bool iface = false;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  std::string s;
  const char* int_type = "int";  // "int" (literals, len) or "int64" (JSON numbers)
  const Json* j = nullptr;       // kMap, kSlice
  std::shared_ptr<const Json> hold;  // keeps `j` alive when the value owns it

  bool valid() const { return k != K::kInvalid; }
  // reflect.Value.Type().String() (the interface type when held in one).
  std::string type_name() const;
  std::string concrete_type() const;

  static Value invalid() { return {}; }
  static Value of_bool(bool v) { Value x; x.k = K::kBool; x.b = v; return x; }
  static Value of_int(int64_t v, const char* type = "int") { Value x; x.k = K::kInt; x.i = v; x.int_type = type; return x; }
  static Value of_float(double v) { Value x; x.k = K::kFloat; x.f = v; return x; }
  static Value of_string(std::string v) { Value x; x.k = K::kString; x.s = std::move(v); return x; }
  // A decoded JSON value; `element` marks map/slice elements (interface-typed).
  static Value of_json(const Json* j, bool element, std::shared_ptr<const Json> hold = nullptr);
};

// text/template's isTrue.
bool truth(const Value& v);
// The pipeline end: interface values are replaced by their contents (nil becomes invalid).
Value unwrap(Value v);

// fmt.Sprint / Sprintln / Sprintf over Go values (the verbs text/template users need).
std::string sprint(const std::vector<Value>& args);
std::string sprintln(const std::vector<Value>& args);
std::string sprintf(const std::string& format, const std::vector<Value>& args);
// %v of one value.
std::string format_v(const Value& v);

// A builtin function; the error text is wrapped as "error calling NAME: ..." by the caller.
using Builtin = Value (*)(std::vector<Value>& args, std::string* error);
struct FuncSpec {
  const char* name;
  Builtin fn;
  int min_args;    // fixed parameters
  bool variadic;
  int string_params;  // the first n parameters are Go strings (checked before the call)
};
const FuncSpec* find_func(const std::string& name);

}  // namespace kapi::client::gotmpl
