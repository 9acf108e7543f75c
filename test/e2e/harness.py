"""Small end-to-end harness: one `kapi serve` per test file, real kubectl binaries, a tiny runner.

Usage from a scenario file (run as `python3 test/e2e/test_x.py [name-filter]` from the repo root):

    import harness as h

    def test_something():
        rc, out, err = h.kubectl("get", "ns")
        h.eq(rc, 0, "rc")

    if __name__ == "__main__":
        h.main(globals())

Environment: KAPI_BIN (default <repo>/build/kapi), KAPI_E2E_KEEP=1 keeps the temp dir,
KAPI_E2E_VERBOSE=1 echoes every kubectl command.
"""
import atexit
import base64
import os
import re
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
KUBECTL_DIR = "/usr/lib/google-cloud-sdk/bin"
KUBECTL_VERSIONS = ["1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33"]
VERBOSE = os.environ.get("KAPI_E2E_VERBOSE") == "1"

_server = None          # the current Server
_children = []          # Popen objects started through popen_kubectl (killed at exit)


class TestFailure(AssertionError):
    pass


# ---------------------------------------------------------------------------------------------
# kubectl binaries

def kubectl_path(version="1.33"):
    """Path of the real kubectl.<version>, or None."""
    candidates = [os.path.join(KUBECTL_DIR, "kubectl." + version)]
    on_path = shutil.which("kubectl")
    if on_path:
        candidates.append(os.path.join(os.path.dirname(os.path.realpath(on_path)), "kubectl." + version))
    for c in candidates:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return None


def available_kubectl_versions():
    return [v for v in KUBECTL_VERSIONS if kubectl_path(v)]


def require_kubectl(version="1.33"):
    p = kubectl_path(version)
    if not p:
        have = available_kubectl_versions()
        sys.stderr.write("FATAL: real kubectl %s not found (looked for kubectl.%s in %s and beside the "
                         "kubectl on PATH); kubectl >= 1.27 is required. Found: %s\n"
                         % (version, version, KUBECTL_DIR, ", ".join(have) or "none"))
        sys.exit(2)
    return p


# ---------------------------------------------------------------------------------------------
# The server

def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def kapi_bin():
    b = os.environ.get("KAPI_BIN") or os.path.join(REPO, "build", "kapi")
    if not (os.path.isfile(b) and os.access(b, os.X_OK)):
        sys.stderr.write("FATAL: kapi binary not found at %s (set KAPI_BIN or build it: "
                         "cmake --build build --target kapi)\n" % b)
        sys.exit(2)
    return b


class Server:
    def __init__(self, extra_args=()):
        self.tmp = tempfile.mkdtemp(prefix="kapi-e2e-")
        self.data_dir = os.path.join(self.tmp, "data")
        self.home = os.path.join(self.tmp, "home")
        os.makedirs(self.data_dir)
        os.makedirs(self.home)
        self.cache_dir = os.path.join(self.home, ".kube", "cache")
        self.kubeconfig = os.path.join(self.data_dir, "admin.kubeconfig")
        self.log_path = os.path.join(self.tmp, "kapi.log")
        self.port = None
        self.proc = None
        self.extra_args = list(extra_args)
        self.ca_file = None

    @property
    def url(self):
        return "https://127.0.0.1:%d" % self.port

    def start(self, timeout=30):
        binary = kapi_bin()
        for attempt in range(3):
            self.port = free_port()
            self._log = open(self.log_path, "ab")
            self.proc = subprocess.Popen(
                [binary, "serve", "--data-dir", self.data_dir, "--bind-address", "127.0.0.1",
                 "--secure-port", str(self.port)] + self.extra_args,
                stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
            if self._wait_ready(timeout):
                return self
            self.stop()
        raise RuntimeError("kapi serve did not become ready; log tail:\n" + self.log_tail())

    def _wait_ready(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                return False
            if os.path.exists(self.kubeconfig) and self.ca_file is None:
                self._extract_ca()
            try:
                if self.ca_file:
                    ctx = ssl.create_default_context(cafile=self.ca_file)
                else:
                    ctx = ssl._create_unverified_context()
                with urllib.request.urlopen(self.url + "/readyz", context=ctx, timeout=2) as r:
                    if r.read().decode().strip() == "ok" and self.ca_file:
                        return True
            except Exception:
                pass
            time.sleep(0.2)
        return False

    def _extract_ca(self):
        try:
            text = open(self.kubeconfig).read()
        except OSError:
            return
        m = re.search(r"certificate-authority-data:\s*(\S+)", text)
        if not m:
            return
        path = os.path.join(self.tmp, "ca.crt")
        with open(path, "wb") as f:
            f.write(base64.b64decode(m.group(1)))
        self.ca_file = path

    def log_tail(self, n=40):
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-n:]).decode(errors="replace")
        except OSError:
            return "(no log)"

    def stop(self):
        p, self.proc = self.proc, None
        if p is not None and p.poll() is None:
            try:
                os.kill(p.pid, signal.SIGTERM)
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(p.pid, signal.SIGKILL)
                p.wait(timeout=5)
            except ProcessLookupError:
                pass
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None

    def cleanup(self):
        self.stop()
        if os.environ.get("KAPI_E2E_KEEP") == "1":
            sys.stderr.write("kept %s\n" % self.tmp)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


