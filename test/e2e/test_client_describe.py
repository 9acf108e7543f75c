#!/usr/bin/env python3
"""kapi client mode `describe` against real kubectl 1.33.

Each scenario creates objects (with real kubectl), then runs the same `describe` commands with
kubectl.1.33 and with `$KAPI_BIN` (as argv[0] "kubectl") against one `kapi serve` and requires
stdout, stderr and the exit code to match byte for byte. Events are created through the API
with timestamps days in the past, so their ages ("10d", "3d2h") do not change between the two
runs; the one column that does (pod ages on a node) is normalised.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_describe.py [name-filter]
"""
import datetime
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402


def ts(days=0, hours=0):
    t = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days, hours=hours)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def apply_json(obj):
    h.ok("create", "-f", "-", input=json.dumps(obj))


def uid_of(*args):
    return h.ok("get", *args, "-o", "jsonpath={.metadata.uid}")


def event(name, ns, kind, obj_name, uid, reason, message, count=1, etype="Normal", first_days=10,
          last_days=10, component="kapi-test", api_version="v1", io_ns=None):
    return {
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": name, "namespace": ns},
        "involvedObject": {"apiVersion": api_version, "kind": kind, "name": obj_name,
                           "namespace": ns if io_ns is None else io_ns,
                           "uid": uid},
        "reason": reason, "message": message, "type": etype, "count": count,
        "firstTimestamp": ts(days=first_days, hours=1), "lastTimestamp": ts(days=last_days, hours=1),
        "source": {"component": component},
    }


def compare_norm(args, norm):
    """Like compare for one step, with `norm` applied to both stdouts (age columns)."""
    k = h.kubectl(*args)
    a = h.kapi(*args)
    k = (k[0], norm(k[1]), k[2])
    a = (a[0], norm(a[1]), a[2])
    if k != a:
        h.fail("%r:\n kubectl: %r\n kapi:    %r" % (args, k, a))
    return k


POD = {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "web-1", "labels": {"app": "web", "tier": "front"},
                 "annotations": {"note": "x" * 150, "multi": "line1\nline2", "short": "s"}},
    "spec": {
        "priorityClassName": "", "nodeSelector": {"disk": "ssd"},
        "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"},
                        {"operator": "Exists"}],
        "initContainers": [{"name": "init", "image": "busybox", "command": ["sh", "-c", "echo hi\nsleep 1"]}],
        "containers": [{
            "name": "app", "image": "nginx:1.25", "args": ["--port", "80"],
            "ports": [{"containerPort": 80}, {"containerPort": 53, "protocol": "UDP", "hostPort": 5353}],
            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"cpu": "1", "memory": "128Mi"}},
            "livenessProbe": {"httpGet": {"path": "/healthz", "port": 80}, "initialDelaySeconds": 3},
            "readinessProbe": {"tcpSocket": {"port": "http"}, "periodSeconds": 5},
            "startupProbe": {"exec": {"command": ["cat", "/tmp/ready"]}},
            "envFrom": [{"configMapRef": {"name": "web-config"}}, {"prefix": "S_", "secretRef": {"name": "web-secret", "optional": True}}],
            "env": [
                {"name": "PLAIN", "value": "v"},
                {"name": "MULTI", "value": "a\nb"},
                {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                {"name": "APP_LABEL", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}},
                {"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
                {"name": "CPU_LIMIT", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}},
                {"name": "MEM_REQ", "valueFrom": {"resourceFieldRef": {"resource": "requests.memory", "divisor": "1Mi"}}},
                {"name": "PASS", "valueFrom": {"secretKeyRef": {"name": "web-secret", "key": "password"}}},
                {"name": "GREET", "valueFrom": {"configMapKeyRef": {"name": "web-config", "key": "greeting", "optional": True}}},
            ],
            "volumeMounts": [{"name": "data", "mountPath": "/data"}, {"name": "cfg", "mountPath": "/etc/cfg", "readOnly": True, "subPath": "x"}],
        }],
        "volumes": [
            {"name": "data", "emptyDir": {"sizeLimit": "1Gi"}},
            {"name": "cfg", "configMap": {"name": "web-config"}},
            {"name": "sec", "secret": {"secretName": "web-secret", "optional": True}},
            {"name": "host", "hostPath": {"path": "/var/log", "type": "Directory"}},
            {"name": "claim", "persistentVolumeClaim": {"claimName": "data-claim", "readOnly": True}},
            {"name": "down", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
            {"name": "nfs", "nfs": {"server": "nfs.local", "path": "/exports"}},
            {"name": "csi", "csi": {"driver": "csi.example.com", "volumeAttributes": {"b": "2", "a": "1"}}},
        ],
    },
}

