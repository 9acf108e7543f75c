// Lexer and parser for the go-template engine, following text/template/parse (lex.go, parse.go):
// the same token kinds, the same trim markers and the same error texts, so a bad template fails
// with the message kubectl prints.
#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "client/printers/go_template_tree.h"
#include "pkg/machinery/go_format.h"

namespace kapi::client::gotmpl {
namespace {

enum class Tok {
  kError, kBool, kChar, kCharConstant, kAssign, kDeclare, kEOF, kField, kIdentifier, kLeftDelim,
  kLeftParen, kNumber, kPipe, kRawString, kRightDelim, kRightParen, kSpace, kString, kText,
  kVariable,
  // keywords
  kBlock, kBreak, kContinue, kDot, kDefine, kElse, kEnd, kIf, kNil, kRange, kTemplate, kWith,
};

struct Item {
  Tok typ;
  size_t pos;
  std::string val;
  int line;
};

bool is_keyword(Tok t) { return t >= Tok::kBlock; }

// item.String() in lex.go.
std::string item_str(const Item& i) {
  if (i.typ == Tok::kEOF) return "EOF";
  if (i.typ == Tok::kError) return i.val;
  if (is_keyword(i.typ)) return "<" + i.val + ">";
  if (i.val.size() > 10) {
    return machinery::gofmt::quote(i.val.substr(0, 10)) + "...";
  }
  return machinery::gofmt::quote(i.val);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_alnum(char c) {
  return c == '_' || std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) >= 0x80);
}

class Lexer {
 public:
  explicit Lexer(const std::string& in) : in_(in) {}

  std::vector<Item> run() {
    while (!done_) lex_text();
    return std::move(items_);
  }

 private:
  char at(size_t i) const { return i < in_.size() ? in_[i] : '\0'; }
  bool starts(size_t i, const char* s) const { return in_.compare(i, std::char_traits<char>::length(s), s) == 0; }
  bool left_trim(size_t i) const { return i + 1 < in_.size() && in_[i] == '-' && is_space(in_[i + 1]); }
  bool right_trim(size_t i) const { return i + 1 < in_.size() && is_space(in_[i]) && in_[i + 1] == '-'; }
  // atRightDelim: (delimiter here, with trim marker)
  std::pair<bool, bool> at_right_delim(size_t i) const {
    if (right_trim(i) && starts(i + 2, "}}")) return {true, true};
    if (starts(i, "}}")) return {true, false};
    return {false, false};
  }
  void emit(Tok t, size_t start, size_t end) {
    items_.push_back({t, start, in_.substr(start, end - start), start_line_});
    start_line_ = line_;
  }
  void error(const std::string& msg) {
    items_.push_back({Tok::kError, start_, msg, start_line_});
    done_ = true;
  }
  void advance_to(size_t p) {
    for (size_t i = pos_; i < p && i < in_.size(); ++i)
      if (in_[i] == '\n') ++line_;
    pos_ = p;
  }
  void ignore() {
    start_ = pos_;
    start_line_ = line_;
  }

  void lex_text() {
    size_t x = in_.find("{{", pos_);
    if (x == std::string::npos) {
      if (pos_ < in_.size()) {
        start_ = pos_;
        advance_to(in_.size());
        emit(Tok::kText, start_, pos_);
      }
      items_.push_back({Tok::kEOF, in_.size(), "", line_});
      done_ = true;
      return;
    }
    if (x > pos_) {
      size_t end = x;
      if (left_trim(x + 2))
        while (end > pos_ && is_space(in_[end - 1])) --end;
      start_ = pos_;
      advance_to(end);
      if (end > start_) emit(Tok::kText, start_, end);
      advance_to(x);
      ignore();
    }
    lex_left_delim();
  }

  void lex_left_delim() {
    start_ = pos_;
    size_t p = pos_ + 2;
    bool trim = left_trim(p);
    size_t after = trim ? 2 : 0;
    if (starts(p + after, "/*")) {
      advance_to(p + after);
      ignore();
      lex_comment();
      return;
    }
    advance_to(p);
    emit(Tok::kLeftDelim, start_, p);
    advance_to(p + after);
    ignore();
    paren_depth_ = 0;
    lex_inside_action();
  }

