#include "pkg/machinery/names.h"

#include <cctype>
#include <mutex>
#include <random>

#include <nlohmann/json.hpp>

namespace kapi::machinery {

namespace {

constexpr std::string_view kDns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view kDns1123SubdomainFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr std::string_view kDns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view kLabelKeyFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
constexpr std::string_view kLabelValueFmt = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
constexpr std::string_view kLabelKeyErrMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

// pkg/util/validation says "characters"; pkg/api/validate/content says "bytes".
std::string max_len_chars(int n) { return "must be no more than " + std::to_string(n) + " characters"; }
std::string max_len_bytes(int n) { return "must be no more than " + std::to_string(n) + " bytes"; }

std::string regex_error(std::string msg, std::string_view re, std::initializer_list<std::string_view> examples) {
  if (examples.size() == 0) return msg + " (regex used for validation is '" + std::string(re) + "')";
  msg += " (e.g. ";
  bool first = true;
  for (auto e : examples) {
    if (!first) msg += " or ";
    first = false;
    msg += "'" + std::string(e) + "', ";
  }
  return msg + "regex used for validation is '" + std::string(re) + "')";
}

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool match_dns1123_label(std::string_view v) {
  if (v.empty() || !is_lower_alnum(v.front()) || !is_lower_alnum(v.back())) return false;
  for (char c : v) {
    if (!is_lower_alnum(c) && c != '-') return false;
  }
  return true;
}

bool match_dns1123_subdomain(std::string_view v) {
  size_t start = 0;
  while (true) {
    size_t dot = v.find('.', start);
    if (!match_dns1123_label(v.substr(start, dot == std::string_view::npos ? dot : dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]
bool match_label_key_name(std::string_view v) {
  if (v.empty() || !is_alnum(v.front()) || !is_alnum(v.back())) return false;
  for (char c : v) {
    if (!is_alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

std::vector<std::string> dns1123_subdomain(std::string_view value, bool bytes_unit) {
  std::vector<std::string> errs;
  if (value.size() > 253) errs.push_back(bytes_unit ? max_len_bytes(253) : max_len_chars(253));
  if (!match_dns1123_subdomain(value)) {
    errs.push_back(regex_error(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
        "start and end with an alphanumeric character",
        kDns1123SubdomainFmt, {"example.com"}));
  }
  return errs;
}

std::vector<std::string> has_chdir_prefix(std::string_view value) {
  if (value == ".") return {"must not be '.'"};
  if (value == "..") return {"must not be '..'"};
  if (value.substr(0, 2) == "..") return {"must not start with '..'"};
  return {};
}

// Mirrors upstream maskTrailingDash, including its dropping of two characters.
std::string mask_trailing_dash(std::string_view name) {
  if (name.size() > 1 && name.back() == '-') return std::string(name.substr(0, name.size() - 2)) + "a";
  return std::string(name);
}

std::mt19937_64& rng() {
  static std::mt19937_64 gen{std::random_device{}()};
  return gen;
}
std::mutex rng_mu;

}  // namespace

std::vector<std::string> is_dns1123_label(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > 63) errs.push_back(max_len_chars(63));
  if (!match_dns1123_label(value)) {
    if (match_dns1123_subdomain(value)) {
      errs.emplace_back("must not contain dots");
    } else {
      errs.push_back(regex_error(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
          "end with an alphanumeric character",
          kDns1123LabelFmt, {"my-name", "123-abc"}));
    }
  }
  return errs;
}

std::vector<std::string> is_dns1123_subdomain(std::string_view value) { return dns1123_subdomain(value, false); }

std::vector<std::string> is_dns1035_label(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > 63) errs.push_back(max_len_chars(63));
  bool ok = !value.empty() && value.front() >= 'a' && value.front() <= 'z' && is_lower_alnum(value.back());
  for (char c : value) ok = ok && (is_lower_alnum(c) || c == '-');
  if (!ok) {
    errs.push_back(regex_error(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
        "character, and end with an alphanumeric character",
        kDns1035LabelFmt, {"my-name", "abc-123"}));
  }
  return errs;
}

std::vector<std::string> is_wildcard_dns1123_subdomain(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > 253) errs.push_back(max_len_chars(253));
  if (value.substr(0, 2) != "*." || !match_dns1123_subdomain(value.substr(2))) {
    errs.push_back(regex_error(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist "
        "of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        std::string("\\*\\.") + std::string(kDns1123SubdomainFmt), {"*.example.com"}));
  }
  return errs;
}

std::vector<std::string> is_qualified_name(std::string_view value) {
  std::vector<std::string> errs;
  std::string_view name;
  size_t slash = value.find('/');
  if (slash == std::string_view::npos) {
    name = value;
  } else if (value.find('/', slash + 1) != std::string_view::npos) {
    errs.push_back("a valid label key " + regex_error(std::string(kLabelKeyErrMsg), kLabelKeyFmt,
                                                      {"MyName", "my.name", "123-abc"}) +
                   " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
    return errs;
  } else {
    std::string_view prefix = value.substr(0, slash);
    name = value.substr(slash + 1);
    if (prefix.empty()) {
      errs.emplace_back("prefix part must be non-empty");
    } else {
      for (auto& m : dns1123_subdomain(prefix, true)) errs.push_back("prefix part " + m);
    }
  }
  if (name.empty()) {
    errs.emplace_back("name part must be non-empty");
  } else if (name.size() > 63) {
    errs.push_back("name part " + max_len_bytes(63));
  }
  if (!match_label_key_name(name)) {
    errs.push_back("name part " +
                   regex_error(std::string(kLabelKeyErrMsg), kLabelKeyFmt, {"MyName", "my.name", "123-abc"}));
  }
  return errs;
}

std::vector<std::string> is_valid_label_value(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > 63) errs.push_back(max_len_bytes(63));
  if (!value.empty() && !match_label_key_name(value)) {
    errs.push_back(regex_error(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
        "start and end with an alphanumeric character",
        kLabelValueFmt, {"MyValue", "my_value", "12345"}));
  }
  return errs;
}

std::vector<std::string> is_in_range(int64_t value, int64_t min, int64_t max) {
  if (value >= min && value <= max) return {};
  return {"must be between " + std::to_string(min) + " and " + std::to_string(max) + ", inclusive"};
}

std::vector<std::string> is_valid_port_num(int64_t port) { return is_in_range(port, 1, 65535); }

std::vector<std::string> is_valid_port_name(std::string_view port) {
  std::vector<std::string> errs;
  if (port.size() > 15) errs.push_back(max_len_chars(15));
  bool charset = !port.empty();
  bool letter = false;
  for (char c : port) {
    charset = charset && (is_lower_alnum(c) || c == '-');
    letter = letter || (c >= 'a' && c <= 'z');
  }
  if (!charset) errs.emplace_back("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!letter) errs.emplace_back("must contain at least one letter (a-z)");
  if (port.find("--") != std::string_view::npos) errs.emplace_back("must not contain consecutive hyphens");
  if (!port.empty() && (port.front() == '-' || port.back() == '-')) {
    errs.emplace_back("must not begin or end with a hyphen");
  }
  return errs;
}

std::vector<std::string> is_c_identifier(std::string_view value) {
  bool ok = !value.empty() && (is_alpha(value.front()) || value.front() == '_');
  for (char c : value) ok = ok && (is_alnum(c) || c == '_');
  if (ok) return {};
  return {regex_error(
      "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric "
      "characters or '_'",
      "[A-Za-z_][A-Za-z0-9_]*", {"my_name", "MY_NAME", "MyName"})};
}

std::vector<std::string> is_env_var_name(std::string_view value) {
  std::vector<std::string> errs;
  auto ok_char = [](char c) { return is_alpha(c) || c == '-' || c == '.' || c == '_'; };
  bool ok = !value.empty() && ok_char(value.front());
  for (char c : value) ok = ok && (ok_char(c) || (c >= '0' && c <= '9'));
  if (!ok) {
    errs.push_back(regex_error(
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and "
        "must not start with a digit",
        "[-._a-zA-Z][-._a-zA-Z0-9]*", {"my.env-name", "MY_ENV.NAME", "MyEnvName1"}));
  }
  for (auto& e : has_chdir_prefix(value)) errs.push_back(e);
  return errs;
}

std::vector<std::string> is_relaxed_env_var_name(std::string_view value) {
  std::vector<std::string> errs;
  if (value.empty()) errs.emplace_back("environment variable name must be non-empty");
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x7f || c < 0x20 || c == '=') {
      errs.emplace_back("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

std::vector<std::string> is_config_map_key(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > 253) errs.push_back(max_len_chars(253));
  bool ok = !value.empty();
  for (char c : value) ok = ok && (is_alnum(c) || c == '-' || c == '.' || c == '_');
  if (!ok) {
    errs.push_back(regex_error("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                               "[-._a-zA-Z0-9]+", {"key.name", "KEY_NAME", "key-name"}));
  }
  for (auto& e : has_chdir_prefix(value)) errs.push_back(e);
  return errs;
}

std::vector<std::string> name_is_dns_subdomain(std::string_view name, bool prefix) {
  return prefix ? is_dns1123_subdomain(mask_trailing_dash(name)) : is_dns1123_subdomain(name);
}

std::vector<std::string> name_is_dns_label(std::string_view name, bool prefix) {
  return prefix ? is_dns1123_label(mask_trailing_dash(name)) : is_dns1123_label(name);
}

std::vector<std::string> name_is_dns1035_label(std::string_view name, bool prefix) {
  return prefix ? is_dns1035_label(mask_trailing_dash(name)) : is_dns1035_label(name);
}

std::optional<std::string> validate_annotations_size(const nlohmann::ordered_json& annotations) {
  if (!annotations.is_object()) return std::nullopt;
  int64_t total = 0;
  for (const auto& [k, v] : annotations.items()) {
    total += static_cast<int64_t>(k.size());
    if (v.is_string()) total += static_cast<int64_t>(v.get_ref<const std::string&>().size());
  }
  if (total > kTotalAnnotationSizeLimitBytes) {
    return "annotations size " + std::to_string(total) + " is larger than limit " +
           std::to_string(kTotalAnnotationSizeLimitBytes);
  }
  return std::nullopt;
}

std::vector<FieldError> validate_annotations(const nlohmann::ordered_json& annotations,
                                             const std::string& field_path) {
  std::vector<FieldError> errs;
  if (!annotations.is_object()) return errs;
  for (const auto& [k, v] : annotations.items()) {
    std::string lower = k;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& msg : is_qualified_name(lower)) errs.push_back(FieldError::invalid(field_path, k, msg));
  }
  if (validate_annotations_size(annotations)) {
    errs.push_back(FieldError::too_long(field_path, static_cast<int>(kTotalAnnotationSizeLimitBytes)));
  }
  return errs;
}

std::string random_string(size_t n) {
  static constexpr std::string_view kAlphanums = "bcdfghjklmnpqrstvwxz2456789";
  std::lock_guard<std::mutex> lock(rng_mu);
  std::uniform_int_distribution<size_t> dist(0, kAlphanums.size() - 1);
  std::string out(n, ' ');
  for (auto& c : out) c = kAlphanums[dist(rng())];
  return out;
}

std::string generate_name_suffix() { return random_string(5); }

std::string new_uuid() {
  uint64_t hi, lo;
  {
    std::lock_guard<std::mutex> lock(rng_mu);
    hi = rng()();
    lo = rng()();
  }
  hi = (hi & ~uint64_t{0xF000}) | uint64_t{0x4000};                   // version 4
  lo = (lo & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);         // RFC 4122 variant
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

}  // namespace kapi::machinery
