#!/usr/bin/env python3
"""kapi client mode `diff -f` against real kubectl 1.33.

Each step runs with kubectl.1.33 and with `$KAPI_BIN` (as argv[0] "kubectl") against one
`kapi serve`; the random LIVE-/MERGED- temp directory names and diff's file timestamps are
normalised, then (rc, stdout, stderr) must match byte for byte. Pinned kubectl outputs make the
test fail if both clients break the same way.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_diff.py [name-filter]
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

CM = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: diff-cm
  labels:
    app: diff
data:
  greeting: {greeting}
"""

SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: diff-secret
stringData:
  password: {password}
  user: admin
"""

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: diff-web
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: diff-web
  template:
    metadata:
      labels:
        app: diff-web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
"""

TMP_RE = re.compile(r"/[^\s]*/(LIVE|MERGED)-[0-9A-Za-z]+")
STAMP_RE = re.compile(r"\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4}")


# A dry-run create makes a new uid and creationTimestamp each time.
UID_RE = re.compile(r"uid: [0-9a-f-]{36}")
CREATED_RE = re.compile(r'creationTimestamp: "[0-9TZ:-]+"')
KLOG_RE = re.compile(r"^([IWE])\d{4} [\d:.]+ +\d+ ", re.M)


def norm(text):
    text = STAMP_RE.sub("\tTIME", TMP_RE.sub(r"/TMP/\1", text))
    text = KLOG_RE.sub(r"\1 KLOG ", text)
    return CREATED_RE.sub("creationTimestamp: T", UID_RE.sub("uid: UID", text))


def run(tool, args, stdin=None, extra_env=None):
    srv = h.server()
    env = h.kubectl_env(srv)
    env.update(extra_env or {})
    if tool == "kubectl":
        argv, exe = h.kubectl_argv(args, "1.33", srv), None
    else:
        argv = ["kubectl", "--cache-dir=" + os.path.join(srv.home, ".kube", "kapi-cache"),
                "--request-timeout=10s"] + list(args)
        exe = h.kapi_bin()
    p = subprocess.run(argv, executable=exe, input=stdin, capture_output=True, text=True, timeout=40,
                       env=env, cwd=srv.tmp)
    return p.returncode, norm(p.stdout), norm(p.stderr)


def compare(steps, expect=None, extra_env=None):
    """Steps are argument tuples, or (args, stdin); diff never writes, so kubectl and kapi run
    each step back to back."""
    for i, step in enumerate(steps):
        args, stdin = step if len(step) == 2 and isinstance(step[0], tuple) else (step, None)
        k = run("kubectl", args, stdin, extra_env)
        a = run("kapi", args, stdin, extra_env)
        if k != a:
            h.fail("step %d %r:\n kubectl: rc=%d stdout=%r stderr=%r\n kapi:    rc=%d stdout=%r stderr=%r"
                   % (i, step, k[0], k[1], k[2], a[0], a[1], a[2]))
        if expect and i in expect:
            h.eq(k[:2], expect[i], "kubectl step %d (rc, stdout)" % i)


def test_new_changed_unchanged():
    v1 = h.write_file("diff-cm.yaml", CM.format(greeting="hello"))
    v2 = h.write_file("diff-cm-v2.yaml", CM.format(greeting="hi"))
    compare([("diff", "-f", v1)])
    rc, out, _ = run("kubectl", ("diff", "-f", v1))
    h.eq(rc, 1, "kubectl diff rc for a new object")
    h.contains(out, "+++ /TMP/MERGED/v1.ConfigMap.default.diff-cm\tTIME\n", "new object diff")
    h.contains(out, "+  greeting: hello\n", "new object diff")
    h.ok("apply", "-f", v1)
    compare([
        ("diff", "-f", v1),                  # no differences
        ("diff", "-f", v2),                  # a changed field
        ("diff", "-f", v2, "-l", "app=other"),  # filtered out: nothing to diff
        ("diff", "-f", v2, "--server-side"),  # conflicts with the client-side apply owner
        ("diff", "-f", v2, "--server-side", "--force-conflicts"),
        ("diff", "-f", v2, "--server-side", "--field-manager", "other"),
        (("diff", "-f", "-"), CM.format(greeting="stdin")),
    ], expect={0: (0, ""), 2: (0, "")})
    rc, out, _ = run("kubectl", ("diff", "-f", v2))
    h.eq(rc, 1, "kubectl diff rc for a changed object")
    h.contains(out, "-  greeting: hello\n+  greeting: hi\n", "changed field")
    h.ok("delete", "-f", v1)


def test_deployment_generation_and_managed_fields():
    v1 = h.write_file("diff-deploy.yaml", DEPLOY.format(replicas=1))
    v2 = h.write_file("diff-deploy-v2.yaml", DEPLOY.format(replicas=3))
    h.ok("apply", "-f", v1)
    compare([
        ("diff", "-f", v1),
        ("diff", "-f", v2),
        ("diff", "-f", v2, "--show-managed-fields"),
    ], expect={0: (0, "")})
    h.ok("delete", "-f", v1)


