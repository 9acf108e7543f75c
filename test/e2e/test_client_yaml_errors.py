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
