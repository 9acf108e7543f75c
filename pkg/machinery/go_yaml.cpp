// A port of the parts of go-yaml v2's emitter (emitterc.go), encoder (encode.go), resolver
// (resolve.go) and key sorter (sorter.go) that sigs.k8s.io/yaml v1.4 exercises when it marshals
// a JSON tree. Function names follow the Go originals so the two can be compared side by side.
#include "pkg/machinery/go_yaml.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <vector>

#include "pkg/machinery/go_format.h"
#include "pkg/machinery/unicode_letter.h"
#include "pkg/machinery/yaml_resolve.h"

namespace kapi::machinery::goyaml {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kBestIndent = 2;
constexpr int kBestWidth = 80;

// ---- character classes (yamlprivateh.go); `b` is NUL-padded so look-ahead is safe ----------
bool is_printable(const std::string& b, size_t i) {
  unsigned char c = b[i];
  unsigned char c1 = i + 1 < b.size() ? b[i + 1] : 0;
  unsigned char c2 = i + 2 < b.size() ? b[i + 2] : 0;
  return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c == 0xC2 && c1 >= 0xA0) ||
         (c > 0xC2 && c < 0xED) || (c == 0xED && c1 < 0xA0) || c == 0xEE ||
         (c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) && !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)));
}
bool is_space(const std::string& b, size_t i) { return i < b.size() && b[i] == ' '; }
bool is_blank(const std::string& b, size_t i) {
  return i < b.size() && (b[i] == ' ' || b[i] == '\t');
}
bool is_break(const std::string& b, size_t i) {
  if (i >= b.size()) return false;
  unsigned char c = b[i];
  unsigned char c1 = i + 1 < b.size() ? b[i + 1] : 0;
  unsigned char c2 = i + 2 < b.size() ? b[i + 2] : 0;
  return c == '\r' || c == '\n' || (c == 0xC2 && c1 == 0x85) ||
         (c == 0xE2 && c1 == 0x80 && (c2 == 0xA8 || c2 == 0xA9));
}
bool is_blankz(const std::string& b, size_t i) {
  return i >= b.size() || is_blank(b, i) || is_break(b, i) || b[i] == 0;
}
bool is_bom(const std::string& b) {
  return b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0xEF &&
         static_cast<unsigned char>(b[1]) == 0xBB && static_cast<unsigned char>(b[2]) == 0xBF;
}
size_t width(unsigned char c) {
  if ((c & 0x80) == 0) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

// sigs.k8s.io/yaml re-parses Go's JSON output as YAML. Go's JSON leaves U+0085 (NEL) raw, and the
// YAML reader folds a raw line break inside a double-quoted scalar: spaces around it vanish (tabs
// are escaped as \t in the JSON text, so they stay), one break becomes a space, n breaks become
// n-1 newlines.
std::string fold_nel(const std::string& s) {
  if (s.find("\xC2\x85") == std::string::npos) return s;
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    bool nel = i + 1 < s.size() && static_cast<unsigned char>(s[i]) == 0xC2 &&
               static_cast<unsigned char>(s[i + 1]) == 0x85;
    if (!nel) {
      out += s[i++];
      continue;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    int breaks = 0;
    while (i < s.size()) {
      if (i + 1 < s.size() && static_cast<unsigned char>(s[i]) == 0xC2 &&
          static_cast<unsigned char>(s[i + 1]) == 0x85) {
        ++breaks;
        i += 2;
      } else if (s[i] == ' ') {
        ++i;
      } else {
        break;
      }
    }
    if (breaks == 1) out += ' ';
    else out.append(breaks - 1, '\n');
  }
  return out;
}

enum class Style { kPlain, kSingle, kDouble, kLiteral };

struct ScalarData {
  bool multiline = false;
  bool flow_plain_allowed = false;
  bool block_plain_allowed = false;
  bool single_quoted_allowed = false;
  bool block_allowed = false;
};

// ---- emitterc.go ----------------------------------------------------------------------------
class Emitter {
 public:
  std::string out;

  void emit_document(const Json& root) {
    emit_node(root, /*root=*/true, false, false, false);
    write_indent();  // document end
  }

 private:
  int column_ = 0;
  bool whitespace_ = true;
  bool indention_ = true;
  int indent_ = -1;
  std::vector<int> indents_;
  int flow_level_ = 0;
  bool mapping_context_ = false;
  bool simple_key_context_ = false;

  void put(char c) {
    out += c;
    ++column_;
  }
  void put_break() {
    out += '\n';
    column_ = 0;
  }
  void write(const std::string& s, size_t& i) {
    size_t w = width(static_cast<unsigned char>(s[i]));
    out.append(s, i, w);
    ++column_;
    i += w;
  }
  void write_all(const std::string& s) {
    for (size_t i = 0; i < s.size();) write(s, i);
  }
  void write_break(const std::string& s, size_t& i) {
    if (s[i] == '\n') {
      put_break();
      ++i;
    } else {
      write(s, i);
      column_ = 0;
    }
  }
  void increase_indent(bool flow, bool indentless) {
    indents_.push_back(indent_);
    if (indent_ < 0) indent_ = flow ? kBestIndent : 0;
    else if (!indentless) indent_ += kBestIndent;
  }
  void pop_indent() {
    indent_ = indents_.back();
    indents_.pop_back();
  }
  void write_indent() {
    int indent = indent_ < 0 ? 0 : indent_;
    if (!indention_ || column_ > indent || (column_ == indent && !whitespace_)) put_break();
    while (column_ < indent) put(' ');
    whitespace_ = true;
    indention_ = true;
  }
  void write_indicator(const std::string& ind, bool need_whitespace, bool is_whitespace,
                       bool is_indention) {
    if (need_whitespace && !whitespace_) put(' ');
    write_all(ind);
    whitespace_ = is_whitespace;
    indention_ = indention_ && is_indention;
  }

  void emit_node(const Json& v, bool root, bool sequence, bool mapping, bool simple_key) {
    mapping_context_ = mapping;
    simple_key_context_ = simple_key;
    (void)root;
    (void)sequence;
    if (v.is_object()) {
      if (v.empty() || flow_level_ > 0) return emit_flow_empty("{", "}");
      return emit_block_mapping(v);
    }
    if (v.is_array()) {
      if (v.empty() || flow_level_ > 0) return emit_flow_empty("[", "]");
      return emit_block_sequence(v);
    }
    std::string text;
    Style style = Style::kPlain;
    scalar_of(v, text, style);
    emit_scalar(text, style);
  }

  void emit_flow_empty(const char* open, const char* close) {
    write_indicator(open, true, true, false);
    increase_indent(true, false);
    ++flow_level_;
    --flow_level_;
    pop_indent();
    write_indicator(close, false, false, false);
  }

  void emit_block_sequence(const Json& v) {
    increase_indent(false, mapping_context_ && !indention_);
    for (const auto& item : v) {
      write_indent();
      write_indicator("-", true, false, true);
      emit_node(item, false, true, false, false);
    }
    pop_indent();
  }

  void emit_block_mapping(const Json& v) {
    // Keys go through the same JSON -> YAML round trip as values, then are sorted.
    std::vector<std::pair<std::string, const Json*>> entries;
    entries.reserve(v.size());
    for (auto it = v.begin(); it != v.end(); ++it)
      entries.emplace_back(fold_nel(gofmt::valid_utf8(it.key())), &it.value());
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& a, const auto& b) { return key_less(a.first, b.first); });
    increase_indent(false, false);
    for (const auto& [key_text, value] : entries) {
      write_indent();
      // check_simple_key: single-line and at most 128 bytes.
      bool simple = !analyze_scalar(key_text).multiline && key_text.size() <= 128;
      Json key(key_text);
      if (simple) {
        emit_node(key, false, false, true, true);
        write_indicator(":", false, false, false);
      } else {
        write_indicator("?", true, false, true);
        emit_node(key, false, false, true, false);
        write_indent();
        write_indicator(":", true, false, true);
      }
      emit_node(*value, false, false, true, false);
    }
    pop_indent();
  }

  // encode.go: the style the encoder asks for.
  static void scalar_of(const Json& v, std::string& text, Style& style) {
    style = Style::kPlain;
    switch (v.type()) {
      case Json::value_t::null: text = "null"; return;
      case Json::value_t::boolean: text = v.get<bool>() ? "true" : "false"; return;
      case Json::value_t::number_integer: text = std::to_string(v.get<int64_t>()); return;
      case Json::value_t::number_unsigned: text = std::to_string(v.get<uint64_t>()); return;
      case Json::value_t::number_float: {
        // sigs.k8s.io/yaml re-reads Go's JSON text as YAML: "2" comes back as an int, "1e+20" as
        // a float (printed with strconv 'g'), 100000000000000000000 too (it overflows uint64).
        double d = v.get<double>();
        if (!std::isfinite(d)) {
          text = std::isnan(d) ? ".nan" : d > 0 ? ".inf" : "-.inf";
          return;
        }
        Json back = plain_value(gofmt::format_float_json(d));
        if (back.is_number_integer()) text = std::to_string(back.get<int64_t>());
        else if (back.is_number_unsigned()) text = std::to_string(back.get<uint64_t>());
        else text = gofmt::format_float_v(back.get<double>());
        return;
      }
      case Json::value_t::string: {
        // Go's JSON encoder turns invalid UTF-8 into U+FFFD first.
        text = fold_nel(gofmt::valid_utf8(v.get_ref<const std::string&>()));
        bool can_use_plain = resolve_plain(text) == PlainKind::kString && !is_base60_float(text);
        if (text.find('\n') != std::string::npos) style = Style::kLiteral;
        else if (can_use_plain) style = Style::kPlain;
        else style = Style::kDouble;
        return;
      }
      default: text = "null"; return;
    }
  }

  static ScalarData analyze_scalar(const std::string& value) {
    ScalarData d;
    if (value.empty()) {
      d.multiline = false;
      d.flow_plain_allowed = false;
      d.block_plain_allowed = true;
      d.single_quoted_allowed = true;
      d.block_allowed = false;
      return d;
    }
    bool block_indicators = false, flow_indicators = false, line_breaks = false,
         special_characters = false, leading_space = false, leading_break = false,
         trailing_space = false, trailing_break = false, break_space = false,
         space_break = false, preceded_by_whitespace = true, previous_space = false,
         previous_break = false;
    if (value.size() >= 3 && ((value.compare(0, 3, "---") == 0) || value.compare(0, 3, "...") == 0)) {
      block_indicators = true;
      flow_indicators = true;
    }
    for (size_t i = 0, w = 0; i < value.size(); i += w) {
      w = width(static_cast<unsigned char>(value[i]));
      bool followed_by_whitespace = i + w >= value.size() || is_blank(value, i + w);
      char c = value[i];
      if (i == 0) {
        switch (c) {
          case '#': case ',': case '[': case ']': case '{': case '}': case '&': case '*':
          case '!': case '|': case '>': case '\'': case '"': case '%': case '@': case '`':
            flow_indicators = block_indicators = true;
            break;
          case '?': case ':':
            flow_indicators = true;
            if (followed_by_whitespace) block_indicators = true;
            break;
          case '-':
            if (followed_by_whitespace) flow_indicators = block_indicators = true;
            break;
        }
      } else {
        switch (c) {
          case ',': case '?': case '[': case ']': case '{': case '}':
            flow_indicators = true;
            break;
          case ':':
            flow_indicators = true;
            if (followed_by_whitespace) block_indicators = true;
            break;
          case '#':
            if (preceded_by_whitespace) flow_indicators = block_indicators = true;
            break;
        }
      }
      if (!is_printable(value, i)) special_characters = true;
      if (is_space(value, i)) {
        if (i == 0) leading_space = true;
        if (i + w == value.size()) trailing_space = true;
        if (previous_break) break_space = true;
        previous_space = true;
        previous_break = false;
      } else if (is_break(value, i)) {
        line_breaks = true;
        if (i == 0) leading_break = true;
        if (i + w == value.size()) trailing_break = true;
        if (previous_space) space_break = true;
        previous_space = false;
        previous_break = true;
      } else {
        previous_space = false;
        previous_break = false;
      }
      preceded_by_whitespace = is_blankz(value, i);
    }
    d.multiline = line_breaks;
    d.flow_plain_allowed = d.block_plain_allowed = d.single_quoted_allowed = d.block_allowed = true;
    if (leading_space || leading_break || trailing_space || trailing_break)
      d.flow_plain_allowed = d.block_plain_allowed = false;
    if (trailing_space) d.block_allowed = false;
    if (break_space) d.flow_plain_allowed = d.block_plain_allowed = d.single_quoted_allowed = false;
    if (space_break || special_characters)
      d.flow_plain_allowed = d.block_plain_allowed = d.single_quoted_allowed = d.block_allowed = false;
    if (line_breaks) d.flow_plain_allowed = d.block_plain_allowed = false;
    if (flow_indicators) d.flow_plain_allowed = false;
    if (block_indicators) d.block_plain_allowed = false;
    return d;
  }

  void emit_scalar(const std::string& value, Style style) {
    ScalarData d = analyze_scalar(value);
    // select_scalar_style
    if (simple_key_context_ && d.multiline) style = Style::kDouble;
    if (style == Style::kPlain) {
      if ((flow_level_ > 0 && !d.flow_plain_allowed) || (flow_level_ == 0 && !d.block_plain_allowed))
        style = Style::kSingle;
      if (value.empty() && (flow_level_ > 0 || simple_key_context_)) style = Style::kSingle;
    }
    if (style == Style::kSingle && !d.single_quoted_allowed) style = Style::kDouble;
    if (style == Style::kLiteral && (!d.block_allowed || flow_level_ > 0 || simple_key_context_))
      style = Style::kDouble;

    increase_indent(true, false);
    bool allow_breaks = !simple_key_context_;
    switch (style) {
      case Style::kPlain: write_plain(value, allow_breaks); break;
      case Style::kSingle: write_single_quoted(value, allow_breaks); break;
      case Style::kDouble: write_double_quoted(value, allow_breaks); break;
      case Style::kLiteral: write_literal(value); break;
    }
    pop_indent();
  }

  void write_plain(const std::string& value, bool allow_breaks) {
    if (!whitespace_) put(' ');
    bool spaces = false, breaks = false;
    for (size_t i = 0; i < value.size();) {
      if (is_space(value, i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && !is_space(value, i + 1)) {
          write_indent();
          i += 1;
        } else {
          write(value, i);
        }
        spaces = true;
      } else if (is_break(value, i)) {
        if (!breaks && value[i] == '\n') put_break();
        write_break(value, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) write_indent();
        write(value, i);
        indention_ = false;
        spaces = breaks = false;
      }
    }
    whitespace_ = false;
    indention_ = false;
  }

  void write_single_quoted(const std::string& value, bool allow_breaks) {
    write_indicator("'", true, false, false);
    bool spaces = false, breaks = false;
    for (size_t i = 0; i < value.size();) {
      if (is_space(value, i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && i > 0 && i < value.size() - 1 &&
            !is_space(value, i + 1)) {
          write_indent();
          i += 1;
        } else {
          write(value, i);
        }
        spaces = true;
      } else if (is_break(value, i)) {
        if (!breaks && value[i] == '\n') put_break();
        write_break(value, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) write_indent();
        if (value[i] == '\'') put('\'');
        write(value, i);
        indention_ = false;
        spaces = breaks = false;
      }
    }
    write_indicator("'", false, false, false);
    whitespace_ = false;
    indention_ = false;
  }

  void write_double_quoted(const std::string& value, bool allow_breaks) {
    static const char* hex = "0123456789ABCDEF";
    bool spaces = false;
    write_indicator("\"", true, false, false);
    bool bom = is_bom(value);
    for (size_t i = 0; i < value.size();) {
      unsigned char octet = value[i];
      if (!is_printable(value, i) || bom || is_break(value, i) || octet == '"' || octet == '\\') {
        size_t w = 1;
        uint32_t v = 0;
        if ((octet & 0x80) == 0) w = 1, v = octet & 0x7F;
        else if ((octet & 0xE0) == 0xC0) w = 2, v = octet & 0x1F;
        else if ((octet & 0xF0) == 0xE0) w = 3, v = octet & 0x0F;
        else if ((octet & 0xF8) == 0xF0) w = 4, v = octet & 0x07;
        for (size_t k = 1; k < w && i + k < value.size(); ++k)
          v = (v << 6) + (static_cast<unsigned char>(value[i + k]) & 0x3F);
        i += w;
        put('\\');
        switch (v) {
          case 0x00: put('0'); break;
          case 0x07: put('a'); break;
          case 0x08: put('b'); break;
          case 0x09: put('t'); break;
          case 0x0A: put('n'); break;
          case 0x0B: put('v'); break;
          case 0x0C: put('f'); break;
          case 0x0D: put('r'); break;
          case 0x1B: put('e'); break;
          case 0x22: put('"'); break;
          case 0x5C: put('\\'); break;
          case 0x85: put('N'); break;
          case 0xA0: put('_'); break;
          case 0x2028: put('L'); break;
          case 0x2029: put('P'); break;
          default: {
            int digits;
            if (v <= 0xFF) put('x'), digits = 2;
            else if (v <= 0xFFFF) put('u'), digits = 4;
            else put('U'), digits = 8;
            for (int k = (digits - 1) * 4; k >= 0; k -= 4) put(hex[(v >> k) & 0xF]);
          }
        }
        spaces = false;
      } else if (is_space(value, i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && i > 0 && i < value.size() - 1) {
          write_indent();
          if (is_space(value, i + 1)) put('\\');
          i += 1;
        } else {
          write(value, i);
        }
        spaces = true;
      } else {
        write(value, i);
        spaces = false;
      }
    }
    write_indicator("\"", false, false, false);
    whitespace_ = false;
    indention_ = false;
  }

  void write_literal(const std::string& value) {
    write_indicator("|", true, false, false);
    // write_block_scalar_hints
    if (is_space(value, 0) || is_break(value, 0))
      write_indicator(std::string(1, static_cast<char>('0' + kBestIndent)), false, false, false);
    char chomp = 0;
    if (value.empty()) {
      chomp = '-';
    } else {
      size_t i = value.size() - 1;
      while (i > 0 && (static_cast<unsigned char>(value[i]) & 0xC0) == 0x80) --i;
      if (!is_break(value, i)) {
        chomp = '-';
      } else if (i == 0) {
        chomp = '+';
      } else {
        --i;
        while (i > 0 && (static_cast<unsigned char>(value[i]) & 0xC0) == 0x80) --i;
        if (is_break(value, i)) chomp = '+';
      }
    }
    if (chomp) write_indicator(std::string(1, chomp), false, false, false);
    put_break();
    indention_ = true;
    whitespace_ = true;
    bool breaks = true;
    for (size_t i = 0; i < value.size();) {
      if (is_break(value, i)) {
        write_break(value, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) write_indent();
        write(value, i);
        indention_ = false;
        breaks = false;
      }
    }
  }
};

