#include "client/printers/go_template.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;

// Expected strings come from kubectl 1.33 `get -o go-template=...` on the same objects and from
// Go's text/template documentation.
const Json kDeploy = Json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment",
  "metadata":{"name":"web","labels":{"app":"web"}},
  "spec":{"replicas":3,"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},
  "spec":{"containers":[{"image":"nginx","name":"nginx","resources":{}}],"terminationGracePeriodSeconds":30}}}})");
const Json kCm = Json::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm1"},
  "data":{"a":"hello","b":"world"}})");
const Json kSecret = Json::parse(R"({"kind":"Secret","data":{"pw":"czNjcmV0"}})");

std::string run(const std::string& tmpl, const Json& data, bool allow_missing = true) {
  GoTemplate t;
  std::string err, out;
  if (!t.parse(tmpl, &err)) return "PARSE: " + err;
  t.allow_missing_keys(allow_missing);
  if (!t.execute(data, out, &err)) return out + "EXEC: " + err;
  return out;
}

TEST(GoTemplate, FieldsAndValues) {
  EXPECT_EQ(run("{{.spec.replicas}}", kDeploy), "3");
  EXPECT_EQ(run("{{.data}}", kCm), "map[a:hello b:world]");
  EXPECT_EQ(run("{{.metadata.nothing}}", kCm), "<no value>");
  EXPECT_EQ(run("{{.metadata.nothing.foo}}", kDeploy), "<no value>");
  EXPECT_EQ(run("{{.spec.template.metadata.creationTimestamp}}", kDeploy), "<no value>");
  EXPECT_EQ(run("{{$x := .spec.template.metadata.creationTimestamp}}{{$x.foo}}", kDeploy), "<no value>");
  EXPECT_EQ(run("{{.spec.template.spec.containers}}", kDeploy),
            "[map[image:nginx name:nginx resources:map[]]]");
  EXPECT_EQ(run("{{.spec.template.spec.terminationGracePeriodSeconds}}", kDeploy), "30");
  EXPECT_EQ(run("{{.}}", Json::parse(R"({"f":1.5,"g":1e21,"n":null})")), "map[f:1.5 g:1e+21 n:<nil>]");
}

TEST(GoTemplate, Functions) {
  EXPECT_EQ(run("{{eq .spec.replicas 3}}", kDeploy), "true");
  EXPECT_EQ(run(R"({{printf "%q %d %v %s" .metadata.name 5 .data .kind}})", kCm), R"("cm1" 5 map[a:hello b:world] ConfigMap)");
  EXPECT_EQ(run("{{.data.pw | base64decode}}", kSecret), "s3cret");
  EXPECT_EQ(run(R"({{len .data}} {{index .data "a"}} {{index .data "zz"}})", kCm), "2 hello <no value>");
  EXPECT_EQ(run(R"({{.metadata.name | printf "%T"}})", kCm), "string");
  EXPECT_EQ(run(R"({{printf "%d" .spec.replicas}})", kDeploy), "3");
  EXPECT_EQ(run(R"({{index .spec.template.spec.containers 0 "name"}})", kDeploy), "nginx");
  EXPECT_EQ(run(R"({{printf "%s|%d|%v|%5d|%-4s|%x|%t|%T" .spec.replicas .kind 1.5 7 "ab" "hi" true .metadata}})", kDeploy),
            "%!s(int64=3)|%!d(string=Deployment)|1.5|    7|ab  |6869|true|map[string]interface {}");
  EXPECT_EQ(run(R"({{printf "%d %d"  1}})", kDeploy), "1 %!d(MISSING)");
  EXPECT_EQ(run(R"({{printf "%d"  1 2}})", kDeploy), "1%!(EXTRA int=2)");
  EXPECT_EQ(run(R"({{print 1 2 "a" "b" 3 .spec.replicas nil}})", kDeploy), "1 2ab3 3 <nil>");
  EXPECT_EQ(run(R"({{println 1 "a"}})", kDeploy), "1 a\n");
  EXPECT_EQ(run(R"({{and 1 0 2}} {{or 0 "" "z"}} {{not 0}} {{ne "a" "b"}} {{lt 1 2}} {{le 2 2}} {{ge 1 2}})", kDeploy),
            "0 z true true true true false");
  EXPECT_EQ(run(R"({{eq .missing "x"}})", kCm), "false");
  EXPECT_EQ(run(R"({{printf "%s|%v" .missing .missing}})", kCm), "%!s(<nil>)|<nil>");
  EXPECT_EQ(run(R"({{exists . "data" "a"}} {{exists . "data" "q"}})", kCm), "true false");
}

