#!/usr/bin/env python3
"""kapi client mode: api-resources, api-versions, cluster-info against real kubectl 1.33.

Each scenario runs the same commands with kubectl.1.33 and with `$KAPI_BIN` (as argv[0]
"kubectl") against one `kapi serve` and requires stdout, stderr and the exit code to match byte
for byte; `expect=` pins kubectl's own answer for key steps.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_info.py [name-filter]
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

kapi, compare = h.kapi, h.compare
KLOG = re.compile(r"^E\d{4} [\d:.]+ +\d+ ", re.M)

CLUSTER_SERVICES = """\
apiVersion: v1
kind: Service
metadata:
  name: dns
  namespace: kube-system
  labels: {kubernetes.io/cluster-service: "true", kubernetes.io/name: CoreDNS}
spec:
  ports: [{name: dns, port: 53, protocol: UDP}]
---
apiVersion: v1
kind: Service
metadata:
  name: sec
  namespace: kube-system
  labels: {kubernetes.io/cluster-service: "true"}
spec:
  ports: [{port: 443}]
"""


def compare_unreachable(*args):
    """Both clients against a closed port: klog timestamps and pids aside, the same output."""
    argv = ("--server=https://127.0.0.1:1",) + args
    k, a = h.kubectl(*argv), kapi(*argv)
    k = (k[0], k[1], KLOG.sub("", k[2]))
    a = (a[0], a[1], KLOG.sub("", a[2]))
    h.eq(a, k, "kapi vs kubectl for %r" % (args,))
    return k


def test_api_resources():
    out = compare([
        ("api-resources",),
        ("api-resources", "-o", "wide"),
        ("api-resources", "-o", "name"),
        ("api-resources", "--namespaced=false"),
        ("api-resources", "--namespaced=true", "--no-headers"),
        ("api-resources", "--api-group=apps"),
        ("api-resources", "--api-group="),
        ("api-resources", "--verbs=list,watch", "--sort-by=kind"),
        ("api-resources", "--verbs=create", "--verbs=get", "-o", "wide"),
        ("api-resources", "--sort-by=name", "-o", "wide", "--no-headers"),
        ("api-resources", "--categories=all"),
        ("api-resources", "--cached"),
        ("api-resources", "extra", "args"),
        ("api-resources", "-o", "json"),
        ("api-resources", "--sort-by=group"),
    ], expect={
        12: (1, ""),
        13: (1, ""),
    })
    h.contains(out[0][1], "NAME                         SHORTNAMES   APIVERSION                     NAMESPACED   KIND\n")
    h.contains(out[0][1], "\npods                         po           v1                             true         Pod\n")
    h.contains(out[1][1], "   VERBS   ")
    h.contains(out[2][1], "\ndeployments.apps\n")
    h.eq(out[5][1].splitlines()[0].split(), ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"])
    h.check(all(" apps/v1 " in l for l in out[5][1].splitlines()[1:]), "only apps resources")
    h.eq(out[13][2], "error: --output json is not available\n", "stderr")


def test_api_versions():
    out = compare([
        ("api-versions",),
        ("api-versions", "x"),
    ], expect={1: (1, "")})
    lines = out[0][1].splitlines()
    h.eq(lines, sorted(lines), "sorted")
    h.check("apps/v1" in lines and lines[-1] == "v1", "apps/v1 and v1 listed: %r" % lines)
    h.eq(out[1][2], "error: unexpected arguments: [x]\nSee 'kubectl api-versions -h' for help and examples\n")


def test_cluster_info():
    srv = h.server()
    plain = "Kubernetes control plane is running at %s\n\n" \
            "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n" % srv.url
    compare([
        ("cluster-info",),
        ("cluster-info", "-n", "default"),
    ], expect={0: (0, plain), 1: (0, plain)})
    h.ok("apply", "-f", h.write_file("cluster-services.yaml", CLUSTER_SERVICES))
    out = compare([("cluster-info",)])
    h.eq(out[0][1], "Kubernetes control plane is running at %s\n"
         "CoreDNS is running at %s/api/v1/namespaces/kube-system/services/dns:dns/proxy\n"
         "sec is running at %s/api/v1/namespaces/kube-system/services/https:sec:/proxy\n\n"
         "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
         % (srv.url, srv.url, srv.url))
    h.ok("delete", "-f", h.write_file("cluster-services.yaml", CLUSTER_SERVICES))


def test_auth_can_i():
    out = compare([
        ("auth", "can-i", "get", "pods"),
        ("auth", "can-i", "get", "pods", "-A"),
        ("auth", "can-i", "list", "nodes"),              # warning: not namespace scoped
        ("auth", "can-i", "frob", "pods"),               # warning: unknown verb
        ("auth", "can-i", "get", "foos"),                # warning: unknown resource type
        ("auth", "can-i", "get", "foos.bar"),
        ("auth", "can-i", "get", "/healthz"),
        ("auth", "can-i", "frob", "/healthz"),
        ("auth", "can-i", "get", "/healthz", "--subresource=x"),
        ("auth", "can-i", "get"),
        ("auth", "can-i", "--list"),
        ("auth", "can-i", "--list", "--no-headers", "-n", "kube-system"),
        ("auth", "can-i", "--list", "x"),
        ("auth", "can-i", "--list", "-A"),
        ("auth", "can-i", "get", "pods", "--no-headers"),
        ("auth", "can-i", "get", "pods", "-q"),
        ("auth", "can-i", "get", "deployments.apps/x", "--subresource=scale"),
        ("auth", "can-i", "*", "*"),
        ("auth", "can-i", "get", "users"),
        ("auth",),
        ("auth", "bogus"),
    ], expect={0: (0, "yes\n"), 15: (0, "")})
    h.eq(out[2][2], "Warning: resource 'nodes' is not namespace scoped\n\n", "warning")
    h.contains(out[10][1], "Resources   Non-Resource URLs   Resource Names   Verbs\n")


def test_auth_whoami():
    ts = re.compile(r'"?creationTimestamp"?: "[^"]*"')
    steps = [("auth", "whoami"), ("auth", "whoami", "-o", "name"), ("auth", "whoami", "-o", "yaml"),
             ("auth", "whoami", "-o", "json"), ("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"),
             ("auth", "whoami", "-o", "wide"), ("auth", "whoami", "--as=bob", "--as-group=g1")]
    for step in steps:
        k, a = h.kubectl(*step), kapi(*step)
        k, a = (k[0], ts.sub("TS", k[1]), k[2]), (a[0], ts.sub("TS", a[1]), a[2])
        h.eq(a, k, "kapi vs kubectl for %r" % (step,))
    h.eq(h.kubectl("auth", "whoami")[:2],
         (0, "ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [system:masters system:authenticated]\n"))


TWO_CONTAINERS = """\
apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  initContainers: [{name: init, image: busybox}]
  containers: [{name: a, image: nginx}, {name: b, image: busybox}]
