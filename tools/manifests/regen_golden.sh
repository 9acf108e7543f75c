#!/usr/bin/env bash
# Regenerates testdata/manifests/golden/NAME.{yaml,json} with REAL kubectl 1.33: every golden is
# printed by kubectl's typed code paths (Go structs from k8s.io/api, encoding/json, sigs.k8s.io/yaml),
# never by kapi. testdata/manifests/README.md explains why each path is a pure typed round trip.
#
# `auth reconcile` and `create role` need an API server (a GET that answers 404, discovery for
# the REST mapper); a throwaway `kapi serve` provides that and nothing else: the objects printed
# are built by kubectl from the input files. Hand-verified goldens (kinds with no typed kubectl
# path, see README) are left untouched.
#
# Usage: tools/manifests/regen_golden.sh   (from anywhere; KUBECTL, KAPI_BIN override the tools)
set -euo pipefail
cd "$(dirname "$0")/../.."
K=${KUBECTL:-/usr/lib/google-cloud-sdk/bin/kubectl.1.33}
KAPI=${KAPI_BIN:-build/kapi}
M=testdata/manifests
G=$M/golden
F=$M/files

tmp=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$KAPI" serve --data-dir "$tmp" --bind-address 127.0.0.1 --secure-port "$port" >"$tmp/serve.log" 2>&1 &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null; wait $serve_pid 2>/dev/null; rm -rf "$tmp"' EXIT
export KUBECONFIG=$tmp/admin.kubeconfig
for _ in $(seq 100); do
  [ -f "$KUBECONFIG" ] && "$K" get --raw /readyz >/dev/null 2>&1 && break
  sleep 0.1
done

# run NAME ARGS...: kubectl ARGS -o yaml / -o json into the goldens (stderr, e.g. reconcile's
# report, is not part of them).
run() {
  local name=$1; shift
  "$K" "$@" -o yaml >"$G/$name.yaml" 2>"$tmp/stderr" || { cat "$tmp/stderr"; exit 1; }
  "$K" "$@" -o json >"$G/$name.json" 2>"$tmp/stderr" || { cat "$tmp/stderr"; exit 1; }
}
# The manifest's own service account (or "" when it sets none): the typed object is re-printed
# unchanged (set serviceaccount never skips printing an unchanged object).
set_sa() { run "$1" set serviceaccount --local -f "$M/$1.yaml" "$2"; }
# The Service's own selector, the same way.
set_selector() { run "$1" set selector --local -f "$M/$1.yaml" "$2"; }
# RBAC objects that do not exist yet: reconcile prints the input objects as it would create them.
reconcile() { run "$1" auth reconcile --dry-run=client -f "$M/$1.yaml"; }
# Generators: the manifest is a hand-written equivalent of the generated object.
create() { local name=$1; shift; run "$name" create "$@" --dry-run=client; }

set_sa deployment-web-probes web
set_sa deployment-volumes reloader
set_sa deployment-affinity api
set_sa deployment-security worker
set_sa statefulset-postgres postgres
set_sa statefulset-minimal zk
set_sa daemonset-node-exporter node-exporter
set_sa daemonset-ondelete kube-proxy
set_sa job-pi batch-runner
set_sa job-suspended batch-runner
set_sa cronjob-backup backup
set_sa cronjob-minimal ""
set_sa pod-static ""
set_sa pod-debug default
set_sa pod-sidecar app
set_sa replicaset frontend
set_sa replicationcontroller nginx
set_sa workloads-multidoc cache
set_sa deployment-anchors anchors
set_sa pod-status web
set_sa pod-strings strings

set_selector service-clusterip app.kubernetes.io/name=web
set_selector service-nodeport app=ingress-nginx,component=controller
set_selector service-loadbalancer app=public-api
set_selector service-headless app=postgres
set_selector service-externalname ""
set_selector services-multidoc app=backend

reconcile rbac-monitoring
reconcile rbac-aggregated
reconcile rbac-namespaced

create configmap-app configmap app-config -n shop --from-literal=LOG_LEVEL=debug --from-literal=empty= \
  --from-file=$F/app.properties --from-file=$F/logo.bin
create secret-opaque secret generic db -n db --type=Opaque --from-literal=username=admin \
  --from-literal='password=s3cr3t!'
create secret-dockerconfig secret docker-registry regcred --docker-server=registry.example.com \
  --docker-username=bot --docker-password=pa55 --docker-email=bot@example.com
create secret-tls secret tls web-tls -n shop --cert=$F/tls.crt --key=$F/tls.key
create serviceaccount serviceaccount builder -n ci
create pdb-min-available poddisruptionbudget web -n shop --selector=app=web --min-available=50%
create pdb-max-unavailable poddisruptionbudget api --selector=app=api --max-unavailable=1
create priorityclass priorityclass high-priority --value=1000000 --description="for critical api pods" \
  --preemption-policy=Never
create priorityclass-default priorityclass default-pc --value=0 --global-default
create namespace namespace shop
create resourcequota quota compute -n shop --hard=cpu=10,memory=20Gi,pods=50,requests.storage=1Ti \
  --scopes=NotTerminating
create resourcequota-quantities quota quantities --hard=a.cpu=1.5,b.cpu=0.1,c.cpu=1000m,d.cpu=100000000n\
,e.cpu=1.0,f.mem=1.5Gi,g.mem=1024Ki,h.mem=1e3,i.mem=12e6,j.mem=1E9,k.mem=0.5Ki,l.mem=1000Mi,m.mem=2048Mi\
,n.mem=1.5k,o.mem=1500,p.mem=0,q.mem=0Gi,r.mem=+5M,s.mem=1.234567890123m,t.mem=5e-3,u.mem=0.000001\
,v.mem=1u,w.mem=9223372036854775807,x.mem=1Ei,y.mem=100Ti,z.mem=7.5E
create role-generated role pod-reader -n dev --verb=get,list,watch \
  --resource=pods,pods/log,deployments.apps,jobs.batch --resource-name=a
create clusterrole-nonresource clusterrole metrics-reader --verb=get --non-resource-url=/metrics \
  --non-resource-url='/healthz/*'

# Every kubectl golden must be the manifest itself plus Go zero values (see the checker).
python3 tools/manifests/check_typed_roundtrip.py
