// Cases mirror apimachinery v0.36 pkg/fields/selector_test.go.
#include "pkg/machinery/fields.h"

#include <gtest/gtest.h>

namespace kapi::machinery {
namespace {

TEST(FieldSelector, ParseRoundTrip) {
  for (std::string s : {"x=a,y=b,z=c", "", "x!=a,y=b", "x=a||y\\=b", "x=a\\=\\=b", "metadata.name=foo"}) {
    auto sel = parse_field_selector(s);
    ASSERT_TRUE(sel.ok()) << s << ": " << sel.error();
    EXPECT_EQ(sel->to_string(), s);
  }
}

TEST(FieldSelector, CanonicalString) {
  struct Case {
    std::string in, out;
  } cases[] = {
      {"x=a,a=x", "a=x,x=a"},
      {"a=x,x=a", "a=x,x=a"},
      {"x==a", "x=a"},
      {"a=a,", "a=a"},
      {",a=a", "a=a"},
      {"=", ""},
      {"=,x=1", "x=1"},
      {"k=\\,,k2=v2", "k2=v2,k=\\,"},
      {"k=", "k="},
      {"status.phase!=Running,spec.nodeName=", "spec.nodeName=,status.phase!=Running"},
  };
  for (const auto& c : cases) {
    auto sel = parse_field_selector(c.in);
    ASSERT_TRUE(sel.ok()) << c.in << ": " << sel.error();
    EXPECT_EQ(sel->to_string(), c.out) << c.in;
  }
  EXPECT_TRUE(parse_field_selector("=")->empty());
  EXPECT_FALSE(parse_field_selector("k=")->empty());
}

TEST(FieldSelector, ParseErrors) {
  struct Case {
    std::string in, err;
  } cases[] = {
      {"x=a||y=b", "invalid field selector: unescaped character in value: 61"},
      {"x==a==b", "invalid field selector: unescaped character in value: 61"},
      {"x=a,b", "invalid selector: 'x=a,b'; can't understand 'b'"},
      {"x in (a)", "invalid selector: 'x in (a)'; can't understand 'x in (a)'"},
      {"x in (a,b,c)", "invalid selector: 'x in (a,b,c)'; can't understand 'b'"},
      {"x", "invalid selector: 'x'; can't understand 'x'"},
      {"k=\\a", "invalid field selector: invalid escape sequence: \\a"},
      {"k=\\", "invalid field selector: invalid escape sequence: \\"},
      {"k=a\\\\\\", "invalid field selector: invalid escape sequence: \\"},
  };
  for (const auto& c : cases) {
    auto sel = parse_field_selector(c.in);
    ASSERT_FALSE(sel.ok()) << c.in;
    EXPECT_EQ(sel.error(), c.err) << c.in;
  }
}

TEST(FieldSelector, EscapeValue) {
  struct Case {
    std::string raw, escaped;
  } cases[] = {{"", ""}, {"a", "a"}, {"=", "\\="}, {",", "\\,"}, {"\\", "\\\\"}, {"\\=\\,\\", "\\\\\\=\\\\\\,\\\\"}};
  for (const auto& c : cases) {
    EXPECT_EQ(escape_field_value(c.raw), c.escaped);
    auto un = unescape_field_value(c.escaped);
    ASSERT_TRUE(un.ok());
    EXPECT_EQ(*un, c.raw);
  }
  for (std::string bad : {"\\", "\\\\\\", "\\a"}) {
    auto un = unescape_field_value(bad);
    ASSERT_FALSE(un.ok()) << bad;
    EXPECT_NE(un.error().find("invalid escape sequence"), std::string::npos);
  }
  EXPECT_EQ(unescape_field_value("\\함").error(), "invalid field selector: invalid escape sequence: \\함");
}

TEST(FieldSelector, Matches) {
  Fields fieldset = {{"foo", "bar"}, {"baz", "blah"}, {"complex", "=value\\,\\"}};
  struct Case {
    std::string sel;
    Fields fields;
    bool match;
  } cases[] = {
      {"", {{"x", "y"}}, true},
      {"x=y", {{"x", "y"}}, true},
      {"x=y,z=w", {{"x", "y"}, {"z", "w"}}, true},
      {"x!=y,z!=w", {{"x", "z"}, {"z", "a"}}, true},
      {"notin=in", {{"notin", "in"}}, true},
      {"x=y", {{"x", "z"}}, false},
      {"x=y,z=w", {{"x", "w"}, {"z", "w"}}, false},
      {"x!=y,z!=w", {{"x", "z"}, {"z", "w"}}, false},
      {"foo=bar", fieldset, true},
      {"baz=blah", fieldset, true},
      {"foo=bar,baz=blah", fieldset, true},
      {"foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\", fieldset, true},
      {"foo=blah", fieldset, false},
      {"baz=bar", fieldset, false},
      {"foo=bar,foobar=bar,baz=blah", fieldset, false},
      {"missing=", fieldset, true},
      {"missing!=", fieldset, false},
      {"spec.nodeName!=", {{"spec.nodeName", "n1"}}, true},
  };
  for (const auto& c : cases) {
    auto sel = parse_field_selector(c.sel);
    ASSERT_TRUE(sel.ok()) << c.sel << ": " << sel.error();
    EXPECT_EQ(sel->matches(c.fields), c.match) << c.sel;
  }
  EXPECT_TRUE(FieldSelector::one_term_equal("x", "y").matches({{"x", "y"}}));
  EXPECT_FALSE(FieldSelector::one_term_equal("x", "y").matches({{"x", "z"}}));
  EXPECT_FALSE(FieldSelector::from_set({{"foo", "=blah"}}).matches({{"foo", "bar"}}));
  EXPECT_TRUE(FieldSelector::everything().matches({}));
  EXPECT_TRUE(FieldSelector::everything().empty());
  EXPECT_FALSE(FieldSelector::nothing().matches({}));
}

TEST(FieldSelector, RequirementsAndExactMatch) {
  auto sel = parse_field_selector("metadata.name=foo,status.phase!=Failed");
  ASSERT_TRUE(sel.ok());
  ASSERT_EQ(sel->requirements().size(), 2u);
  EXPECT_EQ(sel->requirements()[0], (FieldRequirement{"metadata.name", FieldOperator::Equals, "foo"}));
  EXPECT_EQ(sel->requirements()[1], (FieldRequirement{"status.phase", FieldOperator::NotEquals, "Failed"}));
  EXPECT_EQ(sel->requires_exact_match("metadata.name"), "foo");
  EXPECT_EQ(sel->requires_exact_match("status.phase"), std::nullopt);
  EXPECT_EQ(parse_field_selector("test=")->requires_exact_match("test"), "");
}

TEST(FieldSelector, Transform) {
  using P = std::pair<std::string, std::string>;
  struct Case {
    std::string sel;
    FieldSelector::TransformFn fn;
    std::string out;
    bool empty;
  } cases[] = {
      {"", [](const std::string& f, const std::string& v) -> Result<P> { return P{f, v}; }, "", true},
      {"a=b,c=d", [](const std::string& f, const std::string& v) -> Result<P> { return P{f, v}; }, "a=b,c=d", false},
      {"a=b,c=d",
       [](const std::string& f, const std::string& v) -> Result<P> { return f == "a" ? P{"e", "f"} : P{f, v}; },
       "e=f,c=d", false},
      {"a=b", [](const std::string&, const std::string&) -> Result<P> { return P{"", ""}; }, "", true},
      {"a=b,c=d,e=f",
       [](const std::string& f, const std::string& v) -> Result<P> { return f == "c" ? P{"", ""} : P{f, v}; },
       "a=b,e=f", false},
  };
  for (const auto& c : cases) {
    auto r = parse_field_selector(c.sel)->transform(c.fn);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->to_string(), c.out) << c.sel;
    EXPECT_EQ(r->empty(), c.empty) << c.sel;
  }
  auto err = parse_field_selector("bad=1")->transform(
      [](const std::string& f, const std::string&) -> Result<P> { return Result<P>::failure("field label not supported: " + f); });
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error(), "field label not supported: bad");
}

}  // namespace
}  // namespace kapi::machinery