"""


def test_logs_and_exec():
    # No kubelet: logs of an unscheduled pod are empty, exec is refused by the server.
    h.ok("run", "one", "--image=nginx")
    h.ok("apply", "-f", h.write_file("two.yaml", TWO_CONTAINERS))
    out = compare([
        ("logs", "one"),
        ("logs", "two"),                       # "Defaulted container" notice on stderr
        ("logs", "two", "-c", "b"),
        ("logs", "two", "b", "--tail=5", "--timestamps"),
        ("logs", "pod/one", "-f"),
        ("logs", "nope"),
        ("logs",),
        ("logs", "one", "-c", "x"),
        ("logs", "one", "a", "b"),
        ("logs", "two", "-c", "a", "b"),
        ("logs", "one", "-n", "kube-system"),
        ("exec", "one", "--", "ls"),
        ("exec", "two", "--", "ls", "-l"),
        ("exec", "two", "-c", "b", "-it", "--", "sh"),
        ("exec", "two", "-c", "b", "-t", "--", "sh"),
        ("exec", "-q", "two", "--", "ls"),
        ("exec", "two", "-c", "zz", "--", "ls"),
        ("exec", "nope", "--", "ls"),
        ("exec", "one"),
        ("exec", "one", "ls"),
        ("exec", "--", "ls"),
    ], expect={
        0: (0, ""),
        5: (1, ""),
        11: (1, ""),
    })
    h.eq(out[1][2], 'Defaulted container "a" out of: a, b, init (init)\n', "defaulted notice")
    h.eq(out[5][2], 'error: error from server (NotFound): pods "nope" not found in namespace "default"\n')
    h.eq(out[11][2], "Error from server (BadRequest): pod one does not have a host assigned\n")
    h.ok("delete", "pod", "one", "two", "--wait=false")


def test_logs_and_exec_of_workloads_and_selectors():
    """TYPE/NAME of a workload or service stands for its pods (ByLogging for logs, the most
    active for exec; "Found N pods" when several match); -l reads every matching pod; kinds
    without a pod selector and services without one are refused with kubectl's texts."""
    h.ok("create", "namespace", "lx")
    try:
        for args in (("create", "deploy", "web", "--image=nginx"), ("create", "job", "jb", "--image=busybox"),
                     ("create", "cm", "cm1"), ("create", "service", "clusterip", "svc", "--tcp=80:80"),
                     ("run", "p1", "--image=nginx", "-l", "app=web"), ("run", "p2", "--image=nginx", "-l", "app=web"),
                     ("apply", "-f", h.write_file("lx-two.yaml", TWO_CONTAINERS))):
            h.ok(*(args + ("-n", "lx")))
        n = ("-n", "lx")
        out = compare([
            ("logs", "deploy/web") + n,
            ("logs", "deployment.apps/web", "--prefix") + n,
            ("logs", "svc/svc", "--pod-running-timeout=1s") + n,
            ("logs", "svc/kubernetes", "-n", "default"),
            ("logs", "cm/cm1") + n,
            ("logs", "job/jb", "--pod-running-timeout=1s") + n,
            ("logs", "job/nope") + n,
            ("logs", "-l", "app=web") + n,
            ("logs", "-l", "app=web", "--prefix", "--all-containers") + n,
            ("logs", "-l", "app=nope") + n,
            ("logs", "-l", "app=web", "p1") + n,
            ("logs", "two", "--all-containers", "-c", "a") + n,
            ("logs", "two", "--since=1s", "--since-time=2020-01-01T00:00:00Z") + n,
            ("logs", "two", "--since=-5s") + n,
            ("logs", "two", "--tail=-2") + n,
            ("logs", "two", "--limit-bytes=-1") + n,
            ("logs", "two", "--pod-running-timeout=0") + n,
            ("logs", "-l", "app=web", "-f", "--max-log-requests=1") + n,
            ("exec", "deploy/web") + n + ("--", "ls"),
            ("exec", "svc/svc", "--pod-running-timeout=1s") + n + ("--", "ls"),
            ("exec", "cm/cm1") + n + ("--", "ls"),
            ("exec", "deploy/nope") + n + ("--", "ls"),
        ])
        h.eq(out[0][:2], (0, ""), "kubectl: logs deploy/web")
        h.eq(out[0][2], "Found 2 pods, using pod/p1\n", "kubectl: several pods")
        h.eq(out[2][2], "error: timed out waiting for the condition\n", "kubectl: no pod appears")
        h.eq(out[3][2], "error: cannot get the logs from *v1.Service: invalid service 'kubernetes': Service is "
                        "defined without a selector\n", "kubectl: a service without a selector")
        h.eq(out[4][2], "error: cannot get the logs from *v1.ConfigMap: selector for *v1.ConfigMap not "
                        "implemented\n", "kubectl: a kind without pods")
        h.eq(out[9][:3], (0, "", "No resources found in lx namespace.\n"), "kubectl: -l matching nothing")
        h.eq(out[17][2], "error: you are attempting to follow 2 log streams, but maximum allowed concurrency is 1, "
                         "use --max-log-requests to increase the limit\n", "kubectl: --max-log-requests")
        h.eq(out[18][2], "Error from server (BadRequest): pod p1 does not have a host assigned\n",
             "kubectl: exec picks the most active pod")
        h.eq(out[20][2], "error: cannot attach to *v1.ConfigMap: selector for *v1.ConfigMap not implemented\n",
             "kubectl: exec of a kind without pods")
    finally:
        h.kubectl("delete", "namespace", "lx", "--wait=false")


