// server::Service against a ModelManager over the fake backend: requests in flight are counted
// once, in the gauge --max-inflight reads; requests that fail validation land in their version's
// statistics (the store the statistics extension and /metrics read); the histogram buckets given
// to the manager shape every version's histograms.
#include "server/service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <random>
#include <string>
#include <utility>

#include "metrics/registry.h"
#include "testing/fake_backend.h"
#include "testing/identity_backend.h"

namespace inferd::server {
namespace {

namespace fs = std::filesystem;

core::ModelSignature Signature() {
  core::ModelSignature sig;
  sig.inputs.push_back({"IN", core::DataType::kFp32, {-1, 4}});
  sig.outputs.push_back({"OUT", core::DataType::kFp32, {-1, 4}});
  return sig;
}

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("inferd_service_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_ / "m" / "1");
    std::ofstream(root_ / "m" / "1" / "model.onnx") << "fake";
  }
  void TearDown() override { fs::remove_all(root_); }

  void Start(int64_t max_inflight, metrics::BucketConfig buckets = {}) {
    lifecycle::ManagerOptions options;
    options.repositories = {root_};
    options.buckets = std::move(buckets);
    manager_ = std::make_unique<lifecycle::ModelManager>(*backends_, options);
    ASSERT_TRUE(manager_->LoadAll().ok());
    ServiceOptions service_options;
    service_options.max_inflight = max_inflight;
    service_ = std::make_unique<Service>(*manager_, service_options, inflight_);
  }

  // One row of 4 floats; `input` names the tensor (a wrong name fails validation).
  std::future<Status> Send(const std::string& input = "IN") {
    auto request = std::make_unique<core::InferenceRequest>();
    request->model_name = "m";
    auto tensor = core::MakeOwnedTensor(input, core::DataType::kFp32, {1, 4}, 16);
    request->inputs.push_back(tensor.tensor);
    auto done = std::make_shared<std::promise<Status>>();
    auto future = done->get_future();
    service_->Infer(std::move(request), [done](StatusOr<core::InferenceResponse> result) {
      done->set_value(result.ok() ? Status() : result.status());
    });
    return future;
  }

  core::ModelStatistics Statistics() {
    auto stats = service_->GetModelStatistics("m", 1);
    EXPECT_TRUE(stats.ok()) << stats.status();
    return stats.ok() && stats->size() == 1 ? stats->front() : core::ModelStatistics{};
  }

  fs::path root_;
  std::shared_ptr<backend::testing::Gate> gate_ = std::make_shared<backend::testing::Gate>();
  backend::testing::FakeBackend backend_{Signature(), gate_};
  std::unique_ptr<backend::BackendRegistry> backends_ = backend::testing::RegistryWith(backend_);
  metrics::Gauge inflight_;
  std::unique_ptr<lifecycle::ModelManager> manager_;
  std::unique_ptr<Service> service_;
};

TEST_F(ServiceTest, InflightIsCountedOnceAndBoundsTheServer) {
  Start(/*max_inflight=*/1);
  auto first = Send();
  gate_->AwaitWaiting(1);
  EXPECT_EQ(inflight_.Value(), 1);
  // Over the bound: refused at once, and the refused request leaves the count as it was.
  auto second = Send();
  ASSERT_EQ(second.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(second.get().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(inflight_.Value(), 1);
  gate_->Open();
  ASSERT_EQ(first.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(first.get().ok());
  EXPECT_EQ(inflight_.Value(), 0);  // released before the response callback ran
  EXPECT_EQ(Statistics().inference_stats.success.count, 1u);
}

TEST_F(ServiceTest, InvalidRequestsAreCountedInTheVersionsStatistics) {
  Start(/*max_inflight=*/0);
  gate_->Open();
  auto invalid = Send("NOT_AN_INPUT");
  ASSERT_EQ(invalid.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(invalid.get().code(), absl::StatusCode::kInvalidArgument);
  auto valid = Send();
  ASSERT_EQ(valid.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(valid.get().ok());
  const core::ModelStatistics s = Statistics();
  EXPECT_EQ(s.failures[static_cast<size_t>(core::FailureReason::kOther)], 1u);
  EXPECT_EQ(s.inference_stats.fail.count, 1u);
  EXPECT_EQ(s.inference_stats.success.count, 1u);
  EXPECT_EQ(inflight_.Value(), 0);
}

TEST_F(ServiceTest, BucketsGivenToTheManagerShapeTheHistograms) {
  metrics::BucketConfig buckets;
  buckets.latency_us = {10, 20, 30};
  buckets.batch_size = {1, 3};
  Start(/*max_inflight=*/0, buckets);
  const core::ModelStatistics s = Statistics();
  EXPECT_EQ(s.histograms.request_us.bounds, buckets.latency_us);
  EXPECT_EQ(s.histograms.queue_us.bounds, buckets.latency_us);
  EXPECT_EQ(s.histograms.batch_size.bounds, buckets.batch_size);
}

}  // namespace
}  // namespace inferd::server
