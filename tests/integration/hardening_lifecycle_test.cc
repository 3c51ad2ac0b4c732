// Attacks on model loading, reproduced against the real binary: an instance count without a
// bound (config override, config.pbtxt, TorchServe min_worker / initial_workers), a load that
// never ends (unload and SIGTERM must stop it), TorchServe's register parameters and list token,
// and symbolic links leading out of the model repository.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <future>
#include <string>

#include "lifecycle_test_util.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string CountOverride(int64_t count) {
  return R"({"parameters":{"config":"{\"name\":\"m\",\"backend\":\"onnxruntime\",)"
         R"(\"max_batch_size\":8,\"instance_group\":[{\"count\":)" +
         std::to_string(count) + R"(,\"kind\":\"KIND_CPU\"}]}"}})";
}

// A warm-up of 4 billion executions: a load that would run for days unless cancelled.
constexpr char kEndlessWarmup[] =
    R"({"parameters":{"config":"{\"name\":\"m\",\"backend\":\"onnxruntime\",)"
    R"(\"max_batch_size\":8,\"instance_group\":[{\"count\":1,\"kind\":\"KIND_CPU\"}],)"
    R"(\"model_warmup\":[{\"name\":\"w\",\"batch_size\":1,\"count\":4000000000,)"
    R"(\"inputs\":{\"INPUT0\":{\"data_type\":\"TYPE_FP32\",\"dims\":[4],\"zero_data\":true}}}]}"}})";

class HardeningLifecycleTest : public LifecycleTest {
 protected:
  // True once version 1 of "m" shows LOADING in the index (the load is under way).
  bool AwaitLoading() {
    auto c = Connect();
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < deadline) {
      auto index = c.Post("/v2/repository/index", "");
      if (index.ok() && index->body.find("\"LOADING\"") != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  // Starts the endless load on its own connection; the future holds its HTTP status.
  std::future<int> StartEndlessLoad() {
    const int port = server_->http_port();
    return std::async(std::launch::async, [port] {
      client::HttpConnection c("127.0.0.1", port, std::chrono::seconds(60));
      auto response = c.Post("/v2/repository/models/m/load", kEndlessWarmup);
      return response.ok() ? response->status : -1;
    });
  }
};

TEST_F(HardeningLifecycleTest, InstanceCountsOverTheBoundAreRefusedNamingIt) {
  InstallVersion(1, 1);
  WriteConfig(kPlusConfig);
  StartServer(
      {"--model-control-mode", "explicit", "--load-model", "m", "--max-instances-per-model", "4"});
  auto c = Connect();
  const auto start = Clock::now();
  auto runaway = c.Post("/v2/repository/models/m/load", CountOverride(1000000));
  ASSERT_TRUE(runaway.ok()) << runaway.status();
  EXPECT_EQ(runaway->status, 400) << runaway->body;
  EXPECT_NE(runaway->body.find("--max-instances-per-model 4"), std::string::npos) << runaway->body;
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));  // refused before anything loads
  EXPECT_EQ(c.Post("/v2/repository/models/m/load", CountOverride(4))->status, 200);

  // TorchServe scaling is held to the same bound, and it is not clamped.
  auto scaled = c.Request("PUT", "/models/m?min_worker=1024");
  ASSERT_TRUE(scaled.ok());
  EXPECT_EQ(scaled->status, 400) << scaled->body;
  EXPECT_NE(scaled->body.find("--max-instances-per-model 4"), std::string::npos) << scaled->body;
  ASSERT_EQ(c.Request("PUT", "/models/m?min_worker=2")->status, 200);
  EXPECT_EQ(ParseJson(c.Get("/models/m")->body)[0]["minWorkers"].GetInt(), 2);
}

TEST_F(HardeningLifecycleTest, ConfigFileOverTheBoundFailsToLoad) {
  InstallVersion(1, 1);
  std::string config = kPlusConfig;
  config.replace(config.find("count: 1"), 8, "count: 1000000");
  WriteConfig(config);
  StartServer({"--max-instances-per-model", "8", "--strict-readiness", "false"});
  auto index = Connect().Post("/v2/repository/index", "");
  ASSERT_TRUE(index.ok());
  EXPECT_NE(index->body.find("1000000 instances"), std::string::npos) << index->body;
  EXPECT_NE(index->body.find("UNAVAILABLE"), std::string::npos) << index->body;
}

TEST_F(HardeningLifecycleTest, UnloadCancelsALoadInProgress) {
  InstallVersion(1, 1);
  WriteConfig(kPlusConfig);
  StartServer({"--model-control-mode", "explicit"});
  auto load = StartEndlessLoad();
  ASSERT_TRUE(AwaitLoading());
  const auto start = Clock::now();
  auto unload = Connect().Post("/v2/repository/models/m/unload", "");
  ASSERT_TRUE(unload.ok());
  EXPECT_EQ(unload->status, 200) << unload->body;
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  ASSERT_EQ(load.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_NE(load.get(), 200);
}

TEST_F(HardeningLifecycleTest, SigtermEndsTheProcessDuringALoad) {
  InstallVersion(1, 1);
  WriteConfig(kPlusConfig);
  StartServer({"--model-control-mode", "explicit", "--exit-timeout-secs", "5"});
  auto load = StartEndlessLoad();
  ASSERT_TRUE(AwaitLoading());
  const auto start = Clock::now();
  server_->Signal(SIGTERM);
  EXPECT_EQ(server_->WaitForExit(std::chrono::seconds(10)), 0);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(load.wait_for(std::chrono::seconds(10)), std::future_status::ready);
}

// The same warm-up in a config.pbtxt: the load runs at start-up, before the server listens.
constexpr char kEndlessWarmupPbtxt[] = R"(model_warmup [ { name: "w" batch_size: 1 count: 4000000000
  inputs { key: "INPUT0" value: { data_type: TYPE_FP32 dims: [ 4 ] zero_data: true } } } ]
)";

