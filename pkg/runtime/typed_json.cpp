#include "pkg/runtime/typed_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

#include "pkg/machinery/go_format.h"
#include "pkg/runtime/go_format.h"

namespace kapi::runtime {
namespace {

// Mirrors json_codec.cpp's Walker::convert for input it accepts, writing instead of building.
// Every branch that Walker treats as an error sets `failed`; the caller then takes the slow path.
struct Emitter {
  std::string& out;
  bool failed = false;

  void raw_json(const Json& v) { out += go_escape_html(v.dump(-1, ' ', false, Json::error_handler_t::replace)); }

  void string(const std::string& s) {
    // Plain ASCII without characters JSON or Go's HTML escaping rewrite is copied as is; the
    // rest goes through the same dump + escape as encode_json.
    for (unsigned char c : s) {
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&') {
        raw_json(Json(s));
        return;
      }
    }
    out += '"';
    out += s;
    out += '"';
  }

  void integer(int64_t n) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, n);
    out.append(buf, r.ptr);
  }

  void number(const Json& v) {
    if (v.is_number_integer() && !v.is_number_unsigned()) integer(v.get<int64_t>());
    else raw_json(v);
  }

  static bool omitted_when_absent(const Field& f) {
    Kind k = f.type->kind;
    return f.omitempty && k != Kind::kStruct && k != Kind::kTime && k != Kind::kMicroTime &&
           k != Kind::kDuration && k != Kind::kQuantity && k != Kind::kIntOrString;
  }

  // Go's omitempty emptiness of what Walker::convert makes of `v` (null = absent).
  static bool empty(const Json& v, const Type* t) {
    if (v.is_null()) {
      switch (t->kind) {
        case Kind::kTime: case Kind::kMicroTime: case Kind::kDuration: case Kind::kQuantity:
        case Kind::kIntOrString: case Kind::kStruct:
          return false;
        default:
          return true;
      }
    }
    switch (t->kind) {
      case Kind::kString: case Kind::kBytes:
        return v.is_string() && v.get_ref<const std::string&>().empty();
      case Kind::kBool: return v.is_boolean() && !v.get<bool>();
      case Kind::kInt32: case Kind::kInt64: case Kind::kFloat64:
        return v.is_number() && v.get<double>() == 0;
      case Kind::kSlice: case Kind::kMap: return v.empty();
      default: return false;
    }
  }

  void value(const Json& v, const Type* t) {
    const bool is_null = v.is_null();
    switch (t->kind) {
      case Kind::kString:
        if (is_null) { out += "\"\""; return; }
        if (!v.is_string()) { failed = true; return; }
        string(v.get_ref<const std::string&>());
        return;
      case Kind::kBool:
        if (is_null) { out += "false"; return; }
        if (!v.is_boolean()) { failed = true; return; }
        out += v.get<bool>() ? "true" : "false";
        return;
      case Kind::kInt32:
      case Kind::kInt64: {
        if (is_null) { out += '0'; return; }
        if (v.is_number_integer()) {
          if (v.is_number_unsigned() && v.get<uint64_t>() > INT64_MAX) { failed = true; return; }
          int64_t n = v.get<int64_t>();
          if (t->kind == Kind::kInt32 && (n > INT32_MAX || n < INT32_MIN)) { failed = true; return; }
          integer(n);
          return;
        }
        if (v.is_number_float()) {
          double d = v.get<double>();
          if (std::floor(d) == d && std::fabs(d) < 9e15) { integer(static_cast<int64_t>(d)); return; }
        }
        failed = true;
        return;
      }
      case Kind::kFloat64:
        if (is_null) { raw_json(Json(0.0)); return; }
        if (!v.is_number()) { failed = true; return; }
        number(v);
        return;
      case Kind::kBytes:
        if (is_null) { out += "null"; return; }
        if (!v.is_string() || !valid_base64(v.get_ref<const std::string&>())) { failed = true; return; }
        string(v.get_ref<const std::string&>());
        return;
      case Kind::kTime:
      case Kind::kMicroTime: {
        if (is_null) { out += "null"; return; }
        if (!v.is_string()) { failed = true; return; }
        auto formatted = normalize_rfc3339(v.get_ref<const std::string&>(), t->kind == Kind::kMicroTime);
        if (!formatted) { failed = true; return; }
        string(*formatted);
        return;
      }
      case Kind::kDuration:
        if (is_null) { out += "\"0s\""; return; }
        if (!v.is_string()) { failed = true; return; }
        string(v.get_ref<const std::string&>());
        return;
      case Kind::kQuantity: {
        if (is_null) { out += "\"0\""; return; }
        std::string text;
        if (v.is_string()) text = v.get_ref<const std::string&>();
        else if (v.is_number_float()) text = machinery::gofmt::format_float_json(v.get<double>());
        else if (v.is_number()) text = v.dump();
        else { failed = true; return; }
        std::string error;
        auto canon = canonical_quantity(text, &error);
        if (!canon) { failed = true; return; }
        string(*canon);
        return;
      }
      case Kind::kIntOrString:
        if (is_null) { out += '0'; return; }
        if (v.is_string()) string(v.get_ref<const std::string&>());
        else if (v.is_number_integer()) number(v);
        else failed = true;
        return;
      case Kind::kRaw:
        raw_json(v);
        return;
      case Kind::kStruct:
        if (is_null) { structure(Json::object(), *t->st); return; }
        if (!v.is_object()) { failed = true; return; }
        structure(v, *t->st);
        return;
      case Kind::kPointer:
        if (is_null) { out += "null"; return; }
        value(v, t->elem);
        return;
      case Kind::kSlice: {
        if (is_null) { out += "null"; return; }
        if (!v.is_array()) { failed = true; return; }
        out += '[';
        bool first = true;
        for (const Json& e : v) {
          if (!first) out += ',';
          first = false;
          value(e, t->elem);
          if (failed) return;
        }
        out += ']';
        return;
      }
      case Kind::kMap: {
        if (is_null) { out += "null"; return; }
        if (!v.is_object()) { failed = true; return; }
        const auto& items = v.get_ref<const Json::object_t&>();
        std::vector<const Json::object_t::value_type*> sorted;
        sorted.reserve(items.size());
        for (const auto& kv : items) sorted.push_back(&kv);
        std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
        out += '{';
        bool first = true;
        for (const auto* kv : sorted) {
          if (!first) out += ',';
          first = false;
          string(kv->first);
          out += ':';
          value(kv->second, t->elem);
          if (failed) return;
        }
        out += '}';
        return;
      }
    }
  }

  void structure(const Json& in, const StructType& st) {
    // The input's values by position in the struct's flat field list; unknown keys are
    // dropped as normalize drops them.
    const auto& flat = st.flat();
    const Json* small[64] = {};
    std::vector<const Json*> large;
    const Json** slots = small;
    if (flat.size() > std::size(small)) {
      large.assign(flat.size(), nullptr);
      slots = large.data();
    }
    for (const auto& kv : in.get_ref<const Json::object_t&>())
      if (int i = st.index_of(kv.first); i >= 0) slots[i] = &kv.second;
    static const Json kNull;
    out += '{';
    bool first = true;
    for (size_t i = 0; i < flat.size(); ++i) {
      const Field* f = flat[i];
      const Json* v = slots[i];
      if (!v) {
        if (omitted_when_absent(*f)) continue;
        v = &kNull;
      }
      if (f->omitempty && empty(*v, f->type)) {
        // Walker reports type errors before omitting; an empty value of the wrong type is one.
        if (!v->is_null() && !type_matches(*v, f->type)) { failed = true; return; }
        continue;
      }
      if (!first) out += ',';
      first = false;
      out += '"';
      out += f->json;
      out += "\":";
      value(*v, f->type);
      if (failed) return;
    }
    out += '}';
  }

  static bool type_matches(const Json& v, const Type* t) {
    switch (t->kind) {
      case Kind::kString: case Kind::kBytes: return v.is_string();
      case Kind::kBool: return v.is_boolean();
      case Kind::kInt32: case Kind::kInt64: case Kind::kFloat64: return v.is_number();
      case Kind::kSlice: return v.is_array();
      case Kind::kMap: return v.is_object();
      default: return true;
    }
  }
};

}  // namespace

bool append_typed_json_direct(const Json& obj, const StructType& type, std::string& out) {
  const size_t mark = out.size();
  Emitter e{out};
  if (obj.is_object()) e.structure(obj, type);
  else e.structure(Json::object(), type);
  if (e.failed) out.resize(mark);
  return !e.failed;
}

void append_typed_json(const Json& obj, const StructType& type, std::string& out) {
  if (append_typed_json_direct(obj, type, out)) return;
  DecodeResult dr;
  out += encode_json(normalize(obj, type, dr));
}

std::string encode_typed_json(const Json& obj, const StructType& type) {
  std::string out;
  out.reserve(2048);
  append_typed_json(obj, type, out);
  return out;
}

}  // namespace kapi::runtime
