#include "pkg/kubeconfig/go_yaml.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cwctype>
#include <vector>

namespace kapi::kubeconfig::goyaml {
namespace {

constexpr int kBestWidth = 80;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// ---- Go strconv.ParseInt / ParseUint with base 0 ----------------------------------------------
// Returns true if `s` (no underscores) parses as an int64 or a uint64.
bool parses_as_go_int(std::string_view s) {
  if (s.empty()) return false;
  bool sign = false, neg = false;
  if (s[0] == '+' || s[0] == '-') {
    sign = true;
    neg = s[0] == '-';
    s.remove_prefix(1);
    if (s.empty()) return false;
  }
  int base = 10;
  if (s[0] == '0') {
    char l = s.size() >= 3 ? static_cast<char>(s[1] | 0x20) : 0;
    if (l == 'b') {
      base = 2;
      s.remove_prefix(2);
    } else if (l == 'o') {
      base = 8;
      s.remove_prefix(2);
    } else if (l == 'x') {
      base = 16;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  unsigned __int128 n = 0;
  const unsigned __int128 limit = static_cast<unsigned __int128>(UINT64_MAX);
  for (char c : s) {
    int d;
    if (is_digit(c)) {
      d = c - '0';
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
      d = (c | 0x20) - 'a' + 10;
    } else {
      return false;
    }
    if (d >= base) return false;
    n = n * base + d;
    if (n > limit) return false;
  }
  if (!sign) return true;  // ParseUint accepts up to 2^64-1
  return neg ? n <= (static_cast<unsigned __int128>(1) << 63)
             : n <= static_cast<unsigned __int128>(INT64_MAX);
}

// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool yaml_style_float(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t d = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == d) return false;
  } else {
    size_t d = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == d) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && is_digit(s[i])) ++i;
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t d = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == d) return false;
  }
  return i == s.size();
}

// Go's ParseFloat fails (ErrRange) on overflow only.
bool float_in_range(std::string_view s) {
  std::string t(s);
  errno = 0;
  double v = std::strtod(t.c_str(), nullptr);
  return !(errno == ERANGE && std::isinf(v));
}

// ---- go-yaml parseTimestamp -------------------------------------------------------------------
// Formats: "2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00",
//          "2006-1-2 15:4:5.999999999", "2006-1-2" (Go time.Parse semantics).
bool getnum(std::string_view s, size_t& i, int& out) {  // 1 or 2 digits
  if (i >= s.size() || !is_digit(s[i])) return false;
  out = s[i++] - '0';
  if (i < s.size() && is_digit(s[i])) out = out * 10 + (s[i++] - '0');
  return true;
}

bool is_timestamp(std::string_view s) {
  if (s.size() < 5) return false;
  for (int k = 0; k < 4; ++k)
    if (!is_digit(s[k])) return false;
  if (s[4] != '-') return false;
  int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  size_t i = 5;
  int month, day;
  if (!getnum(s, i, month) || month < 1 || month > 12) return false;
  if (i >= s.size() || s[i++] != '-') return false;
  if (!getnum(s, i, day) || day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int max_day = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  if (day > max_day) return false;
  if (i == s.size()) return true;  // date only
  char sep = s[i++];
  if (sep != 'T' && sep != 't' && sep != ' ') return false;
  int hour, minute, second;
  if (!getnum(s, i, hour) || hour > 23) return false;
  if (i >= s.size() || s[i++] != ':') return false;
  if (!getnum(s, i, minute) || minute > 59) return false;
  if (i >= s.size() || s[i++] != ':') return false;
  if (!getnum(s, i, second) || second > 59) return false;
  if (i + 1 < s.size() && (s[i] == '.' || s[i] == ',') && is_digit(s[i + 1])) {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  if (sep == ' ') return i == s.size();
  if (i < s.size() && s[i] == 'Z') return i + 1 == s.size();
  // +hh:mm / -hh:mm
  if (s.size() - i != 6 || (s[i] != '+' && s[i] != '-') || s[i + 3] != ':') return false;
  return is_digit(s[i + 1]) && is_digit(s[i + 2]) && is_digit(s[i + 4]) && is_digit(s[i + 5]);
}

// ---- UTF-8 ------------------------------------------------------------------------------------
struct Rune {
  uint32_t cp;
  int len;  // bytes; an invalid byte is a 1-byte rune with cp = 0xFFFFFFFF
};

Rune decode(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) {
    return k < s.size() && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80;
  };
  if (c < 0x80) return {c, 1};
  if ((c & 0xE0) == 0xC0 && c >= 0xC2 && cont(i + 1)) {
    return {((c & 0x1Fu) << 6) | (s[i + 1] & 0x3F), 2};
  }
  if ((c & 0xF0) == 0xE0 && cont(i + 1) && cont(i + 2)) {
    uint32_t cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3F);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) return {cp, 3};
  }
  if ((c & 0xF8) == 0xF0 && cont(i + 1) && cont(i + 2) && cont(i + 3)) {
    uint32_t cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) |
                  (s[i + 3] & 0x3F);
    if (cp >= 0x10000 && cp <= 0x10FFFF) return {cp, 4};
  }
  return {0xFFFFFFFF, 1};
}

