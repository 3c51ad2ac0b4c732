#include "frontend/http/endpoint_label.h"

#include <gtest/gtest.h>

namespace inferd::frontend::http {
namespace {

std::string Label(std::string_view target) { return HttpEndpoints()[HttpEndpointIndex(target)]; }

TEST(EndpointLabelTest, MapsEveryApiFamilyToAFixedLabel) {
  EXPECT_EQ(Label("/v2/models/simple/infer"), "infer");
  EXPECT_EQ(Label("/v2/models/simple/versions/3/infer?x=1"), "infer");
  EXPECT_EQ(Label("/v2/health/ready"), "health");
  EXPECT_EQ(Label("/v2"), "server_metadata");
  EXPECT_EQ(Label("/v2/models/simple"), "model_metadata");
  EXPECT_EQ(Label("/v2/models/simple/ready"), "model_ready");
  EXPECT_EQ(Label("/v2/models/simple/config"), "model_config");
  EXPECT_EQ(Label("/v2/models/stats"), "statistics");
  EXPECT_EQ(Label("/v2/repository/index"), "repository");
  EXPECT_EQ(Label("/v2/logging"), "logging");
  EXPECT_EQ(Label("/v2/trace/setting"), "trace");
  EXPECT_EQ(Label("/metrics"), "other");
  EXPECT_EQ(Label("garbage"), "other");
  EXPECT_EQ(HttpEndpoints().back(), "other");
}

}  // namespace
}  // namespace inferd::frontend::http
