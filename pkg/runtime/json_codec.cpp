#include "pkg/runtime/json_codec.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <ctime>

#include "pkg/machinery/go_format.h"
#include "pkg/runtime/go_format.h"
#include "pkg/runtime/go_json_syntax.h"

namespace kapi::runtime {
namespace {

const char* json_kind(const Json& v) {
  switch (v.type()) {
    case Json::value_t::string: return "string";
    case Json::value_t::boolean: return "bool";
    case Json::value_t::object: return "object";
    case Json::value_t::array: return "array";
    case Json::value_t::null: return "null";
    default: return "number";
  }
}

// Go's reflect type string for error messages: []v1.Container, map[string]string, v1.PodSpec.
std::string go_type(const Type* t) {
  switch (t->kind) {
    case Kind::kString: return "string";
    case Kind::kBool: return "bool";
    case Kind::kInt32: return "int32";
    case Kind::kInt64: return "int64";
    case Kind::kFloat64: return "float64";
    case Kind::kBytes: return "[]uint8";
    case Kind::kTime: return "v1.Time";
    case Kind::kMicroTime: return "v1.MicroTime";
    case Kind::kDuration: return "v1.Duration";
    case Kind::kQuantity: return "resource.Quantity";
    case Kind::kIntOrString: return "intstr.IntOrString";
    case Kind::kRaw: return "runtime.RawExtension";
    case Kind::kStruct: return t->st->go_package + "." + t->st->short_name;
    case Kind::kPointer: return go_type(t->elem);
    case Kind::kSlice: return "[]" + go_type(t->elem);
    case Kind::kMap: return "map[string]" + go_type(t->elem);
  }
  return "?";
}

// Appends a key known not to be present (ordered_json's operator[] searches linearly first,
// which made building an object quadratic in its field count).
void append_unique(Json::object_t& obj, const std::string& key, Json&& value) {
  obj.std::vector<Json::object_t::value_type>::emplace_back(key, std::move(value));
}

struct Walker {
  DecodeResult& result;
  std::string root;  // Go struct name of the innermost struct, for type errors

  // The field path being decoded ("spec.containers[0].name"), kept as a stack so that no
  // path string is built unless a problem is reported.
  std::string path_;

  void type_error(const Json& v, const std::string& struct_name, const Type* t) {
    std::string go_path = strip_indexes(path_);
    if (!result.error.empty()) return;
    // An int field names the number that does not fit: "number 1.5".
    std::string what = json_kind(v);
    if ((t->kind == Kind::kInt32 || t->kind == Kind::kInt64) && v.is_number()) {
      what += " " + (v.is_number_float() ? machinery::gofmt::format_float_json(v.get<double>())
                                         : v.dump());
    }
    // metav1.Time's UnmarshalJSON decodes a string, and Go reports that inner type.
    bool time = t->kind == Kind::kTime || t->kind == Kind::kMicroTime;
    result.error = "json: cannot unmarshal " + what +
                   " into Go struct field " + struct_name + "." + go_path + " of type " +
                   (time ? std::string("string") : go_type(t));
  }

