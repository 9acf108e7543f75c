#!/usr/bin/env python3
"""`get` flags, resource names and command-line errors against a real `kapi serve`, kapi vs
kubectl 1.33 (test_client_golden.py covers the same flags against a canned fake server).

Ages are masked (the two runs are seconds apart); everything else must match byte for byte.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_get_flags.py [name-filter]
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

AGE = re.compile(r"(?<=\s)\d+s(?=\s|$)", re.M)

OBJECTS = """\
apiVersion: v1
kind: Namespace
metadata:
  name: flags
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: alpha
  namespace: flags
  labels: {app: web, tier: front}
data: {a: "1", b: "2"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: beta
  namespace: flags
  labels: {app: db}
data: {a: "1"}
---
apiVersion: v1
kind: Secret
metadata:
  name: gamma
  namespace: flags
  labels: {app: web}
stringData: {k: v}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: flags
  labels: {app: web}
spec:
  replicas: 0
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: c
        image: nginx:1.25
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: flags
spec:
  selector: {app: web}
  ports:
  - port: 80
"""


def compare(steps, expect=None):
    for i, step in enumerate(steps):
        k = h.run_tool("kubectl", step)
        a = h.run_tool("kapi", step)
        km = (k[0], AGE.sub("<age>", k[1]), k[2])
        am = (a[0], AGE.sub("<age>", a[1]), a[2])
        if km != am:
            h.fail("step %d %r:\n kubectl: %r\n kapi:    %r" % (i, step, k, a))
        if expect and i in expect:
            h.eq(km[:2], expect[i], "kubectl step %d (rc, stdout)" % i)


def setup_module():
    h.ok("apply", "-f", h.write_file("flags.yaml", OBJECTS))


def test_printers_and_selectors():
    setup_module()
    N = ("-n", "flags")
    compare([
        ("get", "cm") + N,
        ("get", "cm", "-o", "wide") + N,
        ("get", "cm", "--show-labels") + N,
        ("get", "cm", "-L", "app", "-L", "tier,none") + N,
        ("get", "cm", "-l", "app=web") + N,
        ("get", "cm,secret", "-l", "app in (web,db),tier!=back") + N,
        ("get", "cm", "--field-selector", "metadata.name=beta") + N,
        ("get", "cm", "--field-selector", "metadata.name!=beta", "--no-headers") + N,
        ("get", "cm", "--sort-by", "{.metadata.name}", "-o", "name") + N,
        ("get", "cm", "--sort-by", ".data.b") + N,
        ("get", "cm", "--chunk-size=1") + N,
        ("get", "cm", "alpha", "-o", "yaml") + N,
        ("get", "cm", "alpha", "-o", "json") + N,
        ("get", "cm", "-o", "jsonpath={.items[*].metadata.name}") + N,
        ("get", "cm", "-o", "custom-columns=NAME:.metadata.name,APP:.metadata.labels.app") + N,
        ("get", "cm", "-o", "go-template={{range .items}}{{.metadata.name}} {{end}}") + N,
        ("get", "cm", "-o", "name", "-A", "-l", "app"),
        ("get", "cm", "-A", "-l", "app", "--show-labels"),
        ("get", "cm", "-l", "app=nope") + N,
        ("get", "cm", "--field-selector", "bogus=1") + N,
    ], expect={
        8: (0, "configmap/alpha\nconfigmap/beta\nconfigmap/kube-root-ca.crt\n"),
        13: (0, "alpha beta kube-root-ca.crt"),
        16: (0, "configmap/alpha\nconfigmap/beta\n"),
    })


def test_names_kinds_and_categories():
    setup_module()
    N = ("-n", "flags")
    compare([
        ("get", "deployments.apps", "web") + N,
        ("get", "deployment.v1.apps", "web", "-o", "name") + N,
        ("get", "Deployment", "-o", "name") + N,
        ("get", "deploy,svc", "-o", "name") + N,
        ("get", "all") + N,
        ("get", "all", "-o", "name") + N,
        ("get", "configmap/alpha", "secret/gamma", "-o", "name") + N,
        ("get", "cm", "nope") + N,
        ("get", "nope"),
        ("get", "deployments.v2.apps"),
        ("get", "cm", "alpha", "-A"),
    ], expect={
        1: (0, "deployment.apps/web\n"),
        6: (0, "configmap/alpha\nsecret/gamma\n"),
        7: (1, ""),
    })


def plain(binary, *args):
    """Runs without the harness's leading flags (which turn `foo` into a plugin lookup)."""
    import subprocess
    p = subprocess.run(["kubectl"] + list(args), executable=binary, capture_output=True, text=True,
                       env=h.kubectl_env(), cwd=h.server().tmp, timeout=40)
    return p.returncode, p.stdout, p.stderr


def test_command_line_errors():
    cases = [("foo",), ("get", "--bogus"), ("get", "pods", "-o", "bogus"), ("get",),
             ("delete", "--bogus"), ("wait", "--bogus=1"), ("get", "pods", "--chunk-size=x")]
    for args in cases:
        k = plain(h.require_kubectl("1.33"), *args)
        a = plain(h.kapi_bin(), *args)
        h.eq(a, k, "kapi vs kubectl %r" % (args,))
    k = plain(h.require_kubectl("1.33"), "foo")
    h.check(k[0] == 1 and k[2].startswith('error: unknown command "foo" for "kubectl"'), "kubectl: %r" % (k,))
    h.eq(plain(h.require_kubectl("1.33"), "get", "--bogus"),
         (1, "", "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"), "kubectl get --bogus")


def watch(tool, args, act, settle=2.0):
    """Starts `get -w`, runs act(), and returns what it printed."""
    srv = h.server()
    if tool == "kubectl":
        p = h.popen_kubectl(*args)
    else:
        import subprocess
        n = len(h._children)
        out = open(os.path.join(srv.tmp, "bgk%d.out" % n), "w+")
        err = open(os.path.join(srv.tmp, "bgk%d.err" % n), "w+")
        p = subprocess.Popen(["kubectl", "--cache-dir=" + os.path.join(srv.home, ".kube", "kapi-cache")] + list(args),
                             executable=h.kapi_bin(), stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                             text=True, env=h.kubectl_env(), cwd=srv.tmp, start_new_session=True)
        p.out_file, p.err_file = out, err
        h._children.append(p)
    time.sleep(settle)
    act()
    time.sleep(settle)
    h.kill_proc(p)
    return h.proc_output(p)


def test_watch_and_watch_only():
    setup_module()
    h.ok("create", "namespace", "watched")
    outs = {}
    for tool in ("kubectl", "kapi"):
        def act(tool=tool):
            h.ok("create", "configmap", "w-" + tool, "-n", "watched")
            h.ok("label", "configmap", "w-" + tool, "x=y", "-n", "watched")
            h.ok("delete", "configmap", "w-" + tool, "-n", "watched")
        outs[tool] = [watch(tool, ("get", "cm", "-n", "watched", "-w", "-o", "name"), act)]

        def act2(tool=tool):
            h.ok("create", "configmap", "v-" + tool, "-n", "watched")
            h.ok("delete", "configmap", "v-" + tool, "-n", "watched")
        outs[tool].append(watch(tool, ("get", "cm", "-n", "watched", "--watch-only",
                                       "--output-watch-events", "-o", "name"), act2))
    norm = [[(o.replace("w-kapi", "w-X").replace("v-kapi", "v-X").replace("w-kubectl", "w-X")
              .replace("v-kubectl", "v-X"), e) for o, e in outs[t]] for t in ("kubectl", "kapi")]
    h.eq(norm[1], norm[0], "kapi vs kubectl watch output")
    h.eq(norm[0][0][0], "configmap/kube-root-ca.crt\nconfigmap/w-X\nconfigmap/w-X\nconfigmap/w-X\n",
         "kubectl get -w -o name")
    # -o name prints no event type, even with --output-watch-events.
    h.eq(norm[0][1][0], "configmap/v-X\nconfigmap/v-X\n", "kubectl --watch-only")


if __name__ == "__main__":
    h.main(globals())
