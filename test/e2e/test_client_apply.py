#!/usr/bin/env python3
"""kapi client mode `apply -f`, `create -f` and `delete` against real kubectl 1.33.

Each scenario runs the same sequence of commands with kubectl.1.33 and with `$KAPI_BIN` (as
argv[0] "kubectl") against one `kapi serve`, and requires stdout, stderr and the exit code of
every step to match byte for byte. The interop scenarios mix the two clients on the same objects
(kubectl applies, kapi re-applies, and the other way round).

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_apply.py [name-filter]
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

STACK = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  greeting: hello
  html: "<b>&amp;</b>"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: {image}
        env:
        - name: A
          value: "1"
{extra_env}        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
"""

V1 = STACK.format(replicas=2, image="nginx:1.25", extra_env='        - name: B\n          value: "2"\n')
V2 = STACK.format(replicas=3, image="nginx:1.26", extra_env="").replace("greeting: hello", "greeting: hi")

UNKNOWN_KIND = """\
apiVersion: example.com/v1
kind: Foo
metadata:
  name: f
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: after-foo
"""

TWO_UNKNOWN = UNKNOWN_KIND.replace("---", "---\napiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: g\n---", 1)

BAD_REPLICAS = V1.replace("replicas: 2", "replicas: -1")

LIVE = "{.metadata.annotations}{.spec.replicas}{.spec.template.spec.containers}"


kapi, run, compare = h.kapi, h.run_tool, h.compare


def files():
    return {
        "v1": h.write_file("stack.yaml", V1),
        "v2": h.write_file("stack-v2.yaml", V2),
    }


def test_create_apply_configured_unchanged_delete():
    f = files()
    compare([
        ("create", "-f", f["v1"]),
        ("create", "-f", f["v1"]),                      # AlreadyExists for each object
        ("apply", "-f", f["v1"]),                       # missing-annotation warning, configured
        ("apply", "-f", f["v1"]),                       # unchanged
        ("apply", "-f", f["v2"]),                       # configured (env B removed, replicas, image)
        ("apply", "-f", f["v2"]),
        ("get", "deployment", "web", "-o", "jsonpath=" + LIVE),
        ("get", "configmap", "web-config", "-o", "jsonpath={.metadata.annotations}{.data}"),
        ("delete", "-f", f["v1"]),
        ("delete", "-f", f["v1"]),                      # NotFound, with the file name
        ("delete", "configmap", "web-config"),          # NotFound, bare
    ], expect={
        0: (0, "configmap/web-config created\ndeployment.apps/web created\nservice/web created\n"),
        3: (0, "configmap/web-config unchanged\ndeployment.apps/web unchanged\nservice/web unchanged\n"),
        4: (0, "configmap/web-config configured\ndeployment.apps/web configured\nservice/web unchanged\n"),
        8: (0, 'configmap "web-config" deleted\ndeployment.apps "web" deleted\nservice "web" deleted\n'),
    })


def test_set_based_selectors_reach_the_server_intact():
    f = files()
    compare([
        ("apply", "-f", f["v1"]),
        ("get", "deploy", "-l", "app in (web, x)", "-o", "name"),
        ("get", "deploy,svc", "-l", "app notin (x),!tier", "-o", "name"),
        ("delete", "-f", f["v1"]),
    ], expect={1: (0, "deployment.apps/web\n")})


def test_apply_stdin_and_delete_by_name():
    f = files()
    compare([
        ("apply", "-f", f["v1"]),
        (("apply", "-f", "-"), V1),
        (("apply", "-f", "-"), V2),
        ("delete", "deployment", "web"),
        ("delete", "svc/web", "cm/web-config"),
        ("delete", "cm", "web-config", "nope"),
        ("delete", "cm", "web-config", "--ignore-not-found"),
    ])


