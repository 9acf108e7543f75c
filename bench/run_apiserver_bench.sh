#!/usr/bin/env bash
# Drives a fresh `kapi serve` and, in the same run, a real etcd (Debian etcd-server, default
# durable settings) with the same pod JSON and concurrency. Loopback only; stops by itself.
#   bench/run_apiserver_bench.sh [concurrency] [creates] [list-pods] [watchers]
set -euo pipefail
cd "$(dirname "$0")/.."
C=${1:-16}; N=${2:-5000}; L=${3:-10000}; W=${4:-200}
BIN=${KAPI_BIN:-build/kapi}; GEN=${GEN:-build/apiserver_load_bench}
tmp=$(mktemp -d /tmp/kapi-bench.XXXXXX)
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
kport=$(free_port); eport=$(free_port); epeer=$(free_port)
"$BIN" serve --data-dir "$tmp/kapi" --bind-address 127.0.0.1 --secure-port "$kport" >"$tmp/kapi.log" 2>&1 &
kpid=$!
etcd --data-dir "$tmp/etcd" --listen-client-urls "http://127.0.0.1:$eport" --advertise-client-urls "http://127.0.0.1:$eport" \
     --listen-peer-urls "http://127.0.0.1:$epeer" --initial-advertise-peer-urls "http://127.0.0.1:$epeer" \
     --initial-cluster "default=http://127.0.0.1:$epeer" >"$tmp/etcd.log" 2>&1 &
epid=$!
trap 'rc=$?; kill $kpid $epid 2>/dev/null; wait $kpid $epid 2>/dev/null; rm -rf "$tmp"; exit $rc' EXIT
for _ in $(seq 100); do [ -s "$tmp/kapi/pki/admin.crt" ] && curl -sk "https://127.0.0.1:$kport/readyz" | grep -q ok && break; sleep 0.1; done
for _ in $(seq 100); do curl -s "http://127.0.0.1:$eport/health" | grep -q true && break; sleep 0.1; done
sleep 0.5
echo "rss_at_ready_kb $(awk '/VmRSS/{print $2}' /proc/$kpid/status)"
timeout 600 "$GEN" --server "https://127.0.0.1:$kport" --cert "$tmp/kapi/pki/admin.crt" --key "$tmp/kapi/pki/admin.key" \
  --ca "$tmp/kapi/pki/ca.crt" --etcd "http://127.0.0.1:$eport" --concurrency "$C" --creates "$N" \
  --list-pods "$L" --watchers "$W" --pid "$kpid"
