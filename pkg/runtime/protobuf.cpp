#include "pkg/runtime/protobuf.h"

#include <nlohmann/json.hpp>

#include <cstring>

#include "pkg/machinery/base64.h"
#include "pkg/machinery/duration.h"

namespace kapi::runtime {

using Json = nlohmann::ordered_json;

namespace {

constexpr char kMagic[] = {'k', '8', 's', '\0'};

struct Reader {
  const uint8_t* p;
  const uint8_t* end;
  bool ok = true;

  bool done() const { return p >= end; }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p >= end) { ok = false; return 0; }
      uint8_t b = *p++;
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    ok = false;
    return 0;
  }
  std::string_view bytes() {
    uint64_t n = varint();
    if (!ok || n > static_cast<uint64_t>(end - p)) { ok = false; return {}; }
    std::string_view s(reinterpret_cast<const char*>(p), n);
    p += n;
    return s;
  }
  uint64_t fixed(int n) {
    if (end - p < n) { ok = false; return 0; }
    uint64_t v = 0;
    std::memcpy(&v, p, n);
    p += n;
    return v;
  }
  void skip(int wire) {
    switch (wire) {
      case 0: varint(); break;
      case 1: fixed(8); break;
      case 2: bytes(); break;
      case 5: fixed(4); break;
      default: ok = false;
    }
  }
};

std::string format_time(int64_t secs, int64_t nanos, bool micro) {
  if (secs == 0 && nanos == 0) return "";
  machinery::TimePoint t(std::chrono::seconds(secs) + std::chrono::nanoseconds(nanos));
  return micro ? machinery::format_rfc3339_micro(t) : machinery::format_rfc3339(t);
}

std::string go_duration(int64_t ns) {
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  uint64_t u = ns < 0 ? -static_cast<uint64_t>(ns) : ns;
  uint64_t h = u / 3600000000000ULL, m = u / 60000000000ULL % 60;
  double s = static_cast<double>(u % 60000000000ULL) / 1e9;
  char buf[64];
  std::string out = sign;
  if (h) out += std::to_string(h) + "h";
  if (h || m) out += std::to_string(m) + "m";
  std::snprintf(buf, sizeof buf, "%g", s);
  out += std::string(buf) + "s";
  return out;
}

bool decode_struct(std::string_view data, const StructType& st, Json& out, std::string* error);