TEST(GoTemplate, Control) {
  EXPECT_EQ(run(R"({{range $i, $c := .spec.template.spec.containers}}{{$i}}={{$c.name}} {{end}})", kDeploy), "0=nginx ");
  EXPECT_EQ(run(R"({{range $k, $v := .metadata.labels}}{{$k}}={{$v}};{{else}}none{{end}})", kDeploy), "app=web;");
  EXPECT_EQ(run(R"({{range .metadata.nolabels}}x{{else}}none{{end}})", kDeploy), "none");
  EXPECT_EQ(run(R"({{if gt .spec.replicas 2}}big{{else if eq .spec.replicas 2}}two{{else}}small{{end}})", kDeploy), "big");
  EXPECT_EQ(run(R"({{with .metadata.labels}}{{.app}}{{end}} {{- "  x  " -}}   y)", kDeploy), "web  x  y");
  EXPECT_EQ(run(R"({{range .data}}{{if eq . "world"}}{{break}}{{end}}{{.}},{{end}})", kCm), "hello,");
  EXPECT_EQ(run(R"({{range $v := .data}}{{if eq $v "hello"}}{{continue}}{{end}}{{$v}}{{end}})", kCm), "world");
  EXPECT_EQ(run("a {{/* comment */}} b {{- /* trimmed */ -}} c", kCm), "a  bc");
  EXPECT_EQ(run(R"({{$n := 0}}{{range .data}}{{$n = .}}{{end}}{{$n}})", kCm), "world");
}

TEST(GoTemplate, Errors) {
  EXPECT_EQ(run("{{.foo", kCm), "PARSE: template: output:1: unclosed action");
  EXPECT_EQ(run("{{foo}}", kCm), "PARSE: template: output:1: function \"foo\" not defined");
  EXPECT_EQ(run("{{if .a}}x", kCm), "PARSE: template: output:1: unexpected EOF");
  EXPECT_EQ(run("{{end}}", kCm), "PARSE: template: output:1: unexpected {{end}}");
  EXPECT_EQ(run("{{$x}}", kCm), "PARSE: template: output:1: undefined variable \"$x\"");
  EXPECT_EQ(run("{{.a}", kCm), "PARSE: template: output:1: bad character U+007D '}'");
  EXPECT_EQ(run("{{eq .spec.replicas 3.0}}", kDeploy),
            "EXEC: template: output:1:2: executing \"output\" at <eq .spec.replicas 3.0>: error calling eq: "
            "incompatible types for comparison");
  EXPECT_EQ(run("{{.metadata.name.foo}}", kCm),
            "EXEC: template: output:1:11: executing \"output\" at <.metadata.name.foo>: can't evaluate field foo in "
            "type interface {}");
  EXPECT_EQ(run("{{.spec.template.metadata.creationTimestamp.foo}}", kDeploy),
            "EXEC: template: output:1:7: executing \"output\" at <.spec.template.metadata.creationTimestamp.foo>: "
            "nil pointer evaluating interface {}.foo");
  EXPECT_EQ(run(R"({{index .spec.template.spec.containers 0 "name"}} {{index .spec.template.spec.containers 5}})", kDeploy),
            "nginx EXEC: template: output:1:52: executing \"output\" at <index .spec.template.spec.containers 5>: "
            "error calling index: index out of range: 5");
  EXPECT_EQ(run("{{len .spec.replicas}}", kDeploy),
            "EXEC: template: output:1:2: executing \"output\" at <len .spec.replicas>: error calling len: len of type int64");
  EXPECT_EQ(run("{{printf .kind}}{{printf 3}}", kCm),
            "ConfigMapEXEC: template: output:1:25: executing \"output\" at <3>: expected string; found 3");
  EXPECT_EQ(run("{{base64decode .missing}}", kCm),
            "EXEC: template: output:1:15: executing \"output\" at <.missing>: invalid value; expected string");
  EXPECT_EQ(run(R"({{base64decode "!!"}})", kCm),
            "EXEC: template: output:1:2: executing \"output\" at <base64decode \"!!\">: error calling base64decode: "
            "base64 decode failed: illegal base64 data at input byte 0");
  EXPECT_EQ(run("{{range .kind}}x{{end}}", kCm),
            "EXEC: template: output:1:8: executing \"output\" at <.kind>: range can't iterate over ConfigMap");
  EXPECT_EQ(run("{{.data.a 1}}", kCm),
            "EXEC: template: output:1:7: executing \"output\" at <.data.a>: a is not a method but has arguments");
  EXPECT_EQ(run(R"({{"x" | .data.a}})", kCm),
            "EXEC: template: output:1:13: executing \"output\" at <.data.a>: a is not a method but has arguments");
  EXPECT_EQ(run("{{eq .data .data}}", kCm),
            "EXEC: template: output:1:2: executing \"output\" at <eq .data .data>: error calling eq: non-comparable "
            "type map[a:hello b:world]: map[string]interface {}");
  EXPECT_EQ(run("{{index .data 1}}", kCm),
            "EXEC: template: output:1:2: executing \"output\" at <index .data 1>: error calling index: value has type "
            "int; should be string");
  EXPECT_EQ(run(R"({{template "x"}})", kCm),
            "EXEC: template: output:1:11: executing \"output\" at <{{template \"x\"}}>: template \"x\" not defined");
  EXPECT_EQ(run("{{.metadata.nope}}", kCm, false),
            "EXEC: template: output:1:11: executing \"output\" at <.metadata.nope>: map has no entry for key \"nope\"");
}

}  // namespace
}  // namespace kapi::client
