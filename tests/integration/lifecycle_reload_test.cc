// Reload, rollback and load/unload cycles under continuous load: zero failed requests.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "lifecycle_test_util.h"
#include "load_generator.h"

namespace inferd::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Every request succeeded with a correct answer from one of `constants`.
void ExpectAllServedBy(const std::vector<Outcome>& outcomes, const std::set<int>& constants) {
  ASSERT_FALSE(outcomes.empty());
  size_t failed = 0;
  for (const auto& o : outcomes) {
    if (o.http_status != 200 || !constants.contains(o.constant)) {
      if (++failed <= 3) {
        ADD_FAILURE() << "status " << o.http_status << " constant " << o.constant << ": "
                      << o.error;
      }
    }
  }
  EXPECT_EQ(failed, 0u) << "of " << outcomes.size() << " requests";
}

// Requests that started after `switched` were all answered by `constant`.
void ExpectOnlyAfter(const std::vector<Outcome>& outcomes, Clock::time_point switched,
                     int constant) {
  size_t after = 0;
  for (const auto& o : outcomes) {
    if (o.start < switched) continue;
    ++after;
    EXPECT_EQ(o.constant, constant) << "a request after the switch reached the old version";
  }
  EXPECT_GT(after, 0u);
}

std::set<int> Constants(const std::vector<Outcome>& outcomes) {
  std::set<int> seen;
  for (const auto& o : outcomes) seen.insert(o.constant);
  return seen;
}

TEST_F(LifecycleTest, ExplicitReloadToANewVersionUnderLoadFailsNothing) {
  WriteConfig(kPlusConfig);
  InstallVersion(1, 1);
  StartServer({"--model-control-mode", "explicit", "--load-model", "m"});
  LoadGenerator load(server_->http_port(), "m", 4);
  ASSERT_TRUE(load.AwaitCompleted(200));
  InstallVersion(2, 2);
  auto loaded = Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->status, 200) << loaded->body;
  const auto switched = Clock::now();
  ASSERT_TRUE(load.AwaitCompleted(load.completed() + 200));
  const auto outcomes = load.Stop();
  ExpectAllServedBy(outcomes, {1, 2});
  EXPECT_EQ(Constants(outcomes), (std::set<int>{1, 2}));
  ExpectOnlyAfter(outcomes, switched, 2);
  EXPECT_EQ(Connect().Get("/v2/models/m/versions/1/ready")->status, 400);
}

TEST_F(LifecycleTest, PollModeReloadUnderLoadFailsNothing) {
  WriteConfig(kPlusConfig);
  InstallVersion(1, 1);
  StartServer({"--model-control-mode", "poll", "--repository-poll-secs", "1"});
  LoadGenerator load(server_->http_port(), "m", 4);
  ASSERT_TRUE(load.AwaitCompleted(200));
  InstallVersion(2, 2);
  ASSERT_TRUE(AwaitStatus("/v2/models/m/versions/2/ready", 200));
  const auto switched = Clock::now();
  ASSERT_TRUE(load.AwaitCompleted(load.completed() + 200));
  const auto outcomes = load.Stop();
  ExpectAllServedBy(outcomes, {1, 2});
  ExpectOnlyAfter(outcomes, switched, 2);
}

