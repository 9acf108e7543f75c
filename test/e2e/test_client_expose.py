#!/usr/bin/env python3
"""kapi client mode `expose` against real kubectl 1.33.

The same commands run with kubectl.1.33 and with `$KAPI_BIN` (as argv[0] "kubectl") against one
`kapi serve`; stdout, stderr and exit codes must be identical. The selector, ports, protocols and
labels come from deployments, replica sets, pods and services as polymorphichelpers derive them.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_expose.py [name-filter]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

compare = h.compare

OBJECTS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: fe}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: c
        image: nginx
        ports:
        - containerPort: 80
        - containerPort: 53
          protocol: UDP
        - containerPort: 53
          protocol: TCP
---
apiVersion: v1
kind: Pod
metadata:
  name: p1
spec:
  containers:
  - name: c
    image: nginx
    ports:
    - containerPort: 8080
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: rs1
spec:
  selector:
    matchLabels: {app: rs}
    matchExpressions:
    - {key: a, operator: In, values: [x, z]}
  template:
    metadata:
      labels: {app: rs, a: x}
    spec:
      containers:
      - name: c
        image: nginx
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm1
"""

WEB_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
    tier: fe
  name: web
spec:
  ports:
  - name: port-1
    port: 80
    protocol: TCP
    targetPort: 80
  - name: port-2-udp
    port: 53
    protocol: UDP
    targetPort: 53
  - name: port-2-tcp
    port: 53
    protocol: TCP
    targetPort: 53
  selector:
    app: web
status:
  loadBalancer: {}
"""

_setup_done = []


def setup():
    if _setup_done:
        return
    f = h.write_file("objs.yaml", OBJECTS)
    h.ok("apply", "-f", f)
    h.ok("run", "lp", "--image=nginx", "--port=9090", "-l", "a=b,c=d")
    h.ok("create", "service", "clusterip", "s1", "--tcp=80:8080", "--tcp=443")
    _setup_done.append(f)


def test_dry_run_client_services():
    setup()
    f = _setup_done[0]
    compare([
        ("expose", "deploy", "web", "--dry-run=client", "-o", "yaml"),
        ("expose", "deploy", "web", "--dry-run=client", "-o", "json", "--port=8080", "--target-port=http",
         "--protocol=UDP", "--name=x", "--type=LoadBalancer", "--load-balancer-ip=1.2.3.4",
         "--external-ip=5.6.7.8", "--session-affinity=ClientIP", "-l", "q=r", "--selector=s=t"),
        ("expose", "pod", "lp", "--dry-run=client", "-o", "yaml", "-n", "default"),
        ("expose", "svc", "s1", "--dry-run=client", "-o", "yaml", "--cluster-ip=None"),
        ("expose", "svc/s1", "--dry-run=client", "-o", "json", "--target-port=9000", "--type=NodePort"),
        ("expose", "-f", f, "--dry-run=client", "-o", "yaml"),   # the first object's selector sticks
        ("expose", "-f", f, "--dry-run=client"),
        ("expose", "pod", "lp", "--dry-run=client", "-o", "name", "--overrides", '{"spec":{"type":"NodePort"}}'),
    ], expect={0: (0, WEB_SERVICE), 7: (0, "service/lp\n")})


def test_errors():
    setup()
    compare([
        ("expose", "pod", "p1", "--dry-run=client"),            # no labels
        ("expose", "rs", "rs1", "--dry-run=client"),            # matchExpressions
        ("expose", "cm", "cm1", "--dry-run=client"),
        ("expose", "deploy", "nope"),
        ("expose",),
        ("expose", "pod", "lp", "--session-affinity=x", "--dry-run=client"),
        ("expose", "pod", "lp", "--dry-run=client", "-o", "wide"),
        ("expose", "pod", "lp", "--port=abc", "--dry-run=client"),
        ("expose", "pod", "lp", "--selector=bad", "--dry-run=client"),
        ("expose", "--help"),
    ], expect={2: (1, ""), 3: (1, "")})


def test_create_server_side():
    setup()
    compare([
        ("expose", "deploy", "web", "--port=80", "--name=websvc"),
        ("get", "svc", "websvc", "-o", "jsonpath={.metadata.labels}{.spec.selector}{.spec.ports}"),
        ("expose", "deploy", "web", "--port=80", "--name=websvc"),   # AlreadyExists
        ("expose", "pod", "lp", "--dry-run=server", "-o", "jsonpath={.spec.ports}"),
        ("expose", "pod", "lp", "--save-config", "-o", "jsonpath={.metadata.annotations}"),
    ], between=lambda: h.kubectl("delete", "svc", "websvc", "lp", "--ignore-not-found"), expect={
        0: (0, "service/websvc exposed\n"),
        2: (1, ""),
    })


if __name__ == "__main__":
    h.main(globals())