bool printable(uint32_t cp) {
  return cp == 0x0A || (cp >= 0x20 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD && cp != 0xFEFF);
}
bool is_break(uint32_t cp) {
  return cp == '\r' || cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}
bool is_blank(uint32_t cp) { return cp == ' ' || cp == '\t'; }

enum class Style { kPlain, kSingle, kDouble, kLiteral };

Style choose_style(std::string_view v) {
  std::vector<Rune> runes;
  for (size_t i = 0; i < v.size();) {
    Rune r = decode(v, i);
    runes.push_back(r);
    i += r.len;
  }
  bool block_indicators = false, line_breaks = false, special = false;
  bool leading_space = false, leading_break = false, trailing_space = false,
       trailing_break = false, break_space = false, space_break = false;
  bool previous_space = false, previous_break = false, preceded_by_ws = true;
  bool other_breaks = false;  // U+2028/2029/0085 without '\n': handled as double-quoted
  if (v.size() >= 3 && (v.substr(0, 3) == "---" || v.substr(0, 3) == "...")) {
    block_indicators = true;
  }
  for (size_t k = 0; k < runes.size(); ++k) {
    uint32_t c = runes[k].cp;
    bool followed_by_ws = k + 1 >= runes.size() || is_blank(runes[k + 1].cp);
    if (k == 0) {
      switch (c) {
        case '#': case ',': case '[': case ']': case '{': case '}': case '&': case '*':
        case '!': case '|': case '>': case '\'': case '"': case '%': case '@': case '`':
          block_indicators = true;
          break;
        case '?': case ':': case '-':
          if (followed_by_ws) block_indicators = true;
          break;
        default:
          break;
      }
    } else if ((c == ':' && followed_by_ws) || (c == '#' && preceded_by_ws)) {
      block_indicators = true;
    }
    if (c == 0xFFFFFFFF || !printable(c)) special = true;
    if (c == ' ') {
      if (k == 0) leading_space = true;
      if (k + 1 == runes.size()) trailing_space = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (is_break(c)) {
      line_breaks = true;
      if (c != '\n') other_breaks = true;
      if (k == 0) leading_break = true;
      if (k + 1 == runes.size()) trailing_break = true;
      if (previous_space) space_break = true;
      previous_space = false;
      previous_break = true;
    } else {
      previous_space = false;
      previous_break = false;
    }
    preceded_by_ws = is_blank(c) || is_break(c);
  }

  if (v.find('\n') != std::string_view::npos) {
    bool block_allowed = !(trailing_space || space_break || special);
    return block_allowed ? Style::kLiteral : Style::kDouble;
  }
  if (resolve_plain(v) != PlainKind::kString || is_base60_float(v)) return Style::kDouble;
  if (other_breaks) return Style::kDouble;
  bool plain_ok = !(leading_space || leading_break || trailing_space || trailing_break ||
                    break_space || space_break || special || line_breaks || block_indicators);
  if (plain_ok) return Style::kPlain;
  bool single_ok = !(break_space || space_break || special);
  return single_ok ? Style::kSingle : Style::kDouble;
}

struct Out {
  std::string text;
  int column;
  int indent;
  void put(char c) {
    text += c;
    ++column;
  }
  void put(std::string_view s) {
    text += s;
    column += static_cast<int>(s.size());
  }
  void write(std::string_view v, size_t i, int len) {  // one rune
    text.append(v.substr(i, len));
    ++column;
  }
  void write_indent() {
    text += '\n';
    text.append(indent, ' ');
    column = indent;
  }
};

std::string escape(uint32_t cp, unsigned char raw) {
  switch (cp) {
    case 0x00: return "\\0";
    case 0x07: return "\\a";
    case 0x08: return "\\b";
    case 0x09: return "\\t";
    case 0x0A: return "\\n";
    case 0x0B: return "\\v";
    case 0x0C: return "\\f";
    case 0x0D: return "\\r";
    case 0x1B: return "\\e";
    case 0x22: return "\\\"";
    case 0x5C: return "\\\\";
    case 0x85: return "\\N";
    case 0xA0: return "\\_";
    case 0x2028: return "\\L";
    case 0x2029: return "\\P";
    default: break;
  }
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  int width;
  if (cp == 0xFFFFFFFF) {
    cp = raw;
  }
  if (cp <= 0xFF) {
    out = "\\x";
    width = 2;
  } else if (cp <= 0xFFFF) {
    out = "\\u";
    width = 4;
  } else {
    out = "\\U";
    width = 8;
  }
  for (int k = width - 1; k >= 0; --k) out += kHex[(cp >> (4 * k)) & 0xF];
  return out;
}

}  // namespace

