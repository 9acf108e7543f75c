#!/usr/bin/env python3
"""kapi client mode template printers against real kubectl 1.33: -o go-template / template /
go-template-file / templatefile / --template, -o jsonpath-as-json / jsonpath-file,
--allow-missing-template-keys, and managedFields in -o json/yaml (--show-managed-fields).

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_templates.py [name-filter]
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

OBJECTS = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: tpl-cm
  namespace: tpl
  labels: {app: web, tier: "2"}
data: {a: hello, b: "<w&rld>"}
---
apiVersion: v1
kind: Secret
metadata:
  name: tpl-secret
  namespace: tpl
data: {pw: czNjcmV0}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: tpl-web
  namespace: tpl
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: nginx, ports: [{containerPort: 80}]}
      - {name: side, image: busybox}
"""

_ready = False


def setup():
    global _ready
    if not _ready:
        h.ok("create", "namespace", "tpl")
        h.ok("apply", "-f", h.write_file("tpl-objects.yaml", OBJECTS))
        h.write_file("names.tmpl", '{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}')
        h.write_file("kind.jsonpath", "{.kind}{'\\n'}")
        _ready = True


def test_go_template_basics():
    setup()
    gt = lambda *a: ("get",) + a + ("-n", "tpl")  # noqa: E731
    h.compare([
        gt("cm", "tpl-cm", "-o", "go-template={{.metadata.name}} {{.data.a}} {{.data}}"),
        gt("deploy", "tpl-web", "-o", "go-template={{.spec.replicas}} {{len .spec.template.spec.containers}}"),
        gt("deploy", "tpl-web", "-o",
           "go-template={{range $i, $c := .spec.template.spec.containers}}{{$i}}:{{$c.name}}={{$c.image}};{{end}}"),
        gt("cm", "-o", 'go-template={{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}'),
        gt("cm", "tpl-cm", "-o", "template={{.kind}}/{{.metadata.labels}}"),
        gt("cm", "tpl-cm", "--template", "{{.metadata.namespace}}"),
        gt("cm", "-o", "go-template-file=names.tmpl"),
        gt("cm", "-o", "templatefile=names.tmpl"),
        gt("secret", "tpl-secret", "-o", "go-template={{.data.pw | base64decode}}"),
        gt("deploy", "tpl-web", "-o",
           'go-template={{if gt .spec.replicas 2.5}}x{{end}}'),
        gt("deploy", "tpl-web", "-o",
           'go-template={{if gt .spec.replicas 2}}big{{else if eq .spec.replicas 2}}two{{else}}small{{end}}'
           ' {{with .metadata.labels}}{{.app}}{{else}}none{{end}} {{- " x " -}} y'),
        gt("cm", "tpl-cm", "-o",
           'go-template={{printf "%q|%5s|%-3d|%v|%T" .metadata.name .data.a 7 .metadata.labels .data}}'),
        gt("cm", "tpl-cm", "-o", 'go-template={{index .metadata.labels "tier"}} {{.metadata.nope}} {{exists . "data" "a"}}'),
        gt("deploy", "tpl-web", "-o", "go-template={{.spec.template.metadata.creationTimestamp}}"),
        gt("cm", "tpl-cm", "-o", "go-template={{.metadata.managedFields | len}}"),
    ], expect={
        0: (0, "tpl-cm hello map[a:hello b:<w&rld>]"),
        1: (0, "3 2"),
        2: (0, "0:nginx=nginx;1:side=busybox;"),
        5: (0, "tpl"),
        8: (0, "s3cret"),
    })


def test_go_template_errors():
    setup()
    gt = lambda *a: ("get",) + a + ("-n", "tpl")  # noqa: E731
    h.compare([
        gt("cm", "tpl-cm", "-o", "go-template={{.foo"),
        gt("cm", "tpl-cm", "-o", "go-template={{foo}}"),
        gt("cm", "tpl-cm", "-o", "go-template={{if .a}}x"),
        gt("cm", "tpl-cm", "-o", "go-template="),
        gt("cm", "tpl-cm", "-o", "go-template"),
        gt("cm", "nope", "-o", "go-template={{.foo"),
        gt("cm", "tpl-cm", "-o", "go-template-file=/nonexistent.tmpl"),
        gt("cm", "tpl-cm", "-o", "go-template={{.metadata.name.foo}}"),
        gt("deploy", "tpl-web", "-o", "go-template={{eq .spec.replicas 3.0}}"),
        gt("cm", "tpl-cm", "-o", "go-template={{.metadata.name}} {{index .metadata.managedFields 9}}"),
        gt("cm", "tpl-cm", "-o", "go-template={{.metadata.nope}}", "--allow-missing-template-keys=false"),
        gt("cm", "-o", "go-template={{.items.x}}"),
    ], expect={
        0: (1, ""),
        3: (1, ""),
    })


