#include "client/describe/common.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "pkg/machinery/duration.h"
#include "pkg/machinery/go_format.h"
#include "pkg/machinery/labels.h"
#include "pkg/machinery/quantity.h"

namespace kapi::client::describe {
namespace {

const Json& null_json() {
  static const Json kNull;
  return kNull;
}

// Characters of RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700".
std::string format_local(std::time_t secs) {
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S ", &tm);
  long off = tm.tm_gmtoff / 60;
  char zone[8];
  std::snprintf(zone, sizeof zone, "%c%02ld%02ld", off < 0 ? '-' : '+', std::labs(off) / 60,
                std::labs(off) % 60);
  return std::string(buf) + zone;
}

}  // namespace

const Json& at(const Json& j, const char* key) {
  if (!j.is_object()) return null_json();
  auto it = j.find(key);
  return it == j.end() ? null_json() : *it;
}

const Json& path(const Json& j, std::initializer_list<const char*> keys) {
  const Json* cur = &j;
  for (const char* k : keys) cur = &at(*cur, k);
  return *cur;
}

bool has(const Json& j, const char* key) { return !at(j, key).is_null(); }

std::string str(const Json& j, const char* key) {
  const Json& v = at(j, key);
  return v.is_string() ? v.get<std::string>() : "";
}

int64_t num(const Json& j, const char* key) {
  const Json& v = at(j, key);
  if (v.is_number_integer() || v.is_number_unsigned()) return v.get<int64_t>();
  if (v.is_number_float()) return static_cast<int64_t>(v.get<double>());
  return 0;
}

bool boolean(const Json& j, const char* key) {
  const Json& v = at(j, key);
  return v.is_boolean() && v.get<bool>();
}

const std::vector<Json>& items(const Json& arr) {
  static const std::vector<Json> kEmpty;
  if (!arr.is_array()) return kEmpty;
  return arr.get_ref<const Json::array_t&>();
}

std::vector<std::string> sorted_keys(const Json& obj) {
  std::vector<std::string> keys;
  if (obj.is_object())
    for (const auto& [k, _] : obj.items()) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  return keys;
}

size_t size_of(const Json& j) { return j.is_array() || j.is_object() ? j.size() : 0; }

std::string rfc1123z(const Json& t) {
  if (t.is_string()) {
    auto tp = machinery::parse_rfc3339(t.get<std::string>());
    if (tp.ok()) {
      auto secs = std::chrono::floor<std::chrono::seconds>(*tp).time_since_epoch().count();
      return format_local(static_cast<std::time_t>(secs));
    }
  }
  return "Mon, 01 Jan 0001 00:00:00 +0000";
}

std::string since(const Json& t) {
  if (!t.is_string()) return "<unknown>";
  auto tp = machinery::parse_rfc3339(t.get<std::string>());
  if (!tp.ok()) return "<unknown>";
  auto now =
      std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  return machinery::human_duration(now - *tp);
}

std::string quantity(const Json& q) {
  if (q.is_null()) return "0";
  auto parsed = machinery::Quantity::from_json(q);
  return parsed.ok() ? parsed->to_string() : "0";
}

std::string int_or_string(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return std::to_string(v.get<int64_t>());
  return "0";
}

std::string sprint(const Json& v) {
  if (v.is_null()) return "[]";
  return machinery::gofmt::sprint_v(v);
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::vector<std::string> strings_of(const Json& arr) {
  std::vector<std::string> out;
  for (const auto& e : items(arr)) out.push_back(e.is_string() ? e.get<std::string>() : "");
  return out;
}

std::string format_labels(const Json& labels) {
  std::vector<std::string> parts;
  for (const auto& k : sorted_keys(labels)) parts.push_back(k + "=" + str(labels, k.c_str()));
  std::string s = join(parts, ",");
  return s.empty() ? "<none>" : s;
}

std::string selector_string(const Json& selector) {
  auto s = machinery::label_selector_from_json(selector);
  return s.ok() ? s->to_string() : "";
}

std::string format_label_selector(const Json& selector) {
  auto s = machinery::label_selector_from_json(selector);
  if (!s.ok()) return "<error>";
  std::string l = s->to_string();
  return l.empty() ? "<none>" : l;
}

std::string controlled_by(const Json& obj) {
  for (const auto& ref : items(path(obj, {"metadata", "ownerReferences"})))
    if (boolean(ref, "controller")) return str(ref, "kind") + "/" + str(ref, "name");
  return "";
}

std::string controller_uid(const Json& obj) {
  for (const auto& ref : items(path(obj, {"metadata", "ownerReferences"})))
    if (boolean(ref, "controller")) return str(ref, "uid");
  return "";
}

void print_labels_multiline(PrefixWriter& w, const std::string& title, const Json& labels,
                            const std::string& initial_indent, const std::string& inner_indent) {
  w.write(kLevel0, initial_indent + title + ":" + inner_indent);
  auto keys = sorted_keys(labels);
  if (keys.empty()) {
    w.write_line("<none>");
    return;
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i != 0) {
      w.write(kLevel0, initial_indent);
      w.write(kLevel0, inner_indent);
    }
    w.write(kLevel0, keys[i] + "=" + str(labels, keys[i].c_str()) + "\n");
  }
}

void print_annotations_multiline(PrefixWriter& w, const std::string& title,
                                 const Json& annotations) {
  constexpr size_t kMaxAnnotationLen = 140;
  w.write(kLevel0, title + ":\t");
  std::vector<std::string> keys;
  for (const auto& k : sorted_keys(annotations))
    if (k != "kubectl.kubernetes.io/last-applied-configuration") keys.push_back(k);
  if (keys.empty()) {
    w.write_line("<none>");
    return;
  }
  const std::string indent = "\t";
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i != 0) w.write(kLevel0, indent);
    std::string value = str(annotations, keys[i].c_str());
    if (!value.empty() && value.back() == '\n') value.pop_back();
    if (value.size() + keys[i].size() + 2 > kMaxAnnotationLen ||
        value.find('\n') != std::string::npos) {
      w.write(kLevel0, keys[i] + ":\n");
      size_t start = 0;
      while (true) {
        size_t nl = value.find('\n', start);
        std::string s =
            value.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        if (s.size() > kMaxAnnotationLen - 2) s = s.substr(0, kMaxAnnotationLen - 2) + "...";
        w.write(kLevel0, indent + "  " + s + "\n");
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
    } else {
      w.write(kLevel0, keys[i] + ": " + value + "\n");
    }
  }
}

