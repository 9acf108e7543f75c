// A port of go-yaml v2's reader checks, scanner (scannerc.go) and parser (parserc.go) that keeps
// only what decides errors: token kinds, marks, simple keys, indentation and flow levels, tag
// handles and anchors. Scalar values are not built. Function names follow the Go originals so
// the two can be read side by side.
#include "pkg/runtime/go_yaml_syntax.h"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <vector>

namespace kapi::runtime {
namespace {

struct Mark {
  int index = 0, line = 0, column = 0;
  size_t offset = 0;  // in bytes (go-yaml's index counts characters)
};

enum class Tok {
  kNone, kStreamStart, kStreamEnd, kVersionDirective, kTagDirective, kDocumentStart,
  kDocumentEnd, kBlockSequenceStart, kBlockMappingStart, kBlockEnd, kFlowSequenceStart,
  kFlowSequenceEnd, kFlowMappingStart, kFlowMappingEnd, kBlockEntry, kFlowEntry, kKey, kValue,
  kAlias, kAnchor, kTag, kScalar
};

struct Token {
  Tok typ = Tok::kNone;
  Mark start, end;
  std::string value;   // anchor/alias name, tag handle, %TAG handle
  std::string suffix;  // tag suffix, %TAG prefix
  bool plain = false;  // a plain scalar
  int major = 0, minor = 0;
};

enum class Ev { kNone, kStreamStart, kStreamEnd, kDocumentStart, kDocumentEnd, kAlias, kScalar,
                kSequenceStart, kSequenceEnd, kMappingStart, kMappingEnd };

struct Event {
  Ev typ = Ev::kNone;
  std::string anchor;
  size_t end_offset = 0;  // of a DOCUMENT_END: where the document's text ends
};

enum class State {
  kStreamStart, kImplicitDocumentStart, kDocumentStart, kDocumentContent, kDocumentEnd,
  kBlockNode, kBlockNodeOrIndentlessSequence, kFlowNode, kBlockSequenceFirstEntry,
  kBlockSequenceEntry, kIndentlessSequenceEntry, kBlockMappingFirstKey, kBlockMappingKey,
  kBlockMappingValue, kFlowSequenceFirstEntry, kFlowSequenceEntry,
  kFlowSequenceEntryMappingKey, kFlowSequenceEntryMappingValue, kFlowSequenceEntryMappingEnd,
  kFlowMappingFirstKey, kFlowMappingKey, kFlowMappingValue, kFlowMappingEmptyValue, kEnd
};

struct SimpleKey {
  bool possible = false, required = false;
  int token_number = 0;
  Mark mark;
};

enum class ErrorKind { kNone, kReader, kScanner, kParser };

constexpr int kMaxFlowLevel = 10000;
constexpr int kMaxIndents = 10000;

class Parser {
 public:
  explicit Parser(std::string_view text) : buf_(text) { buf_.append(8, '\0'); }

  ErrorKind error = ErrorKind::kNone;
  std::string problem;
  Mark problem_mark, context_mark;

  bool parse(Event& e) {
    e = Event{};
    if (stream_end_produced_ || error != ErrorKind::kNone || state_ == State::kEnd) return true;
    return state_machine(e);
  }

 private:
  // ---- buffer predicates (yamlprivateh.go); buf_ is padded with NULs like go-yaml's.
  unsigned char at(size_t i) const { return static_cast<unsigned char>(buf_[i]); }
  unsigned char cur(size_t k = 0) const { return at(pos_ + k); }
  bool is_alpha(size_t k = 0) const {
    unsigned char c = cur(k);
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           c == '-';
  }
  bool is_digit(size_t k = 0) const { return cur(k) >= '0' && cur(k) <= '9'; }
  bool is_hex(size_t k = 0) const {
    unsigned char c = cur(k);
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
  }
  int as_hex(size_t k) const {
    unsigned char c = cur(k);
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - '0';
  }
  bool is_z(size_t k = 0) const { return cur(k) == 0; }
  bool is_space(size_t k = 0) const { return cur(k) == ' '; }
  bool is_tab(size_t k = 0) const { return cur(k) == '\t'; }
  bool is_blank(size_t k = 0) const { return cur(k) == ' ' || cur(k) == '\t'; }
  bool is_break(size_t k = 0) const {
    unsigned char c = cur(k);
    return c == '\r' || c == '\n' || (c == 0xC2 && cur(k + 1) == 0x85) ||
           (c == 0xE2 && cur(k + 1) == 0x80 && (cur(k + 2) == 0xA8 || cur(k + 2) == 0xA9));
  }
  bool is_crlf() const { return cur() == '\r' && cur(1) == '\n'; }
  bool is_breakz(size_t k = 0) const { return is_break(k) || is_z(k); }
  bool is_blankz(size_t k = 0) const { return is_blank(k) || is_breakz(k); }
  static int width(unsigned char b) {
    if ((b & 0x80) == 0) return 1;
    if ((b & 0xE0) == 0xC0) return 2;
    if ((b & 0xF0) == 0xE0) return 3;
    if ((b & 0xF8) == 0xF0) return 4;
    return 1;  // the reader check rejected invalid UTF-8 already
  }

  void skip() {
    mark_.index++;
    mark_.column++;
    pos_ += width(cur());
    mark_.offset = pos_;
  }
  void skip_line() {
    if (is_crlf()) {
      mark_.index += 2;
      mark_.column = 0;
      mark_.line++;
      pos_ += 2;
    } else if (is_break()) {
      mark_.index++;
      mark_.column = 0;
      mark_.line++;
      pos_ += width(cur());
    }
    mark_.offset = pos_;
  }
  // read() and read_line() without the value: only the marks move.
  void read() { skip(); }
  void read_line() {
    if (cur() == '\r' && cur(1) == '\n') {
      pos_ += 2;
      mark_.index++;
    } else if (cur() == '\r' || cur() == '\n') {
      pos_ += 1;
    } else if (cur() == 0xC2 && cur(1) == 0x85) {
      pos_ += 2;
    } else if (cur() == 0xE2 && cur(1) == 0x80 && (cur(2) == 0xA8 || cur(2) == 0xA9)) {
      pos_ += 3;
    } else {
      return;
    }
    mark_.index++;
    mark_.column = 0;
    mark_.line++;
    mark_.offset = pos_;
  }