// Decodes one value of type t from a field with wire type `wire`.
bool decode_value(Reader& r, int wire, const Type* t, Json& out, std::string* error) {
  switch (t->kind) {
    case Kind::kString: out = std::string(r.bytes()); return r.ok;
    case Kind::kBool: out = r.varint() != 0; return r.ok;
    case Kind::kInt32: out = static_cast<int64_t>(static_cast<int32_t>(r.varint())); return r.ok;
    case Kind::kInt64: out = static_cast<int64_t>(r.varint()); return r.ok;
    case Kind::kFloat64: {
      uint64_t bits = r.fixed(8);
      double d;
      std::memcpy(&d, &bits, 8);
      out = d;
      return r.ok;
    }
    case Kind::kBytes: out = machinery::base64_encode(r.bytes()); return r.ok;
    case Kind::kTime:
    case Kind::kMicroTime: {
      Reader m{nullptr, nullptr};
      std::string_view b = r.bytes();
      m.p = reinterpret_cast<const uint8_t*>(b.data());
      m.end = m.p + b.size();
      int64_t secs = 0, nanos = 0;
      while (m.ok && !m.done()) {
        uint64_t tag = m.varint();
        if ((tag >> 3) == 1) secs = static_cast<int64_t>(m.varint());
        else if ((tag >> 3) == 2) nanos = static_cast<int64_t>(m.varint());
        else m.skip(tag & 7);
      }
      std::string s = format_time(secs, nanos, t->kind == Kind::kMicroTime);
      out = s.empty() ? Json(nullptr) : Json(s);
      return r.ok && m.ok;
    }
    case Kind::kDuration: {
      std::string_view b = r.bytes();
      Reader m{reinterpret_cast<const uint8_t*>(b.data()), reinterpret_cast<const uint8_t*>(b.data()) + b.size()};
      int64_t ns = 0;
      while (m.ok && !m.done()) {
        uint64_t tag = m.varint();
        if ((tag >> 3) == 1) ns = static_cast<int64_t>(m.varint());
        else m.skip(tag & 7);
      }
      out = go_duration(ns);
      return r.ok && m.ok;
    }
    case Kind::kQuantity: {
      std::string_view b = r.bytes();
      Reader m{reinterpret_cast<const uint8_t*>(b.data()), reinterpret_cast<const uint8_t*>(b.data()) + b.size()};
      std::string s;
      while (m.ok && !m.done()) {
        uint64_t tag = m.varint();
        if ((tag >> 3) == 1) s = std::string(m.bytes());
        else m.skip(tag & 7);
      }
      out = s;
      return r.ok && m.ok;
    }
    case Kind::kIntOrString: {
      std::string_view b = r.bytes();
      Reader m{reinterpret_cast<const uint8_t*>(b.data()), reinterpret_cast<const uint8_t*>(b.data()) + b.size()};
      int64_t type = 0, iv = 0;
      std::string sv;
      while (m.ok && !m.done()) {
        uint64_t tag = m.varint();
        switch (tag >> 3) {
          case 1: type = static_cast<int64_t>(m.varint()); break;
          case 2: iv = static_cast<int32_t>(m.varint()); break;
          case 3: sv = std::string(m.bytes()); break;
          default: m.skip(tag & 7);
        }
      }
      out = type == 1 ? Json(sv) : Json(iv);
      return r.ok && m.ok;
    }
    case Kind::kRaw: {
      std::string_view b = r.bytes();
      Reader m{reinterpret_cast<const uint8_t*>(b.data()), reinterpret_cast<const uint8_t*>(b.data()) + b.size()};
      std::string raw;
      while (m.ok && !m.done()) {
        uint64_t tag = m.varint();
        if ((tag >> 3) == 1) raw = std::string(m.bytes());
        else m.skip(tag & 7);
      }
      out = raw.empty() ? Json(nullptr) : Json::parse(raw, nullptr, false);
      if (out.is_discarded()) out = nullptr;
      return r.ok && m.ok;
    }
    case Kind::kStruct: {
      std::string_view b = r.bytes();
      if (!r.ok) return false;
      return decode_struct(b, *t->st, out, error);
    }
    case Kind::kPointer: return decode_value(r, wire, t->elem, out, error);
    case Kind::kSlice:
    case Kind::kMap:
      break;  // handled by the caller (repeated fields)
  }
  (void)wire;
  *error = "unsupported protobuf field type " + t->spelling;
  return false;
}

