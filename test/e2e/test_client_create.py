#!/usr/bin/env python3
"""kapi client mode `create <generator>` against real kubectl 1.33.

Each scenario runs the same commands with kubectl.1.33 and with `$KAPI_BIN` (as argv[0]
"kubectl") against one `kapi serve` and requires identical stdout, stderr and exit codes.
`--dry-run=client -o yaml|json` output is kubectl's typed encoding (creationTimestamp: null,
resources: {}, status: {}); `expect=` pins some of kubectl's own answers.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_create.py [name-filter]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

compare = h.compare

DEPLOYMENT_YAML = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: d
  name: d
spec:
  replicas: 1
  selector:
    matchLabels:
      app: d
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: d
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
"""


def dry(*args):
    """The command with --dry-run=client before any "--" (which starts the container command)."""
    if "--" in args:
        i = args.index("--")
        return tuple(args[:i]) + ("--dry-run=client",) + tuple(args[i:])
    return tuple(args) + ("--dry-run=client",)


def test_append_hash():
    """--append-hash: kubectl/pkg/util/hash over kind, name, (type,) data and binaryData; the
    expected names are what kubectl 1.33 prints for these inputs."""
    binary = h.write_file("bin.dat", "bin")
    with open(binary, "ab") as f:
        f.write(b"\xff\xfe")
    k = compare([
        dry("create", "cm", "hc", "--from-literal=a=1", "--from-literal=b=<&>", "--append-hash", "-o", "name"),
        dry("create", "cm", "hc", "--append-hash", "-o", "name"),
        dry("create", "cm", "hc", "--from-file=" + binary, "--append-hash", "-o", "name"),
        dry("create", "secret", "generic", "hs", "--from-literal=a=1", "--append-hash", "-o", "name"),
        dry("create", "secret", "generic", "hs", "--from-literal=a=1", "--type=foo", "--append-hash", "-o", "name"),
        dry("create", "secret", "docker-registry", "hd", "--docker-server=s", "--docker-username=u",
            "--docker-password=p", "--append-hash", "-o", "name"),
        ("create", "cm", "hc", "--from-literal=a=1", "--from-literal=b=<&>", "--append-hash"),
    ], between=lambda: h.kubectl("delete", "cm", "hc-2bhk6d8bb2", "--ignore-not-found"))
    h.eq([r[1] for r in k[:6]], ["configmap/hc-2bhk6d8bb2\n", "configmap/hc-g872269ccd\n",
                                 "configmap/hc-f9m2f6df72\n", "secret/hs-ckmht8kmdm\n", "secret/hs-t4t4btct6k\n",
                                 "secret/hd-229dmbhtdk\n"], "kubectl: hashed names")
    h.eq(k[6][:2], (0, "configmap/hc-2bhk6d8bb2 created\n"), "kubectl: created under the hashed name")


