#include "client/printers/jsonpath.h"

#include <algorithm>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <variant>
#include <vector>

#include "client/printers/go_json.h"
#include "pkg/machinery/go_format.h"

namespace kapi::client {

using Json = nlohmann::ordered_json;

namespace {

struct Slice {
  long long v[3] = {0, 0, 0};
  bool known[3] = {false, false, false};
  bool end_derived = false;  // [n] means [n:n+1]
};

struct Step;
using Path = std::vector<Step>;

struct Step {
  enum class Kind { kField, kWildcard, kRecursive, kSlice, kFilter, kLiteral };
  Kind kind = Kind::kField;
  std::vector<std::string> names;  // kField (several for ['a','b'])
  Slice slice;
  std::shared_ptr<Path> filter_left, filter_right;
  std::string filter_op;
  Json filter_value;
  bool filter_right_is_path = false;
  Json literal;
};

}  // namespace

struct JsonPath::Node {
  enum class Kind { kText, kAction, kRange, kRoot } kind = Kind::kRoot;
  std::string text;
  Path path;
  std::vector<std::unique_ptr<Node>> children;
};

namespace {

// Go's strconv.Unquote for a double-quoted literal.
bool unquote(const std::string& q, std::string& out) {
  if (q.size() < 2 || q.front() != '"' || q.back() != '"') return false;
  out.clear();
  for (size_t i = 1; i + 1 < q.size(); ++i) {
    char c = q[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i + 1 > q.size() - 1) return false;
    switch (q[i]) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case '\'': out += '\''; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      default: return false;
    }
  }
  return true;
}

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '/' ||
         static_cast<unsigned char>(c) >= 0x80;
}

class Parser {
 public:
  explicit Parser(std::string s) : s_(std::move(s)) {}

