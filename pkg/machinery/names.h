#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "pkg/machinery/field_error.h"

// Name/value validation with the exact messages of apimachinery v0.36
// (pkg/util/validation, pkg/api/validate/content, pkg/api/validation). Each returns the list
// of problems; empty means valid.
namespace kapi::machinery {

std::vector<std::string> is_dns1123_label(std::string_view value);
std::vector<std::string> is_dns1123_subdomain(std::string_view value);
std::vector<std::string> is_dns1035_label(std::string_view value);
std::vector<std::string> is_wildcard_dns1123_subdomain(std::string_view value);
// Label/annotation keys: optional DNS subdomain prefix + '/' + name (content.IsLabelKey).
std::vector<std::string> is_qualified_name(std::string_view value);
std::vector<std::string> is_valid_label_value(std::string_view value);
std::vector<std::string> is_valid_port_num(int64_t port);
std::vector<std::string> is_in_range(int64_t value, int64_t min, int64_t max);
std::vector<std::string> is_valid_port_name(std::string_view port);
std::vector<std::string> is_c_identifier(std::string_view value);
// Strict env var names (pre-1.34 rule).
std::vector<std::string> is_env_var_name(std::string_view value);
// Current rule for container env names (RelaxedEnvironmentVariableValidation is GA since 1.34):
// any printable ASCII except '='.
std::vector<std::string> is_relaxed_env_var_name(std::string_view value);
std::vector<std::string> is_config_map_key(std::string_view value);

// ValidateNameFunc variants from pkg/api/validation/generic.go; `prefix` is true when validating
// metadata.generateName (a trailing '-' is tolerated).
std::vector<std::string> name_is_dns_subdomain(std::string_view name, bool prefix);
std::vector<std::string> name_is_dns_label(std::string_view name, bool prefix);
std::vector<std::string> name_is_dns1035_label(std::string_view name, bool prefix);

inline constexpr int64_t kTotalAnnotationSizeLimitBytes = 256 * (1 << 10);
// ValidateAnnotationsSize: "annotations size N is larger than limit M" when too big.
std::optional<std::string> validate_annotations_size(const nlohmann::ordered_json& annotations);
// ValidateAnnotations: key syntax (checked lower-cased) and total size, at `field_path`
// (e.g. "metadata.annotations").
std::vector<FieldError> validate_annotations(const nlohmann::ordered_json& annotations,
                                             const std::string& field_path);

// Random suffix for metadata.generateName: 5 chars from rand.String's vowel-free alphabet.
std::string generate_name_suffix();
std::string random_string(size_t n);
// RFC 4122 version 4 UUID, lower-case hex (metadata.uid).
std::string new_uuid();

}  // namespace kapi::machinery