def test_secret_masked():
    v1 = h.write_file("diff-secret.yaml", SECRET.format(password="one"))
    v2 = h.write_file("diff-secret-v2.yaml", SECRET.format(password="two"))
    compare([("diff", "-f", v1)])
    h.ok("apply", "-f", v1)
    compare([
        ("diff", "-f", v1),
        ("diff", "-f", v2),
    ], expect={0: (0, "")})
    rc, out, _ = run("kubectl", ("diff", "-f", v2))
    h.eq(rc, 1, "kubectl diff rc for a changed secret")
    h.contains(out, "-  password: '*** (before)'\n+  password: '*** (after)'\n", "masked secret")
    h.check("b25l" not in out and "dHdv" not in out, "secret values must not be shown: %r" % out)
    h.ok("delete", "-f", v1)


def test_external_diff_and_errors():
    srv = h.server()
    v1 = h.write_file("diff-ext.yaml", CM.format(greeting="hello").replace("diff-cm", "diff-ext"))
    script = os.path.join(srv.tmp, "mydiff.sh")
    with open(script, "w") as fh:
        fh.write('#!/bin/sh\necho "args: $#" "$3" "$4"\nls "$1" "$2"\n'
                 'exit ${EXIT:-1}\n')
    os.chmod(script, 0o755)
    compare([("diff", "-f", v1)], extra_env={"KUBECTL_EXTERNAL_DIFF": script + " -x --a=b bad$"},
            expect={0: (1, "args: 4 -x --a=b\n/TMP/LIVE:\nv1.ConfigMap.default.diff-ext\n\n/TMP/MERGED:\n"
                           "v1.ConfigMap.default.diff-ext\n")})
    compare([("diff", "-f", v1)], extra_env={"KUBECTL_EXTERNAL_DIFF": script, "EXIT": "3"})
    compare([("diff", "-f", v1)], extra_env={"KUBECTL_EXTERNAL_DIFF": "no-such-diff-tool"},
            expect={0: (2, "")})
    compare([("diff", "-f", v1)], extra_env={"KUBECTL_EXTERNAL_DIFF": "/no/such/diff"})
    compare([
        ("diff",),
        ("diff", "-f", v1, "extra"),
        ("diff", "-f", v1, "--force-conflicts"),
        ("diff", "-f", "missing.yaml"),
    ])


def test_many_objects_scopes_and_failures():
    srv = h.server()
    d = os.path.join(srv.tmp, "diff-tree")
    os.makedirs(os.path.join(d, "sub"), exist_ok=True)
    with open(os.path.join(d, "a.yaml"), "w") as fh:
        fh.write(CM.format(greeting="a").replace("diff-cm", "diff-a") + "---\n"
                 "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: diff-ns\n")
    with open(os.path.join(d, "sub", "b.yaml"), "w") as fh:
        fh.write(DEPLOY.format(replicas=2).replace("diff-web", "diff-b"))
    bad = h.write_file("diff-bad.yaml", DEPLOY.format(replicas=-1))
    unknown = h.write_file("diff-unknown.yaml", "apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\n")
    compare([
        ("diff", "-f", d),
        ("diff", "-f", d, "-R"),
        ("diff", "-f", d, "-R", "-n", "kube-public"),
        ("diff", "-f", bad),                  # the dry-run create is Invalid: rc 2
        ("diff", "-f", unknown),
        ("diff", "-f", d, "--bogus-flag"),
        ("diff", "-f", d, "-l", "a in (b"),
        ("diff", "--help"),
    ], expect={3: (2, ""), 5: (2, ""), 6: (2, "")})
    rc, _, err = run("kubectl", ("diff", "-f", bad))
    h.contains(err, "The Deployment \"diff-web\" is invalid: spec.replicas: Invalid value: -1", "invalid object")


def test_created_without_annotation_and_namespace_mismatch():
    v1 = h.write_file("diff-created.yaml", DEPLOY.format(replicas=1).replace("diff-web", "diff-created"))
    v2 = h.write_file("diff-created-v2.yaml", DEPLOY.format(replicas=1).replace("diff-web", "diff-created")
                      .replace("nginx:1.25", "nginx:1.27").replace("      - name: nginx\n",
                                                                   "      - name: sidecar\n        image: busybox\n"
                                                                   "      - name: nginx\n"))
    other_ns = h.write_file("diff-other-ns.yaml", CM.format(greeting="x").replace("  name: diff-cm\n",
                                                                                  "  name: diff-cm\n  namespace: kube-public\n"))
    h.ok("create", "-f", v1)
    compare([
        ("diff", "-f", v1),
        ("diff", "-f", v2),          # strategic merge of the containers list
        ("diff", "-f", other_ns, "-n", "default"),
        ("diff", "-f", other_ns),
    ], expect={0: (0, "")})
    rc, out, _ = run("kubectl", ("diff", "-f", v2))
    h.eq(rc, 1, "kubectl diff rc for new container")
    h.contains(out, "+      - image: busybox\n", "strategic merge diff")
    h.ok("delete", "-f", v1)


if __name__ == "__main__":
    h.main(globals())
