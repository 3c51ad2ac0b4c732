// A repository with a broken model: the server starts, serves the good models, reports the broken
// one as UNAVAILABLE with its reason, and is not ready under strict readiness.
#include <filesystem>
#include <fstream>
#include <random>

#include "http_test_util.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

class HttpRepositoryTest : public HttpServerSuite {
 protected:
  static void SetUpTestSuite() {
    root_ =
        fs::temp_directory_path() / ("inferd_repo_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
    fs::copy(SourcePath("examples/model_repository/simple"), root_ / "simple",
             fs::copy_options::recursive);
    fs::create_directories(root_ / "broken" / "1");
    std::ofstream(root_ / "broken" / "config.pbtxt")
        << "name: \"broken\"\nmax_batch_size: 8\ninput [ { name: \"X\" data_typ: TYPE_FP32 } ]\n";
    std::ofstream(root_ / "broken" / "1" / "model.onnx") << "not onnx";
    fs::create_directories(root_ / "garbage" / "1");
    std::ofstream(root_ / "garbage" / "1" / "model.onnx") << "not onnx either";
    StartServer({"--model-repository", root_.string(), "--model-repository",
                 SourcePath("tests/testdata/model_repository")});
  }
  static void TearDownTestSuite() {
    HttpServerSuite::TearDownTestSuite();
    fs::remove_all(root_);
  }
  static inline fs::path root_;
};

TEST_F(HttpRepositoryTest, BrokenModelsAreUnavailableOthersServe) {
  auto c = Connect();
  EXPECT_EQ(c.Get("/v2/health/live")->status, 200);
  EXPECT_EQ(c.Get("/v2/health/ready")->status, 400);  // strict readiness: not every model loaded
  EXPECT_EQ(c.Get("/v2/models/simple/ready")->status, 200);
  EXPECT_EQ(c.Get("/v2/models/broken/ready")->status, 400);

  auto index = ParseJson(c.Post("/v2/repository/index", "{}")->body);
  std::map<std::string, std::pair<std::string, std::string>> states;
  for (const auto& e : index.GetArray()) {
    states[e["name"].GetString()] = {e["state"].GetString(),
                                     e.HasMember("reason") ? e["reason"].GetString() : ""};
  }
  EXPECT_EQ(states["simple"].first, "READY");
  EXPECT_EQ(states["broken"].first, "UNAVAILABLE");
  EXPECT_NE(states["broken"].second.find("config.pbtxt:3:"), std::string::npos)
      << states["broken"].second;
  EXPECT_NE(states["broken"].second.find("data_typ"), std::string::npos);
  EXPECT_EQ(states["garbage"].first, "UNAVAILABLE");
  EXPECT_FALSE(states["garbage"].second.empty());

  auto ready_only = ParseJson(c.Post("/v2/repository/index", R"({"ready":true})")->body);
  for (const auto& e : ready_only.GetArray()) EXPECT_STREQ(e["state"].GetString(), "READY");

  auto broken_infer = c.Post("/v2/models/broken/infer", R"({"inputs":[]})");
  EXPECT_EQ(broken_infer->status, 503) << broken_infer->body;
}

TEST_F(HttpRepositoryTest, FixedShapeModelAutoCompletesWithoutBatching) {
  auto c = Connect();
  auto config = ParseJson(c.Get("/v2/models/fixed_shape/config")->body);
  EXPECT_EQ(config["max_batch_size"].GetInt(), 0);
  EXPECT_FALSE(config.HasMember("dynamic_batching"));
  EXPECT_EQ(config["input"][0]["dims"].Size(), 2u);
}

TEST_F(HttpRepositoryTest, NonStrictReadinessServerIsReady) {
  auto started =
      ServerProcess::Start({"--model-repository", root_.string(), "--strict-readiness", "false"});
  ASSERT_TRUE(started.ok()) << started.status();
  client::HttpConnection c("127.0.0.1", (*started)->http_port());
  EXPECT_EQ(c.Get("/v2/health/ready")->status, 200);
  EXPECT_EQ((*started)->Stop(), 0);
}

}  // namespace
}  // namespace inferd::testing