  // `empty` reports Go's omitempty emptiness of the produced value.
  Json convert(Json& v, const Type* t, const std::string& struct_name, bool& empty) {
    empty = false;
    const bool is_null = v.is_null();
    switch (t->kind) {
      case Kind::kString:
        if (is_null) { empty = true; return ""; }
        if (!v.is_string()) { type_error(v, struct_name, t); return ""; }
        empty = v.get_ref<const std::string&>().empty();
        return std::move(v);
      case Kind::kBool:
        if (is_null) { empty = true; return false; }
        if (!v.is_boolean()) { type_error(v, struct_name, t); return false; }
        empty = !v.get<bool>();
        return std::move(v);
      case Kind::kInt32:
      case Kind::kInt64: {
        if (is_null) { empty = true; return 0; }
        if (v.is_number_integer() &&
            !(v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))) {
          int64_t n = v.get<int64_t>();
          if (t->kind == Kind::kInt32 && (n > INT32_MAX || n < INT32_MIN)) {
            type_error(v, struct_name, t);
            return 0;
          }
          empty = n == 0;
          return n;
        }
        if (v.is_number_float()) {
          double d = v.get<double>();
          if (std::floor(d) == d && std::fabs(d) < 9e15) {
            // Go rejects "1.0" for ints, but YAML/JSON numbers that are integral are usually
            // produced by converters as floats; accept exact integers.
            empty = d == 0;
            return static_cast<int64_t>(d);
          }
        }
        type_error(v, struct_name, t);
        return 0;
      }
      case Kind::kFloat64:
        if (is_null) { empty = true; return 0.0; }
        if (!v.is_number()) { type_error(v, struct_name, t); return 0.0; }
        empty = v.get<double>() == 0;
        return std::move(v);
      case Kind::kBytes:
        if (is_null) { empty = true; return nullptr; }
        if (!v.is_string() || !valid_base64(v.get_ref<const std::string&>())) {
          if (v.is_string() && result.error.empty())
            result.error = "illegal base64 data at input byte " +
                           std::to_string(base64_error_offset(v.get_ref<const std::string&>()));
          else
            type_error(v, struct_name, t);
          return nullptr;
        }
        empty = v.get_ref<const std::string&>().empty();
        return std::move(v);
      case Kind::kTime:
      case Kind::kMicroTime: {
        if (is_null) return nullptr;  // a zero Time is a struct: never omitted, encodes null
        if (!v.is_string()) { type_error(v, struct_name, t); return nullptr; }
        auto formatted = t->kind == Kind::kTime ? normalize_rfc3339(v.get<std::string>(), false)
                                                : normalize_rfc3339(v.get<std::string>(), true);
        if (!formatted) {
          if (result.error.empty())
            result.error = "parsing time \"" + v.get<std::string>() +
                           "\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"" +
                           v.get<std::string>() + "\" as \"2006\"";
          return nullptr;
        }
        return *formatted;
      }
      case Kind::kDuration:
        if (is_null) return "0s";
        if (!v.is_string()) { type_error(v, struct_name, t); return "0s"; }
        return std::move(v);
      case Kind::kQuantity: {
        if (is_null) return "0";
        std::string text;
        if (v.is_string()) text = v.get<std::string>();
        // A number reaches resource.Quantity as Go's JSON text of it: YAML floats pass through
        // float64 and encoding/json (0.000001, not 1e-06), integers as written.
        else if (v.is_number_float()) text = machinery::gofmt::format_float_json(v.get<double>());
        else if (v.is_number()) text = v.dump();
        else { type_error(v, struct_name, t); return "0"; }
        std::string err;
        auto canon = canonical_quantity(text, &err);
        if (!canon) {
          if (result.error.empty()) result.error = err;
          return "0";
        }
        return *canon;
      }
      case Kind::kIntOrString:
        if (is_null) return 0;
        if (v.is_string() || v.is_number_integer()) return std::move(v);
        type_error(v, struct_name, t);
        return 0;
      case Kind::kRaw:
        empty = is_null;
        return std::move(v);
      case Kind::kStruct: {
        if (is_null) {
          Json empty_object = Json::object();
          return struct_value(empty_object, *t->st);
        }
        if (!v.is_object()) { type_error(v, struct_name, t); return Json::object(); }
        return struct_value(v, *t->st);
      }
      case Kind::kPointer:
        if (is_null) { empty = true; return nullptr; }
        {
          bool inner_empty;
          return convert(v, t->elem, struct_name, inner_empty);
        }
      case Kind::kSlice: {
        if (is_null) { empty = true; return nullptr; }
        if (!v.is_array()) { type_error(v, struct_name, t); return nullptr; }
        Json out = Json::array();
        size_t i = 0;
        for (Json& e : v) {
          bool inner_empty;
          size_t mark = path_.size();
          path_ += '[';
          path_ += std::to_string(i);
          path_ += ']';
          out.push_back(convert(e, t->elem, struct_name, inner_empty));
          path_.resize(mark);
          ++i;
        }
        empty = out.empty();
        return out;
      }
      case Kind::kMap: {
        if (is_null) { empty = true; return nullptr; }
        if (!v.is_object()) { type_error(v, struct_name, t); return nullptr; }
        // Go encodes maps with sorted keys.
        auto& in_items = v.get_ref<Json::object_t&>();
        std::vector<Json::object_t::value_type*> items;
        items.reserve(in_items.size());
        for (auto& kv : in_items) items.push_back(&kv);
        std::sort(items.begin(), items.end(), [](auto* a, auto* b) { return a->first < b->first; });
        Json out = Json::object();
        auto& out_items = out.get_ref<Json::object_t&>();
        out_items.reserve(items.size());
        for (auto* kv : items) {
          bool inner_empty;
          size_t mark = path_.size();
          path_ += '[' + kv->first + ']';
          append_unique(out_items, kv->first, convert(kv->second, t->elem, struct_name, inner_empty));
          path_.resize(mark);
        }
        empty = out.empty();
        return out;
      }
    }
    return nullptr;
  }

