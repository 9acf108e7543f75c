#pragma once
// The part of a stored object that label and field selectors can look at, parsed without
// building the rest: metadata.labels and the scalars at depth one and two (every upstream
// selectable field, e.g. spec.nodeName, status.phase, involvedObject.kind, type, is one).
// The watch cache extracts selectable attributes from every written object on the commit path;
// skipping containers, volumes and managedFields makes that several times cheaper.
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace kapi::server {

// A JSON object holding only those parts (arrays and deeper objects are left out). Invalid JSON
// gives an empty object.
nlohmann::ordered_json selectable_view(std::string_view json);
// The same by nlohmann's SAX parser: what selectable_view falls back to when its direct scan
// meets something unexpected, and the reference its tests compare against.
nlohmann::ordered_json selectable_view_sax(std::string_view json);
// The direct scan alone: false where it gives up (then `out` is unspecified).
bool selectable_view_direct(std::string_view json, nlohmann::ordered_json& out);

}  // namespace kapi::server
