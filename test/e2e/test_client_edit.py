#!/usr/bin/env python3
"""kapi client mode `edit` against real kubectl 1.33.

Each scenario creates fresh objects, runs `edit` with an editor script ($KUBE_EDITOR: sed on the
temp file, or a script that breaks the file on its first run and fixes it on the second) with
kubectl.1.33 and then with `$KAPI_BIN` (as argv[0] "kubectl"), and requires the same exit code,
stdout and stderr (temp file paths and the program name masked), the same reopened-file header
and the same resulting object.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_edit.py [name-filter]
"""
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
spec:
  replicas: 1
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
"""

CMS = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: c1
data:
  k: alpha
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c2
data:
  k: charlie
"""

# Breaks the file on the first run (BREAK_FROM -> BREAK_TO), fixes it on the second
# (BREAK_TO -> FIX_TO) after keeping a copy of what kubectl showed.
TWO_PASS = """\
#!/bin/sh
state="$(dirname "$0")/two_pass.state"
if [ -f "$state" ]; then
  cp "$1" "$(dirname "$0")/two_pass.seen"
  sed -i "s/$BREAK_TO/$FIX_TO/" "$1"
  rm -f "$state"
else
  sed -i "s/$BREAK_FROM/$BREAK_TO/" "$1"
  touch "$state"
fi
"""

FILE_RE = re.compile(r"/\S*?-edit-\w+\.(yaml|json)")


def mask(text):
    text = FILE_RE.sub("FILE", text)
    # Each tool edits its own fresh copy of the objects.
    text = re.sub(r'"(resourceVersion|uid|creationTimestamp|time)": ?"[^"]*"', r'"\1": "X"', text)
    text = re.sub(r'\\"(resourceVersion|uid|creationTimestamp|time)\\":\\"[^"\\]*\\"', r'\\"\1\\":\\"X\\"', text)
    return text.replace("kubectl.1.33 ", "kubectl ")


def setup(manifest):
    path = h.write_file("objs.yaml", manifest)
    h.kubectl("delete", "-f", path, "--ignore-not-found", "--wait=true")
    rc, out, err = h.kubectl("create", "-f", path)
    h.check(rc == 0, "setup failed: %s" % err)


def run_edit(tool, editor, args, env=None):
    os.environ["KUBE_EDITOR"] = editor
    for k, v in (env or {}).items():
        os.environ[k] = v
    try:
        rc, out, err = h.run_tool(tool, ["edit"] + list(args))
    finally:
        del os.environ["KUBE_EDITOR"]
        for k in env or {}:
            del os.environ[k]
    return rc, mask(out), mask(err)


def both(manifest, editor, args, state, env=None, seen=False):
    """Runs the edit with kubectl and kapi on fresh objects; returns kubectl's (rc, out, err)."""
    results = {}
    for tool in ("kubectl", "kapi"):
        setup(manifest)
        for f in ("two_pass.state", "two_pass.seen"):
            p = os.path.join(h.server().tmp, f)
            if os.path.exists(p):
                os.remove(p)
        res = run_edit(tool, editor, args, env)
        rc, final, err = h.kubectl(*state)
        h.check(rc == 0, "state query failed: %s" % err)
        final = mask(final)
        shown = ""
        if seen:
            shown = open(os.path.join(h.server().tmp, "two_pass.seen")).read()
            shown = "".join(l + "\n" for l in shown.splitlines() if l.startswith("#"))
            shown = re.sub(r"yaml: line .*", "yaml: line ...", shown)  # the YAML parsers' texts differ
        results[tool] = (res, final, shown)
    k, a = results["kubectl"], results["kapi"]
    if k != a:
        h.fail("kubectl vs kapi differ:\n kubectl: %r\n kapi:    %r" % (k, a))
    return k


def two_pass_editor(break_from, break_to, fix_to):
    path = h.write_file("two_pass.sh", TWO_PASS)
    os.chmod(path, 0o755)
    return path, {"BREAK_FROM": break_from, "BREAK_TO": break_to, "FIX_TO": fix_to}


CM_DATA = ("get", "cm", "c1", "c2", "-o", "jsonpath={.items[*].data.k}")
REPLICAS = ("get", "deploy", "web", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}")