  void lex_comment() {
    size_t x = in_.find("*/", pos_ + 2);
    if (x == std::string::npos) return error("unclosed comment");
    advance_to(x + 2);
    auto [delim, trim] = at_right_delim(pos_);
    if (!delim) return error("comment ends before closing delimiter");
    advance_to(pos_ + (trim ? 2 : 0) + 2);
    if (trim)
      while (pos_ < in_.size() && is_space(in_[pos_])) advance_to(pos_ + 1);
    ignore();
  }

  void lex_inside_action() {
    for (;;) {
      auto [delim, trim] = at_right_delim(pos_);
      if (delim) {
        if (paren_depth_ != 0) return error("unclosed left paren");
        if (trim) advance_to(pos_ + 2);
        ignore();
        advance_to(pos_ + 2);
        emit(Tok::kRightDelim, start_, pos_);
        if (trim)
          while (pos_ < in_.size() && is_space(in_[pos_])) advance_to(pos_ + 1);
        ignore();
        return;
      }
      start_ = pos_;
      if (pos_ >= in_.size()) return error("unclosed action");
      char r = in_[pos_];
      if (is_space(r)) {
        size_t p = pos_;
        int n = 0;
        while (p < in_.size() && is_space(in_[p])) ++p, ++n;
        advance_to(p);
        if (right_trim(p - 1) && starts(p + 1, "}}")) {
          advance_to(p - 1);  // the last space belongs to the trim marker
          if (n == 1) continue;
        }
        emit(Tok::kSpace, start_, pos_);
        continue;
      }
      if (r == '=') {
        advance_to(pos_ + 1);
        emit(Tok::kAssign, start_, pos_);
      } else if (r == ':') {
        if (at(pos_ + 1) != '=') return error("expected :=");
        advance_to(pos_ + 2);
        emit(Tok::kDeclare, start_, pos_);
      } else if (r == '|') {
        advance_to(pos_ + 1);
        emit(Tok::kPipe, start_, pos_);
      } else if (r == '"') {
        if (!lex_quote('"', Tok::kString, "unterminated quoted string")) return;
      } else if (r == '`') {
        size_t x = in_.find('`', pos_ + 1);
        if (x == std::string::npos) return error("unterminated raw quoted string");
        advance_to(x + 1);
        emit(Tok::kRawString, start_, pos_);
      } else if (r == '\'') {
        if (!lex_quote('\'', Tok::kCharConstant, "unterminated character constant")) return;
      } else if (r == '$') {
        advance_to(pos_ + 1);
        if (!lex_field_or_variable(Tok::kVariable)) return;
      } else if (r == '.' && !(at(pos_ + 1) >= '0' && at(pos_ + 1) <= '9')) {
        advance_to(pos_ + 1);
        if (!lex_field_or_variable(Tok::kField)) return;
      } else if (r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9')) {
        if (!lex_number()) return;
      } else if (is_alnum(r)) {
        if (!lex_identifier()) return;
      } else if (r == '(') {
        advance_to(pos_ + 1);
        emit(Tok::kLeftParen, start_, pos_);
        ++paren_depth_;
      } else if (r == ')') {
        advance_to(pos_ + 1);
        if (--paren_depth_ < 0) return error("unexpected right paren");
        emit(Tok::kRightParen, start_, pos_);
      } else if (static_cast<unsigned char>(r) < 0x80 && std::isprint(static_cast<unsigned char>(r))) {
        advance_to(pos_ + 1);
        emit(Tok::kChar, start_, pos_);
      } else {
        char buf[64];
        std::snprintf(buf, sizeof buf, "unrecognized character in action: U+%04X", static_cast<unsigned char>(r));
        return error(buf);
      }
    }
  }

  bool at_terminator() const {
    char r = at(pos_);
    if (pos_ >= in_.size() || is_space(r)) return true;
    switch (r) {
      case '.': case ',': case '|': case ':': case ')': case '(': return true;
      default: return starts(pos_, "}}");
    }
  }

  bool bad_character() {
    char buf[64];
    unsigned char c = static_cast<unsigned char>(at(pos_));
    std::snprintf(buf, sizeof buf, "bad character U+%04X '%c'", c, c);
    error(buf);
    return false;
  }

