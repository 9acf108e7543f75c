// The request-target decoding must match cpp-httplib 0.11.4's (decode_url, parse_query_text
// and Server::parse_request_line), the previous HTTP layer: handlers rely on the same results.
#include "pkg/http/url.h"

#include <gtest/gtest.h>

namespace kapi::http {
namespace {

using Query = std::multimap<std::string, std::string>;

Query query(std::string_view s) {
  Query q;
  parse_query(s, q);
  return q;
}

TEST(DecodeUrl, PercentEscapes) {
  EXPECT_EQ(decode_url("/api/v1/namespaces/a%2Fb", false), "/api/v1/namespaces/a/b");
  EXPECT_EQ(decode_url("%41%6a%7E", false), "Aj~");
  EXPECT_EQ(decode_url("a%00b", false), std::string("a\0b", 3));
  EXPECT_EQ(decode_url("%e2%9c%93", false), "\xe2\x9c\x93");
}

TEST(DecodeUrl, MalformedEscapesStayAsTheyAre) {
  EXPECT_EQ(decode_url("100%", false), "100%");
  EXPECT_EQ(decode_url("%4", false), "%4");
  EXPECT_EQ(decode_url("%zz%41", false), "%zzA");
  EXPECT_EQ(decode_url("%%41", false), "%A");
}

TEST(DecodeUrl, UnicodeEscapes) {
  EXPECT_EQ(decode_url("%u0041", false), "A");
  EXPECT_EQ(decode_url("%u00e9", false), "\xc3\xa9");
  EXPECT_EQ(decode_url("%u2713", false), "\xe2\x9c\x93");
  EXPECT_EQ(decode_url("a%uD800b", false), "ab");  // a surrogate decodes to nothing
  EXPECT_EQ(decode_url("%u12", false), "%u12");
}

TEST(DecodeUrl, PlusIsSpaceOnlyInQueries) {
  EXPECT_EQ(decode_url("a+b", false), "a+b");
  EXPECT_EQ(decode_url("a+b%2B", true), "a b+");
}

TEST(ParseQuery, KeysAndValues) {
  EXPECT_EQ(query("watch=true&labelSelector=app%3Dweb%2Ctier+in+(a)"),
            (Query{{"labelSelector", "app=web,tier in (a)"}, {"watch", "true"}}));
  EXPECT_EQ(query("a=1&a=2"), (Query{{"a", "1"}, {"a", "2"}}));
  EXPECT_EQ(query("flag"), (Query{{"flag", ""}}));
  EXPECT_EQ(query("k="), (Query{{"k", ""}}));
}

TEST(ParseQuery, HttplibQuirks) {
  EXPECT_EQ(query("a=1&a=1"), (Query{{"a", "1"}}));        // an identical piece counts once
  EXPECT_EQ(query("a=b=c"), (Query{{"a", "c"}}));          // the last '='-part is the value
  EXPECT_EQ(query("=v"), (Query{{"v", ""}}));              // empty parts are skipped
  EXPECT_EQ(query("a==b"), (Query{{"a", "b"}}));
  EXPECT_EQ(query("&&x=1&"), (Query{{"x", "1"}}));
  EXPECT_EQ(query(" a = 1 &\tb=2\t"), (Query{{"a", "1"}, {"b", "2"}}));  // pieces are trimmed
  EXPECT_EQ(query("%3D=%26"), (Query{{"=", "&"}}));
}

TEST(SplitTarget, PathQueryAndFragment) {
  std::string path;
  Query q;
  ASSERT_TRUE(split_target("/api/v1/pods?limit=500#frag", path, q));
  EXPECT_EQ(path, "/api/v1/pods");
  EXPECT_EQ(q, (Query{{"limit", "500"}}));

  q.clear();
  ASSERT_TRUE(split_target("/a%20b+c?", path, q));
  EXPECT_EQ(path, "/a b+c");
  EXPECT_TRUE(q.empty());

  EXPECT_FALSE(split_target("/x?a=1?b=2", path, q));  // httplib: 400
}

}  // namespace
}  // namespace kapi::http