  // ---- errors
  bool scanner_error(const Mark& context, const std::string& p) {
    error = ErrorKind::kScanner;
    context_mark = context;
    problem = p;
    problem_mark = mark_;
    return false;
  }
  bool parser_error(const std::string& p, const Mark& m) {
    error = ErrorKind::kParser;
    problem = p;
    problem_mark = m;
    return false;
  }
  bool parser_error_context(const Mark& context, const std::string& p, const Mark& m) {
    context_mark = context;
    return parser_error(p, m);
  }

  // ---- token queue
  void insert_token(int pos, Token t) {
    if (pos < 0) {
      tokens_.push_back(std::move(t));
    } else {
      tokens_.insert(tokens_.begin() + static_cast<long>(head_) + pos, std::move(t));
    }
  }
  Token make(Tok typ, const Mark& s, const Mark& e) {
    Token t;
    t.typ = typ;
    t.start = s;
    t.end = e;
    return t;
  }

  bool fetch_more_tokens() {
    for (;;) {
      if (head_ != tokens_.size()) {
        auto it = simple_keys_by_tok_.find(tokens_parsed_);
        if (it == simple_keys_by_tok_.end()) break;
        bool valid;
        if (!simple_key_is_valid(simple_keys_[it->second], valid)) return false;
        if (!valid) break;
      }
      if (!fetch_next_token()) return false;
    }
    token_available_ = true;
    return true;
  }