POD_STATUS = {"status": {
    "phase": "Running", "hostIP": "10.0.0.5", "podIP": "10.244.1.7", "podIPs": [{"ip": "10.244.1.7"}],
    "startTime": "2024-05-01T10:00:00Z", "qosClass": "Burstable",
    "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"},
                   {"type": "PodScheduled", "status": "True"}],
    "initContainerStatuses": [{"name": "init", "image": "busybox", "imageID": "docker.io/busybox@sha256:1",
                               "containerID": "containerd://i1", "ready": True, "restartCount": 0,
                               "state": {"terminated": {"exitCode": 0, "reason": "Completed",
                                                        "startedAt": "2024-05-01T10:00:01Z",
                                                        "finishedAt": "2024-05-01T10:00:02Z"}}}],
    "containerStatuses": [{"name": "app", "image": "nginx:1.25", "imageID": "docker.io/nginx@sha256:2",
                           "containerID": "containerd://c1", "ready": True, "restartCount": 2, "started": True,
                           "state": {"running": {"startedAt": "2024-05-01T10:00:03Z"}},
                           "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled", "signal": 9,
                                                        "message": "killed",
                                                        "startedAt": "2024-05-01T09:00:00Z",
                                                        "finishedAt": "2024-05-01T09:59:00Z"}}}],
}}


def test_configmap_secret_and_errors():
    h.ok("create", "configmap", "web-config", "--from-literal=greeting=hello")
    h.ok("create", "configmap", "other", "--from-literal=a=b")
    h.ok("label", "configmap", "other", "team=x")
    h.ok("create", "secret", "generic", "web-secret", "--from-literal=password=s3cr3t")
    h.write_file("objs.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n---\n"
                              "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-there\n---\n"
                              "apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-secret\n")
    h.compare([
        ("describe", "configmap", "web-config"),
        ("describe", "cm", "web"),                # name prefix
        ("describe", "cm", "nothere"),            # NotFound, no prefix match
        ("describe", "configmaps"),               # every one, blank lines between
        ("describe", "cm", "-l", "team=x"),
        ("describe", "cm", "-l", "team=nobody"),  # nothing found
        ("describe", "secret", "web-secret"),
        ("describe", "cm/web-config", "cm/nope"),
        ("describe", "cm", "web-config", "nope", "other"),
        ("describe", "--show-events=false", "cm", "web-config"),
        ("describe",),
        ("describe", "foos"),
        ("describe", "cm", "web-config", "-A"),
        ("describe", "--help"),
        ("describe", "-f", "objs.yaml"),
        ("describe", "-f", "objs.yaml", "cm"),
        ("describe", "-f", "missing.yaml"),
        (("describe", "-f", "-"), "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n"),
    ], expect={
        0: (0, "Name:         web-config\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\n"
               "Data\n====\ngreeting:\n----\nhello\n\n\nBinaryData\n====\n\nEvents:  <none>\n"),
        2: (1, ""),
        6: (0, "Name:         web-secret\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\n"
               "Type:  Opaque\n\nData\n====\npassword:  6 bytes\n"),
    })


