#!/usr/bin/env python3
"""kapi serve's answers to bodies it cannot decode, with upstream's exact texts.

- Malformed JSON/YAML: the apiserver's transformDecodeError without a kind, `the object provided
  is unrecognized (must be of type K): couldn't get version/kind; json parse error: <encoding/json
  SyntaxError> (<summarizeData>)`; encoding/json's messages are pinned in
  pkg/runtime/go_json_syntax_test.cpp (taken from real kubectl).
- YAML bodies under fieldValidation=Strict: apimachinery's json serializer runs
  yaml.YAMLToJSONStrict first (go-yaml v2: `line N: key "a" already set in map`), then the JSON
  strict decode (unknown fields). Under Warn the multi-line YAML error cannot be a Warning header
  (net.NewWarningHeader rejects control characters) and is dropped.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
import test_server_http as http  # noqa: E402  (call / status_of helpers only)

CMS = "/api/v1/namespaces/default/configmaps"
JSON = {"Content-Type": "application/json"}
YAML = {"Content-Type": "application/yaml"}


def post(path, body, headers):
    code, hdrs, raw = http.call("POST", path, body.encode() if isinstance(body, str) else body, headers)
    return code, hdrs, http.status_of(raw) if code >= 400 else json.loads(raw)


def test_malformed_json_is_unrecognized_with_go_syntax_error():
    cases = [
        (b'{"kind":"ConfigMap",}', "invalid character '}' looking for beginning of object key string",
         '{"kind":"ConfigMap",}'),
        (b'{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}',
         "unexpected end of JSON input", '{"apiVersion": "v1", "kind": " ...'),
        (b"apiVersion: v1", "invalid character 'a' looking for beginning of value", "61706956657273696f6e3a207631"),
        (b"", "unexpected end of JSON input", "<empty>"),
    ]
    for body, err, summary in cases:
        code, _, st = post(CMS, body, JSON)
        h.eq(st, (400, "BadRequest", "the object provided is unrecognized (must be of type ConfigMap): "
                                     "couldn't get version/kind; json parse error: %s (%s)" % (err, summary)),
             "POST %r" % body)


def test_json_that_is_not_an_object():
    code, _, st = post(CMS, b'["a"]', JSON)
    h.eq(st, (400, "BadRequest",
              'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json '
              'parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string '
              '"json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (5b2261225d)'), "array body")
    code, _, st = post(CMS, b'{"kind":5}', JSON)
    h.eq(st, (400, "BadRequest",
              "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json "
              "parse error: json: cannot unmarshal number into Go struct field .kind of type string "
              '({"kind":5})'), "numeric kind")


YAML_CM = """apiVersion: v1
kind: ConfigMap
metadata:
  name: %s
data:
  a: "1"
  a: "2"
bogus: {}
"""


def test_yaml_strict_reports_duplicate_keys_then_unknown_fields():
    code, _, st = post(CMS + "?fieldValidation=Strict", YAML_CM % "ystrict", YAML)
    h.eq(st, (400, "BadRequest",
              'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: '
              'yaml: unmarshal errors:\n  line 7: key "a" already set in map, unknown field "bogus"'), "Strict")


def test_yaml_warn_keeps_the_last_value_and_warns_only_single_line_problems():
    code, hdrs, obj = post(CMS + "?fieldValidation=Warn", YAML_CM % "ywarn", YAML)
    h.eq(code, 201, "created under Warn")
    h.eq(obj["data"], {"a": "2"}, "the later duplicate wins (non-strict YAMLToJSON)")
    h.eq(hdrs.get("Warning"), '299 - "unknown field \\"bogus\\""', "Warning header")


def test_malformed_yaml_is_unrecognized():
    code, _, st = post(CMS, "a: [1\n", YAML)
    h.eq(st[:2], (400, "BadRequest"), "undecodable YAML")
    h.check(st[2].startswith("the object provided is unrecognized (must be of type ConfigMap): yaml: line "),
            "unrecognized form without the sigs.k8s.io/yaml.Unmarshal prefix: %r" % st[2])
    h.check(st[2].endswith(" (613a205b310a)"), "hex summary of a non-'{' body: %r" % st[2])


if __name__ == "__main__":
    h.main(globals(), need_kubectl=False)
