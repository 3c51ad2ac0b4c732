#include "server/serve_options.h"

#include <gtest/gtest.h>

#include <vector>

#include "CLI/CLI.hpp"

namespace inferd::server {
namespace {

ServeOptions Parse(std::vector<std::string> args) {
  CLI::App app;
  ServeOptions options;
  AddServeOptions(app, options);
  std::vector<const char*> argv = {"serve"};
  for (const auto& arg : args) argv.push_back(arg.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  return options;
}

TEST(ServeOptionsTest, DrainDefaultsFitKubernetesTerminationGrace) {
  const ServeOptions options = Parse({"--model-repository", "/tmp"});
  // SIGTERM to exit: grace + drain + up to 5 s for gRPC calls still open (docs/threading.md),
  // with room left for a preStop hook inside Kubernetes' default 30 s.
  EXPECT_EQ(options.shutdown_grace_secs, 2);
  EXPECT_EQ(options.exit_timeout_secs, 15);
  EXPECT_LE(options.shutdown_grace_secs + options.exit_timeout_secs + 5, 25);
}

TEST(ServeOptionsTest, LastValueWinsAndListsAccumulate) {
  const ServeOptions options =
      Parse({"--model-repository=/tmp", "--model-store", "/", "--http-port=1", "--http-port=2",
             "--allow-http=true", "--allow-http=false", "--id=a", "--id=b"});
  EXPECT_EQ(options.model_repositories, (std::vector<std::string>{"/tmp", "/"}));
  EXPECT_EQ(options.http_port, 2);
  EXPECT_FALSE(options.allow_http);
  EXPECT_EQ(options.server_id, "b");
}

TEST(ServeOptionsTest, TritonOptionsWithAnEffect) {
  const ServeOptions options =
      Parse({"--model-repository=/tmp", "--exit-on-error=true", "--log-info=false",
             "--log-warning=false", "--log-error=true", "--backend-config=onnxruntime,a=1"});
  EXPECT_TRUE(options.exit_on_error);
  EXPECT_FALSE(options.log_info);
  EXPECT_FALSE(options.log_warning);
  EXPECT_TRUE(options.log_error);
  EXPECT_EQ(options.backend_configs, (std::vector<std::string>{"onnxruntime,a=1"}));
  EXPECT_EQ(Parse({"--model-repository=/tmp"}).server_id, "inferd");
}

}  // namespace
}  // namespace inferd::server