def test_jsonpath_variants():
    setup()
    gt = lambda *a: ("get",) + a + ("-n", "tpl")  # noqa: E731
    h.compare([
        gt("cm", "-o", "jsonpath-as-json={.items[*].metadata.name}"),
        gt("cm", "tpl-cm", "-o", "jsonpath-as-json=x{.data}{.metadata.name}"),
        gt("cm", "tpl-cm", "-o", "jsonpath-as-json={.nothing}"),
        gt("cm", "tpl-cm", "-o", "jsonpath-file=kind.jsonpath"),
        gt("cm", "tpl-cm", "-o", "jsonpath-file=/nonexistent"),
        gt("cm", "tpl-cm", "-o", "jsonpath={.nope}", "--allow-missing-template-keys=false"),
        gt("cm", "tpl-cm", "-o", "jsonpath-as-json"),
    ], expect={
        0: (0, '[\n    "kube-root-ca.crt",\n    "tpl-cm"\n]\n'),
        2: (0, "[]\n"),
    })


def test_create_and_apply_templates():
    setup()
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tpl-applied\n  namespace: tpl\ndata: {k: v}\n"
    path = h.write_file("tpl-applied.yaml", cm)
    h.compare([
        ("create", "configmap", "tpl-new", "-n", "tpl", "--from-literal=x=1", "--dry-run=client",
         "-o", "go-template={{.kind}} {{.metadata.name}} {{.data}}"),
        ("create", "configmap", "tpl-new", "-n", "tpl", "--dry-run=client", "-o", "go-template={{.foo"),
        ("create", "deployment", "tpl-d", "-n", "tpl", "--image=nginx", "--dry-run=client",
         "-o", "template={{.spec.replicas}} {{(index .spec.template.spec.containers 0).image}}"),
        ("apply", "-f", path, "--dry-run=server", "-o", "go-template={{.metadata.name}}={{.data.k}}"),
        ("apply", "-f", path, "--dry-run=server", "-o", "jsonpath-as-json={.data}"),
    ], expect={0: (0, "ConfigMap tpl-new map[x:1]"), 2: (0, "1 nginx")})


TWO_CMS = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: two-a, labels: {twotier: a}}
data: {k: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: two-b, labels: {twotier: b}}
data: {k: "2"}
"""


def server_fields(text):
    """The fields the server sets differently for each tool's objects."""
    text = re.sub(r'(uid|resourceVersion|creationTimestamp)(": |: )"?[^"\n]*"?', r"\1\2X", text)
    return re.sub(r"raw data was:\n.*", "raw data was: ...", text, flags=re.S)


def test_create_from_files_dry_run_selector_and_output():
    """create -f with --dry-run (client sends nothing, server answers), -l keeping the matching
    objects, and every -o format; YAML separates the objects of one run with "---"."""
    setup()
    path = h.write_file("two-cms.yaml", TWO_CMS)
    h.kubectl("delete", "cm", "two-a", "two-b", "-n", "tpl", "--ignore-not-found")
    cf = lambda *a: ("create", "-n", "tpl", "-f", path) + a  # noqa: E731
    k = h.compare([
        cf("--dry-run=client"),
        cf("--dry-run=client", "-o", "yaml"),
        cf("--dry-run=client", "-o", "name"),
        cf("--dry-run=server", "-o", "jsonpath={.metadata.name} "),
        cf("--dry-run=client", "-o", "go-template-file=" + h.write_file("two.tmpl", "{{.metadata.name}};")),
        cf("--dry-run=client", "-o", "custom-columns=N:.metadata.name"),
        cf("--dry-run=client", "-o", "jsonpath"),
        cf("--dry-run=bogus"),
        cf("-l", "bad selector"),
        cf("-l", "twotier=c"),
        ("get", "cm", "-n", "tpl", "-l", "twotier", "-o", "name"),
        cf("-l", "twotier=a"),
        cf("-l", "twotier=a"),
        cf("-l", "twotier=b", "-o", "yaml"),
    ], between=lambda: h.kubectl("delete", "cm", "two-a", "two-b", "-n", "tpl", "--ignore-not-found"),
        normalize=server_fields)
    h.eq(k[0][:2], (0, "configmap/two-a created (dry run)\nconfigmap/two-b created (dry run)\n"), "kubectl: dry run")
    h.contains(k[1][1], "  namespace: tpl\n---\napiVersion: v1\n", "kubectl: --- between YAML objects")
    h.eq(k[3][:2], (0, "two-a two-b "), "kubectl: server dry run")
    h.eq(k[9][:2], (1, ""), "kubectl: a selector matching nothing")
    h.eq(k[10][:2], (0, ""), "kubectl: dry runs created nothing")
    h.eq(k[11][:2], (0, "configmap/two-a created\n"), "kubectl: -l keeps the matching object")