def server():
    return _server


def start_server(extra_args=()):
    global _server
    _server = Server(extra_args).start()
    return _server


def _cleanup_all():
    global _server
    for c in list(_children):
        kill_proc(c)
    if _server is not None:
        _server.cleanup()
        _server = None


atexit.register(_cleanup_all)


def _on_signal(signum, frame):
    _cleanup_all()
    sys.exit(128 + signum)


signal.signal(signal.SIGTERM, _on_signal)


# ---------------------------------------------------------------------------------------------
# kubectl helpers

def kubectl_env(srv=None):
    srv = srv or _server
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("KUBECTL_"):
            del env[k]
    env["HOME"] = srv.home
    env["KUBECONFIG"] = srv.kubeconfig
    return env


def kubectl_argv(args, version="1.33", srv=None, request_timeout="10s"):
    srv = srv or _server
    argv = [require_kubectl(version), "--cache-dir=" + srv.cache_dir]
    if request_timeout:
        argv.append("--request-timeout=" + request_timeout)
    return argv + [str(a) for a in args]


def kubectl(*args, version="1.33", input=None, timeout=40, srv=None):
    """Run kubectl.<version> against the current server; returns (rc, stdout, stderr)."""
    srv = srv or _server
    argv = kubectl_argv(args, version, srv)
    if VERBOSE:
        sys.stderr.write("+ kubectl.%s %s\n" % (version, " ".join(argv[3:])))
    try:
        p = subprocess.run(argv, input=input, capture_output=True, text=True, timeout=timeout,
                           env=kubectl_env(srv), cwd=srv.tmp)
    except subprocess.TimeoutExpired as e:
        return (124, _s(e.stdout), _s(e.stderr) + "\n[harness] kubectl timed out after %ss" % timeout)
    if VERBOSE:
        sys.stderr.write("  rc=%d\n%s%s" % (p.returncode, p.stdout, p.stderr))
    return p.returncode, p.stdout, p.stderr


def _s(b):
    if b is None:
        return ""
    return b.decode(errors="replace") if isinstance(b, bytes) else b


def popen_kubectl(*args, version="1.33", srv=None):
    """Start a long-running kubectl (e.g. get -w) with stdout/stderr to files; kill with kill_proc."""
    srv = srv or _server
    argv = kubectl_argv(args, version, srv, request_timeout=None)
    n = len(_children)
    out = open(os.path.join(srv.tmp, "bg%d.out" % n), "w+")
    err = open(os.path.join(srv.tmp, "bg%d.err" % n), "w+")
    p = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, text=True,
                         env=kubectl_env(srv), cwd=srv.tmp, start_new_session=True)
    p.out_file, p.err_file = out, err
    _children.append(p)
    return p


def proc_output(p):
    p.out_file.flush()
    p.err_file.flush()
    with open(p.out_file.name) as f:
        out = f.read()
    with open(p.err_file.name) as f:
        err = f.read()
    return out, err


def kill_proc(p):
    if p.poll() is None:
        try:
            os.kill(p.pid, signal.SIGTERM)
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(p.pid, signal.SIGKILL)
            p.wait(timeout=5)
        except ProcessLookupError:
            pass
    if p in _children:
        _children.remove(p)


