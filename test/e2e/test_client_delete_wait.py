#!/usr/bin/env python3
"""`delete --wait/--timeout` and duration flags, kapi vs kubectl 1.33 on one `kapi serve`.

An object held by a finalizer never goes away: kubectl prints `configmap "x" deleted`, waits
--timeout and fails with `timed out waiting for the condition on configmaps/x`; --wait=false
returns at once. Bad durations are pflag errors with time.ParseDuration's wording.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_delete_wait.py [name-filter]
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

FINALIZER = '{"metadata":{"finalizers":["example.com/hold"]}}'


def release(name):
    h.kubectl("patch", "cm", name, "--type=json", "-p", '[{"op":"remove","path":"/metadata/finalizers"}]')
    h.kubectl("delete", "cm", name, "--ignore-not-found", "--wait=false")


def held(name):
    release(name)
    h.wait_until(lambda: h.kubectl("get", "cm", name)[0] == 1, what=name + " gone")
    h.ok("create", "cm", name)
    h.ok("patch", "cm", name, "-p", FINALIZER)


def test_timeout_on_a_held_object():
    held("held")
    steps = [("delete", "cm", "held", "--timeout=2s"),
             ("delete", "cm", "held", "--wait=false"),
             ("delete", "cm", "held", "--timeout=1s", "-o", "name")]
    res = h.compare(steps, between=lambda: held("held"))
    h.eq(res[0], (1, 'configmap "held" deleted\n',
                  "error: timed out waiting for the condition on configmaps/held\n"), "kubectl delete --timeout")
    h.eq(res[1], (0, 'configmap "held" deleted\n', ""), "kubectl delete --wait=false")
    release("held")


def test_wait_returns_when_the_finalizer_goes():
    """Both clients wait past 1s and return once the finalizer is removed."""
    import subprocess
    for tool in ("kubectl", "kapi"):
        held("h2")
        srv = h.server()
        args = ["delete", "cm", "h2", "--timeout=30s"]
        if tool == "kubectl":
            argv, exe = h.kubectl_argv(args), None
        else:
            argv, exe = ["kubectl", "--cache-dir=" + os.path.join(srv.home, ".kube", "kapi-cache")] + args, h.kapi_bin()
        p = subprocess.Popen(argv, executable=exe, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=h.kubectl_env(), cwd=srv.tmp)
        time.sleep(1.5)
        h.eq(p.poll(), None, tool + " still waiting")
        h.kubectl("patch", "cm", "h2", "--type=json", "-p", '[{"op":"remove","path":"/metadata/finalizers"}]')
        out, err = p.communicate(timeout=30)
        h.eq((p.returncode, out, err), (0, 'configmap "h2" deleted\n', ""), tool)


def test_duration_flag_errors():
    res = h.compare([
        ("delete", "cm", "x", "--timeout=bad"),
        ("delete", "cm", "x", "--timeout=5"),
        ("wait", "--for=delete", "cm/x", "--timeout=1x"),
        ("wait", "--for=delete", "cm/x", "--timeout=."),
        ("wait", "--for=delete", "cm/x", "--timeout=1h2m3.5s"),
    ])
    h.eq(res[2], (1, "", 'error: invalid argument "1x" for "--timeout" flag: time: unknown unit "x" in '
                  "duration \"1x\"\nSee 'kubectl wait --help' for usage.\n"), "kubectl wait --timeout=1x")
    h.eq(res[4], (0, "", ""), "kubectl wait --for=delete on a missing object")


if __name__ == "__main__":
    h.main(globals())
