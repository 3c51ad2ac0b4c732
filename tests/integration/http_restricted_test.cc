// Restricted APIs and route labels against the real binary: a restricted category answers 403
// naming the header in every dialect, passes with it, leaves other categories alone; every
// dialect's route is counted under its own endpoint label; the key's value reaches no log; a
// malformed flag stops start-up with a clear error.
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <unistd.h>

#include "http_test_util.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kSecret[] = "s3cret-value-42";

class HttpRestrictedTest : public HttpServerSuite {
 protected:
  static void SetUpTestSuite() {
    log_file_ = fs::temp_directory_path() /
                ("inferd_restricted_" + std::to_string(std::random_device{}()) + ".log");
    StartServer(
        {"--model-repository", SourcePath("examples/model_repository"),
         "--model-control-mode=explicit", "--load-model=simple", "--log-verbose=1", "--log-file",
         log_file_.string(),
         std::string("--http-restricted-api=model-repository,logging:X-Admin-Key=") + kSecret,
         "--http-restricted-api=statistics:x-stats=1"});
  }
  static void TearDownTestSuite() {
    HttpServerSuite::TearDownTestSuite();
    fs::remove(log_file_);
  }
  static inline fs::path log_file_;
};

TEST_F(HttpRestrictedTest, RestrictedCategoriesNeedTheirHeaderInEveryDialect) {
  client::HttpConnection c = Connect();
  const std::map<std::string, std::string> admin = {{"X-Admin-Key", kSecret}};
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/models"},                // TorchServe list
           {"POST", "/v2/repository/index"},  // KServe repository
           {"GET", "/v2/logging"},            // Triton logging
       }) {
    SCOPED_TRACE(method + " " + target);
    auto refused = c.Request(method, target);
    ASSERT_TRUE(refused.ok()) << refused.status();
    EXPECT_EQ(refused->status, 403);
    EXPECT_EQ(refused->body,
              R"({"error":"This API is restricted, expecting header 'x-admin-key'"})");
    auto wrong = c.Request(method, target, "", {{"X-Admin-Key", "guess"}});
    EXPECT_EQ(wrong->status, 403);
    auto allowed = c.Request(method, target, "", admin);
    ASSERT_TRUE(allowed.ok());
    EXPECT_EQ(allowed->status, 200) << allowed->body;
  }
  EXPECT_EQ(c.Get("/v2/models/stats")->status, 403);
  EXPECT_EQ(c.Request("GET", "/v2/models/stats", "", {{"x-stats", "1"}})->status, 200);
  // Other categories are unaffected.
  EXPECT_EQ(c.Get("/v2/health/ready")->status, 200);
  EXPECT_EQ(c.Get("/v1/models/simple")->status, 200);
  EXPECT_EQ(c.Get("/models/simple")->status, 200);  // describe is metadata
  EXPECT_EQ(c.Get("/ping")->status, 200);
}

TEST_F(HttpRestrictedTest, EveryDialectCountsUnderItsRouteLabelAndTheKeyIsNeverLogged) {
  client::HttpConnection c = Connect();
  EXPECT_EQ(c.Get("/v1/models/simple/metadata")->status, 200);
  EXPECT_EQ(c.Get("/models")->status, 403);
  EXPECT_EQ(c.Get("/no/such/path")->status, 404);
  EXPECT_EQ(c.Get("/health")->status, 200);
  client::HttpConnection metrics("127.0.0.1", server_->metrics_port());
  auto scraped = metrics.Get("/metrics");
  ASSERT_TRUE(scraped.ok()) << scraped.status();
  for (const char* sample :
       {R"(nv_http_request_count{endpoint="tfs_model_metadata",code="200"})",
        R"(nv_http_request_count{endpoint="torchserve_list_models",code="403"})",
        R"(nv_http_request_count{endpoint="predict_health",code="200"})",
        R"(nv_http_request_count{endpoint="not_found",code="404"})"}) {
    EXPECT_NE(scraped->body.find(sample), std::string::npos) << sample << "\n" << scraped->body;
  }
  EXPECT_EQ(scraped->body.find(R"(endpoint="other")"), std::string::npos) << scraped->body;
  std::stringstream log;
  log << std::ifstream(log_file_).rdbuf();
  EXPECT_NE(log.str().find("torchserve_list_models"), std::string::npos);  // verbose route log
  EXPECT_EQ(log.str().find(kSecret), std::string::npos);
}

TEST(HttpRestrictedFlagsTest, MalformedFlagsStopStartUpClearly) {
  // An existing, empty repository: the flags, not the folder, must be what stops start-up.
  const fs::path repository =
      fs::temp_directory_path() / ("inferd_restricted_" + std::to_string(::getpid()));
  fs::create_directories(repository);
  const CommandOutcome unknown =
      RunShellCommand("timeout 60 " + InferdBinary() + " serve --model-repository " +
                      repository.string() + " --http-restricted-api=bogus:k=hidden-1");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.output.find("unknown restricted api 'bogus'"), std::string::npos)
      << unknown.output;
  EXPECT_EQ(unknown.output.find("hidden-1"), std::string::npos) << unknown.output;
  const CommandOutcome twice = RunShellCommand(
      "timeout 60 " + InferdBinary() + " serve --model-repository " + repository.string() +
      " --grpc-restricted-protocol=health:a=hidden-2 "
      "--grpc-restricted-protocol=health,trace:b=hidden-3");
  EXPECT_NE(twice.exit_code, 0);
  EXPECT_NE(twice.output.find("can not be specified in multiple config groups"), std::string::npos)
      << twice.output;
  EXPECT_EQ(twice.output.find("hidden-"), std::string::npos) << twice.output;
  fs::remove_all(repository);
}

}  // namespace
}  // namespace inferd::testing