def test_pod_full():
    apply_json(POD)
    h.ok("patch", "pod", "web-1", "--subresource=status", "--type=merge", "-p", json.dumps(POD_STATUS))
    uid = uid_of("pod", "web-1")
    for e in [event("web-1.a", "default", "Pod", "web-1", uid, "Scheduled", "Successfully assigned", first_days=10, last_days=10),
              event("web-1.b", "default", "Pod", "web-1", uid, "BackOff", "Back-off restarting  \n", count=3,
                    etype="Warning", first_days=5, last_days=3, component="kubelet"),
              event("web-1.c", "default", "Pod", "web-1", "other-uid", "Ignored", "other object")]:
        apply_json(e)
    apply_json({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "plain"},
                "spec": {"containers": [{"name": "c", "image": "busybox",
                                         "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}})
    h.compare([
        ("describe", "pod", "web-1"),
        ("describe", "pods/web-1", "--show-events=false"),
        ("describe", "pod", "plain"),
        ("describe", "pods", "-l", "app=web"),
        ("describe", "pod", "we"),
    ])
    out = h.ok("describe", "pod", "web-1")
    for needle in ["Status:           Running", "Reason:       OOMKilled", "(x3 over 5d1h)",
                   "QoS Class:                   Burstable", "POD_NAME:   web-1 (v1:metadata.name)",
                   "Ready:          True"]:
        h.contains(out, needle)


def test_deployment_replicasets_service():
    apply_json({"apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": "shop", "labels": {"app": "shop"}},
                "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "shop"}},
                         "template": {"metadata": {"labels": {"app": "shop"}},
                                      "spec": {"containers": [{"name": "c", "image": "nginx:1.26",
                                                               "ports": [{"containerPort": 8080}]}]}}}})
    uid = uid_of("deployment", "shop")
    owner = [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "shop", "uid": uid, "controller": True}]

    def rs(name, image, h_, replicas):
        return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": name, "labels": {"app": "shop", "pod-template-hash": h_}, "ownerReferences": owner},
                "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "shop", "pod-template-hash": h_}},
                         "template": {"metadata": {"labels": {"app": "shop", "pod-template-hash": h_}},
                                      "spec": {"containers": [{"name": "c", "image": image,
                                                               "ports": [{"containerPort": 8080}]}]}}}}
    apply_json(rs("shop-old", "nginx:1.25", "aaa", 0))
    apply_json(rs("shop-new", "nginx:1.26", "bbb", 2))
    apply_json(event("shop.a", "default", "Deployment", "shop", uid, "ScalingReplicaSet",
                     "Scaled up replica set shop-new to 2", api_version="apps/v1"))
    apply_json({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "shop"},
                "spec": {"selector": {"app": "shop"},
                         "ports": [{"name": "http", "port": 80, "targetPort": 8080},
                                   {"name": "admin", "port": 9000, "targetPort": "admin"}]}})
    apply_json({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {"name": "shop-abc", "labels": {"kubernetes.io/service-name": "shop"}},
                "addressType": "IPv4",
                "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
                "endpoints": [{"addresses": ["10.1.0.1"], "conditions": {"ready": True}},
                              {"addresses": ["10.1.0.2"]},
                              {"addresses": ["10.1.0.3"], "conditions": {"ready": False}, "nodeName": "n1"}]})
    apply_json({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "lonely"},
                "spec": {"type": "NodePort", "ports": [{"port": 443, "protocol": "TCP"}]}})
    h.compare([
        ("describe", "deployment", "shop"),
        ("describe", "deploy/shop", "--show-events=false"),
        ("describe", "rs", "shop-new"),
        ("describe", "replicasets"),
        ("describe", "svc", "shop"),
        ("describe", "service", "lonely"),
        ("describe", "endpointslice", "shop-abc"),
    ])
    h.contains(h.ok("describe", "deployment", "shop"),
               "OldReplicaSets:    shop-old (0/0 replicas created)\nNewReplicaSet:     shop-new (0/2 replicas created)\n")


