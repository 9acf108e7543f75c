// genericDescriber: any object by its unstructured content (describe.go printUnstructuredContent).
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "client/describe/common.h"
#include "client/describe/describer.h"
#include "pkg/machinery/go_format.h"

namespace kapi::client::describe {
namespace {

// camelcase.Split (github.com/fatih/camelcase): runs of lower, upper, digit and other runes,
// with "HTMLFile" split as "HTML" "File".
std::vector<std::string> camel_split(const std::string& s) {
  enum Class { kLower, kUpper, kDigit, kOther };
  auto cls = [](unsigned char c) {
    if (std::islower(c)) return kLower;
    if (std::isupper(c)) return kUpper;
    if (std::isdigit(c)) return kDigit;
    return kOther;
  };
  std::vector<std::string> runs;
  int last = -1;
  for (unsigned char c : s) {
    int k = cls(c);
    if (k == last && !runs.empty())
      runs.back() += static_cast<char>(c);
    else
      runs.emplace_back(1, static_cast<char>(c));
    last = k;
  }
  // An upper run followed by a lower run gives its last letter to the lower run.
  for (size_t i = 0; i + 1 < runs.size(); ++i) {
    if (std::isupper(static_cast<unsigned char>(runs[i][0])) &&
        std::islower(static_cast<unsigned char>(runs[i + 1][0]))) {
      runs[i + 1] = runs[i].back() + runs[i + 1];
      runs[i].pop_back();
    }
  }
  std::vector<std::string> out;
  for (auto& r : runs)
    if (!r.empty()) out.push_back(r);
  return out;
}

// smartLabelFor: "apiVersion" -> "API Version"; fields with characters other than letters and
// '-' are printed as they are.
std::string smart_label_for(const std::string& field) {
  for (unsigned char c : field)
    if (!(std::isalpha(c) || c == '-' || c >= 0x80)) return field;
  static const char* kAcronyms[] = {"API", "URL", "UID", "OSB", "GUID"};
  std::vector<std::string> result;
  for (auto part : camel_split(field)) {
    if (part == "_") continue;
    std::string upper = part;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    bool acronym = std::any_of(std::begin(kAcronyms), std::end(kAcronyms),
                               [&](const char* a) { return upper == a; });
    if (acronym)
      part = upper;
    else if (!part.empty())
      part[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(part[0])));
    result.push_back(part);
  }
  return join(result, " ");
}

void print_unstructured(PrefixWriter& w, int level, const Json& content,
                        const std::string& skip_prefix, const std::vector<std::string>& skip) {
  auto skipped = [&](const std::string& e) {
    return std::find(skip.begin(), skip.end(), e) != skip.end();
  };
  for (const auto& field : sorted_keys(content)) {
    const Json& value = content.at(field);
    std::string skip_expr = skip_prefix + "." + field;
    if (skipped(skip_expr)) continue;
    if (value.is_object()) {
      w.write(level, smart_label_for(field) + ":\n");
      print_unstructured(w, level + 1, value, skip_expr, skip);
    } else if (value.is_array()) {
      w.write(level, smart_label_for(field) + ":\n");
      for (const auto& child : value) {
        if (child.is_object())
          print_unstructured(w, level + 1, child, skip_expr, skip);
        else
          w.write(level + 1, machinery::gofmt::sprint_v(child) + "\n");
      }
    } else {
      w.write(level, smart_label_for(field) + ":\t" + machinery::gofmt::sprint_v(value) + "\n");
    }
  }
}

}  // namespace

Result<std::string> describe_generic(Describe& d, const RestMapping& mapping, const Json& obj) {
  (void)mapping;
  std::vector<Json> events;
  if (d.settings().show_events) events = d.events_for(obj, str(obj, "kind"));
  TabbedWriter w;
  const Json& meta = at(obj, "metadata");
  w.write(kLevel0, "Name:\t" + str(meta, "name") + "\n");
  w.write(kLevel0, "Namespace:\t" + str(meta, "namespace") + "\n");
  print_labels_multiline(w, "Labels", at(meta, "labels"));
  print_annotations_multiline(w, "Annotations", at(meta, "annotations"));
  print_unstructured(w, kLevel0, obj, "",
                     {".metadata.managedFields", ".metadata.name", ".metadata.namespace",
                      ".metadata.labels", ".metadata.annotations"});
  if (d.settings().show_events) describe_events(events, w);
  return w.str();
}

}  // namespace kapi::client::describe