bool is_letter(uint32_t r) { return is_unicode_letter(r); }
bool is_digit(uint32_t r) { return is_unicode_digit(r); }

// Go's int64 arithmetic (wrapping) for an*10 + int64(r-'0').
int64_t go_accumulate(int64_t n, uint32_t r) {
  return static_cast<int64_t>(static_cast<uint64_t>(n) * 10 +
                              static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(r) - '0')));
}

std::vector<uint32_t> runes(std::string_view s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t w = width(c);
    uint32_t v = w == 1 ? c : w == 2 ? (c & 0x1F) : w == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < w && i + k < s.size(); ++k)
      v = (v << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(v);
    i += w;
  }
  return out;
}

}  // namespace

bool key_less(std::string_view a_str, std::string_view b_str) {
  auto ar = runes(a_str), br = runes(b_str);
  for (size_t i = 0; i < ar.size() && i < br.size(); ++i) {
    if (ar[i] == br[i]) continue;
    bool al = is_letter(ar[i]), bl = is_letter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    size_t ai, bi;
    int64_t an = 0, bn = 0;
    if (ar[i] == '0' || br[i] == '0') {
      for (size_t j = i; j-- > 0 && is_digit(ar[j]);) {
        if (ar[j] != '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    for (ai = i; ai < ar.size() && is_digit(ar[ai]); ++ai) an = go_accumulate(an, ar[ai]);
    for (bi = i; bi < br.size() && is_digit(br[bi]); ++bi) bn = go_accumulate(bn, br[bi]);
    if (an != bn) return an < bn;
    if (ai != bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.size() < br.size();
}

std::string marshal(const Json& value) {
  Emitter e;
  e.emit_document(value);
  return e.out;
}

}  // namespace kapi::machinery::goyaml