def write_file(name, text):
    """Write a manifest into the server's temp dir (kubectl's cwd); returns its absolute path."""
    path = os.path.join(_server.tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


# ---------------------------------------------------------------------------------------------
# Assertions

def fail(msg):
    raise TestFailure(msg)


def check(cond, msg):
    if not cond:
        fail(msg)


def eq(actual, expected, what="value"):
    if actual != expected:
        fail("%s: expected %r, got %r" % (what, expected, actual))


def contains(haystack, needle, what="output"):
    if needle not in haystack:
        fail("%s: expected to contain %r, got %r" % (what, needle, _clip(haystack)))


def _clip(s, n=600):
    return s if len(s) <= n else s[:n] + "...(%d more chars)" % (len(s) - n)


def ok(*args, **kw):
    """Run kubectl, require rc 0 and return stdout."""
    rc, out, err = kubectl(*args, **kw)
    if rc != 0:
        fail("kubectl %s: rc=%d, stderr=%r, stdout=%r" % (" ".join(map(str, args)), rc, _clip(err.strip()),
                                                          _clip(out.strip())))
    return out


def err_of(*args, rc=1, **kw):
    """Run kubectl, require the given rc (default 1) and return stderr (stripped)."""
    r, out, err = kubectl(*args, **kw)
    if r != rc:
        fail("kubectl %s: expected rc=%d, got rc=%d, stdout=%r, stderr=%r"
             % (" ".join(map(str, args)), rc, r, _clip(out.strip()), _clip(err.strip())))
    return err.strip()


def wait_until(fn, timeout=30, interval=0.2, what="condition"):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    fail("timed out after %ss waiting for %s (last: %r)" % (timeout, what, last))


# ---------------------------------------------------------------------------------------------
# kapi client mode vs real kubectl: the same steps, byte-identical results

def kapi(*args, input=None, timeout=40):
    srv = server()
    argv = ["kubectl", "--cache-dir=" + os.path.join(srv.home, ".kube", "kapi-cache"),
            "--request-timeout=10s"] + [str(a) for a in args]
    try:
        p = subprocess.run(argv, executable=kapi_bin(), input=input, capture_output=True, text=True,
                           timeout=timeout, env=kubectl_env(srv), cwd=srv.tmp)
    except subprocess.TimeoutExpired:
        return (124, "", "[test] kapi timed out after %ss" % timeout)
    return p.returncode, p.stdout, p.stderr


def run_tool(tool, args, input=None):
    if args and args[0] == "@kubectl":  # a step kapi does not implement: kubectl in both runs
        return kubectl(*args[1:], input=input)
    if tool == "kubectl":
        return kubectl(*args, input=input)
    return kapi(*args, input=input)


KLOG_HEAD = re.compile(r"(?m)^([EWIF])\d{4} \d{2}:\d{2}:\d{2}\.\d{6} +\d+ ")


def normalize_klog(text):
    """klog lines carry a timestamp and the process id: replaced by a fixed head."""
    return KLOG_HEAD.sub(r"\1mmdd hh:mm:ss.uuuuuu pid ", text)


def compare(steps, expect=None, between=None, normalize=None):
    """Runs `steps` (tuples of args, or (args, stdin)) with kubectl and then with kapi; every
    step must give the same (rc, stdout, stderr). `expect` optionally pins kubectl's results;
    `normalize` (e.g. normalize_klog) is applied to both tools' stdout and stderr first."""
    results = {}
    for tool in ("kubectl", "kapi"):
        outs = []
        for step in steps:
            args, stdin = (step if isinstance(step, tuple) and len(step) == 2 and isinstance(step[0], tuple)
                           else (step, None))
            rc, out, err = run_tool(tool, args, input=stdin)
            if normalize:
                out, err = normalize(out), normalize(err)
            outs.append((rc, out, err))
        results[tool] = outs
        if between:
            between()
    for i, step in enumerate(steps):
        k, a = results["kubectl"][i], results["kapi"][i]
        if k != a:
            fail("step %d %r:\n kubectl: rc=%d stdout=%r stderr=%r\n kapi:    rc=%d stdout=%r stderr=%r"
                   % (i, step, k[0], k[1], k[2], a[0], a[1], a[2]))
        if expect and i in expect:
            eq(k[:2], expect[i], "kubectl step %d (rc, stdout)" % i)
    return results["kubectl"]


# ---------------------------------------------------------------------------------------------
# Runner

def main(module_globals, extra_server_args=(), need_kubectl=True):
    if need_kubectl:
        require_kubectl("1.33")
    flt = sys.argv[1] if len(sys.argv) > 1 else None
    tests = [(n, f) for n, f in module_globals.items()
             if n.startswith("test_") and callable(f) and (flt is None or flt in n)]
    passed = failed = 0
    t0 = time.time()
    try:
        start_server(extra_server_args)
    except Exception as e:
        print("FAIL server-start: %s" % e)
        print("0 passed, %d failed" % max(1, len(tests)))
        sys.stdout.flush()
        _cleanup_all()
        sys.exit(1)
    try:
        for name, fn in tests:
            try:
                fn()
            except TestFailure as e:
                failed += 1
                print("FAIL %s: %s" % (name, e))
            except Exception as e:
                failed += 1
                print("FAIL %s: %s: %s" % (name, type(e).__name__, e))
                if VERBOSE:
                    traceback.print_exc()
            else:
                passed += 1
                print("PASS %s" % name)
            sys.stdout.flush()
            srv = _server
            if srv is None or srv.proc is None or srv.proc.poll() is not None:
                print("NOTE: kapi serve exited (rc=%s); log tail:\n%s"
                      % (srv and srv.proc and srv.proc.returncode, srv and srv.log_tail()))
                break
    finally:
        _cleanup_all()
    for name, _ in tests[passed + failed:]:
        failed += 1
        print("FAIL %s: not run (kapi serve died)" % name)
    print("total %.1fs" % (time.time() - t0))
    print("%d passed, %d failed" % (passed, failed))
    sys.stdout.flush()
    sys.exit(1 if failed else 0)
