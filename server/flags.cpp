#include "server/flags.h"

#include <set>

namespace kapi::server {
namespace {

// Boolean flags (may be given without a value).
const std::set<std::string>& bool_flags() {
  static const std::set<std::string> s = {
      "allow-privileged", "anonymous-auth", "enable-bootstrap-token-auth", "enable-aggregator-routing",
      "enable-garbage-collector", "enable-logs-handler", "enable-priority-and-fairness",
      "endpoint-reconciler-type-enabled", "event-ttl-enabled", "profiling", "contention-profiling",
      "service-account-lookup", "service-account-extend-token-expiration", "watch-cache",
      "kubelet-https", "logtostderr", "alsologtostderr", "help", "version", "strict-transport-security-directives-enabled",
      "storage-media-type-enabled", "delete-collection-workers-enabled", "enable-admission-plugins-enabled",
      "permit-port-sharing", "permit-address-sharing", "audit-log-compress", "experimental-logging-sanitization",
      "enable-aggregator-routing", "request-timeout-enabled", "cloud-provider-gce-lb-src-cidrs-enabled",
      "encryption-provider-config-automatic-reload", "goaway-chance-enabled", "disable-http2-serving",
      "lease-reuse-duration-seconds-enabled", "skip-headers", "skip-log-headers", "one-output",
      "authorization-always-allow-paths-enabled", "requestheader-allowed-names-enabled",
      "service-account-jwks-uri-enabled", "token-auth-file-enabled", "etcd-healthcheck-timeout-enabled",
      "emulated-version-enabled", "enable-contention-profiling"};
  return s;
}

const std::set<std::string>& value_flags() {
  static const std::set<std::string> s = {
      // kapi
      "data-dir", "storage-backend",
      // serving and TLS
      "advertise-address", "bind-address", "secure-port", "insecure-port", "insecure-bind-address",
      "tls-cert-file", "tls-private-key-file", "tls-cipher-suites", "tls-min-version", "tls-sni-cert-key",
      "cert-dir", "http2-max-streams-per-connection", "shutdown-delay-duration", "shutdown-send-retry-after",
      "shutdown-watch-termination-grace-period", "livez-grace-period", "external-hostname",
      // authn
      "client-ca-file", "oidc-issuer-url", "oidc-client-id", "oidc-ca-file", "oidc-username-claim",
      "oidc-username-prefix", "oidc-groups-claim", "oidc-groups-prefix", "oidc-required-claim",
      "oidc-signing-algs", "token-auth-file", "authentication-token-webhook-config-file",
      "authentication-token-webhook-cache-ttl", "authentication-token-webhook-version", "authentication-config",
      "requestheader-allowed-names", "requestheader-client-ca-file", "requestheader-extra-headers-prefix",
      "requestheader-group-headers", "requestheader-username-headers", "requestheader-uid-headers",
      "service-account-key-file", "service-account-signing-key-file", "service-account-issuer",
      "service-account-jwks-uri", "service-account-max-token-expiration", "api-audiences",
      "proxy-client-cert-file", "proxy-client-key-file",
      // authz
      "authorization-mode", "authorization-policy-file", "authorization-webhook-config-file",
      "authorization-webhook-cache-authorized-ttl", "authorization-webhook-cache-unauthorized-ttl",
      "authorization-webhook-version", "authorization-config",
      // admission
      "enable-admission-plugins", "disable-admission-plugins", "admission-control", "admission-control-config-file",
      // etcd and storage
      "etcd-servers", "etcd-servers-overrides", "etcd-cafile", "etcd-certfile", "etcd-keyfile", "etcd-prefix",
      "etcd-compaction-interval", "etcd-count-metric-poll-period", "etcd-db-metric-poll-interval",
      "etcd-healthcheck-timeout", "etcd-readycheck-timeout", "etcd-snapshot-count", "storage-media-type",
      "default-watch-cache-size", "watch-cache-sizes", "delete-collection-workers", "encryption-provider-config",
      "lease-reuse-duration-seconds",
      // api
      "service-cluster-ip-range", "service-node-port-range", "service-account-lookup-mode",
      "kubelet-client-certificate", "kubelet-client-key", "kubelet-certificate-authority",
      "kubelet-preferred-address-types", "kubelet-timeout", "kubelet-port", "kubelet-read-only-port",
      "runtime-config", "feature-gates", "max-requests-inflight", "max-mutating-requests-inflight",
      "min-request-timeout", "request-timeout", "max-connection-bytes-per-sec", "event-ttl",
      "endpoint-reconciler-type", "apiserver-count", "cors-allowed-origins", "target-ram-mb",
      "default-not-ready-toleration-seconds", "default-unreachable-toleration-seconds",
      "audit-log-path", "audit-log-maxage", "audit-log-maxbackup", "audit-log-maxsize", "audit-policy-file",
      "audit-log-format", "audit-log-mode", "audit-webhook-config-file", "audit-webhook-mode",
      "audit-log-batch-max-size", "audit-log-truncate-enabled", "profiling-path",
      "cloud-provider", "cloud-config", "master-service-namespace", "goaway-chance", "egress-selector-config-file",
      "aggregator-reject-forwarding-redirect", "strict-transport-security-directives", "log-dir", "log-file",
      "log-file-max-size", "log-flush-frequency", "logging-format", "stderrthreshold", "vmodule",
      "show-hidden-metrics-for-version", "allow-metric-labels", "disabled-metrics", "tracing-config-file",
      "peer-advertise-ip", "peer-advertise-port", "peer-ca-file", "emulated-version", "storage-initialization-timeout",
      "authorization-always-allow-paths", "v", "kubeconfig"};
  return s;
}

}  // namespace

bool parse_serve_flags(int argc, char** argv, FlagSet& out, std::string& error) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "serve") continue;
    if (a.size() < 2 || a[0] != '-') {
      error = "unexpected argument \"" + a + "\"";
      return false;
    }
    std::string body = a[1] == '-' ? a.substr(2) : a.substr(1);
    std::string name = body, value;
    bool has_value = false;
    if (auto eq = body.find('='); eq != std::string::npos) {
      name = body.substr(0, eq);
      value = body.substr(eq + 1);
      has_value = true;
    }
    if (a[1] != '-' && name != "v" && name != "h") {
      // -v2 style
      if (name.size() > 1 && name[0] == 'v' && isdigit(static_cast<unsigned char>(name[1]))) {
        out.values["v"] = name.substr(1);
        continue;
      }
      error = "unknown shorthand flag: '" + name.substr(0, 1) + "' in " + a;
      return false;
    }
    if (name == "h" || name == "help") {
      out.values["help"] = "true";
      continue;
    }
    if (bool_flags().count(name)) {
      out.values[name] = has_value ? value : "true";
      continue;
    }
    if (!value_flags().count(name)) {
      error = "unknown flag: --" + name;
      return false;
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        error = "flag needs an argument: --" + name;
        return false;
      }
      value = argv[++i];
    }
    out.values[name] = value;
  }
  return true;
}

