#!/usr/bin/env python3
"""Real `kubectl.1.33 explain` against `kapi serve` prints kapi's own descriptions.

The descriptions live in pkg/api/docs/*.docs and reach kubectl through the OpenAPI v3 documents
the server publishes. Each test reads the expected text from the docs file (so rewording a line
does not break the test) and requires kubectl's DESCRIPTION block, unwrapped, to be exactly it.
kubectl 1.33's own layout (KIND/VERSION/FIELD headers, 4-space indented description) is pinned too.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_explain_docs.py [name-filter]
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402


def docs(group_version):
    """{'Type' or 'Type.field': text} from pkg/api/docs/<group_version>.docs."""
    out = {}
    with open(os.path.join(h.REPO, "pkg", "api", "docs", group_version + ".docs")) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or line.startswith("package "):
                continue
            key, text = line.split(": ", 1)
            out[key] = text
    return out


def description(out):
    """The DESCRIPTION block of `kubectl explain` output, unwrapped to one line."""
    m = re.search(r"^DESCRIPTION:\n((?:    .*\n|\n)*?)(?:FIELDS:|\Z)", out, re.M)
    h.check(m, "no DESCRIPTION block in:\n" + out)
    return " ".join(m.group(1).split())


def test_container_image():
    text = docs("core.v1")["Container.image"]
    h.contains(text, "container image", "docs line Container.image")
    out = h.ok("explain", "pod.spec.containers.image")
    h.check(out.startswith("KIND:       Pod\nVERSION:    v1\n\nFIELD: image <string>\n\n\nDESCRIPTION:\n    "),
            "explain header:\n" + out)
    h.eq(description(out), text, "description of pod.spec.containers.image")


def test_pod_kind_and_field_list():
    core = docs("core.v1")
    out = h.ok("explain", "pod")
    h.eq(description(out), core["Pod"], "description of Pod")
    # The field list carries each field's own line; kubectl wraps it under the field name.
    fields = out.split("FIELDS:\n", 1)[1]
    m = re.search(r"^  spec\t<PodSpec>\n((?:    .*\n)+)", fields, re.M)
    h.check(m, "no spec field in:\n" + fields)
    h.eq(" ".join(m.group(1).split()), core["Pod.spec"], "spec line in the field list")


def test_embedded_type_meta_field():
    # kind comes from the embedded TypeMeta; its one docs line serves every kind.
    out = h.ok("explain", "configmap.kind")
    h.eq(description(out), docs("meta.v1")["TypeMeta.kind"], "description of configmap.kind")


def test_struct_field_shows_field_then_type():
    apps = docs("apps.v1")
    out = h.ok("explain", "deployment.spec.strategy")
    h.contains(out, "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n")
    h.eq(description(out), apps["DeploymentSpec.strategy"] + " " + apps["DeploymentStrategy"],
         "description of deployment.spec.strategy")


def test_batch_and_meta_fields():
    out = h.ok("explain", "cronjob.spec.schedule")
    h.eq(description(out), docs("batch.v1")["CronJobSpec.schedule"], "cronjob.spec.schedule")
    out = h.ok("explain", "pod.metadata.ownerReferences.controller")
    h.eq(description(out), docs("meta.v1")["OwnerReference.controller"], "ownerReferences.controller")


def test_undocumented_field_has_no_filler():
    # The deprecated (ignored) dynamic kubelet config fields are deliberately left undocumented.
    key = "ConfigMapNodeConfigSource.name"
    if key in docs("core.v1"):
        h.fail("%s is now documented; pick another undocumented field for this test" % key)
    out = h.ok("explain", "node.spec.configSource.configMap.name")
    h.eq(description(out), "<empty>", "description of an undocumented field")


if __name__ == "__main__":
    h.main(globals())
