// go-yaml v2's syntax errors. Every expected message was printed by real kubectl 1.33
// (`kubectl create -f FILE` prints `error: error parsing FILE: error converting YAML to JSON: `
// followed by this text).
#include "pkg/runtime/go_yaml_syntax.h"

#include <gtest/gtest.h>

namespace kapi::runtime {
namespace {

struct Case {
  std::string text;
  std::string want;
};

const char kHead[] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n";

TEST(GoYamlSyntax, MessagesMatchGoYaml) {
  const std::string h = kHead;
  const Case cases[] = {
      {h + "  name: a\n   namespace: x\n", "yaml: line 5: mapping values are not allowed in this context"},
      {h + "\tname: a\n", "yaml: line 4: found character that cannot start any token"},
      {h + "  name: \"a\ndata:\n  k: v\n", "yaml: line 7: found unexpected end of stream"},
      {h + "  name: 'a\n", "yaml: line 5: found unexpected end of stream"},
      {h + "  name: a\n  labels: [a, b\ndata:\n  k: v\n", "yaml: line 5: did not find expected ',' or ']'"},
      {h + "  name: a\n  labels: {a: b\ndata:\n  k: v\n", "yaml: line 5: did not find expected ',' or '}'"},
      {h + "  name: a\ndata:\n  k: value: x\n", "yaml: line 6: mapping values are not allowed in this context"},
      {h + "  name: a\n labels:\n  x: y\n", "yaml: line 4: did not find expected key"},
      {h + "  name: a\n  - x\n", "yaml: line 4: did not find expected key"},
      {h + "  name: a\ndata:\n  k: v\n  other\n", "yaml: line 8: could not find expected ':'"},
      {h + "  name: &a\n  x: *b\n", "yaml: unknown anchor 'b' referenced"},
  };
  for (const auto& c : cases) EXPECT_EQ(go_yaml_syntax_error(c.text), c.want) << c.text;
}

TEST(GoYamlSyntax, AcceptsValidYaml) {
  const char* ok[] = {
      "", "\n", "---\n", "a: 1\n", "a:\n- x\n- y: [1, {b: c}]\n", "k: |\n  line\n   more\n",
      "k: >-\n  folded\n\n  text\n", "a: &x 1\nb: *x\n", "a: \"esc \\u00e9 \\x41\"\n",
      "'q': 'it''s'\n", "%YAML 1.1\n---\na: !!str 1\n", "a: b # comment\n# only comment\n",
      "a:\n  b:\n    c: d\n  e: f\n", "? complex\n: value\n", "a: 'multi\n  line'\n",
      "list:\n- a\n-\n- c: d\n  e: f\n", "a: !custom x\n", "a: \tb\n",
  };
  for (const char* t : ok) EXPECT_EQ(go_yaml_syntax_error(t, true), "") << t;
}

TEST(GoYamlSyntax, FirstDocumentOnlyUnlessAll) {
  EXPECT_EQ(go_yaml_syntax_error("a: 1\n---\nb: [\n"), "");
  EXPECT_EQ(go_yaml_syntax_error("a: 1\n---\nb: [\n", true),
            "yaml: line 3: did not find expected node content");
}

TEST(GoYamlSyntax, FirstDocumentEnd) {
  size_t end = 0;
  EXPECT_EQ(go_yaml_syntax_error("a: 1\n", false, &end), "");
  EXPECT_EQ(end, 5u);
  // A block scalar ends at a dedented line, which then starts a second (malformed) document
  // that kubectl never reads.
  std::string t = "  k: |\n    x\ne one\n    li#ne two\n  items: [a, b]\n";
  EXPECT_EQ(go_yaml_syntax_error(t, false, &end), "");
  EXPECT_EQ(t.substr(0, end), "  k: |\n    x\n");
  EXPECT_EQ(go_yaml_syntax_error("a: 1\n...\nb\n", false, &end), "");
  EXPECT_EQ(end, 8u);
}

}  // namespace
}  // namespace kapi::runtime