def test_dry_run_client_typed_output():
    compare([
        dry("create", "deployment", "d", "--image=nginx", "-o", "yaml"),
        dry("create", "deployment", "d", "--image=nginx:1.2", "--image=busybox", "--port=80", "-r", "3", "-o", "json"),
        dry("create", "deployment", "d", "--image=busybox", "-o", "yaml", "--", "sleep", "10"),
        dry("create", "namespace", "x", "-o", "json"),
        dry("create", "ns", "x", "--save-config", "-o", "json"),
        dry("create", "configmap", "c", "--from-literal=b=2", "--from-literal=a=1", "-o", "yaml"),
        dry("create", "cm", "c", "-n", "kube-public", "-o", "json"),
        dry("create", "secret", "generic", "s", "--from-literal=a=b", "--type=foo", "-o", "yaml"),
        dry("create", "secret", "docker-registry", "r", "--docker-username=u", "--docker-password=p",
            "--docker-email=e@x.io", "-o", "yaml"),
        dry("create", "service", "clusterip", "s", "--tcp=80:8080", "--tcp=443", "-o", "yaml"),
        dry("create", "svc", "clusterip", "h", "--clusterip=None", "-o", "json"),
        dry("create", "service", "nodeport", "n", "--tcp=80:http", "--node-port=30080", "-o", "yaml"),
        dry("create", "service", "loadbalancer", "l", "--tcp=5678:8080", "-o", "yaml"),
        dry("create", "service", "externalname", "e", "--external-name=a.example.com", "-o", "yaml"),
        dry("create", "serviceaccount", "sa1", "-o", "yaml"),
        dry("create", "rolebinding", "rb", "--role=r", "--user=u", "--group=g", "--serviceaccount=ns:sa", "-o", "yaml"),
        dry("create", "rolebinding", "rb", "--clusterrole=view", "-o", "json"),
        dry("create", "clusterrolebinding", "crb", "--clusterrole=r", "--user=u", "-o", "json"),
        dry("create", "priorityclass", "pc", "--value=10", "--description=hi", "--global-default", "-o", "yaml"),
        dry("create", "pc", "pc", "--preemption-policy=Never", "-o", "json"),
        dry("create", "job", "j", "--image=busybox", "-o", "yaml", "--", "sleep", "1"),
        dry("create", "cronjob", "cj", "--image=busybox", "--schedule=*/1 * * * *", "-o", "yaml", "--", "date"),
        dry("create", "cj", "cj", "--image=busybox", "--schedule=@daily", "--restart=Never", "-o", "json"),
        dry("create", "quota", "q", "--hard=cpu=1,memory=1G,pods=10", "--scopes=BestEffort", "-o", "yaml"),
        dry("create", "quota", "q", "-o", "yaml"),
        dry("create", "poddisruptionbudget", "p", "--selector=app=x,tier in (a,b)", "--min-available=50%", "-o", "yaml"),
        dry("create", "pdb", "p", "--selector=app=x", "--max-unavailable=1", "-o", "json"),
        dry("create", "configmap", "c", "-o", "name"),
        dry("create", "deployment", "d", "--image=nginx"),
        dry("create", "ns", "x", "-o", "jsonpath={.kind}/{.metadata.name}"),
    ], expect={
        0: (0, DEPLOYMENT_YAML),
        27: (0, "configmap/c\n"),
        28: (0, "deployment.apps/d created (dry run)\n"),
    })


def test_rules_resolve_through_discovery():
    compare([
        dry("create", "role", "pod-reader", "--verb=get,list", "--verb=watch", "--resource=pods", "-o", "yaml"),
        dry("create", "role", "r", "--verb=get", "--resource=rs.apps,pods/status,deploy",
            "--resource-name=a", "--resource-name=a", "-o", "yaml"),
        dry("create", "role", "r", "--verb=*", "--verb=get", "--resource=*", "-o", "json"),
        dry("create", "role", "r", "--verb=frob", "--resource=pods", "-o", "name"),
        dry("create", "role", "r", "--verb=bind", "--resource=pods"),
        dry("create", "role", "r", "--verb=get", "--resource=foos"),
        dry("create", "role", "r", "--verb=get", "--resource=foos.apps"),
        dry("create", "role", "r", "--verb=get"),
        dry("create", "role", "r", "--resource=pods"),
        dry("create", "clusterrole", "cr", "--verb=get", "--non-resource-url=/logs/*", "--resource=nodes", "-o", "yaml"),
        dry("create", "clusterrole", "cr", "--aggregation-rule=a=b,c=d", "-o", "yaml"),
        dry("create", "clusterrole", "cr", "--aggregation-rule=a=b", "--verb=get"),
        dry("create", "clusterrole", "cr", "--verb=list", "--non-resource-url=/a*b"),
        dry("create", "clusterrole", "cr", "--verb=watch", "--non-resource-url=/a"),
        dry("create", "clusterrole", "cr", "--verb=get"),
    ], expect={
        3: (0, "role.rbac.authorization.k8s.io/r\n"),
        5: (1, ""),
    })


