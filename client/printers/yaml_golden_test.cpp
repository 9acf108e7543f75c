// `kubectl get -o yaml` output; goldens come from kubectl 1.33.1 (see client/testdata/README.md).
#include "pkg/machinery/go_yaml.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "client/test_util.h"

namespace kapi::client {
namespace {

using Json = nlohmann::ordered_json;
using testing::read_testdata;

TEST(GoYaml, ConfigMapQuotingMatchesKubectl) {
  EXPECT_EQ(machinery::goyaml::marshal(Json::parse(read_testdata("configmap_settings.json"))),
            read_testdata("configmap_settings.yaml.golden"));
}

TEST(GoYaml, PodWithLiteralBlockAndFoldedLine) {
  EXPECT_EQ(machinery::goyaml::marshal(Json::parse(read_testdata("pod_coredns.json"))),
            read_testdata("pod_coredns.yaml.golden"));
}

}  // namespace
}  // namespace kapi::client