def test_node():
    apply_json({"apiVersion": "v1", "kind": "Node",
                "metadata": {"name": "n1", "labels": {"node-role.kubernetes.io/control-plane": "",
                                                      "kubernetes.io/hostname": "n1"}},
                "spec": {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"],
                         "taints": [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]}})
    status = {"status": {
        "capacity": {"cpu": "4", "memory": "8Gi", "pods": "110", "ephemeral-storage": "100Gi"},
        "allocatable": {"cpu": "3800m", "memory": "7Gi", "pods": "110", "ephemeral-storage": "90Gi",
                        "example.com/gpu": "2"},
        "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is ready",
                        "lastHeartbeatTime": "2024-05-01T10:00:00Z", "lastTransitionTime": "2024-04-01T10:00:00Z"}],
        "addresses": [{"type": "InternalIP", "address": "10.0.0.5"}, {"type": "Hostname", "address": "n1"}],
        "nodeInfo": {"machineID": "m1", "systemUUID": "s1", "bootID": "b1", "kernelVersion": "6.1.0",
                     "osImage": "Debian GNU/Linux 12", "containerRuntimeVersion": "containerd://1.7",
                     "kubeletVersion": "v1.33.0", "kubeProxyVersion": "", "operatingSystem": "linux",
                     "architecture": "amd64"}}}
    h.ok("patch", "node", "n1", "--subresource=status", "--type=merge", "-p", json.dumps(status))
    apply_json({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "on-n1", "namespace": "kube-system"},
                "spec": {"nodeName": "n1", "containers": [{"name": "c", "image": "busybox",
                         "resources": {"requests": {"cpu": "250m", "memory": "100Mi"},
                                       "limits": {"memory": "200Mi", "example.com/gpu": "1"}}}]}})
    apply_json({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "elsewhere"},
                "spec": {"nodeName": "n2", "containers": [{"name": "c", "image": "busybox"}]}})
    uid = uid_of("node", "n1")
    apply_json(event("n1.a", "default", "Node", "n1", uid, "RegisteredNode", "Node n1 event", io_ns=""))
    apply_json(event("n1.b", "default", "Node", "n1", "n1", "Starting", "Starting kubelet.", first_days=12,
                     last_days=12, io_ns=""))
    norm = lambda s: re.sub(r"(\)\s+)\d+[smh]\d*[sm]?\n", r"\1AGE\n", s)
    compare_norm(("describe", "node", "n1"), norm)
    compare_norm(("describe", "nodes"), norm)
    h.compare([("describe", "node", "n9"), ("describe", "no", "n1", "--show-events=false", "-A")][:1])
    apply_json({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": {"name": "n1", "namespace": "kube-node-lease"},
                "spec": {"holderIdentity": "n1", "renewTime": "2024-05-01T10:00:00.000000Z"}})
    out = compare_norm(("describe", "node", "n1"), norm)[1]
    # SetDefaults_Pod copies the gpu limit into the unset request: 1 requested, 1 limited.
    for needle in ["Roles:              control-plane", "  HolderIdentity:  n1", "Non-terminated Pods:",
                   "kube-system                 on-n1", "example.com/gpu    1           1",
                   "Normal  Starting        12d"]:
        h.contains(out, needle)


