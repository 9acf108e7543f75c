#include "pkg/machinery/fields.h"

#include <algorithm>

namespace kapi::machinery {

namespace {

// splitTerms: split on unescaped commas.
std::vector<std::string> split_terms(std::string_view s) {
  std::vector<std::string> terms;
  if (s.empty()) return terms;
  size_t start = 0;
  bool in_slash = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_slash) {
      in_slash = false;
    } else if (c == '\\') {
      in_slash = true;
    } else if (c == ',') {
      terms.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  terms.emplace_back(s.substr(start));
  return terms;
}

struct SplitTerm {
  std::string lhs, op, rhs;
};

// splitTerm: the first operator wins, trying "!=", "==", "=" at each position.
std::optional<SplitTerm> split_term(std::string_view term) {
  for (size_t i = 0; i < term.size(); ++i) {
    for (std::string_view op : {"!=", "==", "="}) {
      if (term.substr(i, op.size()) == op) {
        return SplitTerm{std::string(term.substr(0, i)), std::string(op), std::string(term.substr(i + op.size()))};
      }
    }
  }
  return std::nullopt;
}

size_t utf8_seq_len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xE) return 3;
  if ((c >> 3) == 0x1E) return 4;
  return 1;
}

}  // namespace

std::string escape_field_value(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == ',' || c == '=') out += '\\';
    out += c;
  }
  return out;
}

Result<std::string> unescape_field_value(std::string_view s) {
  if (s.find_first_of("\\,=") == std::string_view::npos) return std::string(s);
  std::string out;
  bool in_slash = false;
  for (size_t i = 0; i < s.size();) {
    size_t n = std::min(utf8_seq_len(static_cast<unsigned char>(s[i])), s.size() - i);
    std::string_view ch = s.substr(i, n);
    i += n;
    if (in_slash) {
      if (ch == "\\" || ch == "," || ch == "=") {
        out += ch;
      } else {
        return Result<std::string>::failure("invalid field selector: invalid escape sequence: \\" + std::string(ch));
      }
      in_slash = false;
      continue;
    }
    if (ch == "\\") {
      in_slash = true;
    } else if (ch == "," || ch == "=") {
      // Upstream prints the rune with %v, i.e. as its code point number.
      return Result<std::string>::failure("invalid field selector: unescaped character in value: " +
                                          std::to_string(static_cast<int>(ch[0])));
    } else {
      out += ch;
    }
  }
  if (in_slash) return Result<std::string>::failure("invalid field selector: invalid escape sequence: \\");
  return out;
}

FieldSelector FieldSelector::nothing() {
  FieldSelector s;
  s.nothing_ = true;
  return s;
}

FieldSelector FieldSelector::one_term_equal(std::string field, std::string value) {
  FieldSelector s;
  s.terms_.push_back({std::move(field), FieldOperator::Equals, std::move(value)});
  return s;
}

FieldSelector FieldSelector::from_requirements(std::vector<FieldRequirement> reqs) {
  FieldSelector s;
  s.terms_ = std::move(reqs);
  return s;
}

FieldSelector FieldSelector::from_set(const Fields& set) {
  FieldSelector s;
  for (const auto& [f, v] : set) s.terms_.push_back({f, FieldOperator::Equals, v});
  return s;
}

bool FieldSelector::matches(const Fields& fields) const {
  if (nothing_) return false;
  for (const auto& t : terms_) {
    std::string actual;
    for (const auto& [f, v] : fields) {
      if (f == t.field) {
        actual = v;
        break;
      }
    }
    if ((actual == t.value) != (t.op == FieldOperator::Equals)) return false;
  }
  return true;
}

std::string FieldSelector::to_string() const {
  std::string out;
  for (size_t i = 0; i < terms_.size(); ++i) {
    if (i > 0) out += ',';
    out += terms_[i].field + (terms_[i].op == FieldOperator::Equals ? "=" : "!=") + escape_field_value(terms_[i].value);
  }
  return out;
}

std::optional<std::string> FieldSelector::requires_exact_match(std::string_view field) const {
  for (const auto& t : terms_) {
    if (t.op == FieldOperator::Equals && t.field == field) return t.value;
  }
  return std::nullopt;
}

Result<FieldSelector> FieldSelector::transform(const TransformFn& fn) const {
  if (nothing_) return *this;
  FieldSelector out;
  for (const auto& t : terms_) {
    auto r = fn(t.field, t.value);
    if (!r.ok()) return Result<FieldSelector>::failure(r.error());
    if (r->first.empty() && r->second.empty()) continue;
    out.terms_.push_back({r->first, t.op, r->second});
  }
  return out;
}

Result<FieldSelector> parse_field_selector(std::string_view selector) {
  auto parts = split_terms(selector);
  std::sort(parts.begin(), parts.end());
  std::vector<FieldRequirement> terms;
  for (const auto& part : parts) {
    if (part.empty()) continue;
    auto st = split_term(part);
    if (!st) {
      return Result<FieldSelector>::failure("invalid selector: '" + std::string(selector) + "'; can't understand '" +
                                            part + "'");
    }
    auto value = unescape_field_value(st->rhs);
    if (!value.ok()) return Result<FieldSelector>::failure(value.error());
    terms.push_back({st->lhs, st->op == "!=" ? FieldOperator::NotEquals : FieldOperator::Equals, *value});
  }
  // The identity Transform upstream applies drops terms with empty field and value ("=").
  std::vector<FieldRequirement> kept;
  for (auto& t : terms) {
    if (!(t.field.empty() && t.value.empty())) kept.push_back(std::move(t));
  }
  return FieldSelector::from_requirements(std::move(kept));
}

}  // namespace kapi::machinery
