// Table cells against upstream's printers (kubernetes pkg/printers/internalversion/printers.go
// printPod/printService/printDeployment, as summarised in KUBECTL-CONTRACT.md §4).
#include "server/registry/table.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/registry/strategy.h"

namespace kapi::server {
namespace {

Json cells(const char* resource, const char* group, const std::string& json) {
  const ResourceInfo* r = find_resource(group, "v1", resource);
  EXPECT_NE(r, nullptr);
  Json obj = Json::parse(json);
  return Json::parse(render_ages(row_cells(*r, obj)));
}

TEST(PodRow, PendingPodWithoutNode) {
  Json c = cells("pods", "", R"({"metadata":{"name":"p1"},"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Pending"}})");
  EXPECT_EQ(c.dump(), R"(["p1","0/1","Pending","0","<unknown>","<none>","<none>","<none>","<none>"])");
}

TEST(PodRow, ReadyRunningAndWaitingReasons) {
  Json c = cells("pods", "", R"({"metadata":{"name":"w"},"spec":{"containers":[{"name":"a"},{"name":"b"}],"nodeName":"n1"},
    "status":{"phase":"Running","podIPs":[{"ip":"10.0.0.5"}],"containerStatuses":[
      {"name":"a","ready":true,"restartCount":0,"state":{"running":{}}},
      {"name":"b","ready":false,"restartCount":3,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}})");
  EXPECT_EQ(c[1], "1/2");
  EXPECT_EQ(c[2], "CrashLoopBackOff");
  EXPECT_EQ(c[3], "3");
  EXPECT_EQ(c[5], "10.0.0.5");
  EXPECT_EQ(c[6], "n1");
}

TEST(PodRow, InitContainersAndTermination) {
  Json c = cells("pods", "", R"({"metadata":{"name":"i"},"spec":{"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"c"}]},
    "status":{"phase":"Pending","initContainerStatuses":[
      {"name":"i1","state":{"terminated":{"exitCode":0}}},{"name":"i2","state":{"running":{}}}]}})");
  EXPECT_EQ(c[2], "Init:1/2");
  Json t = cells("pods", "", R"({"metadata":{"name":"t","deletionTimestamp":"2024-01-01T00:00:00Z"},"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Running"}})");
  EXPECT_EQ(t[2], "Terminating");
  Json done = cells("pods", "", R"({"metadata":{"name":"d"},"spec":{"containers":[{"name":"c"}]},
    "status":{"phase":"Succeeded","containerStatuses":[{"name":"c","state":{"terminated":{"reason":"Completed","exitCode":0}}}]}})");
  EXPECT_EQ(done[2], "Completed");
}

TEST(PodRow, RestartsShowTheLastRestartAge) {
  Json c = cells("pods", "", R"({"metadata":{"name":"r"},"spec":{"containers":[{"name":"c"}]},
    "status":{"phase":"Running","containerStatuses":[{"name":"c","ready":true,"restartCount":1,"state":{"running":{}},
      "lastState":{"terminated":{"finishedAt":"2001-01-01T00:00:00Z"}}}]}})");
  std::string restarts = c[3];
  EXPECT_EQ(restarts.rfind("1 (", 0), 0u) << restarts;
  EXPECT_EQ(restarts.substr(restarts.size() - 5), " ago)") << restarts;
}

TEST(ServiceRow, PortsAndExternalIp) {
  Json c = cells("services", "", R"({"metadata":{"name":"s"},"spec":{"type":"NodePort","clusterIPs":["10.96.0.10"],
    "ports":[{"port":80,"nodePort":30080,"protocol":"TCP"},{"port":53,"protocol":"UDP"}],"selector":{"b":"2","a":"1"}}})");
  EXPECT_EQ(c.dump(), R"(["s","NodePort","10.96.0.10","<none>","80:30080/TCP,53/UDP","<unknown>","a=1,b=2"])");
  Json lb = cells("services", "", R"({"metadata":{"name":"l"},"spec":{"type":"LoadBalancer","clusterIPs":["10.0.0.2"],"ports":[{"port":443,"protocol":"TCP"}]}})");
  EXPECT_EQ(lb[3], "<pending>");
}

TEST(DeploymentRow, ReadyIsReadyOverSpecReplicas) {
  Json c = cells("deployments", "apps", R"({"metadata":{"name":"d"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"d"}},
    "template":{"spec":{"containers":[{"name":"c","image":"nginx"}]}}},"status":{"readyReplicas":1,"updatedReplicas":2,"availableReplicas":1}})");
  EXPECT_EQ(c.dump(), R"(["d","1/3",2,1,"<unknown>","c","nginx","app=d"])");
}