TEST_F(HardeningLifecycleTest, SigtermEndsTheProcessDuringAStartUpLoad) {
  InstallVersion(1, 1);
  WriteConfig(std::string(kPlusConfig) + kEndlessWarmupPbtxt);
  const fs::path log = root_ / "log";
  std::vector<std::string> args = {
      InferdBinary(), "serve", "--model-repository", repo().string(), "--http-port", "0",
      "--allow-grpc", "false", "--allow-metrics",    "false",         "--log-file",  log.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  // The log says when the load has begun; another process writes it, so poll (bounded).
  auto deadline = Clock::now() + std::chrono::seconds(30);
  auto log_has = [&log](const std::string& text) {
    std::ifstream in(log);
    return std::string(std::istreambuf_iterator<char>(in), {}).find(text) != std::string::npos;
  };
  while (!log_has("loading model 'm' version 1") && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(log_has("loading model 'm' version 1"));
  const auto start = Clock::now();
  kill(pid, SIGTERM);
  int status = 0;
  deadline = start + std::chrono::seconds(10);
  while (waitpid(pid, &status, WNOHANG) == 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const bool exited = Clock::now() < deadline;
  if (!exited) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  EXPECT_TRUE(exited) << "SIGTERM did not end a server busy with a start-up load";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST_F(HardeningLifecycleTest, TorchServeRegisterAppliesOrRefusesItsParameters) {
  InstallVersion(1, 1);
  WriteConfig(kPlusConfig);
  StartServer({"--model-control-mode", "explicit", "--max-instances-per-model", "4"});
  auto c = Connect();
  EXPECT_EQ(c.Post("/models?url=m&initial_workers=abc", "")->status, 400);
  auto over = c.Post("/models?url=m&initial_workers=100", "");
  EXPECT_EQ(over->status, 400) << over->body;
  EXPECT_NE(over->body.find("--max-instances-per-model 4"), std::string::npos) << over->body;
  EXPECT_EQ(c.Get("/models/m")->status, 404);  // a refused register leaves nothing behind
  auto registered = c.Post("/models?url=m&initial_workers=2&batch_size=4&max_batch_delay=5", "");
  ASSERT_EQ(registered->status, 200) << registered->body;
  const auto described = ParseJson(c.Get("/models/m")->body);
  EXPECT_EQ(described[0]["minWorkers"].GetInt(), 2);
  EXPECT_EQ(described[0]["batchSize"].GetInt(), 4);
  EXPECT_EQ(described[0]["maxBatchDelay"].GetInt(), 5);
}

TEST_F(HardeningLifecycleTest, ModelListTokensCannotOverflow) {
  InstallVersion(1, 1);
  WriteConfig(kPlusConfig);
  StartServer({});
  auto c = Connect();
  auto last = c.Get("/models?next_page_token=9223372036854775807");
  ASSERT_EQ(last->status, 200) << last->body;
  const auto page = ParseJson(last->body);
  EXPECT_EQ(page["models"].Size(), 0u);
  EXPECT_FALSE(page.HasMember("nextPageToken")) << last->body;  // no wrapped-around token
  EXPECT_EQ(c.Get("/models?next_page_token=9223372036854775807&limit=100")->status, 200);
  EXPECT_EQ(c.Get("/models?next_page_token=-1")->status, 400);
  EXPECT_EQ(c.Get("/models?next_page_token=abc")->status, 400);
  EXPECT_EQ(c.Get("/models?next_page_token=99999999999999999999")->status, 400);
}

TEST_F(HardeningLifecycleTest, FoldersAndConfigsLinkedOutsideAreRefused) {
  InstallVersion(1, 1);
  WriteConfig(kPlusConfig);
  // Version 2 is a link to a folder outside the repository; "n" has its config.pbtxt linked out.
  fs::create_directories(root_ / "outside" / "2");
  fs::copy_file(Testdata(2), root_ / "outside" / "2" / "model.onnx");
  fs::create_directory_symlink(root_ / "outside" / "2", repo() / "m" / "2");
  fs::create_directories(repo() / "n" / "1");
  fs::copy_file(Testdata(1), repo() / "n" / "1" / "model.onnx");
  std::string n_config = kPlusConfig;
  n_config.replace(n_config.find("\"m\""), 3, "\"n\"");
  std::ofstream(root_ / "outside" / "config.pbtxt") << n_config;
  fs::create_symlink(root_ / "outside" / "config.pbtxt", repo() / "n" / "config.pbtxt");
  StartServer({"--strict-readiness", "false"});
  auto index = Connect().Post("/v2/repository/index", "");
  ASSERT_TRUE(index.ok());
  EXPECT_NE(index->body.find("'m/2' resolves outside the model repository"), std::string::npos)
      << index->body;
  EXPECT_NE(index->body.find("'n/config.pbtxt' resolves outside"), std::string::npos)
      << index->body;
  EXPECT_EQ(index->body.find(root_.string() + "/outside"), std::string::npos) << index->body;

  server_.reset();
  StartServer({"--allow-repository-symlinks"});
  EXPECT_EQ(Connect().Get("/v2/models/m/versions/2/ready")->status, 200);
  EXPECT_EQ(Connect().Get("/v2/models/n/ready")->status, 200);
}

}  // namespace
}  // namespace inferd::testing
