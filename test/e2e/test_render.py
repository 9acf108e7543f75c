"""Closing the loop of `kapi render` (issue 7): render a control plane for 127.0.0.1, start
`kapi serve` with exactly the command-line flags of the rendered kube-apiserver.yaml (program name
replaced, plus --storage-backend=embedded --data-dir DIR until the etcd backend exists), and let
real kubectl talk to it with the rendered admin kubeconfig.

Run from the repo root: KAPI_BIN=build/kapi python3 test/e2e/test_render.py [name-filter]
"""
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KAPI = os.environ.get("KAPI_BIN", os.path.join(REPO, "build", "kapi"))
KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33"
NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system"]


class Failure(AssertionError):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def manifest_command(path):
    """The `command:` list of the (single) container of a kubeadm static Pod manifest."""
    cmd, inside = [], False
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line == "  - command:":
                inside = True
                continue
            if inside:
                if line.startswith("    - "):
                    cmd.append(line[len("    - "):])
                else:
                    break
    check(cmd and cmd[0] == "kube-apiserver", "no kube-apiserver command in %s" % path)
    return cmd


class Rendered:
    """A `kapi render all` output directory plus a `kapi serve` started from its manifest."""

    def __init__(self, version):
        self.tmp = tempfile.mkdtemp(prefix="kapi-e2e-render-")
        self.out = os.path.join(self.tmp, "k")
        self.port = free_port()
        self.proc = None
        args = [KAPI, "render", "all", "--apiserver-advertise-address", "127.0.0.1",
                "--apiserver-bind-port", str(self.port), "--kubernetes-version", version,
                "--node-name", "e2e-node", "--cert-dir", os.path.join(self.out, "pki"),
                "--out-dir", self.out]
        r = subprocess.run(args, capture_output=True, text=True, timeout=120)
        check(r.returncode == 0, "kapi render failed: %s" % r.stderr)

    def serve(self):
        cmd = manifest_command(os.path.join(self.out, "manifests", "kube-apiserver.yaml"))
        argv = [KAPI, "serve"] + cmd[1:] + ["--storage-backend=embedded",
                                           "--data-dir=" + os.path.join(self.tmp, "data")]
        self.log = open(os.path.join(self.tmp, "serve.log"), "w")
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT)
        ctx = ssl.create_default_context(cafile=os.path.join(self.out, "pki", "ca.crt"))
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise Failure("kapi serve exited with %s: %s" % (self.proc.returncode, self.log_text()))
            try:
                # /readyz is what the rendered readiness probe asks, over the rendered serving cert.
                with urllib.request.urlopen("https://127.0.0.1:%d/readyz" % self.port, context=ctx,
                                            timeout=2) as resp:
                    if resp.status == 200:
                        return
            except Exception:
                time.sleep(0.2)
        raise Failure("kapi serve did not become ready: %s" % self.log_text())

    def log_text(self):
        try:
            self.log.flush()
            with open(os.path.join(self.tmp, "serve.log")) as f:
                return f.read()[-3000:]
        except Exception:
            return ""

    def kubectl(self, kubeconfig, *args):
        home = os.path.join(self.tmp, "home")
        os.makedirs(home, exist_ok=True)
        env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        r = subprocess.run([KUBECTL, "--kubeconfig", os.path.join(self.out, kubeconfig)] + list(args),
                           capture_output=True, text=True, timeout=60, env=env)
        return r.returncode, r.stdout, r.stderr

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if os.environ.get("KAPI_E2E_KEEP") != "1":
            shutil.rmtree(self.tmp, ignore_errors=True)


def get_namespaces(version, kubeconfig):
    r = Rendered(version)
    try:
        r.serve()
        rc, out, err = r.kubectl(kubeconfig, "get", "ns", "-o", "name")
        check(rc == 0, "kubectl get ns failed (%d): %s\nserver log: %s" % (rc, err, r.log_text()))
        names = sorted(line.split("/", 1)[1] for line in out.split() if "/" in line)
        for ns in NAMESPACES:
            check(ns in names, "namespace %s missing from %s" % (ns, names))
        rc, out, err = r.kubectl(kubeconfig, "get", "ns")
        check(rc == 0 and out.startswith("NAME"), "kubectl get ns (table) failed: %s %s" % (out, err))
    finally:
        r.close()


def test_v1_19_admin_conf_reaches_kapi_serve_started_from_the_manifest():
    # admin.conf carries O=system:masters up to 1.28.
    get_namespaces("v1.19.4", "admin.conf")


def test_v1_33_super_admin_conf_reaches_kapi_serve_started_from_the_manifest():
    # From 1.29 admin.conf's group (kubeadm:cluster-admins) needs an RBAC binding kubeadm creates
    # after init; super-admin.conf is system:masters.
    get_namespaces("v1.33.0", "super-admin.conf")


def test_render_rejects_bad_input_without_writing():
    tmp = tempfile.mkdtemp(prefix="kapi-e2e-render-")
    try:
        out = os.path.join(tmp, "k")
        for bad in (["--apiserver-advertise-address", "999.1.1.1"],
                    ["--apiserver-advertise-address", "127.0.0.1", "--kubernetes-version", "v9.9.9"]):
            r = subprocess.run([KAPI, "render", "all", "--out-dir", out] + bad, capture_output=True,
                               text=True, timeout=60)
            check(r.returncode != 0, "expected failure for %s" % bad)
            check(r.stderr.count("\n") == 1 and r.stderr.startswith("error: "), "one-line error: %r" % r.stderr)
            check(not os.path.exists(out), "%s written despite the error" % out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    if not (os.path.isfile(KAPI) and os.access(KAPI, os.X_OK)):
        sys.stderr.write("FATAL: KAPI_BIN %s is not an executable\n" % KAPI)
        return 2
    if not os.access(KUBECTL, os.X_OK):
        sys.stderr.write("FATAL: real kubectl not found at %s\n" % KUBECTL)
        return 2
    flt = sys.argv[1] if len(sys.argv) > 1 else ""
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_") and callable(f) and flt in n]
    passed = failed = 0
    for name, fn in tests:
        t0 = time.time()
        try:
            fn()
            passed += 1
            print("PASS %s (%.1fs)" % (name, time.time() - t0))
        except Exception:
            failed += 1
            print("FAIL %s (%.1fs)" % (name, time.time() - t0))
            traceback.print_exc()
        sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