  bool lex_field_or_variable(Tok typ) {
    if (at_terminator()) {
      emit(typ == Tok::kVariable ? Tok::kVariable : Tok::kDot, start_, pos_);
      return true;
    }
    while (pos_ < in_.size() && is_alnum(in_[pos_])) advance_to(pos_ + 1);
    if (!at_terminator()) return bad_character();
    emit(typ, start_, pos_);
    return true;
  }

  bool lex_identifier() {
    while (pos_ < in_.size() && is_alnum(in_[pos_])) advance_to(pos_ + 1);
    if (!at_terminator()) return bad_character();
    std::string word = in_.substr(start_, pos_ - start_);
    static const std::pair<const char*, Tok> kKeys[] = {
        {"block", Tok::kBlock}, {"break", Tok::kBreak}, {"continue", Tok::kContinue},
        {"define", Tok::kDefine}, {"else", Tok::kElse}, {"end", Tok::kEnd}, {"if", Tok::kIf},
        {"range", Tok::kRange}, {"nil", Tok::kNil}, {"template", Tok::kTemplate}, {"with", Tok::kWith}};
    Tok t = Tok::kIdentifier;
    for (const auto& [k, v] : kKeys)
      if (word == k) t = v;
    if (word == "true" || word == "false") t = Tok::kBool;
    emit(t, start_, pos_);
    return true;
  }

  bool lex_number() {
    size_t p = pos_;
    if (at(p) == '+' || at(p) == '-') ++p;
    std::string digits = "0123456789_";
    bool hex = false;
    if (at(p) == '0' && (at(p + 1) == 'x' || at(p + 1) == 'X')) {
      p += 2;
      digits = "0123456789abcdefABCDEF_";
      hex = true;
    }
    while (p < in_.size() && digits.find(in_[p]) != std::string::npos) ++p;
    if (at(p) == '.') {
      ++p;
      while (p < in_.size() && digits.find(in_[p]) != std::string::npos) ++p;
    }
    if (!hex && (at(p) == 'e' || at(p) == 'E')) {
      ++p;
      if (at(p) == '+' || at(p) == '-') ++p;
      while (p < in_.size() && std::isdigit(static_cast<unsigned char>(in_[p]))) ++p;
    }
    if (at(p) == 'i') ++p;
    if (p < in_.size() && is_alnum(in_[p])) {
      advance_to(p + 1);
      error("bad number syntax: " + machinery::gofmt::quote(in_.substr(start_, pos_ - start_)));
      return false;
    }
    advance_to(p);
    emit(Tok::kNumber, start_, pos_);
    return true;
  }

  bool lex_quote(char q, Tok t, const char* unterminated) {
    size_t p = pos_ + 1;
    for (;;) {
      char c = at(p);
      if (p >= in_.size() || c == '\n') {
        advance_to(p);
        error(unterminated);
        return false;
      }
      if (c == '\\') {
        ++p;
        if (p >= in_.size() || in_[p] == '\n') {
          advance_to(p);
          error(unterminated);
          return false;
        }
      } else if (c == q) {
        break;
      }
      ++p;
    }
    advance_to(p + 1);
    emit(t, start_, pos_);
    return true;
  }

  const std::string& in_;
  std::vector<Item> items_;
  size_t pos_ = 0, start_ = 0;
  int line_ = 1, start_line_ = 1;
  int paren_depth_ = 0;
  bool done_ = false;
};

struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// strconv.Unquote for "..." and `...` literals (the escapes Go templates accept).
std::string unquote(const std::string& s) {
  if (s.size() >= 2 && s[0] == '`') return s.substr(1, s.size() - 2);
  std::string out;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    char c = s[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    char e = s[++i];
    auto put_rune = [&](unsigned long r) {
      if (r < 0x80) out += static_cast<char>(r);
      else if (r < 0x800) out += static_cast<char>(0xC0 | (r >> 6)), out += static_cast<char>(0x80 | (r & 0x3F));
      else if (r < 0x10000)
        out += static_cast<char>(0xE0 | (r >> 12)), out += static_cast<char>(0x80 | ((r >> 6) & 0x3F)),
            out += static_cast<char>(0x80 | (r & 0x3F));
      else
        out += static_cast<char>(0xF0 | (r >> 18)), out += static_cast<char>(0x80 | ((r >> 12) & 0x3F)),
            out += static_cast<char>(0x80 | ((r >> 6) & 0x3F)), out += static_cast<char>(0x80 | (r & 0x3F));
    };
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case 'x': out += static_cast<char>(std::stoul(s.substr(i + 1, 2), nullptr, 16)); i += 2; break;
      case 'u': put_rune(std::stoul(s.substr(i + 1, 4), nullptr, 16)); i += 4; break;
      case 'U': put_rune(std::stoul(s.substr(i + 1, 8), nullptr, 16)); i += 8; break;
      default:
        if (e >= '0' && e <= '7') {
          out += static_cast<char>(std::stoul(s.substr(i, 3), nullptr, 8));
          i += 2;
        } else {
          out += e;
        }
    }
  }
  return out;
}

