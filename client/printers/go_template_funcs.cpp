// Values, fmt formatting and the builtin functions of the go-template engine (text/template's
// funcs.go plus kubectl's exists and base64decode), with Go's error texts.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "client/printers/go_template_value.h"
#include "pkg/machinery/go_format.h"

namespace kapi::client::gotmpl {

// ---------------------------------------------------------------------------------------------
// Values

Value Value::of_json(const Json* j, bool element, std::shared_ptr<const Json> hold) {
  Value v;
  v.iface = element;
  v.hold = std::move(hold);
  switch (j->type()) {
    case Json::value_t::null: v.k = K::kNil; break;
    case Json::value_t::boolean: v.k = K::kBool; v.b = j->get<bool>(); break;
    case Json::value_t::number_integer: v.k = K::kInt; v.i = j->get<int64_t>(); v.int_type = "int64"; break;
    case Json::value_t::number_unsigned: {
      uint64_t u = j->get<uint64_t>();
      if (u <= static_cast<uint64_t>(INT64_MAX)) {
        v.k = K::kInt;
        v.i = static_cast<int64_t>(u);
        v.int_type = "int64";
      } else {
        v.k = K::kFloat;  // apimachinery's json falls back to float64 when int64 overflows
        v.f = static_cast<double>(u);
      }
      break;
    }
    case Json::value_t::number_float: {
      // kubectl marshals the object and decodes it again for the template: a whole float64
      // that encoding/json writes without '.' or exponent comes back as an int64.
      double f = j->get<double>();
      if (std::nearbyint(f) == f && f >= -9223372036854775808.0 && f < 9223372036854775808.0) {
        v.k = K::kInt;
        v.i = static_cast<int64_t>(f);
        v.int_type = "int64";
      } else {
        v.k = K::kFloat;
        v.f = f;
      }
      break;
    }
    case Json::value_t::string: v.k = K::kString; v.s = j->get<std::string>(); break;
    case Json::value_t::object: v.k = K::kMap; v.j = j; break;
    case Json::value_t::array: v.k = K::kSlice; v.j = j; break;
    default: v.k = K::kNil;
  }
  if (v.k == K::kNil && !element) v.k = K::kInvalid;
  return v;
}

std::string Value::concrete_type() const {
  switch (k) {
    case K::kInvalid: case K::kNil: return "<nil>";
    case K::kBool: return "bool";
    case K::kInt: return int_type;
    case K::kFloat: return "float64";
    case K::kString: return "string";
    case K::kMap: return "map[string]interface {}";
    case K::kSlice: return "[]interface {}";
  }
  return "";
}

std::string Value::type_name() const { return iface ? "interface {}" : concrete_type(); }

bool truth(const Value& v) {
  switch (v.k) {
    case Value::K::kInvalid: case Value::K::kNil: return false;
    case Value::K::kBool: return v.b;
    case Value::K::kInt: return v.i != 0;
    case Value::K::kFloat: return v.f != 0;
    case Value::K::kString: return !v.s.empty();
    case Value::K::kMap: case Value::K::kSlice: return !v.j->empty();
  }
  return false;
}

Value unwrap(Value v) {
  v.iface = false;
  if (v.k == Value::K::kNil) v.k = Value::K::kInvalid;
  return v;
}

// ---------------------------------------------------------------------------------------------
// fmt

namespace {

struct Spec {
  bool minus = false, plus = false, sharp = false, space = false, zero = false;
  int width = -1, prec = -1;
  char verb = 'v';
};

size_t rune_count(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string pad(const std::string& s, const Spec& sp, bool numeric = false) {
  if (sp.width < 0) return s;
  size_t n = rune_count(s);
  if (n >= static_cast<size_t>(sp.width)) return s;
  size_t fill = sp.width - n;
  if (sp.minus) return s + std::string(fill, ' ');
  if (sp.zero && numeric) {
    size_t sign = (!s.empty() && (s[0] == '-' || s[0] == '+' || s[0] == ' ')) ? 1 : 0;
    return s.substr(0, sign) + std::string(fill, '0') + s.substr(sign);
  }
  return std::string(fill, sp.zero && !numeric ? '0' : ' ') + s;
}

std::string utf8_of(uint32_t r) {
  std::string out;
  if (r < 0x80) out += static_cast<char>(r);
  else if (r < 0x800) out += static_cast<char>(0xC0 | (r >> 6)), out += static_cast<char>(0x80 | (r & 0x3F));
  else if (r < 0x10000)
    out += static_cast<char>(0xE0 | (r >> 12)), out += static_cast<char>(0x80 | ((r >> 6) & 0x3F)),
        out += static_cast<char>(0x80 | (r & 0x3F));
  else
    out += static_cast<char>(0xF0 | (r >> 18)), out += static_cast<char>(0x80 | ((r >> 12) & 0x3F)),
        out += static_cast<char>(0x80 | ((r >> 6) & 0x3F)), out += static_cast<char>(0x80 | (r & 0x3F));
  return out;
}

std::string bad_verb(const Value& v, char verb) {
  if (v.k == Value::K::kInvalid || v.k == Value::K::kNil) return std::string("%!") + verb + "(<nil>)";
  return std::string("%!") + verb + "(" + v.concrete_type() + "=" + format_v(v) + ")";
}

std::string fmt_int(int64_t i, const Spec& sp) {
  uint64_t u = i < 0 ? 0 - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
  std::string digits, prefix;
  auto base = [&](int b, const char* alphabet) {
    if (u == 0) digits = "0";
    while (u) {
      digits.insert(digits.begin(), alphabet[u % b]);
      u /= b;
    }
  };
  switch (sp.verb) {
    case 'b': base(2, "01"); break;
    case 'o': base(8, "01234567"); if (sp.sharp) prefix = "0"; break;
    case 'O': base(8, "01234567"); prefix = "0o"; break;
    case 'x': base(16, "0123456789abcdef"); if (sp.sharp) prefix = "0x"; break;
    case 'X': base(16, "0123456789ABCDEF"); if (sp.sharp) prefix = "0X"; break;
    default: base(10, "0123456789");
  }
  if (sp.prec >= 0 && digits.size() < static_cast<size_t>(sp.prec))
    digits.insert(0, sp.prec - digits.size(), '0');
  std::string sign = i < 0 ? "-" : sp.plus ? "+" : sp.space ? " " : "";
  Spec p = sp;
  if (sp.prec >= 0) p.zero = false;
  return pad(sign + prefix + digits, p, true);
}

std::string fmt_float(double f, const Spec& sp) {
  std::string s;
  if (std::isinf(f)) s = f > 0 ? "+Inf" : "-Inf";
  else if (std::isnan(f)) s = "NaN";
  if (!s.empty()) {
    if (s == "+Inf" && !sp.plus) s = sp.space ? " Inf" : "+Inf";
    return pad(s, sp);
  }
  char verb = sp.verb == 'v' ? 'g' : sp.verb;
  if ((verb == 'g' || verb == 'G') && sp.prec < 0) {
    s = machinery::gofmt::format_float_v(f);
    if (verb == 'G') std::transform(s.begin(), s.end(), s.begin(), ::toupper);
  } else {
    char fmtbuf[16], buf[512];
    std::snprintf(fmtbuf, sizeof fmtbuf, "%%.%d%c", sp.prec < 0 ? 6 : sp.prec, verb == 'F' ? 'f' : verb);
    std::snprintf(buf, sizeof buf, fmtbuf, f);
    s = buf;
  }
  if (sp.plus && s[0] != '-') s = "+" + s;
  else if (sp.space && s[0] != '-') s = " " + s;
  return pad(s, sp, true);
}

std::string fmt_value(const Value& v, const Spec& sp);

std::string fmt_elem(const Json& j, const Spec& sp) { return fmt_value(Value::of_json(&j, true), sp); }

std::string fmt_value(const Value& v, const Spec& sp) {
  char verb = sp.verb;
  if (verb == 'T') return pad(v.concrete_type(), sp);
  switch (v.k) {
    case Value::K::kInvalid: case Value::K::kNil:
      return verb == 'v' ? pad("<nil>", sp) : bad_verb(v, verb);
    case Value::K::kBool:
      return verb == 'v' || verb == 't' ? pad(v.b ? "true" : "false", sp) : bad_verb(v, verb);
    case Value::K::kInt:
      switch (verb) {
        case 'v': case 'd': case 'b': case 'o': case 'O': case 'x': case 'X': return fmt_int(v.i, sp);
        case 'c': return pad(utf8_of(static_cast<uint32_t>(v.i)), sp);
        case 'q': return pad("'" + utf8_of(static_cast<uint32_t>(v.i)) + "'", sp);
        case 'U': {
          char buf[32];
          std::snprintf(buf, sizeof buf, "U+%04llX", static_cast<unsigned long long>(v.i));
          return pad(buf, sp);
        }
        default: return bad_verb(v, verb);
      }
    case Value::K::kFloat:
      switch (verb) {
        case 'v': case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': return fmt_float(v.f, sp);
        default: return bad_verb(v, verb);
      }
    case Value::K::kString: {
      std::string s = v.s;
      if (verb == 'v' || verb == 's' || verb == 'q' || verb == 'x' || verb == 'X') {
        if (sp.prec >= 0) {  // precision limits runes
          size_t n = 0, i = 0;
          for (; i < s.size(); ++i)
            if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && n++ == static_cast<size_t>(sp.prec)) break;
          s.resize(i);
        }
      }
      switch (verb) {
        case 'v': case 's': return pad(s, sp);
        case 'q': return pad(sp.sharp && s.find('`') == std::string::npos ? "`" + s + "`" : machinery::gofmt::quote(s), sp);
        case 'x': case 'X': {
          std::string out;
          const char* digits = verb == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
          for (size_t i = 0; i < s.size(); ++i) {
            if (sp.space && i) out += ' ';
            if (sp.sharp && (sp.space || i == 0)) out += verb == 'x' ? "0x" : "0X";
            unsigned char c = static_cast<unsigned char>(s[i]);
            out += digits[c >> 4];
            out += digits[c & 15];
          }
          return pad(out, sp);
        }
        default: return bad_verb(v, verb);
      }
    }
    case Value::K::kMap: {
      std::vector<std::string> keys;
      for (const auto& [k, _] : v.j->items()) keys.push_back(k);
      std::sort(keys.begin(), keys.end());
      std::string out = "map[";
      for (size_t i = 0; i < keys.size(); ++i) {
        if (i) out += ' ';
        out += fmt_value(Value::of_string(keys[i]), sp) + ":" + fmt_elem(v.j->at(keys[i]), sp);
      }
      return out + "]";
    }
    case Value::K::kSlice: {
      std::string out = "[";
      for (size_t i = 0; i < v.j->size(); ++i) {
        if (i) out += ' ';
        out += fmt_elem((*v.j)[i], sp);
      }
      return out + "]";
    }
  }
  return "";
}

}  // namespace

std::string format_v(const Value& v) { return fmt_value(v, Spec{}); }

std::string sprint(const std::vector<Value>& args) {
  std::string out;
  bool prev_string = false;
  for (size_t i = 0; i < args.size(); ++i) {
    bool is_string = args[i].k == Value::K::kString;
    if (i > 0 && !is_string && !prev_string) out += ' ';
    out += format_v(args[i]);
    prev_string = is_string;
  }
  return out;
}

std::string sprintln(const std::vector<Value>& args) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) out += (i ? " " : "") + format_v(args[i]);
  return out + "\n";
}

