#!/usr/bin/env python3
"""kapi client mode node maintenance (cordon, uncordon, drain, taint) against real kubectl 1.33.

`kapi serve` has no kubelets: the nodes are created from manifests and the pods are bound to them
through spec.nodeName. Each scenario runs the same steps with kubectl.1.33 and with `$KAPI_BIN`
(as argv[0] "kubectl") against one `kapi serve`, the state reset before each tool's run, and
requires stdout, stderr and the exit code of every step to match byte for byte; `expect=` pins
kubectl's own output for key steps.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_nodes.py [name-filter]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

NODES = "".join("""\
apiVersion: v1
kind: Node
metadata:
  name: %s
  labels:
    pool: %s
---
""" % (n, pool) for n, pool in [("n1", "w"), ("n2", "w"), ("dn1", "d"), ("dn2", "d"), ("dn3", "e")])

DAEMONSET = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ds1
spec:
  selector:
    matchLabels:
      app: ds1
  template:
    metadata:
      labels:
        app: ds1
    spec:
      containers:
      - name: c
        image: nginx
"""


def pod(name, node, labels="", owner=None, emptydir=False, annotations=""):
    meta = "  name: %s\n" % name
    if labels:
        meta += "  labels:\n    %s\n" % labels
    if annotations:
        meta += "  annotations:\n    %s\n" % annotations
    if owner:
        kind, oname = owner
        meta += ("  ownerReferences:\n  - apiVersion: apps/v1\n    kind: %s\n    name: %s\n"
                 "    uid: 6c1d3f0e-0000-4000-8000-00000000000%d\n    controller: true\n") % (kind, oname, len(name))
    spec = "  nodeName: %s\n" % node
    if emptydir:
        spec += "  volumes:\n  - name: v\n    emptyDir: {}\n"
    spec += "  containers:\n  - name: c\n    image: nginx\n"
    return "apiVersion: v1\nkind: Pod\nmetadata:\n%sspec:\n%s---\n" % (meta, spec)


PODS = (pod("p1", "dn1", labels="app: a") + pod("p2", "dn1", owner=("ReplicaSet", "rs1"), emptydir=True)
        + pod("p3", "dn2") + pod("ds-pod", "dn3", owner=("DaemonSet", "ds1"))
        + pod("mirror-dn3", "dn3", annotations="kubernetes.io/config.mirror: x"))


def reset_nodes():
    h.kubectl("delete", "nodes", "--all", "--wait=false")
    h.ok("create", "-f", h.write_file("nodes.yaml", NODES))


def reset_pods():
    h.kubectl("delete", "pods", "--all", "--force", "--grace-period=0")
    h.wait_until(lambda: h.kubectl("get", "pods", "-o", "name")[1] == "", what="pods gone")
    h.ok("create", "-f", h.write_file("pods.yaml", PODS))


def reset_all():
    reset_nodes()
    reset_pods()


def sorted_stdout(text):
    """kubectl evicts a node's pods concurrently: its lines about several pods come in any order."""
    return "".join(sorted(text.splitlines(True)))


def test_cordon():
    reset_all()
    h.ok("run", "px", "--image=nginx")
    h.compare([
        ("cordon", "n1"),
        ("cordon", "n1"),
        ("get", "node", "n1", "-o", "jsonpath={.spec.unschedulable}"),
        ("uncordon", "n1", "--dry-run=client"),
        ("uncordon", "n1", "--dry-run=server"),
        ("get", "node", "n1", "-o", "jsonpath={.spec.unschedulable}"),
        ("cordon", "-l", "pool=w"),
        ("uncordon", "node/n1", "n2"),
        ("get", "node", "n1", "-o", "jsonpath={.spec}"),
        ("cordon", "-l", "pool=none"),
        ("cordon",),
        ("uncordon",),
        ("cordon", "nope"),
        ("cordon", "n1", "nope", "n2"),
        ("cordon", "n1", "-l", "pool=w"),
        ("cordon", "pod/px"),
        ("cordon", "n1", "pod/px"),
        ("cordon", "foo/x"),
        ("cordon", "-l", "a b"),
        ("uncordon", "n1", "--dry-run=bad"),
        ("cordon", "n1", "-o", "name"),
    ], between=reset_nodes, expect={
        0: (0, "node/n1 cordoned\n"),
        1: (0, "node/n1 already cordoned\n"),
        2: (0, "true"),
        3: (0, "node/n1 uncordoned (dry run)\n"),
        4: (0, "node/n1 uncordoned (server dry run)\n"),
        5: (0, "true"),
        6: (0, "node/n1 already cordoned\nnode/n2 cordoned\n"),
        7: (0, "node/n1 uncordoned\nnode/n2 uncordoned\n"),
        8: (0, "{}"),
        9: (0, ""),
        10: (1, ""),
        12: (1, ""),
    })