class Parser {
 public:
  Parser(const std::string& name, std::vector<Item> items) : name_(name), items_(std::move(items)) {}

  std::unique_ptr<ListNode> parse() {
    auto root = std::make_unique<ListNode>(0);
    while (peek().typ != Tok::kEOF) {
      NodePtr n = text_or_action();
      if (n->type == NodeType::kEnd || n->type == NodeType::kElse) errorf("unexpected " + n->str());
      root->nodes.push_back(std::move(n));
    }
    return root;
  }

 private:
  const Item& next() {
    const Item& it = items_[idx_ < items_.size() ? idx_ : items_.size() - 1];
    if (idx_ < items_.size()) ++idx_;
    if (idx_ > lexed_) lexed_ = idx_;
    return it;
  }
  const Item& peek() {
    const Item& it = next();
    --idx_;
    return it;
  }
  void backup() { --idx_; }
  const Item& next_non_space() {
    while (peek().typ == Tok::kSpace) next();
    return next();
  }
  const Item& peek_non_space() {
    const Item& it = next_non_space();
    backup();
    return it;
  }

  [[noreturn]] void errorf(const std::string& msg) {
    int line = items_[lexed_ ? lexed_ - 1 : 0].line;
    throw ParseError("template: " + name_ + ":" + std::to_string(line) + ": " + msg);
  }
  [[noreturn]] void unexpected(const Item& tok, const std::string& context) {
    if (tok.typ == Tok::kError) {
      std::string extra;
      if (action_line_ != 0 && action_line_ != tok.line) {
        extra = " in action started at " + name_ + ":" + std::to_string(action_line_);
        if (tok.val.size() >= 7 && tok.val.compare(tok.val.size() - 7, 7, " action") == 0)
          extra = extra.substr(std::string(" in action").size());
      }
      errorf(tok.val + extra);
    }
    errorf("unexpected " + item_str(tok) + " in " + context);
  }
  const Item& expect(Tok t, const std::string& context) {
    const Item& tok = next_non_space();
    if (tok.typ != t) unexpected(tok, context);
    return tok;
  }

  NodePtr text_or_action() {
    const Item& tok = next_non_space();
    if (tok.typ == Tok::kText) return std::make_unique<TextNode>(tok.pos, tok.val);
    if (tok.typ == Tok::kLeftDelim) {
      action_line_ = tok.line;
      NodePtr n = action();
      action_line_ = 0;
      return n;
    }
    unexpected(tok, "input");
  }

