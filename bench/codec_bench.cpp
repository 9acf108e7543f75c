// Decode + validate + encode of a ~1.5 KB pod through the typed codec (issue 3's figure).
//   build/codec_bench [--benchmark_min_time=1]
#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "pkg/runtime/json_codec.h"
#include "pkg/runtime/schema.h"
#include "server/registry/resource.h"
#include "server/registry/strategy.h"

namespace {

const char* kPod = R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-7d9c5","namespace":"prod",
"labels":{"app":"web","tier":"frontend","version":"v1.2.3"},"annotations":{"prometheus.io/scrape":"true","prometheus.io/port":"9102"}},
"spec":{"containers":[{"name":"web","image":"registry.example.com/web:1.2.3","ports":[{"name":"http","containerPort":8080}],
"env":[{"name":"MODE","value":"production"},{"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
"resources":{"requests":{"cpu":"250m","memory":"256Mi"},"limits":{"cpu":"1","memory":"512Mi"}},
"livenessProbe":{"httpGet":{"path":"/healthz","port":8080},"initialDelaySeconds":10},
"readinessProbe":{"httpGet":{"path":"/ready","port":"http"}},
"volumeMounts":[{"name":"config","mountPath":"/etc/web","readOnly":true},{"name":"cache","mountPath":"/var/cache/web"}]},
{"name":"sidecar","image":"registry.example.com/proxy:2.0","args":["--port=9102","--upstream=127.0.0.1:8080"]}],
"volumes":[{"name":"config","configMap":{"name":"web-config"}},{"name":"cache","emptyDir":{}}],
"nodeSelector":{"kubernetes.io/os":"linux"},"tolerations":[{"key":"dedicated","operator":"Equal","value":"web","effect":"NoSchedule"}],
"affinity":{"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":100,"podAffinityTerm":
{"labelSelector":{"matchLabels":{"app":"web"}},"topologyKey":"kubernetes.io/hostname"}}]}}}})";

void BM_PodDecodeValidateEncode(benchmark::State& state) {
  using namespace kapi;
  const auto* type = runtime::Schema::get().find("io.k8s.api.core.v1.Pod");
  const auto& strategy = server::strategy_for(*server::find_resource("", "v1", "pods"));
  std::string body = kPod;
  size_t bytes = 0;
  for (auto _ : state) {
    runtime::DecodeResult dr;
    runtime::Json raw;
    runtime::parse_json(body, raw, dr);
    runtime::Json obj = runtime::normalize(std::move(raw), *type, dr);
    strategy.apply_defaults(obj);
    auto causes = strategy.validate(obj);
    std::string out = runtime::encode_json(obj);
    bytes = out.size();
    benchmark::DoNotOptimize(causes);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["encoded_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_PodDecodeValidateEncode);

}  // namespace


namespace {
void BM_ParseOnly(benchmark::State& state) {
  for (auto _ : state) {
    kapi::runtime::DecodeResult dr;
    kapi::runtime::Json raw;
    kapi::runtime::parse_json(kPod, raw, dr);
    benchmark::DoNotOptimize(raw);
  }
}
BENCHMARK(BM_ParseOnly);
void BM_PlainParse(benchmark::State& state) {
  for (auto _ : state) {
    auto raw = kapi::runtime::Json::parse(kPod);
    benchmark::DoNotOptimize(raw);
  }
}
BENCHMARK(BM_PlainParse);
void BM_Normalize(benchmark::State& state) {
  const auto* type = kapi::runtime::Schema::get().find("io.k8s.api.core.v1.Pod");
  auto raw = kapi::runtime::Json::parse(kPod);
  for (auto _ : state) {
    kapi::runtime::DecodeResult dr;
    auto copy = raw;
    auto n = kapi::runtime::normalize(std::move(copy), *type, dr);
    benchmark::DoNotOptimize(n);
  }
}
BENCHMARK(BM_Normalize);
void BM_Encode(benchmark::State& state) {
  auto raw = kapi::runtime::Json::parse(kPod);
  for (auto _ : state) {
    auto s = kapi::runtime::encode_json(raw);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_Encode);
}  // namespace

BENCHMARK_MAIN();
