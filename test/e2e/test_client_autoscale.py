#!/usr/bin/env python3
"""kapi client mode `autoscale` against real kubectl 1.33.

The same commands run with kubectl.1.33 and with `$KAPI_BIN` (as argv[0] "kubectl") against one
`kapi serve`; stdout, stderr and exit codes must be identical. kapi serve does not serve
horizontalpodautoscalers yet: a real create fails on autoscaling/v2 and then on the v1 fallback,
as kubectl reports it; the generated objects are compared with --dry-run=client.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_autoscale.py [name-filter]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

compare = h.compare

HPA = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  creationTimestamp: null
  name: web
spec:
  maxReplicas: 3
  metrics:
  - resource:
      name: cpu
      target:
        averageUtilization: 50
        type: Utilization
    type: Resource
  minReplicas: 2
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
status:
  currentMetrics: null
  desiredReplicas: 0
"""


def setup():
    h.kubectl("create", "deployment", "web", "--image=nginx")
    h.kubectl("create", "configmap", "cm1")
    return h.write_file("deploy.yaml", h.ok("get", "deploy", "web", "-o", "yaml"))


def test_autoscale():
    f = setup()
    compare([
        ("autoscale", "deploy", "web", "--max=3", "--dry-run=client", "-o", "yaml", "--min=2", "--cpu-percent=50"),
        ("autoscale", "deploy/web", "--max=3", "--dry-run=client", "-o", "json", "--name=h1", "-n", "default"),
        ("autoscale", "-f", f, "--max=2", "--dry-run=client"),
        ("autoscale", "deploy", "web", "--max=2", "--dry-run=client", "-o", "name"),
        ("autoscale", "cm", "cm1", "--max=3"),
        ("autoscale", "deploy", "web", "--max=0"),
        ("autoscale", "deploy", "web", "--max=2", "--min=3"),
        ("autoscale", "deploy", "web"),
        ("autoscale", "deploy", "nope", "--max=2", "-o", "wide"),
        ("autoscale", "deploy", "web", "--max=2", "--dry-run=client", "-o", "wide"),
        ("autoscale", "deploy", "web", "--max=2"),
        ("autoscale", "--help"),
    ], expect={
        0: (0, HPA),
        2: (0, "horizontalpodautoscaler.autoscaling/web created (dry run)\n"),
        4: (1, ""),
        10: (0, "horizontalpodautoscaler.autoscaling/web autoscaled\n"),
    }, between=lambda: h.kubectl("delete", "hpa", "web", "--ignore-not-found"))


if __name__ == "__main__":
    h.main(globals())
