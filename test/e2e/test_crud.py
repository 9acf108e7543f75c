#!/usr/bin/env python3
"""CRUD across kinds; label/annotate/patch/replace/scale; selectors and output formats; Conflict."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

# (resource arg for kubectl, kind string kubectl prints ("<kind>.<group>"), name, namespaced, manifest)
KINDS = [
    ("configmap", "configmap", "c-crud", True, """\
apiVersion: v1
kind: ConfigMap
metadata: {name: c-crud}
data: {k: v}
"""),
    ("secret", "secret", "s-crud", True, """\
apiVersion: v1
kind: Secret
metadata: {name: s-crud}
type: Opaque
stringData: {password: hunter2}
"""),
    ("serviceaccount", "serviceaccount", "sa-crud", True, """\
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa-crud}
"""),
    ("service", "service", "svc-crud", True, """\
apiVersion: v1
kind: Service
metadata: {name: svc-crud}
spec:
  selector: {app: crud}
  ports: [{port: 8080, targetPort: 80}]
"""),
    ("deployment", "deployment.apps", "d-crud", True, """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: d-crud}
spec:
  replicas: 2
  selector: {matchLabels: {app: d-crud}}
  template:
    metadata: {labels: {app: d-crud}}
    spec:
      containers: [{name: c, image: nginx:1.25}]
"""),
    ("pod", "pod", "p-crud", True, """\
apiVersion: v1
kind: Pod
metadata: {name: p-crud, labels: {app: p-crud}}
spec:
  containers: [{name: c, image: nginx:1.25}]
"""),
    ("namespace", "namespace", "ns-crud", False, """\
apiVersion: v1
kind: Namespace
metadata: {name: ns-crud}
"""),
    ("role", "role.rbac.authorization.k8s.io", "r-crud", True, """\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r-crud}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list]
"""),
    ("rolebinding", "rolebinding.rbac.authorization.k8s.io", "rb-crud", True, """\
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb-crud}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r-crud}
subjects:
- {kind: ServiceAccount, name: sa-crud, namespace: default}
"""),
    ("clusterrole", "clusterrole.rbac.authorization.k8s.io", "cr-crud", False, """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cr-crud}
rules:
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get]
"""),
    ("priorityclass", "priorityclass.scheduling.k8s.io", "pc-crud", False, """\
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: pc-crud}
value: 1000
description: crud test
"""),
    ("lease", "lease.coordination.k8s.io", "l-crud", True, """\
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: l-crud}
spec: {holderIdentity: me, leaseDurationSeconds: 15}
"""),
    ("job", "job.batch", "j-crud", True, """\
