// `kapi serve` / `kube-apiserver`: flags -> PKI -> store -> HTTP server, until SIGTERM.
#include <csignal>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include "pkg/kubeconfig/admin.h"
#include "pkg/kubeconfig/writer.h"
#include "pkg/machinery/duration.h"
#include "pkg/tls/cidr.h"
#include "pkg/tls/file_util.h"
#include "pkg/tls/pki_bootstrap.h"
#include "server/api_server.h"
#include "server/bootstrap.h"
#include "server/flags.h"
#include "server/metrics.h"
#include "server/http/http.h"
#include "server/registry/storage_migration.h"
#include "server/registry/store.h"
#include "server/registry/watch_stream.h"
#include "server/storage/storage.h"
#include "server/storage_metrics.h"
#include "server/service_account_token.h"
#include "server/token_file.h"

namespace kapi {

namespace {

std::atomic<bool> g_term{false};

void on_signal(int) { g_term = true; }

int fail(const std::string& msg) {
  std::fprintf(stderr, "Error: %s\n", msg.c_str());
  return 1;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

bool readable(const std::string& path) { return access(path.c_str(), R_OK) == 0; }

}  // namespace

int serve_main(int argc, char** argv) {
  server::FlagSet flags;
  std::string err;
  if (!server::parse_serve_flags(argc, argv, flags, err)) return fail(err);
  if (flags.has("help")) {
    std::cout << server::serve_usage();
    return 0;
  }
  int verbosity = std::atoi(flags.get("v", "0").c_str());
  // Validate before touching anything.
  int port = 6443;
  {
    std::string p = flags.get("secure-port", "6443");
    char* end = nullptr;
    long v = std::strtol(p.c_str(), &end, 10);
    if (p.empty() || *end || v < 0 || v > 65535)
      return fail("invalid argument \"" + p + "\" for \"--secure-port\" flag: port " + p + " must be between 0 and 65535, inclusive");
    port = static_cast<int>(v);
  }
  if (flags.has("insecure-port") && flags.get("insecure-port") != "0")
    return fail("--insecure-port must be 0: the insecure port is not supported (kube-apiserver removed it in 1.24)");
  std::string cidr = flags.get("service-cluster-ip-range", "10.0.0.0/24");
  auto first_ip = tls::first_ip_of_cidr(cidr.substr(0, cidr.find(',')));
  if (!first_ip.ok())
    return fail("invalid argument \"" + cidr + "\" for \"--service-cluster-ip-range\" flag: " + first_ip.error().message);
  for (const char* f : {"tls-cert-file", "tls-private-key-file", "client-ca-file", "requestheader-client-ca-file",
                        "service-account-key-file", "service-account-signing-key-file"}) {
    if (flags.has(f) && !readable(flags.get(f)))
      return fail("unable to read --" + std::string(f) + " " + flags.get(f) + ": " + strerror(errno));
  }
  std::string bind = flags.get("bind-address", "0.0.0.0");
  if (!tls::is_ip(bind)) return fail("invalid argument \"" + bind + "\" for \"--bind-address\" flag: invalid IP address");
  std::string advertise = flags.get("advertise-address", "");
  if (!advertise.empty() && !tls::is_ip(advertise))
    return fail("invalid argument \"" + advertise + "\" for \"--advertise-address\" flag: invalid IP address");
  std::string backend = flags.get("storage-backend", flags.has("etcd-servers") ? "etcd3" : "embedded");
  if (backend != "embedded" && backend != "etcd3")
    return fail("--storage-backend: unsupported value \"" + backend + "\" (embedded or etcd3)");
  if (backend == "etcd3")
    return fail("the etcd3 storage backend is not built into this kapi yet; use --storage-backend=embedded");
  auto compaction = machinery::parse_go_duration(flags.get("etcd-compaction-interval", "5m0s"));
  if (!compaction.ok())
    return fail("invalid argument \"" + flags.get("etcd-compaction-interval") +
                "\" for \"--etcd-compaction-interval\" flag: " + compaction.error());
  std::shared_ptr<const server::TokenFile> tokens;
  if (flags.has("token-auth-file")) {
    auto tf = server::TokenFile::load(flags.get("token-auth-file"));
    if (!tf.ok()) return fail(tf.error());
    tokens = std::make_shared<const server::TokenFile>(std::move(tf.value()));
  }
  std::string data_dir = flags.get("data-dir", "./kapi-data");
  mkdir(data_dir.c_str(), 0700);

  // TLS: given certificates, or a PKI kapi makes for itself under DATA/pki.
  std::string cert_file = flags.get("tls-cert-file"), key_file = flags.get("tls-private-key-file");
  std::string client_ca = flags.get("client-ca-file");
  std::string ca_pem;
  // Service-account tokens: the flags, else the key pair of the self-bootstrapped PKI with
  // kubeadm's issuer.
  server::ServiceAccountTokenOptions sao;
  std::string sa_signing_key_file = flags.get("service-account-signing-key-file");
  std::vector<std::string> sa_key_files;
  for (const auto& f : split_commas(flags.get("service-account-key-file"))) sa_key_files.push_back(f);
  if (flags.has("service-account-issuer")) sao.issuers.push_back(flags.get("service-account-issuer"));
  sao.api_audiences = split_commas(flags.get("api-audiences"));
  if (flags.has("service-account-max-token-expiration")) {
    auto d = machinery::parse_go_duration(flags.get("service-account-max-token-expiration"));
    if (!d.ok())
      return fail("invalid argument \"" + flags.get("service-account-max-token-expiration") +
                  "\" for \"--service-account-max-token-expiration\" flag: " + d.error());
    sao.max_expiration_seconds = std::chrono::duration_cast<std::chrono::seconds>(*d).count();
  }
  std::string server_host = bind == "0.0.0.0" || bind == "::" ? "127.0.0.1" : bind;
  if (cert_file.empty()) {
    tls::PkiOptions po;
    po.service_cidr = cidr;
    if (!advertise.empty()) po.advertise_addresses.push_back(advertise);
    po.bind_address = bind;
    auto pki = tls::ensure_server_pki(data_dir + "/pki", po);
    if (!pki.ok()) return fail("cannot create the PKI under " + data_dir + "/pki: " + pki.error().message);
    cert_file = pki->apiserver_cert_file;
    key_file = pki->apiserver_key_file;
    if (client_ca.empty()) client_ca = pki->ca_cert_file;
    ca_pem = pki->ca_cert_pem;
    if (sa_signing_key_file.empty()) sa_signing_key_file = pki->sa_key_file;
    if (sa_key_files.empty()) sa_key_files.push_back(pki->sa_pub_file);
    if (sao.issuers.empty()) sao.issuers.push_back("https://kubernetes.default.svc.cluster.local");
    std::string url = "https://" + server_host + ":" + std::to_string(port);
    auto st = kubeconfig::write_file(
        data_dir + "/admin.kubeconfig",
        kubeconfig::make_admin_kubeconfig(url, pki->ca_cert_pem, pki->admin_cert_pem, pki->admin_key_pem));
    if (!st.ok()) return fail("cannot write " + data_dir + "/admin.kubeconfig: " + st.error().message);
  } else if (!client_ca.empty()) {
    ca_pem = read_file(client_ca);
  }

  auto db = storage::open_sqlite(data_dir);
  if (!db.ok()) return fail("cannot open the embedded store in " + data_dir + ": " + db.error().message);
  auto metrics = std::make_shared<server::Metrics>();
  auto cache = storage::new_watch_cache(server::instrument_backend(std::move(db.value()), *metrics));
  metrics->set_object_counter([c = cache.get()] {
    std::vector<std::pair<std::string, int64_t>> out;
    for (const auto& r : server::all_resources()) {
      if (!r.stored()) continue;
      storage::ListOptions lo;
      lo.prefix = r.storage_prefix;
      lo.limit = 1;
      auto l = c->list(lo);
      out.emplace_back(r.group.empty() ? r.resource : r.resource + "." + r.group,
                       l.ok() ? static_cast<int64_t>(l->items.size()) + l->remaining : -1);
    }
    return out;
  });
  // As kube-apiserver's --etcd-compaction-interval (0 disables): history older than one interval
  // is dropped, so the store does not grow without bound.
  std::unique_ptr<storage::Compactor> compactor;
  if (compaction->count() > 0)
    compactor = storage::start_compactor(cache->backend(), std::chrono::duration_cast<std::chrono::milliseconds>(*compaction));

  std::shared_ptr<const server::ServiceAccountTokens> sa_tokens;
  if (!sao.issuers.empty() && !sa_signing_key_file.empty()) {
    sao.signing_key_pem = read_file(sa_signing_key_file);
    for (const auto& f : sa_key_files) sao.verification_keys_pem += read_file(f) + "\n";
    std::string sa_err;
    sa_tokens = server::ServiceAccountTokens::create(std::move(sao), sa_err);
    if (!sa_tokens) return fail("invalid service account key files: " + sa_err);
  }

  server::StoreOptions so;
  so.sa_tokens = sa_tokens;
  so.service_cidr = cidr.substr(0, cidr.find(','));
  so.node_port_range = flags.get("service-node-port-range", "30000-32767");
  server::Store store(*cache, so);

  server::ApiServerOptions ao;
  ao.client_ca_file = client_ca;
  ao.tokens = tokens;
  ao.anonymous_auth = flags.get("anonymous-auth", "true") != "false";
  ao.server_address = (advertise.empty() ? server_host : advertise) + ":" + std::to_string(port);
  ao.verbosity = verbosity;
  ao.metrics = metrics;
  ao.sa_tokens = sa_tokens;
  server::ApiServer api(ao, store);

  server::HttpServerOptions ho;
  ho.bind_address = bind;
  ho.port = port;
  ho.cert_file = cert_file;
  ho.key_file = key_file;
  ho.client_ca_file = client_ca;
  auto http = server::new_http_server(ho, [&api](const server::HttpRequest& req, server::HttpResponse& out) {
    api.handle(req, out);
  });
  if (!http->bind(&err)) return fail(err);

  server::BootstrapOptions bo;
  bo.ca_pem = ca_pem;
  bo.client_ca_pem = ca_pem;
  bo.requestheader_ca_pem = flags.has("requestheader-client-ca-file") ? read_file(flags.get("requestheader-client-ca-file")) : "";
  bo.kubernetes_service_ip = first_ip.value();
  bo.advertise_address = advertise;
  bo.secure_port = port;
  server::migrate_events_v1_storage(cache->backend());
  server::bootstrap_objects(store, bo);
  server::Controllers controllers(store, bo);

  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  std::thread serving([&http] { http->serve(); });
  api.set_ready(true);
  std::fprintf(stderr, "kapi serving on https://%s:%d (data in %s)\n", bind.c_str(), http->port(), data_dir.c_str());
  while (!g_term) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // Graceful shutdown: readyz fails, new requests refused, watches closed, store flushed.
  api.set_shutting_down();
  server::stop_all_watch_streams();
  cache->shutdown();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  http->stop();
  serving.join();
  controllers.stop();
  if (compactor) compactor->stop();
  return 0;
}

}  // namespace kapi