  bool parse_path(Path& out, std::string* error) {
    if (i_ < s_.size() && (s_[i_] == '$' || s_[i_] == '@')) ++i_;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == ')' || c == '=' || c == '!' || c == '<' || c == '>') break;
      if (c == '.') {
        if (i_ + 1 < s_.size() && s_[i_ + 1] == '.') {
          Step r;
          r.kind = Step::Kind::kRecursive;
          out.push_back(r);
          i_ += 1;  // the second '.' starts the next field
          continue;
        }
        ++i_;
        if (i_ < s_.size() && s_[i_] == '*') {
          ++i_;
          Step w;
          w.kind = Step::Kind::kWildcard;
          out.push_back(w);
          continue;
        }
        size_t start = i_;
        std::string name;  // a backslash escapes the next character ("kubectl\\.kubernetes\\.io")
        while (i_ < s_.size() && (is_ident_char(s_[i_]) || (s_[i_] == '\\' && i_ + 1 < s_.size()))) {
          if (s_[i_] == '\\') ++i_;
          name += s_[i_++];
        }
        if (i_ == start) {
          if (i_ >= s_.size() || s_[i_] == '[') continue;  // ".[" or trailing "."
          *error = "unrecognized character in action: " + std::string(1, s_[i_]);
          return false;
        }
        Step f;
        f.names.push_back(name);
        out.push_back(f);
        continue;
      }
      if (c == '[') {
        if (!parse_bracket(out, error)) return false;
        continue;
      }
      *error = std::string("unrecognized character in action: U+") + hex4(c) + " '" + c + "'";
      return false;
    }
    return true;
  }

  size_t pos() const { return i_; }

 private:
  static std::string hex4(char c) {
    static const char* h = "0123456789ABCDEF";
    unsigned char u = c;
    return std::string("00") + h[u >> 4] + h[u & 15];
  }

  bool parse_bracket(Path& out, std::string* error) {
    // Find the matching ']' outside quotes and parentheses.
    size_t j = i_ + 1;
    int depth = 0;
    char quote = 0;
    for (; j < s_.size(); ++j) {
      char c = s_[j];
      if (quote) {
        if (c == '\\') ++j;
        else if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        --depth;
      } else if (c == ']' && depth == 0) {
        break;
      }
    }
    if (j >= s_.size()) {
      *error = "unterminated array";
      return false;
    }
    std::string inner = s_.substr(i_ + 1, j - i_ - 1);
    i_ = j + 1;
    if (!inner.empty() && inner[0] == '?') return parse_filter(inner, out, error);
    if (inner == "*") {
      Step st;
      st.kind = Step::Kind::kSlice;
      out.push_back(st);
      return true;
    }
    if (!inner.empty() && (inner[0] == '\'' || inner[0] == '"')) {
      Step f;
      size_t k = 0;
      while (k < inner.size()) {
        char q = inner[k];
        size_t e = inner.find(q, k + 1);
        if (e == std::string::npos) {
          *error = "unterminated quoted string";
          return false;
        }
        f.names.push_back(inner.substr(k + 1, e - k - 1));
        k = e + 1;
        while (k < inner.size() && (inner[k] == ',' || inner[k] == ' ')) ++k;
        if (k < inner.size() && inner[k] != '\'' && inner[k] != '"') break;
      }
      out.push_back(f);
      return true;
    }
    Step st;
    st.kind = Step::Kind::kSlice;
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t k = 0; k <= inner.size(); ++k) {
      if (k == inner.size() || inner[k] == ':') {
        parts.push_back(inner.substr(start, k - start));
        start = k + 1;
      }
    }
    if (parts.size() > 3) {
      *error = "invalid array index " + inner;
      return false;
    }
    for (size_t k = 0; k < parts.size(); ++k) {
      std::string p = parts[k];
      p.erase(std::remove(p.begin(), p.end(), ' '), p.end());
      if (p.empty()) continue;
      char* end = nullptr;
      long long v = std::strtoll(p.c_str(), &end, 10);
      if (*end) {
        *error = "invalid array index " + p;
        return false;
      }
      st.slice.v[k] = v;
      st.slice.known[k] = true;
    }
    if (parts.size() == 1) {
      // [n] is [n:n+1]
      st.slice.v[1] = st.slice.v[0] + 1;
      st.slice.known[1] = true;
      st.slice.end_derived = true;
    }
    out.push_back(st);
    return true;
  }

  bool parse_filter(const std::string& inner, Path& out, std::string* error) {
    // ?(<left> [op <right>])
    if (inner.size() < 3 || inner[1] != '(' || inner.back() != ')') {
      *error = "unrecognized filter " + inner;
      return false;
    }
    std::string body = inner.substr(2, inner.size() - 3);
    Step st;
    st.kind = Step::Kind::kFilter;
    st.filter_left = std::make_shared<Path>();
    Parser left(body);
    if (!left.parse_path(*st.filter_left, error)) return false;
    size_t k = left.pos();
    while (k < body.size() && body[k] == ' ') ++k;
    if (k < body.size()) {
      size_t op_start = k;
      while (k < body.size() && std::string("=!<>").find(body[k]) != std::string::npos) ++k;
      st.filter_op = body.substr(op_start, k - op_start);
      while (k < body.size() && body[k] == ' ') ++k;
      std::string right = body.substr(k);
      while (!right.empty() && right.back() == ' ') right.pop_back();
      if (!right.empty() && (right[0] == '@' || right[0] == '$')) {
        st.filter_right_is_path = true;
        st.filter_right = std::make_shared<Path>();
        Parser rp(right);
        if (!rp.parse_path(*st.filter_right, error)) return false;
      } else if (!right.empty() && (right[0] == '"' || right[0] == '\'')) {
        st.filter_value = right.substr(1, right.size() - 2);
      } else {
        auto num = Json::parse(right, nullptr, false);
        if (num.is_discarded()) {
          *error = "unrecognized filter value " + right;
          return false;
        }
        st.filter_value = num;
      }
    }
    out.push_back(st);
    return true;
  }

  std::string s_;
  size_t i_ = 0;
};

using Values = std::vector<const Json*>;

struct Evaluator {
  bool allow_missing;
  std::deque<Json>& temps;

  bool eval(const Path& path, const Values& input, Values& out, std::string* error) {
    Values cur = input;
    for (const auto& st : path) {
      Values next;
      if (!step(st, cur, next, error)) return false;
      cur = std::move(next);
    }
    out = std::move(cur);
    return true;
  }

