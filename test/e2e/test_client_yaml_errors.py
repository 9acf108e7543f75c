#!/usr/bin/env python3
"""Malformed manifests: kapi's client must reject them exactly as kubectl 1.33 does.

- YAML syntax errors are go-yaml v2's (`error parsing F: error converting YAML to JSON: yaml:
  line N: ...`), for create, apply and replace, from a file or stdin, in any document of a file.
- Metadata that does not fit metav1.ObjectMeta (YAML 1.1 booleans and numbers as label or
  annotation values: `app: yes`, `tier: 1`, `on: true`) fails client-side (`unable to decode F:
  json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string`)
  and nothing is sent; the same values elsewhere (ConfigMap data, a template's labels) reach the
  server, which rejects them.

Every step runs with kubectl.1.33 and with kapi against one `kapi serve`; the key stderr texts
are pinned to what real kubectl printed.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_yaml_errors.py [name-filter]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"

SYNTAX = {
    # name: (text, kubectl's go-yaml message)
    "indent.yaml": (HEAD + "  name: a\n   namespace: x\n",
                    "yaml: line 5: mapping values are not allowed in this context"),
    "tab.yaml": (HEAD + "\tname: a\n", "yaml: line 4: found character that cannot start any token"),
    "dquote.yaml": (HEAD + '  name: "a\ndata:\n  k: v\n', "yaml: line 7: found unexpected end of stream"),
    "squote.yaml": (HEAD + "  name: 'a\n", "yaml: line 5: found unexpected end of stream"),
    "flowseq.yaml": (HEAD + "  name: a\n  labels: [a, b\ndata:\n  k: v\n",
                     "yaml: line 5: did not find expected ',' or ']'"),
    "flowmap.yaml": (HEAD + "  name: a\n  labels: {a: b\ndata:\n  k: v\n",
                     "yaml: line 5: did not find expected ',' or '}'"),
    "keyvalue.yaml": (HEAD + "  name: a\ndata:\n  k: value: x\n",
                      "yaml: line 6: mapping values are not allowed in this context"),
    "dedent.yaml": (HEAD + "  name: a\n labels:\n  x: y\n", "yaml: line 4: did not find expected key"),
    "seqinmap.yaml": (HEAD + "  name: a\n  - x\n", "yaml: line 4: did not find expected key"),
    "nocolon.yaml": (HEAD + "  name: a\ndata:\n  k: v\n  other\n", "yaml: line 8: could not find expected ':'"),
    "alias.yaml": (HEAD + "  name: &a x\n  x: *b\n", "yaml: unknown anchor 'b' referenced"),
    "escape.yaml": (HEAD + '  name: "a\\qb"\n', "yaml: line 4: found unknown escape character"),
    "blocktab.yaml": (HEAD + "  name: a\ndata:\n  k: |\n    x\n\t y\n",
                      "yaml: line 8: found a tab character where an indentation space is expected"),
    # Keys go-yaml decodes but JSON cannot hold: go-yaml's own error for a sequence or mapping
    # key (%#v of the value), sigs.k8s.io/yaml's for a null key (an anchor on an empty key).
    "anchorkey.yaml": (HEAD + "  name: a\ndata:\n  &a : b\n",
                       'unsupported map key of type: %!s(<nil>), key: <nil>, value: "b"'),
    "nullkey.yaml": (HEAD + "  name: a\ndata:\n  ? \n",
                     "unsupported map key of type: %!s(<nil>), key: <nil>, value: <nil>"),
    "seqkey.yaml": (HEAD + "  name: a\ndata:\n  ? [a]\n  : b\n", 'yaml: invalid map key: []interface {}{"a"}'),
    "flowkey.yaml": (HEAD + "  name: a\ndata:\n  [a]: b\n", 'yaml: invalid map key: []interface {}{"a"}'),
    "mapkey.yaml": (HEAD + "  name: a\ndata:\n  ? {b: 1, a: [x, ~]}\n  : v\n",
                    'yaml: invalid map key: map[interface {}]interface {}{"a":[]interface {}{"x", '
                    'interface {}(nil)}, "b":1}'),
    "brace.yaml": (HEAD + "  name: a\ndata: {app:---\n", "yaml: line 5: did not find expected ',' or '}'"),
    "tag.yaml": (HEAD + "  name: a\ndata:\n  k: !<foo v\n", "yaml: line 6: did not find the expected '>'"),
    "indent0.yaml": (HEAD + "  name: a\ndata:\n  k: |0\n    v\n",
                     "yaml: line 6: found an indentation indicator equal to 0"),
    "blockind.yaml": (HEAD + "  name: a\ndata:\n  k: |x\n    v\n",
                      "yaml: line 6: did not find expected comment or line break"),
    "dupdirective.yaml": ("%YAML 1.1\n%YAML 1.1\n---\n" + HEAD + "  name: a\n",
                          "yaml: line 1: found duplicate %YAML directive"),
    "directive.yaml": ("%FOO bar\n" + HEAD + "  name: a\n", "yaml: found unknown directive name"),
    "yaml12.yaml": ("%YAML 1.2\n---\n" + HEAD + "  name: a\n", "yaml: found incompatible YAML document"),
    "hex.yaml": (HEAD + '  name: a\ndata:\n  k: "\\xZZ"\n', "yaml: line 6: did not find expected hexdecimal number"),
    "ctrl.yaml": (HEAD + "  name: a\ndata:\n  k: a\x01b\n", "yaml: control characters are not allowed"),
    "emptyentry.yaml": (HEAD + "  name: a\ndata: [a,,b]\n", "yaml: line 4: did not find expected node content"),
    "merge.yaml": (HEAD + "  name: a\ndata:\n  <<: 1\n",
                   "yaml: map merge requires map or sequence of maps as the value"),
    "anchor.yaml": (HEAD + "  name: a\ndata:\n  k: & v\n",
                    "yaml: line 6: did not find expected alphabetic or numeric character"),
}


def write_all():
    return {name: h.write_file(name, text) for name, (text, _) in SYNTAX.items()}


def test_syntax_errors_create_apply_replace():
    write_all()
    steps = []
    for name in SYNTAX:
        steps.append(("create", "-f", name))
    for name in ("indent.yaml", "nocolon.yaml", "dquote.yaml"):
        steps.append(("apply", "-f", name))
        steps.append(("replace", "-f", name))
    res = h.compare(steps)
    for i, name in enumerate(SYNTAX):
        want = "error: error parsing %s: error converting YAML to JSON: %s\n" % (name, SYNTAX[name][1])
        h.eq(res[i], (1, "", want), "kubectl create -f %s" % name)


def test_syntax_error_in_a_later_document_and_stdin():
    """Documents before the malformed one are still created; stdin is named STDIN."""
    text = (HEAD + "  name: before-error\n---\n" + HEAD + "  name: x\n  labels: [a\n---\n" +
            HEAD + "  name: after-error\n")
    h.write_file("multi.yaml", text)
    # A "---" at the start of the stream and a document separator followed by a comment.
    dup = "---\n---\n" + HEAD + "  name: dup-sep\n--- # next\n---\n"
    h.write_file("dupsep.yaml", dup)

    def cleanup():
        h.kubectl("delete", "cm", "before-error", "after-error", "dup-sep", "--ignore-not-found")
    cleanup()
    res = h.compare([
        ("create", "-f", "multi.yaml"),
        ("get", "cm", "-o", "name"),
        (("apply", "-f", "-"), SYNTAX["tab.yaml"][0]),
        ("create", "-f", "dupsep.yaml"),
    ], between=cleanup, expect={1: (0, "configmap/before-error\nconfigmap/kube-root-ca.crt\n"),
                                3: (0, "configmap/dup-sep created\n")})
    h.eq(res[0], (1, "configmap/before-error created\n",
                  "error: error parsing multi.yaml: error converting YAML to JSON: "
                  "yaml: line 5: did not find expected ',' or ']'\n"), "kubectl create multi.yaml")
    h.eq(res[2][2], "error: error parsing STDIN: error converting YAML to JSON: "
         "yaml: line 4: found character that cannot start any token\n", "kubectl apply -f - stderr")
    cleanup()


def test_separator_and_text_decoding():
    """YAMLReader: "--- text" is an error that also drops the document it would end; the file
    is read through BOMOverride(UTF-8): UTF-16 with a BOM is decoded, a UTF-8 BOM dropped, and
    each invalid UTF-8 byte becomes U+FFFD (so such a file is accepted)."""
    sep = HEAD + "  name: s1\n---\n" + HEAD + "  name: s2\n--- junk\n" + HEAD + "  name: s3\n"
    h.write_file("sep.yaml", sep)
    h.write_file("sep2.yaml", HEAD + "  name: s4\n---\t \u00a0x\n")
    body = HEAD + '  name: %s\ndata:\n  k: "\u00e9\u20ac\U0001F600"\n'
    srv_tmp = h.server().tmp
    with open(os.path.join(srv_tmp, "u16le.yaml"), "wb") as f:
        f.write(b"\xff\xfe" + (body % "u16le").encode("utf-16-le"))
    with open(os.path.join(srv_tmp, "u16be.yaml"), "wb") as f:
        f.write(b"\xfe\xff" + (body % "u16be").encode("utf-16-be"))
    with open(os.path.join(srv_tmp, "bom8.yaml"), "wb") as f:
        f.write(b"\xef\xbb\xbf" + (body % "bom8").encode())
    with open(os.path.join(srv_tmp, "latin1.yaml"), "wb") as f:
        f.write((HEAD + "  name: latin1\ndata:\n  k\xe9: v\xc3\n").encode("latin-1"))

    def cleanup():
        h.kubectl("delete", "cm", "s1", "s2", "s3", "s4", "u16le", "u16be", "bom8", "latin1", "--ignore-not-found")
    cleanup()
    jp = "jsonpath={range .items[*]}{.metadata.name}={.data}{\"\\n\"}{end}"
    res = h.compare([("create", "-f", "sep.yaml"), ("apply", "-f", "sep2.yaml"),
                     ("create", "-f", "u16le.yaml"), ("create", "-f", "u16be.yaml"), ("create", "-f", "bom8.yaml"),
                     ("create", "-f", "latin1.yaml"),
                     ("get", "cm", "s1", "s2", "s3", "s4", "u16le", "u16be", "bom8", "latin1", "-o", jp,
                      "--ignore-not-found")],
                    between=cleanup)
    h.eq(res[0], (1, "configmap/s1 created\n",
                  "error: error parsing sep.yaml: invalid Yaml document separator: junk\n"), "kubectl sep")
    h.eq(res[1][2], "error: error parsing sep2.yaml: invalid Yaml document separator: x\n", "TrimSpace")
    h.eq(res[6][1], 's1=\nu16le={"k":"\u00e9\u20ac\U0001F600"}\nu16be={"k":"\u00e9\u20ac\U0001F600"}\n'
         'bom8={"k":"\u00e9\u20ac\U0001F600"}\nlatin1={"k\ufffd":"v\ufffd"}\n', "decoded data")
    cleanup()


META = {
    "bool-label.yaml": (HEAD + "  name: b1\n  labels:\n    app: yes\n    tier: 1\n",
                        "json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string"),
    "on-annotation.yaml": (HEAD + "  name: b2\n  annotations:\n    on: true\n",
                           "json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.annotations of type string"),
    # Keys are checked in sorted order: annotations before labels.
    "sorted.yaml": (HEAD + "  name: b3\n  labels:\n    b: true\n  annotations:\n    a: 1\n",
                    "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.annotations of type string"),
    "list-labels.yaml": (HEAD + "  name: b4\n  labels: [a]\n",
                         "json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string"),
    "float-generation.yaml": (HEAD + "  name: b5\n  generation: 1.5\n",
                              "json: cannot unmarshal number 1.5 into Go struct field ObjectMeta.metadata.generation of type int64"),
    "owner.yaml": (HEAD + "  name: b6\n  ownerReferences: [{controller: 1}]\n",
                   "json: cannot unmarshal number into Go struct field OwnerReference.metadata.ownerReferences.controller of type bool"),
    "finalizers.yaml": (HEAD + "  name: b7\n  finalizers: x\n",
                        "json: cannot unmarshal string into Go struct field ObjectMeta.metadata.finalizers of type []string"),
    "timestamp.yaml": (HEAD + "  name: b8\n  creationTimestamp: 5\n",
                       "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string"),
    "meta-number.yaml": ("apiVersion: v1\nkind: ConfigMap\nmetadata: 5\n",
                         "json: cannot unmarshal number into Go struct field metadataOnlyObject.metadata of type v1.ObjectMeta"),
    "unknown-kind.yaml": ("apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\n  labels: {a: 1}\n",
                          "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"),
}

SERVER_SIDE = {
    # Not metadata: the server decodes and rejects them.
    "data-number.yaml": HEAD + "  name: d1\ndata:\n  a: 1\n  b: true\n",
    "template-label.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: d2
spec:
  selector:
    matchLabels:
      app: yes
  template:
    metadata:
      labels:
        app: yes
    spec:
      containers:
      - name: c
        image: nginx
""",
    # A List's items are not checked client-side.
    "list-item.yaml": ("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n"
                       "  metadata:\n    name: d3\n    labels: {a: 1}\n"),
}


