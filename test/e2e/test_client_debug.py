#!/usr/bin/env python3
"""kapi client mode `debug` against real kubectl 1.33, and the server's pods/ephemeralcontainers.

Each scenario runs the same steps with kubectl.1.33 and with kapi against one `kapi serve`
(the objects are recreated between the two runs) and requires identical (rc, stdout, stderr).
Several --env or --set-image pairs are left out: kubectl ranges over a Go map (random order).
The resulting pods are read back with kubectl in both runs ("@kubectl"), so the comparison is
of what each tool made the server store: the ephemeral containers, the copy's spec and the
node debugger's spec. Random name suffixes (debugger-xxxxx, node-debugger-NODE-xxxxx,
kube-api-access-xxxxx) are masked.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_debug.py [name-filter]
"""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

NS = "debug-e2e"

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: debug-e2e
  labels: {{app: web}}
  annotations: {{note: keep-me}}
spec:
  securityContext: {{runAsUser: 1000}}
  initContainers:
  - name: init
    image: busybox
  containers:
  - name: app
    image: nginx:1.25
    ports: [{{containerPort: 80}}]
    readinessProbe: {{httpGet: {{port: 80}}}}
    livenessProbe: {{tcpSocket: {{port: 80}}}}
    env: [{{name: A, value: "1"}}]
  - name: side
    image: redis
"""

NODE = """\
apiVersion: v1
kind: Node
metadata:
  name: n1
"""

LEGACY = ('--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly '
          'specify a profile, for example "--profile=general".\n')
NON_ROOT = ('Warning: Non-root user is configured for the entire target Pod, and some capabilities granted by '
            'debug profile may not work. Please consider using "--custom" with a custom profile that specifies '
            '"securityContext.runAsUser: 0".\n')

SUFFIXES = re.compile(r"(debugger-|node-debugger-n1-|kube-api-access-)[bcdfghjklmnpqrstvwxz2456789]{5}")


def mask(text):
    return SUFFIXES.sub(r"\1XXXXX", text)


def kubectl_ok(*args, input=None):
    rc, out, err = h.kubectl(*args, input=input)
    h.check(rc == 0, "kubectl %s: rc=%d %s" % (" ".join(args), rc, err))
    return out


def reset(*pods):
    """The namespace's pods deleted at once (node-bound ones too), then `pods` created afresh."""
    kubectl_ok("delete", "pods", "--all", "-n", NS, "--grace-period=0", "--force")
    for name in pods:
        kubectl_ok("apply", "-f", "-", input=POD.format(name=name))


_setup_done = []


def setup_once():
    """The namespace and the node, made once the server runs."""
    if not _setup_done:
        kubectl_ok("create", "namespace", NS)
        kubectl_ok("apply", "-f", "-", input=NODE)
        _setup_done.append(True)


def compare_reset(steps, pods=("web",), expect=None):
    setup_once()
    reset(*pods)
    # -n goes first: anything after "--" is the container's command.
    return h.compare([tuple(s) if s[0] == "@kubectl" else (s[0], "-n", NS) + tuple(s[1:]) for s in steps],
                     expect=expect, between=lambda: reset(*pods), normalize=mask)


def test_help_and_usage_errors():
    cm_file = h.write_file("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n")
    compare_reset([
        ("debug", "--help"),
        ("debug",),
        ("debug", "--image=busybox"),
        ("debug", "web"),
        ("debug", "web", "--image=busybox", "--profile=bad"),
        ("debug", "web", "--image=Bad Image"),
        ("debug", "web", "--copy-to=x"),
        ("debug", "web", "--copy-to=x", "--", "sh"),
        ("debug", "web", "--replace", "--image=b"),
        ("debug", "web", "--same-node", "--image=b"),
        ("debug", "web", "--set-image=a=b", "--image=b"),
        ("debug", "web", "--image=b", "-t"),
        ("debug", "web", "--image=b", "--target=app", "--copy-to=x"),
        ("debug", "web", "--image=b", "--image-pull-policy=Sometimes"),
        ("debug", "web", "--attach"),
        ("debug", "web", "--copy-to=x", "--set-image=a=Bad Image"),
        ("debug", "web", "--image=b", "--env=foo"),
        ("debug", "web", "--image=b", "--custom=missing.json"),
        ("debug", "nope", "--image=b"),
        ("debug", "nope", "other", "--image=b", "--profile=general"),
        ("debug", "node/nope", "--image=b"),
        ("debug", "configmap/kube-root-ca.crt", "--image=b", "--profile=general"),
        ("debug", "-f", cm_file, "--image=b", "--profile=general"),
        ("debug", "-f", cm_file, "web", "--image=b", "--profile=general"),
        ("debug", "-f", "missing.yaml", "--image=b", "--profile=general"),
    ], expect={
        1: (1, ""),
        4: (1, ""),
        18: (1, ""),
    })
    rc, out, err = h.kubectl("debug", "web", "--image=busybox", "--profile=bad", "-n", NS)
    h.eq(err, "error: unknown profile: bad\n", "kubectl stderr")
    rc, out, err = h.kubectl("debug", "nope", "--image=b", "-n", NS)
    h.eq(err, LEGACY + 'Error from server (NotFound): pods "nope" not found\n', "kubectl stderr")
    rc, out, err = h.kubectl("debug", "configmap/kube-root-ca.crt", "--image=b", "--profile=general", "-n", NS)
    h.eq(err, 'error: "/v1, Kind=ConfigMap" not supported by debug\n', "kubectl stderr")


