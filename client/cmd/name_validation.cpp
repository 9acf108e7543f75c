#include "client/cmd/name_validation.h"

#include <regex>

namespace kapi::client {
namespace {

const char* kQualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const char* kQualifiedNameMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
    "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const char* kDns1123SubdomainFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

// IsDNS1123Subdomain.
std::vector<std::string> dns1123_subdomain_errors(const std::string& v) {
  std::vector<std::string> errs;
  if (v.size() > 253) errs.push_back("must be no more than 253 characters");
  static const std::regex kRe(kDns1123SubdomainFmt);
  if (!std::regex_match(v, kRe))
    errs.push_back("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                   "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                   "validation is '" + std::string(kDns1123SubdomainFmt) + "')");
  return errs;
}

}  // namespace

std::vector<std::string> qualified_name_errors(const std::string& value) {
  std::vector<std::string> errs;
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t slash = value.find('/', start);
    parts.push_back(value.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string name;
  if (parts.size() == 1) {
    name = parts[0];
  } else if (parts.size() == 2) {
    const std::string& prefix = parts[0];
    name = parts[1];
    if (prefix.empty()) errs.push_back("prefix part must be non-empty");
    else
      for (const auto& e : dns1123_subdomain_errors(prefix)) errs.push_back("prefix part " + e);
  } else {
    return {std::string("a qualified name ") + kQualifiedNameMsg +
            " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"};
  }
  static const std::regex kRe(kQualifiedNameFmt);
  if (name.empty()) errs.push_back("name part must be non-empty");
  else if (name.size() > 63) errs.push_back("name part must be no more than 63 characters");
  if (!std::regex_match(name, kRe)) errs.push_back(std::string("name part ") + kQualifiedNameMsg);
  return errs;
}

std::vector<std::string> label_value_errors(const std::string& v) {
  std::vector<std::string> errs;
  if (v.size() > 63) errs.push_back("must be no more than 63 characters");
  static const std::regex kValue("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  if (!std::regex_match(v, kValue))
    errs.push_back("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                   "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
                   "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  return errs;
}

}  // namespace kapi::client