def test_plugin_list():
    """plugin list over a PATH with a missing directory, a shadowed plugin, one that is not
    executable and two that overwrite built-in commands; kubectl's warnings and errors."""
    base = h.server().tmp
    first, second = os.path.join(base, "plugins1"), os.path.join(base, "plugins2")
    for d in (first, second):
        os.makedirs(d, exist_ok=True)
    for d, name, mode in ((first, "kubectl-hello", 0o755), (second, "kubectl-hello", 0o755),
                          (first, "kubectl-get", 0o755), (first, "kubectl-create-configmap", 0o755),
                          (first, "kubectl-noexec", 0o644)):
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\necho hello \"$@\"\n")
        os.chmod(path, mode)
    saved = os.environ["PATH"]
    try:
        os.environ["PATH"] = "%s:%s:%s/missing" % (first, second, base)
        k = compare([
            ("plugin", "list"),
            ("plugin", "list", "--name-only"),
        ])
        # A plugin runs with the remaining arguments (no global flags may come before its name).
        import subprocess
        for argv, exe in ((["kubectl", "hello", "a", "-b"], h.kubectl_path("1.33")),
                          (["kubectl", "hello", "a", "-b"], h.kapi_bin())):
            p = subprocess.run(argv, executable=exe, capture_output=True, text=True, env=h.kubectl_env(), timeout=20)
            k.append((p.returncode, p.stdout, p.stderr))
        os.environ["PATH"] = second
        k += compare([("plugin", "list")])
        os.environ["PATH"] = base
        k += compare([("plugin", "list")])
    finally:
        os.environ["PATH"] = saved
    h.eq(k[0][0], 1, "kubectl: warnings fail the command")
    h.contains(k[0][2], "  - warning: kubectl-get overwrites existing command: \"kubectl get\"\n", "kubectl")
    h.contains(k[0][2], "error: 4 plugin warnings were found\n", "kubectl: warning count")
    h.eq(k[2], (0, "hello a -b\n", ""), "kubectl: the plugin runs")
    h.eq(k[3], (0, "hello a -b\n", ""), "kapi: the plugin runs")
    h.eq(k[4][:2], (0, "The following compatible plugins are available:\n\n%s/kubectl-hello\n" % second),
         "kubectl: one plugin")
    h.eq(k[5], (1, "", "error: unable to find any kubectl plugins in your PATH\n"), "kubectl: none")


