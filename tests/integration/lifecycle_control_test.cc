// Model control API, artifact identity, warmup and graceful shutdown, on the real binary.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <csignal>
#include <thread>
#include <vector>

#include "common/sha256.h"
#include "grpc_service.grpc.pb.h"
#include "lifecycle_test_util.h"
#include "load_generator.h"

namespace inferd::testing {
namespace {

using Clock = std::chrono::steady_clock;

TEST_F(LifecycleTest, ModelNamesThatLeaveTheRepositoryAreRefused) {
  WriteConfig(kPlusConfig);
  InstallVersion(1, 1);
  StartServer({"--model-control-mode", "explicit"});
  auto connection = Connect();
  for (const char* name : {"..", "..%2F..%2Fetc", "a%2Fb", "%2Fetc%2Fpasswd", "..%5Cx"}) {
    auto response = connection.Post(std::string("/v2/repository/models/") + name + "/load", "");
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->status, 400) << name << ": " << response->body;
    response = connection.Post(std::string("/v2/repository/models/") + name + "/unload", "");
    EXPECT_EQ(response->status, 400) << name << ": " << response->body;
  }
  auto missing = connection.Post("/v2/repository/models/absent/load", "");
  EXPECT_EQ(missing->status, 404) << missing->body;
  auto file_param = connection.Post("/v2/repository/models/m/load",
                                    R"({"parameters":{"file:1/model.onnx":"AAAA"}})");
  EXPECT_EQ(file_param->status, 400) << file_param->body;
}

TEST_F(LifecycleTest, ExplicitModeLoadsOnlyWhatIsAskedAndUnloadsOnRequest) {
  WriteConfig(kPlusConfig);
  InstallVersion(1, 1);
  StartServer({"--model-control-mode", "explicit"});
  auto connection = Connect();
  auto index = connection.Post("/v2/repository/index", "");
  EXPECT_EQ(index->body, R"([{"name":"m"}])");
  EXPECT_EQ(connection.Get("/v2/health/ready")->status, 200);  // nothing asked, nothing missing

  EXPECT_EQ(Load()->status, 200);
  EXPECT_EQ(connection.Get("/v2/models/m/ready")->status, 200);
  EXPECT_EQ(connection.Post("/v2/repository/models/m/unload", "")->status, 200);
  EXPECT_EQ(connection.Get("/v2/models/m/ready")->status, 400);
  index = connection.Post("/v2/repository/index", "");
  EXPECT_EQ(index->body,
            R"([{"name":"m","version":"1","state":"UNAVAILABLE","reason":"unloaded"}])");
  EXPECT_EQ(connection.Get("/v2/health/ready")->status, 200);
}

TEST_F(LifecycleTest, ControlCallsAreRefusedClearlyInModesNoneAndPoll) {
  WriteConfig(kPlusConfig);
  InstallVersion(1, 1);
  StartServer({});
  auto response = Load();
  EXPECT_EQ(response->status, 400);
  EXPECT_NE(response->body.find("model control mode is 'none'"), std::string::npos);
  server_.reset();
  StartServer({"--model-control-mode", "poll"});
  response = Connect().Post("/v2/repository/models/m/unload", "");
  EXPECT_EQ(response->status, 400);
  EXPECT_NE(response->body.find("not allowed if polling is enabled"), std::string::npos);
}

TEST_F(LifecycleTest, EveryVersionReportsTheSha256OfItsModelAndConfig) {
  WriteConfig(kPlusConfig);
  InstallVersion(1, 1);
  StartServer({});
  auto expected = Sha256File(Testdata(1));
  ASSERT_TRUE(expected.ok());
  auto connection = Connect();
  auto index = ParseJson(connection.Post("/v2/repository/index", "")->body);
  ASSERT_TRUE(index.IsArray());
  EXPECT_EQ(std::string(index[0]["model_sha256"].GetString()), *expected);
  EXPECT_EQ(std::string(index[0]["config_sha256"].GetString()).size(), 64u);
  auto metadata = ParseJson(connection.Get("/v2/models/m")->body);
  EXPECT_EQ(std::string(metadata["parameters"]["model_sha256"].GetString()), *expected);
  EXPECT_EQ(std::string(metadata["parameters"]["config_sha256"].GetString()),
            std::string(index[0]["config_sha256"].GetString()));
}

TEST_F(LifecycleTest, WarmupRunsBeforeReadyAndABrokenSampleFailsTheLoad) {
  WriteConfig(std::string(kPlusConfig) + R"(model_warmup [ { name: "zeros" batch_size: 2 count: 3
    inputs { key: "INPUT0" value { data_type: TYPE_FP32 dims: [ 4 ] zero_data: true } } } ])");
  InstallVersion(1, 1);
  StartServer({"--model-control-mode", "explicit", "--load-model", "m"});
  EXPECT_EQ(Connect().Get("/v2/models/m/ready")->status, 200);
  // Warmup never counts as inference.
  auto stats = ParseJson(Connect().Get("/v2/models/m/stats")->body);
  EXPECT_EQ(stats["model_stats"][0]["inference_count"].GetUint64(), 0u);

  WriteConfig(std::string(kPlusConfig) + R"(model_warmup [ { name: "wrong" batch_size: 1
    inputs { key: "NOPE" value { data_type: TYPE_FP32 dims: [ 4 ] zero_data: true } } } ])");
  auto failed = Load();
  EXPECT_EQ(failed->status, 400) << failed->body;
  EXPECT_NE(failed->body.find("warmup sample 'wrong'"), std::string::npos) << failed->body;
}

