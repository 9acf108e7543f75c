#pragma once
// Helpers shared by the describers: reading a decoded object the way a typed Go struct sees it
// (absent = zero value), Go's formatting of times, quantities and lists, and describe.go's
// shared printers (labels, annotations, taints, tolerations, events).
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "client/describe/prefix_writer.h"

namespace kapi::client::describe {

using Json = nlohmann::ordered_json;

// j[key] or a shared null (j may be anything).
const Json& at(const Json& j, const char* key);
// j.a.b... (each step through at()).
const Json& path(const Json& j, std::initializer_list<const char*> keys);
bool has(const Json& j, const char* key);  // present and not null
std::string str(const Json& j, const char* key);
int64_t num(const Json& j, const char* key);
bool boolean(const Json& j, const char* key);
// The elements of an array (nothing for anything else).
const std::vector<Json>& items(const Json& arr);
// Object keys, sorted (nothing for anything else).
std::vector<std::string> sorted_keys(const Json& obj);
size_t size_of(const Json& j);  // elements of an array or object, else 0

// metav1.Time as time.RFC1123Z in the local zone ("Mon, 02 Jan 2006 15:04:05 -0700"); a zero
// time prints as Go's zero time.
std::string rfc1123z(const Json& t);
// translateTimestampSince: HumanDuration since t, "<unknown>" for a zero time.
std::string since(const Json& t);
// resource.Quantity String() of a serialized quantity ("0" for none).
std::string quantity(const Json& q);
// intstr.IntOrString String().
std::string int_or_string(const Json& v);
// fmt %v of a decoded value; of a string list "[a b]".
std::string sprint(const Json& v);
std::string join(const std::vector<std::string>& parts, const std::string& sep);
std::vector<std::string> strings_of(const Json& arr);

// labels.FormatLabels: "k=v,k2=v2" sorted, "<none>" when empty.
std::string format_labels(const Json& labels);
// metav1.FormatLabelSelector ("<none>" for null, "<none>" for empty? see .cpp).
std::string format_label_selector(const Json& selector);
// labels.Selector String() of metav1.LabelSelectorAsSelector (null: "<none>"... as Go prints).
std::string selector_string(const Json& selector);

// printController: "Kind/name" of the controller owner reference, or "".
std::string controlled_by(const Json& obj);
// metav1.GetControllerOf(obj).uid, or "".
std::string controller_uid(const Json& obj);

void print_labels_multiline(PrefixWriter& w, const std::string& title, const Json& labels,
                            const std::string& initial_indent = "",
                            const std::string& inner_indent = "\t");
void print_annotations_multiline(PrefixWriter& w, const std::string& title,
                                 const Json& annotations);
void print_tolerations_multiline(PrefixWriter& w, const std::string& title,
                                 const Json& tolerations);
void print_taints_multiline(PrefixWriter& w, const std::string& title, const Json& taints);
// DescribeEvents.
void describe_events(const std::vector<Json>& events, PrefixWriter& w);

}  // namespace kapi::client::describe