  NodePtr action() {
    const Item& tok = next_non_space();
    switch (tok.typ) {
      case Tok::kBlock: case Tok::kDefine:
        errorf("{{" + tok.val + "}} is not supported by kapi");
      case Tok::kTemplate: {  // kubectl defines no named templates: it fails when executed
        const Item& nm = next_non_space();
        if (nm.typ != Tok::kString && nm.typ != Tok::kRawString) unexpected(nm, "template clause");
        size_t pos = nm.pos;
        std::string name = unquote(nm.val);
        std::string text = "{{template " + machinery::gofmt::quote(name);
        if (next_non_space().typ != Tok::kRightDelim) {
          backup();
          text += " " + pipeline("template clause", Tok::kRightDelim)->str();
        }
        return std::make_unique<LeafNode>(NodeType::kTemplate, pos, text + "}}", name);
      }
      case Tok::kBreak: case Tok::kContinue: {
        bool brk = tok.typ == Tok::kBreak;
        size_t pos = tok.pos;
        if (range_depth_ == 0) errorf(brk ? "{{break}} outside {{range}}" : "{{continue}} outside {{range}}");
        const Item& t2 = next_non_space();
        if (t2.typ != Tok::kRightDelim) unexpected(t2, brk ? "{{break}}" : "{{continue}}");
        return std::make_unique<LeafNode>(brk ? NodeType::kBreak : NodeType::kContinue, pos);
      }
      case Tok::kElse: {
        const Item& p = peek_non_space();
        if (p.typ == Tok::kIf || p.typ == Tok::kWith) return std::make_unique<LeafNode>(NodeType::kElse, p.pos);
        return std::make_unique<LeafNode>(NodeType::kElse, expect(Tok::kRightDelim, "else").pos);
      }
      case Tok::kEnd: return std::make_unique<LeafNode>(NodeType::kEnd, expect(Tok::kRightDelim, "end").pos);
      case Tok::kIf: return control(NodeType::kIf, "if");
      case Tok::kRange: return control(NodeType::kRange, "range");
      case Tok::kWith: return control(NodeType::kWith, "with");
      default: break;
    }
    backup();
    size_t pos = peek().pos;
    return std::make_unique<ActionNode>(pos, pipeline("command", Tok::kRightDelim));
  }

  std::pair<std::unique_ptr<ListNode>, NodePtr> item_list() {
    auto list = std::make_unique<ListNode>(peek_non_space().pos);
    while (peek_non_space().typ != Tok::kEOF) {
      NodePtr n = text_or_action();
      if (n->type == NodeType::kEnd || n->type == NodeType::kElse) return {std::move(list), std::move(n)};
      list->nodes.push_back(std::move(n));
    }
    errorf("unexpected EOF");
  }

  NodePtr control(NodeType type, const std::string& context) {
    size_t vars_mark = vars_.size();
    auto node = std::make_unique<BranchNode>(type, 0);
    node->pipe = pipeline(context, Tok::kRightDelim);
    node->pos = node->pipe->pos;
    if (type == NodeType::kRange) ++range_depth_;
    auto [list, next] = item_list();
    if (type == NodeType::kRange) --range_depth_;
    node->list = std::move(list);
    if (next->type == NodeType::kElse) {
      Tok chained = type == NodeType::kIf ? Tok::kIf : type == NodeType::kWith ? Tok::kWith : Tok::kEOF;
      if (chained != Tok::kEOF && peek().typ == chained) {
        // "{{else if ...}}" is "{{else}}{{if ...}}...{{end}}{{end}}" with one {{end}}.
        size_t pos = next->pos;
        this->next();
        node->else_list = std::make_unique<ListNode>(pos);
        node->else_list->nodes.push_back(control(type, context));
      } else {
        auto [else_list, end] = item_list();
        if (end->type != NodeType::kEnd) errorf("expected end; found " + end->str());
        node->else_list = std::move(else_list);
      }
    }
    vars_.resize(vars_mark);
    return node;
  }

