#include "server/registry/selectable_view.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace kapi::server {
namespace {

using Json = nlohmann::ordered_json;

// SAX handler: keeps a value when its path is `k1` or `k1.k2` (objects only, no arrays) or
// `metadata.labels.k`; everything else is only lexed.
class ViewBuilder : public nlohmann::json_sax<Json> {
 public:
  Json root = Json::object();

  bool null() override { return keep(Json()); }
  bool boolean(bool v) override { return keep(Json(v)); }
  bool number_integer(number_integer_t v) override { return keep(Json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return keep(Json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return keep(Json(v)); }
  bool string(string_t& v) override { return keep(Json(std::move(v))); }
  bool binary(binary_t&) override { return true; }

  bool start_object(std::size_t) override {
    // Depth 1 (the root's children) and 2 may hold kept scalars; labels too.
    if (frames_.empty()) {
      frames_.push_back({&root, false});
    } else if (Json* parent = frames_.back().target; parent && !frames_.back().array &&
               (frames_.size() == 1 || (frames_.size() == 2 && in_labels_parent()))) {
      Json& child = (*parent)[key_];
      child = Json::object();
      frames_.push_back({&child, false});
    } else {
      frames_.push_back({nullptr, false});
    }
    names_.push_back(key_);
    return true;
  }
  bool end_object() override {
    frames_.pop_back();
    names_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    frames_.push_back({nullptr, true});
    names_.push_back(key_);
    return true;
  }
  bool end_array() override {
    frames_.pop_back();
    names_.pop_back();
    return true;
  }
  bool key(string_t& k) override {
    key_ = k;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    root = Json::object();
    return false;
  }

 private:
  struct Frame {
    Json* target;  // where kept values go; null: skipped
    bool array;
  };

  // Inside the object at depth 1 named "metadata", about to open "labels".
  bool in_labels_parent() const { return names_.size() == 2 && names_[1] == "metadata" && key_ == "labels"; }

  bool keep(Json v) {
    if (frames_.empty()) return true;
    const Frame& f = frames_.back();
    if (f.target && !f.array) (*f.target)[key_] = std::move(v);
    return true;
  }

  std::vector<Frame> frames_;
  std::vector<std::string> names_;  // key under which each open container was opened
  std::string key_;
};


// The same view by a direct scan, for the canonical JSON kapi stores: several times faster than
// the SAX parse, whose lexer builds every skipped string and number. Anything it does not
// expect (escapes in a kept string or a key, odd numbers, malformed text) makes it give up, and
// the SAX builder decides.
class FastScanner {
 public:
  explicit FastScanner(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  bool root(Json& out) {
    if (!object(&out, 1)) return false;
    ws();
    return p_ == end_;
  }

 private:
  void ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\t' || *p_ == '\r')) ++p_;
  }
  bool eat(char c) {
    ws();
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  // A string without escapes (the opening quote is at p_).
  bool plain_string(std::string_view& out) {
    if (p_ >= end_ || *p_ != '"') return false;
    const char* b = ++p_;
    const void* q = std::memchr(b, '"', static_cast<size_t>(end_ - b));
    if (!q) return false;
    const char* e = static_cast<const char*>(q);
    if (std::memchr(b, '\\', static_cast<size_t>(e - b))) return false;
    for (const char* c = b; c < e; ++c)
      if (static_cast<unsigned char>(*c) < 0x20) return false;
    out = std::string_view(b, static_cast<size_t>(e - b));
    p_ = e + 1;
    return true;
  }
  // Skips a string that may hold escapes.
  bool skip_string() {
    ++p_;
    while (p_ < end_) {
      const void* q = std::memchr(p_, '"', static_cast<size_t>(end_ - p_));
      if (!q) return false;
      const char* e = static_cast<const char*>(q);
      size_t backslashes = 0;
      for (const char* c = e; c > p_ && c[-1] == '\\'; --c) ++backslashes;
      p_ = e + 1;
      if (backslashes % 2 == 0) return true;
    }
    return false;
  }
  // Skips any value (containers by bracket depth, outside strings).
  bool skip_value() {
    ws();
    if (p_ >= end_) return false;
    if (*p_ == '"') return skip_string();
    if (*p_ != '{' && *p_ != '[') {
      Json ignored;
      return scalar(ignored);
    }
    int depth = 0;
    while (p_ < end_) {
      char c = *p_;
      if (c == '"') {
        if (!skip_string()) return false;
        continue;
      }
      ++p_;
      if (c == '{' || c == '[') ++depth;
      else if ((c == '}' || c == ']') && --depth == 0) return true;
    }
    return false;
  }
  // A scalar that is not a string (strings are read by the caller).
  bool scalar(Json& out) {
    ws();
    auto word = [&](const char* w, size_t n) {
      if (static_cast<size_t>(end_ - p_) >= n && std::memcmp(p_, w, n) == 0) {
        p_ += n;
        return true;
      }
      return false;
    };
    if (word("true", 4)) { out = true; return true; }
    if (word("false", 5)) { out = false; return true; }
    if (word("null", 4)) { out = nullptr; return true; }
    const char* b = p_;
    bool is_float = false;
    while (p_ < end_ && (std::isdigit(static_cast<unsigned char>(*p_)) || *p_ == '-' || *p_ == '+' ||
                         *p_ == '.' || *p_ == 'e' || *p_ == 'E')) {
      if (*p_ == '.' || *p_ == 'e' || *p_ == 'E') is_float = true;
      ++p_;
    }
    if (p_ == b) return false;
    if (is_float) return false;  // rare in stored objects: nlohmann's own float reading decides
    if (*b == '-') {
      if (p_ - b > 2 && b[1] == '0') return false;
      int64_t v;
      auto r = std::from_chars(b, p_, v);
      if (r.ec != std::errc() || r.ptr != p_) return false;
      out = v;
    } else {
      uint64_t v;
      auto r = std::from_chars(b, p_, v);
      if (r.ec != std::errc() || r.ptr != p_ || (p_ - b > 1 && *b == '0')) return false;
      out = v;
    }
    return true;
  }
  // An object at `depth` (1: the root). `target` collects kept members; null skips them.
  // `in_metadata`: the object is the root's "metadata" (whose "labels" object is kept).
  bool object(Json* target, int depth, bool in_metadata = false) {
    if (!eat('{')) return false;
    if (eat('}')) return true;
    while (true) {
      ws();
      std::string_view key;
      if (!plain_string(key)) return false;
      if (!eat(':')) return false;
      ws();
      if (p_ >= end_) return false;
      char c = *p_;
      if (c == '{') {
        const bool child_labels = depth == 2 && in_metadata && key == "labels";
        if (target && (depth == 1 || child_labels)) {
          Json& child = (*target)[std::string(key)];
          child = Json::object();
          if (!object(&child, depth + 1, depth == 1 && key == "metadata")) return false;
        } else if (!skip_value()) {
          return false;
        }
      } else if (c == '[') {
        if (!skip_value()) return false;
      } else if (c == '"') {
        if (target) {
          std::string_view v;
          if (!plain_string(v)) return false;
          (*target)[std::string(key)] = std::string(v);
        } else if (!skip_string()) {
          return false;
        }
      } else {
        Json v;
        if (!scalar(v)) return false;
        if (target) (*target)[std::string(key)] = std::move(v);
      }
      if (eat(',')) continue;
      return eat('}');
    }
  }

  const char* p_;
  const char* end_;
};

}  // namespace

Json selectable_view_sax(std::string_view json) {
  ViewBuilder b;
  if (!Json::sax_parse(json.begin(), json.end(), &b)) return Json::object();
  return std::move(b.root);
}

bool selectable_view_direct(std::string_view json, Json& out) {
  out = Json::object();
  return FastScanner(json).root(out);
}

Json selectable_view(std::string_view json) {
  Json out;
  if (selectable_view_direct(json, out)) return out;
  return selectable_view_sax(json);
}

}  // namespace kapi::server