  static void sorted_children(const Json& v, Values& out) {
    std::vector<std::pair<const std::string*, const Json*>> items;
    for (auto it = v.begin(); it != v.end(); ++it) items.emplace_back(&it.key(), &it.value());
    std::sort(items.begin(), items.end(), [](auto& a, auto& b) { return *a.first < *b.first; });
    for (auto& [k, c] : items) out.push_back(c);
  }

  void recursive(const Json* v, Values& out) {
    out.push_back(v);
    if (v->is_object()) {
      Values kids;
      sorted_children(*v, kids);
      for (const auto* k : kids) recursive(k, out);
    } else if (v->is_array()) {
      for (const auto& e : *v) recursive(&e, out);
    }
  }

  bool step(const Step& st, const Values& in, Values& out, std::string* error) {
    switch (st.kind) {
      case Step::Kind::kField: {
        if (in.empty()) return true;
        for (const auto* v : in) {
          if (!v->is_object()) continue;
          for (const auto& n : st.names) {
            auto it = v->find(n);
            if (it != v->end()) out.push_back(&*it);
          }
        }
        if (out.empty() && !allow_missing) {
          *error = st.names.empty() ? "is not found" : st.names[0] + " is not found";
          return false;
        }
        return true;
      }
      case Step::Kind::kWildcard:
        for (const auto* v : in) {
          if (v->is_object()) sorted_children(*v, out);
          else if (v->is_array())
            for (const auto& e : *v) out.push_back(&e);
        }
        return true;
      case Step::Kind::kRecursive:
        for (const auto* v : in) recursive(v, out);
        return true;
      case Step::Kind::kSlice:
        for (const auto* v : in) {
          if (v->is_null()) continue;
          if (!v->is_array()) {
            *error = std::string(v->is_object() ? "map[string]interface {}" : "interface {}") +
                     " is not array or slice";
            return false;
          }
          long long len = static_cast<long long>(v->size());
          long long a = st.slice.known[0] ? st.slice.v[0] : 0;
          long long b = st.slice.known[1] ? st.slice.v[1] : len;
          if (a < 0) a += len;
          if (b < 0 || (b == 0 && st.slice.end_derived)) b += len;
          if (st.slice.end_derived && st.slice.known[0] && st.slice.v[0] < 0) b = a + 1;
          if (a == b) continue;
          if (a >= len || a < 0) {
            *error = "array index out of bounds: index " + std::to_string(a) + ", length " + std::to_string(len);
            return false;
          }
          if (b > len || b < 0) {
            *error = "array index out of bounds: index " + std::to_string(b - 1) + ", length " + std::to_string(len);
            return false;
          }
          if (a > b) {
            *error = "starting index " + std::to_string(a) + " is greater than ending index " + std::to_string(b);
            return false;
          }
          long long stepv = st.slice.known[2] ? st.slice.v[2] : 1;
          if (stepv <= 0) {
            *error = "step must be > 0";
            return false;
          }
          for (long long i = a; i < b; i += stepv) out.push_back(&(*v)[static_cast<size_t>(i)]);
        }
        return true;
      case Step::Kind::kFilter:
        for (const auto* v : in) {
          Values items;
          if (v->is_array()) for (const auto& e : *v) items.push_back(&e);
          else if (v->is_object()) items.push_back(v);
          for (const auto* item : items) {
            Values left;
            std::string err;
            Evaluator sub{true, temps};
            if (!sub.eval(*st.filter_left, {item}, left, &err)) continue;
            if (st.filter_op.empty()) {
              if (!left.empty()) out.push_back(item);
              continue;
            }
            Values rights;
            if (st.filter_right_is_path) {
              if (!sub.eval(*st.filter_right, {item}, rights, &err)) continue;
            } else {
              rights.push_back(&st.filter_value);
            }
            if (left.empty() || rights.empty()) continue;
            if (compare(*left[0], *rights[0], st.filter_op)) out.push_back(item);
          }
        }
        return true;
      case Step::Kind::kLiteral:
        out.push_back(&st.literal);
        return true;
    }
    return true;
  }