TEST_F(LifecycleTest, BrokenNewVersionOrConfigKeepsTheOldOneServing) {
  WriteConfig(kPlusConfig);
  InstallVersion(1, 1);
  StartServer({"--model-control-mode", "explicit", "--load-model", "m"});
  LoadGenerator load(server_->http_port(), "m", 2);
  ASSERT_TRUE(load.AwaitCompleted(50));

  WriteFile(repo() / "m" / "2" / "model.onnx", "corrupt: not an ONNX file");
  auto corrupt = Load();
  ASSERT_TRUE(corrupt.ok());
  EXPECT_EQ(corrupt->status, 400) << corrupt->body;
  auto index = Connect().Post("/v2/repository/index", "{}");
  EXPECT_NE(index->body.find(R"("name":"m","version":"2","state":"UNAVAILABLE","reason")"),
            std::string::npos)
      << index->body;

  std::filesystem::remove_all(repo() / "m" / "2");
  WriteConfig(std::string(kPlusConfig) + "no_such_field: 1\n");
  auto bad_config = Load();
  ASSERT_TRUE(bad_config.ok());
  EXPECT_EQ(bad_config->status, 400) << bad_config->body;
  EXPECT_NE(bad_config->body.find("config.pbtxt:7"), std::string::npos) << bad_config->body;
  index = Connect().Post("/v2/repository/index", "{}");
  EXPECT_NE(index->body.find("reload failed, previous load still serving"), std::string::npos)
      << index->body;

  ASSERT_TRUE(load.AwaitCompleted(load.completed() + 50));
  ExpectAllServedBy(load.Stop(), {1});
}

TEST_F(LifecycleTest, RollbackByPinningThePreviousVersionFailsNothing) {
  WriteConfig(kPlusConfig);
  InstallVersion(1, 1);
  InstallVersion(2, 2);
  StartServer({"--model-control-mode", "explicit", "--load-model", "m"});
  ASSERT_EQ(Connect().Get("/v2/models/m/versions/2/ready")->status, 200);
  LoadGenerator load(server_->http_port(), "m", 4);
  ASSERT_TRUE(load.AwaitCompleted(200));
  // The documented rollback (docs/lifecycle.md): the same config with version 1 pinned.
  const std::string pinned =
      R"({"parameters":{"config":"{\"max_batch_size\":8,\"input\":[{\"name\":\"INPUT0\",)"
      R"(\"data_type\":\"TYPE_FP32\",\"dims\":[4]}],\"output\":[{\"name\":\"OUTPUT0\",)"
      R"(\"data_type\":\"TYPE_FP32\",\"dims\":[4]}],)"
      R"(\"version_policy\":{\"specific\":{\"versions\":[1]}}}"}})";
  auto rolled_back = Load(pinned);
  ASSERT_TRUE(rolled_back.ok());
  ASSERT_EQ(rolled_back->status, 200) << rolled_back->body;
  const auto switched = Clock::now();
  ASSERT_TRUE(load.AwaitCompleted(load.completed() + 200));
  const auto outcomes = load.Stop();
  ExpectAllServedBy(outcomes, {1, 2});
  ExpectOnlyAfter(outcomes, switched, 1);
  EXPECT_EQ(Connect().Get("/v2/models/m/versions/2/ready")->status, 400);
}

TEST_F(LifecycleTest, RepeatedLoadUnloadCyclesUnderLoadStayClean) {
  WriteConfig(kPlusConfig);
  InstallVersion(1, 1);
  StartServer({"--model-control-mode", "explicit", "--load-model", "m"});
  LoadGenerator load(server_->http_port(), "m", 2);
  auto control = Connect();
  for (int cycle = 0; cycle < 100; ++cycle) {
    auto unloaded = control.Post("/v2/repository/models/m/unload", "");
    ASSERT_TRUE(unloaded.ok());
    ASSERT_EQ(unloaded->status, 200) << unloaded->body;
    auto loaded = control.Post("/v2/repository/models/m/load", "");
    ASSERT_TRUE(loaded.ok());
    ASSERT_EQ(loaded->status, 200) << loaded->body;
  }
  const auto outcomes = load.Stop();
  for (const auto& o : outcomes) {
    // Between an unload and the next load the model is not ready: a clean error, never a crash.
    if (o.http_status == 200) {
      EXPECT_EQ(o.constant, 1);
    } else {
      EXPECT_TRUE(o.http_status == 404 || o.http_status == 503) << o.http_status << " " << o.error;
    }
  }
  EXPECT_EQ(server_->Stop(), 0);
}

}  // namespace
}  // namespace inferd::testing
