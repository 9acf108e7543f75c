#!/usr/bin/env python3
"""kapi client mode `set image|env|resources|selector|serviceaccount|subject` against real kubectl 1.33.

Each scenario runs the same steps with kubectl.1.33 and with `$KAPI_BIN` (as argv[0] "kubectl")
against one `kapi serve` (the objects are recreated before each tool's run) and requires stdout,
stderr and the exit code of every step to match byte for byte; `expect=` pins kubectl's own
output for key steps.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_set.py [name-filter]
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      initContainers:
      - name: init
        image: busybox
      containers:
      - name: nginx
        image: nginx:1.25
        env:
        - name: A
          value: "1"
      - name: side
        image: busybox
"""

OTHERS = """\
apiVersion: v1
kind: Service
metadata:
  name: svc
spec:
  selector:
    old: label
  ports:
  - port: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  db-host: h1
---
apiVersion: v1
kind: Secret
metadata:
  name: sec
stringData:
  pw: s3
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: alice
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: crb-set
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: g1
"""

compare = h.compare
TEMPLATE = ("get", "deployment", "web", "-o", "jsonpath={.spec.template.spec}")
# The live uid, resourceVersion and creation time differ between the two runs.
MASK = re.compile(r'("?(uid|resourceVersion|creationTimestamp)"?: )"?[0-9a-fTZ:-]+"?')


def mask(text):
    return MASK.sub(r"\1X", text)


def paths():
    return {"deploy": h.write_file("set-deploy.yaml", DEPLOY), "others": h.write_file("set-others.yaml", OTHERS)}


def reset():
    def run():
        p = paths()
        for f in (p["deploy"], p["others"]):
            h.kubectl("delete", "-f", f, "--ignore-not-found", "--wait=true")
            h.ok("create", "-f", f)
    run()
    return run


def test_set_image():
    f = paths()
    compare([
        ("set", "image", "deploy/web", "nginx=nginx:1.26"),
        ("set", "image", "deploy/web", "nginx=nginx:1.26"),            # no change: nothing printed
        ("set", "image", "deployment", "web", "init=busybox:2", "-o", "name"),
        ("set", "image", "deploy/web", "*=alpine:3"),
        TEMPLATE,
        ("set", "image", "deploy/web", "x=y"),
        ("set", "image", "deploy/web"),
        ("set", "image"),
        ("set", "image", "deploy/nope", "deploy/nope2", "a=b"),
        ("set", "image", "deploy/web", "nginx-"),
        ("set", "image", "deploy/web", "*=a", "b=c"),
        ("set", "image", "deploy", "--all", "-l", "app=web", "a=b"),
        ("set", "image", "svc/svc", "a=b"),
        ("set", "image", "deploy/web", "a=b", "--local"),
        ("set", "image", "-f", f["deploy"], "nginx=x:1", "--local", "-o", "yaml"),
        ("set", "image", "-f", f["deploy"], "nginx=x:1", "--local", "--dry-run=server"),
        ("set", "image", "deploy/web", "nginx=x:3", "--dry-run=server"),
        ("set", "image", "deploy", "-l", "app=web", "side=x:4", "--dry-run=client", "-o", "jsonpath={.spec.template.spec.containers[*].image}"),
        ("set", "image", "-f", f["deploy"], "nginx=nginx:1.27"),
        TEMPLATE,
    ], between=reset(), expect={
        0: (0, "deployment.apps/web image updated\n"),
        1: (0, ""),
        2: (0, "deployment.apps/web\n"),
        5: (1, ""),
        17: (0, "alpine:3 x:4"),
    })
    rc, _, err = h.kubectl("set", "image", "deploy/web", "x=y")
    h.eq((rc, err), (1, 'error: unable to find container named "x"\n'), "kubectl")


def test_set_image_dry_run_output_is_typed():
    between = reset()
    outs = []
    for run in (h.kubectl, h.kapi):
        rc, out, err = run("set", "image", "deploy/web", "nginx=x:2", "--dry-run=client", "-o", "json")
        outs.append((rc, mask(out), err))
        between()
    h.eq(outs[1], outs[0], "kapi vs kubectl (uid, resourceVersion masked)")
    h.check(outs[0][1].startswith('{\n    "kind": "Deployment",\n    "apiVersion": "apps/v1",'), "typed order")


