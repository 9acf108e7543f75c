#!/usr/bin/env python3
"""kapi client mode `port-forward`, `attach` and `cp` against real kubectl 1.33.

kapi serve has no kubelet, so no stream ever opens: what must match byte for byte is kubectl's
argument checks, its pod and port resolution, its errors for pods that are not running, and what
it prints when the server refuses the stream (a Pending pod, or one patched to Running through
the status subresource: neither has a node). Every step runs with a stdin that is not a terminal.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_streams.py [name-filter]
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

PODS = """\
apiVersion: v1
kind: Pod
metadata: {name: two, labels: {app: two}}
spec:
  initContainers: [{name: init, image: busybox}]
  containers:
  - name: a
    image: nginx
    ports: [{containerPort: 8080, name: http}, {containerPort: 53, protocol: UDP, name: dns}]
  - {name: b, image: busybox}
---
apiVersion: v1
kind: Pod
metadata: {name: ttyp, annotations: {kubectl.kubernetes.io/default-container: b}}
spec:
  containers:
  - {name: a, image: busybox, tty: true, stdin: true}
  - {name: b, image: busybox, tty: true}
---
apiVersion: v1
kind: Pod
metadata: {name: ann, annotations: {kubectl.kubernetes.io/default-container: init}}
spec:
  initContainers: [{name: init, image: busybox}]
  containers: [{name: a, image: nginx}, {name: b, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: ann2, annotations: {kubectl.kubernetes.io/default-container: zz}}
spec:
  containers: [{name: a, image: nginx}, {name: b, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: pweb, labels: {app: web}}
spec:
  containers:
  - name: c
    image: nginx
    ports: [{containerPort: 8080, name: https}, {containerPort: 9090, name: metrics}]
---
apiVersion: v1
kind: Service
metadata: {name: multi}
spec:
  selector: {app: web}
  ports:
  - {name: https, port: 443, targetPort: https}
  - {name: plain, port: 80, targetPort: 8080}
  - {name: dns, port: 53, protocol: UDP, targetPort: 53}
  - {name: missing, port: 81, targetPort: nope}
  - {name: noport, port: 82}
"""

# A pod that kubectl believes is running (no node: the server still refuses its streams), and a
# service in front of it.
RUNNING = """\
apiVersion: v1
kind: Pod
metadata: {name: prun, labels: {app: prun}}
spec:
  containers:
  - name: c
    image: nginx
    ports: [{containerPort: 8080, name: https}, {containerPort: 53, protocol: UDP, name: dns}]
---
apiVersion: v1
kind: Service
metadata: {name: srun}
spec:
  selector: {app: prun}
  ports:
  - {name: https, port: 443, targetPort: https}
  - {name: plain, port: 80, targetPort: 8080}
---
apiVersion: v1
kind: Service
metadata: {name: headless}
spec:
  clusterIP: None
  selector: {app: prun}
  ports: [{name: https, port: 443, targetPort: https}]
"""

NO_HOST = "Error from server (BadRequest): pod %s does not have a host assigned\n"
PROMPT = "If you don't see a command prompt, try pressing enter.\n"


def compare(steps, expect=None):
    # stdin is never a terminal, so -t is settled the same way in every run.
    return h.compare([(tuple(s), "") for s in steps], expect=expect)


def set_phase(name, phase, ns="default"):
    h.ok("patch", "pod", name, "-n", ns, "--subresource=status", "--type=merge",
         "-p", json.dumps({"status": {"phase": phase}}))


def setup_module_objects():
    if h.kubectl("get", "pod", "one")[0] == 0:
        return
    h.ok("run", "one", "--image=nginx", "--port=80")
    h.ok("apply", "-f", h.write_file("streams-pods.yaml", PODS))
    h.ok("create", "deploy", "web", "--image=nginx", "--port=8080")
    h.ok("create", "service", "clusterip", "web", "--tcp=80:8080")
    h.ok("create", "service", "clusterip", "nosel", "--tcp=80:80")
    h.ok("run", "done", "--image=nginx")
    set_phase("done", "Succeeded")
    h.ok("apply", "-f", h.write_file("streams-running.yaml", RUNNING))
    set_phase("prun", "Running")
    h.write_file("f.txt", "hello\n")
    os.makedirs(os.path.join(h.server().tmp, "adir"), exist_ok=True)


def test_help():
    out = compare([("port-forward", "--help"), ("attach", "-h"), ("cp", "--help"), ("help", "port-forward")])
    h.contains(out[0][1], "  kubectl port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]\n")
    h.contains(out[1][1], "  kubectl attach (POD | TYPE/NAME) -c CONTAINER [options]\n")
    h.contains(out[2][1], "  kubectl cp <file-spec-src> <file-spec-dest> [options]\n")


def test_port_forward_usage_and_ports():
    setup_module_objects()
    out = compare([
        ("port-forward",),
        ("port-forward", "one"),
        ("port-forward", "one", "80"),
        ("port-forward", "nope", "80"),
        ("port-forward", "one", "abc"),
        ("port-forward", "one", "8080:"),
        ("port-forward", "one", ":"),
        ("port-forward", "one", ":80"),
        ("port-forward", "one", "80:abc"),
        ("port-forward", "one", "a:b:c"),
        ("port-forward", "one", "0", "70000", "+80"),
        ("port-forward", "two", "http"),
        ("port-forward", "two", "dns"),
        ("port-forward", "two", "53"),
        ("port-forward", "two", "1:http"),
        ("port-forward", "two", "8080:"),
        ("port-forward", "one", "80", "--pod-running-timeout=0"),
        ("port-forward", "one", "80", "--pod-running-timeout=abc"),
        ("port-forward", "one", "80", "--address=bad"),
        ("port-forward", "one", "80", "--bogus"),
        ("port-forward", "one", "--", "80"),
        ("port-forward", "pod/one", "80", "-n", "kube-system"),
        ("port-forward", "done", "80"),
    ], expect={
        0: (1, ""),
        2: (1, ""),
        4: (1, ""),
        5: (1, ""),
    })
    h.eq(out[0][2], "error: TYPE/NAME and list of ports are required for port-forward\n"
                    "See 'kubectl port-forward -h' for help and examples\n")
    h.eq(out[2][2], "error: unable to forward port because pod is not running. Current status=Pending\n")
    h.eq(out[4][2], "error: Pod 'one' does not have a named port 'abc'\n")
    h.eq(out[5][2], "error: remote port cannot be empty\n")
    h.eq(out[12][2], "error: UDP protocol is not supported for dns\n")
    h.eq(out[15][2], "error: Pod 'two' does not have a named port ''\n")
    h.eq(out[22][2], "error: unable to forward port because pod is not running. Current status=Succeeded\n")


def test_port_forward_workloads_and_services():
    setup_module_objects()
    out = compare([
        ("port-forward", "svc/web", "80"),
        ("port-forward", "svc/web", "8080"),
        ("port-forward", "svc/web", "abc"),
        ("port-forward", "svc/web", "8080:"),
        ("port-forward", "svc/multi", "443"),
        ("port-forward", "svc/multi", "https"),
        ("port-forward", "svc/multi", "1000:https"),
        ("port-forward", "service/multi", "plain", "82"),
        ("port-forward", "svc/multi", "53"),
        ("port-forward", "svc/multi", "dns"),
        ("port-forward", "svc/multi", "81"),
        ("port-forward", "svc/multi", "99"),
        ("port-forward", "svc/multi", "1:2:3"),
        ("port-forward", "svc/nosel", "80", "--pod-running-timeout=1s"),
        ("port-forward", "svc/kubernetes", "443"),
        ("port-forward", "deploy/web", "80"),
        ("port-forward", "deployment.apps/nope", "80"),
        ("port-forward", "cm/kube-root-ca.crt", "80"),
        ("port-forward", "pods", "pweb"),
    ], expect={1: (1, ""), 13: (1, "")})
    h.eq(out[1][2], "error: Service web does not have a service port 8080\n")
    h.eq(out[2][2], "error: Service 'web' does not have a named port 'abc'\n")
    h.eq(out[10][2], "error: Pod 'pweb' does not have a named port 'nope'\n")
    h.eq(out[13][2], "error: timed out waiting for the condition\n")
    h.eq(out[14][2], "error: cannot attach to *v1.Service: invalid service 'kubernetes': "
                     "Service is defined without a selector\n")
    h.eq(out[17][2], "error: cannot attach to *v1.ConfigMap: selector for *v1.ConfigMap not implemented\n")


def test_port_forward_running_pod():
    """A Running pod gets as far as the listen addresses, the port numbers and the stream request."""
    setup_module_objects()
    out = compare([
        ("port-forward", "prun", "8080"),
        ("port-forward", "prun", "8080", "9090:https", ":8080"),
        ("port-forward", "prun", "abc"),
        ("port-forward", "prun", "0"),
        ("port-forward", "prun", "70000"),
        ("port-forward", "prun", "65536:1"),
        ("port-forward", "prun", "1:65536"),
        ("port-forward", "prun", "80:0"),
        ("port-forward", "prun", "x:80"),
        ("port-forward", "prun", "+80"),
        ("port-forward", "prun", "80:-1"),
        ("port-forward", "prun", "8080", "--address=bad"),
        ("port-forward", "prun", "8080", "--address="),
        ("port-forward", "prun", "8080", "--address=::1,localhost,001.2.3.4"),
        ("port-forward", "prun", "8080", "--address=0.0.0.0,256.1.1.1"),
        ("port-forward", "prun", "dns"),
        ("port-forward", "svc/srun", "https"),
        ("port-forward", "svc/srun", ":https"),
        ("port-forward", "svc/srun", "99999:443"),
        ("port-forward", "svc/srun", "plain"),
        ("port-forward", "svc/headless", "https"),      # headless: the service port as is
        ("port-forward", "svc/headless", "99999:443"),
        ("port-forward", "svc/headless", "70000"),
    ], expect={0: (1, ""), 3: (1, ""), 11: (1, "")})
    h.eq(out[0][2], "error: error upgrading connection: pod prun does not have a host assigned\n")
    h.eq(out[3][2], "error: remote port must be > 0\n")
    h.eq(out[4][2], "error: error parsing local port '70000': strconv.ParseUint: parsing \"70000\": "
                    "value out of range\n")
    h.eq(out[11][2], "error: bad is not a valid IP\n")
    h.eq(out[12][2], "error: you must specify at least 1 address\n")


def test_attach():
    setup_module_objects()
    out = compare([
        ("attach",),
        ("attach", "one"),
        ("attach", "two"),
        ("attach", "two", "-c", "b"),
        ("attach", "two", "-c", "zz"),
        ("attach", "two", "-c", "init"),
        ("attach", "-q", "two"),
        ("attach", "one", "-i"),
        ("attach", "one", "-t"),
        ("attach", "one", "-it"),
        ("attach", "nope"),
        ("attach", "pod", "one"),
        ("attach", "pods", "one"),
        ("attach", "deploy", "web"),
        ("attach", "one", "two"),
        ("attach", "a", "b", "c"),
        ("attach", "one", "--pod-running-timeout=0"),
        ("attach", "--pod-running-timeout=0"),
        ("attach", "deploy/web"),
        ("attach", "svc/nosel", "--pod-running-timeout=1s"),
        ("attach", "cm/kube-root-ca.crt"),
        ("attach", "ttyp"),
        ("attach", "ttyp", "-c", "a", "-i"),
        ("attach", "ttyp", "-it"),
        ("attach", "ttyp", "-q", "-i"),
        ("attach", "prun", "-it"),
        ("attach", "done"),
        ("attach", "one", "-n", "kube-system"),
        ("attach", "ann"),                               # the annotation may name an init container
        ("attach", "ann2"),                              # an unknown annotated name: the first one
    ], expect={1: (1, ""), 4: (1, ""), 15: (1, "")})
    h.eq(out[0][2], "error: at least 1 argument is required for attach\n")
    h.eq(out[1][2], PROMPT + NO_HOST % "one")
    h.eq(out[2][2], 'Defaulted container "a" out of: a, b, init (init)\n' + PROMPT + NO_HOST % "two")
    h.eq(out[4][2], "error: cannot attach to the container: container zz not found in pod two\n")
    h.eq(out[9][2], "error: Unable to use a TTY - container one did not allocate one\n" + PROMPT + NO_HOST % "one")
    h.eq(out[13][2], PROMPT + NO_HOST % "pweb")
    h.eq(out[15][2], "error: expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw 3: [a b c]\n")
    h.eq(out[22][2], "Unable to use a TTY - input is not a terminal or the right kind of file\n" + PROMPT +
         NO_HOST % "ttyp")
    h.eq(out[26][2], "error: cannot attach a container in a completed pod; current phase is Succeeded\n")
    h.eq(out[28][2], PROMPT + NO_HOST % "ann")
    h.eq(out[29][2], 'Defaulted container "a" out of: a, b\n' + PROMPT + NO_HOST % "ann2")


def test_cp():
    setup_module_objects()
    out = compare([
        ("cp",),
        ("cp", "a"),
        ("cp", "a", "b", "c"),
        ("cp", "f.txt", "g.txt"),
        ("cp", ":x", "f.txt"),
        ("cp", "one:/tmp", "f.txt"),
        ("cp", "f.txt", "one:/tmp"),
        ("cp", "one:/tmp", "two:/tmp"),
        ("cp", "one:", "f.txt"),
        ("cp", "f.txt", "one:"),
        ("cp", "a/b/c:/x", "f.txt"),
        ("cp", "nope.txt", "one:/tmp"),
        ("cp", "nope/", "one:/tmp"),
        ("cp", "f.txt", "nope:/tmp"),
        ("cp", "nope:/tmp", "x"),
        ("cp", "f.txt", "two:/tmp"),
        ("cp", "two:/tmp/x", "out"),
        ("cp", "f.txt", "two:/tmp", "-c", "b"),
        ("cp", "default/one:/x", "out"),
        ("cp", "kube-system/one:/x", "out"),
        ("cp", "f.txt", "ttyp:/tmp"),
        ("cp", "--retries=2", "one:/x", "out"),
        ("cp", "--retries=abc", "one:/x", "out"),
        ("cp", "--no-preserve", "f.txt", "one:/tmp"),
        ("cp", "adir/", "one:/tmp/"),
        ("cp", "f.txt", "done:/tmp"),
        ("cp", "f.txt", "prun:/tmp"),
        ("cp", "one:/x", "out", "-n", "kube-system"),
        ("cp", "ann2:/x", "out"),
    ], expect={0: (1, ""), 3: (1, ""), 16: (1, 'Defaulted container "a" out of: a, b, init (init)\n')})
    h.eq(out[0][2], "error: source and destination are required\n")
    h.eq(out[3][2], "error: one of src or dest must be a remote file specification\n")
    h.eq(out[4][2], "error: filespec must match the canonical format: [[namespace/]pod:]file/path\n")
    h.eq(out[5][2], NO_HOST % "one")
    h.eq(out[7][2], "error: one of src or dest must be a local file specification\n")
    h.eq(out[8][2], "error: filepath can not be empty\n")
    h.eq(out[11][2], "error: nope.txt doesn't exist in local filesystem\n")
    h.eq(out[13][2], 'Error from server (NotFound): pods "nope" not found\n')
    h.eq(out[15][2], 'Defaulted container "a" out of: a, b, init (init)\n' + NO_HOST % "two")
    h.eq(out[25][2], "error: cannot exec into a container in a completed pod; current phase is Succeeded\n")


def test_server_checks_the_container():
    """kube-apiserver checks the container of exec and attach before it looks for the node
    (pkg/registry/core/pod/strategy.go validateContainer): kubectl prints its 400."""
    setup_module_objects()
    raw = "/api/v1/namespaces/default/pods/two/"
    out = compare([
        ("exec", "two", "-c", "zz", "--", "ls"),
        ("cp", "f.txt", "two:/tmp", "-c", "zz"),
        ("get", "--raw", raw + "exec?command=ls"),
        ("get", "--raw", raw + "attach?container=nope"),
        ("get", "--raw", raw + "attach?container=init"),
        ("get", "--raw", raw + "portforward"),
        ("get", "--raw", "/api/v1/namespaces/default/pods/one/exec?command=ls"),
    ], expect={0: (1, "")})
    h.eq(out[0][2], "Error from server (BadRequest): container zz is not valid for pod two\n")
    h.eq(out[1][2], "Error from server (BadRequest): container zz is not valid for pod two\n")
    h.eq(out[2][2], "Error from server (BadRequest): a container name must be specified for pod two, "
                    "choose one of: [init a b]\n")
    h.eq(out[4][2], NO_HOST % "two")
    h.eq(out[5][2], NO_HOST % "two")
    h.eq(out[6][2], NO_HOST % "one")


if __name__ == "__main__":
    h.main(globals())