def test_cluster_info_dump():
    """cluster-info dump: typed lists (JSON without separators, YAML with ---), the pod logs
    between START/END lines, --output-directory's files and closing line."""
    import re
    import subprocess
    h.ok("create", "namespace", "cid")
    try:
        h.ok("create", "deploy", "web", "-n", "cid", "--image=nginx")
        h.ok("run", "p1", "-n", "cid", "--image=nginx")

        def norm(text):
            text = re.sub(r'("?resourceVersion"?: )"[0-9]+"', r"\1RV", text)
            text = re.sub(r'("?uid"?: )"?[0-9a-f-]{36}"?', r"\1UID", text)
            return re.sub(r'("?(creationTimestamp|time)"?: )"[^"]+"', r"\1T", text)
        out = h.compare([
            ("cluster-info", "dump", "--namespaces=cid"),
            ("cluster-info", "dump", "--namespaces=cid", "-o", "yaml"),
            ("cluster-info", "dump", "--namespaces=cid", "--output-directory=-", "-o", "name"),
            ("cluster-info", "dump", "--namespaces=cid", "-o", "jsonpath={.kind} "),
            ("cluster-info", "dump", "-o", "wide"),
        ], normalize=norm)
        h.contains(out[0][1], "==== START logs for container p1 of pod cid/p1 ====\n"
                              "==== END logs for container p1 of pod cid/p1 ====\n", "kubectl: pod logs")
        h.check("Cluster info dumped" not in out[0][1], "kubectl: no closing line on stdout")
        h.contains(out[1][1], "---\napiVersion: v1\nitems: []\nkind: EventList\n", "kubectl: YAML separators")
        h.eq(out[3][:2], (0, "NodeList EventList ReplicationControllerList ServiceList DaemonSetList DeploymentList "
                             "ReplicaSetList PodList ==== START logs for container p1 of pod cid/p1 ====\n"
                             "==== END logs for container p1 of pod cid/p1 ====\n"), "kubectl: the lists in order")
        dirs = [os.path.join(h.server().tmp, d) for d in ("dump-kubectl", "dump-kapi")]
        results = []
        for tool, d in zip(("kubectl", "kapi"), dirs):
            results.append(h.run_tool(tool, ["cluster-info", "dump", "--namespaces=cid", "--output-directory=" + d]))
        h.eq(results[0][:2], (0, "Cluster info dumped to %s\n" % dirs[0]), "kubectl: directory dump")
        h.eq(results[1][:2], (0, "Cluster info dumped to %s\n" % dirs[1]), "kapi: directory dump")
        listing = [subprocess.run(["find", ".", "-type", "f"], cwd=d, capture_output=True, text=True).stdout for d in dirs]
        h.eq(sorted(listing[1].split()), sorted(listing[0].split()), "the same files")
        for name in ("cid/pods.json", "cid/p1/logs.txt", "nodes.json"):
            with open(os.path.join(dirs[0], name)) as a, open(os.path.join(dirs[1], name)) as b:
                h.eq(norm(b.read()), norm(a.read()), name)
    finally:
        h.kubectl("delete", "namespace", "cid", "--wait=false")


