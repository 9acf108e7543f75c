#!/usr/bin/env python3
"""The official python client (Debian's python3-kubernetes 22.6) against kapi."""
import os
import sys
import threading
import time

try:
    import kubernetes  # noqa: F401
except ImportError:
    # The python3 on PATH may be a pyenv interpreter that does not see Debian's dist-packages;
    # re-run under the system interpreter, which has python3-kubernetes and its dependencies.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and not os.environ.get("KAPI_E2E_REEXEC"):
        os.environ["KAPI_E2E_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3", os.path.abspath(__file__)] + sys.argv[1:])
    print("FAIL import: the python `kubernetes` package (python3-kubernetes) is not installed")
    print("0 passed, 1 failed")
    sys.exit(1)

from kubernetes import client, config, watch  # noqa: E402
from kubernetes.client.rest import ApiException  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

NS = "pyns"
_api = {}


def api():
    if not _api:
        cfg = client.Configuration()
        config.load_kube_config(config_file=h.server().kubeconfig, client_configuration=cfg)
        c = client.ApiClient(cfg)
        _api.update(core=client.CoreV1Api(c), apps=client.AppsV1Api(c), version=client.VersionApi(c))
    return _api


def pod_body(name, labels=None, image="nginx:1.25"):
    return client.V1Pod(metadata=client.V1ObjectMeta(name=name, labels=labels or {}),
                        spec=client.V1PodSpec(containers=[client.V1Container(name="c", image=image)]))


def expect_api_error(status, reason, fn, *args, **kw):
    try:
        fn(*args, **kw)
    except ApiException as e:
        import json
        h.eq(e.status, status, "HTTP status")
        body = json.loads(e.body)
        h.eq(body.get("reason"), reason, "Status.reason")
        return body
    h.fail("expected ApiException %d %s" % (status, reason))


def test_version():
    v = api()["version"].get_code()
    h.eq(v.git_version, "v1.33.0+kapi", "git_version")
    h.eq((v.major, v.minor), ("1", "33"), "major/minor")


def test_namespace_create():
    core = api()["core"]
    ns = core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=NS)))
    h.eq(ns.metadata.name, NS, "namespace name")
    h.eq(ns.status.phase, "Active", "namespace phase")
    names = [n.metadata.name for n in core.list_namespace().items]
    for n in ("default", "kube-system", NS):
        h.check(n in names, "%s not in list_namespace: %r" % (n, names))


def test_pod_crud():
    core = api()["core"]
    created = core.create_namespaced_pod(NS, pod_body("py-pod", {"app": "py"}))
    h.eq(created.metadata.name, "py-pod", "created name")
    h.eq(created.metadata.namespace, NS, "created namespace")
    h.check(created.metadata.uid and created.metadata.resource_version, "uid/resourceVersion set")
    h.eq(created.status.phase, "Pending", "status.phase")
    got = core.read_namespaced_pod("py-pod", NS)
    h.eq(got.spec.containers[0].image, "nginx:1.25", "image")
    h.eq(got.spec.restart_policy, "Always", "restartPolicy default")
    patched = core.patch_namespaced_pod("py-pod", NS, {"metadata": {"labels": {"extra": "1"}}})
    h.eq(patched.metadata.labels, {"app": "py", "extra": "1"}, "labels after strategic-merge patch")
    patched = core.patch_namespaced_pod("py-pod", NS, [{"op": "add", "path": "/metadata/annotations",
                                                        "value": {"a": "b"}}])
    h.eq(patched.metadata.annotations, {"a": "b"}, "annotations after json patch")
    patched.metadata.labels["replaced"] = "yes"
    replaced = core.replace_namespaced_pod("py-pod", NS, patched)
    h.eq(replaced.metadata.labels.get("replaced"), "yes", "label after replace")
    h.check(int(replaced.metadata.resource_version) > int(created.metadata.resource_version),
            "resourceVersion must grow")
    # replace with the stale resourceVersion -> 409 Conflict
    patched.metadata.labels["again"] = "x"
    body = expect_api_error(409, "Conflict", core.replace_namespaced_pod, "py-pod", NS, patched)
    h.eq(body["message"], 'Operation cannot be fulfilled on pods "py-pod": the object has been modified; '
                          'please apply your changes to the latest version and try again', "Conflict message")
    body = expect_api_error(409, "AlreadyExists", core.create_namespaced_pod, NS, pod_body("py-pod"))
    h.eq(body["message"], 'pods "py-pod" already exists', "AlreadyExists message")
    core.delete_namespaced_pod("py-pod", NS)
    body = expect_api_error(404, "NotFound", core.read_namespaced_pod, "py-pod", NS)
    h.eq(body["message"], 'pods "py-pod" not found', "NotFound message")
    h.eq(body.get("details", {}).get("kind"), "pods", "details.kind")


def test_invalid_pod():
    body = expect_api_error(422, "Invalid", api()["core"].create_namespaced_pod, NS,
                            client.V1Pod(metadata=client.V1ObjectMeta(name="bad"),
                                         spec=client.V1PodSpec(containers=[client.V1Container(name="c")])))
    h.eq(body["message"], 'Pod "bad" is invalid: spec.containers[0].image: Required value', "message")
    h.eq(body["details"]["causes"], [{"reason": "FieldValueRequired", "message": "Required value",
                                      "field": "spec.containers[0].image"}], "details.causes")


