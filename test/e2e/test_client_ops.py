#!/usr/bin/env python3
"""kapi client mode mutation commands (patch, label, annotate, scale, replace, delete flags, wait,
diff, edit) against real kubectl 1.33.

Each scenario runs the same steps with kubectl.1.33 and with `$KAPI_BIN` (as argv[0] "kubectl")
against one `kapi serve` and requires stdout, stderr and the exit code of every step to match
byte for byte; `expect=` pins kubectl's own output for key steps.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_ops.py [name-filter]
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
"""

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: p1
  labels:
    app: web
spec:
  containers:
  - name: c
    image: nginx
"""

compare = h.compare


def paths():
    return {"deploy": h.write_file("deploy.yaml", DEPLOY), "pod": h.write_file("pod.yaml", POD)}


def reset(*objects):
    """Returns a function that recreates the named manifests (with kubectl); it runs before the
    kubectl steps and again before the kapi steps, so both start from the same state."""
    def run():
        p = paths()
        for o in objects:
            h.kubectl("delete", "-f", p[o], "--ignore-not-found", "--wait=true")
            h.ok("create", "-f", p[o])
    run()
    return run


REPLICAS = ("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}{.metadata.labels}")


def test_patch():
    between = reset("deploy", "pod")
    f = paths()
    patch_file = h.write_file("patch.yaml", "spec:\n  replicas: 5\n")
    compare([
        ("patch", "deployment", "web", "-p", '{"spec":{"replicas":3}}'),
        ("patch", "deployment", "web", "-p", '{"spec":{"replicas":3}}'),        # no change
        ("patch", "deploy/web", "--type", "merge", "-p", '{"metadata":{"labels":{"x":"y"}}}'),
        ("patch", "deploy", "web", "--type=json", "-p", '[{"op":"replace","path":"/spec/replicas","value":4}]'),
        ("patch", "deploy", "web", "--type=json", "-p", '[{"op":"remove","path":"/spec/nope"}]'),
        ("patch", "deploy", "web", "--patch-file", patch_file),
        REPLICAS,
        ("patch", "-f", f["deploy"], "-p", '{"spec":{"replicas":1}}'),
        ("patch", "deploy", "web", "-p", "{}", "-o", "name"),
        ("patch", "deploy", "web", "--dry-run=client", "-p", '{"spec":{"replicas":9}}', "-o", "jsonpath={.spec.replicas}"),
        ("patch", "deploy", "web", "--dry-run=client", "--type=merge", "-p", '{"spec":{"replicas":9}}'),
        ("patch", "deploy", "web", "--dry-run=client", "--type=json", "-p", '[{"op":"add","path":"/spec/paused","value":true}]',
         "-o", "jsonpath={.spec.paused}"),
        ("patch", "deploy", "web", "--dry-run=server", "-p", '{"spec":{"replicas":9}}', "-o", "jsonpath={.spec.replicas}"),
        ("patch", "deploy", "web", "--dry-run=server", "-p", '{"spec":{"replicas":9}}'),
        REPLICAS,
        ("patch", "deploy", "web", "--subresource=scale", "--type=merge", "-p", '{"spec":{"replicas":2}}'),
        ("patch", "deploy", "web", "--subresource=scale", "-p", '{"spec":{"replicas":2}}', "-o", "jsonpath={.kind} {.spec}"),
        ("patch", "pod", "p1", "--subresource=status", "--type=merge", "-p", '{"status":{"message":"hi"}}'),
        ("get", "pod", "p1", "-o", "jsonpath={.status.message}"),
        ("patch", "deploy", "web", "nope", "-p", '{"spec":{"replicas":2}}'),
        ("patch", "deploy", "web", "-p", '{"spec":{"replicas":"x"}}'),
        ("patch", "deploy", "web", "-p", "{}", "-o", "wide"),
    ], between=between, expect={
        0: (0, "deployment.apps/web patched\n"),
        1: (0, "deployment.apps/web patched (no change)\n"),
        6: (0, '5{"app":"web","x":"y"}'),
        9: (0, "9"),
        14: (0, '1{"app":"web","x":"y"}'),
        15: (0, "scale.autoscaling/web patched\n"),
    })


def test_patch_errors():
    reset("deploy")
    compare([
        ("patch", "deploy", "web"),
        ("patch", "deploy", "web", "--type", "foo", "-p", "{}"),
        ("patch", "deploy", "web", "-p", "{}", "--patch-file", "x"),
        ("patch", "deploy", "web", "--patch-file", "no-such-file"),
        ("patch", "deploy", "nope", "-p", "{}"),
        ("patch", "deploy", "-p", "{}"),
        ("patch", "-p", "{}"),
        ("patch", "foos", "x", "-p", "{}"),
        ("patch", "deploy", "web", "--dry-run=maybe", "-p", "{}"),
        ("patch", "deploy", "web", "--subresource=foo", "-p", "{}"),
    ])


LABELS = ("get", "pod", "p1", "-o", "jsonpath={.metadata.labels}")
ANNOTS = ("get", "pod", "p1", "-o", "jsonpath={.metadata.annotations}")


def test_label():
    between = reset("deploy", "pod")
    f = paths()
    compare([
        ("label", "pod", "p1", "app=x"),                      # exists, no --overwrite
        ("label", "pod", "p1", "app=web"),                    # the same value is no conflict
        ("label", "pod", "p1", "app=x", "--overwrite"),
        ("label", "pod", "p1", "app=x", "--overwrite"),       # not labeled
        ("label", "pod", "p1", "app-"),                       # unlabeled
        ("label", "pod", "p1", "app-"),                       # label "app" not found.
        ("label", "pod/p1", "app=web", "tier=fe"),
        LABELS,
        ("label", "pod", "p1", "new=1", "-o", "jsonpath={.metadata.labels}"),
        ("label", "pod", "p1", "new=2", "--overwrite", "--dry-run=client", "-o", "jsonpath={.metadata.labels}"),
        ("label", "pod", "p1", "new=3", "--overwrite", "--dry-run=server"),
        ("label", "pod", "p1", "new=3", "--overwrite", "--dry-run=client"),
        LABELS,
        ("label", "pod", "p1", "new-", "tier-"),
        ("label", "pod", "p1", "--list"),
        ("label", "pod", "p1", "a=b", "--resource-version=1"),  # Conflict
        ("label", "pods", "--all", "z=1"),
        ("label", "pods", "-l", "app=web", "z=2", "--overwrite"),
        ("label", "pods", "-l", "app=web", "z=2", "--overwrite"),
        ("label", "pods", "-l", "app=nope", "z=2"),
        ("label", "deploy,pod", "--all", "--list", "z-", "app-"),
        ("label", "deploy", "web", "nope", "app=x"),
        ("label", "-f", f["deploy"], "from-file=1"),
        ("label", "-f", f["deploy"], "--list", "app-"),          # one label left: Go map order is random
        ("label", "pod", "p1", "bad=a b"),
        ("label", "pod", "p1", "k=" + "v" * 70),
        ("label", "pod", "p1", "a=b=c"),
        ("label", "pod", "p1", "a=b", "a-"),
        ("label", "pod", "p1"),
        ("label", "z=1"),
        ("label", "pods", "z=1"),
        ("label", "pod", "p1", "z=1", "pod", "p2"),
        ("label", "pods", "p1", "nope", "--resource-version=3", "z=5"),
        ("label", "pods", "--all", "-l", "a=b", "z=1"),
        ("label", "pod", "p1", "-o", "name", "x=1", "--list"),
        ("label", "foos", "x", "a=b"),
        LABELS,
    ], between=between, expect={
        0: (1, ""),
        1: (0, "pod/p1 not labeled\n"),
        2: (0, "pod/p1 labeled\n"),
        3: (0, "pod/p1 not labeled\n"),
        4: (0, "pod/p1 unlabeled\n"),
        5: (0, 'label "app" not found.\npod/p1 labeled\n'),   # the empty labels map is new
        10: (0, "pod/p1 labeled (server dry run)\n"),
        14: (0, "app=web\n"),
    })


def test_annotate():
    between = reset("deploy", "pod")
    f = paths()
    compare([
        ("annotate", "pod", "p1", "note=hi"),
        ("annotate", "pod", "p1", "note=hi"),
        ("annotate", "pod", "p1", "note=ho"),                   # --overwrite is false
        ("annotate", "pod", "p1", "note=ho", "--overwrite"),
        ANNOTS,
        ("annotate", "pod", "p1", "note-"),
        ("annotate", "pod", "p1", "note-"),
        ("annotate", "pod", "p1", "note=x", "--list"),
        ("annotate", "pod", "p1", "--list"),
        ("annotate", "pod", "p1", "a=1", "-o", "jsonpath={.metadata.annotations}"),
        ("annotate", "pod", "p1", "b=2", "--dry-run=client", "-o", "jsonpath={.metadata.annotations}"),
        ("annotate", "pod", "p1", "b=2", "--dry-run=server"),
        ("annotate", "pod", "p1", "b=2", "--dry-run=client"),
        ("annotate", "pods", "--all", "c=3"),
        ("annotate", "pods", "-l", "app=web", "c=4", "--overwrite"),
        ("annotate", "-f", f["deploy"], "d=5"),
        ("annotate", "deploy,pod", "--all", "--list", "a-", "c-"),
        ("annotate", "pod", "p1", "e=1", "--resource-version=1"),
        ANNOTS,
        ("annotate", "pod", "p1", "a=b", "a-"),
        ("annotate", "pod", "p1", "=b"),
        ("annotate", "pod", "p1"),
        ("annotate", "x=1"),
        ("annotate", "pods", "x=1"),
        ("annotate", "deploy", "web", "nope", "x=1"),
        ("annotate", "deploy", "web", "x-", "-o", "name", "--list"),  # annotate allows both (label does not)
    ], between=between, expect={
        0: (0, "pod/p1 annotated\n"),
        1: (0, "pod/p1 annotated\n"),
        2: (1, ""),
        11: (0, "pod/p1 annotated (server dry run)\n"),
    })


def test_scale():
    between = reset("deploy", "pod")
    f = paths()
    compare([
        ("scale", "deploy", "web", "--replicas=3"),
        ("scale", "deploy/web", "--replicas=3"),
        ("scale", "deploy", "web", "--replicas=4", "--current-replicas=2"),
        ("scale", "deploy", "web", "--replicas=4", "--current-replicas=3"),
        REPLICAS,
        ("scale", "-f", f["deploy"], "--replicas=2"),
        ("scale", "-f", f["deploy"], "--replicas=2", "-o", "jsonpath={.spec.replicas}"),
        ("scale", "deploy", "-l", "app=web", "--replicas=1"),
        ("scale", "deploy", "--all", "--replicas=1"),
        ("scale", "deploy", "web", "--replicas=2", "-o", "name"),
        ("scale", "deploy", "web", "--replicas=7", "--dry-run=server"),
        ("scale", "deploy", "web", "--replicas=7", "--dry-run=client"),
        ("scale", "deploy", "web", "--replicas=7", "--dry-run=client", "-o", "jsonpath={.spec.replicas}"),
        REPLICAS,
        ("scale", "deploy", "web", "nope", "--replicas=3"),
        ("scale", "deploy", "nope", "--replicas=1"),
        ("scale", "deploy", "nope", "nope2", "--replicas=1"),
        ("scale", "pod", "p1", "--replicas=1"),
        ("scale", "deploy", "web"),
        ("scale", "deploy", "web", "--replicas=-1"),
        ("scale", "deploy", "web", "--replicas=1", "--current-replicas=-2"),
        ("scale", "--replicas=2"),
        ("scale", "deploy", "--replicas=2"),
        REPLICAS,
    ], between=between, expect={
        0: (0, "deployment.apps/web scaled\n"),
        2: (1, ""),
        4: (0, '4{"app":"web"}'),
        10: (0, "deployment.apps/web scaled (server dry run)\n"),
        14: (1, "deployment.apps/web scaled\n"),
    })
    # The live resourceVersion differs between the runs: compare with it masked.
    masked = []
    for run in (h.kubectl, h.kapi):
        rv = h.ok("get", "deploy", "web", "-o", "jsonpath={.metadata.resourceVersion}")
        steps = [("scale", "deploy", "web", "--replicas=5", "--resource-version=1"),
                 ("scale", "deploy", "web", "--replicas=5", "--resource-version=" + rv, "--current-replicas=2"),
                 ("scale", "deploy", "web", "nope", "--replicas=2", "--resource-version=3")]
        masked.append([tuple(re.sub(r"was \d+", "was RV", x) if isinstance(x, str) else x for x in run(*st))
                       for st in steps])
        between()
    h.eq(masked[1], masked[0], "kapi vs kubectl (resourceVersion masked)")
    h.eq(masked[0][0], (1, "", "error: Expected resource version to be 1, was RV\n"), "kubectl")


CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c1\ndata:\n  a: \"1\"\n"


def test_replace():
    cm = h.write_file("cm.yaml", CM)
    cm2 = h.write_file("cm2.yaml", CM.replace('"1"', '"2"'))
    stale = h.write_file("cm-stale.yaml", CM.replace("name: c1", 'name: c1\n  resourceVersion: "1"'))
    two = h.write_file("cm-two.yaml", CM + "---\n" + CM.replace("c1", "c2"))

    def between():
        h.kubectl("delete", "cm", "c1", "c2", "--ignore-not-found")
    between()
    compare([
        ("replace", "-f", cm),                       # NotFound
        ("@kubectl", "create", "-f", cm),
        ("replace", "-f", cm2),
        ("get", "cm", "c1", "-o", "jsonpath={.data}"),
        ("replace", "-f", cm, "-o", "name"),
        ("replace", "-f", cm2, "-o", "jsonpath={.data}"),
        ("replace", "-f", stale),                    # Conflict
        ("replace", "-f", cm, "--dry-run=server"),
        ("replace", "-f", cm, "--dry-run=client"),
        ("get", "cm", "c1", "-o", "jsonpath={.data}"),
        (("replace", "-f", "-"), CM),
        ("replace", "--force", "-f", cm2),
        ("get", "cm", "c1", "-o", "jsonpath={.data}"),
        ("replace", "--force", "-f", two),           # c2 is missing: created
        ("replace", "-f", two, "--save-config"),
        ("get", "cm", "c2", "-o", "jsonpath={.metadata.annotations}"),
        ("replace",),
        ("replace", "cm", "c1"),
        ("replace", "-f", "nope.yaml"),
        ("replace", "--force", "--dry-run=client", "-f", cm),
    ], between=between, expect={
        0: (1, ""),
        2: (0, "configmap/c1 replaced\n"),
        7: (0, "configmap/c1 replaced (server dry run)\n"),
        11: (0, 'configmap "c1" deleted\nconfigmap/c1 replaced\n'),
    })


def test_delete_flags():
    def between():
        h.kubectl("delete", "cm", "-l", "grp", "--wait=true")
        h.kubectl("delete", "pod", "p1", "p2", "--ignore-not-found", "--grace-period=0", "--force")
        for n in ("d1", "d2", "d3"):
            h.ok("create", "cm", n)
        h.ok("label", "cm", "d1", "d2", "grp=x")
        h.ok("label", "cm", "d3", "grp=y")
        h.ok("create", "-f", h.write_file("pod.yaml", POD))
    between()
    compare([
        ("delete", "cm", "-l", "grp=x", "--dry-run=client"),
        ("delete", "cm", "-l", "grp=x", "--dry-run=server"),
        ("get", "cm", "-l", "grp", "-o", "name"),
        ("delete", "cm", "-l", "grp=x", "-o", "name", "--grace-period=5", "--cascade=orphan"),
        ("delete", "cm", "-l", "grp=x"),                 # No resources found
        ("delete", "cm", "--field-selector=metadata.name=d3", "--cascade=orphan"),
        ("delete", "cm", "--all", "-l", "a=b"),
        ("delete", "cm", "d1", "--all"),
        ("delete", "cm", "--all", "--dry-run=client"),
        ("delete", "cm", "-A", "-l", "nomatch=1"),
        ("delete", "cm", "x", "-A"),
        ("delete", "pod", "p1", "--now", "--force"),
        ("delete", "pod", "p1", "--now", "--grace-period=3"),
        ("delete", "pod", "p1", "--cascade=foo"),
        ("delete", "pod", "p1", "-o", "yaml"),
        ("delete", "pod", "p1", "--dry-run=bad"),
        ("delete", "pod", "p1", "--grace-period=0", "--force"),
        ("delete", "pod", "p2", "--force"),
        ("delete", "pod", "p2", "--ignore-not-found", "--now"),
        ("delete", "pods", "--all", "--ignore-not-found=false", "--wait=false"),
    ], between=between, expect={
        0: (0, 'configmap "d1" deleted (dry run)\nconfigmap "d2" deleted (dry run)\n'),
        1: (0, 'configmap "d1" deleted (server dry run)\nconfigmap "d2" deleted (server dry run)\n'),
        2: (0, "configmap/d1\nconfigmap/d2\nconfigmap/d3\n"),
        3: (0, "configmap/d1\nconfigmap/d2\n"),
        4: (0, "No resources found\n"),
        16: (0, 'pod "p1" force deleted\n'),
    })


def test_help_and_bare_dry_run():
    """Help texts of the ops commands; a bare --dry-run (pflag NoOptDefVal "unchanged") or a
    boolean is deprecated but still a client dry run, for every writing command (apply's split
    included), with klog's warning."""
    run = reset("deploy")
    p = paths()
    compare([
        ("patch", "--help"),
        ("label", "--help"),
        ("annotate", "--help"),
        ("scale", "--help"),
        ("replace", "--help"),
        ("wait", "--help"),
        ("apply", "-f", p["deploy"], "--dry-run=server", "-o", "name"),
        ("apply", "-f", p["deploy"], "--server-side", "--dry-run=server"),
        REPLICAS,
    ], between=run, expect={
        6: (0, "deployment.apps/web\n"),
        7: (0, "deployment.apps/web serverside-applied (server dry run)\n"),
        8: (0, '2{"app":"web"}'),
    })
    # klog lines carry the time and the process id: compare with them masked.
    klog = re.compile(r"^([EW])\d{4} [\d:.]+ +\d+ ", re.M)
    steps = [("label", "deployment", "web", "tier=x", "--dry-run"),
             ("scale", "deployment", "web", "--replicas=3", "--dry-run=true"),
             ("annotate", "deployment", "web", "a=b", "--dry-run=unchanged"),
             ("patch", "deployment", "web", "-p", '{"spec":{"replicas":4}}', "--dry-run=False"),
             ("delete", "deployment", "web", "--dry-run"),
             ("apply", "-f", p["deploy"], "--dry-run"),
             ("create", "cm", "x", "--dry-run", "-o", "name"),
             REPLICAS]
    masked = []
    for tool in (h.kubectl, h.kapi):
        run()
        masked.append([tuple(klog.sub(r"\1 ", x) if isinstance(x, str) else x for x in tool(*st)) for st in steps])
    h.eq(masked[1], masked[0], "kapi vs kubectl (klog time masked)")
    warn = "W helpers.go:703] --dry-run is deprecated and can be replaced with --dry-run=client.\n"
    h.eq(masked[0][0], (0, "deployment.apps/web labeled (dry run)\n", warn), "kubectl label --dry-run")
    h.eq(masked[0][3][2], "W helpers.go:720] --dry-run=False is deprecated (boolean value) and can be replaced "
         "with --dry-run=none.\n", "kubectl patch --dry-run=False")
    h.eq(masked[0][7], (0, '4{"app":"web"}', ""), "kubectl: only --dry-run=False patched")


