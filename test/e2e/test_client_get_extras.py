#!/usr/bin/env python3
"""kapi client mode `get` extras against real kubectl 1.33: --sort-by (Table rows sorted by
their embedded objects, List items for -o json/yaml/name/jsonpath), --chunk-size, --show-kind.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_get_extras.py [name-filter]
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

AGE = re.compile(r"\b\d+s$", re.M)


def compare(steps, expect=None):
    """h.compare with the AGE column (last, time-dependent) masked: each step runs with kubectl
    and right after with kapi, and the outputs must match once ages read "<age>"."""
    results = []
    for i, step in enumerate(steps):
        args, stdin = (step if isinstance(step, tuple) and len(step) == 2 and isinstance(step[0], tuple)
                       else (step, None))
        k = h.run_tool("kubectl", args, input=stdin)
        a = h.run_tool("kapi", args, input=stdin)
        km = (k[0], AGE.sub("<age>", k[1]), k[2])
        am = (a[0], AGE.sub("<age>", a[1]), a[2])
        if km != am:
            h.fail("step %d %r:\n kubectl: %r\n kapi:    %r" % (i, step, k, a))
        if expect and i in expect:
            h.eq(km[:2], expect[i], "kubectl step %d (rc, stdout)" % i)
        results.append(km)
    return results


OBJECTS = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: sort-b
  namespace: sort-ns
  labels: {tier: "2", size: 100Mi}
data: {num: "10"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: sort-a
  namespace: sort-ns
  labels: {tier: "10", size: 1Gi}
data: {num: "9"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: sort-c
  namespace: sort-ns
  labels: {size: 2k}
---
apiVersion: v1
kind: Secret
metadata:
  name: sort-s
  namespace: sort-ns
"""


def setup():
    h.ok("create", "namespace", "sort-ns")
    h.ok("apply", "-f", h.write_file("sort-objects.yaml", OBJECTS))


def teardown():
    h.ok("delete", "namespace", "sort-ns")


def test_sort_by():
    setup()
    try:
        compare([
            ("get", "cm", "-n", "sort-ns", "--sort-by=.metadata.name"),
            ("get", "cm", "-n", "sort-ns", "--sort-by={.metadata.labels.tier}"),
            ("get", "cm", "-n", "sort-ns", "--sort-by=metadata.labels.size", "-o", "name"),
            ("get", "cm", "-n", "sort-ns", "--sort-by=.data.num", "-o", "jsonpath={.items[*].metadata.name}"),
            ("get", "cm", "-n", "sort-ns", "--sort-by=.data.nope"),           # printer error swallowed
            ("get", "cm,secret", "-n", "sort-ns", "--sort-by=.metadata.name", "-l", "tier"),
            ("get", "cm", "-n", "sort-ns", "--sort-by=.metadata.nope"),
            ("get", "cm", "-n", "sort-ns", "--sort-by=.metadata.nope", "-o", "name"),
            ("get", "cm", "-n", "sort-ns", "--sort-by=.metadata.name", "--no-headers", "-l", "size"),
            ("get", "cm", "sort-b", "sort-a", "-n", "sort-ns", "--sort-by=.metadata.name", "-o", "name"),
            ("get", "cm", "-n", "sort-ns", "--sort-by={{.metadata.name}}"),
        ], expect={
            0: (0, "NAME               DATA   AGE\nkube-root-ca.crt   1      <age>\nsort-a             1      <age>\n"
                   "sort-b             1      <age>\nsort-c             0      <age>\n"),
            2: (0, "configmap/kube-root-ca.crt\nconfigmap/sort-c\nconfigmap/sort-b\nconfigmap/sort-a\n"),
            4: (1, ""),
            3: (0, "sort-c kube-root-ca.crt sort-a sort-b"),  # missing first; "9" < "10" as quantities
            4: (0, ""),
        })
    finally:
        teardown()


def test_chunk_size_and_show_kind():
    setup()
    try:
        compare([
            ("get", "cm", "-n", "sort-ns", "--chunk-size=1", "-l", "size"),
            ("get", "cm", "-n", "sort-ns", "--chunk-size=2", "-o", "name"),
            ("get", "cm", "-n", "sort-ns", "--show-kind", "-l", "size"),
            ("get", "cm,secret", "-n", "sort-ns", "--show-kind", "--sort-by=.kind"),
        ])
    finally:
        teardown()