  std::unique_ptr<PipeNode> pipeline(const std::string& context, Tok end) {
    auto pipe = std::make_unique<PipeNode>(peek_non_space().pos);
    for (;;) {  // declarations
      const Item& v = peek_non_space();
      if (v.typ != Tok::kVariable) break;
      next();
      size_t after_var = idx_;
      const Item& token_after = peek();
      const Item& nx = peek_non_space();
      if (nx.typ == Tok::kAssign || nx.typ == Tok::kDeclare) {
        pipe->is_assign = nx.typ == Tok::kAssign;
        next_non_space();
        pipe->decl.push_back(v.val);
        vars_.push_back(v.val);
      } else if (nx.typ == Tok::kChar && nx.val == ",") {
        next_non_space();
        pipe->decl.push_back(v.val);
        vars_.push_back(v.val);
        if (context == "range" && pipe->decl.size() < 2) {
          Tok t = peek_non_space().typ;
          if (t == Tok::kVariable || t == Tok::kRightDelim || t == Tok::kRightParen) continue;
          errorf("range can only initialize variables");
        }
        errorf("too many declarations in " + context);
      } else if (token_after.typ == Tok::kSpace) {
        idx_ = after_var - 1;
      } else {
        idx_ = after_var - 1;
      }
      break;
    }
    for (;;) {
      const Item& tok = next_non_space();
      if (tok.typ == end) {
        if (pipe->cmds.empty()) errorf("missing value for " + context);
        for (size_t i = 1; i < pipe->cmds.size(); ++i) {
          NodeType t = pipe->cmds[i]->args[0]->type;
          if (t == NodeType::kBool || t == NodeType::kDot || t == NodeType::kNil || t == NodeType::kNumber ||
              t == NodeType::kString)
            errorf("non executable command in pipeline stage " + std::to_string(i + 1));
        }
        return pipe;
      }
      switch (tok.typ) {
        case Tok::kBool: case Tok::kCharConstant: case Tok::kDot: case Tok::kField: case Tok::kIdentifier:
        case Tok::kNumber: case Tok::kNil: case Tok::kRawString: case Tok::kString: case Tok::kVariable:
        case Tok::kLeftParen:
          backup();
          pipe->cmds.push_back(command());
          break;
        default: unexpected(tok, context);
      }
    }
  }

  std::unique_ptr<CommandNode> command() {
    auto cmd = std::make_unique<CommandNode>(peek_non_space().pos);
    for (;;) {
      peek_non_space();
      if (NodePtr op = operand()) cmd->args.push_back(std::move(op));
      const Item& tok = next();
      if (tok.typ == Tok::kSpace) continue;
      if (tok.typ == Tok::kRightDelim || tok.typ == Tok::kRightParen) backup();
      else if (tok.typ != Tok::kPipe) unexpected(tok, "operand");
      break;
    }
    if (cmd->args.empty()) errorf("empty command");
    return cmd;
  }

  NodePtr operand() {
    NodePtr node = term();
    if (!node) return nullptr;
    if (peek().typ != Tok::kField) return node;
    size_t pos = peek().pos;
    std::vector<std::string> fields;
    while (peek().typ == Tok::kField) fields.push_back(next().val.substr(1));
    switch (node->type) {
      case NodeType::kField: {
        auto ident = static_cast<FieldNode*>(node.get())->ident;
        ident.insert(ident.end(), fields.begin(), fields.end());
        return std::make_unique<FieldNode>(pos, std::move(ident));
      }
      case NodeType::kVariable: {
        auto ident = static_cast<VariableNode*>(node.get())->ident;
        ident.insert(ident.end(), fields.begin(), fields.end());
        return std::make_unique<VariableNode>(pos, std::move(ident));
      }
      case NodeType::kBool: case NodeType::kString: case NodeType::kNumber: case NodeType::kNil:
      case NodeType::kDot:
        errorf("unexpected . after term " + machinery::gofmt::quote(node->str()));
      default: {
        auto chain = std::make_unique<ChainNode>(pos, std::move(node));
        chain->field = std::move(fields);
        return chain;
      }
    }
  }

  NodePtr term() {
    const Item& tok = next_non_space();
    switch (tok.typ) {
      case Tok::kIdentifier:
        if (!is_function(tok.val)) errorf("function " + machinery::gofmt::quote(tok.val) + " not defined");
        return std::make_unique<LeafNode>(NodeType::kIdentifier, tok.pos, tok.val);
      case Tok::kDot: return std::make_unique<LeafNode>(NodeType::kDot, tok.pos, ".");
      case Tok::kNil: return std::make_unique<LeafNode>(NodeType::kNil, tok.pos, "nil");
      case Tok::kVariable: {
        bool known = false;
        for (const auto& v : vars_) known = known || v == tok.val;
        if (!known) errorf("undefined variable " + machinery::gofmt::quote(tok.val));
        return std::make_unique<VariableNode>(tok.pos, std::vector<std::string>{tok.val});
      }
      case Tok::kField: return std::make_unique<FieldNode>(tok.pos, std::vector<std::string>{tok.val.substr(1)});
      case Tok::kBool: return std::make_unique<LeafNode>(NodeType::kBool, tok.pos, tok.val);
      case Tok::kCharConstant: case Tok::kNumber: return number(tok);
      case Tok::kLeftParen: return pipeline("parenthesized pipeline", Tok::kRightParen);
      case Tok::kString: case Tok::kRawString:
        return std::make_unique<LeafNode>(NodeType::kString, tok.pos, tok.val, unquote(tok.val));
      default: backup(); return nullptr;
    }
  }

