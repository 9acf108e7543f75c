// Upstream-derived tables: testdata/machinery/json_patch_cases.json is ported from
// github.com/evanphx/json-patch v4.12.0 patch_test.go; merge patch cases follow merge_test.go.
#include "pkg/machinery/json_patch.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace kapi::machinery {
namespace {

using json = nlohmann::ordered_json;

json load_cases() {
  // ctest runs unit tests from the source root.
  std::string path = "testdata/machinery/json_patch_cases.json";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str());
}

// Order-insensitive comparison, as upstream compares decoded maps.
nlohmann::json unordered(const json& j) { return nlohmann::json::parse(j.dump()); }

TEST(JSONPatch, UpstreamCases) {
  json data = load_cases();
  int n = 0;
  for (const auto& c : data["cases"]) {
    if (c["doc"].get<std::string>().empty()) continue;
    // Upstream decodes results into a map, so array documents never compared; skip them too.
    if (c["doc"].get<std::string>().find_first_not_of(" \n\t") == c["doc"].get<std::string>().find('[')) continue;
    auto doc = json::parse(c["doc"].get<std::string>());
    auto patch = json::parse(c["patch"].get<std::string>());
    auto got = apply_json_patch(doc, patch);
    ASSERT_TRUE(got.ok()) << c["patch"].get<std::string>() << ": " << got.error();
    EXPECT_EQ(unordered(*got), unordered(json::parse(c["result"].get<std::string>()))) << c["patch"].get<std::string>();
    ++n;
  }
  EXPECT_GT(n, 20);
  for (const auto& c : data["badCases"]) {
    auto got = apply_json_patch(json::parse(c["doc"].get<std::string>()), json::parse(c["patch"].get<std::string>()));
    EXPECT_FALSE(got.ok()) << c["patch"].get<std::string>();
  }
  for (const auto& c : data["testCases"]) {
    auto got = apply_json_patch(json::parse(c["doc"].get<std::string>()), json::parse(c["patch"].get<std::string>()));
    if (c["result"].get<bool>()) {
      EXPECT_TRUE(got.ok()) << c["patch"].get<std::string>() << ": " << got.error();
    } else {
      ASSERT_FALSE(got.ok()) << c["patch"].get<std::string>();
      EXPECT_EQ(got.error(), "testing value " + c["failedPath"].get<std::string>() + " failed: test failed");
    }
  }
}