def test_directory_recursive_and_namespace():
    srv = h.server()
    d = os.path.join(srv.tmp, "manifests")
    os.makedirs(os.path.join(d, "sub"), exist_ok=True)
    with open(os.path.join(d, "a.yaml"), "w") as fh:
        fh.write(V1)
    with open(os.path.join(d, "sub", "b.yml"), "w") as fh:
        fh.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\n")
    with open(os.path.join(d, "ignored.txt"), "w") as fh:
        fh.write("not a manifest")
    compare([
        ("apply", "-f", d),
        ("apply", "-f", d, "-R"),
        ("apply", "-n", "kube-public", "-f", d, "-R"),
        ("get", "cm", "-n", "kube-public", "-o", "name"),
        ("delete", "-f", d, "-R"),
        ("delete", "-n", "kube-public", "-f", d, "-R"),
    ])


def test_interop_kubectl_then_kapi():
    f = files()
    h.ok("apply", "-f", f["v1"])
    rc, out, err = kapi("apply", "-f", f["v1"])
    h.eq((rc, out, err), (0, "configmap/web-config unchanged\ndeployment.apps/web unchanged\nservice/web unchanged\n", ""),
         "kapi re-apply of kubectl's apply")
    rc, out, err = kapi("apply", "-f", f["v2"])
    h.eq((rc, out, err), (0, "configmap/web-config configured\ndeployment.apps/web configured\nservice/web unchanged\n", ""),
         "kapi apply v2")
    h.eq(h.kubectl("apply", "-f", f["v2"]),
         (0, "configmap/web-config unchanged\ndeployment.apps/web unchanged\nservice/web unchanged\n", ""),
         "kubectl re-apply of kapi's apply")
    live_mixed = h.ok("get", "deployment", "web", "-o", "jsonpath=" + LIVE)
    h.ok("delete", "-f", f["v1"])
    # The same sequence with kubectl alone leaves the same live object.
    h.ok("apply", "-f", f["v1"])
    h.ok("apply", "-f", f["v2"])
    live_kubectl = h.ok("get", "deployment", "web", "-o", "jsonpath=" + LIVE)
    h.eq(live_mixed, live_kubectl, "live deployment")
    h.ok("delete", "-f", f["v1"])


def test_interop_kapi_then_kubectl():
    f = files()
    h.eq(kapi("apply", "-f", f["v1"])[0], 0, "kapi apply rc")
    h.eq(h.kubectl("apply", "-f", f["v1"]),
         (0, "configmap/web-config unchanged\ndeployment.apps/web unchanged\nservice/web unchanged\n", ""),
         "kubectl re-apply of kapi's apply")
    h.eq(h.kubectl("apply", "-f", f["v2"])[:2],
         (0, "configmap/web-config configured\ndeployment.apps/web configured\nservice/web unchanged\n"),
         "kubectl apply v2")
    h.eq(kapi("apply", "-f", f["v2"]),
         (0, "configmap/web-config unchanged\ndeployment.apps/web unchanged\nservice/web unchanged\n", ""),
         "kapi re-apply of kubectl's apply")
    h.eq(kapi("apply", "-f", f["v1"])[:2],
         (0, "configmap/web-config configured\ndeployment.apps/web configured\nservice/web unchanged\n"),
         "kapi apply back to v1")
    h.eq(h.kubectl("apply", "-f", f["v1"])[:2],
         (0, "configmap/web-config unchanged\ndeployment.apps/web unchanged\nservice/web unchanged\n"),
         "kubectl re-apply v1")
    h.eq(kapi("delete", "-f", f["v1"])[0], 0, "kapi delete rc")
    h.eq(h.kubectl("get", "deployment", "web")[0], 1, "deployment gone after kapi delete")


MISC_V1 = """\
apiVersion: v1
kind: Namespace
metadata:
  name: team-a
  labels:
    tier: one
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: team-a
stringData:
  user: admin
type: Opaque
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
  namespace: team-a
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list"]
---
apiVersion: batch/v1
kind: Job
metadata:
  name: once
  namespace: team-a
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox
        command: ["true"]
"""

MISC_V2 = (MISC_V1.replace("tier: one", "tier: two\n    extra: x")
           .replace('verbs: ["get", "list"]', 'verbs: ["get", "list", "watch"]')
           .replace("user: admin", "user: root"))


