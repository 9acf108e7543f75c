#pragma once
// YAML <-> JSON tree, as sigs.k8s.io/yaml does it (YAML 1.1 scalars as go-yaml v2 resolves them;
// output as pkg/machinery/go_yaml.h writes it).
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace kapi::runtime {

// Parses every document of a (possibly multi-document) YAML stream. false with error set
// (`error converting YAML to JSON: yaml: line N: ...`). When `strict_error` is given it receives
// what sigs.k8s.io/yaml.YAMLToJSONStrict reports for the first document (the apiserver's strict
// YAML check): `yaml: unmarshal errors:\n  line 5: key "a" already set in map`, or "" if none.
bool yaml_to_json(const std::string& text, std::vector<nlohmann::ordered_json>& docs,
                  std::string* error, std::string* strict_error = nullptr);
// The first document of `text` only, as sigs.k8s.io/yaml.YAMLToJSON (go-yaml's Unmarshal) reads
// it: later documents, even malformed ones, are ignored. `doc` is null for an empty document.
bool first_yaml_document_to_json(const std::string& text, nlohmann::ordered_json& doc,
                                 std::string* error);
// One document as YAML text (keys sorted as Go's yaml.Marshal of a map does).
std::string json_to_yaml(const nlohmann::ordered_json& j);

}  // namespace kapi::runtime