EPHEMERAL = ("@kubectl", "get", "pod", "web", "-n", NS, "-o", "jsonpath={.spec.ephemeralContainers}")


def test_ephemeral_containers():
    pod_file = h.write_file("web.yaml", POD.format(name="web"))
    compare_reset([
        ("debug", "web", "--image=busybox"),
        ("debug", "web", "--image=busybox:1.36", "-c", "dbg", "--target=app", "--profile=general", "--",
         "sleep", "10"),
        ("debug", "web", "--image=alpine", "-c", "r", "--profile=restricted", "--env=X=1",
         "--image-pull-policy=Never", "--arguments-only", "-q", "--", "a", "b"),
        ("debug", "web", "--image=alpine", "-c", "s", "--profile=sysadmin"),
        ("debug", "web", "--image=alpine", "-c", "n", "--profile=netadmin"),
        ("debug", "web", "--image=alpine", "-c", "b", "--profile=baseline"),
        # The pod of a file is the patch's base (the builder does not fetch it).
        ("debug", "-f", pod_file, "--image=alpine", "-c", "f", "--profile=general"),
        EPHEMERAL,
        # The server's rules: names unique across all containers, an existing target.
        ("debug", "web", "--image=busybox", "-c", "app", "--profile=general"),
        ("debug", "web", "--image=busybox", "-c", "t", "--target=nope", "--profile=general"),
        EPHEMERAL,
    ], expect={
        0: (0, "Defaulting debug container name to debugger-XXXXX.\n"),
        1: (0, 'Targeting container "app". If you don\'t see processes from this container it may be because '
               "the container runtime doesn't support this feature.\n"),
        8: (1, ""),
        9: (1, 'Targeting container "nope". If you don\'t see processes from this container it may be because '
               "the container runtime doesn't support this feature.\n"),
    })
    rc, out, err = h.kubectl("debug", "web", "--image=busybox", "-c", "app", "--profile=general", "-n", NS)
    h.eq(err, 'The Pod "web" is invalid: spec.ephemeralContainers[0].name: Duplicate value: "app"\n',
         "kubectl stderr")
    rc, out, err = h.kubectl("debug", "web", "--image=busybox", "-c", "t", "--target=nope", "--profile=general",
                             "-n", NS)
    h.eq(err, NON_ROOT + 'The Pod "web" is invalid: '
         'spec.ephemeralContainers[0].targetContainerName: Not found: "nope"\n',
         "kubectl stderr")


def test_custom_profile():
    custom_json = h.write_file("custom.json", '{"securityContext":{"runAsUser":0},"env":[{"name":"Z","value":"9"}]}')
    custom_yaml = h.write_file("custom.yaml", "securityContext:\n  capabilities:\n    add: [NET_ADMIN]\n"
                                              "workingDir: /tmp\n")
    bad = h.write_file("custom-bad.json", '{"image":"x"}')
    compare_reset([
        ("debug", "web", "--image=busybox", "-c", "cu", "--profile=general", "--custom=" + custom_json),
        ("debug", "web", "--image=busybox", "-c", "cy", "--profile=general", "--custom=" + custom_yaml),
        ("debug", "web", "--image=busybox", "--custom=" + bad),
        EPHEMERAL,
        ("debug", "web", "--copy-to=web-c", "--image=busybox", "-c", "cu", "--profile=netadmin",
         "--custom=" + custom_yaml),
        ("@kubectl", "get", "pod", "web-c", "-n", NS, "-o", "jsonpath={.spec.containers}"),
    ], expect={2: (1, "")})


COPY = ("@kubectl", "get", "pod", "web-copy", "-n", NS, "-o",
        "jsonpath={.metadata.labels}{.metadata.annotations}{.spec}")