def test_drain():
    reset_all()
    h.ok("create", "-f", h.write_file("ds.yaml", DAEMONSET))

    def between():
        reset_all()

    # (A node whose pods fail two filters is left out: kubectl orders those errors at random.)
    h.compare([
        ("drain", "dn2"),
        ("drain", "dn1", "--force"),
        ("drain", "dn1", "dn2", "--force", "--delete-emptydir-data", "--dry-run=client"),
        ("drain", "dn3"),
        ("drain", "dn3", "--ignore-daemonsets", "--dry-run=server"),
        ("drain", "dn2", "--force", "--timeout=2s"),
        ("drain", "dn2", "--force", "--timeout=1s", "--disable-eviction"),
        ("drain", "dn1", "--force", "--grace-period=0", "--pod-selector=app=a"),
        ("drain", "dn1", "--delete-emptydir-data", "--grace-period=0", "--disable-eviction"),
        ("get", "pods", "-o", "name"),
        ("drain", "dn1", "--pod-selector=a b"),
        ("drain",),
        ("drain", "dn1", "-l", "pool=d"),
        ("drain", "nope"),
        ("drain", "dn1", "--delete-local-data"),
    ], between=between, expect={
        0: (1, "node/dn2 cordoned\n"),
        2: (0, "node/dn1 already cordoned (dry run)\nnode/dn2 already cordoned (dry run)\n"
               "evicting pod default/p1 (dry run)\nevicting pod default/p2 (dry run)\nnode/dn1 drained (dry run)\n"
               "evicting pod default/p3 (dry run)\nnode/dn2 drained (dry run)\n"),
        4: (0, "node/dn3 already cordoned (server dry run)\nnode/dn3 drained (server dry run)\n"),
        5: (1, "node/dn2 already cordoned\nevicting pod default/p3\n"),
        7: (0, "node/dn1 already cordoned\nevicting pod default/p1\npod/p1 evicted\nnode/dn1 drained\n"),
        8: (0, "node/dn1 already cordoned\npod/p2 deleted\nnode/dn1 drained\n"),
        9: (0, "pod/ds-pod\npod/mirror-dn3\npod/p3\n"),
    })
    # Several pods of a node: kubectl's lines come in any order.
    h.compare([
        ("drain", "dn1", "--force", "--delete-emptydir-data", "--grace-period=0", "--dry-run=server"),
        ("drain", "-l", "pool=d", "--force", "--delete-emptydir-data", "--grace-period=0", "--timeout=1s"),
    ], between=between, normalize=sorted_stdout, expect={
        0: (0, sorted_stdout("node/dn1 cordoned (server dry run)\nevicting pod default/p1 (server dry run)\n"
                             "evicting pod default/p2 (server dry run)\nnode/dn1 drained (server dry run)\n")),
    })


