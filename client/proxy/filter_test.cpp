#include "client/proxy/filter.h"

#include <gtest/gtest.h>

namespace kapi::client::proxy {
namespace {

// kubectl's defaults (pkg/proxy/proxy_server.go).
constexpr const char* kHosts = R"(^localhost$,^127\.0\.0\.1$,^\[::1\]$)";
constexpr const char* kPaths = "^.*";
constexpr const char* kRejectPaths = "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach";
constexpr const char* kRejectMethods = "^$";

Filter make(const std::string& paths, const std::string& reject_paths, const std::string& hosts,
            const std::string& reject_methods) {
  std::string err;
  return Filter{*RegexpList::parse(paths, &err), *RegexpList::parse(reject_paths, &err),
                *RegexpList::parse(hosts, &err), *RegexpList::parse(reject_methods, &err)};
}

TEST(ProxyFilter, DefaultsAsUpstream) {
  Filter f = make(kPaths, kRejectPaths, kHosts, kRejectMethods);
  struct Case {
    const char *method, *path, *host;
    bool ok;
  } cases[] = {
      {"GET", "/api/v1/pods", "localhost", true},
      {"GET", "/api/v1/pods", "127.0.0.1", true},
      {"GET", "/api/v1/pods", "[::1]", true},
      {"GET", "/api/v1/pods", "::1", false},  // upstream's pattern keeps the brackets
      {"GET", "/api/v1/pods", "evil.com", false},
      {"GET", "/api/v1/pods", "localhost.evil.com", false},
      {"POST", "/api/v1/namespaces/default/pods/foo/exec", "localhost", false},
      {"GET", "/api/v1/namespaces/default/pods/foo/attach?x", "localhost", false},
      {"GET", "/api/v1/namespaces/default/pods/foo/log", "localhost", true},
      {"GET", "/apis/apps/v1/pods/x/exec", "localhost", true},  // only /api/ is guarded
      {"DELETE", "/api/v1/namespaces/default/pods/foo", "localhost", true},
  };
  for (const auto& c : cases) EXPECT_EQ(f.accept(c.method, c.path, c.host), c.ok) << c.method << " " << c.path << " " << c.host;
}

TEST(ProxyFilter, MethodsAndPathLists) {
  Filter f = make("^/api/v1/namespaces,^/version$", "", ".*", "POST,PUT,PATCH");
  EXPECT_TRUE(f.accept("GET", "/version", "any"));
  EXPECT_FALSE(f.accept("GET", "/version/", "any"));
  EXPECT_TRUE(f.accept("GET", "/api/v1/namespaces/x", "any"));
  EXPECT_FALSE(f.accept("POST", "/api/v1/namespaces", "any"));
  EXPECT_FALSE(f.accept("PATCH", "/api/v1/namespaces", "any"));
  EXPECT_TRUE(f.accept("DELETE", "/api/v1/namespaces", "any"));
  EXPECT_FALSE(f.accept("GET", "/apis", "any"));
}

TEST(ProxyFilter, ListParsing) {
  std::string err;
  auto empty = RegexpList::parse("", &err);
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->matches(""));  // no patterns: nothing matches
  auto trailing = RegexpList::parse("^a$,", &err);  // the empty part matches everything
  ASSERT_TRUE(trailing);
  EXPECT_TRUE(trailing->matches("b"));
  auto unanchored = RegexpList::parse("exec", &err);
  EXPECT_TRUE(unanchored->matches("/pods/x/exec/more"));
  auto icase = RegexpList::parse("(?i)^post$", &err);
  ASSERT_TRUE(icase) << err;
  EXPECT_TRUE(icase->matches("POST"));
}

// kubectl 1.33's "Error compiling re: ..." texts.
TEST(ProxyFilter, GoSyntaxErrors) {
  std::pair<const char*, const char*> cases[] = {
      {"a[b", "error parsing regexp: missing closing ]: `[b`"},
      {"(ab", "error parsing regexp: missing closing ): `(ab`"},
      {"ab)", "error parsing regexp: unexpected ): `ab)`"},
      {"*a", "error parsing regexp: missing argument to repetition operator: `*`"},
      {"a**", "error parsing regexp: invalid nested repetition operator: `**`"},
      {"\\8", "error parsing regexp: invalid escape sequence: `\\8`"},
  };
  for (const auto& [re, want] : cases) {
    std::string err;
    EXPECT_FALSE(RegexpList::parse(std::string("^ok$,") + re, &err)) << re;
    EXPECT_EQ(err, want);
  }
  std::string err;
  EXPECT_TRUE(RegexpList::parse("a*?,[]a],\\[x\\],(a|b)+", &err)) << err;
}

TEST(ProxyFilter, ExtractHost) {
  EXPECT_EQ(extract_host("localhost:8001"), "localhost");
  EXPECT_EQ(extract_host("localhost"), "localhost");
  EXPECT_EQ(extract_host("127.0.0.1:80"), "127.0.0.1");
  EXPECT_EQ(extract_host("[::1]:8001"), "::1");
  EXPECT_EQ(extract_host("[::1]"), "[::1]");
  EXPECT_EQ(extract_host("::1"), "::1");
  EXPECT_EQ(extract_host(""), "");
}

}  // namespace
}  // namespace kapi::client::proxy