def test_copy_to():
    runs = [
        ["--image=busybox"],
        ["--image=busybox", "-c", "app", "--", "sh", "-c", "echo hi"],
        ["--set-image=*=alpine,side=redis:7", "--profile=general", "--share-processes=false"],
        ["--image=busybox", "--profile=general", "--keep-labels", "--keep-liveness", "--keep-init-containers=false",
         "-i", "-t", "--attach=false"],
        ["--image=busybox", "--profile=sysadmin", "-c", "init", "--same-node"],
        ["--image=b", "--profile=netadmin", "-c", "newc", "--env=A=2", "--keep-annotations"],
        ["--image=busybox", "--profile=restricted", "--replace"],
    ]
    for args in runs:
        compare_reset([
            ["debug", "web", "--copy-to=web-copy"] + args,
            COPY,
            ("@kubectl", "get", "pods", "-n", NS, "-o", "name"),
        ])
    compare_reset([
        ("debug", "web", "--copy-to=web", "--image=busybox", "--profile=general"),
        ("debug", "web", "--copy-to=web-copy", "--set-image=app=nginx:1.27", "--profile=general"),
        ("debug", "web", "--copy-to=web-copy", "--set-image=app=nginx:1.27", "--profile=general"),
        COPY,
    ], expect={
        0: (1, "Defaulting debug container name to debugger-XXXXX.\n"),
        1: (0, ""),
    })


NODE_PODS = ("@kubectl", "get", "pods", "-n", NS, "--field-selector=spec.nodeName=n1", "-o",
             "jsonpath={.items[*].metadata.name}{.items[*].spec}")


def test_node_debugger():
    for args in (["--image=busybox"],
                 ["--image=busybox", "--profile=general", "-c", "c1", "--", "sleep", "1"],
                 ["--image=busybox", "--profile=baseline", "--image-pull-policy=IfNotPresent"],
                 ["--image=busybox", "--profile=restricted", "--env=A=1"],
                 ["--image=busybox", "--profile=netadmin", "-i", "--attach=false", "--arguments-only", "--", "x"],
                 ["--image=busybox", "--profile=sysadmin", "-q"]):
        kubectl = compare_reset([["debug", "node/n1"] + args, NODE_PODS], pods=())
        if "-q" not in args:
            h.contains(kubectl[0][1], "Creating debugging pod node-debugger-n1-XXXXX with container ")
            h.contains(kubectl[1][1], '"nodeName":"n1"')


def popen_kapi(*args):
    """kapi (as argv[0] "kubectl") in the background, like h.popen_kubectl."""
    srv = h.server()
    out = open(os.path.join(srv.tmp, "kapi-bg.out"), "w+")
    err = open(os.path.join(srv.tmp, "kapi-bg.err"), "w+")
    p = subprocess.Popen(["kubectl", "--cache-dir=" + os.path.join(srv.home, ".kube", "kapi-cache")] + list(args),
                         executable=h.kapi_bin(), stdout=out, stderr=err, stdin=subprocess.DEVNULL, text=True,
                         env=h.kubectl_env(srv), cwd=srv.tmp, start_new_session=True)
    p.out_file, p.err_file = out, err
    h._children.append(p)
    return p


WAITING_STATUS = ('{"status":{"ephemeralContainerStatuses":[{"name":"att","image":"busybox","imageID":"",'
                  '"ready":false,"restartCount":0,"state":{"waiting":{"reason":"ErrImagePull",'
                  '"message":"pull access denied"}}}]}}')


def test_attach_waits_for_the_container():
    """-i: kubectl waits, with no timeout, for the debug container to start (there is no kubelet):
    it tells why the container waits and fails once the pod is gone."""
    setup_once()
    results = {}
    for tool, popen in (("kubectl", h.popen_kubectl), ("kapi", popen_kapi)):
        reset("web")
        p = popen("debug", "-n", NS, "web", "--image=busybox", "-i", "-c", "att", "--profile=general")
        h.wait_until(lambda: '"stdin":true' in kubectl_ok(
            "get", "pod", "web", "-n", NS, "-o", "jsonpath={.spec.ephemeralContainers}"), what="container added")
        time.sleep(1)
        h.check(p.poll() is None, "%s debug -i returned before its container started" % tool)
        kubectl_ok("patch", "pod", "web", "-n", NS, "--subresource=status", "--type=merge", "-p", WAITING_STATUS)
        time.sleep(1.5)
        kubectl_ok("delete", "pod", "web", "-n", NS, "--grace-period=0", "--force")
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        h.check(p.poll() is not None, "%s debug -i still waits after the pod was deleted" % tool)
        out, err = h.proc_output(p)
        results[tool] = (p.returncode, out, err)
        h.kill_proc(p)
    h.eq(results["kapi"], results["kubectl"], "kapi vs kubectl (rc, stdout, stderr)")
    h.eq(results["kubectl"], (1, "", NON_ROOT + "Warning: container att: pull access denied\n"
                              'Error from server (NotFound): pods "" not found\n'), "kubectl")


if __name__ == "__main__":
    h.main(globals())