TEST(JSONPatch, Errors) {
  struct Case {
    std::string doc, patch, err;
  } cases[] = {
      {R"({"spec":{}})", R"([{"op":"add","path":"/spec/x/y","value":1}])",
       R"(add operation does not apply: doc is missing path: "/spec/x/y": missing value)"},
      {R"({"a":1})", R"([{"op":"remove","path":"/b"}])",
       "error in remove for path: '/b': Unable to remove nonexistent key: b: missing value"},
      {R"({"a":{"b":1}})", R"([{"op":"remove","path":"/a/b/c"}])",
       R"(remove operation does not apply: doc is missing path: "/a/b/c": missing value)"},
      {R"({"a":[1]})", R"([{"op":"remove","path":"/a/1"}])",
       "error in remove for path: '/a/1': Unable to access invalid index: 1: invalid index referenced"},
      {R"({"a":[1]})", R"([{"op":"remove","path":"/a/x"}])",
       "error in remove for path: '/a/x': strconv.Atoi: parsing \"x\": invalid syntax"},
      {R"({"a":[1]})", R"([{"op":"add","path":"/a/x","value":2}])",
       "error in add for path: '/a/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid "
       "syntax"},
      {R"({"a":[1]})", R"([{"op":"add","path":"/a/3","value":2}])",
       "error in add for path: '/a/3': Unable to access invalid index: 3: invalid index referenced"},
      {R"({"a":[1]})", R"([{"op":"replace","path":"/a/3","value":2}])",
       "replace operation does not apply: doc is missing key: /a/3: missing value"},
      {R"({"a":1})", R"([{"op":"replace","path":"/x/y","value":2}])",
       "replace operation does not apply: doc is missing path: /x/y: missing value"},
      {R"({"a":1})", R"([{"op":"replace","value":2}])",
       "replace operation failed to decode path: operation missing path field: missing value"},
      {R"({"a":1})", R"([{"op":"add","value":2}])", "add operation failed to decode path: missing value"},
      {R"({"a":1})", R"([{"op":"replace","path":5,"value":2}])",
       "replace operation failed to decode path: json: cannot unmarshal number into Go value of type string"},
      {R"({"a":1})", R"([{"op":"move","path":"/b"}])",
       "move operation failed to decode from: operation, missing from field: missing value"},
      {R"({"a":1})", R"([{"op":"move","from":"/x","path":"/b"}])",
       "error in move for path: 'x': Unable to remove nonexistent key: x: missing value"},
      {R"({"a":1})", R"([{"op":"move","from":"/a","path":"/x/y"}])",
       "move operation does not apply: doc is missing destination path: /x/y: missing value"},
      {R"({"a":1})", R"([{"op":"copy","from":"/q/r","path":"/b"}])",
       "copy operation does not apply: doc is missing from path: /q/r: missing value"},
      {R"({"a":1})", R"([{"op":"copy","from":"/a","path":"/x/y"}])",
       "copy operation does not apply: doc is missing destination path: /x/y: missing value"},
      {R"({"a":1})", R"([{"op":"test","path":"/x/y","value":1}])",
       "test operation does not apply: is missing path: /x/y: missing value"},
      {R"({"a":1})", R"([{"op":"test","path":"/a","value":1.0}])", "testing value /a failed: test failed"},
      {R"({"a":1})", R"([{"op":"frob","path":"/a"}])", "Unexpected kind: frob"},
      {R"({"a":1})", R"([{"path":"/a"}])", "Unexpected kind: unknown"},
      {R"({"a":1})", R"({"op":"add"})", "json: cannot unmarshal object into Go value of type jsonpatch.Patch"},
      {R"({"a":1})", R"(["x"])", "json: cannot unmarshal string into Go value of type jsonpatch.Operation"},
  };
  for (const auto& c : cases) {
    auto got = apply_json_patch(json::parse(c.doc), json::parse(c.patch));
    ASSERT_FALSE(got.ok()) << c.patch << " -> " << got->dump();
    EXPECT_EQ(got.error(), c.err) << c.patch;
  }
}

TEST(JSONPatch, Semantics) {
  struct Case {
    std::string doc, patch, want;  // `want` compared with key order
  } cases[] = {
      // order kept, new keys appended
      {R"({"b":1,"a":2})", R"([{"op":"add","path":"/c","value":3}])", R"({"b":1,"a":2,"c":3})"},
      {R"({"b":1,"a":2})", R"([{"op":"replace","path":"/b","value":5}])", R"({"b":5,"a":2})"},
      // v4 replace of a missing object key adds it
      {R"({"a":1})", R"([{"op":"replace","path":"/b","value":2}])", R"({"a":1,"b":2})"},
      {R"({"a":[1,2,3]})", R"([{"op":"add","path":"/a/-1","value":9}])", R"({"a":[1,2,3,9]})"},
      {R"({"a":[1,2,3]})", R"([{"op":"remove","path":"/a/-1"}])", R"({"a":[1,2]})"},
      {R"({"a":[1,2,3]})", R"([{"op":"add","path":"/a/-","value":4}])", R"({"a":[1,2,3,4]})"},
      {R"({"a/b":{"m~n":1}})", R"([{"op":"replace","path":"/a~1b/m~0n","value":2}])", R"({"a/b":{"m~n":2}})"},
      {R"({"a":1})", R"([{"op":"replace","path":"","value":{"z":1}}])", R"({"z":1})"},
      {R"({"a":1})", R"([{"op":"replace","path":"","value":5}])", R"({"a":1})"},
      {R"({"a":1})", R"([{"op":"copy","from":"/missing","path":"/b"}])", R"({"a":1,"b":null})"},
      {R"({"a":{"x":1},"b":{}})", R"([{"op":"move","from":"/a/x","path":"/b/y"}])", R"({"a":{},"b":{"y":1}})"},
      {R"({"a":1})", R"([{"op":"test","path":"","value":{"a":1}}])", R"({"a":1})"},
      {R"([1,2])", R"([{"op":"add","path":"/0","value":0}])", R"([0,1,2])"},
      {R"({"metadata":{"labels":{"a":"b"}}})", R"([{"op":"add","path":"/metadata/labels/c","value":"d"},{"op":"remove","path":"/metadata/labels/a"}])",
       R"({"metadata":{"labels":{"c":"d"}}})"},
  };
  for (const auto& c : cases) {
    auto got = apply_json_patch(json::parse(c.doc), json::parse(c.patch));
    ASSERT_TRUE(got.ok()) << c.patch << ": " << got.error();
    EXPECT_EQ(got->dump(), json::parse(c.want).dump()) << c.patch;
  }
}