def test_edited():
    res, final, _ = both(CMS, "sed -i s/alpha/bravo/", ["cm", "c1"], CM_DATA)
    h.eq(res, (0, "configmap/c1 edited\n", ""), "kubectl edit")
    h.eq(final, "bravo charlie", "objects after edit")


def test_edited_strategic_patch():
    # --output-patch shows the strategic merge patch of a built-in kind.
    res, final, _ = both(DEPLOY, "sed -i s/nginx:1.25/nginx:1.26/", ["deploy/web", "--output-patch"], REPLICAS)
    h.eq(res, (0, 'Patch: {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],'
                  '"containers":[{"image":"nginx:1.26","name":"nginx"}]}}}}\ndeployment.apps/web edited\n', ""),
         "kubectl edit --output-patch")
    h.eq(final, "1 nginx:1.26", "deployment after edit")


def test_edit_json_shell_editor():
    # A quoted editor command runs through $SHELL -c; -o json edits JSON.
    res, final, _ = both(CMS, "sed -i 's/\"alpha\"/\"zulu\"/'", ["configmap/c1", "-o", "json"], CM_DATA)
    h.eq(res[0], 0, "kubectl edit -o json")
    h.contains(res[1], '"k": "zulu"', "kubectl edit -o json output")
    h.eq(final, "zulu charlie", "objects after edit")


def test_cancelled():
    res, final, _ = both(CMS, "true", ["cm", "c1"], CM_DATA)
    h.eq(res, (0, "", "Edit cancelled, no changes made.\n"), "kubectl edit")
    h.eq(final, "alpha charlie", "objects")


def test_two_objects():
    res, final, _ = both(CMS, "sed -i s/alpha/bravo/", ["cm", "c1", "c2"], CM_DATA)
    h.eq(res, (0, "configmap/c1 edited\nconfigmap/c2 skipped\n", ""), "kubectl edit")
    h.eq(final, "bravo charlie", "objects after edit")
    res, final, _ = both(CMS, "sed -i s/k:\\ [a-z]*$/k:\\ xray/", ["cm/c1", "cm/c2"], CM_DATA)
    h.eq(res, (0, "configmap/c1 edited\nconfigmap/c2 edited\n", ""), "kubectl edit")
    h.eq(final, "xray xray", "objects after edit")


def test_invalid_reopens():
    editor, env = two_pass_editor("replicas: 1", "replicas: -1", "replicas: 3")
    res, final, seen = both(DEPLOY, editor, ["deploy", "web"], REPLICAS, env=env, seen=True)
    h.eq(res, (0, "deployment.apps/web edited\n", 'error: deployments.apps "web" is invalid\n'), "kubectl edit")
    h.eq(final, "3 nginx:1.25", "deployment after edit")
    h.contains(seen, '# deployments.apps "web" was not valid:\n'
               '# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n#\n', "reopened header")


def test_invalid_not_fixed():
    # The second run changes nothing: kubectl gives up and keeps the file.
    res, final, _ = both(DEPLOY, "sed -i s/replicas:\\ 1$/replicas:\\ -1/", ["deploy", "web"], REPLICAS)
    h.eq(res, (1, "", 'error: deployments.apps "web" is invalid\n'
                      'A copy of your changes has been stored to "FILE"\n'
                      "error: Edit cancelled, no valid changes were saved.\n"), "kubectl edit")
    h.eq(final, "1 nginx:1.25", "deployment unchanged")


def test_syntax_error_reopens():
    editor, env = two_pass_editor("k: alpha", "k: {alpha", "k: fixed")
    res, final, seen = both(CMS, editor, ["cm", "c1"], CM_DATA, env=env, seen=True)
    h.eq(res, (0, "configmap/c1 edited\n", 'error: configmaps "c1" is invalid\n'), "kubectl edit")
    h.eq(final, "fixed charlie", "objects after edit")
    h.contains(seen, '# configmaps "c1" was not valid:\n'
               '# * <nil>: Invalid value: "The edited file failed validation": yaml: line ', "reopened header")


def test_server_error_keeps_file():
    # A bool where a string belongs: the server refuses to decode it (not Invalid: no retry).
    res, final, _ = both(CMS, "sed -i s/alpha/true/", ["cm", "c1"], CM_DATA)
    h.eq(res, (1, "", 'error: configmaps "c1" could not be patched: ConfigMap in version "v1" cannot be handled as '
                      'a ConfigMap: json: cannot unmarshal bool into Go struct field ConfigMap.data of type string\n'
                      "You can run `kubectl replace -f FILE` to try this update again.\n"), "kubectl edit")
    h.eq(final, "alpha charlie", "objects unchanged")


