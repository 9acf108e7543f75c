#!/usr/bin/env python3
"""Every resource test_crud.py does not cover, with real kubectl 1.33: create from a realistic
manifest, get (table and -o wide, every cell; -o yaml), describe (exit 0), delete. The expected
headers and cells are upstream's printers (kubernetes pkg/printers/internalversion/printers.go:
printEndpoints/formatEndpoints, printEvent, printNode, printReplicaSet, printStatefulSet,
printDaemonSet, printCronJob, printPodDisruptionBudget, printClusterRoleBinding,
printEndpointSlice/formatDiscoveryPorts, printLease, printJob), worked out by hand for these
manifests. Plus the create-only resources (bindings, the access and token reviews)."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

AGE = re.compile(r"^\d+s$")
OLD = re.compile(r"^\d+d$|^\d+y\d*d?$")  # an age since 2024-01-01

# (kubectl resource, "kind.group" kubectl prints, plural for NotFound, name, manifest,
#  default header, wide header or None, expected wide cells (str or compiled regex))
RESOURCES = [
    ("endpoints", "endpoints", "endpoints", "ep-res", """\
apiVersion: v1
kind: Endpoints
metadata: {name: ep-res}
subsets:
- addresses: [{ip: 10.1.0.1}, {ip: 10.1.0.2}]
  ports: [{name: http, port: 80}, {name: https, port: 443}]
""", ["NAME", "ENDPOINTS", "AGE"], None,
     # ports outer, addresses inner, at most 3 then " + N more..."
     ["ep-res", "10.1.0.1:80,10.1.0.2:80,10.1.0.1:443 + 1 more...", AGE]),
    ("events", "event", "events", "ev-res", """\
apiVersion: v1
kind: Event
metadata: {name: ev-res}
involvedObject: {kind: Pod, name: p1, namespace: default, fieldPath: "spec.containers{c}"}
reason: Started
message: "Started container c  "
type: Normal
source: {component: kubelet, host: node1}
firstTimestamp: "2024-01-01T00:00:00Z"
count: 2
""", ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
     ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"],
     # no lastTimestamp: LAST SEEN is FIRST SEEN; the message is trimmed.
     [OLD, "Normal", "Started", "pod/p1", "spec.containers{c}", "kubelet, node1", "Started container c", OLD, "2",
      "ev-res"]),
    ("nodes", "node", "nodes", "node-res", """\
apiVersion: v1
kind: Node
metadata:
  name: node-res
  labels: {node-role.kubernetes.io/control-plane: "", node-role.kubernetes.io/worker: "", kubernetes.io/role: worker}
spec: {unschedulable: true}
""", ["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
     ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION",
      "CONTAINER-RUNTIME"],
     ["node-res", "Unknown,SchedulingDisabled", "control-plane,worker", AGE, "", "<none>", "<none>", "<unknown>",
      "<unknown>", "<unknown>"]),
    ("replicasets", "replicaset.apps", "replicasets.apps", "rs-res", """\
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs-res}
spec:
  replicas: 3
  selector:
    matchLabels: {app: rs-res}
    matchExpressions: [{key: env, operator: In, values: [prod, dev]}]
  template:
    metadata: {labels: {app: rs-res, env: prod}}
    spec:
      containers: [{name: c, image: nginx:1.25}, {name: d, image: busybox}]
""", ["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
     ["NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"],
     # requirements sorted by key, set values sorted
     ["rs-res", "3", "0", "0", AGE, "c,d", "nginx:1.25,busybox", "app=rs-res,env in (dev,prod)"]),
    ("statefulsets", "statefulset.apps", "statefulsets.apps", "sts-res", """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: sts-res}
spec:
  serviceName: sts-res
  replicas: 2
  selector: {matchLabels: {app: sts-res}}
  template:
    metadata: {labels: {app: sts-res}}
    spec:
      containers: [{name: c, image: nginx:1.25}]