  static bool compare(const Json& a, const Json& b, const std::string& op) {
    if (a.is_number() && b.is_number()) {
      double x = a.get<double>(), y = b.get<double>();
      if (op == "==") return x == y;
      if (op == "!=") return x != y;
      if (op == "<") return x < y;
      if (op == "<=") return x <= y;
      if (op == ">") return x > y;
      if (op == ">=") return x >= y;
      return false;
    }
    if (op == "==") return a == b;
    if (op == "!=") return a != b;
    if (a.is_string() && b.is_string()) {
      const auto& x = a.get_ref<const std::string&>();
      const auto& y = b.get_ref<const std::string&>();
      if (op == "<") return x < y;
      if (op == "<=") return x <= y;
      if (op == ">") return x > y;
      if (op == ">=") return x >= y;
    }
    return false;
  }
};

std::string value_text(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object:
    case Json::value_t::array: return to_go_json(v);
    case Json::value_t::string: return v.get<std::string>();
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer: return std::to_string(v.get<int64_t>());
    case Json::value_t::number_unsigned: return std::to_string(v.get<uint64_t>());
    case Json::value_t::number_float: return machinery::gofmt::format_float_v(v.get<double>());
    default: return "";
  }
}

bool run(const JsonPath::Node& node, const Json& data, bool allow_missing, std::deque<Json>& temps,
         std::string& out, std::string* error) {
  for (const auto& child : node.children) {
    switch (child->kind) {
      case JsonPath::Node::Kind::kText:
        out += child->text;
        break;
      case JsonPath::Node::Kind::kAction: {
        Evaluator ev{allow_missing, temps};
        Values results;
        if (!ev.eval(child->path, {&data}, results, error)) return false;
        for (size_t i = 0; i < results.size(); ++i) {
          out += value_text(*results[i]);
          if (i + 1 != results.size()) out += ' ';
        }
        break;
      }
      case JsonPath::Node::Kind::kRange: {
        Evaluator ev{allow_missing, temps};
        Values results;
        if (!ev.eval(child->path, {&data}, results, error)) return false;
        for (const auto* item : results)
          if (!run(*child, *item, allow_missing, temps, out, error)) return false;
        break;
      }
      case JsonPath::Node::Kind::kRoot:
        break;
    }
  }
  return true;
}

}  // namespace

JsonPath::JsonPath() = default;
JsonPath::~JsonPath() = default;
JsonPath::JsonPath(JsonPath&&) noexcept = default;
JsonPath& JsonPath::operator=(JsonPath&&) noexcept = default;

bool JsonPath::parse(const std::string& text, std::string* error) {
  auto root = std::make_unique<Node>();
  std::vector<Node*> stack{root.get()};
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('{', i);
    if (open == std::string::npos) {
      auto t = std::make_unique<Node>();
      t->kind = Node::Kind::kText;
      t->text = text.substr(i);
      stack.back()->children.push_back(std::move(t));
      break;
    }
    if (open > i) {
      auto t = std::make_unique<Node>();
      t->kind = Node::Kind::kText;
      t->text = text.substr(i, open - i);
      stack.back()->children.push_back(std::move(t));
    }
    // The action ends at the first '}' outside quotes.
    size_t j = open + 1;
    char quote = 0;
    for (; j < text.size(); ++j) {
      char c = text[j];
      if (quote) {
        if (c == '\\') ++j;
        else if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '}') {
        break;
      }
    }
    if (j >= text.size()) {
      // Upstream's parser reads the action before it misses the '}', so its errors come first.
      Path ignored;
      Parser p(text.substr(open + 1));
      if (p.parse_path(ignored, error)) *error = "unclosed action";
      return false;
    }
    std::string action = text.substr(open + 1, j - open - 1);
    i = j + 1;
    // Trim spaces.
    size_t b = action.find_first_not_of(' ');
    size_t e = action.find_last_not_of(' ');
    action = b == std::string::npos ? "" : action.substr(b, e - b + 1);
    if (action == "end") {
      if (stack.size() == 1) {
        *error = "not in range, nothing to end";
        return false;
      }
      stack.pop_back();
      continue;
    }
    bool is_range = action.rfind("range", 0) == 0 && (action.size() == 5 || action[5] == ' ');
    if (is_range) action = action.substr(5);
    b = action.find_first_not_of(' ');
    action = b == std::string::npos ? "" : action.substr(b);
    auto node = std::make_unique<Node>();
    node->kind = is_range ? Node::Kind::kRange : Node::Kind::kAction;
    if (!action.empty() && (action[0] == '"' || action[0] == '\'')) {
      Step lit;
      lit.kind = Step::Kind::kLiteral;
      std::string s;
      // UnquoteExtend: a single-quoted literal reads like a double-quoted one.
      std::string quoted = action;
      if (quoted.size() >= 2 && quoted.front() == '\'' && quoted.back() == '\'')
        quoted = '"' + quoted.substr(1, quoted.size() - 2) + '"';
      if (!unquote(quoted, s)) {
        *error = "invalid syntax";
        return false;
      }
      lit.literal = s;
      node->path.push_back(lit);
    } else if (!action.empty()) {
      Parser p(action);
      if (!p.parse_path(node->path, error)) return false;
      if (p.pos() < action.size()) {
        *error = "unrecognized character in action: " + action.substr(p.pos(), 1);
        return false;
      }
    }
    Node* raw = node.get();
    stack.back()->children.push_back(std::move(node));
    if (is_range) stack.push_back(raw);
  }
  root_ = std::move(root);
  return true;
}

