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
        k = h.run_tool("kubectl", step)
        a = h.run_tool("kapi", step)
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