""", ["NAME", "READY", "AGE"], ["NAME", "READY", "AGE", "CONTAINERS", "IMAGES"],
     ["sts-res", "0/2", AGE, "c", "nginx:1.25"]),
    ("daemonsets", "daemonset.apps", "daemonsets.apps", "ds-res", """\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds-res}
spec:
  selector: {matchLabels: {app: ds-res}}
  template:
    metadata: {labels: {app: ds-res}}
    spec:
      nodeSelector: {disk: ssd, arch: amd64}
      containers: [{name: c, image: fluentd:v1}]
""", ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
     ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE", "CONTAINERS",
      "IMAGES", "SELECTOR"],
     ["ds-res", "0", "0", "0", "0", "0", "arch=amd64,disk=ssd", AGE, "c", "fluentd:v1", "app=ds-res"]),
    ("cronjobs", "cronjob.batch", "cronjobs.batch", "cj-res", """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj-res}
spec:
  schedule: "*/5 * * * *"
  timeZone: Etc/UTC
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: busybox, command: [date]}]
""", ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"],
     ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE", "CONTAINERS", "IMAGES",
      "SELECTOR"],
     ["cj-res", "*/5 * * * *", "Etc/UTC", "False", "0", "<none>", AGE, "c", "busybox", "<none>"]),
    ("poddisruptionbudgets", "poddisruptionbudget.policy", "poddisruptionbudgets.policy", "pdb-res", """\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb-res}
spec:
  minAvailable: 50%
  selector: {matchLabels: {app: web}}
""", ["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"], None,
     ["pdb-res", "50%", "N/A", "0", AGE]),
    ("clusterrolebindings", "clusterrolebinding.rbac.authorization.k8s.io",
     "clusterrolebindings.rbac.authorization.k8s.io", "crb-res", """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb-res}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
- {kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}
- {kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}
- {kind: ServiceAccount, name: robot, namespace: ci}
""", ["NAME", "ROLE", "AGE"], ["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"],
     ["crb-res", "ClusterRole/view", AGE, "alice, bob", "devs", "ci/robot"]),
    ("endpointslices", "endpointslice.discovery.k8s.io", "endpointslices.discovery.k8s.io", "eps-res", """\
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: eps-res, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
ports: [{name: http, port: 80, protocol: TCP}, {name: named, protocol: TCP}]
endpoints:
- addresses: [10.1.0.1]
- addresses: [10.1.0.2]
""", ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], None,
     # a port without a number shows its name
     ["eps-res", "IPv4", "80,named", "10.1.0.1,10.1.0.2", AGE]),
    ("leases", "lease.coordination.k8s.io", "leases.coordination.k8s.io", "lease-res", """\
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: lease-res}
spec: {leaseDurationSeconds: 40}
""", ["NAME", "HOLDER", "AGE"], None, ["lease-res", "<none>", AGE]),
    ("limitranges", "limitrange", "limitranges", "lr-res", """\
apiVersion: v1
kind: LimitRange
metadata: {name: lr-res}
spec:
  limits:
  - type: Container
    default: {cpu: 500m}
    defaultRequest: {cpu: 100m}
""", ["NAME", "CREATED AT"], None,
     ["lr-res", re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")]),
    ("resourcequotas", "resourcequota", "resourcequotas", "rq-res", """\
apiVersion: v1
kind: ResourceQuota
metadata: {name: rq-res}
spec:
  hard: {pods: "10", requests.cpu: "2", limits.memory: 4Gi}
""", ["NAME", "AGE", "REQUEST", "LIMIT"], None,
     # no quota controller: nothing used yet; sorted by resource name
     # spec.hard's resources with status.used/status.hard; no quota controller fills status yet.
     ["rq-res", AGE, "pods: 0/0, requests.cpu: 0/0", "limits.memory: 0/0"]),
]


def cells_by_header(out):
    """Splits a kubectl table by the header's column starts (cells may hold spaces or be empty)."""
    lines = out.rstrip("\n").split("\n")
    header = lines[0]
    starts = [m.start() for m in re.finditer(r"(?:(?<=  )|^)\S", header)]
    names = [header[s:e].strip() for s, e in zip(starts, starts[1:] + [None])]
    rows = [[l[s:e].strip() for s, e in zip(starts, starts[1:] + [None])] for l in lines[1:]]
    return names, rows