apiVersion: batch/v1
kind: Job
metadata: {name: j-crud}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox, command: [sh, -c, "true"]}]
"""),
]

EXPECTED_KIND = {
    "configmap": ("ConfigMap", "v1"), "secret": ("Secret", "v1"), "serviceaccount": ("ServiceAccount", "v1"),
    "service": ("Service", "v1"), "deployment": ("Deployment", "apps/v1"), "pod": ("Pod", "v1"),
    "namespace": ("Namespace", "v1"), "role": ("Role", "rbac.authorization.k8s.io/v1"),
    "rolebinding": ("RoleBinding", "rbac.authorization.k8s.io/v1"),
    "clusterrole": ("ClusterRole", "rbac.authorization.k8s.io/v1"),
    "priorityclass": ("PriorityClass", "scheduling.k8s.io/v1"), "lease": ("Lease", "coordination.k8s.io/v1"),
    "job": ("Job", "batch/v1"),
}

# Table headers (kubectl get, default and -o wide) as printed by upstream's printers.
HEADERS = {
    "configmap": (["NAME", "DATA", "AGE"], None),
    "secret": (["NAME", "TYPE", "DATA", "AGE"], None),
    "serviceaccount": (["NAME", "SECRETS", "AGE"], None),
    "service": (["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
                ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]),
    "deployment": (["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
                   ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]),
    "pod": (["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]),
    "namespace": (["NAME", "STATUS", "AGE"], None),
    "role": (["NAME", "CREATED AT"], None),
    "rolebinding": (["NAME", "ROLE", "AGE"], ["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"]),
    "clusterrole": (["NAME", "CREATED AT"], None),
    "priorityclass": (["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"], None),
    "lease": (["NAME", "HOLDER", "AGE"], None),
    "job": (["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"],
            ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]),
}


def mk_cm(name, data=None, ns=None):
    """Create a ConfigMap via `create -f -` (the dynamic client: JSON body on every kubectl version)."""
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}
    if ns:
        obj["metadata"]["namespace"] = ns
    if data:
        obj["data"] = data
    h.ok("create", "-f", "-", input=json.dumps(obj))


def mk_ns(name):
    h.ok("create", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}))


def header_of(out):
    first = out.splitlines()[0] if out else ""
    return re.split(r"\s{2,}", first.strip())


def nonempty(out):
    return [l for l in out.splitlines() if l.strip()]


def test_create_get_describe_delete_each_kind():
    problems = []

    def run(*args):
        rc, out, err = h.kubectl(*args)
        if rc != 0:
            problems.append("kubectl %s: rc=%d stderr=%r" % (" ".join(args), rc, err.strip()[:300]))
            return None
        return out

    for res, kindstr, name, namespaced, manifest in KINDS:
        f = h.write_file("%s.yaml" % name, manifest)
        out = run("create", "-f", f)
        if out is not None and out.strip() != "%s/%s created" % (kindstr, name):
            problems.append("create %s: expected %r, got %r" % (res, "%s/%s created" % (kindstr, name), out.strip()))
        out = run("get", res, name)
        if out is not None:
            exp_header = HEADERS[res][0]
            if header_of(out) != exp_header:
                problems.append("get %s header: expected %r, got %r" % (res, exp_header, header_of(out)))
            if len(nonempty(out)) != 2 or not out.splitlines()[1].startswith(name + " "):
                problems.append("get %s: expected one row for %s, got %r" % (res, name, out))
        out = run("get", res, name, "-o", "wide")
        if out is not None:
            exp_header = HEADERS[res][1] or HEADERS[res][0]
            if header_of(out) != exp_header:
                problems.append("get %s -o wide header: expected %r, got %r" % (res, exp_header, header_of(out)))
        out = run("get", res, name, "-o", "name")
        if out is not None and out.strip() != "%s/%s" % (kindstr, name):
            problems.append("get %s -o name: expected %r, got %r" % (res, "%s/%s" % (kindstr, name), out.strip()))
        out = run("get", res, name, "-o", "json")
        if out is not None:
            obj = json.loads(out)
            kind, apiv = EXPECTED_KIND[res]
            got = (obj.get("kind"), obj.get("apiVersion"), obj["metadata"].get("name"),
                   obj["metadata"].get("namespace"))
            exp = (kind, apiv, name, "default" if namespaced else None)
            if got != exp:
                problems.append("get %s -o json (kind, apiVersion, name, namespace): expected %r, got %r"
                                % (res, exp, got))
            md = obj["metadata"]
            for k in ("uid", "resourceVersion", "creationTimestamp"):
                if not md.get(k):
                    problems.append("get %s -o json: metadata.%s missing" % (res, k))
        out = run("get", res, name, "-o", "yaml")
        if out is not None:
            kind, apiv = EXPECTED_KIND[res]
            for needle in ("kind: %s\n" % kind, "apiVersion: %s\n" % apiv, "  name: %s\n" % name):
                if needle not in out:
                    problems.append("get %s -o yaml: missing %r" % (res, needle.strip()))
        out = run("describe", res, name)
        if out is not None and not re.search(r"^Name:\s+%s$" % re.escape(name), out, re.M):
            problems.append("describe %s: no 'Name:  %s' line in %r" % (res, name, out[:300]))
    # delete in reverse order (rolebinding before role, namespace last-ish)
    for res, kindstr, name, namespaced, manifest in reversed(KINDS):
        out = run("delete", res, name)
        exp = '%s "%s" deleted' % (kindstr, name)
        if out is not None and out.strip() != exp:
            problems.append("delete %s: expected %r, got %r" % (res, exp, out.strip()))
        rc, out, err = h.kubectl("get", res, name)
        plural = {"configmap": "configmaps", "secret": "secrets", "serviceaccount": "serviceaccounts",
                  "service": "services", "deployment": "deployments.apps", "pod": "pods",
                  "namespace": "namespaces", "role": "roles.rbac.authorization.k8s.io",
                  "rolebinding": "rolebindings.rbac.authorization.k8s.io",
                  "clusterrole": "clusterroles.rbac.authorization.k8s.io",
                  "priorityclass": "priorityclasses.scheduling.k8s.io",
                  "lease": "leases.coordination.k8s.io", "job": "jobs.batch"}[res]
        exp_err = 'Error from server (NotFound): %s "%s" not found' % (plural, name)
        if (rc, err.strip()) != (1, exp_err):
            problems.append("get %s after delete: expected (1, %r), got (%d, %r)" % (res, exp_err, rc, err.strip()))
    if problems:
        h.fail("%d problem(s):\n    " % len(problems) + "\n    ".join(problems))


def test_table_cells():
    h.write_file("cells.yaml", KINDS[0][4].replace("c-crud", "cells-cm") + "---\n" +
                 KINDS[1][4].replace("s-crud", "cells-s") + "---\n" +
                 KINDS[10][4].replace("pc-crud", "cells-pc") + "---\n" +
                 KINDS[11][4].replace("l-crud", "cells-l"))
    h.ok("create", "-f", "cells.yaml")
    row = h.ok("get", "cm", "cells-cm", "--no-headers").split()
    h.eq(row[:2], ["cells-cm", "1"], "configmap NAME DATA")
    row = h.ok("get", "pc", "cells-pc", "--no-headers").split()
    h.eq([row[0], row[1], row[2], row[4]], ["cells-pc", "1000", "false", "PreemptLowerPriority"],
         "priorityclass NAME VALUE GLOBAL-DEFAULT PREEMPTIONPOLICY")
    row = h.ok("get", "lease", "cells-l", "--no-headers").split()
    h.eq(row[:2], ["cells-l", "me"], "lease NAME HOLDER")
    # stringData is folded into data (base64) by the server.
    row = h.ok("get", "secret", "cells-s", "--no-headers").split()
    h.eq(row[:3], ["cells-s", "Opaque", "1"], "secret NAME TYPE DATA")
    h.eq(h.ok("get", "secret", "cells-s", "-o", "jsonpath={.data.password}"), "aHVudGVyMg==", "secret data")
    h.ok("delete", "-f", "cells.yaml")


def test_label_and_annotate():
    mk_cm("lab", {"a": "b"})
    h.eq(h.ok("label", "cm", "lab", "tier=web").strip(), "configmap/lab labeled", "label")
    err = h.err_of("label", "cm", "lab", "tier=db")
    h.eq(err, "error: 'tier' already has a value (web), and --overwrite is false", "label without --overwrite")
    h.eq(h.ok("label", "cm", "lab", "tier=db", "--overwrite").strip(), "configmap/lab labeled", "label --overwrite")
    h.eq(h.ok("get", "cm", "lab", "-o", "jsonpath={.metadata.labels.tier}"), "db", "label value")
    h.eq(h.ok("label", "cm", "lab", "tier-").strip(), "configmap/lab unlabeled", "label tier-")
    h.eq(h.ok("get", "cm", "lab", "-o", "jsonpath={.metadata.labels}"), "", "labels after removal")
    h.eq(h.ok("annotate", "cm", "lab", "note=one").strip(), "configmap/lab annotated", "annotate")
    err = h.err_of("annotate", "cm", "lab", "note=two")
    h.eq(err, "error: --overwrite is false but found the following declared annotation(s): 'note' already has a "
              "value (one)", "annotate without --overwrite")
    h.eq(h.ok("annotate", "cm", "lab", "note=two", "--overwrite").strip(), "configmap/lab annotated",
         "annotate --overwrite")
    h.eq(h.ok("get", "cm", "lab", "-o", "jsonpath={.metadata.annotations.note}"), "two", "annotation value")
    h.eq(h.ok("annotate", "cm", "lab", "note-").strip(), "configmap/lab annotated", "annotate note-")
    h.eq(h.ok("get", "cm", "lab", "-o", "jsonpath={.metadata.annotations.note}"), "", "annotation removed")
    h.ok("delete", "cm", "lab")


def test_patch_types():
    mk_cm("pt", {"a": "1", "b": "2"})
    out = h.ok("patch", "cm", "pt", "--type", "merge", "-p", '{"data":{"a":"10","b":null}}')
    h.eq(out.strip(), "configmap/pt patched", "merge patch")
    h.eq(json.loads(h.ok("get", "cm", "pt", "-o", "jsonpath={.data}")), {"a": "10"}, "data after merge patch")
    out = h.ok("patch", "cm", "pt", "--type", "json", "-p",
               '[{"op":"add","path":"/data/c","value":"3"},{"op":"replace","path":"/data/a","value":"11"}]')
    h.eq(out.strip(), "configmap/pt patched", "json patch")
    h.eq(json.loads(h.ok("get", "cm", "pt", "-o", "jsonpath={.data}")), {"a": "11", "c": "3"}, "data after json patch")
    out = h.ok("patch", "cm", "pt", "--type", "merge", "-p", '{"data":{"a":"11"}}')
    h.eq(out.strip(), "configmap/pt patched (no change)", "no-op patch")
    h.err_of("patch", "cm", "pt", "--type", "json", "-p", '[{"op":"test","path":"/data/a","value":"nope"},'
             '{"op":"add","path":"/data/d","value":"4"}]')
    h.eq(json.loads(h.ok("get", "cm", "pt", "-o", "jsonpath={.data}")), {"a": "11", "c": "3"},
         "data after a json patch whose test op failed")
    h.ok("delete", "cm", "pt")

    # strategic merge patch merges containers by name and env by name
    h.write_file("smp.yaml", """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: smp}