std::string sprintf(const std::string& format, const std::vector<Value>& args) {
  std::string out;
  size_t argi = 0;
  for (size_t i = 0; i < format.size();) {
    if (format[i] != '%') {
      out += format[i++];
      continue;
    }
    ++i;
    Spec sp;
    for (; i < format.size(); ++i) {
      char c = format[i];
      if (c == '-') sp.minus = true, sp.zero = false;
      else if (c == '+') sp.plus = true;
      else if (c == '#') sp.sharp = true;
      else if (c == ' ') sp.space = true;
      else if (c == '0') sp.zero = !sp.minus;
      else break;
    }
    auto number = [&](int& dst) {
      if (i < format.size() && format[i] == '*') {
        ++i;
        if (argi < args.size() && args[argi].k == Value::K::kInt) dst = static_cast<int>(args[argi++].i);
        return;
      }
      int n = -1;
      while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i])))
        n = (n < 0 ? 0 : n * 10) + (format[i++] - '0');
      dst = n;
    };
    number(sp.width);
    if (i < format.size() && format[i] == '.') {
      ++i;
      number(sp.prec);
      if (sp.prec < 0) sp.prec = 0;
    }
    if (i >= format.size()) {
      out += "%!(NOVERB)";
      break;
    }
    sp.verb = format[i++];
    if (sp.verb == '%') {
      out += '%';
      continue;
    }
    if (argi >= args.size()) {
      out += std::string("%!") + sp.verb + "(MISSING)";
      continue;
    }
    out += fmt_value(args[argi++], sp);
  }
  if (argi < args.size()) {
    out += "%!(EXTRA ";
    for (size_t k = argi; k < args.size(); ++k) {
      if (k > argi) out += ", ";
      const Value& v = args[k];
      out += (v.k == Value::K::kInvalid || v.k == Value::K::kNil) ? "<nil>" : v.concrete_type() + "=" + format_v(v);
    }
    out += ")";
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Builtins

namespace {

enum class BasicKind { kInvalid, kBool, kInt, kFloat, kString };

BasicKind basic_kind(const Value& v) {
  switch (v.k) {
    case Value::K::kBool: return BasicKind::kBool;
    case Value::K::kInt: return BasicKind::kInt;
    case Value::K::kFloat: return BasicKind::kFloat;
    case Value::K::kString: return BasicKind::kString;
    default: return BasicKind::kInvalid;
  }
}

Value indirect_interface(const Value& v) { return unwrap(v); }

bool eq_impl(std::vector<Value>& args, std::string* error, bool* result) {
  Value a1 = indirect_interface(args[0]);
  if (args.size() < 2) {
    *error = "missing argument for comparison";
    return false;
  }
  BasicKind k1 = basic_kind(a1);
  for (size_t i = 1; i < args.size(); ++i) {
    Value a = indirect_interface(args[i]);
    BasicKind k2 = basic_kind(a);
    bool t = false;
    if (k1 != k2) {
      if (a1.valid() && a.valid()) {
        *error = "incompatible types for comparison";
        return false;
      }
    } else {
      switch (k1) {
        case BasicKind::kBool: t = a1.b == a.b; break;
        case BasicKind::kInt: t = a1.i == a.i; break;
        case BasicKind::kFloat: t = a1.f == a.f; break;
        case BasicKind::kString: t = a1.s == a.s; break;
        case BasicKind::kInvalid:
          if (!a1.valid() || !a.valid()) {
            t = !a1.valid() && !a.valid();
          } else {
            *error = "non-comparable type " + format_v(a) + ": " + a.concrete_type();
            return false;
          }
      }
    }
    if (t) {
      *result = true;
      return true;
    }
  }
  *result = false;
  return true;
}

bool lt_impl(std::vector<Value>& args, std::string* error, bool* result) {
  Value a1 = indirect_interface(args[0]), a2 = indirect_interface(args[1]);
  BasicKind k1 = basic_kind(a1), k2 = basic_kind(a2);
  if (k1 == BasicKind::kInvalid || k2 == BasicKind::kInvalid) {
    *error = "invalid type for comparison";
    return false;
  }
  if (k1 != k2) {
    *error = "incompatible types for comparison";
    return false;
  }
  switch (k1) {
    case BasicKind::kInt: *result = a1.i < a2.i; break;
    case BasicKind::kFloat: *result = a1.f < a2.f; break;
    case BasicKind::kString: *result = a1.s < a2.s; break;
    default: *error = "invalid type for comparison"; return false;
  }
  return true;
}

Value fn_eq(std::vector<Value>& a, std::string* e) {
  bool r = false;
  return eq_impl(a, e, &r) ? Value::of_bool(r) : Value();
}
Value fn_ne(std::vector<Value>& a, std::string* e) {
  bool r = false;
  return eq_impl(a, e, &r) ? Value::of_bool(!r) : Value();
}
Value fn_lt(std::vector<Value>& a, std::string* e) {
  bool r = false;
  return lt_impl(a, e, &r) ? Value::of_bool(r) : Value();
}
Value fn_le(std::vector<Value>& a, std::string* e) {
  bool r = false;
  if (!lt_impl(a, e, &r)) return {};
  if (r) return Value::of_bool(true);
  return eq_impl(a, e, &r) ? Value::of_bool(r) : Value();
}
Value fn_gt(std::vector<Value>& a, std::string* e) {
  Value v = fn_le(a, e);
  return e->empty() ? Value::of_bool(!v.b) : Value();
}
Value fn_ge(std::vector<Value>& a, std::string* e) {
  Value v = fn_lt(a, e);
  return e->empty() ? Value::of_bool(!v.b) : Value();
}
Value fn_not(std::vector<Value>& a, std::string*) { return Value::of_bool(!truth(a[0])); }

Value fn_len(std::vector<Value>& a, std::string* e) {
  Value v = indirect_interface(a[0]);
  switch (v.k) {
    case Value::K::kInvalid: *e = "reflect: call of reflect.Value.Type on zero Value"; return {};
    case Value::K::kString: return Value::of_int(static_cast<int64_t>(v.s.size()));
    case Value::K::kMap: case Value::K::kSlice: return Value::of_int(static_cast<int64_t>(v.j->size()));
    default: *e = "len of type " + v.concrete_type(); return {};
  }
}

Value fn_index(std::vector<Value>& a, std::string* e) {
  Value item = indirect_interface(a[0]);
  if (!item.valid()) {
    *e = "index of untyped nil";
    return {};
  }
  for (size_t i = 1; i < a.size(); ++i) {
    Value idx = indirect_interface(a[i]);
    if (item.k == Value::K::kNil) {
      *e = "index of nil pointer";
      return {};
    }
    if (item.k == Value::K::kSlice || item.k == Value::K::kString) {
      if (!idx.valid()) {
        *e = "cannot index slice/array with nil";
        return {};
      }
      if (idx.k != Value::K::kInt) {
        *e = "cannot index slice/array with type " + idx.concrete_type();
        return {};
      }
      size_t n = item.k == Value::K::kSlice ? item.j->size() : item.s.size();
      if (idx.i < 0 || static_cast<size_t>(idx.i) >= n) {
        *e = "index out of range: " + std::to_string(idx.i);
        return {};
      }
      if (item.k == Value::K::kString) {
        item = Value::of_int(static_cast<unsigned char>(item.s[idx.i]), "uint8");
      } else {
        item = Value::of_json(&(*item.j)[idx.i], true, item.hold);
      }
    } else if (item.k == Value::K::kMap) {
      if (idx.k != Value::K::kString) {
        *e = idx.valid() ? "value has type " + idx.concrete_type() + "; should be string"
                         : "value is nil; should be of type string";
        return {};
      }
      auto it = item.j->find(idx.s);
      if (it != item.j->end()) {
        item = Value::of_json(&*it, true, item.hold);
      } else {
        item = Value();
        item.k = Value::K::kNil;  // the map's zero element: a nil interface
        item.iface = true;
      }
    } else {
      *e = "can't index item of type " + item.type_name();
      return {};
    }
  }
  return item;
}

Value fn_print(std::vector<Value>& a, std::string*) { return Value::of_string(sprint(a)); }
Value fn_println(std::vector<Value>& a, std::string*) { return Value::of_string(sprintln(a)); }
Value fn_printf(std::vector<Value>& a, std::string*) {
  std::vector<Value> rest(a.begin() + 1, a.end());
  return Value::of_string(sprintf(a[0].s, rest));
}

// kubectl's exists: true if every index leads to a non-nil value.
Value fn_exists(std::vector<Value>& a, std::string*) {
  Value v = a[0];
  for (size_t i = 1; i < a.size(); ++i) {
    Value idx = indirect_interface(a[i]);
    v = indirect_interface(v);
    if (!v.valid()) return Value::of_bool(false);
    if (v.k == Value::K::kSlice || v.k == Value::K::kString) {
      if (idx.k != Value::K::kInt) return Value::of_bool(false);
      size_t n = v.k == Value::K::kSlice ? v.j->size() : v.s.size();
      if (idx.i < 0 || static_cast<size_t>(idx.i) >= n) return Value::of_bool(false);
      v = v.k == Value::K::kSlice ? Value::of_json(&(*v.j)[idx.i], true, v.hold)
                                  : Value::of_int(static_cast<unsigned char>(v.s[idx.i]), "uint8");
    } else if (v.k == Value::K::kMap) {
      if (idx.valid() && idx.k != Value::K::kString) return Value::of_bool(false);
      auto it = v.j->find(idx.s);
      if (it == v.j->end()) return Value::of_bool(false);
      v = Value::of_json(&*it, true, v.hold);
    } else {
      return Value::of_bool(false);
    }
  }
  return Value::of_bool(indirect_interface(v).valid());
}

// base64.StdEncoding.DecodeString with Go's CorruptInputError offsets.
Value fn_base64decode(std::vector<Value>& a, std::string* e) {
  const std::string& s = a[0].s;
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  std::string chunk;
  size_t i = 0;
  auto fail = [&](size_t at) {
    *e = "base64 decode failed: illegal base64 data at input byte " + std::to_string(at);
    return Value();
  };
  // Newlines are ignored by Go's decoder; everything else must be in the alphabet.
  std::vector<std::pair<char, size_t>> chars;
  for (i = 0; i < s.size(); ++i)
    if (s[i] != '\n' && s[i] != '\r') chars.push_back({s[i], i});
  size_t n = chars.size();
  for (size_t q = 0; q < n; q += 4) {
    int v[4] = {0, 0, 0, 0};
    int got = 0;
    for (int k = 0; k < 4; ++k) {
      if (q + k >= n) {
        if (k == 0) break;
        return fail(chars.empty() ? 0 : s.size());
      }
      char c = chars[q + k].first;
      if (c == '=') {
        if (k < 2) return fail(chars[q + k].second);
        if (k == 2) {
          if (q + 3 >= n || chars[q + 3].first != '=') return fail(q + 3 >= n ? s.size() : chars[q + 3].second);
        }
        if (q + 4 < n) return fail(chars[q + 4].second);
        break;
      }
      int x = val(c);
      if (x < 0) return fail(chars[q + k].second);
      v[k] = x;
      ++got;
    }
    if (got >= 2) out += static_cast<char>((v[0] << 2) | (v[1] >> 4));
    if (got >= 3) out += static_cast<char>(((v[1] & 15) << 4) | (v[2] >> 2));
    if (got >= 4) out += static_cast<char>(((v[2] & 3) << 6) | v[3]);
  }
  return Value::of_string(out);
}

const FuncSpec kFuncs[] = {
    {"and", nullptr, 1, true, 0},       {"or", nullptr, 1, true, 0},
    {"not", fn_not, 1, false, 0},        {"len", fn_len, 1, false, 0},
    {"index", fn_index, 1, true, 0},     {"print", fn_print, 0, true, 0},
    {"printf", fn_printf, 1, true, 1},   {"println", fn_println, 0, true, 0},
    {"eq", fn_eq, 1, true, 0},           {"ne", fn_ne, 2, false, 0},
    {"lt", fn_lt, 2, false, 0},          {"le", fn_le, 2, false, 0},
    {"gt", fn_gt, 2, false, 0},          {"ge", fn_ge, 2, false, 0},
    {"exists", fn_exists, 1, true, 0},   {"base64decode", fn_base64decode, 1, false, 1},
};

}  // namespace

const FuncSpec* find_func(const std::string& name) {
  for (const auto& f : kFuncs)
    if (name == f.name) return &f;
  return nullptr;
}

bool is_function(const std::string& name) { return find_func(name) != nullptr; }

}  // namespace kapi::client::gotmpl
