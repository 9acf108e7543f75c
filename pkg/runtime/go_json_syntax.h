#pragma once
// Go's encoding/json syntax errors. kapi parses JSON with nlohmann; when that fails, this
// re-scans the text with encoding/json's scanner (scanner.go) so the message is upstream's:
// `invalid character 'x' looking for beginning of value`, `unexpected end of JSON input`.
#include <string>
#include <string_view>

namespace kapi::runtime {

// The SyntaxError encoding/json's checkValid returns for `data`, or "" if Go accepts it.
std::string go_json_syntax_error(std::string_view data);

}  // namespace kapi::runtime