bool decode_struct(std::string_view data, const StructType& st, Json& out, std::string* error) {
  if (!out.is_object()) out = Json::object();
  Reader r{reinterpret_cast<const uint8_t*>(data.data()), reinterpret_cast<const uint8_t*>(data.data()) + data.size()};
  while (r.ok && !r.done()) {
    uint64_t tag = r.varint();
    int num = static_cast<int>(tag >> 3), wire = static_cast<int>(tag & 7);
    const Field* field = nullptr;
    for (const Field& f : st.fields)
      if (f.proto == num) field = &f;
    if (!field) {
      r.skip(wire);
      continue;
    }
    if (field->inline_ && field->type->kind == Kind::kStruct) {
      std::string_view b = r.bytes();
      if (!r.ok || !decode_struct(b, *field->type->st, out, error)) return false;
      continue;
    }
    const Type* t = field->type;
    if (t->kind == Kind::kSlice) {
      Json& arr = out[field->json];
      if (!arr.is_array()) arr = Json::array();
      const Type* et = t->elem;
      bool packable = et->kind == Kind::kInt32 || et->kind == Kind::kInt64 || et->kind == Kind::kBool;
      if (packable && wire == 2) {
        std::string_view b = r.bytes();
        Reader pr{reinterpret_cast<const uint8_t*>(b.data()), reinterpret_cast<const uint8_t*>(b.data()) + b.size()};
        while (pr.ok && !pr.done()) {
          Json v;
          if (!decode_value(pr, 0, et, v, error)) return false;
          arr.push_back(v);
        }
        continue;
      }
      Json v;
      if (!decode_value(r, wire, et, v, error)) return false;
      arr.push_back(v);
      continue;
    }
    if (t->kind == Kind::kMap) {
      std::string_view b = r.bytes();
      Reader er{reinterpret_cast<const uint8_t*>(b.data()), reinterpret_cast<const uint8_t*>(b.data()) + b.size()};
      std::string key;
      Json value;
      bool has_value = false;
      while (er.ok && !er.done()) {
        uint64_t etag = er.varint();
        if ((etag >> 3) == 1) key = std::string(er.bytes());
        else if ((etag >> 3) == 2) {
          if (t->elem->kind == Kind::kSlice) {
            // map[string][]string (e.g. UserInfo.extra): the value is a message {1 repeated items}.
            std::string_view vb = er.bytes();
            Reader vr{reinterpret_cast<const uint8_t*>(vb.data()), reinterpret_cast<const uint8_t*>(vb.data()) + vb.size()};
            value = Json::array();
            while (vr.ok && !vr.done()) {
              uint64_t vtag = vr.varint();
              if ((vtag >> 3) == 1) value.push_back(std::string(vr.bytes()));
              else vr.skip(vtag & 7);
            }
          } else if (!decode_value(er, static_cast<int>(etag & 7), t->elem, value, error)) {
            return false;
          }
          has_value = true;
        } else {
          er.skip(etag & 7);
        }
      }
      if (!r.ok || !er.ok) break;
      Json& m = out[field->json];
      if (!m.is_object()) m = Json::object();
      m[key] = has_value ? value : Json("");
      continue;
    }
    Json v;
    if (!decode_value(r, wire, t, v, error)) return false;
    out[field->json] = v;
  }
  if (!r.ok) {
    *error = "proto: illegal wireType or truncated message";
    return false;
  }
  return true;
}

// ---- encoding

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}
void put_tag(std::string& out, int num, int wire) { put_varint(out, (static_cast<uint64_t>(num) << 3) | wire); }
void put_bytes(std::string& out, int num, std::string_view b) {
  put_tag(out, num, 2);
  put_varint(out, b.size());
  out.append(b);
}

std::string encode_struct(const Json& obj, const StructType& st);

void encode_value(std::string& out, int num, const Json& v, const Type* t) {
  switch (t->kind) {
    case Kind::kString: put_bytes(out, num, v.is_string() ? v.get<std::string>() : ""); return;
    case Kind::kBool: put_tag(out, num, 0); put_varint(out, v.is_boolean() && v.get<bool>()); return;
    case Kind::kInt32:
    case Kind::kInt64: put_tag(out, num, 0); put_varint(out, static_cast<uint64_t>(v.is_number() ? v.get<int64_t>() : 0)); return;
    case Kind::kFloat64: {
      double d = v.is_number() ? v.get<double>() : 0;
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      put_tag(out, num, 1);
      out.append(reinterpret_cast<const char*>(&bits), 8);
      return;
    }
    case Kind::kBytes: {
      auto raw = v.is_string() ? machinery::base64_decode(v.get<std::string>()) : std::optional<std::string>("");
      put_bytes(out, num, raw ? *raw : "");
      return;
    }
    case Kind::kTime:
    case Kind::kMicroTime: {
      std::string m;
      if (v.is_string()) {
        int64_t secs = 0, nanos = 0;
        if (auto t = machinery::parse_rfc3339(v.get<std::string>()); t.ok()) {
          auto s = std::chrono::floor<std::chrono::seconds>(*t);
          secs = s.time_since_epoch().count();
          nanos = (*t - s).count();
        }
        put_tag(m, 1, 0);
        put_varint(m, static_cast<uint64_t>(secs));
        if (nanos) { put_tag(m, 2, 0); put_varint(m, static_cast<uint64_t>(nanos)); }
      }
      put_bytes(out, num, m);
      return;
    }
    case Kind::kQuantity: {
      std::string m;
      put_bytes(m, 1, v.is_string() ? v.get<std::string>() : v.dump());
      put_bytes(out, num, m);
      return;
    }
    case Kind::kIntOrString: {
      std::string m;
      if (v.is_string()) {
        put_tag(m, 1, 0); put_varint(m, 1);
        put_tag(m, 2, 0); put_varint(m, 0);
        put_bytes(m, 3, v.get<std::string>());
      } else {
        put_tag(m, 1, 0); put_varint(m, 0);
        put_tag(m, 2, 0); put_varint(m, static_cast<uint64_t>(v.is_number() ? v.get<int64_t>() : 0));
        put_bytes(m, 3, "");
      }
      put_bytes(out, num, m);
      return;
    }
    case Kind::kDuration: put_bytes(out, num, ""); return;
    case Kind::kRaw: {
      std::string m;
      if (!v.is_null()) put_bytes(m, 1, v.dump());
      put_bytes(out, num, m);
      return;
    }
    case Kind::kStruct: put_bytes(out, num, encode_struct(v, *t->st)); return;
    case Kind::kPointer:
      if (!v.is_null()) encode_value(out, num, v, t->elem);
      return;
    case Kind::kSlice:
      if (v.is_array())
        for (const auto& e : v) encode_value(out, num, e, t->elem);
      return;
    case Kind::kMap:
      if (v.is_object()) {
        std::vector<std::string> keys;
        for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(it.key());
        std::sort(keys.begin(), keys.end());
        for (const auto& k : keys) {
          std::string entry;
          put_bytes(entry, 1, k);
          if (t->elem->kind == Kind::kSlice) {
            std::string inner;
            for (const auto& e : v[k]) put_bytes(inner, 1, e.is_string() ? e.get<std::string>() : "");
            put_bytes(entry, 2, inner);
          } else {
            encode_value(entry, 2, v[k], t->elem);
          }
          put_bytes(out, num, entry);
        }
      }
      return;
  }
}