TEST_F(LifecycleTest, GrpcLoadAndUnloadWorkInExplicitMode) {
  WriteConfig(kPlusConfig);
  InstallVersion(1, 1);
  auto started = ServerProcess::Start(
      {"--model-repository", repo().string(), "--model-control-mode", "explicit"});
  ASSERT_TRUE(started.ok()) << started.status();
  server_ = std::move(started).value();
  auto stub = ::inference::GRPCInferenceService::NewStub(::grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(server_->grpc_port()), ::grpc::InsecureChannelCredentials()));
  ::inference::RepositoryModelLoadRequest load;
  load.set_model_name("m");
  ::inference::RepositoryModelLoadResponse load_response;
  ::grpc::ClientContext load_context;
  ASSERT_TRUE(stub->RepositoryModelLoad(&load_context, load, &load_response).ok());
  EXPECT_EQ(Connect().Get("/v2/models/m/ready")->status, 200);

  ::inference::RepositoryModelUnloadRequest unload;
  unload.set_model_name("m");
  ::inference::RepositoryModelUnloadResponse unload_response;
  ::grpc::ClientContext unload_context;
  ASSERT_TRUE(stub->RepositoryModelUnload(&unload_context, unload, &unload_response).ok());
  EXPECT_EQ(Connect().Get("/v2/models/m/ready")->status, 400);

  load.set_model_name("../m");
  ::grpc::ClientContext bad_context;
  EXPECT_EQ(stub->RepositoryModelLoad(&bad_context, load, &load_response).error_code(),
            ::grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(LifecycleTest, SigtermUnderLoadTurnsUnreadyThenDrainsAndExitsZero) {
  WriteConfig(kPlusConfig);
  InstallVersion(1, 1);
  StartServer({"--shutdown-grace-secs", "1", "--exit-timeout-secs", "20"});
  LoadGenerator load(server_->http_port(), "m", 4);
  ASSERT_TRUE(load.AwaitCompleted(100));
  auto probe = Connect();
  const auto signalled = Clock::now();
  server_->Signal(SIGTERM);
  ASSERT_TRUE(AwaitStatus("/v2/health/ready", 400, std::chrono::seconds(5)));
  const auto unready = Clock::now();
  EXPECT_EQ(probe.Get("/v2/health/live")->status, 200) << "liveness must stay true";
  EXPECT_EQ(server_->WaitForExit(std::chrono::seconds(30)), 0);
  const auto outcomes = load.Stop();

  // From the first refusal on, 503 or (once the server closed) no answer; before it, full
  // correct answers only. Refusal begins when the 1 s grace ends: a tiny model drains at once,
  // so on a loaded machine no request may land in the refusal window and see a 503 before the
  // listener closes; the end of the grace bounds the refusal point then.
  Clock::time_point refused = signalled + std::chrono::seconds(1);
  for (const auto& o : outcomes) {
    if (o.http_status == 503) refused = std::min(refused, o.start);
  }
  size_t served_after_unready = 0;
  for (const auto& o : outcomes) {
    if (o.http_status == 200) {
      EXPECT_EQ(o.constant, 1);
      if (o.start > unready) ++served_after_unready;
    } else if (o.http_status == 503) {
      EXPECT_GT(o.start, signalled);
    } else {
      EXPECT_EQ(o.http_status, 0) << o.error;
      EXPECT_GE(o.start, refused) << "a request before the refusal point got no answer: "
                                  << o.error;
    }
  }
  EXPECT_GT(served_after_unready, 0u) << "the grace period must keep serving";
}

// The queue holds requests (a long batching delay) when the unload comes: every one completes.
TEST_F(LifecycleTest, UnloadCompletesEveryQueuedRequest) {
  WriteConfig(std::string(kPlusConfig) +
              "dynamic_batching { preferred_batch_size: [ 8 ] "
              "max_queue_delay_microseconds: 1500000 }\n");
  InstallVersion(1, 1);
  auto started =
      ServerProcess::Start({"--model-repository", repo().string(), "--allow-grpc", "false",
                            "--model-control-mode", "explicit", "--load-model", "m"});
  ASSERT_TRUE(started.ok()) << started.status();
  server_ = std::move(started).value();
  constexpr int kQueued = 4;
  std::vector<int> statuses(kQueued);
  std::vector<std::thread> clients;
  for (int i = 0; i < kQueued; ++i) {
    clients.emplace_back([this, &statuses, i] {
      auto response = Connect().Post(
          "/v2/models/m/infer",
          R"({"inputs":[{"name":"INPUT0","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]})");
      statuses[i] = response.ok() ? response->status : 0;
    });
  }
  // Await the queue (the pending gauge) rather than guess how long the requests take to arrive.
  client::HttpConnection metrics("127.0.0.1", server_->metrics_port());
  const std::string queued =
      "nv_inference_pending_request_count{model=\"m\",version=\"1\"} " + std::to_string(kQueued);
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  bool all_queued = false;
  while (!all_queued && Clock::now() < deadline) {
    auto scraped = metrics.Get("/metrics");
    all_queued = scraped.ok() && scraped->body.find(queued) != std::string::npos;
    if (!all_queued) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(all_queued) << "the requests never queued";
  auto unloaded = Connect().Post("/v2/repository/models/m/unload", "");
  ASSERT_TRUE(unloaded.ok());
  EXPECT_EQ(unloaded->status, 200) << unloaded->body;
  for (auto& client : clients) client.join();
  EXPECT_EQ(statuses, std::vector<int>(kQueued, 200));
}

TEST_F(LifecycleTest, SecondSignalExitsAtOnce) {
  WriteConfig(kPlusConfig);
  InstallVersion(1, 1);
  StartServer({"--shutdown-grace-secs", "120"});
  server_->Signal(SIGTERM);
  ASSERT_TRUE(AwaitStatus("/v2/health/ready", 400, std::chrono::seconds(5)));
  server_->Signal(SIGINT);
  EXPECT_EQ(server_->WaitForExit(std::chrono::seconds(10)), 128 + SIGINT);
}

}  // namespace
}  // namespace inferd::testing