def test_set_env():
    compare([
        ("set", "env", "deploy/web", "--list"),
        ("set", "env", "deploy/web", "B=2", "C=3"),
        ("set", "env", "deploy/web", "B=2"),
        ("set", "env", "deploy/web", "A-", "-c", "nginx"),
        ("set", "env", "deploy/web", "--from=configmap/cfg", "-c", "nginx"),
        ("set", "env", "deploy/web", "--from=secret/sec", "--prefix=P_", "-c", "side"),
        ("set", "env", "deploy/web", "--list"),
        ("set", "env", "deploy/web", "--list", "-c", "si*"),
        ("set", "env", "deploy/web", "B=9", "--overwrite=false"),
        ("set", "env", "deploy/web", "-c", "nope", "X=1"),
        ("set", "env", "deploy/web", "X=1", "deploy/web"),
        ("set", "env", "deploy/web", "X=1", "X-"),
        ("set", "env", "deploy/web", "1X=1"),
        ("set", "env", "deploy/web"),
        ("set", "env", "deploy/web", "--keys=a"),
        ("set", "env", "deploy/web", "--list", "-o", "yaml"),
        ("set", "env", "deploy/web", "--from=deploy/web"),
        ("set", "env", "svc/svc", "A=1"),
        ("set", "env", "deploy/web", "-e", "D=4", "--dry-run=server"),
        ("set", "env", "deploy/web", "E=5", "-c", "init", "-o", "jsonpath={.spec.template.spec.initContainers[0].env}"),
        TEMPLATE,
    ], between=reset(), expect={
        0: (0, "# Deployment web, container nginx\nA=1\n# Deployment web, container side\n"
               "# Deployment web, container init\n"),
        1: (0, "deployment.apps/web env updated\n"),
        2: (0, ""),
        7: (0, "# Deployment web, container side\nB=2\nC=3\n# P_PW from secret sec, key pw\n"),
        8: (1, ""),
        9: (0, ""),
    })


def test_set_resources_selector_serviceaccount():
    compare([
        ("set", "resources", "deploy/web", "--limits=cpu=200m,memory=512Mi", "-c", "nginx"),
        ("set", "resources", "deploy/web", "--limits=cpu=200m,memory=512Mi", "-c", "nginx"),
        ("set", "resources", "deploy/web", "--requests=cpu=0.1", "-c", "nope"),
        ("set", "resources", "deploy/web"),
        ("set", "resources", "deploy/web", "--limits=cpu"),
        ("set", "resources", "deploy/web", "--limits=cpu=abc"),
        ("set", "resources", "deploy/web", "--requests=cpu=0.1,memory=1Gi", "-c", "side", "--dry-run=client",
         "-o", "jsonpath={.spec.template.spec.containers[1].resources}"),
        TEMPLATE,
        ("set", "selector", "svc", "svc", "app=web,tier=fe"),
        ("get", "svc", "svc", "-o", "jsonpath={.spec.selector}"),
        ("set", "selector", "svc", "svc", "app in (a)"),
        ("set", "selector", "deploy", "web", "app=x"),
        ("set", "selector", "svc", "svc"),
        ("set", "selector", "svc", "svc", "a=b=c"),
        ("set", "selector", "svc", "svc", "a=b", "--resource-version=1"),
        ("set", "selector", "svc/svc", "x=y", "--dry-run=client", "-o", "jsonpath={.spec.selector}"),
        ("set", "sa", "deploy", "web", "mysa"),
        ("set", "serviceaccount", "deploy", "web", "mysa"),             # reported again
        ("set", "serviceaccount", "svc", "svc", "mysa"),
        ("set", "sa", "deploy", "web"),
        ("set", "sa"),
        ("get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.serviceAccountName}"),
    ], between=reset(), expect={
        0: (0, "deployment.apps/web resource requirements updated\n"),
        1: (0, ""),
        6: (0, '{"requests":{"cpu":"100m","memory":"1Gi"}}'),
        9: (0, '{"app":"web","tier":"fe"}'),
        14: (1, ""),
        17: (0, "deployment.apps/web serviceaccount updated\n"),
        21: (0, "mysa"),
    })


def test_set_subject():
    compare([
        ("set", "subject", "rolebinding", "rb", "--user=bob", "--user=alice", "--group=devs",
         "--serviceaccount=default:sa1", "--serviceaccount=:sa2"),
        ("get", "rolebinding", "rb", "-o", "jsonpath={.subjects}"),
        ("set", "subject", "rolebinding", "rb", "--user=alice"),
        ("set", "subject", "clusterrolebinding", "crb-set", "--serviceaccount=:x"),
        ("set", "subject", "rolebinding", "rb", "--serviceaccount=x"),
        ("set", "subject", "rolebinding", "rb"),
        ("set", "subject", "deploy", "web", "--user=u"),
        ("set", "subject", "clusterrolebinding", "crb-set", "--user=u", "--dry-run=server"),
        ("set", "subject", "rolebinding/rb", "--group=g", "-o", "yaml", "--dry-run=client"),
    ], between=reset(), normalize=mask, expect={
        0: (0, "rolebinding.rbac.authorization.k8s.io/rb subjects updated\n"),
        2: (0, ""),
        7: (0, "clusterrolebinding.rbac.authorization.k8s.io/crb-set subjects updated (server dry run)\n"),
    })


def test_help_and_groups():
    compare([
        ("set",),
        ("set", "foo"),
        ("set", "image", "--help"),
        ("set", "env", "-h"),
        ("help", "set", "subject"),
        ("set", "sa", "-h"),
    ], expect={1: (1, "")})


if __name__ == "__main__":
    h.main(globals())
