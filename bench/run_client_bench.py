#!/usr/bin/env python3
"""Wall time of `kapi get pods -n kube-system` vs kubectl.1.NN called directly (not the
dispatcher), same server, same run, warm discovery caches; median of N runs each.
    bench/run_client_bench.py [runs] [kubectl-minor]"""
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "e2e"))
import harness as h  # noqa: E402


THREE = """apiVersion: v1
kind: ConfigMap
metadata: {name: bench-config}
data: {a: "1"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: bench}
spec:
  replicas: 1
  selector: {matchLabels: {app: bench}}
  template:
    metadata: {labels: {app: bench}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Service
metadata: {name: bench}
spec: {selector: {app: bench}, ports: [{port: 80}]}
"""


def timed(argv, env, runs):
    out = []
    # Output to /dev/null and a bare fork+exec+wait: pipes and Python's reader threads would add
    # the same few milliseconds to both tools and hide the ratio.
    for _ in range(runs):
        t = time.perf_counter()
        rc = subprocess.call(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out.append((time.perf_counter() - t) * 1000)
        if rc != 0:
            p = subprocess.run(argv, env=env, capture_output=True)
            raise SystemExit("%s failed: %s" % (argv, p.stderr.decode()))
    return statistics.median(out)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    minor = sys.argv[2] if len(sys.argv) > 2 else "1.33"
    srv = h.Server().start()
    try:
        env = h.kubectl_env(srv)
        kubectl = h.kubectl_path(minor)
        kapi = h.kapi_bin()
        for i in range(5):
            subprocess.run([kubectl, "-n", "kube-system", "run", "p%d" % i, "--image=nginx"], env=env,
                           capture_output=True, check=True)
        args = ["get", "pods", "-n", "kube-system"]
        timed([kubectl] + args, env, 2)  # warm both discovery caches
        timed([kapi] + args, env, 2)
        k = timed([kubectl] + args, env, runs)
        a = timed([kapi] + args, env, runs)
        print("kubectl.%s_get_pods_median_ms %.1f" % (minor, k))
        print("kapi_get_pods_median_ms %.1f" % a)
        print("ratio_kapi_to_kubectl_get %.3f (goal <= 0.20)" % (a / k))
        # apply -f of a 3-object file, steady state (each run re-applies: unchanged)
        path = os.path.join(srv.tmp, "three.yaml")
        with open(path, "w") as f:
            f.write(THREE)
        apply = ["apply", "-f", path]
        timed([kubectl] + apply, env, 2)
        timed([kapi] + apply, env, 2)
        k = timed([kubectl] + apply, env, runs)
        a = timed([kapi] + apply, env, runs)
        print("kubectl.%s_apply_3_objects_median_ms %.1f" % (minor, k))
        print("kapi_apply_3_objects_median_ms %.1f" % a)
        print("ratio_kapi_to_kubectl_apply %.3f (goal <= 0.20)" % (a / k))
    finally:
        srv.cleanup()


if __name__ == "__main__":
    main()
