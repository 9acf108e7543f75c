#!/usr/bin/env python3
"""kapi client mode `apply --prune` (without ApplySet) against real kubectl 1.33.

Each scenario applies a full set, then a smaller one with --prune, first with kubectl.1.33 and
then with kapi against the same server; stdout, stderr (klog headers aside) and exit codes must
match. `expect=` pins kubectl's own output for the key steps.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_prune.py [name-filter]
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

FULL = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: keep
  labels: {app: x}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: old
  labels: {app: x}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: other
  labels: {app: z}
---
apiVersion: v1
kind: Secret
metadata:
  name: olds
  labels: {app: x}
"""

SMALL = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: keep
  labels: {app: x}
"""

KLOG = re.compile(r"^([IWE])\d{4} [\d:.]+ +\d+ ", re.M)
ALLOW = ("--prune-allowlist=core/v1/ConfigMap", "--prune-allowlist=core/v1/Secret")


def dirs():
    srv = h.server()
    out = {}
    for name, text in (("full", FULL), ("small", SMALL)):
        d = os.path.join(srv.tmp, "prune-" + name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "objects.yaml"), "w") as fh:
            fh.write(text)
        out[name] = d
    return out


def reset():
    h.kubectl("delete", "cm,secret", "-l", "app in (x,z)", "--ignore-not-found")
    h.kubectl("delete", "ns", "prune-ns", "--ignore-not-found", "--wait=false")
    h.wait_until(lambda: h.kubectl("get", "ns", "prune-ns")[0] == 1, what="namespace prune-ns gone")


def compare(steps, expect=None):
    """h.compare with klog headers normalised and the objects reset before each client's run."""
    results = {}
    for tool in ("kubectl", "kapi"):
        reset()
        outs = []
        for s in steps:
            args, stdin = s if isinstance(s[0], tuple) else (s, None)  # (args, stdin) or args
            outs.append(h.run_tool(tool, args, input=stdin))
        results[tool] = outs
        results[tool] = [(rc, out, KLOG.sub(r"\1 KLOG ", err)) for rc, out, err in results[tool]]
    for i, step in enumerate(steps):
        k, a = results["kubectl"][i], results["kapi"][i]
        if k != a:
            h.fail("step %d %r:\n kubectl: %r\n kapi:    %r" % (i, step, k, a))
        if expect and i in expect:
            h.eq(k[:2], expect[i], "kubectl step %d (rc, stdout)" % i)
    reset()


def test_prune_selector_allowlist():
    d = dirs()
    compare([
        ("apply", "-f", d["full"]),
        ("apply", "-f", d["small"], "--prune", "-l", "app=x") + ALLOW + ("--dry-run=client",),
        ("apply", "-f", d["small"], "--prune", "-l", "app=x") + ALLOW + ("--dry-run=server",),
        ("apply", "-f", d["small"], "--prune", "-l", "app=x") + ALLOW,
        ("get", "cm,secret", "-l", "app", "-o", "name"),
        ("apply", "-f", d["small"], "--prune", "-l", "app=x") + ALLOW,
    ], expect={
        1: (0, "configmap/keep configured (dry run)\nconfigmap/old pruned (dry run)\nsecret/olds pruned (dry run)\n"),
        2: (0, "configmap/keep unchanged (server dry run)\nconfigmap/old pruned (server dry run)\n"
               "secret/olds pruned (server dry run)\n"),
        3: (0, "configmap/keep unchanged\nconfigmap/old pruned\nsecret/olds pruned\n"),
        4: (0, "configmap/keep\nconfigmap/other\n"),
        5: (0, "configmap/keep unchanged\n"),
    })


def test_prune_all_name_output_and_unannotated():
    d = dirs()
    compare([
        ("apply", "-f", d["full"]),
        ("create", "configmap", "manual"),  # no last-applied annotation: never pruned
        ("label", "configmap", "manual", "app=x"),
        ("apply", "-f", d["small"], "--prune", "--all", "-o", "name", "--prune-allowlist=core/v1/ConfigMap"),
        ("get", "cm", "-o", "name"),
        ("delete", "cm", "manual"),
    ], expect={
        3: (0, "configmap/keep\nconfigmap/old\nconfigmap/other\n"),
    })


def test_prune_default_allowlist_and_errors():
    d = dirs()
    compare([
        ("apply", "-f", d["small"], "--prune"),
        ("apply", "-f", d["small"], "--prune", "--all", "-l", "app=x"),
        ("apply", "-f", d["small"], "--prune", "--all", "--force"),
        ("apply", "-f", d["small"], "--prune", "-l", "app=x", "--server-side"),
        ("apply", "-f", d["small"], "--prune", "-l", "app=x", "--prune-allowlist=v1/Secret"),
        ("apply", "-f", d["small"], "--prune", "-l", "app=x", "--prune-allowlist=core/v1/Foo"),
        ("apply", "-f", d["small"], "--prune", "-l", "app=x", "--prune-allowlist=example.com/v1/Foo"),
        ("apply", "-f", d["small"], "--prune-allowlist=core/v1/Foo"),  # ignored without --prune
        ("apply", "-f", d["small"], "-l", "app=z"),
        ("apply", "-f", d["small"], "-l", "app in (x"),
        # The default allowlist: kapi serves no PersistentVolumeClaim, so kubectl stops there.
        ("apply", "-f", d["small"], "--prune", "-l", "app=x"),
    ], expect={
        0: (1, ""),
        4: (1, ""),
        7: (0, "configmap/keep created\n"),
        8: (1, ""),
    })
    rc, out, err = h.kubectl("apply", "-f", d["small"], "--prune")
    h.contains(err, "error: all resources selected for prune without explicitly passing --all")


def test_prune_namespaces():
    d = dirs()
    # Namespaced kinds are pruned only in the namespaces the apply touched; Namespace itself is
    # cluster-scoped and pruned everywhere.
    ns_yaml = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prune-ns\n  labels: {app: x}\n"
    compare([
        ("apply", "-f", d["full"]),
        ("apply", "-f", d["full"], "-n", "kube-public"),
        (("apply", "-f", "-"), ns_yaml),
        ("apply", "-f", d["small"], "-n", "kube-public", "--prune", "-l", "app=x",
         "--prune-allowlist=core/v1/ConfigMap", "--prune-allowlist=core/v1/Namespace"),
        ("get", "cm", "-A", "-l", "app", "-o", "name"),
        # (no AGE column: each tool's run creates the namespace anew, and a loaded machine can
        # put the two readings a second apart)
        ("get", "ns", "prune-ns", "-o", "custom-columns=NAME:.metadata.name,STATUS:.status.phase"),
        ("delete", "cm,secret", "-n", "kube-public", "-l", "app"),
    ], expect={
        3: (0, "configmap/keep unchanged\nconfigmap/old pruned\nnamespace/prune-ns pruned\n"),
        5: (0, "NAME       STATUS\nprune-ns   Terminating\n"),
    })


if __name__ == "__main__":
    h.main(globals())
