#include "client/printers/go_json.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "pkg/machinery/go_format.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

void append_quoted(std::string& out, const std::string& s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '<': case '>': case '&':
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xF];
          break;
        default:
          if (c < 0x20) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xF];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    // One UTF-8 sequence; invalid bytes become U+FFFD as in Go.
    size_t len = machinery::gofmt::utf8_len(s, i);
    if (len == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (s.compare(i, len, "\xE2\x80\xA8") == 0) out += "\\u2028";
    else if (s.compare(i, len, "\xE2\x80\xA9") == 0) out += "\\u2029";
    else out.append(s, i, len);
    i += len;
  }
  out += '"';
}

void write(std::string& out, const Json& v, const std::string& indent, int depth, bool keep_order) {
  auto newline = [&](int d) {
    if (indent.empty()) return;
    out += '\n';
    for (int k = 0; k < d; ++k) out += indent;
  };
  switch (v.type()) {
    case Json::value_t::null: out += "null"; break;
    case Json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; break;
    case Json::value_t::number_integer: out += std::to_string(v.get<int64_t>()); break;
    case Json::value_t::number_unsigned: out += std::to_string(v.get<uint64_t>()); break;
    case Json::value_t::number_float: out += machinery::gofmt::format_float_json(v.get<double>()); break;
    case Json::value_t::string: append_quoted(out, v.get_ref<const std::string&>()); break;
    case Json::value_t::array: {
      if (v.empty()) { out += "[]"; break; }
      out += '[';
      bool first = true;
      for (const auto& e : v) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        write(out, e, indent, depth + 1, keep_order);
      }
      newline(depth);
      out += ']';
      break;
    }
    case Json::value_t::object: {
      if (v.empty()) { out += "{}"; break; }
      std::vector<std::pair<const std::string*, const Json*>> items;
      items.reserve(v.size());
      for (auto it = v.begin(); it != v.end(); ++it) items.emplace_back(&it.key(), &it.value());
      if (!keep_order)
        std::sort(items.begin(), items.end(),
                [](const auto& a, const auto& b) { return *a.first < *b.first; });
      out += '{';
      bool first = true;
      for (const auto& [k, val] : items) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        append_quoted(out, *k);
        out += indent.empty() ? ":" : ": ";
        write(out, *val, indent, depth + 1, keep_order);
      }
      newline(depth);
      out += '}';
      break;
    }
    default: out += "null"; break;
  }
}

}  // namespace

std::string go_json_quote(const std::string& s) {
  std::string out;
  append_quoted(out, s);
  return out;
}

std::string to_go_json(const Json& value, const std::string& indent) {
  std::string out;
  write(out, value, indent, 0, false);
  return out;
}

std::string to_go_json_ordered(const Json& value, const std::string& indent) {
  std::string out;
  write(out, value, indent, 0, true);
  return out;
}

}  // namespace kapi::client