def test_taint():
    reset_all()
    TAINTS = ("get", "nodes", "n1", "n2", "-o", "jsonpath={range .items[*]}{.spec.taints}{\"\\n\"}{end}")
    h.compare([
        ("taint", "nodes", "n1", "a=b:NoSchedule"),
        ("taint", "nodes", "n1", "a=b:NoSchedule"),
        ("taint", "nodes", "n1", "a=c:NoSchedule", "--overwrite"),
        ("taint", "node", "n1", "c:NoExecute", "d=e:PreferNoSchedule"),
        TAINTS,
        ("taint", "node", "n1", "a-"),
        ("taint", "node", "n1", "a-"),
        ("taint", "no", "n1", "c:NoExecute-"),
        ("taint", "nodes", "n1", "x=y:NoSchedule", "-o", "jsonpath={.spec.taints}"),
        ("taint", "nodes", "--all", "z=1:NoSchedule"),
        ("taint", "nodes", "n1", "n2", "z=1:NoSchedule"),
        ("taint", "nodes", "-l", "pool=w", "z=2:NoSchedule", "--overwrite", "--dry-run=client"),
        ("taint", "nodes", "-l", "pool=w", "z=2:NoSchedule", "--overwrite", "--dry-run=server"),
        TAINTS,
        ("taint", "nodes", "n1", "nope", "n2", "q=1:NoSchedule"),
        ("taint", "nodes", "n1", "z-", "q:NoSchedule-", "d-"),
        TAINTS,
        ("taint", "nodes", "n1", "x=y:Bad"),
        ("taint", "nodes", "n1", "x"),
        ("taint", "nodes", "n1", "x=y"),
        ("taint", "pods", "p1", "x=y:NoSchedule"),
        ("taint", "foo", "n1", "x=y:NoSchedule"),
        ("taint", "nodes", "x=y:NoSchedule"),
        ("taint", "nodes", "n1", "z=2:NoSchedule", "z-"),
        ("taint", "nodes", "n1", "q=1:NoSchedule", "q=2:NoSchedule"),
        ("taint", "nodes", "n1", "a/b/c=1:NoSchedule"),
        ("taint", "nodes", "n1", "/b=1:NoSchedule"),
        ("taint", "nodes", "n1", "A_b/b=1:NoSchedule"),
        ("taint", "nodes", "n1", "k=v v:NoSchedule"),
        ("taint", "nodes", "n1", "k=v:NoSchedule:x"),
        ("taint", "nodes", "n1", "k=v-"),
        ("taint",),
        ("taint", "nodes", "--all", "-l", "a=b", "z=1:NoSchedule"),
        ("taint", "nodes", "n1", "k=v:NoSchedule", "n2"),
        ("taint", "nodes", "n1", "n2", "nope-"),
    ], between=reset_nodes, expect={
        0: (0, "node/n1 tainted\n"),
        1: (1, ""),
        2: (0, "node/n1 modified\n"),
        4: (0, '[{"effect":"NoExecute","key":"c"},{"effect":"PreferNoSchedule","key":"d","value":"e"},'
               '{"effect":"NoSchedule","key":"a","value":"c"}]\n\n'),
        5: (0, "node/n1 untainted\n"),
        10: (1, ""),
        11: (0, "node/n1 modified\nnode/n2 modified\n"),
        14: (1, "node/n1 tainted\nnode/n2 tainted\n"),
    })


def test_top_and_help():
    h.compare([
        ("top", "node"),
        ("top", "pod"),
        ("top", "pods", "-A", "--containers"),
        ("top", "no", "n1"),
        ("top",),
        ("top", "foo"),
        ("top", "node", "n1", "--sort-by=x"),
        ("top", "node", "--sort-by=cpu", "-l", "a b"),
        ("top", "node", "a", "b"),
        ("top", "pod", "a", "b"),
        ("top", "node", "n1", "-l", "a=b"),
        ("top", "node", "-o", "json"),
        ("top", "pod", "--help"),
        ("cordon", "-h"),
        ("uncordon", "-h"),
        ("drain", "--help"),
        ("help", "taint"),
    ], expect={
        0: (1, ""),
        4: (1, ""),
    })
    h.eq(h.kubectl("top", "node")[2], "error: Metrics API not available\n", "kubectl top node")


if __name__ == "__main__":
    h.main(globals())