def match_cells(got, want):
    if len(got) != len(want):
        return False
    for g, w in zip(got, want):
        if isinstance(w, re.Pattern):
            if not w.match(g):
                return False
        elif g != w:
            return False
    return True


def test_create_get_describe_delete_every_other_resource():
    problems = []

    def run(*args, **kw):
        rc, out, err = h.kubectl(*args, **kw)
        if rc != 0:
            problems.append("kubectl %s: rc=%d stderr=%r" % (" ".join(args), rc, err.strip()[:300]))
            return None
        return out

    for res, kindstr, plural, name, manifest, header, wide_header, want in RESOURCES:
        f = h.write_file("%s.yaml" % name, manifest)
        out = run("create", "-f", f)
        if out is None:
            continue
        if out.strip() != "%s/%s created" % (kindstr, name):
            problems.append("create %s: got %r" % (res, out.strip()))
        out = run("get", res, name)
        if out is not None:
            names, rows = cells_by_header(out)
            if names != header:
                problems.append("get %s header: expected %r, got %r" % (res, header, names))
        out = run("get", res, name, "-o", "wide")
        if out is not None:
            names, rows = cells_by_header(out)
            if names != (wide_header or header):
                problems.append("get %s -o wide header: expected %r, got %r" % (res, wide_header or header, names))
            elif len(rows) != 1 or not match_cells(rows[0], want):
                problems.append("get %s -o wide cells: expected %r, got %r" % (res, want, rows))
        out = run("get", res, name, "-o", "yaml")
        if out is not None and "  name: %s\n" % name not in out:
            problems.append("get %s -o yaml: no name in %r" % (res, out[:300]))
        out = run("describe", res, name)
        if out is not None and not re.search(r"^Name:\s+%s$" % re.escape(name), out, re.M):
            problems.append("describe %s: no 'Name:  %s' line in %r" % (res, name, out[:300]))
    for res, kindstr, plural, name, manifest, header, wide_header, want in RESOURCES:
        out = run("delete", res, name)
        if out is not None and out.strip() != '%s "%s" deleted' % (kindstr, name):
            problems.append("delete %s: got %r" % (res, out.strip()))
        rc, out, err = h.kubectl("get", res, name)
        exp = 'Error from server (NotFound): %s "%s" not found' % (plural, name)
        if res == "endpoints":  # KEP-4974's warning comes with every answer, errors too
            exp = "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n" + exp
        if (rc, err.strip()) != (1, exp):
            problems.append("get %s after delete: expected (1, %r), got (%d, %r)" % (res, exp, rc, err.strip()))
    if problems:
        h.fail("%d problem(s):\n    " % len(problems) + "\n    ".join(problems))


