#include "pkg/machinery/labels.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "pkg/machinery/field_error.h"
#include "pkg/machinery/go_format.h"
#include "pkg/machinery/go_strconv.h"
#include "pkg/machinery/names.h"

namespace kapi::machinery {

namespace {

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

std::string json_string_array(const std::vector<std::string>& vals, bool null_when_empty) {
  if (vals.empty() && null_when_empty) return "null";
  return nlohmann::ordered_json(vals).dump();
}

std::optional<std::string> lookup(const Labels& labels, std::string_view key) {
  for (const auto& [k, v] : labels) {
    if (k == key) return v;
  }
  return std::nullopt;
}

// validateLabelKey: one field.Invalid with all messages joined by "; ".
std::optional<FieldError> validate_label_key(const std::string& key, const std::string& path) {
  auto errs = is_qualified_name(key);
  if (errs.empty()) return std::nullopt;
  return FieldError::invalid(path, key, join(errs, "; "));
}

// ---- lexer/parser, token for token as upstream so error texts line up ----

enum class Token {
  Error,
  EndOfString,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
};

std::optional<Token> string_to_token(std::string_view s) {
  if (s == ")") return Token::ClosedPar;
  if (s == ",") return Token::Comma;
  if (s == "!") return Token::DoesNotExist;
  if (s == "==") return Token::DoubleEquals;
  if (s == "=") return Token::Equals;
  if (s == ">") return Token::GreaterThan;
  if (s == "in") return Token::In;
  if (s == "<") return Token::LessThan;
  if (s == "!=") return Token::NotEquals;
  if (s == "notin") return Token::NotIn;
  if (s == "(") return Token::OpenPar;
  return std::nullopt;
}

bool is_whitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_special(char c) {
  switch (c) {
    case '=': case '!': case '(': case ')': case ',': case '>': case '<': return true;
    default: return false;
  }
}

struct Item {
  Token tok;
  std::string lit;
};

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Item lex() {
    char ch = read();
    while (is_whitespace(ch)) ch = read();
    if (ch == 0) return {Token::EndOfString, ""};
    unread();
    return is_special(ch) ? scan_special() : scan_id_or_keyword();
  }

 private:
  // A NUL byte ends input, as upstream's read() returns 0 at the end.
  char read() { return pos_ < s_.size() ? s_[pos_++] : '\0'; }
  void unread() { --pos_; }

  Item scan_id_or_keyword() {
    std::string buf;
    while (true) {
      char ch = read();
      if (ch == 0) break;
      if (is_special(ch) || is_whitespace(ch)) {
        unread();
        break;
      }
      buf += ch;
    }
    if (auto t = string_to_token(buf)) return {*t, buf};
    return {Token::Identifier, buf};
  }

