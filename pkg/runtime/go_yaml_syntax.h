#pragma once
// go-yaml v2's syntax errors. kapi parses YAML with yaml-cpp, whose errors (and leniencies: an
// unclosed quote or a key without ':' pass) differ from what kubectl and the apiserver report
// through sigs.k8s.io/yaml. This re-scans the text with a port of go-yaml v2's scanner and parser
// (scannerc.go, parserc.go; themselves a port of libyaml) so the message is upstream's:
// `yaml: line 5: mapping values are not allowed in this context`.
#include <string>
#include <string_view>

namespace kapi::runtime {

// The error yaml.Unmarshal (gopkg.in/yaml.v2) returns for `text` from its reader, scanner,
// parser or alias resolution, worded as go-yaml does (`yaml: line N: problem`, the line counted
// the way go-yaml's parser.fail() does), or "" if the stream parses. Only the first document is
// read, as yaml.Unmarshal does, unless `all_documents`. `first_document_end` (if given) receives
// the byte offset where the first document's text ends (text.size() if it is the only one).
std::string go_yaml_syntax_error(std::string_view text, bool all_documents = false,
                                 size_t* first_document_end = nullptr);

}  // namespace kapi::runtime
