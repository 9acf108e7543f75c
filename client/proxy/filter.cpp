#include "client/proxy/filter.h"

namespace kapi::client::proxy {
namespace {

// The syntax errors of Go's regexp/syntax that kubectl users meet most, in its words (std::regex
// words them differently).
std::optional<std::string> go_syntax_error(const std::string& re) {
  auto err = [](const std::string& what, const std::string& text) { return what + ": `" + text + "`"; };
  int depth = 0;
  bool atom = false;       // something a repetition operator can apply to precedes
  std::string last_op;     // the repetition operator just seen ("" if none)
  for (size_t i = 0; i < re.size(); ++i) {
    char c = re[i];
    if (c == '\\') {
      if (i + 1 < re.size() && re[i + 1] >= '1' && re[i + 1] <= '9') return err("invalid escape sequence", re.substr(i, 2));
      ++i;
      atom = true;
      last_op.clear();
    } else if (c == '[') {
      size_t j = i + 1;
      if (j < re.size() && re[j] == '^') ++j;
      if (j < re.size() && re[j] == ']') ++j;
      while (j < re.size() && re[j] != ']') j += re[j] == '\\' ? 2 : 1;
      if (j >= re.size()) return err("missing closing ]", re.substr(i));
      i = j;
      atom = true;
      last_op.clear();
    } else if (c == '(') {
      if (i + 1 < re.size() && re[i + 1] == '?') ++i;  // a group's flags or name: (?:, (?i), (?P<n>
      ++depth;
      atom = false;
      last_op.clear();
    } else if (c == ')') {
      if (depth == 0) return err("unexpected )", re);
      --depth;
      atom = true;
      last_op.clear();
    } else if (c == '*' || c == '+' || c == '?') {
      if (!last_op.empty()) {
        if (c == '?' && last_op.size() == 1) {  // a lazy operator
          last_op += c;
          continue;
        }
        return err("invalid nested repetition operator", last_op + c);
      }
      if (!atom) return err("missing argument to repetition operator", std::string(1, c));
      last_op = std::string(1, c);
    } else if (c == '|') {
      atom = false;
      last_op.clear();
    } else {
      atom = true;
      last_op.clear();
    }
  }
  if (depth > 0) return err("missing closing )", re);
  return std::nullopt;
}

}  // namespace

std::optional<RegexpList> RegexpList::parse(const std::string& list, std::string* error) {
  RegexpList out;
  if (list.empty()) return out;
  size_t start = 0;
  for (;;) {
    size_t comma = list.find(',', start);
    std::string part = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (auto e = go_syntax_error(part)) {
      *error = "error parsing regexp: " + *e;
      return std::nullopt;
    }
    auto flags = std::regex::ECMAScript;
    // RE2's case-insensitive flag group, which ECMAScript lacks.
    if (part.rfind("(?i)", 0) == 0) {
      part.erase(0, 4);
      flags |= std::regex::icase;
    }
    try {
      out.res_.emplace_back(part, flags);
    } catch (const std::regex_error& e) {
      *error = "error parsing regexp: " + std::string(e.what()) + ": `" + part + "`";
      return std::nullopt;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool RegexpList::matches(const std::string& text) const {
  for (const auto& re : res_)
    if (std::regex_search(text, re)) return true;
  return false;
}

bool Filter::accept(const std::string& method, const std::string& path, const std::string& host) const {
  if (reject_paths.matches(path) || reject_methods.matches(method)) return false;
  return accept_paths.matches(path) && accept_hosts.matches(host);
}

std::string extract_host(const std::string& h) {
  // net.SplitHostPort: "host:port" or "[host]:port"; anything else is an error.
  size_t colon = h.rfind(':');
  if (colon == std::string::npos) return h;
  if (!h.empty() && h[0] == '[') {
    size_t close = h.find(']');
    if (close == std::string::npos || close + 1 != colon) return h;
    std::string host = h.substr(1, close - 1);
    return host;
  }
  std::string host = h.substr(0, colon);
  if (host.find(':') != std::string::npos) return h;  // too many colons
  return host;
}

}  // namespace kapi::client::proxy