def test_errors():
    res, _, _ = both(CMS, "sed -i s/name:\\ c1/name:\\ c9/", ["cm", "c1"], CM_DATA)
    h.eq(res, (1, "", 'A copy of your changes has been stored to "FILE"\n'
                      "error: At least one of apiVersion, kind and name was changed\n"), "kubectl edit rename")
    res, _, _ = both(CMS, "false", ["cm", "c1"], CM_DATA)
    h.eq(res, (1, "", 'error: there was a problem with the editor "false"\n'), "kubectl edit failing editor")
    res, _, _ = both(CMS, "no-such-editor-kapi", ["cm", "c1"], CM_DATA)
    h.eq(res, (1, "", 'error: unable to launch the editor "no-such-editor-kapi"\n'), "kubectl edit missing editor")
    res, _, _ = both(CMS, "true", ["cm", "nope"], CM_DATA)
    h.eq(res, (1, "", 'Error from server (NotFound): configmaps "nope" not found\n'), "kubectl edit missing object")
    res, _, _ = both(CMS, "true", ["cm", "c1", "-o", "name"], CM_DATA)
    h.eq(res[0], 1, "kubectl edit -o name")


def test_save_config():
    # The annotation records the edited object with its managedFields, as kubectl's does.
    state = ("get", "cm", "c1", "-o", "jsonpath={.data.k} {.metadata.annotations}")
    res, final, _ = both(CMS, "sed -i s/alpha/sierra/", ["cm", "c1", "--save-config"], state)
    h.eq(res, (0, "configmap/c1 edited\n", ""), "kubectl edit --save-config")
    h.contains(final, 'sierra {"kubectl.kubernetes.io/last-applied-configuration":', "annotation")
    h.contains(final, '\\"managedFields\\":[{', "annotation with managedFields")


def test_subresource_status():
    state = ("get", "deploy", "web", "-o", "jsonpath={.status.observedGeneration} {.spec.replicas}")
    res, final, _ = both(DEPLOY, "sed -i 's/^status: {}$/status: {observedGeneration: 7}/'",
                         ["deploy", "web", "--subresource", "status", "--output-patch"], state)
    h.eq(res, (0, 'Patch: {"status":{"observedGeneration":7}}\ndeployment.apps/web edited\n', ""),
         "kubectl edit --subresource status")
    h.eq(final, "7 1", "deployment after edit")
    res, _, _ = both(DEPLOY, "true", ["deploy", "web", "--subresource", "foo"], state)
    h.eq(res, (1, "", "Error from server (NotFound): the server could not find the requested resource\n"),
         "kubectl edit --subresource foo")


def test_from_file():
    path = h.write_file("c1.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c1\n")
    res, final, _ = both(CMS, "sed -i s/alpha/foxtrot/", ["-f", path], CM_DATA)
    h.eq(res, (0, "configmap/c1 edited\n", ""), "kubectl edit -f")
    h.eq(final, "foxtrot charlie", "objects after edit")


def test_deleted_while_editing():
    # The object goes away while the editor runs: kubectl keeps the file and says so.
    script = h.write_file("delete_first.sh", "#!/bin/sh\n%s --request-timeout=10s delete cm c1 >/dev/null\n"
                          "sed -i s/alpha/bravo/ \"$1\"\n" % h.require_kubectl("1.33"))
    os.chmod(script, 0o755)
    state = ("get", "cm", "-o", "jsonpath={.items[*].metadata.name}")
    res, final, _ = both(CMS, script, ["cm", "c1"], state)
    h.eq(res, (1, "", 'error: configmaps "c1" could not be found on the server\n'
                      'The edits you made on deleted resources have been saved to "FILE"\n'), "kubectl edit")
    h.eq(final, "c2 kube-root-ca.crt", "objects left")


def test_help_and_flags():
    h.compare([("edit", "--help"), ("edit", "cm", "c1", "-l", "a=b"), ("edit",)])


if __name__ == "__main__":
    h.main(globals())