def test_get_from_files_and_subresources():
    """get -f fetches each object of the files by name in its own namespace (mismatches are
    reported after the rest); -l filters what was fetched (a Table has no labels); --subresource
    takes named objects only, and a non-Table answer prints as NAME and AGE."""
    setup()
    try:
        os.makedirs(os.path.join(h.server().tmp, "get-f"), exist_ok=True)
        objects = h.write_file("get-f/objects.yaml", OBJECTS)
        h.write_file("get-f/other.yaml", OBJECTS.replace("sort-ns", "elsewhere"))
        one = h.write_file("get-one.yaml", OBJECTS.split("---")[0])
        h.ok("create", "deployment", "gf", "-n", "sort-ns", "--image=nginx")
        k = compare([
            ("get", "-f", objects),
            ("get", "-f", objects, "-o", "name"),
            ("get", "-f", one, "-o", "jsonpath={.metadata.name}"),
            ("get", "-f", one, "-n", "sort-ns", "-o", "name"),
            ("get", "-f", one, "-n", "default"),
            ("get", "-n", "sort-ns", "-f", os.path.dirname(objects), "-o", "name"),
            ("get", "-f", objects, "-l", "tier"),
            ("get", "-f", objects, "-l", "tier", "-o", "name"),
            ("get", "-f", objects, "cm"),
            ("get", "-f", "/nonexistent/x.yaml"),
            (("get", "-f", "-", "-o", "name"), OBJECTS.split("---")[1]),
            ("get", "deploy", "gf", "-n", "sort-ns", "--subresource=scale"),
            ("get", "deploy", "gf", "-n", "sort-ns", "--subresource=scale", "-o", "jsonpath={.spec.replicas}"),
            ("get", "deploy", "gf", "-n", "sort-ns", "--subresource=status", "-o", "name"),
            ("get", "deploy", "-n", "sort-ns", "--subresource=scale"),
        ])
        h.eq(k[1][:2], (0, "configmap/sort-b\nconfigmap/sort-a\nconfigmap/sort-c\nsecret/sort-s\n"), "kubectl: -f -o name")
        h.eq(k[2][:2], (0, "sort-b"), "kubectl: one file, one object: not a List")
        h.eq(k[4][2], "error: the namespace from the provided object \"sort-ns\" does not match the namespace "
                      "\"default\". You must pass '--namespace=sort-ns' to perform this operation.\n",
             "kubectl: namespace mismatch")
        h.contains(k[5][2], 'Error from server (NotFound): namespaces "elsewhere" not found\n',
                   "kubectl: a missing object's missing namespace")
        h.eq(k[6][:2], (0, ""), "kubectl: -l after a Table fetch matches nothing")
        h.eq(k[7][:2], (0, "configmap/sort-b\nconfigmap/sort-a\n"), "kubectl: -l on objects")
        h.eq(k[11][:2], (0, "NAME   AGE\ngf     <age>\n"), "kubectl: scale prints NAME and AGE")
        h.eq(k[14][2], "error: subresource cannot be used when bulk resources are specified\n", "kubectl: bulk")
    finally:
        teardown()


def test_ambiguous_short_name_warns():
    """client-go's shortcut expander: "ev" is core events first; events.events.k8s.io shares the
    short name, so kubectl warns once (stderr) and lists core events."""
    k = compare([
        ("get", "ev", "-n", "sort-ns"),
        ("get", "ev,ev", "-n", "sort-ns", "-o", "name"),
        ("get", "events", "-n", "sort-ns"),
        ("get", "ev.events.k8s.io", "-n", "sort-ns"),
    ])
    warn = 'Warning: short name "ev" could also match lower priority resource events.events.k8s.io\n'
    h.eq(k[0], (0, "", warn + "No resources found in sort-ns namespace.\n"), "kubectl: get ev")
    h.eq(k[2][2], "No resources found in sort-ns namespace.\n", "kubectl: no warning for the full name")


if __name__ == "__main__":
    h.main(globals())
