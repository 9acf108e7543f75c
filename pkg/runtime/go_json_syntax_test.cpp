// encoding/json's syntax errors. Every expected message was printed by real kubectl 1.33
// (`kubectl run x --image=i --dry-run=client --override-type=json --overrides=TEXT`, whose
// jsonpatch.DecodePatch returns encoding/json's error unchanged).
#include "pkg/runtime/go_json_syntax.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pkg/runtime/json_codec.h"

namespace kapi::runtime {
namespace {

struct Case {
  std::string text;
  std::string want;
};

TEST(GoJsonSyntax, MessagesMatchEncodingJson) {
  const Case cases[] = {
      {"{", "unexpected end of JSON input"},
      {"x", "invalid character 'x' looking for beginning of value"},
      {"[{\"a\":1}", "unexpected end of JSON input"},
      {"[1 2]", "invalid character '2' after array element"},
      {"{\"a\" 1}", "invalid character '1' after object key"},
      {"{\"a\":1 \"b\":2}", "invalid character '\"' after object key:value pair"},
      {"{1:2}", "invalid character '1' looking for beginning of object key string"},
      {"tru", "invalid character ' ' in literal true (expecting 'e')"},
      {"nul", "invalid character ' ' in literal null (expecting 'l')"},
      {"[fals]", "invalid character ']' in literal false (expecting 'e')"},
      {"\"a\nb\"", "invalid character '\\n' in string literal"},
      {"\"\\x\"", "invalid character 'x' in string escape code"},
      {"\"\\u12g4\"", "invalid character 'g' in \\u hexadecimal character escape"},
      {"-", "invalid character ' ' in numeric literal"},
      {"1.", "invalid character ' ' after decimal point in numeric literal"},
      {"1e", "invalid character ' ' in exponent of numeric literal"},
      {"1e+", "invalid character ' ' in exponent of numeric literal"},
      {"[1]x", "invalid character 'x' after top-level value"},
      {"'", "invalid character '\\'' looking for beginning of value"},
      {"{\"a\":\"b\"}}", "invalid character '}' after top-level value"},
      {"[01]", "invalid character '1' after array element"},
      {"\xc3\xa9", "invalid character '\xc3\x83' looking for beginning of value"},  // 'Ã'
      {"\x01", "invalid character '\\x01' looking for beginning of value"},
      {"\x7f", "invalid character '\\x7f' looking for beginning of value"},
      {"\xc2\xa0", "invalid character '\xc3\x82' looking for beginning of value"},  // 'Â'
      {"[1,]", "invalid character ']' looking for beginning of value"},
      {"{,}", "invalid character ',' looking for beginning of object key string"},
      {"[-a]", "invalid character 'a' in numeric literal"},
      {"]", "invalid character ']' looking for beginning of value"},
      {"   ", "unexpected end of JSON input"},
      {"", "unexpected end of JSON input"},
      {"{\"a\":[1,2}", "invalid character '}' after array element"},
      {"0x10", "invalid character 'x' after top-level value"},
      {"\\", "invalid character '\\\\' looking for beginning of value"},
      {"\"", "unexpected end of JSON input"},
      // Valid for Go (a lone surrogate, a non-UTF-8 byte in a string): no syntax error.
      {"\"\\ud800\"", ""},
      {"\"\xff\"", ""},
      {" {\"a\": [1, -2.5e+3, true, false, null, \"\\u00e9\\n\"]} ", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(go_json_syntax_error(c.text), c.want) << c.text;
}

TEST(GoJsonSyntax, ParseJsonReportsTheGoMessage) {
  DecodeResult dr;
  Json out;
  EXPECT_FALSE(parse_json("{\"kind\":\"ConfigMap\",}", out, dr));
  EXPECT_EQ(dr.error, "invalid character '}' looking for beginning of object key string");
}

}  // namespace
}  // namespace kapi::runtime