std::string serve_usage() {
  return "The Kubernetes API server validates and configures data for the api objects which\n"
         "include pods, services, replicationcontrollers, and others. kapi serve is a drop-in\n"
         "kube-apiserver with an embedded durable store.\n\n"
         "Usage:\n  kapi serve [flags]\n\n"
         "Selected flags (every kube-apiserver 1.19-1.33 flag is accepted):\n"
         "      --data-dir string                  Directory of the embedded store and self-made PKI (default \"./kapi-data\")\n"
         "      --storage-backend string           embedded (default without --etcd-servers) or etcd3\n"
         "      --bind-address ip                  The IP address on which to listen (default 0.0.0.0)\n"
         "      --secure-port int                  The port on which to serve HTTPS (default 6443)\n"
         "      --advertise-address ip             The IP address on which to advertise the apiserver\n"
         "      --service-cluster-ip-range string  CIDR for service cluster IPs (default 10.0.0.0/24)\n"
         "      --service-node-port-range string   Port range for NodePort services (default 30000-32767)\n"
         "      --tls-cert-file, --tls-private-key-file, --client-ca-file string\n"
         "      --anonymous-auth                   Allow anonymous requests (default true)\n"
         "      --token-auth-file string           CSV of bearer tokens: token,user,uid,\"group1,group2\"\n"
         "      --etcd-compaction-interval duration  (default 5m0s)\n"
         "  -v, --v Level                          number for the log level verbosity\n";
}

}  // namespace kapi::server
