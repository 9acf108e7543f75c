#pragma once
// Request-target decoding. The results are byte-identical to what cpp-httplib 0.11.4 (the
// server's previous HTTP layer) produced, so handlers see the same paths and parameters.
#include <map>
#include <string>
#include <string_view>

namespace kapi::http {

// Percent-decoding: "%XX" -> byte, "%uXXXX" -> UTF-8 (surrogates dropped); a malformed escape
// stays as it is; with plus_as_space, '+' -> ' '.
std::string decode_url(std::string_view s, bool plus_as_space);

// A query string: split on '&', each piece trimmed of spaces/tabs, empty pieces and repeats of an
// identical piece skipped. A piece is split on '=' the same way: the first non-empty part is the
// key, the last of the following parts the value ("a=b=c" -> a: c). Both are decoded with '+' as
// space; a piece without a key is skipped.
void parse_query(std::string_view s, std::multimap<std::string, std::string>& out);

// Splits a request-target into the decoded path and the query: the fragment ('#...') is dropped.
// False when the target holds more than one '?' (httplib rejected those with 400).
bool split_target(std::string_view target, std::string& path,
                  std::multimap<std::string, std::string>& query);

}  // namespace kapi::http
