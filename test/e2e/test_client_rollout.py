#!/usr/bin/env python3
"""kapi client mode `rollout status|history|undo|pause|resume|restart` against real kubectl 1.33.

kapi serve runs no controllers, so the state a rollout would leave is made by hand: status
fields through `patch --subresource=status`, and ReplicaSets carrying the revision annotation
and an ownerReference to the Deployment (applied from a manifest). Each scenario runs the same
steps with kubectl.1.33 and with `$KAPI_BIN` (as argv[0] "kubectl"), recreating the objects
before each tool's run, and requires identical stdout, stderr and exit codes.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_rollout.py [name-filter]
"""
import json
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
      containers:
      - name: nginx
        image: nginx:1.25
        env:
        - name: A
          value: "1"
"""

SVC = "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  ports:\n  - port: 80\n"

# Two revisions of `web`: 1 (an older image, with a change cause) and 2 (the current template).
REPLICA_SETS = """\
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-aaa
  labels: {{app: web, pod-template-hash: aaa}}
  annotations:
    deployment.kubernetes.io/revision: "1"
    kubernetes.io/change-cause: "kubectl set image nginx=nginx:1.24"
  ownerReferences:
  - {{apiVersion: apps/v1, kind: Deployment, name: web, uid: {uid}, controller: true}}