def test_deployment_crud():
    apps = api()["apps"]
    dep = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="py-dep", labels={"app": "py-dep"}),
        spec=client.V1DeploymentSpec(
            replicas=1,
            selector=client.V1LabelSelector(match_labels={"app": "py-dep"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "py-dep"}),
                spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="nginx:1.25")]))))
    created = apps.create_namespaced_deployment(NS, dep)
    h.eq(created.spec.replicas, 1, "replicas")
    h.eq(created.spec.strategy.type, "RollingUpdate", "strategy default")
    h.eq(created.metadata.generation, 1, "generation")
    scaled = apps.patch_namespaced_deployment_scale("py-dep", NS, {"spec": {"replicas": 3}})
    h.eq((scaled.kind, scaled.spec.replicas), ("Scale", 3), "Scale answer")
    scale = apps.read_namespaced_deployment_scale("py-dep", NS)
    h.eq(scale.spec.replicas, 3, "read scale")
    got = apps.read_namespaced_deployment("py-dep", NS)
    h.eq(got.spec.replicas, 3, "replicas after scale")
    h.eq(got.metadata.generation, 2, "generation after scale")
    patched = apps.patch_namespaced_deployment(
        "py-dep", NS, {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "nginx:1.26"}]}}}})
    h.eq(patched.spec.template.spec.containers[0].image, "nginx:1.26", "image after patch")
    lst = apps.list_namespaced_deployment(NS)
    h.eq([d.metadata.name for d in lst.items], ["py-dep"], "list deployments")
    apps.delete_namespaced_deployment("py-dep", NS)
    expect_api_error(404, "NotFound", apps.read_namespaced_deployment, "py-dep", NS)


def test_list_label_selector():
    core = api()["core"]
    for name, tier in (("sel-1", "front"), ("sel-2", "back"), ("sel-3", "front")):
        core.create_namespaced_pod(NS, pod_body(name, {"tier": tier, "group": "sel"}))
    names = sorted(p.metadata.name for p in core.list_namespaced_pod(NS, label_selector="tier=front").items)
    h.eq(names, ["sel-1", "sel-3"], "tier=front")
    names = sorted(p.metadata.name for p in core.list_namespaced_pod(NS, label_selector="tier in (back)").items)
    h.eq(names, ["sel-2"], "tier in (back)")
    names = sorted(p.metadata.name for p in core.list_namespaced_pod(NS, label_selector="group=sel,tier!=front").items)
    h.eq(names, ["sel-2"], "group=sel,tier!=front")
    names = sorted(p.metadata.name for p in core.list_namespaced_pod(NS, field_selector="metadata.name=sel-3").items)
    h.eq(names, ["sel-3"], "field_selector metadata.name=sel-3")
    allp = core.list_pod_for_all_namespaces(label_selector="group=sel")
    h.eq(sorted(p.metadata.name for p in allp.items), ["sel-1", "sel-2", "sel-3"], "all namespaces")
    first = core.list_namespaced_pod(NS, label_selector="group=sel", limit=2)
    h.eq(len(first.items), 2, "limit=2 items")
    h.check(first.metadata._continue, "limit=2 must return a continue token")
    rest = core.list_namespaced_pod(NS, label_selector="group=sel", limit=2, _continue=first.metadata._continue)
    h.eq(sorted(p.metadata.name for p in first.items + rest.items), ["sel-1", "sel-2", "sel-3"], "paged list")
    h.check(not rest.metadata._continue, "last page has no continue token")
    core.delete_collection_namespaced_pod(NS, label_selector="group=sel")
    h.eq(core.list_namespaced_pod(NS, label_selector="group=sel").items, [], "after delete_collection")


def test_watch_sees_added():
    core = api()["core"]
    errors = []

    def creator():
        try:
            time.sleep(1.0)
            core.create_namespaced_pod(NS, pod_body("watched", {"w": "1"}))
        except Exception as e:  # reported below
            errors.append(e)

    t = threading.Thread(target=creator)
    w = watch.Watch()
    seen = []
    t0 = time.time()
    t.start()
    for ev in w.stream(core.list_namespaced_pod, NS, timeout_seconds=5):
        seen.append((ev["type"], ev["object"].metadata.name))
        if ("ADDED", "watched") in seen:
            w.stop()
    t.join()
    h.check(not errors, "creating the pod failed: %r" % errors)
    h.check(("ADDED", "watched") in seen, "no ADDED event for the pod created after the watch started: %r" % seen)
    h.check(time.time() - t0 < 5.5, "the watch did not deliver the event promptly")


def test_watch_modified_deleted_and_timeout():
    core = api()["core"]
    rv = core.list_namespaced_pod(NS).metadata.resource_version

    def mutate():
        time.sleep(0.5)
        core.patch_namespaced_pod("watched", NS, {"metadata": {"labels": {"w": "2"}}})
        core.delete_namespaced_pod("watched", NS)

    t = threading.Thread(target=mutate)
    t.start()
    seen = []
    t0 = time.time()
    for ev in watch.Watch().stream(core.list_namespaced_pod, NS, resource_version=rv, timeout_seconds=3):
        seen.append((ev["type"], ev["object"].metadata.name))
    t.join()
    elapsed = time.time() - t0
    h.eq(seen, [("MODIFIED", "watched"), ("DELETED", "watched")], "events from the list resourceVersion")
    h.check(2.5 < elapsed < 6, "the server should end the watch after timeoutSeconds=3 (took %.1fs)" % elapsed)


def test_namespace_delete():
    core = api()["core"]
    core.delete_namespace(NS)

    def gone():
        try:
            core.read_namespace(NS)
            return False
        except ApiException as e:
            return e.status == 404
    h.wait_until(gone, 10, 0.3, what="namespace %s to be deleted" % NS)


if __name__ == "__main__":
    h.main(globals(), need_kubectl=False)