def test_completion():
    """kapi's own scripts (byte identity with kubectl is not required): bash sources the script
    and completing `kapi get po` offers the pods type, then the pod names."""
    import subprocess
    h.ok("run", "comp-a", "--image=nginx")
    h.ok("run", "comp-b", "--image=nginx")
    kapi_bin = h.kapi_bin()
    script = r"""

source <("$KAPI" completion bash)
COMP_WORDS=("$KAPI" get po); COMP_CWORD=2; __kapi_complete; echo "types: ${COMPREPLY[*]}"
COMP_WORDS=("$KAPI" get pods ""); COMP_CWORD=3; __kapi_complete; echo "names: ${COMPREPLY[*]}"
COMP_WORDS=("$KAPI" get po comp-b); COMP_CWORD=3; __kapi_complete; echo "prefix: ${COMPREPLY[*]}"
COMP_WORDS=("$KAPI" con); COMP_CWORD=1; __kapi_complete; echo "commands: ${COMPREPLY[*]}"
"""
    env = h.kubectl_env()
    env["KAPI"] = kapi_bin
    p = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=30)
    h.eq((p.returncode, p.stderr), (0, ""), "bash rc/stderr")
    # Every served type starting with "po", in discovery order (core/v1 podtemplates too).
    h.eq(p.stdout, "types: pods podtemplates poddisruptionbudgets.policy\nnames: comp-a comp-b\nprefix: comp-b\n"
         "commands: config\n", "completions")
    rc, out, err = kapi("completion", "zsh")
    h.eq(rc, 0, "zsh rc")
    h.contains(out, "#compdef kubectl\n")
    h.eq(kapi("completion", "fish")[2], "error: Unsupported shell type \"fish\".\nSee 'kubectl completion -h' for help and examples\n")
    rc, out, err = kapi("__complete", "get", "")
    h.contains(out, "\npods\n")
    h.check(out.endswith(":4\n"), "directive line")
    h.ok("delete", "pod", "comp-a", "comp-b", "--wait=false")


