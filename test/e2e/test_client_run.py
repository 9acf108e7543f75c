#!/usr/bin/env python3
"""kapi client mode `run` against real kubectl 1.33.

Each scenario runs the same commands with kubectl.1.33 and with `$KAPI_BIN` (as argv[0]
"kubectl") against one `kapi serve` and requires identical stdout, stderr and exit codes;
`between` deletes what the kubectl run created. `expect=` pins kubectl's own answers.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_run.py [name-filter]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

compare = h.compare

POD_YAML = """\
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: r1
  name: r1
spec:
  containers:
  - image: nginx
    name: r1
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
"""

EXPOSE_YAML = """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  name: r5
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    run: r5
status:
  loadBalancer: {}
---
---
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: r5
  name: r5
spec:
  containers:
  - image: nginx
    name: r5
    ports:
    - containerPort: 80
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
"""


def cleanup(*objects):
    def between():
        for o in objects:
            h.kubectl("delete", o, "--ignore-not-found", "--wait=false", "--grace-period=0", "--force")
    return between


def test_dry_run_client_objects():
    compare([
        ("run", "r1", "--image=nginx", "--dry-run=client", "-o", "yaml"),
        ("run", "r1", "--image=nginx", "--port=80", "--env=A=1", "--env=B=x=y", "--labels=a=b,c=d",
         "--annotations=x=y", "--privileged", "--image-pull-policy=Always", "--restart=Never", "--command",
         "--dry-run=client", "-o", "json", "--", "sh", "-c", "echo hi"),
        ("run", "r5", "--image=nginx", "--expose", "--port=80", "--dry-run=client", "-o", "yaml"),
        ("run", "r5", "--image=nginx", "--expose", "--port=80", "--dry-run=client", "-o", "json", "-l", "x=y",
         "-n", "kube-public"),
        ("run", "r5", "--image=busybox", "--dry-run=client", "-o", "name", "--expose", "--port=1"),
        ("run", "--image=nginx", "--dry-run=client", "-o", "json", "--", "a", "--", "b"),
        ("run", "r1", "--image=nginx", "--dry-run=client"),
        ("run", "r1", "--image=registry.example.com:5000/team/app:v1.2", "--dry-run=client", "-o",
         "jsonpath={.spec.containers[0].image}"),
        ("run", "r1", "--image=nginx", "--restart=OnFailure", "--leave-stdin-open", "--dry-run=client", "-o",
         "yaml", "--", "arg1"),
    ], expect={0: (0, POD_YAML), 2: (0, EXPOSE_YAML), 4: (0, "service/r5\npod/r5\n"),
               6: (0, "pod/r1 created (dry run)\n")})


def test_overrides():
    compare([
        ("run", "o1", "--image=nginx", "--dry-run=client", "-o", "json",
         "--overrides", '{"spec":{"nodeName":"n1","foo":1},"metadata":{"labels":null}}'),
        ("run", "o1", "--image=nginx", "--dry-run=client", "-o", "yaml", "--override-type=strategic",
         "--overrides", '{"spec":{"containers":[{"name":"o1","image":"busybox"}]}}'),
        ("run", "o1", "--image=nginx", "--dry-run=client", "-o", "yaml", "--override-type=json",
         "--overrides", '[{"op":"add","path":"/spec/hostname","value":"h"}]'),
        ("run", "o1", "--image=nginx", "--dry-run=client", "--overrides", "{bad"),
        ("run", "o1", "--image=nginx", "--dry-run=client", "--overrides", "[1]"),
        ("run", "o1", "--image=nginx", "--dry-run=client", "--override-type=json", "--overrides", "{}"),
        ("run", "o1", "--image=nginx", "--dry-run=client", "--override-type=bogus", "--overrides", "{}"),
    ], expect={3: (1, ""), 6: (1, "")})


def test_create_and_errors():
    compare([
        ("run", "w1", "--image=nginx"),
        ("run", "w1", "--image=nginx"),                                   # AlreadyExists
        ("run", "w2", "--image=nginx", "--port=8080", "--expose", "-l", "app=w2",
         "-o", "jsonpath={.kind}/{.metadata.name}{.spec.selector} "),
        ("get", "svc", "w2", "-o", "jsonpath={.metadata.labels}{.spec.ports}"),
        ("run", "w2", "--image=nginx", "--port=8080", "--expose"),        # both exist
        ("run", "w3", "--image=nginx", "--save-config", "--dry-run=server", "-n", "kube-public"),
        ("run", "w4", "--image=nginx", "--save-config", "-o", "jsonpath={.metadata.annotations}"),
        ("get", "pod", "w1", "-o", "jsonpath={.metadata.managedFields[0].manager}"),
    ], between=cleanup("pod/w1", "pod/w2", "svc/w2", "pod/w4"), expect={
        0: (0, "pod/w1 created\n"),
        1: (1, ""),
        5: (0, "pod/w3 created (server dry run)\n"),
        7: (0, "kubectl-run"),
    })


def test_flag_errors():
    compare([
        ("run", "r5", "--image=nginx", "-t"),
        ("run", "r5", "--image=nginx", "--rm"),
        ("run", "r5", "--image=nginx", "--restart=Bad"),
        ("run", "r5", "--image=nginx", "--image-pull-policy=Bad"),
        ("run", "r5", "--image=Nginx"),
        ("run", "r5", "--image="),
        ("run", "r5"),
        ("run", "--image=nginx"),
        ("run", "--image=nginx", "--"),
        ("run", "r5", "--image=nginx", "--expose"),
        ("run", "r5", "--image=nginx", "--port=abc"),
        ("run", "r5", "--image=nginx", "--env=1A=b", "--annotations=bad"),
        ("run", "r5", "--image=nginx", "--annotations=bad", "-l", "bad"),
        ("run", "r5", "--image=nginx", "-l", "=x"),
        ("run", "r5", "--image=nginx", "--pod-running-timeout=0s"),
        ("run", "r5", "--image=nginx", "--pod-running-timeout=x"),
        ("run", "r5", "--image=nginx", "-i", "--dry-run=client"),
        ("run", "r5", "--image=nginx", "-o", "wide"),
        ("run", "r5", "--image=nginx", "--dry-run=bogus"),
        ("run", "r5", "--image=nginx", "--cascade=bogus"),
        ("run", "--help"),
    ], expect={
        0: (1, ""),
        6: (1, ""),
    })


def test_attach_times_out_without_a_kubelet():
    """-i/--attach wait for the pod to run; nothing runs pods here, so --pod-running-timeout
    ends the wait (and --rm deletes what was created)."""
    compare([
        ("run", "a1", "-i", "--image=busybox", "--restart=Never", "--pod-running-timeout=1s"),
        ("get", "pod", "a1", "-o", "jsonpath={.spec.containers[0].stdin}{.spec.containers[0].stdinOnce}"),
        ("run", "a2", "--attach", "--rm", "--image=busybox", "--port=80", "--expose",
         "--pod-running-timeout=1s"),
        ("get", "pod,svc", "-o", "name"),
    ], between=cleanup("pod/a1"), expect={
        0: (1, ""),
        1: (0, "truetrue"),
        2: (1, 'service/a2 created\npod "a2" deleted\nservice "a2" deleted\n'),
        3: (0, "pod/a1\nservice/kubernetes\n"),
    })


if __name__ == "__main__":
    h.main(globals())