spec:
  replicas: 1
  selector: {matchLabels: {app: smp}}
  template:
    metadata: {labels: {app: smp}}
    spec:
      containers:
      - name: a
        image: nginx:1.25
        env: [{name: X, value: "1"}]
      - name: b
        image: redis:7
""")
    h.ok("create", "-f", "smp.yaml")
    out = h.ok("patch", "deployment", "smp", "-p",
               '{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"redis:8",'
               '"env":[{"name":"Y","value":"2"}]}]}}}}')
    h.eq(out.strip(), "deployment.apps/smp patched", "strategic patch (default type)")
    got = h.ok("get", "deploy", "smp", "-o",
               "jsonpath={range .spec.template.spec.containers[*]}{.name}={.image};{end}")
    h.eq(got, "a=nginx:1.25;b=redis:8;", "containers after strategic patch")
    h.eq(h.ok("get", "deploy", "smp", "-o", "jsonpath={.spec.template.spec.containers[0].env[0].name}"), "X",
         "untouched container keeps env")
    out = h.ok("patch", "deployment", "smp", "--type", "strategic", "-p",
               '{"spec":{"template":{"spec":{"containers":[{"name":"a","$patch":"delete"}]}}}}')
    h.eq(out.strip(), "deployment.apps/smp patched", "strategic $patch: delete")
    got = h.ok("get", "deploy", "smp", "-o", "jsonpath={.spec.template.spec.containers[*].name}")
    h.eq(got, "b", "containers after $patch delete")
    h.eq(h.ok("set", "image", "deployment/smp", "b=redis:9").strip(), "deployment.apps/smp image updated",
         "set image")
    h.eq(h.ok("get", "deploy", "smp", "-o", "jsonpath={.spec.template.spec.containers[0].image}"), "redis:9",
         "image after set image")
    h.ok("delete", "deploy", "smp")


def test_replace():
    h.write_file("rep.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rep\ndata:\n  a: one\n")
    h.ok("create", "-f", "rep.yaml")
    h.write_file("rep.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rep\ndata:\n  b: two\n")
    h.eq(h.ok("replace", "-f", "rep.yaml").strip(), "configmap/rep replaced", "replace output")
    h.eq(json.loads(h.ok("get", "cm", "rep", "-o", "jsonpath={.data}")), {"b": "two"}, "data after replace")
    h.eq(h.ok("replace", "--force", "-f", "rep.yaml").strip().splitlines(),
         ['configmap "rep" deleted', "configmap/rep replaced"], "replace --force output")
    h.ok("delete", "cm", "rep")


def test_scale():
    h.write_file("scale.yaml", KINDS[4][4].replace("d-crud", "web"))
    h.ok("create", "-f", "scale.yaml")
    h.eq(h.ok("scale", "deployment", "web", "--replicas=4").strip(), "deployment.apps/web scaled", "scale")
    h.eq(h.ok("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"), "4", ".spec.replicas after scale")
    err = h.err_of("scale", "deployment", "web", "--replicas=1", "--current-replicas=2")
    h.eq(err, "error: Expected replicas to be 2, was 4", "scale with wrong --current-replicas")
    out = h.ok("get", "--raw", "/apis/apps/v1/namespaces/default/deployments/web/scale")
    scale = json.loads(out)
    h.eq((scale.get("kind"), scale.get("apiVersion"), scale.get("spec", {}).get("replicas"),
          scale.get("status", {}).get("selector")),
         ("Scale", "autoscaling/v1", 4, "app=web"), "GET /scale (kind, apiVersion, spec.replicas, status.selector)")
    h.ok("delete", "deploy", "web")


def test_selectors_and_columns():
    for name, app in (("sel-a", "a"), ("sel-b", "b"), ("sel-c", "c")):
        mk_cm(name, {"x": "y"})
        h.ok("label", "cm", name, "app=" + app, "tier=t-" + app)
    out = h.ok("get", "cm", "-l", "app in (a,b)", "-o", "name")
    h.eq(sorted(out.split()), ["configmap/sel-a", "configmap/sel-b"], "-l 'app in (a,b)'")
    out = h.ok("get", "cm", "-l", "app notin (a,b),tier", "-o", "name")
    h.eq(out.split(), ["configmap/sel-c"], "-l 'app notin (a,b),tier'")
    out = h.ok("get", "cm", "-l", "app!=a,app", "-o", "name")
    h.eq(sorted(out.split()), ["configmap/sel-b", "configmap/sel-c"], "-l 'app!=a,app'")
    out = h.ok("get", "cm", "--field-selector", "metadata.name=sel-b", "-o", "name")
    h.eq(out.split(), ["configmap/sel-b"], "--field-selector metadata.name=sel-b")
    out = h.ok("get", "cm", "--field-selector", "metadata.name!=sel-b", "-l", "app", "-o", "name")
    h.eq(sorted(out.split()), ["configmap/sel-a", "configmap/sel-c"], "--field-selector metadata.name!=sel-b")
    out = h.ok("get", "cm", "sel-a", "--show-labels")
    rows = out.splitlines()
    h.eq(re.split(r"\s{2,}", rows[0].strip()), ["NAME", "DATA", "AGE", "LABELS"], "--show-labels header")
    h.eq(rows[1].split()[-1], "app=a,tier=t-a", "--show-labels cell")
    out = h.ok("get", "cm", "-l", "app", "-o", "custom-columns=NAME:.metadata.name,APP:.metadata.labels.app")
    h.eq([l.split() for l in out.splitlines()], [["NAME", "APP"], ["sel-a", "a"], ["sel-b", "b"], ["sel-c", "c"]],
         "custom-columns")
    out = h.ok("get", "cm", "-l", "app", "-L", "tier", "--no-headers")
    h.eq([l.split()[0::3] for l in out.splitlines()], [["sel-a", "t-a"], ["sel-b", "t-b"], ["sel-c", "t-c"]],
         "-L tier (NAME and TIER columns)")
    out = h.ok("get", "cm", "-l", "app", "--sort-by=.metadata.labels.tier", "-o", "name")
    h.eq(out.split(), ["configmap/sel-a", "configmap/sel-b", "configmap/sel-c"], "--sort-by")
    err = h.err_of("get", "cm", "--field-selector", "data.x=y")
    h.eq(err, 'Error from server (BadRequest): Unable to find "/v1, Resource=configmaps" that match label selector '
              '"", field selector "data.x=y": field label not supported: data.x', "unsupported field selector")
    out = h.ok("delete", "cm", "-l", "app in (a,b,c)")
    h.eq(sorted(nonempty(out)), ['configmap "sel-a" deleted', 'configmap "sel-b" deleted',
                                 'configmap "sel-c" deleted'], "delete -l")


def test_all_namespaces_and_chunking():
    mk_ns("crud-other")
    for i in range(5):
        mk_cm("chunk-%d" % i, {"a": "b"})
    mk_cm("chunk-other", ns="crud-other")
    out = h.ok("get", "cm", "-A", "--field-selector", "metadata.name=chunk-other")
    rows = [l.split() for l in out.splitlines()]
    h.eq(rows[0][:3], ["NAMESPACE", "NAME", "DATA"], "-A header")
    h.eq(rows[1][:3], ["crud-other", "chunk-other", "0"], "-A row")
    out = h.ok("get", "cm", "--chunk-size=2", "-o", "name")
    names = [n for n in out.split() if n.startswith("configmap/chunk-")]
    h.eq(names, ["configmap/chunk-%d" % i for i in range(5)], "--chunk-size=2 lists everything once, in order")
    out = h.ok("get", "cm", "--chunk-size=2")
    h.eq(sum(1 for l in out.splitlines() if l.startswith("NAME ")), 1, "one header with --chunk-size")
    h.ok("delete", "namespace", "crud-other")


def test_conflict_on_stale_replace():
    mk_cm("c1", {"a": "b"})
    stale = h.ok("get", "cm", "c1", "-o", "yaml")
    h.check("resourceVersion:" in stale, "no resourceVersion in -o yaml")
    h.ok("label", "cm", "c1", "bump=1")
    h.write_file("stale.yaml", stale.replace("  a: b", "  a: c"))
    err = h.err_of("replace", "-f", "stale.yaml")
    h.eq(err, 'Error from server (Conflict): error when replacing "stale.yaml": Operation cannot be fulfilled on '
              'configmaps "c1": the object has been modified; please apply your changes to the latest version '
              'and try again', "stderr")
    h.eq(h.ok("get", "cm", "c1", "-o", "jsonpath={.data.a}"), "b", "data unchanged after Conflict")
    h.ok("delete", "cm", "c1")


def test_generate_name_and_create_subcommands():
    h.write_file("gen.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: gen-\n")
    out = h.ok("create", "-f", "gen.yaml").strip()
    h.check(re.fullmatch(r"configmap/gen-[a-z0-9]{5} created", out), "generateName create output: %r" % out)
    h.ok("delete", out.split()[0])
    h.eq(h.ok("create", "deployment", "cd", "--image=nginx", "--replicas=2").strip(),
         "deployment.apps/cd created", "create deployment")
    h.eq(h.ok("get", "deploy", "cd", "-o", "jsonpath={.spec.selector.matchLabels.app} {.spec.replicas}"),
         "cd 2", "create deployment selector/replicas")
    h.eq(h.ok("expose", "deployment", "cd", "--port=80").strip(), "service/cd exposed", "expose")
    h.eq(h.ok("get", "svc", "cd", "-o", "jsonpath={.spec.selector.app}"), "cd", "exposed service selector")
    h.eq(h.ok("run", "runpod", "--image=nginx", "--labels=app=runpod").strip(), "pod/runpod created", "run")
    h.eq(h.ok("create", "role", "cr", "--verb=get", "--resource=pods").strip(),
         "role.rbac.authorization.k8s.io/cr created", "create role")
    h.eq(h.ok("create", "rolebinding", "crb", "--role=cr", "--user=alice").strip(),
         "rolebinding.rbac.authorization.k8s.io/crb created", "create rolebinding")
    row = h.ok("get", "rolebinding", "crb", "-o", "wide", "--no-headers").split()
    h.eq([row[0], row[1], row[3]], ["crb", "Role/cr", "alice"], "rolebinding NAME ROLE USERS")
    out = h.ok("delete", "pod/runpod", "svc/cd", "deploy/cd", "role/cr", "rolebinding/crb")
    h.eq(nonempty(out), ['pod "runpod" deleted', 'service "cd" deleted', 'deployment.apps "cd" deleted',
                         'role.rbac.authorization.k8s.io "cr" deleted',
                         'rolebinding.rbac.authorization.k8s.io "crb" deleted'], "multi delete output")


def test_create_secret_generic():
    # Kept last in this file: a protobuf Secret body with data has crashed kapi.
    h.eq(h.ok("create", "secret", "generic", "gs", "--from-literal=k=v", "--from-literal=empty=").strip(),
         "secret/gs created", "create secret generic")
    h.eq(h.ok("get", "secret", "gs", "-o", "jsonpath={.data.k}|{.data.empty}|{.type}"), "dg==||Opaque",
         "secret data and type")
    h.eq(h.ok("get", "secret", "gs", "--no-headers").split()[:3], ["gs", "Opaque", "2"], "secret row")
    h.eq(h.ok("delete", "secret", "gs").strip(), 'secret "gs" deleted', "delete secret")


if __name__ == "__main__":
    h.main(globals())
