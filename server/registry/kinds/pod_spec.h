#pragma once
// PodSpec defaulting and validation, shared by Pods and every pod template (Deployments, ...).
#include <nlohmann/json_fwd.hpp>
#include <set>
#include <string>
#include <vector>

#include "pkg/runtime/status.h"

namespace kapi::server {

using Json = nlohmann::ordered_json;

// SetDefaults_PodSpec and what it reaches (containers, probes, handlers, volumes).
void default_pod_spec(Json& spec);
// SetDefaults_Pod only (not pod templates): requests default to limits, per resource.
void default_requests_from_limits(Json& spec);
void default_host_network_ports(Json& spec);
// `path` is the field path of the spec, e.g. "spec" or "spec.template.spec".
void validate_pod_spec(const Json& spec, const std::string& path, std::vector<runtime::StatusCause>& out);
void validate_label_selector_match(const Json& selector, const Json& template_labels,
                                   const std::string& path, std::vector<runtime::StatusCause>& out);
// validateContainerCommon's name, image, ports and pull policy checks for the container at
// `path`; `names` collects container names (a repeated one is a Duplicate).
void validate_container(const Json& c, const std::string& path, std::set<std::string>& names,
                        std::vector<runtime::StatusCause>& out);
// The Go %#v rendering of a map[string]string that upstream puts in messages.
std::string go_map_literal(const Json& m);
std::string quote(const std::string& s);
// metav1.LabelSelectorAsSelector(sel).String(): requirements sorted by key, set values sorted
// ("app=x,env in (a,b),!gone"); "" for a missing or empty selector.
std::string format_label_selector(const Json& sel);
// labels.FormatLabels-style "k=v" pairs sorted by key, "" when empty.
std::string format_labels(const Json& map);

}  // namespace kapi::server