  NodePtr number(const Item& tok) {
    if (tok.typ == Tok::kCharConstant) {
      std::string v = unquote("\"" + tok.val.substr(1, tok.val.size() - 2) + "\"");
      unsigned long r = v.empty() ? 0 : static_cast<unsigned char>(v[0]);
      return std::make_unique<LeafNode>(NodeType::kNumber, tok.pos, tok.val, std::to_string(r));
    }
    std::string t = tok.val;
    t.erase(std::remove(t.begin(), t.end(), '_'), t.end());
    try {
      size_t used = 0;
      if (t.find_first_of(".eE") != std::string::npos && t.find("0x") == std::string::npos &&
          t.find("0X") == std::string::npos) {
        (void)std::stod(t, &used);
      } else {
        (void)std::stoll(t, &used, 0);
      }
      if (used != t.size()) throw std::invalid_argument("");
    } catch (...) {
      errorf("illegal number syntax: " + machinery::gofmt::quote(tok.val));
    }
    return std::make_unique<LeafNode>(NodeType::kNumber, tok.pos, tok.val, t);
  }

  std::string name_;
  std::vector<Item> items_;
  size_t idx_ = 0, lexed_ = 0;
  int action_line_ = 0;
  int range_depth_ = 0;
  std::vector<std::string> vars_ = {"$"};
};

}  // namespace

std::string ListNode::str() const {
  std::string s;
  for (const auto& n : nodes) s += n->str();
  return s;
}
std::string TextNode::str() const { return machinery::gofmt::quote(text); }
std::string CommandNode::str() const {
  std::string s;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) s += ' ';
    if (args[i]->type == NodeType::kPipe) s += "(" + args[i]->str() + ")";
    else s += args[i]->str();
  }
  return s;
}
std::string PipeNode::str() const {
  std::string s;
  for (size_t i = 0; i < decl.size(); ++i) s += (i ? ", " : "") + decl[i];
  if (!decl.empty()) s += is_assign ? " = " : " := ";
  for (size_t i = 0; i < cmds.size(); ++i) s += (i ? " | " : "") + cmds[i]->str();
  return s;
}
std::string ActionNode::str() const { return "{{" + pipe->str() + "}}"; }
std::string BranchNode::str() const {
  const char* name = type == NodeType::kIf ? "if" : type == NodeType::kRange ? "range" : "with";
  std::string s = std::string("{{") + name + " " + pipe->str() + "}}" + list->str();
  if (else_list) s += "{{else}}" + else_list->str();
  return s + "{{end}}";
}
std::string FieldNode::str() const {
  std::string s;
  for (const auto& i : ident) s += "." + i;
  return s;
}
std::string VariableNode::str() const {
  std::string s;
  for (size_t i = 0; i < ident.size(); ++i) s += (i ? "." : "") + ident[i];
  return s;
}
std::string ChainNode::str() const {
  std::string s = node->type == NodeType::kPipe ? "(" + node->str() + ")" : node->str();
  for (const auto& f : field) s += "." + f;
  return s;
}
std::string LeafNode::str() const {
  switch (type) {
    case NodeType::kBreak: return "{{break}}";
    case NodeType::kContinue: return "{{continue}}";
    case NodeType::kEnd: return "{{end}}";
    case NodeType::kElse: return "{{else}}";
    case NodeType::kTemplate: return text;
    default: return text;
  }
}

std::unique_ptr<Tree> parse(const std::string& name, const std::string& text, std::string* error) {
  auto tree = std::make_unique<Tree>();
  tree->name = name;
  tree->text = text;
  try {
    Parser p(name, Lexer(text).run());
    tree->root = p.parse();
  } catch (const ParseError& e) {
    if (error) *error = e.what();
    return nullptr;
  }
  return tree;
}

}  // namespace kapi::client::gotmpl