// The cells below are upstream's printers (printers.go) worked out by hand for each input.
TEST(PodRow, SidecarInitContainersCountTowardsReady) {
  Json c = cells("pods", "", R"({"metadata":{"name":"s"},"spec":{"initContainers":[{"name":"side","restartPolicy":"Always"},
    {"name":"once"}],"containers":[{"name":"c"}]},"status":{"phase":"Pending"}})");
  EXPECT_EQ(c[1], "0/2");
  Json run = cells("pods", "", R"({"metadata":{"name":"s"},"spec":{"initContainers":[{"name":"side","restartPolicy":"Always"}],
    "containers":[{"name":"c"}]},"status":{"phase":"Running","conditions":[{"type":"Initialized","status":"True"}],
    "initContainerStatuses":[{"name":"side","started":true,"ready":true,"restartCount":2,"state":{"running":{}}}],
    "containerStatuses":[{"name":"c","ready":true,"restartCount":1,"state":{"running":{}}}]}})");
  EXPECT_EQ(run[1], "2/2");
  EXPECT_EQ(run[2], "Running");
  EXPECT_EQ(run[3], "3");  // sidecar restarts count once initialised
}

TEST(ServiceRow, LoadBalancerIngressBeforeExternalIps) {
  Json c = cells("services", "", R"({"metadata":{"name":"l"},"spec":{"type":"LoadBalancer","externalIPs":["1.1.1.1"],
    "ports":[{"port":80,"protocol":"TCP","nodePort":31000}]},"status":{"loadBalancer":{"ingress":[{"ip":"2.2.2.2"},{"hostname":"lb.example"}]}}})");
  EXPECT_EQ(c[3], "2.2.2.2,lb.example,1.1.1.1");
}

TEST(SelectorCells, RequirementsSortedByKeyAndValuesSorted) {
  Json c = cells("replicasets", "apps", R"({"metadata":{"name":"r"},"spec":{"replicas":1,"selector":{"matchLabels":{"z":"1","app":"r"},
    "matchExpressions":[{"key":"env","operator":"In","values":["prod","dev"]},{"key":"b","operator":"DoesNotExist"},
    {"key":"x","operator":"NotIn","values":["q"]},{"key":"k","operator":"Exists"}]}}})");
  EXPECT_EQ(c[7], "app=r,!b,env in (dev,prod),k,x notin (q),z=1");
}

TEST(EndpointsRow, PortsOuterAddressesInnerAtMostThree) {
  Json c = cells("endpoints", "", R"({"metadata":{"name":"e"},"subsets":[{"addresses":[{"ip":"10.0.0.1"},{"ip":"fd00::2"}],
    "ports":[{"port":80},{"port":443}]}]})");
  EXPECT_EQ(c[1], "10.0.0.1:80,[fd00::2]:80,10.0.0.1:443 + 1 more...");
  EXPECT_EQ(cells("endpoints", "", R"({"metadata":{"name":"e"}})")[1], "<none>");
  // Subsets with only not-ready addresses: an empty cell.
  EXPECT_EQ(cells("endpoints", "", R"({"metadata":{"name":"e"},"subsets":[{"notReadyAddresses":[{"ip":"10.0.0.1"}],"ports":[{"port":80}]}]})")[1], "");
}

TEST(EndpointSliceRow, PortNamesAndStars) {
  Json c = cells("endpointslices", "discovery.k8s.io", R"({"metadata":{"name":"s"},"addressType":"IPv4",
    "ports":[{"port":80},{"name":"dns"},{}],"endpoints":[{"addresses":["a","b"]},{"addresses":["c","d","e"]}]})");
  EXPECT_EQ(c[2], "80,dns,*");
  EXPECT_EQ(c[3], "a,b,c + 2 more...");
  EXPECT_EQ(cells("endpointslices", "discovery.k8s.io", R"({"metadata":{"name":"s"},"addressType":"IPv4"})")[2], "<unset>");
}

TEST(EventRow, FirstSeenFallsBackToEventTimeAndLastToFirst) {
  Json c = cells("events", "", R"({"metadata":{"name":"ev"},"involvedObject":{"kind":"Node"},"reason":"R","type":"Normal",
    "message":" hi \n","reportingComponent":"ctl","reportingInstance":"i1","eventTime":"2001-01-01T00:00:00.000000Z"})");
  EXPECT_EQ(c[0], c[7]);
  EXPECT_NE(c[0], "<unknown>");
  EXPECT_EQ(c[3], "node");  // no name: just the kind
  EXPECT_EQ(c[5], "ctl, i1");
  EXPECT_EQ(c[6], "hi");
  EXPECT_EQ(c[8], 1);
  Json series = cells("events", "", R"({"metadata":{"name":"ev"},"involvedObject":{"kind":"Pod","name":"p"},"count":3,
    "series":{"count":7,"lastObservedTime":"2001-01-01T00:00:00.000000Z"}})");
  EXPECT_EQ(series[7], "<unknown>");
  EXPECT_NE(series[0], "<unknown>");
  EXPECT_EQ(series[8], 7);
  Json v1 = cells("events", "events.k8s.io", R"({"metadata":{"name":"n"},"regarding":{"kind":"Pod","name":"p2"},"note":"x",
    "reason":"Created","type":"Normal","reportingController":"c","deprecatedSource":{"host":"h"},"deprecatedCount":4})");
  EXPECT_EQ(v1[3], "pod/p2");
  EXPECT_EQ(v1[5], "c, h");
  EXPECT_EQ(v1[6], "x");
  EXPECT_EQ(v1[8], 4);
  EXPECT_EQ(column_definitions(*find_resource("events.k8s.io", "v1", "events")).size(), 10u);
}