READY = '{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}'


def test_wait():
    def between():
        h.kubectl("delete", "pod", "p1", "p2", "--ignore-not-found", "--grace-period=0", "--force")
        for name in ("p1", "p2"):
            h.ok("create", "-f", h.write_file("pod.yaml", POD.replace("p1", name)))
        h.ok("patch", "pod", "p1", "--subresource=status", "--type=merge", "-p", READY)
    between()
    compare([
        ("wait", "--for=condition=Ready", "pod/p1"),
        ("wait", "--for=condition=ready", "pod", "p1"),
        ("wait", "--for=condition=Ready", "pod/p1", "pod/p2", "--timeout=1s"),
        ("wait", "--for=condition=Ready=false", "pod/p1", "--timeout=1s"),
        ("wait", "--for=condition=Ready=True", "pods", "-l", "app=web", "--timeout=1s"),
        ("wait", "--for=jsonpath={.status.phase}=Running", "pod/p1"),
        ("wait", "--for=jsonpath={.status.phase}=Running", "pod", "--all", "--timeout=1s"),
        ("wait", "--for=jsonpath={.status.phase}", "pod/p1"),
        ("wait", "--for=create", "pod/p1"),
        ("wait", "--for=condition=Ready", "pod/p1", "-o", "name"),
        ("wait", "--for=condition=Ready", "pod/p1", "--timeout=0"),
        ("wait", "--for=delete", "pod/nope"),
        ("wait", "--for=delete", "pod/p1", "--timeout=1s"),
        ("wait", "--for=condition=Ready", "pod/nope", "--timeout=1s"),
        ("wait", "--for=condition=Ready", "pods", "-l", "app=nope", "--timeout=1s"),
        ("wait", "pod/p1"),
        ("wait", "--for=foo", "pod/p1"),
        ("wait", "--for=condition=Ready"),
        ("@kubectl", "delete", "pod", "p2", "--wait=false"),
        ("wait", "--for=delete", "pod/p2", "--timeout=20s"),
    ], between=between, expect={
        0: (0, "pod/p1 condition met\n"),
        2: (1, "pod/p1 condition met\n"),
        3: (1, ""),
        11: (0, ""),
        19: (0, ""),
    })