def test_validation_errors():
    compare([
        ("create", "deployment", "d"),
        ("create", "deployment", "--image=x"),
        ("create", "cm", "a", "b"),
        ("create", "cronjob", "x"),
        ("create", "job", "j"),
        ("create", "job", "j", "--image=x", "--from=cronjob/c"),
        ("create", "secret"),
        ("create", "secret", "foo"),
        ("create", "service"),
        ("create", "foo"),
        ("create", "secret", "tls", "t"),
        ("create", "secret", "tls", "t", "--cert=/nonexistent", "--key=/x"),
        ("create", "secret", "docker-registry", "r"),
        ("create", "service", "nodeport", "n"),
        ("create", "service", "nodeport", "n", "--tcp=abc"),
        ("create", "service", "nodeport", "n", "--tcp=80:a_b"),
        ("create", "service", "clusterip", "n", "--tcp=70000"),
        ("create", "service", "externalname", "e", "--external-name=Not_Valid"),
        ("create", "rolebinding", "rb"),
        ("create", "rolebinding", "rb", "--role=r", "--serviceaccount=bad"),
        ("create", "cm", "c", "--from-file=/nonexistent"),
        ("create", "cm", "c", "--from-literal=bad"),
        ("create", "cm", "c", "--from-literal==x"),
        ("create", "cm", "c", "--from-literal=a b=x"),
        ("create", "cm", "c", "--from-literal=a=1", "--from-literal=a=2"),
        ("create", "cm", "c", "--from-env-file=/x", "--from-literal=a=1"),
        ("create", "secret", "generic", "s", "--from-literal=a=1", "--from-literal=a=2"),
        ("create", "pdb", "p"),
        ("create", "pdb", "p", "--selector=a=b"),
        ("create", "pdb", "p", "--selector=a=b", "--min-available=x"),
        ("create", "pdb", "p", "--selector=a=b", "--min-available=1", "--max-unavailable=1"),
        ("create", "quota", "q", "--hard=cpu"),
        ("create", "quota", "q", "--scopes=a,,b"),
        ("create", "ns", "x", "--dry-run=maybe"),
        ("create", "ns", "x", "-o", "wide"),
        ("create", "ns", "x", "-o", "jsonpath"),
        ("create", "ns", "x", "--validate=sometimes"),
        ("create", "ns", "x", "--bogus"),
        ("create", "configmap", "--help-me"),
    ], expect={
        0: (1, ""),
        2: (1, ""),
    })