  bool fetch_next_token() {
    if (!stream_start_produced_) return fetch_stream_start();
    if (!scan_to_next_token()) return false;
    unroll_indent(mark_.column);
    if (is_z()) return fetch_stream_end();
    if (mark_.column == 0 && cur() == '%') return fetch_directive();
    if (mark_.column == 0 && cur() == '-' && cur(1) == '-' && cur(2) == '-' && is_blankz(3))
      return fetch_document_indicator(Tok::kDocumentStart);
    if (mark_.column == 0 && cur() == '.' && cur(1) == '.' && cur(2) == '.' && is_blankz(3))
      return fetch_document_indicator(Tok::kDocumentEnd);
    unsigned char c = cur();
    if (c == '[') return fetch_flow_collection_start(Tok::kFlowSequenceStart);
    if (c == '{') return fetch_flow_collection_start(Tok::kFlowMappingStart);
    if (c == ']') return fetch_flow_collection_end(Tok::kFlowSequenceEnd);
    if (c == '}') return fetch_flow_collection_end(Tok::kFlowMappingEnd);
    if (c == ',') return fetch_flow_entry();
    if (c == '-' && is_blankz(1)) return fetch_block_entry();
    if (c == '?' && (flow_level_ > 0 || is_blankz(1))) return fetch_key();
    if (c == ':' && (flow_level_ > 0 || is_blankz(1))) return fetch_value();
    if (c == '*') return fetch_anchor(Tok::kAlias);
    if (c == '&') return fetch_anchor(Tok::kAnchor);
    if (c == '!') return fetch_tag();
    if (c == '|' && flow_level_ == 0) return fetch_block_scalar(true);
    if (c == '>' && flow_level_ == 0) return fetch_block_scalar(false);
    if (c == '\'') return fetch_flow_scalar(true);
    if (c == '"') return fetch_flow_scalar(false);
    static const std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@`";
    if (!(is_blankz() || kIndicators.find(static_cast<char>(c)) != std::string_view::npos) ||
        (c == '-' && !is_blank(1)) ||
        (flow_level_ == 0 && (c == '?' || c == ':') && !is_blankz(1)))
      return fetch_plain_scalar();
    return scanner_error(mark_, "found character that cannot start any token");
  }

  // ---- simple keys, flow levels, indentation
  bool simple_key_is_valid(SimpleKey& k, bool& valid) {
    valid = false;
    if (!k.possible) return true;
    if (k.mark.line < mark_.line || k.mark.index + 1024 < mark_.index) {
      if (k.required) return scanner_error(k.mark, "could not find expected ':'");
      k.possible = false;
      return true;
    }
    valid = true;
    return true;
  }

  bool save_simple_key() {
    bool required = flow_level_ == 0 && indent_ == mark_.column;
    if (simple_key_allowed_) {
      SimpleKey k{true, required,
                  tokens_parsed_ + static_cast<int>(tokens_.size() - head_), mark_};
      if (!remove_simple_key()) return false;
      simple_keys_.back() = k;
      simple_keys_by_tok_[k.token_number] = static_cast<int>(simple_keys_.size()) - 1;
    }
    return true;
  }

  bool remove_simple_key() {
    SimpleKey& k = simple_keys_.back();
    if (k.possible) {
      if (k.required) return scanner_error(k.mark, "could not find expected ':'");
      k.possible = false;
      simple_keys_by_tok_.erase(k.token_number);
    }
    return true;
  }

  bool increase_flow_level() {
    simple_keys_.push_back(
        SimpleKey{false, false, tokens_parsed_ + static_cast<int>(tokens_.size() - head_), mark_});
    flow_level_++;
    if (flow_level_ > kMaxFlowLevel)
      return scanner_error(simple_keys_.back().mark, "exceeded max depth of 10000");
    return true;
  }

  void decrease_flow_level() {
    if (flow_level_ > 0) {
      flow_level_--;
      simple_keys_by_tok_.erase(simple_keys_.back().token_number);
      simple_keys_.pop_back();
    }
  }

  bool roll_indent(int column, int number, Tok typ, const Mark& m) {
    if (flow_level_ > 0) return true;
    if (indent_ < column) {
      indents_.push_back(indent_);
      indent_ = column;
      if (static_cast<int>(indents_.size()) > kMaxIndents)
        return scanner_error(simple_keys_.back().mark, "exceeded max depth of 10000");
      if (number > -1) number -= tokens_parsed_;
      insert_token(number, make(typ, m, m));
    }
    return true;
  }

  void unroll_indent(int column) {
    if (flow_level_ > 0) return;
    while (indent_ > column) {
      insert_token(-1, make(Tok::kBlockEnd, mark_, mark_));
      indent_ = indents_.back();
      indents_.pop_back();
    }
  }

  // ---- token fetchers
  bool fetch_stream_start() {
    indent_ = -1;
    simple_keys_.push_back(SimpleKey{});
    simple_key_allowed_ = true;
    stream_start_produced_ = true;
    insert_token(-1, make(Tok::kStreamStart, mark_, mark_));
    return true;
  }

  bool fetch_stream_end() {
    if (mark_.column != 0) {
      mark_.column = 0;
      mark_.line++;
    }
    unroll_indent(-1);
    if (!remove_simple_key()) return false;
    simple_key_allowed_ = false;
    insert_token(-1, make(Tok::kStreamEnd, mark_, mark_));
    return true;
  }

  bool fetch_directive() {
    unroll_indent(-1);
    if (!remove_simple_key()) return false;
    simple_key_allowed_ = false;
    Token t;
    if (!scan_directive(t)) return false;
    insert_token(-1, std::move(t));
    return true;
  }

  bool fetch_document_indicator(Tok typ) {
    unroll_indent(-1);
    if (!remove_simple_key()) return false;
    simple_key_allowed_ = false;
    Mark start = mark_;
    skip();
    skip();
    skip();
    insert_token(-1, make(typ, start, mark_));
    return true;
  }

  bool fetch_flow_collection_start(Tok typ) {
    if (!save_simple_key()) return false;
    if (!increase_flow_level()) return false;
    simple_key_allowed_ = true;
    Mark start = mark_;
    skip();
    insert_token(-1, make(typ, start, mark_));
    return true;
  }

  bool fetch_flow_collection_end(Tok typ) {
    if (!remove_simple_key()) return false;
    decrease_flow_level();
    simple_key_allowed_ = false;
    Mark start = mark_;
    skip();
    insert_token(-1, make(typ, start, mark_));
    return true;
  }

  bool fetch_flow_entry() {
    if (!remove_simple_key()) return false;
    simple_key_allowed_ = true;
    Mark start = mark_;
    skip();
    insert_token(-1, make(Tok::kFlowEntry, start, mark_));
    return true;
  }

  bool fetch_block_entry() {
    if (flow_level_ == 0) {
      if (!simple_key_allowed_)
        return scanner_error(mark_, "block sequence entries are not allowed in this context");
      if (!roll_indent(mark_.column, -1, Tok::kBlockSequenceStart, mark_)) return false;
    }
    if (!remove_simple_key()) return false;
    simple_key_allowed_ = true;
    Mark start = mark_;
    skip();
    insert_token(-1, make(Tok::kBlockEntry, start, mark_));
    return true;
  }

  bool fetch_key() {
    if (flow_level_ == 0) {
      if (!simple_key_allowed_)
        return scanner_error(mark_, "mapping keys are not allowed in this context");
      if (!roll_indent(mark_.column, -1, Tok::kBlockMappingStart, mark_)) return false;
    }
    if (!remove_simple_key()) return false;
    simple_key_allowed_ = flow_level_ == 0;
    Mark start = mark_;
    skip();
    insert_token(-1, make(Tok::kKey, start, mark_));
    return true;
  }

  bool fetch_value() {
    SimpleKey& k = simple_keys_.back();
    bool valid;
    if (!simple_key_is_valid(k, valid)) return false;
    if (valid) {
      insert_token(k.token_number - tokens_parsed_, make(Tok::kKey, k.mark, k.mark));
      if (!roll_indent(k.mark.column, k.token_number, Tok::kBlockMappingStart, k.mark))
        return false;
      simple_keys_.back().possible = false;
      simple_keys_by_tok_.erase(simple_keys_.back().token_number);
      simple_key_allowed_ = false;
    } else {
      if (flow_level_ == 0) {
        if (!simple_key_allowed_)
          return scanner_error(mark_, "mapping values are not allowed in this context");
        if (!roll_indent(mark_.column, -1, Tok::kBlockMappingStart, mark_)) return false;
      }
      simple_key_allowed_ = flow_level_ == 0;
    }
    Mark start = mark_;
    skip();
    insert_token(-1, make(Tok::kValue, start, mark_));
    return true;
  }

  bool fetch_anchor(Tok typ) {
    if (!save_simple_key()) return false;
    simple_key_allowed_ = false;
    Token t;
    if (!scan_anchor(t, typ)) return false;
    insert_token(-1, std::move(t));
    return true;
  }

  bool fetch_tag() {
    if (!save_simple_key()) return false;
    simple_key_allowed_ = false;
    Token t;
    if (!scan_tag(t)) return false;
    insert_token(-1, std::move(t));
    return true;
  }

  bool fetch_block_scalar(bool literal) {
    if (!remove_simple_key()) return false;
    simple_key_allowed_ = true;
    Token t;
    if (!scan_block_scalar(t, literal)) return false;
    insert_token(-1, std::move(t));
    return true;
  }

  bool fetch_flow_scalar(bool single) {
    if (!save_simple_key()) return false;
    simple_key_allowed_ = false;
    Token t;
    if (!scan_flow_scalar(t, single)) return false;
    insert_token(-1, std::move(t));
    return true;
  }

  bool fetch_plain_scalar() {
    if (!save_simple_key()) return false;
    simple_key_allowed_ = false;
    Token t;
    if (!scan_plain_scalar(t)) return false;
    insert_token(-1, std::move(t));
    return true;
  }

  bool scan_to_next_token() {
    for (;;) {
      while (cur() == ' ' || ((flow_level_ > 0 || !simple_key_allowed_) && cur() == '\t')) skip();
      if (cur() == '#')
        while (!is_breakz()) skip();
      if (!is_break()) break;
      skip_line();
      if (flow_level_ == 0) simple_key_allowed_ = true;
    }
    return true;
  }

  // ---- token scanners
  void skip_blanks_and_comment() {
    while (is_blank()) skip();
    if (cur() == '#')
      while (!is_breakz()) skip();
  }

  bool scan_directive(Token& t) {
    Mark start = mark_;
    skip();
    std::string name;
    if (!scan_directive_name(start, name)) return false;
    if (name == "YAML") {
      int major = 0, minor = 0;
      if (!scan_version_directive_value(start, major, minor)) return false;
      t = make(Tok::kVersionDirective, start, mark_);
      t.major = major;
      t.minor = minor;
    } else if (name == "TAG") {
      std::string handle, prefix;
      if (!scan_tag_directive_value(start, handle, prefix)) return false;
      t = make(Tok::kTagDirective, start, mark_);
      t.value = handle;
      t.suffix = prefix;
    } else {
      return scanner_error(start, "found unknown directive name");
    }
    skip_blanks_and_comment();
    if (!is_breakz()) return scanner_error(start, "did not find expected comment or line break");
    if (is_break()) skip_line();
    return true;
  }

  bool scan_directive_name(const Mark& start, std::string& name) {
    while (is_alpha()) {
      name += static_cast<char>(cur());
      read();
    }
    if (name.empty()) return scanner_error(start, "could not find expected directive name");
    if (!is_blankz()) return scanner_error(start, "found unexpected non-alphabetical character");
    return true;
  }

  bool scan_version_directive_value(const Mark& start, int& major, int& minor) {
    while (is_blank()) skip();
    if (!scan_version_directive_number(start, major)) return false;
    if (cur() != '.')
      return scanner_error(start, "did not find expected digit or '.' character");
    skip();
    return scan_version_directive_number(start, minor);
  }

  bool scan_version_directive_number(const Mark& start, int& number) {
    int value = 0, length = 0;
    while (is_digit()) {
      if (++length > 2) return scanner_error(start, "found extremely long version number");
      value = value * 10 + (cur() - '0');
      skip();
    }
    if (length == 0) return scanner_error(start, "did not find expected version number");
    number = value;
    return true;
  }

  bool scan_tag_directive_value(const Mark& start, std::string& handle, std::string& prefix) {
    while (is_blank()) skip();
    if (!scan_tag_handle(true, start, handle)) return false;
    if (!is_blank()) return scanner_error(start, "did not find expected whitespace");
    while (is_blank()) skip();
    if (!scan_tag_uri(true, "", start, prefix)) return false;
    if (!is_blankz()) return scanner_error(start, "did not find expected whitespace or line break");
    return true;
  }

  bool scan_anchor(Token& t, Tok typ) {
    Mark start = mark_;
    skip();
    std::string s;
    while (is_alpha()) {
      s += static_cast<char>(cur());
      read();
    }
    Mark end = mark_;
    unsigned char c = cur();
    if (s.empty() || !(is_blankz() || c == '?' || c == ':' || c == ',' || c == ']' || c == '}' ||
                       c == '%' || c == '@' || c == '`'))
      return scanner_error(start, "did not find expected alphabetic or numeric character");
    t = make(typ, start, end);
    t.value = s;
    return true;
  }