std::string encode_struct(const Json& obj, const StructType& st) {
  std::string out;
  for (const Field& f : st.fields) {
    if (f.proto == 0) continue;
    if (f.inline_ && f.type->kind == Kind::kStruct) {
      put_bytes(out, f.proto, encode_struct(obj, *f.type->st));
      continue;
    }
    if (!obj.is_object() || !obj.contains(f.json)) {
      // Go's generated marshallers always write non-pointer scalars and structs.
      if (f.type->nullable()) continue;
      encode_value(out, f.proto, Json(), f.type);
      continue;
    }
    encode_value(out, f.proto, obj[f.json], f.type);
  }
  return out;
}

}  // namespace

bool decode_protobuf(std::string_view body, const StructType& type, Json& out, std::string* error) {
  if (body.size() < 4 || std::memcmp(body.data(), kMagic, 4) != 0) {
    *error = "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]";
    return false;
  }
  Reader r{reinterpret_cast<const uint8_t*>(body.data()) + 4, reinterpret_cast<const uint8_t*>(body.data()) + body.size()};
  std::string api_version, kind;
  std::string_view raw;
  while (r.ok && !r.done()) {
    uint64_t tag = r.varint();
    int num = static_cast<int>(tag >> 3);
    if (num == 1) {
      std::string_view tm = r.bytes();
      Reader t{reinterpret_cast<const uint8_t*>(tm.data()), reinterpret_cast<const uint8_t*>(tm.data()) + tm.size()};
      while (t.ok && !t.done()) {
        uint64_t tt = t.varint();
        if ((tt >> 3) == 1) api_version = std::string(t.bytes());
        else if ((tt >> 3) == 2) kind = std::string(t.bytes());
        else t.skip(tt & 7);
      }
    } else if (num == 2) {
      raw = r.bytes();
    } else {
      r.skip(static_cast<int>(tag & 7));
    }
  }
  if (!r.ok) {
    *error = "proto: illegal wireType or truncated message";
    return false;
  }
  out = Json::object();
  if (!kind.empty()) out["kind"] = kind;
  if (!api_version.empty()) out["apiVersion"] = api_version;
  return decode_struct(raw, type, out, error);
}

std::string encode_protobuf(const Json& obj, const StructType& type) {
  std::string typemeta;
  put_bytes(typemeta, 1, obj.value("apiVersion", ""));
  put_bytes(typemeta, 2, obj.value("kind", ""));
  std::string out(kMagic, 4);
  put_bytes(out, 1, typemeta);
  put_bytes(out, 2, encode_struct(obj, type));
  put_bytes(out, 3, "");
  put_bytes(out, 4, "");
  return out;
}

}  // namespace kapi::runtime