bool is_base60_float(std::string_view s) {
  // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i >= s.size() || !is_digit(s[i])) return false;
  ++i;
  while (i < s.size() && (is_digit(s[i]) || s[i] == '_')) ++i;
  int groups = 0;
  while (i < s.size() && s[i] == ':') {
    ++i;
    // [0-5]?[0-9]
    if (i + 1 < s.size() && s[i] >= '0' && s[i] <= '5' && is_digit(s[i + 1])) {
      i += 2;
    } else if (i < s.size() && is_digit(s[i])) {
      i += 1;
    } else {
      return false;
    }
    ++groups;
  }
  if (groups == 0) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && (is_digit(s[i]) || s[i] == '_')) ++i;
  }
  return i == s.size();
}

PlainKind resolve_plain(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return PlainKind::kNull;
  static const char* kBools[] = {"y",    "Y",    "yes",   "Yes",   "YES",   "true", "True",
                                 "TRUE", "on",   "On",    "ON",    "n",     "N",    "no",
                                 "No",   "NO",   "false", "False", "FALSE", "off",  "Off",
                                 "OFF"};
  for (const char* b : kBools)
    if (s == b) return PlainKind::kBool;
  static const char* kFloats[] = {".nan",  ".NaN",  ".NAN",  ".inf",  ".Inf",  ".INF",
                                  "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"};
  for (const char* f : kFloats)
    if (s == f) return PlainKind::kFloat;
  char c = s[0];
  if (c == '.') {
    // strconv.ParseFloat on the raw text: \.[0-9]+([eE][-+]?[0-9]+)?
    return yaml_style_float(s) && float_in_range(s) ? PlainKind::kFloat : PlainKind::kString;
  }
  if (!is_digit(c) && c != '+' && c != '-') return PlainKind::kString;
  if (is_timestamp(s)) return PlainKind::kTimestamp;
  std::string plain;
  for (char ch : s)
    if (ch != '_') plain += ch;
  if (parses_as_go_int(plain)) return PlainKind::kInt;
  if (yaml_style_float(plain) && float_in_range(plain)) return PlainKind::kFloat;
  return PlainKind::kString;
}

