#!/usr/bin/env python3
"""kapi client mode `explain` against real kubectl 1.33 on the same `kapi serve` (OpenAPI v3):
resources and field paths, --recursive, --api-version, --output, and the errors.

The outputs depend on the server's schemas and descriptions, so the comparison is the test;
a few kubectl results are pinned so that a broken server cannot make both sides agree on nothing.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_explain.py [name-filter]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402


def test_explain_resources_and_fields():
    res = h.compare([
        ("explain", "pods"),
        ("explain", "pod.spec.containers"),
        ("explain", "deployment.spec.strategy"),
        ("explain", "deployments.apps.spec.strategy.type"),
        ("explain", "svc.spec.ports.protocol"),
        ("explain", "cm.data"),
        ("explain", "pods.metadata.labels"),
        ("explain", "nodes.status"),
        ("explain", "deploy.spec.template.spec.containers.ports"),
        ("explain", "pods.spec.containers.resources.limits"),
        ("explain", "ingress.spec.rules.http.paths.pathType"),
        ("explain", "clusterrole"),
        ("explain", "pods."),
        ("explain", "Pod"),
    ])
    h.check(res[0][1].startswith("KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n"), "explain pods header")
    h.contains(res[0][1], "\nFIELDS:\n  apiVersion\t<string>\n", "explain pods fields")
    h.contains(res[1][1], "FIELD: containers <[]Container>\n\n\nDESCRIPTION:\n", "explain pod.spec.containers")
    h.check(res[2][1].startswith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: strategy <"),
            "explain deployment.spec.strategy header")


def test_explain_recursive_and_versions():
    res = h.compare([
        ("explain", "pods", "--recursive"),
        ("explain", "pods.spec", "--recursive"),
        ("explain", "pods.spec.tolerations", "--recursive"),
        ("explain", "hpa", "--recursive"),
        ("explain", "deployments", "--api-version=apps/v1"),
        ("explain", "deployments.spec.replicas", "--api-version=apps/v1"),
        ("explain", "pods", "--api-version=v1", "--recursive=false"),
        ("explain", "pods", "--output=plaintext"),
    ])
    h.contains(res[0][1], "\n  spec\t<PodSpec>\n    activeDeadlineSeconds\t<integer>\n", "recursive indentation")


def test_explain_errors():
    h.compare([
        ("explain",),
        ("explain", "pods", "nodes"),
        ("explain", "foos"),
        ("explain", "pods.foo"),
        ("explain", "pods.spec.containers.name.foo"),
        ("explain", "pods.spec.containers[0]"),
        ("explain", "pods.spec.containers[0]", "--api-version=v1"),
        ("explain", "pods", "--api-version=v2"),
        ("explain", "pods", "--api-version=a/b/c"),
        ("explain", "pods", "--output=bad"),
        ("explain", "pods", "-o", "bad"),
        ("explain", "pods", "--output=plaintext-openapiv2"),
    ], expect={
        2: (1, ""),
        3: (1, "KIND:       Pod\nVERSION:    v1\n\n"),
    })


if __name__ == "__main__":
    h.main(globals())