TEST(JobRow, CompletionsDurationAndStatusPrecedence) {
  Json c = cells("jobs", "batch", R"({"metadata":{"name":"j"},"spec":{"parallelism":3},"status":{"succeeded":1,
    "startTime":"2024-01-01T00:00:00Z","completionTime":"2024-01-01T01:02:03Z",
    "conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}})");
  EXPECT_EQ(c[1], "Complete");
  EXPECT_EQ(c[2], "1/1 of 3");
  EXPECT_EQ(c[3], "62m");
  Json t = cells("jobs", "batch", R"({"metadata":{"name":"j","deletionTimestamp":"2024-01-01T00:00:00Z"},"spec":{"completions":2},
    "status":{"conditions":[{"type":"Suspended","status":"True"}]}})");
  EXPECT_EQ(t[1], "Terminating");
  EXPECT_EQ(t[2], "0/2");
  EXPECT_EQ(t[3], "");
}

TEST(OtherRows, LeaseNodeAndQuota) {
  EXPECT_EQ(cells("leases", "coordination.k8s.io", R"({"metadata":{"name":"l"},"spec":{}})")[1], "<none>");
  Json n = cells("nodes", "", R"({"metadata":{"name":"n","labels":{"node-role.kubernetes.io/worker":"","kubernetes.io/role":"worker",
    "node-role.kubernetes.io/":"x"}}})");
  EXPECT_EQ(n[2], "worker");
  Json q = cells("resourcequotas", "", R"({"metadata":{"name":"q"},"spec":{"hard":{"pods":"2","limits.cpu":"1"}},
    "status":{"hard":{"pods":"2"},"used":{"pods":"1"}}})");
  EXPECT_EQ(q[2], "pods: 1/2");
  EXPECT_EQ(q[3], "limits.cpu: 0/0");
}

TEST(Columns, PriorityMarksWideColumns) {
  Json cols = column_definitions(*find_resource("", "v1", "pods"));
  ASSERT_EQ(cols.size(), 9u);
  EXPECT_EQ(cols[0]["name"], "Name");
  EXPECT_EQ(cols[3]["name"], "Restarts");
  EXPECT_EQ(cols[4]["priority"], 0);
  EXPECT_EQ(cols[5]["name"], "IP");
  EXPECT_EQ(cols[5]["priority"], 1);
  // Kinds without a printer: Name and Created At.
  Json roles = column_definitions(*find_resource("rbac.authorization.k8s.io", "v1", "roles"));
  EXPECT_EQ(roles.size(), 2u);
  EXPECT_EQ(roles[1]["name"], "Created At");
}

}  // namespace
}  // namespace kapi::server

namespace kapi::server {
namespace {

// The cached row (cells cached, metadata copied from the stored bytes) is the row the full
// encoding produces: same bytes, resourceVersion after uid, tricky strings intact.
TEST(CachedRow, MatchesTheFullEncodingOfTheRow) {
  const ResourceInfo* r = find_resource("", "v1", "pods");
  ASSERT_NE(r, nullptr);
  storage::CachedObject o;
  o.key = "/registry/pods/default/p1";
  o.value = R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":"p1","namespace":"default","uid":"u-1",)"
            R"("creationTimestamp":"2024-01-01T00:00:00Z","labels":{"a":"b"},"annotations":{"x":"}{\"\\"},)"
            R"("managedFields":[{"manager":"m","fieldsV1":{"f:spec":{}}}]},"spec":{"containers":[{"name":"c","image":"i"}]},)"
            R"("status":{"phase":"Pending"}})";
  o.mod_revision = 42;
  Json full = Json::parse(o.value);
  Json meta = Json::object();
  for (auto it = full["metadata"].begin(); it != full["metadata"].end(); ++it) {
    meta[it.key()] = it.value();
    if (it.key() == "uid") meta["resourceVersion"] = "42";
  }
  full["metadata"] = meta;
  std::string expected = table_row(*r, full, "");
  EXPECT_EQ(cached_row(*r, o, ""), expected);
  EXPECT_EQ(cached_row(*r, o, "Metadata"), expected);  // and again, from the cache
  EXPECT_NE(expected.find(R"("resourceVersion":"42")"), std::string::npos);
  EXPECT_EQ(cached_row(*r, o, "None"), table_row(*r, full, "None"));
}

}  // namespace
}  // namespace kapi::server