std::string format_string(std::string_view v, int column, int indent) {
  Out out{"", column, indent};
  switch (choose_style(v)) {
    case Style::kPlain: {
      bool spaces = false;
      for (size_t i = 0; i < v.size();) {
        Rune r = decode(v, i);
        if (r.cp == ' ') {
          bool next_space = i + 1 < v.size() && v[i + 1] == ' ';
          if (!spaces && out.column > kBestWidth && !next_space) {
            out.write_indent();
          } else {
            out.put(' ');
          }
          spaces = true;
        } else {
          out.write(v, i, r.len);
          spaces = false;
        }
        i += r.len;
      }
      break;
    }
    case Style::kSingle: {
      out.put('\'');
      bool spaces = false;
      for (size_t i = 0; i < v.size();) {
        Rune r = decode(v, i);
        if (r.cp == ' ') {
          bool next_space = i + 1 < v.size() && v[i + 1] == ' ';
          if (!spaces && out.column > kBestWidth && i != 0 && i != v.size() - 1 && !next_space) {
            out.write_indent();
          } else {
            out.put(' ');
          }
          spaces = true;
        } else {
          if (r.cp == '\'') out.put('\'');
          out.write(v, i, r.len);
          spaces = false;
        }
        i += r.len;
      }
      out.put('\'');
      break;
    }
    case Style::kDouble: {
      out.put('"');
      bool spaces = false;
      for (size_t i = 0; i < v.size();) {
        Rune r = decode(v, i);
        if (r.cp == 0xFFFFFFFF || !printable(r.cp) || r.cp == 0xFEFF || is_break(r.cp) ||
            r.cp == '"' || r.cp == '\\') {
          out.put(escape(r.cp, static_cast<unsigned char>(v[i])));
          spaces = false;
        } else if (r.cp == ' ') {
          if (!spaces && out.column > kBestWidth && i != 0 && i != v.size() - 1) {
            out.write_indent();
            if (i + 1 < v.size() && v[i + 1] == ' ') out.put('\\');
          } else {
            out.put(' ');
          }
          spaces = true;
        } else {
          out.write(v, i, r.len);
          spaces = false;
        }
        i += r.len;
      }
      out.put('"');
      break;
    }
    case Style::kLiteral: {
      out.put('|');
      if (v.front() == ' ' || v.front() == '\n') out.put('2');
      std::string_view body = v;
      if (v.back() != '\n') {
        out.put('-');
      } else if (v.size() == 1 || v[v.size() - 2] == '\n') {
        out.put('+');
        body.remove_suffix(1);
      } else {
        body.remove_suffix(1);
      }
      out.text += '\n';
      size_t start = 0;
      while (true) {
        size_t nl = body.find('\n', start);
        std::string_view line = body.substr(start, nl == std::string_view::npos ? body.size() - start
                                                                                : nl - start);
        if (!line.empty()) {
          out.text.append(indent, ' ');
          out.text.append(line);
        }
        out.text += '\n';
        if (nl == std::string_view::npos) break;
        start = nl + 1;
      }
      return out.text;
    }
  }
  out.text += '\n';
  return out.text;
}

bool key_less(std::string_view a_s, std::string_view b_s) {
  std::vector<uint32_t> ar, br;
  for (size_t i = 0; i < a_s.size();) {
    Rune r = decode(a_s, i);
    ar.push_back(r.cp == 0xFFFFFFFF ? 0xFFFD : r.cp);
    i += r.len;
  }
  for (size_t i = 0; i < b_s.size();) {
    Rune r = decode(b_s, i);
    br.push_back(r.cp == 0xFFFFFFFF ? 0xFFFD : r.cp);
    i += r.len;
  }
  auto is_letter = [](uint32_t c) { return std::iswalpha(static_cast<wint_t>(c)) != 0; };
  auto is_dig = [](uint32_t c) { return c >= '0' && c <= '9'; };
  bool digits = false;
  for (size_t i = 0; i < ar.size() && i < br.size(); ++i) {
    if (ar[i] == br[i]) {
      digits = is_dig(ar[i]);
      continue;
    }
    bool al = is_letter(ar[i]), bl = is_letter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return digits ? al : bl;
    int64_t an = 0, bn = 0;
    if (ar[i] == '0' || br[i] == '0') {
      for (size_t j = i; j-- > 0 && is_dig(ar[j]);) {
        if (ar[j] != '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    size_t ai = i, bi = i;
    for (; ai < ar.size() && is_dig(ar[ai]); ++ai) an = an * 10 + (ar[ai] - '0');
    for (; bi < br.size() && is_dig(br[bi]); ++bi) bn = bn * 10 + (br[bi] - '0');
    if (an != bn) return an < bn;
    if (ai != bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.size() < br.size();
}

}  // namespace kapi::kubeconfig::goyaml