def test_create_on_server_and_errors():
    compare([
        ("create", "namespace", "gen-ns"),
        ("create", "namespace", "gen-ns"),               # AlreadyExists, unwrapped
        ("create", "configmap", "c1", "-n", "gen-ns", "--from-literal=k=v"),
        ("create", "configmap", "c1", "-n", "gen-ns", "--from-literal=k=v"),  # wrapped: failed to create configmap
        ("create", "secret", "generic", "s1", "-n", "gen-ns", "--from-literal=p=q", "-o", "name"),
        ("create", "secret", "generic", "s1", "-n", "gen-ns"),
        ("create", "deployment", "web", "-n", "gen-ns", "--image=nginx", "--replicas=2"),
        ("create", "service", "clusterip", "web", "-n", "gen-ns", "--tcp=80:8080"),
        ("create", "service", "clusterip", "web", "-n", "gen-ns", "--tcp=80:8080"),
        ("create", "sa", "bot", "-n", "gen-ns"),
        ("create", "role", "reader", "-n", "gen-ns", "--verb=get", "--resource=pods"),
        ("create", "role", "reader", "-n", "gen-ns", "--verb=get", "--resource=pods"),
        ("create", "rolebinding", "rb", "-n", "gen-ns", "--role=reader", "--serviceaccount=gen-ns:bot"),
        ("create", "clusterrole", "gen-cr", "--verb=get", "--resource=nodes"),
        ("create", "clusterrolebinding", "gen-crb", "--clusterrole=gen-cr", "--group=g"),
        ("create", "priorityclass", "gen-pc", "--value=5"),
        ("create", "cronjob", "cj", "-n", "gen-ns", "--image=busybox", "--schedule=*/5 * * * *"),
        ("create", "job", "from-cj", "-n", "gen-ns", "--from=cronjob/cj", "-o", "jsonpath={.metadata.annotations}"),
        ("create", "job", "j2", "-n", "gen-ns", "--from=cronjob/nope"),
        ("create", "quota", "q", "-n", "gen-ns", "--hard=pods=10"),
        ("create", "pdb", "p", "-n", "gen-ns", "--selector=app=web", "--min-available=1"),
        ("create", "configmap", "dry", "-n", "gen-ns", "--dry-run=server"),
        ("create", "configmap", "dry", "-n", "gen-ns", "--dry-run=server", "-o", "jsonpath={.metadata.name}"),
        ("get", "configmap", "dry", "-n", "gen-ns"),
        ("create", "configmap", "saved", "-n", "gen-ns", "--from-literal=a=b", "--save-config"),
        ("get", "configmap", "saved", "-n", "gen-ns", "-o",
         "jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}"),
        ("get", "deployment", "web", "-n", "gen-ns", "-o", "jsonpath={.spec.template.spec.containers}"),
        ("get", "svc", "web", "-n", "gen-ns", "-o", "jsonpath={.spec.ports}"),
        ("get", "rolebinding", "rb", "-n", "gen-ns", "-o", "jsonpath={.subjects}{.roleRef}"),
        ("create", "deployment", "bad", "-n", "gen-ns", "--image=nginx", "--replicas=-1"),
        ("delete", "clusterrole", "gen-cr"),
        ("delete", "clusterrolebinding", "gen-crb"),
        ("delete", "priorityclass", "gen-pc"),
        ("delete", "namespace", "gen-ns"),
    ], expect={
        0: (0, "namespace/gen-ns created\n"),
        3: (1, ""),
        4: (0, "secret/s1\n"),
        21: (0, "configmap/dry created (server dry run)\n"),
    })


def test_from_file_sources():
    srv = h.server()
    d = os.path.join(srv.tmp, "cfgdir")
    os.makedirs(os.path.join(d, "sub"), exist_ok=True)
    for name, text in (("b.txt", "bee\n"), ("a.conf", "x=1\ny=2\n"), ("sub/ignored", "no")):
        with open(os.path.join(d, name), "w") as fh:
            fh.write(text)
    with open(os.path.join(d, "bin.dat"), "wb") as fh:
        fh.write(b"\xff\xfe\x00\x01")
    env = h.write_file("app.env", "# comment\n\nA=1\n  B = two\nC=x=y\n")
    bad_env = h.write_file("bad.env", "1BAD=x\n")
    single = os.path.join(d, "b.txt")
    compare([
        dry("create", "configmap", "c", "--from-file=" + d, "-o", "yaml"),
        dry("create", "configmap", "c", "--from-file=key=" + single, "--from-file=" + single, "-o", "json"),
        dry("create", "configmap", "c", "--from-file=k=" + d),
        dry("create", "configmap", "c", "--from-env-file=" + env, "-o", "yaml"),
        dry("create", "configmap", "c", "--from-env-file=" + bad_env),
        dry("create", "configmap", "c", "--from-env-file=" + d),
        dry("create", "secret", "generic", "s", "--from-file=" + d, "--from-literal=z=1", "-o", "yaml"),
        dry("create", "secret", "generic", "s", "--from-env-file=" + env, "-o", "json"),
        dry("create", "configmap", "c", "--from-file=a=b=c"),
        dry("create", "configmap", "c", "--from-file=" + single + "=", "-o", "yaml"),
    ])


if __name__ == "__main__":
    h.main(globals())