def test_cluster_scoped_and_other_kinds_with_live_drift():
    v1 = h.write_file("misc.yaml", MISC_V1)
    v2 = h.write_file("misc-v2.yaml", MISC_V2)
    f = files()
    js = h.write_file("cm.json", '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j"},"data":{"a":"<1>"}}')
    compare([
        ("apply", "-n", "default", "-f", v1),          # the object's namespace differs from -n
        ("apply", "-f", js),
        ("apply", "-f", js),
        ("delete", "-f", js, "--wait=false"),
        ("apply", "-f", v1),
        ("apply", "-f", v1),
        ("apply", "-f", v2),
        ("apply", "-f", v2),
        ("get", "ns", "team-a", "-o", "jsonpath={.metadata.labels}{.metadata.annotations}"),
        ("get", "role", "reader", "-n", "team-a", "-o", "jsonpath={.rules}{.metadata.annotations}"),
        ("apply", "-f", f["v1"]),
        ("@kubectl", "scale", "deployment", "web", "--replicas=5"),  # live drift
        ("@kubectl", "label", "deployment", "web", "drift=yes"),
        ("apply", "-f", f["v1"]),                                # replicas back to 2, label kept
        ("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}{.metadata.labels}"),
        ("delete", "-f", f["v1"]),
        ("delete", "-n", "default", "-f", v1),          # cluster-scope warning, namespace mismatch
        ("delete", "-f", v1, "--ignore-not-found"),
        ("create", "-n", "default", "-f", v1),
        ("delete", "-f", v1),
    ], between=lambda: h.wait_until(lambda: h.kubectl("get", "ns", "team-a")[0] == 1, timeout=30,
                                     what="namespace team-a gone"))


def test_unreachable_server():
    f = files()
    two = h.write_file("two-unknown-2.yaml", TWO_UNKNOWN)
    klog = re.compile(r"^E\d{4} [\d:.]+ +\d+ ", re.M)
    for args in [("apply", "-f", f["v1"]), ("create", "-f", f["v1"]), ("apply", "--validate=false", "-f", f["v1"]),
                 ("delete", "-f", f["v1"]), ("delete", "-f", two), ("delete", "cm", "x")]:
        argv = ("--server=https://127.0.0.1:1",) + args
        k, a = h.kubectl(*argv), kapi(*argv)
        k = (k[0], k[1], klog.sub("", k[2]))
        a = (a[0], a[1], klog.sub("", a[2]))
        h.eq(a, k, "kapi vs kubectl for %r" % (args,))


def test_errors():
    f = files()
    unknown = h.write_file("unknown.yaml", UNKNOWN_KIND)
    bad = h.write_file("bad.yaml", BAD_REPLICAS)
    two = h.write_file("two-unknown.yaml", TWO_UNKNOWN)
    gen = h.write_file("gen.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: gen-\n")
    noname = h.write_file("noname.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n")
    compare([
        ("apply",),
        ("create",),
        ("delete",),
        ("delete", "configmap"),
        ("apply", "-f", "does-not-exist.yaml"),
        ("apply", "-f", unknown),
        ("delete", "-f", unknown),
        ("apply", "-f", bad),                           # Invalid on create
        ("apply", "-f", f["v1"]),
        ("apply", "-f", bad),                           # Invalid on patch
        ("create", "-f", bad),
        ("apply", "-n", "no-such-ns", "-f", f["v1"]),
        ("delete", "-f", f["v1"]),
        ("delete", "-f", unknown, "--ignore-not-found"),
        ("apply", "-f", two),                           # mapping errors, one line each
        ("create", "-f", two),                          # AlreadyExists, then "[a, b]"
        ("delete", "-f", two),
        ("delete", "-f", two),                          # NotFound, then "[a, b]"
        ("delete", "-f", two, "--ignore-not-found"),
        ("apply", "-f", gen),                           # cannot use generate name with apply
        ("delete", "-f", gen),
        ("apply", "-f", noname),
        ("delete", "-f", noname),
        ("create", "-f", noname),
        ("apply", "-f", f["v1"], "extra-arg"),          # Unexpected args
        ("create", "-f", f["v1"], "extra-arg"),
        ("delete", "-f", f["v1"], "cm", "x"),
    ])


if __name__ == "__main__":
    h.main(globals())
