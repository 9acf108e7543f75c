#!/usr/bin/env python3
"""kapi client mode `apply --server-side`, `apply --dry-run=client|server` and `apply -o`
against real kubectl 1.33 (same server, identical rc/stdout/stderr for every step).

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_apply_modes.py [name-filter]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

compare = h.compare

CM = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: modes-cm
data:
  a: "{a}"
"""

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: modes-web
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: modes-web
  template:
    metadata:
      labels:
        app: modes-web
    spec:
      containers:
      - name: c
        image: nginx
"""

FIELDS = "jsonpath={.data}{.spec.replicas}"


def test_dry_run_client_and_server():
    cm1 = h.write_file("modes-cm1.yaml", CM.format(a="1"))
    cm2 = h.write_file("modes-cm2.yaml", CM.format(a="2"))
    compare([
        ("apply", "-f", cm1, "--dry-run=client"),
        ("apply", "-f", cm1, "--dry-run=server"),
        ("get", "configmap", "modes-cm"),
        ("apply", "-f", cm1),
        ("apply", "-f", cm2, "--dry-run=client"),
        ("apply", "-f", cm2, "--dry-run=server"),
        ("apply", "-f", cm1, "--dry-run=server"),
        ("get", "configmap", "modes-cm", "-o", "jsonpath={.data}"),
        ("apply", "-f", cm1, "-o", "name"),
        ("apply", "-f", cm2, "-o", "jsonpath={.data.a}"),
        ("apply", "-f", cm1, "--dry-run=bogus"),
        ("delete", "-f", cm1),
    ], expect={
        0: (0, "configmap/modes-cm created (dry run)\n"),
        1: (0, "configmap/modes-cm created (server dry run)\n"),
        4: (0, "configmap/modes-cm configured (dry run)\n"),
        5: (0, "configmap/modes-cm configured (server dry run)\n"),
        6: (0, "configmap/modes-cm unchanged (server dry run)\n"),
        8: (0, "configmap/modes-cm\n"),
    })


def test_server_side_apply_and_conflicts():
    d2 = h.write_file("modes-d2.yaml", DEPLOY.format(replicas=2))
    d3 = h.write_file("modes-d3.yaml", DEPLOY.format(replicas=3))
    cm = h.write_file("modes-cm-ssa.yaml", CM.format(a="x"))
    compare([
        ("apply", "--server-side", "-f", d2),
        ("apply", "--server-side", "-f", d2),
        ("apply", "--server-side", "-f", d3, "--field-manager=other"),          # conflict with kubectl
        ("apply", "--server-side", "-f", d3, "--field-manager=other", "--force-conflicts"),
        ("get", "deployment", "modes-web", "-o", "jsonpath={.spec.replicas}"),
        ("apply", "--server-side", "-f", d2, "--dry-run=server"),                # conflict again (other owns it)
        ("apply", "--server-side", "-f", cm, "--dry-run=server"),
        ("apply", "--server-side", "-f", cm, "-o", "jsonpath={.data}"),
        ("apply", "--server-side", "-f", cm, "--dry-run=client"),
        ("apply", "-f", cm, "--force-conflicts"),
        ("delete", "-f", d2),
        ("delete", "-f", cm),
    ], expect={
        0: (0, "deployment.apps/modes-web serverside-applied\n"),
        2: (1, ""),
        6: (0, "configmap/modes-cm serverside-applied (server dry run)\n"),
    })


def test_client_side_then_server_side_conflict():
    d2 = h.write_file("modes-csa2.yaml", DEPLOY.format(replicas=2))
    d3 = h.write_file("modes-csa3.yaml", DEPLOY.format(replicas=3))
    compare([
        ("apply", "-f", d2),
        ("apply", "--server-side", "-f", d3),
        ("delete", "-f", d2),
    ], expect={
        1: (1, ""),
    })


def test_output_yaml_of_several_objects():
    both = h.write_file("modes-both.yaml", CM.format(a="1") + "---\n" + CM.format(a="1").replace("modes-cm", "modes-cm2"))
    compare([
        ("apply", "-f", both, "--dry-run=client", "-o", "yaml"),
        ("apply", "-f", both, "--dry-run=client", "-o", "json"),
        ("apply", "-f", both, "-o", "jsonpath={.items[*].metadata.name}"),
        ("apply", "-f", both, "-o", "jsonpath={.items[*].data}"),
        ("delete", "-f", both),
    ])


if __name__ == "__main__":
    h.main(globals())
