// Cases mirror apimachinery v0.36 pkg/labels/selector_test.go and
// pkg/apis/meta/v1/helpers_test.go (TestLabelSelectorAsSelector).
#include "pkg/machinery/labels.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kapi::machinery {
namespace {

using json = nlohmann::ordered_json;

const std::string kLabelValueRegexMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation "
    "is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const std::string kKeyNameMsg =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
    "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

TEST(LabelSelector, ParseRoundTrip) {
  // Good strings restring to themselves with spaces removed (TestSelectorParse).
  for (std::string s : {"x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5"}) {
    auto sel = parse_label_selector(s);
    ASSERT_TRUE(sel.ok()) << s << ": " << sel.error();
    std::string want;
    for (char c : s) {
      if (c != ' ') want += c;
    }
    EXPECT_EQ(sel->to_string(), want) << s;
  }
}

TEST(LabelSelector, CanonicalString) {
  struct Case {
    std::string in, out;
  } cases[] = {
      {"x=a,a=x", "a=x,x=a"},
      {"a=x,x=a", "a=x,x=a"},
      {"x in (c,b,a)", "x in (a,b,c)"},
      {"x notin ( a )", "x notin (a)"},
      {"x in (a,,b)", "x in (,a,b)"},
      {"x in ()", "x in ()"},
      {"x in (,)", "x in ()"},
      {"x notin (abc,,def),bar,z in (),w", "bar,w,x notin (,abc,def),z in ()"},
      {"x in (abc,abc)", "x in (abc)"},
      {"a in (x,y,notin, z,in)", "a in (in,notin,x,y,z)"},
      {"\rx", "x"},
      {"foo  in\t (abc)", "foo in (abc)"},
      {"x notin\n (abc)", "x notin (abc)"},
      {"x==a", "x==a"},
      {"notin=in", "notin=in"},
      {"0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)", "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)"},
      {"a ", "a"},
      {"z,!y,x=1", "x=1,!y,z"},
  };
  for (const auto& c : cases) {
    auto sel = parse_label_selector(c.in);
    ASSERT_TRUE(sel.ok()) << c.in << ": " << sel.error();
    EXPECT_EQ(sel->to_string(), c.out) << c.in;
  }
}

TEST(LabelSelector, ParseErrors) {
  struct Case {
    std::string in, err;
  } cases[] = {
      {"x=a||y=b", "unable to parse requirement: values[0][x]: Invalid value: \"a||y\": " + kLabelValueRegexMsg},
      {"x==a==b", "found '==', expected: ',' or 'end of string'"},
      {"!x=a", "found '=', expected: ',' or 'end of string'"},
      {"x<a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must "
              "be an integer"},
      {"x>1.5", "unable to parse requirement: values[0]: Invalid value: \"1.5\": for 'Gt', 'Lt' operators, the value "
                "must be an integer"},
      {"x,,y", "found ',', expected: identifier after ','"},
      {",x,y", "found ',', expected: !, identifier, or 'end of string'"},
      {"x nott in (y)", "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"},
      {"a in (xyz),", "found '', expected: identifier after ','"},
      {"a in (xyz)b notin ()", "found 'b', expected: ',' or 'end of string'"},
      {"a in (xyz abc)", "unable to parse requirement: found 'abc', expected: ',' or ')'"},
      {"a notin(", "unable to parse requirement: found '', expected: ',', ')' or identifier"},
      {"a (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"},
      {"(", "found '(', expected: !, identifier, or 'end of string'"},
      {"x in a", "unable to parse requirement: found 'a' expected: '('"},
      {"x in (a,b", "unable to parse requirement: found '', expected: ',' or ')'"},
      {"x in (a=", "unable to parse requirement: found '=', expected: ',' or ')'"},
      {"x in (=", "unable to parse requirement: found '=', expected: ',', ')' or identifier"},
      {"x in (,=)", "unable to parse requirement: found '=', expected: ',', or identifier"},
      {"!", "unable to parse requirement: found '', expected: identifier"},
      {"x=(a)", "unable to parse requirement: found '(', expected: identifier"},
      {"x!", "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt"},
      {"-x", "unable to parse requirement: <nil>: Invalid value: \"-x\": " + kKeyNameMsg},
      {"a/b/c", "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a valid label key must consist of "
                "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
                "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. "
                "'example.com/MyName')"},
      {"/x", "unable to parse requirement: <nil>: Invalid value: \"/x\": prefix part must be non-empty"},
      {"Foo.com/x", "unable to parse requirement: <nil>: Invalid value: \"Foo.com/x\": prefix part a lowercase RFC "
                    "1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start "
                    "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
                    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"},
      {"x/", "unable to parse requirement: <nil>: Invalid value: \"x/\": name part must be non-empty; " + kKeyNameMsg},
      {"x=" + std::string(64, 'a'),
       "unable to parse requirement: values[0][x]: Invalid value: \"" + std::string(64, 'a') +
           "\": must be no more than 63 bytes"},
      {"x in (a,-b)",
       "unable to parse requirement: values[0][x]: Invalid value: \"-b\": " + kLabelValueRegexMsg},
      {"x in (-a,-b)", "unable to parse requirement: [values[0][x]: Invalid value: \"-a\": " + kLabelValueRegexMsg +
                           ", values[1][x]: Invalid value: \"-b\": " + kLabelValueRegexMsg + "]"},
  };
  for (const auto& c : cases) {
    auto sel = parse_label_selector(c.in);
    ASSERT_FALSE(sel.ok()) << c.in << " parsed as " << sel->to_string();
    EXPECT_EQ(sel.error(), c.err) << c.in;
  }
}

TEST(LabelSelector, Matches) {
  struct Case {
    std::string sel;
    Labels labels;
    bool match;
  } cases[] = {
      {"", {{"x", "y"}}, true},
      {"x=y", {{"x", "y"}}, true},
      {"x=y,z=w", {{"x", "y"}, {"z", "w"}}, true},
      {"x!=y,z!=w", {{"x", "z"}, {"z", "a"}}, true},
      {"notin=in", {{"notin", "in"}}, true},
      {"x", {{"x", "z"}}, true},
      {"!x", {{"y", "z"}}, true},
      {"x>1", {{"x", "2"}}, true},
      {"x<1", {{"x", "0"}}, true},
      {"x=z", {}, false},
      {"x=y", {{"x", "z"}}, false},
      {"x=y,z=w", {{"x", "w"}, {"z", "w"}}, false},
      {"x!=y,z!=w", {{"x", "z"}, {"z", "w"}}, false},
      {"x", {{"y", "z"}}, false},
      {"!x", {{"x", "z"}}, false},
      {"x>1", {{"x", "0"}}, false},
      {"x<1", {{"x", "2"}}, false},
      {"x>1", {{"x", "v2"}}, false},
      {"x>1", {}, false},
      {"x!=y", {}, true},
      {"x notin (a,b)", {}, true},
      {"x notin (a,b)", {{"x", "b"}}, false},
      {"x in (a,b)", {{"x", "b"}}, true},
      {"x in (a,b)", {{"x", "c"}}, false},
      {"x in ()", {{"x", ""}}, true},
      {"x=", {{"x", ""}}, true},
      {"x=", {}, false},
      {"foo=bar,baz=blah", {{"foo", "bar"}, {"baz", "blah"}}, true},
      {"foo=bar,foobar=bar,baz=blah", {{"foo", "bar"}, {"baz", "blah"}}, false},
      {"x>5", {{"x", "10"}}, true},
      {"x<5", {{"x", "-4"}}, true},
  };
  for (const auto& c : cases) {
    auto sel = parse_label_selector(c.sel);
    ASSERT_TRUE(sel.ok()) << c.sel << ": " << sel.error();
    EXPECT_EQ(sel->matches(c.labels), c.match) << c.sel;
  }
}

TEST(LabelSelector, EverythingNothingAndSets) {
  EXPECT_TRUE(LabelSelector::everything().matches({{"x", "y"}}));
  EXPECT_TRUE(LabelSelector::everything().empty());
  EXPECT_FALSE(LabelSelector::nothing().matches({}));
  EXPECT_FALSE(LabelSelector::nothing().empty());
  EXPECT_EQ(LabelSelector::nothing().to_string(), "");
  auto s = LabelSelector::from_set({{"foo", "bar"}, {"baz", "blah"}});
  EXPECT_EQ(s.to_string(), "baz=blah,foo=bar");
  EXPECT_TRUE(s.matches({{"foo", "bar"}, {"baz", "blah"}, {"x", "y"}}));
  EXPECT_FALSE(s.matches({{"foo", "bar"}}));
  EXPECT_TRUE(LabelSelector::from_set({}).empty());
  EXPECT_TRUE(s.matches_json(json{{"foo", "bar"}, {"baz", "blah"}}));
  EXPECT_FALSE(s.matches_json(json::object()));
}

TEST(LabelSelector, RequiresExactMatch) {
  auto sel = parse_label_selector("a=1,b==2,c in (3),d in (4,5),e!=6,f");
  ASSERT_TRUE(sel.ok());
  EXPECT_EQ(sel->requires_exact_match("a"), "1");
  EXPECT_EQ(sel->requires_exact_match("b"), "2");
  EXPECT_EQ(sel->requires_exact_match("c"), "3");
  EXPECT_EQ(sel->requires_exact_match("d"), std::nullopt);
  EXPECT_EQ(sel->requires_exact_match("e"), std::nullopt);
  EXPECT_EQ(sel->requires_exact_match("f"), std::nullopt);
  EXPECT_EQ(sel->requires_exact_match("zz"), std::nullopt);
}

TEST(LabelRequirement, Constructor) {
  struct Case {
    std::string key;
    LabelOperator op;
    std::vector<std::string> vals;
    std::string err;  // empty: valid
  } cases[] = {
      {"x1", LabelOperator::In, {}, "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty"},
      {"x2", LabelOperator::NotIn, {}, "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty"},
      {"x3", LabelOperator::In, {"foo"}, ""},
      {"x5", LabelOperator::Equals, {"bar", "foo"},
       "values: Invalid value: [\"bar\",\"foo\"]: exact-match compatibility requires one single value"},
      {"x6", LabelOperator::Exists, {}, ""},
      {"x8", LabelOperator::Exists, {"foo"},
       "values: Invalid value: [\"foo\"]: values set must be empty for exists and does not exist"},
      {"x11", LabelOperator::GreaterThan, {"1"}, ""},
      {"x13", LabelOperator::GreaterThan, {},
       "values: Invalid value: []: for 'Gt', 'Lt' operators, exactly one value is required"},
      {"x14", LabelOperator::GreaterThan, {"bar"},
       "values[0]: Invalid value: \"bar\": for 'Gt', 'Lt' operators, the value must be an integer"},
      {std::string(254, 'a'), LabelOperator::Exists, {},
       "key: Invalid value: \"" + std::string(254, 'a') + "\": name part must be no more than 63 bytes"},
      {"x17", LabelOperator::Equals, {"a b"}, "values[0][x17]: Invalid value: \"a b\": " + kLabelValueRegexMsg},
  };
  for (const auto& c : cases) {
    auto r = LabelRequirement::create(c.key, c.op, c.vals);
    if (c.err.empty()) {
      EXPECT_TRUE(r.ok()) << c.key << ": " << r.error();
    } else {
      ASSERT_FALSE(r.ok()) << c.key;
      EXPECT_EQ(r.error(), c.err) << c.key;
    }
  }
}

TEST(LabelRequirement, ToString) {
  auto req = [](std::string k, LabelOperator op, std::vector<std::string> v) {
    return *LabelRequirement::create(std::move(k), op, std::move(v));
  };
  struct Case {
    std::vector<LabelRequirement> reqs;
    std::string out;
  } cases[] = {
      {{req("x", LabelOperator::In, {"abc", "def"}), req("y", LabelOperator::NotIn, {"jkl"}),
        req("z", LabelOperator::Exists, {})},
       "x in (abc,def),y notin (jkl),z"},
      {{req("x", LabelOperator::NotIn, {"abc", "def"}), req("y", LabelOperator::NotEquals, {"jkl"}),
        req("z", LabelOperator::DoesNotExist, {})},
       "x notin (abc,def),y!=jkl,!z"},
      {{req("x", LabelOperator::NotIn, {"abc"}), req("y", LabelOperator::In, {"jkl", "mno"}),
        req("z", LabelOperator::NotIn, {""})},
       "x notin (abc),y in (jkl,mno),z notin ()"},
      {{req("x", LabelOperator::Equals, {"abc"}), req("y", LabelOperator::DoubleEquals, {"jkl"}),
        req("z", LabelOperator::NotEquals, {"a"}), req("z", LabelOperator::Exists, {})},
       "x=abc,y==jkl,z!=a,z"},
      {{req("x", LabelOperator::GreaterThan, {"2"}), req("y", LabelOperator::LessThan, {"8"}),
        req("z", LabelOperator::Exists, {})},
       "x>2,y<8,z"},
      {{req("x", LabelOperator::In, {"b", "a"})}, "x in (a,b)"},
  };
  for (const auto& c : cases) EXPECT_EQ(LabelSelector().add(c.reqs).to_string(), c.out);
}

TEST(LabelSelector, FromJSON) {
  struct Case {
    std::string in;
    std::string out;  // canonical string; "<nothing>" for Nothing()
    std::string err;
  } cases[] = {
      {"null", "<nothing>", ""},
      {"{}", "", ""},
      {R"({"matchLabels":{},"matchExpressions":[]})", "", ""},
      {R"({"matchLabels":{"foo":"bar"}})", "foo=bar", ""},
      {R"({"matchExpressions":[{"key":"baz","operator":"In","values":["qux","norf"]}]})", "baz in (norf,qux)", ""},
      {R"({"matchLabels":{"foo":"bar"},"matchExpressions":[{"key":"baz","operator":"In","values":["qux","norf"]}]})",
       "baz in (norf,qux),foo=bar", ""},
      {R"({"matchExpressions":[{"key":"a","operator":"Exists"},{"key":"b","operator":"DoesNotExist"},{"key":"c","operator":"NotIn","values":["x"]}]})",
       "a,!b,c notin (x)", ""},
      {R"({"matchExpressions":[{"key":"baz","operator":"Exists","values":["qux","norf"]}]})", "",
       "values: Invalid value: [\"qux\",\"norf\"]: values set must be empty for exists and does not exist"},
      {R"({"matchExpressions":[{"key":"baz","operator":"In"}]})", "",
       "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"},
      {R"({"matchExpressions":[{"key":"baz","operator":"Foo","values":["x"]}]})", "",
       "\"Foo\" is not a valid label selector operator"},
      {R"({"matchLabels":{"foo":"b@r"}})", "", "values[0][foo]: Invalid value: \"b@r\": " + kLabelValueRegexMsg},
  };
  for (const auto& c : cases) {
    auto sel = label_selector_from_json(json::parse(c.in));
    if (!c.err.empty()) {
      ASSERT_FALSE(sel.ok()) << c.in;
      EXPECT_EQ(sel.error(), c.err) << c.in;
      continue;
    }
    ASSERT_TRUE(sel.ok()) << c.in << ": " << sel.error();
    EXPECT_EQ(sel->is_nothing() ? "<nothing>" : sel->to_string(), c.out) << c.in;
  }
  auto sel = label_selector_from_json(json::parse(R"({"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"NotIn","values":["db"]}]})"));
  ASSERT_TRUE(sel.ok());
  EXPECT_TRUE(sel->matches_json(json{{"app", "web"}, {"tier", "fe"}}));
  EXPECT_FALSE(sel->matches_json(json{{"app", "web"}, {"tier", "db"}}));
  EXPECT_FALSE(sel->matches_json(json{{"tier", "fe"}}));
}

}  // namespace
}  // namespace kapi::machinery
