#include "pkg/runtime/go_json_syntax.h"

#include <cstdio>
#include <vector>

namespace kapi::runtime {
namespace {

// encoding/json quoteChar: the byte as a rune, quoted like strconv.Quote but with '…'.
std::string quote_char(unsigned char c) {
  if (c == '\'') return "'\\''";
  if (c == '"') return "'\"'";
  static const char* kShort[] = {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, "\\a",
                                 "\\b",   "\\t",   "\\n",   "\\v",   "\\f",   "\\r"};
  char buf[16];
  if (c < 0x20 || c == 0x7f) {
    if (c < 14 && kShort[c]) return std::string("'") + kShort[c] + "'";
    std::snprintf(buf, sizeof buf, "'\\x%02x'", c);
    return buf;
  }
  if (c == '\\') return "'\\\\'";
  if (c < 0x80) return std::string("'") + static_cast<char>(c) + "'";
  // string(byte) is the rune U+0080..U+00FF; C1 controls, NBSP and SHY are not printable.
  if (c < 0xa0 || c == 0xa0 || c == 0xad) {
    std::snprintf(buf, sizeof buf, "'\\u%04x'", c);
    return buf;
  }
  std::string out = "'";
  out += static_cast<char>(0xc0 | (c >> 6));
  out += static_cast<char>(0x80 | (c & 0x3f));
  return out + "'";
}

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_hex(unsigned char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// encoding/json's scanner: one state per step function, same transitions and messages.
class Scanner {
 public:
  // false once an error is recorded.
  bool step(unsigned char c) {
    switch (state_) {
      case S::kBeginValueOrEmpty:
        if (is_space(c)) return true;
        if (c == ']') return end_value(c);
        return begin_value(c);
      case S::kBeginValue: return begin_value(c);
      case S::kBeginStringOrEmpty:
        if (is_space(c)) return true;
        if (c == '}') {
          stack_.back() = P::kObjectValue;
          return end_value(c);
        }
        return begin_string(c);
      case S::kBeginString: return begin_string(c);
      case S::kEndValue: return end_value(c);
      case S::kEndTop:
        if (!is_space(c)) return fail(c, "after top-level value");
        return true;
      case S::kInString:
        if (c == '"') return to(S::kEndValue);
        if (c == '\\') return to(S::kInStringEsc);
        if (c < 0x20) return fail(c, "in string literal");
        return true;
      case S::kInStringEsc:
        switch (c) {
          case 'b': case 'f': case 'n': case 'r': case 't': case '\\': case '/': case '"':
            return to(S::kInString);
          case 'u': hex_left_ = 4; return to(S::kInStringEscU);
        }
        return fail(c, "in string escape code");
      case S::kInStringEscU:
        if (!is_hex(c)) return fail(c, "in \\u hexadecimal character escape");
        if (--hex_left_ == 0) state_ = S::kInString;
        return true;
      case S::kNeg:
        if (c == '0') return to(S::k0);
        if (c >= '1' && c <= '9') return to(S::k1);
        return fail(c, "in numeric literal");
      case S::k1:
        if (is_digit(c)) return true;
        [[fallthrough]];
      case S::k0:
        if (c == '.') return to(S::kDot);
        if (c == 'e' || c == 'E') return to(S::kE);
        return end_value(c);
      case S::kDot:
        if (is_digit(c)) return to(S::kDot0);
        return fail(c, "after decimal point in numeric literal");
      case S::kDot0:
        if (is_digit(c)) return true;
        if (c == 'e' || c == 'E') return to(S::kE);
        return end_value(c);
      case S::kE:
        if (c == '+' || c == '-') return to(S::kESign);
        [[fallthrough]];
      case S::kESign:
        if (is_digit(c)) return to(S::kE0);
        return fail(c, "in exponent of numeric literal");
      case S::kE0:
        if (is_digit(c)) return true;
        return end_value(c);
      case S::kLiteral:
        if (c != literal_[literal_pos_]) {
          return fail(c, "in literal " + std::string(literal_) + " (expecting '" +
                             std::string(1, literal_[literal_pos_]) + "')");
        }
        if (literal_[++literal_pos_] == '\0') state_ = S::kEndValue;
        return true;
      case S::kError: return false;
    }
    return false;
  }

  // scanner.eof: a final space decides whether the value is complete.
  std::string finish() {
    if (!error_.empty() || state_ == S::kEndTop) return error_;
    step(' ');
    if (state_ == S::kEndTop) return "";
    if (error_.empty()) error_ = "unexpected end of JSON input";
    return error_;
  }

  const std::string& error() const { return error_; }

 private:
  enum class S {
    kBeginValueOrEmpty, kBeginValue, kBeginStringOrEmpty, kBeginString, kEndValue, kEndTop,
    kInString, kInStringEsc, kInStringEscU, kNeg, k1, k0, kDot, kDot0, kE, kESign, kE0,
    kLiteral, kError,
  };
  enum class P { kObjectKey, kObjectValue, kArrayValue };
  static constexpr size_t kMaxDepth = 10000;

  bool to(S s) {
    state_ = s;
    return true;
  }
  bool fail(unsigned char c, const std::string& context) {
    state_ = S::kError;
    error_ = "invalid character " + quote_char(c) + " " + context;
    return false;
  }
  bool push(P p) {
    if (stack_.size() >= kMaxDepth) {
      state_ = S::kError;
      error_ = "exceeded max depth";
      return false;
    }
    stack_.push_back(p);
    return true;
  }
  bool literal(const char* word) {  // after its first letter
    literal_ = word;
    literal_pos_ = 1;
    return to(S::kLiteral);
  }
  bool begin_value(unsigned char c) {
    if (is_space(c)) return true;
    switch (c) {
      case '{': state_ = S::kBeginStringOrEmpty; return push(P::kObjectKey);
      case '[': state_ = S::kBeginValueOrEmpty; return push(P::kArrayValue);
      case '"': return to(S::kInString);
      case '-': return to(S::kNeg);
      case '0': return to(S::k0);
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
    }
    if (c >= '1' && c <= '9') return to(S::k1);
    return fail(c, "looking for beginning of value");
  }
  bool begin_string(unsigned char c) {
    if (is_space(c)) return true;
    if (c == '"') return to(S::kInString);
    return fail(c, "looking for beginning of object key string");
  }
  bool end_value(unsigned char c) {
    if (stack_.empty()) {
      state_ = S::kEndTop;
      return step(c);
    }
    if (is_space(c)) return to(S::kEndValue);
    switch (stack_.back()) {
      case P::kObjectKey:
        if (c == ':') {
          stack_.back() = P::kObjectValue;
          return to(S::kBeginValue);
        }
        return fail(c, "after object key");
      case P::kObjectValue:
        if (c == ',') {
          stack_.back() = P::kObjectKey;
          return to(S::kBeginString);
        }
        if (c == '}') return pop();
        return fail(c, "after object key:value pair");
      case P::kArrayValue:
        if (c == ',') return to(S::kBeginValue);
        if (c == ']') return pop();
        return fail(c, "after array element");
    }
    return false;
  }
  bool pop() {
    stack_.pop_back();
    state_ = stack_.empty() ? S::kEndTop : S::kEndValue;
    return true;
  }

  S state_ = S::kBeginValue;
  std::vector<P> stack_;
  const char* literal_ = "";
  size_t literal_pos_ = 0;
  int hex_left_ = 0;
  std::string error_;
};

}  // namespace

std::string go_json_syntax_error(std::string_view data) {
  Scanner s;
  for (unsigned char c : data)
    if (!s.step(c)) return s.error();
  return s.finish();
}

}  // namespace kapi::runtime