def test_node_status_and_ready_condition():
    # Status is kept on create (kubelets register with it) and updated through /status.
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n-ready"},
            "status": {"nodeInfo": {"kubeletVersion": "v1.33.0", "osImage": "Debian GNU/Linux 12 (bookworm)",
                                    "kernelVersion": "6.1.0", "containerRuntimeVersion": "containerd://1.7.0"},
                       "addresses": [{"type": "InternalIP", "address": "192.168.1.10"}]}}
    h.ok("create", "-f", "-", input=json.dumps(node))
    h.ok("patch", "node", "n-ready", "--subresource=status", "--type=merge", "-p",
         json.dumps({"status": {"conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                                "message": "ok"}]}}))
    names, rows = cells_by_header(h.ok("get", "node", "n-ready", "-o", "wide"))
    h.check(match_cells(rows[0], ["n-ready", "Ready", "<none>", AGE, "v1.33.0", "192.168.1.10", "<none>",
                                  "Debian GNU/Linux 12 (bookworm)", "6.1.0", "containerd://1.7.0"]),
            "node row: %r" % rows)
    h.ok("describe", "node", "n-ready")
    h.ok("delete", "node", "n-ready")


def test_job_status_and_duration():
    h.ok("create", "-f", "-", input="""\
apiVersion: batch/v1
kind: Job
metadata: {name: job-done}
spec:
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
""")
    # completions defaults to unset when parallelism is set: "0/1 of 2".
    names, rows = cells_by_header(h.ok("get", "job", "job-done"))
    h.eq(names, ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"], "job header")
    h.check(match_cells(rows[0], ["job-done", "Running", "0/1 of 2", "", AGE]), "job row: %r" % rows)
    h.ok("patch", "job", "job-done", "--subresource=status", "--type=merge", "-p", json.dumps({"status": {
        "startTime": "2024-01-01T00:00:00Z", "completionTime": "2024-01-01T00:01:05Z", "succeeded": 1,
        "conditions": [{"type": "SuccessCriteriaMet", "status": "True"},
                       {"type": "Complete", "status": "True"}]}}))
    names, rows = cells_by_header(h.ok("get", "job", "job-done"))
    # Complete wins over any other condition; the duration is completion - start.
    h.check(match_cells(rows[0], ["job-done", "Complete", "1/1 of 2", "65s", AGE]), "completed job row: %r" % rows)
    h.ok("describe", "job", "job-done")
    h.ok("delete", "job", "job-done")


def test_events_k8s_io_table():
    # events.k8s.io/v1 Events print with printEvent, read through their own field names
    # (regarding, note, reportingController/Instance, eventTime).
    h.ok("create", "-f", "-", input="""\
apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: ev-new}
eventTime: "2024-01-01T00:00:00.000000Z"
reportingController: example.com/ctl
reportingInstance: ctl-1
action: Create
reason: Created
regarding: {kind: Pod, name: p2, namespace: default}
note: created it
type: Normal
""")
    names, rows = cells_by_header(h.ok("get", "events.events.k8s.io", "ev-new", "-o", "wide"))
    h.eq(names, ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT",
                 "NAME"], "events.k8s.io header")
    h.check(match_cells(rows[0], [OLD, "Normal", "Created", "pod/p2", "", "example.com/ctl, ctl-1", "created it",
                                  OLD, "1", "ev-new"]), "events.k8s.io row: %r" % rows)
    h.ok("describe", "events.events.k8s.io", "ev-new")
    h.ok("delete", "events.events.k8s.io", "ev-new")


def test_create_only_resources():
    h.ok("create", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bind-me"},
                                                "spec": {"containers": [{"name": "c", "image": "nginx:1.25"}]}}))
    out = h.ok("create", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "Binding",
                                                      "metadata": {"name": "bind-me"},
                                                      "target": {"apiVersion": "v1", "kind": "Node", "name": "n1"}}))
    h.eq(out.strip(), "binding/bind-me created", "create binding")
    h.eq(h.ok("get", "pod", "bind-me", "-o", "jsonpath={.spec.nodeName}"), "n1", "bound pod's node")
    h.ok("delete", "pod", "bind-me", "--wait=false")
    out = h.ok("create", "-f", "-", "-o", "json", input=json.dumps({
        "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
        "spec": {"resourceAttributes": {"verb": "list", "resource": "pods", "namespace": "default"}}}))
    h.eq(json.loads(out)["status"]["allowed"], True, "selfsubjectaccessreview allowed")
    # Create-only: no list route (kubectl output as in kubernetes/kubernetes#114045).
    h.eq(h.err_of("get", "selfsubjectaccessreviews"),
         "Error from server (MethodNotAllowed): the server does not allow this method on the requested resource",
         "get a create-only resource")


if __name__ == "__main__":
    h.main(globals())