def test_metadata_that_is_not_object_meta():
    for name, (text, _) in META.items():
        h.write_file(name, text)
    for name, text in SERVER_SIDE.items():
        h.write_file(name, text)
    h.write_file("two-bad.yaml", META["bool-label.yaml"][0] + "---\n" + HEAD + "  name: y\n")
    steps = [("create", "-f", name) for name in META]
    steps += [("apply", "-f", "bool-label.yaml"), ("replace", "-f", "on-annotation.yaml"),
              ("apply", "-f", "two-bad.yaml", "--dry-run=client"),
              ("create", "-f", "data-number.yaml"), ("apply", "-f", "template-label.yaml"),
              ("replace", "-f", "template-label.yaml"),
              ("apply", "-f", "list-item.yaml", "--dry-run=client", "-o", "name"),
              ("get", "cm", "-o", "name")]
    res = h.compare(steps, expect={len(steps) - 1: (0, "configmap/kube-root-ca.crt\n")})
    for i, name in enumerate(META):
        h.eq(res[i], (1, "", 'error: unable to decode "%s": %s\n' % (name, META[name][1])),
             "kubectl create -f %s" % name)
    # Two failing documents: an aggregate, one error per line without "error: ". The second
    # name, y, is a YAML 1.1 boolean.
    h.eq(res[len(META) + 2][2],
         'unable to decode "two-bad.yaml": json: cannot unmarshal bool into Go struct field '
         'ObjectMeta.metadata.labels of type string\nunable to decode "two-bad.yaml": json: cannot '
         'unmarshal bool into Go struct field ObjectMeta.metadata.name of type string\n', "aggregate")
    h.eq(res[len(META) + 3][2],
         'Error from server (BadRequest): error when creating "data-number.yaml": ConfigMap in version '
         '"v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field '
         'ConfigMap.data of type string\n', "server-side data error")


if __name__ == "__main__":
    h.main(globals())