spec:
  replicas: 0
  selector:
    matchLabels: {{app: web, pod-template-hash: aaa}}
  template:
    metadata:
      labels: {{app: web, pod-template-hash: aaa}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.24
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-bbb
  labels: {{app: web, pod-template-hash: bbb}}
  annotations:
    deployment.kubernetes.io/revision: "2"
  ownerReferences:
  - {{apiVersion: apps/v1, kind: Deployment, name: web, uid: {uid}, controller: true}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: web, pod-template-hash: bbb}}
  template:
    metadata:
      labels: {{app: web, pod-template-hash: bbb}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        env:
        - name: A
          value: "1"
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: other-rs
  labels: {{app: web, pod-template-hash: ccc}}
  annotations:
    deployment.kubernetes.io/revision: "7"
spec:
  replicas: 0
  selector:
    matchLabels: {{app: web, pod-template-hash: ccc}}
  template:
    metadata:
      labels: {{app: web, pod-template-hash: ccc}}
    spec:
      containers:
      - name: nginx
        image: not-owned
"""

compare = h.compare


def reset(with_history=False, status=None, paused=False):
    """Recreates web (and svc); optionally its ReplicaSets, a status, a paused spec."""
    def run():
        deploy = h.write_file("ro-deploy.yaml", DEPLOY)
        svc = h.write_file("ro-svc.yaml", SVC)
        h.kubectl("delete", "rs", "--all", "--wait=true")
        for f in (deploy, svc):
            h.kubectl("delete", "-f", f, "--ignore-not-found", "--wait=true")
            h.ok("create", "-f", f)
        if with_history:
            uid = h.ok("get", "deploy", "web", "-o", "jsonpath={.metadata.uid}")
            h.ok("apply", "-f", h.write_file("ro-rs.yaml", REPLICA_SETS.format(uid=uid)))
        if status is not None:
            h.ok("patch", "deploy", "web", "--subresource=status", "--type=merge", "-p", json.dumps({"status": status}))
        if paused:
            h.ok("rollout", "pause", "deploy/web")
    run()
    return run


def test_status():
    compare([
        ("rollout", "status", "deploy/web", "--watch=false"),
        ("rollout", "status", "deploy/web", "--timeout=1s"),
        ("rollout", "status", "deploy/web", "--revision=2", "--watch=false"),
        ("rollout", "status", "deploy/web", "--revision=-1"),
        ("rollout", "status", "svc/svc"),
        ("rollout", "status"),
        ("rollout", "status", "deploy/nope"),
        ("rollout", "status", "deploy/nope", "deploy/web", "--watch=false"),
        ("rollout", "status", "deploy", "-l", "app=nomatch"),
    ], between=reset(), expect={
        0: (0, "Waiting for deployment spec update to be observed...\n"),
        1: (1, "Waiting for deployment spec update to be observed...\n"),
        2: (1, ""),
    })
    rc, _, err = h.kubectl("rollout", "status", "deploy/web", "--timeout=1s")
    h.eq((rc, err), (1, "error: timed out waiting for the condition\n"), "kubectl")


def test_status_of_observed_deployments():
    cases = [
        ({"observedGeneration": 1, "replicas": 2, "updatedReplicas": 1},
         'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...\n'),
        ({"observedGeneration": 1, "replicas": 3, "updatedReplicas": 2},
         'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n'),
        ({"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 1},
         'Waiting for deployment "web" rollout to finish: 1 of 2 updated replicas are available...\n'),
        ({"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 2},
         'deployment "web" successfully rolled out\n'),
        ({"observedGeneration": 1, "conditions": [{"type": "Progressing", "status": "False",
                                                   "reason": "ProgressDeadlineExceeded"}]}, ""),
    ]
    for status, line in cases:
        steps = [("rollout", "status", "deploy/web", "--watch=false")]
        if line.startswith("deployment"):
            steps.append(("rollout", "status", "deploy/web"))  # done: returns without --watch=false
        compare(steps, between=reset(status=status), expect={0: (0 if line else 1, line)})


def test_history_and_undo():
    compare([
        ("rollout", "history", "deploy/web"),
        ("rollout", "history", "deploy/web", "--revision=1"),
        ("rollout", "history", "deploy/web", "--revision=3"),
        ("rollout", "history", "deploy/web", "-o", "name"),
        ("rollout", "history", "deploy/web", "--revision=1", "-o", "jsonpath={.metadata.name}"),
        ("rollout", "history", "svc/svc"),
        ("rollout", "history", "rs/web-aaa"),
        ("rollout", "undo", "deploy/web", "--dry-run=client"),
        ("rollout", "undo", "deploy/web", "--to-revision=2"),
        ("rollout", "undo", "deploy/web", "--to-revision=5"),
        ("rollout", "undo", "deploy/web", "--to-revision=-1"),
        ("rollout", "undo", "deploy/web", "--dry-run=server"),
        ("rollout", "undo", "deploy/web"),
        ("get", "deploy", "web", "-o", "jsonpath={.metadata.annotations.kubernetes\\.io/change-cause} {.spec.template}"),
        ("rollout", "undo", "deploy/web"),                  # the previous revision is the current one now
        ("rollout", "undo", "svc/svc"),
        ("rollout", "undo", "rs/web-aaa"),
    ], between=reset(with_history=True), expect={
        0: (0, "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         kubectl set image nginx=nginx:1.24\n"
               "2         <none>\n\n"),
        3: (0, "replicaset.apps/web-aaa\nreplicaset.apps/web-bbb\n"),
        8: (0, "deployment.apps/web skipped rollback (current template already matches revision 2)\n"),
        12: (0, "deployment.apps/web rolled back\n"),
        14: (0, "deployment.apps/web skipped rollback (current template already matches revision 0)\n"),
    })


def test_without_history():
    compare([
        ("rollout", "history", "deploy/web"),
        ("rollout", "history", "deploy/web", "--revision=2"),
        ("rollout", "undo", "deploy/web"),
    ], between=reset(), expect={
        0: (0, "deployment.apps/web \nNo rollout history found.\n"),
        2: (1, ""),
    })
    rc, _, err = h.kubectl("rollout", "undo", "deploy/web")
    h.eq(err, 'error: no rollout history found for deployment "web"\n', "kubectl")


def test_pause_resume_restart():
    compare([
        ("rollout", "pause", "deploy/web"),
        ("rollout", "pause", "deploy/web"),
        ("rollout", "restart", "deploy/web"),
        ("rollout", "undo", "deploy/web"),
        ("rollout", "resume", "deploy", "web", "-o", "name"),
        ("rollout", "resume", "deploy/web"),
        ("rollout", "pause", "svc/svc"),
        ("rollout", "restart", "svc/svc"),
        ("rollout", "resume", "svc/svc"),
        ("rollout", "pause", "deploy", "-l", "app=nomatch"),
        ("rollout", "pause"),
        ("rollout", "pause", "deploy/nope", "deploy/web", "-o", "jsonpath={.spec.paused}"),
    ], between=reset(), expect={
        0: (0, "deployment.apps/web paused\n"),
        1: (1, ""),
        4: (0, "deployment.apps/web\n"),
        11: (1, "true"),
    })
    h.kubectl("rollout", "pause", "deploy/web")
    rc, _, err = h.kubectl("rollout", "pause", "deploy/web")
    h.eq((rc, err), (1, 'error: deployments.apps "web" is already paused\n'), "kubectl")


def test_restart_sets_restarted_at():
    # The annotation holds the current second: compare with the timestamp masked.
    stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)")
    between = reset()
    outs = []
    for run in (h.kubectl, h.kapi):
        got = [run("rollout", "restart", "deploy/web"),
               run("get", "deploy", "web", "-o", "jsonpath={.spec.template.metadata.annotations}")]
        outs.append([(rc, stamp.sub("TIME", out), err) for rc, out, err in got])
        between()
    h.eq(outs[1], outs[0], "kapi vs kubectl (time masked)")
    h.eq(outs[0], [(0, "deployment.apps/web restarted\n", ""),
                   (0, '{"kubectl.kubernetes.io/restartedAt":"TIME"}', "")], "kubectl")


def test_help_and_groups():
    compare([
        ("rollout",),
        ("rollout", "foo"),
        ("rollout", "status", "-h"),
        ("rollout", "undo", "--help"),
        ("help", "rollout", "history"),
    ], expect={0: (1, h.kubectl("rollout", "-h")[1])})


if __name__ == "__main__":
    h.main(globals())