bool JsonPath::execute(const Json& data, std::string& out, std::string* error) const {
  if (!root_) {
    *error = "is an incomplete jsonpath template";
    return false;
  }
  std::deque<Json> temps;
  return run(*root_, data, allow_missing_, temps, out, error);
}

bool JsonPath::find_results(const Json& data, std::vector<Json>& values, std::string* error) const {
  if (!root_) {
    *error = "is an incomplete jsonpath template";
    return false;
  }
  std::deque<Json> temps;
  for (const auto& child : root_->children) {
    if (child->kind != Node::Kind::kAction) continue;
    Evaluator ev{allow_missing_, temps};
    Values results;
    if (!ev.eval(child->path, {&data}, results, error)) return false;
    for (const auto* r : results) values.push_back(*r);
  }
  return true;
}

bool JsonPath::find_result_groups(const Json& data, std::vector<std::vector<Json>>& groups,
                                  std::string* error) const {
  if (!root_) {
    *error = "is an incomplete jsonpath template";
    return false;
  }
  std::deque<Json> temps;
  for (const auto& child : root_->children) {
    if (child->kind == Node::Kind::kText) {
      groups.push_back({Json(child->text)});
      continue;
    }
    if (child->kind != Node::Kind::kAction) continue;
    Evaluator ev{allow_missing_, temps};
    Values results;
    if (!ev.eval(child->path, {&data}, results, error)) return false;
    groups.emplace_back();
    for (const auto* r : results) groups.back().push_back(*r);
  }
  return true;
}

std::string go_sharp_v(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object: {
      std::vector<std::pair<const std::string*, const Json*>> items;
      for (auto it = v.begin(); it != v.end(); ++it) items.emplace_back(&it.key(), &it.value());
      std::sort(items.begin(), items.end(), [](auto& a, auto& b) { return *a.first < *b.first; });
      std::string out = "map[string]interface {}{";
      for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += ", ";
        out += machinery::gofmt::quote(*items[i].first) + ":" + go_sharp_v(*items[i].second);
      }
      return out + "}";
    }
    case Json::value_t::array: {
      std::string out = "[]interface {}{";
      for (size_t i = 0; i < v.size(); ++i) {
        if (i) out += ", ";
        out += go_sharp_v(v[i]);
      }
      return out + "}";
    }
    case Json::value_t::string: return machinery::gofmt::quote(v.get<std::string>());  // %#v is %q, no HTML escaping
    case Json::value_t::null: return "interface {}(nil)";
    case Json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer: return std::to_string(v.get<int64_t>());
    case Json::value_t::number_unsigned: return std::to_string(v.get<uint64_t>());
    case Json::value_t::number_float: return machinery::gofmt::format_float_v(v.get<double>());
    default: return "";
  }
}

}  // namespace kapi::client