def test_unreachable_server():
    k = compare_unreachable("api-resources")
    h.eq(k[1], "NAME   SHORTNAMES   APIVERSION   NAMESPACED   KIND\n", "header before the error")
    compare_unreachable("api-resources", "-o", "name")
    k = compare_unreachable("api-versions")
    h.contains(k[2], "error: couldn't get available api versions from server: Get ")
    compare_unreachable("cluster-info")
    compare_unreachable("auth", "can-i", "get", "/x")
    compare_unreachable("auth", "whoami")


def nouser_kubeconfig():
    text = open(h.server().kubeconfig).read()
    text = re.sub(r"(?s)users:\n.*", "users:\n- name: kubernetes-admin\n  user: {}\n", text)
    return "--kubeconfig=" + h.write_file("nouser.kubeconfig", text)


def test_auth_can_i_when_discovery_fails():
    """cani.go resourceFor: a failed discovery is no error, the name is just unknown (a warning;
    memcache logs each failed fetch: twice per ResourceFor call, a resource.version.group name
    makes two calls, a refetch after a cache miss logs once); isNamespaced asks the server itself,
    so no scope warning when that fails; then the review's own error (401, 403, refused)."""
    k = compare_unreachable("auth", "can-i", "get", "pods")
    h.eq(k, (1, "", 'memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: Get '
             '\\"https://127.0.0.1:1/api?timeout=10s\\": dial tcp 127.0.0.1:1: connect: connection refused"\n' * 2 +
             "Warning: the server doesn't have a resource type 'pods'\n\n"
             "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n"),
         "kubectl can-i against a closed port")
    for args in (("get", "pods.v1."), ("create", "deployments.apps"), ("get", "nodes"), ("frob", "pods"),
                 ("get", "users"), ("get", "*"), ("--list",), ("get", "pods", "-A")):
        compare_unreachable("auth", "can-i", *args)
    nouser = nouser_kubeconfig()
    fresh = iter(range(1000))

    def cold(*args):  # a cache dir of its own: discovery starts from scratch
        return args + ("--cache-dir=" + os.path.join(h.server().tmp, "cold-%d" % next(fresh)),)
    bad, anon = (nouser, "--token=bad"), (nouser, "--username=u", "--password=p")
    steps = [
        cold("auth", "can-i", "get", "pods", *bad),
        cold("auth", "can-i", "get", "foos.v1.x", *bad),
        cold("auth", "can-i", "get", "nodes", *anon),
        cold("auth", "can-i", "--list", *bad),
        ("api-resources", "-o", "name"),                    # warms the shared cache
        ("auth", "can-i", "get", "nodes", *bad),            # known from the cache; no scope warning
        ("auth", "can-i", "get", "foos", *bad),             # a miss refetches: one failed fetch
        ("auth", "can-i", "get", "foos.v1.x", *anon),       # a miss, then a second call: three
        ("auth", "can-i", "get", "clusterroles.rbac.authorization.k8s.io"),  # scope warning with a group
        ("auth", "can-i", "get", "/healthz", *bad),
    ]
    res = compare(steps, normalize=h.normalize_klog)
    h.eq(res[0][2], 'Emmdd hh:mm:ss.uuuuuu pid memcache.go:265] "Unhandled Error" err="couldn\'t get current server '
         'API group list: the server has asked for the client to provide credentials"\n' * 2 +
         "Warning: the server doesn't have a resource type 'pods'\n\n"
         "error: You must be logged in to the server (Unauthorized)\n", "kubectl 401")
    h.eq(res[1][2].count("memcache.go"), 4, "two ResourceFor calls")
    h.eq(res[5][2], "error: You must be logged in to the server (Unauthorized)\n", "no scope warning")
    h.eq(res[6][2].count("memcache.go"), 1, "one refetch")
    h.eq(res[7][2].count("memcache.go"), 3, "refetch, then a call from scratch")
    h.eq(res[8], (0, "yes\n", "Warning: resource 'clusterroles' is not namespace scoped in group "
                  "'rbac.authorization.k8s.io'\n\n"), "scope warning")


if __name__ == "__main__":
    h.main(globals())
