#include "client/printers/explain_printer.h"

#include <gtest/gtest.h>

namespace kapi::client {
namespace {

// Cases follow go-wordwrap v1.0.1's algorithm (the version kubectl 1.33 vendors): breaks only at
// whitespace, the spaces at a break are dropped, a word longer than the limit stays whole.
TEST(GoWordWrap, Wraps) {
  EXPECT_EQ(go_wordwrap("foo", 4), "foo");
  EXPECT_EQ(go_wordwrap("foobarbaz", 4), "foobarbaz");
  EXPECT_EQ(go_wordwrap("foo bar baz", 4), "foo\nbar\nbaz");
  EXPECT_EQ(go_wordwrap("foo\nb ar\nbaz", 4), "foo\nb ar\nbaz");
  EXPECT_EQ(go_wordwrap("foo       \nb ar\nbaz", 4), "foo\nb ar\nbaz");
  EXPECT_EQ(go_wordwrap("Pod as defined by the Kubernetes API.\n", 76), "Pod as defined by the Kubernetes API.\n");
  EXPECT_EQ(go_wordwrap("a b\u00a0c", 3), "a\nb\u00a0c");  // NBSP binds
  EXPECT_EQ(go_wordwrap("", 76), "");
}

}  // namespace
}  // namespace kapi::client