void print_tolerations_multiline(PrefixWriter& w, const std::string& title,
                                 const Json& tolerations) {
  w.write(kLevel0, title + ":\t");
  if (size_of(tolerations) == 0) {
    w.write_line("<none>");
    return;
  }
  std::vector<Json> sorted = items(tolerations);
  // sort.Slice by key (not stable: equal keys keep insertion-sort order for short lists).
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Json& a, const Json& b) { return str(a, "key") < str(b, "key"); });
  for (size_t i = 0; i < sorted.size(); ++i) {
    const Json& t = sorted[i];
    if (i != 0) w.write(kLevel0, "\t");
    std::string line = str(t, "key");
    if (!str(t, "value").empty()) line += "=" + str(t, "value");
    if (!str(t, "effect").empty()) line += ":" + str(t, "effect");
    if (str(t, "operator") == "Exists" && str(t, "value").empty())
      line += (!str(t, "key").empty() || !str(t, "effect").empty()) ? " op=Exists" : "op=Exists";
    if (has(t, "tolerationSeconds"))
      line += " for " + std::to_string(num(t, "tolerationSeconds")) + "s";
    w.write(kLevel0, line + "\n");
  }
}

void print_taints_multiline(PrefixWriter& w, const std::string& title, const Json& taints) {
  w.write(kLevel0, title + ":\t");
  if (size_of(taints) == 0) {
    w.write_line("<none>");
    return;
  }
  std::vector<Json> sorted = items(taints);
  auto key = [](const Json& t) { return str(t, "effect") + "," + str(t, "key"); };
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](const Json& a, const Json& b) { return key(a) < key(b); });
  for (size_t i = 0; i < sorted.size(); ++i) {
    const Json& t = sorted[i];
    if (i != 0) w.write(kLevel0, "\t");
    std::string k = str(t, "key"), v = str(t, "value"), e = str(t, "effect");
    std::string s;
    if (e.empty())
      s = v.empty() ? k : k + "=" + v + ":";
    else
      s = v.empty() ? k + ":" + e : k + "=" + v + ":" + e;
    w.write(kLevel0, s + "\n");
  }
}

void describe_events(const std::vector<Json>& events, PrefixWriter& w) {
  if (events.empty()) {
    w.write(kLevel0, "Events:\t<none>\n");
    return;
  }
  std::vector<Json> sorted = events;
  // SortableEvents: by lastTimestamp (a zero time sorts first).
  auto last = [](const Json& e) {
    const Json& t = at(e, "lastTimestamp");
    if (!t.is_string()) return machinery::TimePoint{};
    auto tp = machinery::parse_rfc3339(t.get<std::string>());
    return tp.ok() ? *tp : machinery::TimePoint{};
  };
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](const Json& a, const Json& b) { return last(a) < last(b); });
  w.write(kLevel0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
  w.write(kLevel1, "----\t------\t----\t----\t-------\n");
  for (const auto& e : sorted) {
    std::string first =
        has(e, "eventTime") ? since(at(e, "eventTime")) : since(at(e, "firstTimestamp"));
    std::string interval;
    if (has(e, "series")) {
      interval = since(path(e, {"series", "lastObservedTime"})) + " (x" +
                 std::to_string(num(at(e, "series"), "count")) + " over " + first + ")";
    } else if (num(e, "count") > 1) {
      interval = since(at(e, "lastTimestamp")) + " (x" + std::to_string(num(e, "count")) +
                 " over " + first + ")";
    } else {
      interval = first;
    }
    std::string source = str(at(e, "source"), "component");
    if (source.empty()) source = str(e, "reportingComponent");
    std::string message = str(e, "message");
    size_t b = message.find_first_not_of(" \t\n\r\v\f");
    size_t end = message.find_last_not_of(" \t\n\r\v\f");
    message = b == std::string::npos ? "" : message.substr(b, end - b + 1);
    w.write(kLevel1, str(e, "type") + "\t" + str(e, "reason") + "\t" + interval + "\t" + source +
                         "\t" + message + "\n");
  }
}

}  // namespace kapi::client::describe
