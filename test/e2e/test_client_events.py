#!/usr/bin/env python3
"""kapi client mode `events` (kubectl pkg/cmd/events) against real kubectl 1.33.

The events carry fixed timestamps years back, so LAST SEEN ("2y330d", "2y270d (x7 over 2y330d)")
is the same for both tools (and only kubectl's row shape is pinned, as the ages grow). Each step runs with kubectl.1.33 and with `$KAPI_BIN` (as argv[0]
"kubectl") against one `kapi serve`; stdout, stderr and exit codes must match byte for byte.

Usage: KAPI_BIN=build/kapi python3 test/e2e/test_client_events.py [name-filter]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402


def event(name, kind, obj, reason, message, etype, first, last, count=None, ns=None, api_version=None):
    inv = "  kind: %s\n  name: %s\n" % (kind, obj) + ("  namespace: %s\n" % ns if ns else "")
    if api_version:
        inv += "  apiVersion: %s\n" % api_version
    meta = "  name: %s\n" % name + ("  namespace: %s\n" % ns if ns else "")
    text = ("apiVersion: v1\nkind: Event\nmetadata:\n%sinvolvedObject:\n%sreason: %s\nmessage: %s\ntype: %s\n"
            "firstTimestamp: \"%s\"\nlastTimestamp: \"%s\"\nsource:\n  component: kubelet\n"
            % (meta, inv, reason, message, etype, first, last))
    if count:
        text += "count: %d\n" % count
    return text + "---\n"


EVENTS = (event("e1", "Pod", "px", "Scheduled", '"  Successfully assigned default/px to n1  "', "Normal",
                "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", 1, api_version="v1")
          + event("e2", "Pod", "px", "BackOff", '"Back-off restarting\\nfailed container"', "Warning",
                  "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z", 7, api_version="v1")
          + event("e3", "Node", "n1", "NodeReady", '"Node n1 status is now: NodeReady"', "Normal",
                  "2023-06-01T00:00:00Z", "2023-06-01T00:00:00Z")
          + event("e4", "Node", "n1", "NodeReady", '"Node n1 status is now: NodeReady"', "Normal",
                  "2023-06-01T00:00:00Z", "2023-06-01T00:00:00Z", ns="other")
          + event("e5", "Deployment", "web", "ScalingReplicaSet", '"Scaled up replica set web-1 to 2"', "Normal",
                  "2024-05-01T00:00:00Z", "2024-05-01T00:00:00Z", api_version="apps/v1"))


def test_events():
    h.ok("create", "namespace", "other")
    h.ok("create", "namespace", "empty")
    h.ok("create", "-f", h.write_file("events.yaml", EVENTS))
    h.compare([
        ("events",),
        ("events", "-A"),
        ("events", "--for", "pod/px"),
        ("events", "--for", "deploy/web"),
        ("events", "--for", "node/n1", "-A"),
        ("events", "--types=warning"),
        ("events", "--types=Normal,Warning", "--no-headers"),
        ("events", "-n", "other"),
        ("events", "-n", "empty"),
        ("events", "-A", "--types=Warning", "--for", "pod/nope"),
        ("events", "-o", "json", "--for", "pod/px"),
        ("events", "-o", "yaml", "-n", "other"),
        ("events", "-o", "name"),
        ("events", "-o", "jsonpath={.items[*].reason}"),
        ("events", "-o", "wide"),
        ("events", "--for", "foo/x"),
        ("events", "--for", "x"),
        ("events", "--for", "a/b/c"),
        ("events", "--types=bad"),
        ("events", "-h"),
    ], expect={
        8: (0, ""),
        12: (0, ""),
    })
    rc, out, _ = h.kubectl("events", "--no-headers", "--types=Warning")
    h.check(rc == 0 and " (x7 over " in out and "Warning   BackOff   Pod/px   Back-off restarting\nfailed container" in out,
            "kubectl's own events row: %r" % out)
    h.eq(h.kubectl("events", "-n", "empty")[2], "No events found in empty namespace.\n", "kubectl events, none")


if __name__ == "__main__":
    h.main(globals())