def test_mutation_output_formats_and_custom_columns_file():
    """The -o flags of label/annotate/patch: every template format, the whole value in the
    "unable to match" error, a failing template's report on stdout; get -o custom-columns-file."""
    setup()
    def reset_fmt():
        h.kubectl("delete", "cm", "fmt1", "fmt2", "-n", "tpl", "--ignore-not-found")
        for n in ("fmt1", "fmt2"):
            h.ok("create", "cm", n, "-n", "tpl", "--from-literal=a=" + n)
    reset_fmt()
    cols = h.write_file("cols.txt", "NAME   VALUE\nmetadata.name {.data.a}\n")
    short = h.write_file("cols-short.txt", "NAME\n")
    uneven = h.write_file("cols-uneven.txt", "NAME\nmetadata.name data.a\n")
    k = h.compare([
        ("label", "cm", "fmt1", "-n", "tpl", "x=1", "-o", "go-template={{.metadata.labels.x}}"),
        ("label", "cm", "fmt1", "-n", "tpl", "x=2", "--overwrite", "-o", "jsonpath-as-json={.metadata.labels}"),
        ("label", "cm", "fmt1", "-n", "tpl", "x=3", "--overwrite", "-o", "template"),
        ("label", "cm", "fmt1", "fmt2", "-n", "tpl", "y=1", "-o", "yaml"),
        ("annotate", "cm", "fmt1", "-n", "tpl", "z=1", "-o", "go-template={{.metadata.nope}}",
         "--allow-missing-template-keys=false"),
        ("patch", "cm", "fmt1", "-n", "tpl", "-p", '{"data":{"b":"1"}}', "-o", "custom-columns=N:.metadata.name"),
        ("get", "cm", "fmt1", "fmt2", "-n", "tpl", "-o", "custom-columns-file=" + cols),
        ("get", "cm", "fmt1", "-n", "tpl", "-o", "custom-columns-file=" + cols, "--no-headers"),
        ("get", "cm", "fmt1", "-n", "tpl", "-o", "custom-columns-file=" + short),
        ("get", "cm", "fmt1", "-n", "tpl", "-o", "custom-columns-file=" + uneven),
        ("get", "cm", "fmt1", "-n", "tpl", "-o", "custom-columns-file=/nonexistent/cols"),
        ("get", "nosuchtype", "-o", "custom-columns-file=/nonexistent/cols"),
        ("get", "cm", "-n", "tpl", "-o", "custom-columns-file"),
    ], between=reset_fmt, normalize=server_fields)
    h.eq(k[0][:2], (0, "1"), "kubectl: go-template")
    h.check("---" not in k[3][1], "kubectl: label prints each object with a printer of its own (no ---)")
    h.contains(k[4][1], 'map has no entry for key "nope"', "kubectl: the template report on stdout")
    h.eq(k[5][2], 'error: unable to match a printer suitable for the output format "custom-columns=N:.metadata.name", '
                  'allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,'
                  'name,template,templatefile,yaml\n', "kubectl: the whole -o value")
    h.eq(k[6][:2], (0, "NAME   VALUE\nfmt1   fmt1\nfmt2   fmt2\n"), "kubectl: custom-columns-file")
    h.eq(k[7][:2], (0, "NAME   VALUE\nfmt1   fmt1\n"), "kubectl: the file form ignores --no-headers")
    h.eq(k[10][2], "error: error reading template /nonexistent/cols, open /nonexistent/cols: no such file or "
                   "directory\n", "kubectl: the missing file (its error's own newline is not doubled)")


def test_managed_fields():
    setup()
    gt = lambda *a: ("get",) + a + ("-n", "tpl")  # noqa: E731
    steps = [
        gt("cm", "tpl-cm", "-o", "jsonpath={.metadata.managedFields[*].manager}"),
        gt("cm", "tpl-cm", "-o", "yaml", "--show-managed-fields"),
        gt("cm", "tpl-cm", "-o", "json", "--show-managed-fields"),
        gt("cm", "-o", "yaml", "--show-managed-fields"),
        gt("cm", "tpl-cm", "-o", "yaml"),
        gt("cm", "-o", "json"),
    ]
    res = h.compare(steps, expect={0: (0, "kubectl-client-side-apply")})
    h.contains(res[1][1], "managedFields:", "--show-managed-fields yaml")
    h.check("managedFields" not in res[4][1], "managedFields hidden by default in -o yaml")
    h.check("managedFields" not in res[5][1], "managedFields hidden by default in -o json")


if __name__ == "__main__":
    h.main(globals())