  Json struct_value(Json& in, const StructType& st) {
    // Walk the input in document order (so problems are reported in that order, as Go's
    // decoder does), then emit in the struct's declaration order. Converted values are kept by
    // their position in the flat field list.
    struct Converted {
      Json value;
      bool empty = false;
      bool present = false;
    };
    const auto& flat = st.flat();
    std::vector<Converted> converted(flat.size());
    size_t present = 0;
    for (auto it = in.begin(); it != in.end(); ++it) {
      size_t mark = path_.size();
      if (!path_.empty()) path_ += '.';
      path_ += it.key();
      int i = st.index_of(it.key());
      if (i < 0) {
        result.unknown.push_back(path_);
      } else {
        Converted& c = converted[static_cast<size_t>(i)];
        c.value = convert(it.value(), flat[static_cast<size_t>(i)]->type, st.short_name, c.empty);
        if (!c.present) ++present;
        c.present = true;
      }
      path_.resize(mark);
    }
    Json out = Json::object();
    auto& items = out.get_ref<Json::object_t&>();
    items.reserve(present + 4);
    for (size_t i = 0; i < flat.size(); ++i) {
      const Field* f = flat[i];
      Converted& c = converted[i];
      bool empty = false;
      Json value;
      if (c.present) {
        value = std::move(c.value);
        empty = c.empty;
      } else {
        // An absent omitempty field stays absent unless its Go zero value is a struct
        // (structs are never omitted: `creationTimestamp: null`, `resources: {}`).
        Kind k = f->type->kind;
        if (f->omitempty && k != Kind::kStruct && k != Kind::kTime && k != Kind::kMicroTime &&
            k != Kind::kDuration && k != Kind::kQuantity && k != Kind::kIntOrString)
          continue;
        size_t mark = path_.size();
        if (!path_.empty()) path_ += '.';
        path_ += f->json;
        Json null_value;
        value = convert(null_value, f->type, st.short_name, empty);
        path_.resize(mark);
      }
      if (f->omitempty && empty) continue;
      append_unique(items, f->json, std::move(value));
    }
    return out;
  }

  static std::string strip_indexes(const std::string& path) {
    std::string out;
    int depth = 0;
    for (char c : path) {
      if (c == '[') ++depth;
      else if (c == ']') --depth;
      else if (depth == 0) out += c;
    }
    return out;
  }
};

// Records duplicate keys while nlohmann parses: the keys seen per open object. Paths are only
// built when a duplicate is found.
struct DuplicateTracker {
  struct Level {
    bool is_object;
    std::vector<std::string> keys;  // in an object: keys so far (the last is the current one)
    size_t index = 0;               // in an array: the current element
  };
  std::vector<Level> stack;
  std::vector<std::string>& dups;

  std::string path_to(size_t depth) const {  // path of the current value at stack[depth - 1]
    std::string p;
    for (size_t i = 0; i < depth; ++i) {
      const Level& l = stack[i];
      if (l.is_object) {
        if (!p.empty()) p += '.';
        p += l.keys.back();
      } else {
        p += "[" + std::to_string(l.index) + "]";
      }
    }
    return p;
  }
  void value_done() {
    if (!stack.empty() && !stack.back().is_object) stack.back().index++;
  }
};

}  // namespace

std::string DecodeResult::strict_message() const {
  if (unknown.empty() && duplicate.empty() && yaml_strict.empty()) return "";
  std::string msg = "strict decoding error: " + yaml_strict;
  bool first = yaml_strict.empty();
  for (const auto& u : unknown) {
    if (!first) msg += ", ";
    msg += "unknown field \"" + u + "\"";
    first = false;
  }
  for (const auto& d : duplicate) {
    if (!first) msg += ", ";
    msg += "duplicate field \"" + d + "\"";
    first = false;
  }
  return msg;
}

std::vector<std::string> DecodeResult::warnings() const {
  std::vector<std::string> out;
  if (!yaml_strict.empty()) out.push_back(yaml_strict);
  for (const auto& u : unknown) out.push_back("unknown field \"" + u + "\"");
  for (const auto& d : duplicate) out.push_back("duplicate field \"" + d + "\"");
  return out;
}

bool parse_json(std::string_view text, Json& out, DecodeResult& result) {
  DuplicateTracker tracker{{}, result.duplicate};
  auto cb = [&](int depth, Json::parse_event_t event, Json& parsed) -> bool {
    (void)depth;
    switch (event) {
      case Json::parse_event_t::object_start:
        tracker.stack.push_back({true, {}, 0});
        break;
      case Json::parse_event_t::array_start:
        tracker.stack.push_back({false, {}, 0});
        break;
      case Json::parse_event_t::key: {
        auto& keys = tracker.stack.back().keys;
        const std::string& key = parsed.get_ref<const std::string&>();
        bool dup = std::find(keys.begin(), keys.end(), key) != keys.end();
        keys.push_back(key);
        if (dup) tracker.dups.push_back(tracker.path_to(tracker.stack.size()));
        break;
      }
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        tracker.stack.pop_back();
        tracker.value_done();
        break;
      case Json::parse_event_t::value:
        tracker.value_done();
        break;
    }
    return true;
  };
  try {
    out = Json::parse(text.begin(), text.end(), cb);
  } catch (const Json::parse_error& e) {
    result.error = go_json_syntax_error(text);
    // Texts Go accepts but nlohmann does not (invalid UTF-8, lone surrogates) keep its message.
    if (result.error.empty()) result.error = e.what();
    return false;
  }
  return true;
}

Json normalize(const Json& in, const StructType& type, DecodeResult& result) {
  Json copy = in;
  return normalize(std::move(copy), type, result);
}

Json normalize(Json&& in, const StructType& type, DecodeResult& result) {
  Walker w{result, type.short_name};
  if (!in.is_object()) in = Json::object();
  return w.struct_value(in, type);
}

std::string encode_json(const Json& j) {
  return go_escape_html(j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

}  // namespace kapi::runtime