def test_workloads_rbac_misc():
    for manifest in [
        {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
         "spec": {"selector": {"matchLabels": {"app": "agent"}},
                  "template": {"metadata": {"labels": {"app": "agent"}},
                               "spec": {"nodeSelector": {"os": "linux"},
                                        "containers": [{"name": "a", "image": "agent:1"}]}}}},
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
         "spec": {"serviceName": "db", "replicas": 1, "selector": {"matchLabels": {"app": "db"}},
                  "template": {"metadata": {"labels": {"app": "db"}},
                               "spec": {"containers": [{"name": "db", "image": "postgres:16"}]}},
                  "volumeClaimTemplates": [{"metadata": {"name": "data"},
                                            "spec": {"accessModes": ["ReadWriteOnce"],
                                                     "resources": {"requests": {"storage": "1Gi"}}}}]}},
        {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "once"},
         "spec": {"template": {"spec": {"restartPolicy": "Never",
                                        "containers": [{"name": "j", "image": "busybox", "command": ["true"]}]}}}},
        {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "nightly"},
         "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": {"spec": {
             "restartPolicy": "OnFailure", "containers": [{"name": "j", "image": "busybox"}]}}}}}},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "reader"},
         "rules": [{"apiGroups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list"]},
                   {"apiGroups": ["apps"], "resources": ["deployments"], "resourceNames": ["shop"], "verbs": ["get"]},
                   {"apiGroups": [""], "resources": ["pods"], "verbs": ["watch"]}]},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "urls"},
         "rules": [{"nonResourceURLs": ["/healthz", "/metrics"], "verbs": ["get"]}]},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "read"},
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"},
         "subjects": [{"kind": "User", "name": "alice"}, {"kind": "ServiceAccount", "name": "bot", "namespace": "default"}]},
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "bot"},
         "secrets": [{"name": "missing-token"}], "imagePullSecrets": [{"name": "web-secret"}]},
        {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"},
         "value": 1000, "description": "important"},
        {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "manual"},
         "subsets": [{"addresses": [{"ip": "10.9.0.1"}], "ports": [{"port": 80, "name": "web"}]}]},
        {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": "lock"},
         "spec": {"holderIdentity": "me", "leaseDurationSeconds": 15}},
        {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "pdb"},
         "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "web"}}}},
    ]:
        apply_json(manifest)
    h.compare([
        ("describe", "ds", "agent"),
        ("describe", "sts", "db"),
        ("describe", "job", "once"),
        ("describe", "cronjob", "nightly"),
        ("describe", "role", "reader"),
        ("describe", "clusterrole", "urls"),
        ("describe", "rolebinding", "read"),
        ("describe", "sa", "bot"),
        ("describe", "priorityclass", "high"),
        ("describe", "endpoints", "manual"),
        ("describe", "lease", "lock"),
        ("describe", "ns", "default"),
        ("describe", "namespace", "kube-system", "--show-events=false"),
    ])


def test_namespace_quota_limits():
    h.ok("create", "namespace", "shop-ns")
    h.compare([("describe", "ns", "shop-ns")], expect={
        0: (0, "Name:         shop-ns\nLabels:       kubernetes.io/metadata.name=shop-ns\nAnnotations:  <none>\n"
               "Status:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n")})
    h.ok("create", "quota", "q1", "-n", "shop-ns", "--hard=cpu=1,memory=1Gi,pods=10,limits.cpu=2")
    h.ok("patch", "quota", "q1", "-n", "shop-ns", "--subresource=status", "--type=merge", "-p", json.dumps(
        {"status": {"hard": {"cpu": "1", "memory": "1Gi", "pods": "10", "limits.cpu": "2"},
                    "used": {"cpu": "500m", "memory": "0", "pods": "1", "limits.cpu": "0"}}}))
    h.ok("create", "quota", "q0", "-n", "shop-ns", "--hard=pods=5", "--scopes=BestEffort")
    apply_json({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "lr", "namespace": "shop-ns"},
                "spec": {"limits": [{"type": "Container", "max": {"cpu": "2"}, "min": {"cpu": "100m"},
                                     "default": {"cpu": "500m"}, "defaultRequest": {"cpu": "200m"},
                                     "maxLimitRequestRatio": {"cpu": "4"}},
                                    {"type": "Pod", "max": {"memory": "2Gi"}}]}})
    h.compare([
        ("describe", "ns", "shop-ns"),
        ("describe", "quota", "-n", "shop-ns"),
        ("describe", "limits", "lr", "-n", "shop-ns"),
        ("describe", "namespaces", "shop"),
    ])
    h.contains(h.ok("describe", "ns", "shop-ns"),
               "Resource Limits\n Type       Resource  Min   Max  Default Request  Default Limit  Max Limit/Request Ratio\n")


if __name__ == "__main__":
    h.main(globals())