  bool tag_error(bool directive, const Mark& start, const char* p) {
    (void)directive;  // only the context differs, which go-yaml does not print
    return scanner_error(start, p);
  }

  bool scan_tag(Token& t) {
    Mark start = mark_;
    std::string handle, suffix;
    if (cur(1) == '<') {
      skip();
      skip();
      if (!scan_tag_uri(false, "", start, suffix)) return false;
      if (cur() != '>') return scanner_error(start, "did not find the expected '>'");
      skip();
    } else {
      if (!scan_tag_handle(false, start, handle)) return false;
      if (handle[0] == '!' && handle.size() > 1 && handle.back() == '!') {
        if (!scan_tag_uri(false, "", start, suffix)) return false;
      } else {
        if (!scan_tag_uri(false, handle, start, suffix)) return false;
        handle = "!";
        if (suffix.empty()) std::swap(handle, suffix);
      }
    }
    if (!is_blankz()) return scanner_error(start, "did not find expected whitespace or line break");
    t = make(Tok::kTag, start, mark_);
    t.value = handle;
    t.suffix = suffix;
    return true;
  }

  bool scan_tag_handle(bool directive, const Mark& start, std::string& handle) {
    if (cur() != '!') return tag_error(directive, start, "did not find expected '!'");
    std::string s = "!";
    read();
    while (is_alpha()) {
      s += static_cast<char>(cur());
      read();
    }
    if (cur() == '!') {
      s += '!';
      read();
    } else if (directive && s != "!") {
      return tag_error(directive, start, "did not find expected '!'");
    }
    handle = s;
    return true;
  }

  bool scan_tag_uri(bool directive, const std::string& head, const Mark& start, std::string& uri) {
    std::string s = head.size() > 1 ? head.substr(1) : "";
    bool has_tag = !head.empty();
    static const std::string_view kUriChars = ";/?:@&=+$,.!~*'()[]%";
    while (is_alpha() || (cur() != 0 && kUriChars.find(static_cast<char>(cur())) != std::string_view::npos)) {
      if (cur() == '%') {
        if (!scan_uri_escapes(directive, start, s)) return false;
      } else {
        s += static_cast<char>(cur());
        read();
      }
      has_tag = true;
    }
    if (!has_tag) return tag_error(directive, start, "did not find expected tag URI");
    uri = s;
    return true;
  }

  bool scan_uri_escapes(bool directive, const Mark& start, std::string& s) {
    int w = 1024;
    while (w > 0) {
      if (!(cur() == '%' && is_hex(1) && is_hex(2)))
        return tag_error(directive, start, "did not find URI escaped octet");
      unsigned char octet = static_cast<unsigned char>((as_hex(1) << 4) + as_hex(2));
      if (w == 1024) {
        w = (octet & 0x80) == 0 ? 1 : (octet & 0xE0) == 0xC0 ? 2 : (octet & 0xF0) == 0xE0 ? 3
            : (octet & 0xF8) == 0xF0 ? 4 : 0;
        if (w == 0) return tag_error(directive, start, "found an incorrect leading UTF-8 octet");
      } else if ((octet & 0xC0) != 0x80) {
        return tag_error(directive, start, "found an incorrect trailing UTF-8 octet");
      }
      s += static_cast<char>(octet);
      skip();
      skip();
      skip();
      w--;
    }
    return true;
  }

  bool scan_block_scalar(Token& t, bool literal) {
    (void)literal;
    Mark start = mark_;
    skip();
    int increment = 0;
    if (cur() == '+' || cur() == '-') {
      skip();
      if (is_digit()) {
        if (cur() == '0')
          return scanner_error(start, "found an indentation indicator equal to 0");
        increment = cur() - '0';
        skip();
      }
    } else if (is_digit()) {
      if (cur() == '0') return scanner_error(start, "found an indentation indicator equal to 0");
      increment = cur() - '0';
      skip();
      if (cur() == '+' || cur() == '-') skip();
    }
    skip_blanks_and_comment();
    if (!is_breakz()) return scanner_error(start, "did not find expected comment or line break");
    if (is_break()) skip_line();
    Mark end = mark_;
    int indent = 0;
    if (increment > 0) indent = indent_ >= 0 ? indent_ + increment : increment;
    if (!scan_block_scalar_breaks(indent, start, end)) return false;
    while (mark_.column == indent && !is_z()) {
      while (!is_breakz()) read();
      read_line();
      if (!scan_block_scalar_breaks(indent, start, end)) return false;
    }
    t = make(Tok::kScalar, start, end);
    return true;
  }