  Item scan_special() {
    std::optional<Item> last;
    std::string buf;
    while (true) {
      char ch = read();
      if (ch == 0) break;
      if (!is_special(ch)) {
        unread();
        break;
      }
      buf += ch;
      if (auto t = string_to_token(buf)) {
        last = Item{*t, buf};
      } else if (last) {
        unread();
        break;
      }
    }
    if (!last) return {Token::Error, "error expected: keyword found '" + buf + "'"};
    return *last;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

enum class Ctx { KeyAndOperator, Values };

struct ParseError {
  std::string msg;
};

class Parser {
 public:
  explicit Parser(std::string_view s) {
    Lexer l(s);
    while (true) {
      items_.push_back(l.lex());
      if (items_.back().tok == Token::EndOfString) break;
    }
  }

  Result<std::vector<LabelRequirement>> parse() {
    std::vector<LabelRequirement> reqs;
    while (true) {
      auto [tok, lit] = lookahead(Ctx::Values);
      switch (tok) {
        case Token::Identifier:
        case Token::DoesNotExist: {
          auto r = parse_requirement();
          if (!r.ok()) return Result<std::vector<LabelRequirement>>::failure("unable to parse requirement: " + r.error());
          reqs.push_back(std::move(*r));
          auto [t, l] = consume(Ctx::Values);
          if (t == Token::EndOfString) return reqs;
          if (t == Token::Comma) {
            auto [t2, l2] = lookahead(Ctx::Values);
            if (t2 != Token::Identifier && t2 != Token::DoesNotExist) {
              return Result<std::vector<LabelRequirement>>::failure("found '" + l2 + "', expected: identifier after ','");
            }
            break;
          }
          return Result<std::vector<LabelRequirement>>::failure("found '" + l + "', expected: ',' or 'end of string'");
        }
        case Token::EndOfString: return reqs;
        default:
          return Result<std::vector<LabelRequirement>>::failure("found '" + lit +
                                                                "', expected: !, identifier, or 'end of string'");
      }
    }
  }

 private:
  static Token in_context(Token t, Ctx ctx) {
    if (ctx == Ctx::Values && (t == Token::In || t == Token::NotIn)) return Token::Identifier;
    return t;
  }
  Item lookahead(Ctx ctx) const {
    const auto& it = items_[pos_];
    return {in_context(it.tok, ctx), it.lit};
  }
  Item consume(Ctx ctx) {
    const auto& it = items_[pos_++];
    return {in_context(it.tok, ctx), it.lit};
  }

  Result<LabelRequirement> parse_requirement() {
    // parseKeyAndInferOperator
    std::optional<LabelOperator> op;
    Item it = consume(Ctx::Values);
    if (it.tok == Token::DoesNotExist) {
      op = LabelOperator::DoesNotExist;
      it = consume(Ctx::Values);
    }
    if (it.tok != Token::Identifier) return Result<LabelRequirement>::failure("found '" + it.lit + "', expected: identifier");
    // A nil field path renders as "<nil>" upstream.
    if (auto err = validate_label_key(it.lit, "<nil>")) return Result<LabelRequirement>::failure(err->error());
    std::string key = it.lit;
    auto next = lookahead(Ctx::Values).tok;
    if ((next == Token::EndOfString || next == Token::Comma) && op != LabelOperator::DoesNotExist) {
      op = LabelOperator::Exists;
    }
    if (op == LabelOperator::Exists || op == LabelOperator::DoesNotExist) {
      return LabelRequirement::create(key, *op, {});
    }

    // parseOperator
    auto [otok, olit] = consume(Ctx::KeyAndOperator);
    LabelOperator oper;
    switch (otok) {
      case Token::In: oper = LabelOperator::In; break;
      case Token::Equals: oper = LabelOperator::Equals; break;
      case Token::DoubleEquals: oper = LabelOperator::DoubleEquals; break;
      case Token::GreaterThan: oper = LabelOperator::GreaterThan; break;
      case Token::LessThan: oper = LabelOperator::LessThan; break;
      case Token::NotIn: oper = LabelOperator::NotIn; break;
      case Token::NotEquals: oper = LabelOperator::NotEquals; break;
      default:
        return Result<LabelRequirement>::failure("found '" + olit + "', expected: in, notin, =, ==, !=, gt, lt");
    }

    std::set<std::string> values;
    if (oper == LabelOperator::In || oper == LabelOperator::NotIn) {
      if (auto err = parse_values(values)) return Result<LabelRequirement>::failure(err->msg);
    } else {
      if (auto err = parse_exact_value(values)) return Result<LabelRequirement>::failure(err->msg);
    }
    return LabelRequirement::create(key, oper, std::vector<std::string>(values.begin(), values.end()));
  }

  std::optional<ParseError> parse_values(std::set<std::string>& s) {
    Item open = consume(Ctx::Values);
    if (open.tok != Token::OpenPar) return ParseError{"found '" + open.lit + "' expected: '('"};
    auto [tok, lit] = lookahead(Ctx::Values);
    switch (tok) {
      case Token::Identifier:
      case Token::Comma: {
        if (auto err = parse_identifiers_list(s)) return err;
        if (consume(Ctx::Values).tok != Token::ClosedPar) return ParseError{"found '" + lit + "', expected: ')'"};
        return std::nullopt;
      }
      case Token::ClosedPar:
        consume(Ctx::Values);
        s.insert("");
        return std::nullopt;
      default: return ParseError{"found '" + lit + "', expected: ',', ')' or identifier"};
    }
  }

  std::optional<ParseError> parse_identifiers_list(std::set<std::string>& s) {
    while (true) {
      auto [tok, lit] = consume(Ctx::Values);
      switch (tok) {
        case Token::Identifier: {
          s.insert(lit);
          auto [tok2, lit2] = lookahead(Ctx::Values);
          if (tok2 == Token::Comma) continue;
          if (tok2 == Token::ClosedPar) return std::nullopt;
          return ParseError{"found '" + lit2 + "', expected: ',' or ')'"};
        }
        case Token::Comma: {  // "(," and ",," and ",)" stand for empty values
          if (s.empty()) s.insert("");
          auto tok2 = lookahead(Ctx::Values).tok;
          if (tok2 == Token::ClosedPar) {
            s.insert("");
            return std::nullopt;
          }
          if (tok2 == Token::Comma) s.insert("");
          break;
        }
        default: return ParseError{"found '" + lit + "', expected: ',', or identifier"};
      }
    }
  }

  std::optional<ParseError> parse_exact_value(std::set<std::string>& s) {
    auto tok = lookahead(Ctx::Values).tok;
    if (tok == Token::EndOfString || tok == Token::Comma) {
      s.insert("");
      return std::nullopt;
    }
    auto [t, lit] = consume(Ctx::Values);
    if (t == Token::Identifier) {
      s.insert(lit);
      return std::nullopt;
    }
    return ParseError{"found '" + lit + "', expected: identifier"};
  }

  std::vector<Item> items_;
  size_t pos_ = 0;
};

void sort_by_key(std::vector<LabelRequirement>& reqs) {
  std::stable_sort(reqs.begin(), reqs.end(),
                   [](const LabelRequirement& a, const LabelRequirement& b) { return a.key < b.key; });
}

}  // namespace

std::string_view label_operator_string(LabelOperator op) {
  switch (op) {
    case LabelOperator::DoesNotExist: return "!";
    case LabelOperator::Equals: return "=";
    case LabelOperator::DoubleEquals: return "==";
    case LabelOperator::In: return "in";
    case LabelOperator::NotEquals: return "!=";
    case LabelOperator::NotIn: return "notin";
    case LabelOperator::Exists: return "exists";
    case LabelOperator::GreaterThan: return "gt";
    case LabelOperator::LessThan: return "lt";
  }
  return "";
}

Result<LabelRequirement> LabelRequirement::create(std::string key, LabelOperator op, std::vector<std::string> values,
                                                  bool values_null) {
  std::vector<std::string> errs;
  if (auto err = validate_label_key(key, "key")) errs.push_back(err->error());
  auto bad_values = [&](const std::string& detail) {
    errs.push_back(FieldError{FieldError::Type::Invalid, "values", json_string_array(values, values_null), detail}.error());
  };
  switch (op) {
    case LabelOperator::In:
    case LabelOperator::NotIn:
      if (values.empty()) bad_values("for 'in', 'notin' operators, values set can't be empty");
      break;
    case LabelOperator::Equals:
    case LabelOperator::DoubleEquals:
    case LabelOperator::NotEquals:
      if (values.size() != 1) bad_values("exact-match compatibility requires one single value");
      break;
    case LabelOperator::Exists:
    case LabelOperator::DoesNotExist:
      if (!values.empty()) bad_values("values set must be empty for exists and does not exist");
      break;
    case LabelOperator::GreaterThan:
    case LabelOperator::LessThan:
      if (values.size() != 1) bad_values("for 'Gt', 'Lt' operators, exactly one value is required");
      for (size_t i = 0; i < values.size(); ++i) {
        if (!gofmt::parse_int64(values[i])) {
          errs.push_back(FieldError::invalid("values[" + std::to_string(i) + "]", values[i],
                                             "for 'Gt', 'Lt' operators, the value must be an integer")
                             .error());
        }
      }
      break;
  }
  for (size_t i = 0; i < values.size(); ++i) {
    auto msgs = is_valid_label_value(values[i]);
    if (!msgs.empty()) {
      errs.push_back(
          FieldError::invalid("values[" + std::to_string(i) + "][" + key + "]", values[i], join(msgs, "; ")).error());
    }
  }
  if (!errs.empty()) return Result<LabelRequirement>::failure(aggregate_errors(errs));
  return LabelRequirement{std::move(key), op, std::move(values)};
}

bool LabelRequirement::matches(const Labels& labels) const {
  auto has_value = [&](const std::string& v) { return std::find(values.begin(), values.end(), v) != values.end(); };
  auto val = lookup(labels, key);
  switch (op) {
    case LabelOperator::In:
    case LabelOperator::Equals:
    case LabelOperator::DoubleEquals: return val && has_value(*val);
    case LabelOperator::NotIn:
    case LabelOperator::NotEquals: return !val || !has_value(*val);
    case LabelOperator::Exists: return val.has_value();
    case LabelOperator::DoesNotExist: return !val.has_value();
    case LabelOperator::GreaterThan:
    case LabelOperator::LessThan: {
      if (!val || values.size() != 1) return false;
      auto lv = gofmt::parse_int64(*val);
      auto rv = gofmt::parse_int64(values[0]);
      if (!lv || !rv) return false;
      return op == LabelOperator::GreaterThan ? *lv > *rv : *lv < *rv;
    }
  }
  return false;
}

std::string LabelRequirement::to_string() const {
  std::string s;
  if (op == LabelOperator::DoesNotExist) s += "!";
  s += key;
  switch (op) {
    case LabelOperator::Equals: s += "="; break;
    case LabelOperator::DoubleEquals: s += "=="; break;
    case LabelOperator::NotEquals: s += "!="; break;
    case LabelOperator::In: s += " in "; break;
    case LabelOperator::NotIn: s += " notin "; break;
    case LabelOperator::GreaterThan: s += ">"; break;
    case LabelOperator::LessThan: s += "<"; break;
    case LabelOperator::Exists:
    case LabelOperator::DoesNotExist: return s;
  }
  bool paren = op == LabelOperator::In || op == LabelOperator::NotIn;
  if (paren) s += "(";
  if (values.size() == 1) {
    s += values[0];
  } else {
    auto sorted = values;
    std::sort(sorted.begin(), sorted.end());
    s += join(sorted, ",");
  }
  if (paren) s += ")";
  return s;
}

LabelSelector LabelSelector::nothing() {
  LabelSelector s;
  s.nothing_ = true;
  return s;
}

LabelSelector LabelSelector::from_set(const Labels& set) {
  LabelSelector s;
  for (const auto& [k, v] : set) s.requirements_.push_back({k, LabelOperator::Equals, {v}});
  sort_by_key(s.requirements_);
  return s;
}

bool LabelSelector::matches(const Labels& labels) const {
  if (nothing_) return false;
  return std::all_of(requirements_.begin(), requirements_.end(),
                     [&](const LabelRequirement& r) { return r.matches(labels); });
}

bool LabelSelector::matches_json(const nlohmann::ordered_json& labels) const { return matches(labels_from_json(labels)); }

std::string LabelSelector::to_string() const {
  std::vector<std::string> parts;
  for (const auto& r : requirements_) parts.push_back(r.to_string());
  return join(parts, ",");
}

std::optional<std::string> LabelSelector::requires_exact_match(std::string_view key) const {
  for (const auto& r : requirements_) {
    if (r.key != key) continue;
    bool exact = r.op == LabelOperator::Equals || r.op == LabelOperator::DoubleEquals || r.op == LabelOperator::In;
    if (exact && r.values.size() == 1) return r.values[0];
    return std::nullopt;
  }
  return std::nullopt;
}

LabelSelector LabelSelector::add(std::vector<LabelRequirement> reqs) const {
  if (nothing_) return *this;
  LabelSelector s = *this;
  for (auto& r : reqs) s.requirements_.push_back(std::move(r));
  sort_by_key(s.requirements_);
  return s;
}

Result<LabelSelector> parse_label_selector(std::string_view selector) {
  auto reqs = Parser(selector).parse();
  if (!reqs.ok()) return Result<LabelSelector>::failure(reqs.error());
  return LabelSelector().add(std::move(*reqs));
}

Result<LabelSelector> label_selector_from_json(const nlohmann::ordered_json& selector) {
  using R = Result<LabelSelector>;
  if (selector.is_null()) return LabelSelector::nothing();
  if (!selector.is_object()) return R::failure("invalid label selector: expected an object");
  const auto* match_labels = selector.contains("matchLabels") ? &selector.at("matchLabels") : nullptr;
  const auto* exprs = selector.contains("matchExpressions") ? &selector.at("matchExpressions") : nullptr;
  if (match_labels && match_labels->is_null()) match_labels = nullptr;
  if (exprs && exprs->is_null()) exprs = nullptr;
  if (match_labels && !match_labels->is_object()) return R::failure("invalid label selector: matchLabels must be an object");
  if (exprs && !exprs->is_array()) return R::failure("invalid label selector: matchExpressions must be an array");
  if ((match_labels ? match_labels->size() : 0) + (exprs ? exprs->size() : 0) == 0) return LabelSelector::everything();

  std::vector<LabelRequirement> reqs;
  if (match_labels) {
    // Go iterates the map in random order; sort keys for deterministic first-error reporting.
    std::vector<std::string> keys;
    for (const auto& [k, _] : match_labels->items()) keys.push_back(k);
    std::sort(keys.begin(), keys.end());
    for (const auto& k : keys) {
      const auto& v = match_labels->at(k);
      if (!v.is_string()) return R::failure("invalid label selector: matchLabels values must be strings");
      auto r = LabelRequirement::create(k, LabelOperator::Equals, {v.get<std::string>()});
      if (!r.ok()) return R::failure(r.error());
      reqs.push_back(std::move(*r));
    }
  }
  if (exprs) {
    for (const auto& e : *exprs) {
      if (!e.is_object()) return R::failure("invalid label selector: matchExpressions items must be objects");
      std::string op_str = e.contains("operator") && e["operator"].is_string() ? e["operator"].get<std::string>() : "";
      LabelOperator op;
      if (op_str == "In") {
        op = LabelOperator::In;
      } else if (op_str == "NotIn") {
        op = LabelOperator::NotIn;
      } else if (op_str == "Exists") {
        op = LabelOperator::Exists;
      } else if (op_str == "DoesNotExist") {
        op = LabelOperator::DoesNotExist;
      } else {
        return R::failure(gofmt::quote(op_str) + " is not a valid label selector operator");
      }
      std::string key = e.contains("key") && e["key"].is_string() ? e["key"].get<std::string>() : "";
      std::vector<std::string> values;
      if (e.contains("values") && e["values"].is_array()) {
        for (const auto& v : e["values"]) {
          if (!v.is_string()) return R::failure("invalid label selector: values must be strings");
          values.push_back(v.get<std::string>());
        }
      }
      auto r = LabelRequirement::create(key, op, values, /*values_null=*/values.empty());
      if (!r.ok()) return R::failure(r.error());
      reqs.push_back(std::move(*r));
    }
  }
  return LabelSelector().add(std::move(reqs));
}

Labels labels_from_json(const nlohmann::ordered_json& labels) {
  Labels out;
  if (!labels.is_object()) return out;
  for (const auto& [k, v] : labels.items()) {
    if (v.is_string()) out.emplace_back(k, v.get<std::string>());
  }
  return out;
}

}  // namespace kapi::machinery
