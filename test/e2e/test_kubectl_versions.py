#!/usr/bin/env python3
"""Smoke test with every real kubectl 1.27 ... 1.33 that is installed (each with its own cache dir)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402


def smoke(version):
    tag = version.replace(".", "")
    cache = "--cache-dir=" + os.path.join(h.server().tmp, "cache-" + tag)

    def k(*args, **kw):
        return h.ok(cache, *args, version=version, **kw)

    def label(what):
        return "kubectl %s: %s" % (version, what)

    out = k("get", "ns")
    rows = [l.split() for l in out.splitlines()]
    h.eq(rows[0], ["NAME", "STATUS", "AGE"], label("get ns header"))
    h.check(["default", "Active"] in [r[:2] for r in rows], label("default Active missing: %r" % out))
    name = "smoke-%s" % tag
    path = h.write_file(name + ".yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n"
                                        "data:\n  version: \"%s\"\n" % (name, version))
    h.eq(k("apply", "-f", path).strip(), "configmap/%s created" % name, label("apply"))
    h.eq(k("apply", "-f", path).strip(), "configmap/%s unchanged" % name, label("apply again"))
    h.eq(k("get", "cm", name, "-o", "jsonpath={.data.version}"), version, label("get -o jsonpath"))
    rows = [l.split() for l in k("get", "cm", name).splitlines()]
    h.eq(rows, [["NAME", "DATA", "AGE"], [name, "1", rows[1][2] if len(rows) > 1 else "?"]], label("get cm table"))
    h.eq(k("delete", "cm", name).strip(), 'configmap "%s" deleted' % name, label("delete"))
    rc, out, err = h.kubectl(cache, "get", "cm", name, version=version)
    h.eq((rc, err.strip()), (1, 'Error from server (NotFound): configmaps "%s" not found' % name),
         label("get after delete"))


def _make(version):
    def t():
        smoke(version)
    t.__name__ = "test_kubectl_" + version.replace(".", "_")
    return t


for _v in h.KUBECTL_VERSIONS:
    if h.kubectl_path(_v):
        globals()["test_kubectl_" + _v.replace(".", "_")] = _make(_v)
    else:
        print("SKIP kubectl.%s (not installed)" % _v)


if __name__ == "__main__":
    h.main(globals())