  bool scan_block_scalar_breaks(int& indent, const Mark& start, Mark& end) {
    end = mark_;
    int max_indent = 0;
    for (;;) {
      while ((indent == 0 || mark_.column < indent) && is_space()) skip();
      if (mark_.column > max_indent) max_indent = mark_.column;
      if ((indent == 0 || mark_.column < indent) && is_tab())
        return scanner_error(start, "found a tab character where an indentation space is expected");
      if (!is_break()) break;
      read_line();
      end = mark_;
    }
    if (indent == 0) {
      indent = max_indent;
      if (indent < indent_ + 1) indent = indent_ + 1;
      if (indent < 1) indent = 1;
    }
    return true;
  }

  bool at_document_indicator() const {
    return mark_.column == 0 &&
           ((cur() == '-' && cur(1) == '-' && cur(2) == '-') ||
            (cur() == '.' && cur(1) == '.' && cur(2) == '.')) &&
           is_blankz(3);
  }

  bool scan_flow_scalar(Token& t, bool single) {
    Mark start = mark_;
    skip();
    for (;;) {
      if (at_document_indicator())
        return scanner_error(start, "found unexpected document indicator");
      if (is_z()) return scanner_error(start, "found unexpected end of stream");
      bool leading_blanks = false;
      while (!is_blankz()) {
        if (single && cur() == '\'' && cur(1) == '\'') {
          skip();
          skip();
        } else if (single && cur() == '\'') {
          break;
        } else if (!single && cur() == '"') {
          break;
        } else if (!single && cur() == '\\' && is_break(1)) {
          skip();
          skip_line();
          leading_blanks = true;
          break;
        } else if (!single && cur() == '\\') {
          int code_length = 0;
          switch (cur(1)) {
            case '0': case 'a': case 'b': case 't': case '\t': case 'n': case 'v': case 'f':
            case 'r': case 'e': case ' ': case '"': case '\'': case '\\': case 'N': case '_':
            case 'L': case 'P':
              break;
            case 'x': code_length = 2; break;
            case 'u': code_length = 4; break;
            case 'U': code_length = 8; break;
            default:
              return scanner_error(start, "found unknown escape character");
          }
          skip();
          skip();
          if (code_length > 0) {
            long value = 0;
            for (int k = 0; k < code_length; k++) {
              if (!is_hex(k)) return scanner_error(start, "did not find expected hexdecimal number");
              value = (value << 4) + as_hex(k);
            }
            if ((value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF)
              return scanner_error(start, "found invalid Unicode character escape code");
            for (int k = 0; k < code_length; k++) skip();
          }
        } else {
          read();
        }
      }
      if (single ? cur() == '\'' : cur() == '"') break;
      while (is_blank() || is_break()) {
        if (is_blank()) {
          skip();
        } else if (!leading_blanks) {
          read_line();
          leading_blanks = true;
        } else {
          read_line();
        }
      }
    }
    skip();
    t = make(Tok::kScalar, start, mark_);
    return true;
  }

  bool scan_plain_scalar(Token& t) {
    bool leading_blanks = false;
    int indent = indent_ + 1;
    Mark start = mark_, end = mark_;
    for (;;) {
      if (at_document_indicator()) break;
      if (cur() == '#') break;
      while (!is_blankz()) {
        unsigned char c = cur();
        if ((c == ':' && is_blankz(1)) ||
            (flow_level_ > 0 && (c == ',' || c == '?' || c == '[' || c == ']' || c == '{' || c == '}')))
          break;
        leading_blanks = false;
        read();
        end = mark_;
      }
      if (!(is_blank() || is_break())) break;
      while (is_blank() || is_break()) {
        if (is_blank()) {
          if (leading_blanks && mark_.column < indent && is_tab())
            return scanner_error(start, "found a tab character that violates indentation");
          skip();
        } else {
          read_line();
          leading_blanks = true;
        }
      }
      if (flow_level_ == 0 && mark_.column < indent) break;
    }
    t = make(Tok::kScalar, start, end);
    t.plain = true;
    if (leading_blanks) simple_key_allowed_ = true;
    return true;
  }

  // ---- parser (parserc.go)
  Token* peek_token() {
    if (token_available_ || fetch_more_tokens()) return &tokens_[head_];
    return nullptr;
  }
  void skip_token() {
    token_available_ = false;
    tokens_parsed_++;
    stream_end_produced_ = tokens_[head_].typ == Tok::kStreamEnd;
    head_++;
    if (head_ > 64 && head_ * 2 > tokens_.size()) {  // keep the queue short
      tokens_.erase(tokens_.begin(), tokens_.begin() + static_cast<long>(head_));
      head_ = 0;
    }
  }
  void pop_state() {
    state_ = states_.back();
    states_.pop_back();
  }

  bool state_machine(Event& e) {
    switch (state_) {
      case State::kStreamStart: return parse_stream_start(e);
      case State::kImplicitDocumentStart: return parse_document_start(e, true);
      case State::kDocumentStart: return parse_document_start(e, false);
      case State::kDocumentContent: return parse_document_content(e);
      case State::kDocumentEnd: return parse_document_end(e);
      case State::kBlockNode: return parse_node(e, true, false);
      case State::kBlockNodeOrIndentlessSequence: return parse_node(e, true, true);
      case State::kFlowNode: return parse_node(e, false, false);
      case State::kBlockSequenceFirstEntry: return parse_block_sequence_entry(e, true);
      case State::kBlockSequenceEntry: return parse_block_sequence_entry(e, false);
      case State::kIndentlessSequenceEntry: return parse_indentless_sequence_entry(e);
      case State::kBlockMappingFirstKey: return parse_block_mapping_key(e, true);
      case State::kBlockMappingKey: return parse_block_mapping_key(e, false);
      case State::kBlockMappingValue: return parse_block_mapping_value(e);
      case State::kFlowSequenceFirstEntry: return parse_flow_sequence_entry(e, true);
      case State::kFlowSequenceEntry: return parse_flow_sequence_entry(e, false);
      case State::kFlowSequenceEntryMappingKey: return parse_flow_sequence_entry_mapping_key(e);
      case State::kFlowSequenceEntryMappingValue: return parse_flow_sequence_entry_mapping_value(e);
      case State::kFlowSequenceEntryMappingEnd: return parse_flow_sequence_entry_mapping_end(e);
      case State::kFlowMappingFirstKey: return parse_flow_mapping_key(e, true);
      case State::kFlowMappingKey: return parse_flow_mapping_key(e, false);
      case State::kFlowMappingValue: return parse_flow_mapping_value(e, false);
      case State::kFlowMappingEmptyValue: return parse_flow_mapping_value(e, true);
      case State::kEnd: return true;
    }
    return true;
  }

  bool parse_stream_start(Event& e) {
    Token* t = peek_token();
    if (!t) return false;
    if (t->typ != Tok::kStreamStart)
      return parser_error("did not find expected <stream-start>", t->start);
    state_ = State::kImplicitDocumentStart;
    e.typ = Ev::kStreamStart;
    skip_token();
    return true;
  }

  bool parse_document_start(Event& e, bool implicit) {
    Token* t = peek_token();
    if (!t) return false;
    if (!implicit) {
      while (t->typ == Tok::kDocumentEnd) {
        skip_token();
        if (!(t = peek_token())) return false;
      }
    }
    if (implicit && t->typ != Tok::kVersionDirective && t->typ != Tok::kTagDirective &&
        t->typ != Tok::kDocumentStart && t->typ != Tok::kStreamEnd) {
      if (!process_directives()) return false;
      states_.push_back(State::kDocumentEnd);
      state_ = State::kBlockNode;
      e.typ = Ev::kDocumentStart;
    } else if (t->typ != Tok::kStreamEnd) {
      if (!process_directives()) return false;
      if (!(t = peek_token())) return false;
      if (t->typ != Tok::kDocumentStart)
        return parser_error("did not find expected <document start>", t->start);
      states_.push_back(State::kDocumentEnd);
      state_ = State::kDocumentContent;
      e.typ = Ev::kDocumentStart;
      skip_token();
    } else {
      state_ = State::kEnd;
      e.typ = Ev::kStreamEnd;
      skip_token();
    }
    return true;
  }

  bool parse_document_content(Event& e) {
    Token* t = peek_token();
    if (!t) return false;
    if (t->typ == Tok::kVersionDirective || t->typ == Tok::kTagDirective ||
        t->typ == Tok::kDocumentStart || t->typ == Tok::kDocumentEnd || t->typ == Tok::kStreamEnd) {
      pop_state();
      e.typ = Ev::kScalar;
      return true;
    }
    return parse_node(e, true, false);
  }

  bool parse_document_end(Event& e) {
    Token* t = peek_token();
    if (!t) return false;
    e.end_offset = t->start.offset;
    if (t->typ == Tok::kDocumentEnd) {
      e.end_offset = t->end.offset;
      skip_token();
    }
    tag_directives_.clear();
    state_ = State::kDocumentStart;
    e.typ = Ev::kDocumentEnd;
    return true;
  }

  bool parse_node(Event& e, bool block, bool indentless_sequence) {
    Token* t = peek_token();
    if (!t) return false;
    if (t->typ == Tok::kAlias) {
      pop_state();
      e.typ = Ev::kAlias;
      e.anchor = t->value;
      skip_token();
      return true;
    }
    Mark start = t->start, tag_mark;
    bool tag_token = false;
    std::string tag_handle, tag_suffix, anchor;
    if (t->typ == Tok::kAnchor) {
      anchor = t->value;
      skip_token();
      if (!(t = peek_token())) return false;
      if (t->typ == Tok::kTag) {
        tag_token = true;
        tag_handle = t->value;
        tag_suffix = t->suffix;
        tag_mark = t->start;
        skip_token();
        if (!(t = peek_token())) return false;
      }
    } else if (t->typ == Tok::kTag) {
      tag_token = true;
      tag_handle = t->value;
      tag_suffix = t->suffix;
      tag_mark = t->start;
      skip_token();
      if (!(t = peek_token())) return false;
      if (t->typ == Tok::kAnchor) {
        anchor = t->value;
        skip_token();
        if (!(t = peek_token())) return false;
      }
    }
    bool has_tag = false;
    if (tag_token) {
      if (tag_handle.empty()) {
        has_tag = !tag_suffix.empty();
      } else {
        for (const auto& [handle, prefix] : tag_directives_)
          if (handle == tag_handle) {
            has_tag = !(prefix + tag_suffix).empty();
            break;
          }
        if (!has_tag)
          return parser_error_context(start, "found undefined tag handle", tag_mark);
      }
    }
    e.anchor = anchor;
    if (indentless_sequence && t->typ == Tok::kBlockEntry) {
      state_ = State::kIndentlessSequenceEntry;
      e.typ = Ev::kSequenceStart;
      return true;
    }
    if (t->typ == Tok::kScalar) {
      pop_state();
      e.typ = Ev::kScalar;
      skip_token();
      return true;
    }
    if (t->typ == Tok::kFlowSequenceStart) {
      state_ = State::kFlowSequenceFirstEntry;
      e.typ = Ev::kSequenceStart;
      return true;
    }
    if (t->typ == Tok::kFlowMappingStart) {
      state_ = State::kFlowMappingFirstKey;
      e.typ = Ev::kMappingStart;
      return true;
    }
    if (block && t->typ == Tok::kBlockSequenceStart) {
      state_ = State::kBlockSequenceFirstEntry;
      e.typ = Ev::kSequenceStart;
      return true;
    }
    if (block && t->typ == Tok::kBlockMappingStart) {
      state_ = State::kBlockMappingFirstKey;
      e.typ = Ev::kMappingStart;
      return true;
    }
    if (!anchor.empty() || has_tag) {
      pop_state();
      e.typ = Ev::kScalar;
      return true;
    }
    return parser_error_context(start, "did not find expected node content", t->start);
  }

  bool parse_block_sequence_entry(Event& e, bool first) {
    if (first) {
      marks_.push_back(peek_token()->start);
      skip_token();
    }
    Token* t = peek_token();
    if (!t) return false;
    if (t->typ == Tok::kBlockEntry) {
      skip_token();
      if (!(t = peek_token())) return false;
      if (t->typ != Tok::kBlockEntry && t->typ != Tok::kBlockEnd) {
        states_.push_back(State::kBlockSequenceEntry);
        return parse_node(e, true, false);
      }
      state_ = State::kBlockSequenceEntry;
      e.typ = Ev::kScalar;
      return true;
    }
    if (t->typ == Tok::kBlockEnd) {
      pop_state();
      marks_.pop_back();
      e.typ = Ev::kSequenceEnd;
      skip_token();
      return true;
    }
    Mark context = marks_.back();
    marks_.pop_back();
    return parser_error_context(context, "did not find expected '-' indicator", t->start);
  }

  bool parse_indentless_sequence_entry(Event& e) {
    Token* t = peek_token();
    if (!t) return false;
    if (t->typ == Tok::kBlockEntry) {
      skip_token();
      if (!(t = peek_token())) return false;
      if (t->typ != Tok::kBlockEntry && t->typ != Tok::kKey && t->typ != Tok::kValue &&
          t->typ != Tok::kBlockEnd) {
        states_.push_back(State::kIndentlessSequenceEntry);
        return parse_node(e, true, false);
      }
      state_ = State::kIndentlessSequenceEntry;
      e.typ = Ev::kScalar;
      return true;
    }
    pop_state();
    e.typ = Ev::kSequenceEnd;
    return true;
  }

  bool parse_block_mapping_key(Event& e, bool first) {
    if (first) {
      marks_.push_back(peek_token()->start);
      skip_token();
    }
    Token* t = peek_token();
    if (!t) return false;
    if (t->typ == Tok::kKey) {
      skip_token();
      if (!(t = peek_token())) return false;
      if (t->typ != Tok::kKey && t->typ != Tok::kValue && t->typ != Tok::kBlockEnd) {
        states_.push_back(State::kBlockMappingValue);
        return parse_node(e, true, true);
      }
      state_ = State::kBlockMappingValue;
      e.typ = Ev::kScalar;
      return true;
    }
    if (t->typ == Tok::kBlockEnd) {
      pop_state();
      marks_.pop_back();
      e.typ = Ev::kMappingEnd;
      skip_token();
      return true;
    }
    Mark context = marks_.back();
    marks_.pop_back();
    return parser_error_context(context, "did not find expected key", t->start);
  }

  bool parse_block_mapping_value(Event& e) {
    Token* t = peek_token();
    if (!t) return false;
    if (t->typ == Tok::kValue) {
      skip_token();
      if (!(t = peek_token())) return false;
      if (t->typ != Tok::kKey && t->typ != Tok::kValue && t->typ != Tok::kBlockEnd) {
        states_.push_back(State::kBlockMappingKey);
        return parse_node(e, true, true);
      }
    }
    state_ = State::kBlockMappingKey;
    e.typ = Ev::kScalar;
    return true;
  }

  bool parse_flow_sequence_entry(Event& e, bool first) {
    if (first) {
      marks_.push_back(peek_token()->start);
      skip_token();
    }
    Token* t = peek_token();
    if (!t) return false;
    if (t->typ != Tok::kFlowSequenceEnd) {
      if (!first) {
        if (t->typ == Tok::kFlowEntry) {
          skip_token();
          if (!(t = peek_token())) return false;
        } else {
          Mark context = marks_.back();
          marks_.pop_back();
          return parser_error_context(context, "did not find expected ',' or ']'", t->start);
        }
      }
      if (t->typ == Tok::kKey) {
        state_ = State::kFlowSequenceEntryMappingKey;
        e.typ = Ev::kMappingStart;
        skip_token();
        return true;
      }
      if (t->typ != Tok::kFlowSequenceEnd) {
        states_.push_back(State::kFlowSequenceEntry);
        return parse_node(e, false, false);
      }
    }
    pop_state();
    marks_.pop_back();
    e.typ = Ev::kSequenceEnd;
    skip_token();
    return true;
  }

  bool parse_flow_sequence_entry_mapping_key(Event& e) {
    Token* t = peek_token();
    if (!t) return false;
    if (t->typ != Tok::kValue && t->typ != Tok::kFlowEntry && t->typ != Tok::kFlowSequenceEnd) {
      states_.push_back(State::kFlowSequenceEntryMappingValue);
      return parse_node(e, false, false);
    }
    skip_token();
    state_ = State::kFlowSequenceEntryMappingValue;
    e.typ = Ev::kScalar;
    return true;
  }

  bool parse_flow_sequence_entry_mapping_value(Event& e) {
    Token* t = peek_token();
    if (!t) return false;
    if (t->typ == Tok::kValue) {
      skip_token();
      if (!(t = peek_token())) return false;
      if (t->typ != Tok::kFlowEntry && t->typ != Tok::kFlowSequenceEnd) {
        states_.push_back(State::kFlowSequenceEntryMappingEnd);
        return parse_node(e, false, false);
      }
    }
    state_ = State::kFlowSequenceEntryMappingEnd;
    e.typ = Ev::kScalar;
    return true;
  }

  bool parse_flow_sequence_entry_mapping_end(Event& e) {
    if (!peek_token()) return false;
    state_ = State::kFlowSequenceEntry;
    e.typ = Ev::kMappingEnd;
    return true;
  }

  bool parse_flow_mapping_key(Event& e, bool first) {
    if (first) {
      marks_.push_back(peek_token()->start);
      skip_token();
    }
    Token* t = peek_token();
    if (!t) return false;
    if (t->typ != Tok::kFlowMappingEnd) {
      if (!first) {
        if (t->typ == Tok::kFlowEntry) {
          skip_token();
          if (!(t = peek_token())) return false;
        } else {
          Mark context = marks_.back();
          marks_.pop_back();
          return parser_error_context(context, "did not find expected ',' or '}'", t->start);
        }
      }
      if (t->typ == Tok::kKey) {
        skip_token();
        if (!(t = peek_token())) return false;
        if (t->typ != Tok::kValue && t->typ != Tok::kFlowEntry && t->typ != Tok::kFlowMappingEnd) {
          states_.push_back(State::kFlowMappingValue);
          return parse_node(e, false, false);
        }
        state_ = State::kFlowMappingValue;
        e.typ = Ev::kScalar;
        return true;
      }
      if (t->typ != Tok::kFlowMappingEnd) {
        states_.push_back(State::kFlowMappingEmptyValue);
        return parse_node(e, false, false);
      }
    }
    pop_state();
    marks_.pop_back();
    e.typ = Ev::kMappingEnd;
    skip_token();
    return true;
  }

  bool parse_flow_mapping_value(Event& e, bool empty) {
    Token* t = peek_token();
    if (!t) return false;
    if (empty) {
      state_ = State::kFlowMappingKey;
      e.typ = Ev::kScalar;
      return true;
    }
    if (t->typ == Tok::kValue) {
      skip_token();
      if (!(t = peek_token())) return false;
      if (t->typ != Tok::kFlowEntry && t->typ != Tok::kFlowMappingEnd) {
        states_.push_back(State::kFlowMappingKey);
        return parse_node(e, false, false);
      }
    }
    state_ = State::kFlowMappingKey;
    e.typ = Ev::kScalar;
    return true;
  }

  bool append_tag_directive(const std::string& handle, const std::string& prefix,
                            bool allow_duplicates, const Mark& m) {
    for (const auto& d : tag_directives_)
      if (d.first == handle) {
        if (allow_duplicates) return true;
        return parser_error("found duplicate %TAG directive", m);
      }
    tag_directives_.emplace_back(handle, prefix);
    return true;
  }

  bool process_directives() {
    Token* t = peek_token();
    if (!t) return false;
    bool have_version = false;
    while (t->typ == Tok::kVersionDirective || t->typ == Tok::kTagDirective) {
      if (t->typ == Tok::kVersionDirective) {
        if (have_version) return parser_error("found duplicate %YAML directive", t->start);
        if (t->major != 1 || t->minor != 1)
          return parser_error("found incompatible YAML document", t->start);
        have_version = true;
      } else if (!append_tag_directive(t->value, t->suffix, false, t->start)) {
        return false;
      }
      skip_token();
      if (!(t = peek_token())) return false;
    }
    if (!append_tag_directive("!", "!", true, t->start)) return false;
    return append_tag_directive("!!", "tag:yaml.org,2002:", true, t->start);
  }

  std::string buf_;
  size_t pos_ = 0;
  Mark mark_;
  bool stream_start_produced_ = false, stream_end_produced_ = false;
  bool token_available_ = false, simple_key_allowed_ = false;
  int flow_level_ = 0, indent_ = 0, tokens_parsed_ = 0;
  std::vector<Token> tokens_;
  size_t head_ = 0;
  std::vector<int> indents_;
  std::vector<SimpleKey> simple_keys_;
  std::unordered_map<int, int> simple_keys_by_tok_;
  State state_ = State::kStreamStart;
  std::vector<State> states_;
  std::vector<Mark> marks_;
  std::vector<std::pair<std::string, std::string>> tag_directives_;
};

// readerc.go's checks on UTF-8 input: the first problem, or "".
std::string reader_error(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto octet = static_cast<unsigned char>(s[i]);
    int w = (octet & 0x80) == 0 ? 1 : (octet & 0xE0) == 0xC0 ? 2 : (octet & 0xF0) == 0xE0 ? 3
            : (octet & 0xF8) == 0xF0 ? 4 : 0;
    if (w == 0) return "invalid leading UTF-8 octet";
    if (i + w > s.size()) return "incomplete UTF-8 octet sequence";
    uint32_t value = w == 1 ? octet & 0x7F : w == 2 ? octet & 0x1F : w == 3 ? octet & 0x0F : octet & 0x07;
    for (int k = 1; k < w; k++) {
      auto o = static_cast<unsigned char>(s[i + k]);
      if ((o & 0xC0) != 0x80) return "invalid trailing UTF-8 octet";
      value = (value << 6) + (o & 0x3F);
    }
    if (!(w == 1 || (w == 2 && value >= 0x80) || (w == 3 && value >= 0x800) ||
          (w == 4 && value >= 0x10000)))
      return "invalid length of a UTF-8 sequence";
    if ((value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF) return "invalid Unicode character";
    if (!(value == 0x09 || value == 0x0A || value == 0x0D || (value >= 0x20 && value <= 0x7E) ||
          value == 0x85 || (value >= 0xA0 && value <= 0xD7FF) || (value >= 0xE000 && value <= 0xFFFD) ||
          (value >= 0x10000 && value <= 0x10FFFF)))
      return "control characters are not allowed";
    i += w;
  }
  return "";
}

}  // namespace

std::string go_yaml_syntax_error(std::string_view text, bool all_documents,
                                 size_t* first_document_end) {
  size_t bom = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;  // the reader drops a BOM
  text.remove_prefix(bom);
  if (first_document_end) *first_document_end = text.size() + bom;
  if (std::string r = reader_error(text); !r.empty()) return "yaml: " + r;
  Parser p(text.empty() ? std::string_view("\n") : text);
  std::set<std::string> anchors;  // of the current document (decode.go parser.anchor)
  for (;;) {
    Event e;
    if (!p.parse(e)) {
      // decode.go parser.fail(): a scanner's line is 0-based + 1, a parser's is printed 0-based.
      int line = 0;
      if (p.problem_mark.line != 0) {
        line = p.problem_mark.line + (p.error == ErrorKind::kScanner ? 1 : 0);
      } else if (p.context_mark.line != 0) {
        line = p.context_mark.line;
      }
      std::string where = line != 0 ? "line " + std::to_string(line) + ": " : "";
      return "yaml: " + where +
             (p.problem.empty() ? "unknown problem parsing YAML content" : p.problem);
    }
    switch (e.typ) {
      case Ev::kStreamEnd:
      case Ev::kNone:
        return "";
      case Ev::kDocumentStart:
        anchors.clear();
        break;
      case Ev::kDocumentEnd:
        if (first_document_end) {
          *first_document_end = std::min(e.end_offset, text.size()) + bom;
          first_document_end = nullptr;
        }
        if (!all_documents) return "";
        break;
      case Ev::kAlias:
        if (!anchors.count(e.anchor)) return "yaml: unknown anchor '" + e.anchor + "' referenced";
        break;
      default:
        if (!e.anchor.empty()) anchors.insert(e.anchor);
        break;
    }
  }
}

}  // namespace kapi::runtime