TEST(MergePatch, Apply) {
  // RFC 7386 appendix A plus json-patch v4 quirks.
  struct Case {
    std::string doc, patch, want;
  } cases[] = {
      {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
      {R"({"a":"b"})", R"({"a":null})", R"({})"},
      {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
      {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
      {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
      {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
      {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
      {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
      {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
      {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
      {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
      {R"({"a":"x"})", R"({"a":{"b":null,"c":1}})", R"({"a":{"c":1}})"},
      {R"({"a":{"b":1}})", R"({"a":[{"x":null}]})", R"({"a":[{"x":null}]})"},
      {R"({})", R"({"a":[{"x":null},null]})", R"({"a":[{},null]})"},
      {R"({"metadata":{"labels":{"x":"y"},"name":"n"}})", R"({"metadata":{"labels":{"x":null,"z":"w"}}})",
       R"({"metadata":{"labels":{"z":"w"},"name":"n"}})"},
  };
  for (const auto& c : cases) {
    auto got = apply_merge_patch(json::parse(c.doc), json::parse(c.patch));
    ASSERT_TRUE(got.ok()) << c.patch << ": " << got.error();
    EXPECT_EQ(got->dump(), json::parse(c.want).dump()) << c.doc << " + " << c.patch;
  }
  EXPECT_EQ(apply_merge_patch(json(nullptr), json::object()).error(), "Invalid JSON Document");
  EXPECT_EQ(apply_merge_patch(json::object(), json(nullptr)).error(), "Invalid JSON Patch");
  EXPECT_EQ(apply_merge_patch(json::object(), json(5)).error(), "Invalid JSON Patch");
}

TEST(MergePatch, Create) {
  struct Case {
    std::string a, b, want;
  } cases[] = {
      {R"({"a":1})", R"({"a":1})", R"({})"},
      {R"({"a":1})", R"({"a":2})", R"({"a":2})"},
      {R"({"a":1,"b":2})", R"({"a":1})", R"({"b":null})"},
      {R"({"a":{"x":1,"y":2}})", R"({"a":{"x":1,"y":3}})", R"({"a":{"y":3}})"},
      {R"({"a":{"x":1}})", R"({"a":{"x":1}})", R"({})"},
      {R"({"a":[1,2]})", R"({"a":[1,2]})", R"({})"},
      {R"({"a":[1,2]})", R"({"a":[2,1]})", R"({"a":[2,1]})"},
      {R"({"a":"x"})", R"({"a":{"b":1}})", R"({"a":{"b":1}})"},
      {R"({"a":null})", R"({"a":null})", R"({})"},
      {R"({"a":1})", R"({"a":1.0})", R"({})"},
  };
  for (const auto& c : cases) {
    auto got = create_merge_patch(json::parse(c.a), json::parse(c.b));
    ASSERT_TRUE(got.ok()) << got.error();
    EXPECT_EQ(unordered(*got), unordered(json::parse(c.want))) << c.a << " -> " << c.b;
    auto applied = apply_merge_patch(json::parse(c.a), *got);
    ASSERT_TRUE(applied.ok());
  }
  EXPECT_EQ(create_merge_patch(json::array(), json::object()).error(), "Mismatched JSON Documents");
}

TEST(JSONPointer, Escaping) {
  EXPECT_EQ(escape_json_pointer_token("a/b~c"), "a~1b~0c");
  EXPECT_EQ(unescape_json_pointer_token("a~1b~0c"), "a/b~c");
  EXPECT_EQ(unescape_json_pointer_token("~01"), "~1");
}

}  // namespace
}  // namespace kapi::machinery