def test_wait_until_the_condition_changes():
    """Both clients wait while the condition is false; a status patch releases both."""
    import subprocess
    h.kubectl("delete", "pod", "w1", "--ignore-not-found", "--grace-period=0", "--force")
    h.ok("create", "-f", h.write_file("w1.yaml", POD.replace("p1", "w1")))
    srv = h.server()
    args = ["wait", "--for=condition=Ready", "pod/w1", "--timeout=30s"]
    kubectl = subprocess.Popen(h.kubectl_argv(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=h.kubectl_env(), cwd=srv.tmp)
    kapi = subprocess.Popen(["kubectl", "--cache-dir=" + os.path.join(srv.home, ".kube", "kapi-cache")] + args,
                            executable=h.kapi_bin(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=h.kubectl_env(), cwd=srv.tmp)
    import time
    time.sleep(2)
    h.eq((kubectl.poll(), kapi.poll()), (None, None), "both still waiting")
    h.ok("patch", "pod", "w1", "--subresource=status", "--type=merge", "-p", READY)
    k = kubectl.communicate(timeout=30)
    a = kapi.communicate(timeout=30)
    h.eq((kubectl.returncode,) + k, (0, "pod/w1 condition met\n", ""), "kubectl")
    h.eq((kapi.returncode,) + a, (0, "pod/w1 condition met\n", ""), "kapi")


def test_wait_errors_name_the_resource_without_its_group():
    """Timeouts name "deployments/web" (resource.Info.ObjectName), a zero timeout checks once,
    and --for=create waits for missing objects (or a selector matching nothing)."""
    h.kubectl("delete", "deploy", "web", "--ignore-not-found")
    h.ok("create", "-f", paths()["deploy"])
    k = compare([
        ("wait", "--for=condition=Available", "deploy/web", "--timeout=1s"),
        ("wait", "--for=jsonpath={.status.x}=1", "deployment.apps/web", "--timeout=0"),
        ("wait", "--for=create", "deploy/nope", "--timeout=1s"),
        ("wait", "--for=create", "deploy/nope", "deploy/web", "--timeout=0"),
        ("wait", "--for=create", "deploy", "-l", "app=nope", "--timeout=1s"),
        ("wait", "--for=create", "deploy", "-l", "app=web", "--timeout=1s"),
    ], normalize=h.normalize_klog)
    h.eq(k[0], (1, "", "error: timed out waiting for the condition on deployments/web\n"), "kubectl: timeout")
    h.eq(k[1], (1, "", "error: condition not met for deployments/web\n"), "kubectl: --timeout=0")
    h.eq(k[2], (1, "", "error: timed out waiting for the condition\n"), "kubectl: create of a missing object")
    h.eq(k[5], (0, "deployment.apps/web condition met\n", ""), "kubectl: create of an existing object")


def test_wait_for_create_until_the_object_appears():
    """Both clients poll for a missing object; creating it releases both."""
    import subprocess
    import time
    h.kubectl("delete", "cm", "late", "--ignore-not-found")
    srv = h.server()
    args = ["wait", "--for=create", "cm/late", "--timeout=30s"]
    kubectl = subprocess.Popen(h.kubectl_argv(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=h.kubectl_env(), cwd=srv.tmp)
    kapi = subprocess.Popen(["kubectl", "--cache-dir=" + os.path.join(srv.home, ".kube", "kapi-cache")] + args,
                            executable=h.kapi_bin(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=h.kubectl_env(), cwd=srv.tmp)
    time.sleep(1.5)
    h.eq((kubectl.poll(), kapi.poll()), (None, None), "both still waiting")
    h.ok("create", "cm", "late")
    k = kubectl.communicate(timeout=30)
    a = kapi.communicate(timeout=30)
    h.eq((kubectl.returncode,) + k, (0, "configmap/late condition met\n", ""), "kubectl")
    h.eq((kapi.returncode,) + a, (0, "configmap/late condition met\n", ""), "kapi")


def test_patch_json_text_goes_to_the_server_as_typed():
    """util/yaml.ToJSON: a patch starting with "{" is not parsed by the client; the server's
    decoding error is reported. Client-side dry runs report their own JSON errors."""
    h.kubectl("delete", "cm", "pj", "--ignore-not-found")
    h.ok("create", "cm", "pj", "--from-literal=a=1")
    k = compare([
        ("patch", "cm", "pj", "-p", "{bad"),
        ("patch", "cm", "pj", "--type=merge", "-p", "  {nope: 1}"),
        ("patch", "cm", "pj", "--type=json", "-p", "{bad"),
        ("patch", "cm", "pj", "--dry-run=client", "-p", "{bad"),
        ("patch", "cm", "pj", "--type=merge", "--dry-run=client", "-p", "{bad"),
        ("patch", "cm", "pj", "-p", '  {"data":{"a":"2"}}'),
        ("patch", "cm", "pj", "-p", "data: {a: '3'}"),
    ])
    h.eq(k[0], (1, "", "Error from server (BadRequest): error decoding patch: invalid character 'b' looking for "
                       "beginning of object key string\n"), "kubectl: raw JSON patch")
    h.eq(k[5][:2], (0, "configmap/pj patched\n"), "kubectl: JSON with leading spaces")


def test_local_changes_of_files():
    """--local for patch, label and annotate: the -f objects are changed and printed, nothing
    is read from or sent to the server (the objects need not exist)."""
    p = paths()
    h.kubectl("delete", "-f", p["deploy"], "--ignore-not-found")
    k = compare([
        ("patch", "-f", p["deploy"], "--local", "-p", '{"spec":{"replicas":5}}', "-o", "yaml"),
        ("patch", "-f", p["deploy"], "--local", "--type=merge", "-p", '{"metadata":{"labels":{"x":"1"}}}'),
        ("patch", "-f", p["deploy"], "--local", "--type=json", "-p",
         '[{"op":"replace","path":"/spec/replicas","value":3}]', "-o", "jsonpath={.spec.replicas}"),
        ("patch", "-f", p["deploy"], "--local", "-p", '{"spec":{"replicas":2}}'),
        ("patch", "deploy", "web", "--local", "-p", "{}"),
        ("patch", "-f", p["deploy"], "--local", "--dry-run=server", "-p", "{}"),
        ("label", "-f", p["pod"], "--local", "tier=db", "-o", "yaml"),
        ("label", "-f", p["pod"], "--local", "app=x"),
        ("label", "-f", p["pod"], "--local", "app=x", "--overwrite", "-o", "jsonpath={.metadata.labels}"),
        ("label", "-f", p["pod"], "--local", "app-"),
        ("label", "-f", p["pod"], "--local", "--dry-run=server", "a=b"),
        ("annotate", "-f", p["pod"], "--local", "note=hi", "-o", "json"),
        ("annotate", "-f", p["pod"], "--local", "note=hi"),
        ("get", "deploy", "web"),
    ])
    h.eq(k[2][:2], (0, "3"), "kubectl: json patch applied locally")
    h.eq(k[3][:2], (0, "deployment.apps/web patched (no change)\n"), "kubectl: no change")
    h.eq(k[5][2], "error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?\n",
         "kubectl: --local with a server dry run")
    h.eq(k[7][:2], (1, ""), "kubectl: --overwrite is still required")
    h.eq(k[12][:2], (0, "pod/p1 annotated\n"), "kubectl: annotate --local")
    h.eq(k[13][0], 1, "kubectl: nothing was created")


def test_server_put_of_missing_object():
    """Server: a PUT creates a missing object only where upstream's strategy allows it
    (AllowCreateOnUpdate: services yes, configmaps no)."""
    cm = h.write_file("put-cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: put-missing\n")
    svc = h.write_file("put-svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: put-missing\n"
                                       "spec:\n  ports:\n  - port: 80\n")
    h.eq(h.kubectl("replace", "-f", cm),
         (1, "", 'Error from server (NotFound): error when replacing "%s": configmaps "put-missing" not found\n' % cm),
         "replace of a missing configmap")
    h.eq(h.kubectl("replace", "-f", svc), (0, "service/put-missing replaced\n", ""), "replace of a missing service")
    h.ok("delete", "-f", svc)


def test_server_delete_dry_run_in_body():
    """Server: kubectl sends DeleteOptions.dryRun in the DELETE body; the object must survive."""
    h.kubectl("delete", "cm", "dry1", "--ignore-not-found")
    h.ok("create", "cm", "dry1")
    h.eq(h.kubectl("delete", "cm", "dry1", "--dry-run=server"), (0, 'configmap "dry1" deleted (server dry run)\n', ""),
         "delete --dry-run=server")
    h.eq(h.kubectl("get", "cm", "dry1", "-o", "name"), (0, "configmap/dry1\n", ""), "object after the dry run")
    h.ok("delete", "cm", "dry1")


if __name__ == "__main__":
    h.main(globals())
