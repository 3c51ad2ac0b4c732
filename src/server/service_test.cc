// server::Service against a ModelManager over the fake backend: requests in flight are counted
// once, in the gauge --max-inflight reads; requests that fail validation land in their version's
// statistics (the store the statistics extension and /metrics read); the histogram buckets given
// to the manager shape every version's histograms. The assets of a model version (labels,
// pipeline) reach a request only through the version that runs it: the service classifies with
// that version's labels even when a reload with new labels lands between submit and answer, and
// every request shares the one parsed copy the version loaded (no per-request copy or file read).
#include "server/service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "metrics/registry.h"
#include "server/repository_files.h"
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

  void Start(int64_t max_inflight, metrics::BucketConfig buckets = {},
             const preprocess::ModelFiles* files = nullptr) {
    lifecycle::ManagerOptions options;
    options.repositories = {root_};
    options.buckets = std::move(buckets);
    options.files = files;
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
  EXPECT_FALSE(service_->Admits("m", 0));  // the HTTP front end refuses on the head too
  gate_->Open();
  ASSERT_EQ(first.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(first.get().ok());
  EXPECT_EQ(inflight_.Value(), 0);  // released before the response callback ran
  EXPECT_EQ(Statistics().inference_stats.success.count, 1u);
}

// What the HTTP front end asks before reading a body: "no" exactly while the version's queue is
// full, and each "no" counted as a rejection in the version's statistics (the caller refuses).
TEST_F(ServiceTest, AdmitsIsFalseWhileTheQueueIsFullAndCountsTheRefusal) {
  std::ofstream(root_ / "m" / "config.pbtxt")
      << "max_batch_size: 4\ninstance_group [ { kind: KIND_CPU count: 1 } ]\n"
         "dynamic_batching { default_queue_policy { max_queue_size: 1 } }\n";
  Start(/*max_inflight=*/0);
  EXPECT_TRUE(service_->Admits("m", 0));
  auto running = Send();
  gate_->AwaitWaiting(1);
  EXPECT_TRUE(service_->Admits("m", 1));
  auto queued = Send();
  EXPECT_FALSE(service_->Admits("m", 0));
  EXPECT_FALSE(service_->Admits("m", 1));
  EXPECT_TRUE(service_->Admits("unknown", 0));  // Infer gives the real answer (404)
  gate_->Open();
  ASSERT_EQ(running.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  ASSERT_EQ(queued.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(running.get().ok());
  EXPECT_TRUE(queued.get().ok());
  EXPECT_TRUE(service_->Admits("m", 0));
  const core::ModelStatistics s = Statistics();
  EXPECT_EQ(s.failures[static_cast<size_t>(core::FailureReason::kRejected)], 2u);
  EXPECT_EQ(s.inference_stats.success.count, 2u);
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

constexpr char kLabelledConfig[] = R"pb(
  output
  [ {
    name: "OUT"
    data_type: TYPE_FP32
    dims: [ 4 ]
    label_filename: "labels.txt"
  }]
)pb";

class ServiceAssetsTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    std::ofstream(root_ / "m" / "config.pbtxt") << kLabelledConfig;
    WriteLabels("old");
    files_ = std::make_unique<RepositoryFiles>(std::vector<std::string>{root_.string()});
    Start(/*max_inflight=*/0, {}, files_.get());
  }
  void TearDown() override {
    gate_->Open();
    service_.reset();
    manager_.reset();  // before the files its loads read
    ServiceTest::TearDown();
  }

  // The fake model answers input*2+1: for the row {0,1,2,3} the top class is index 3, whose label
  // is `top`.
  void WriteLabels(const std::string& top) {
    std::ofstream(root_ / "m" / "labels.txt", std::ios::trunc) << "a\nb\nc\n" << top << "\n";
  }

  // Asks for the top class of OUT; the future holds its "score:index:label" string.
  std::future<StatusOr<std::string>> Classify() {
    auto request = std::make_unique<core::InferenceRequest>();
    request->model_name = "m";
    auto tensor = core::MakeOwnedTensor("IN", core::DataType::kFp32, {1, 4}, 16);
    const float row[] = {0, 1, 2, 3};
    std::memcpy(tensor.writable.data(), row, sizeof(row));
    request->inputs.push_back(tensor.tensor);
    request->requested_outputs.push_back("OUT");
    request->classifications.push_back({"OUT", 1});
    auto done = std::make_shared<std::promise<StatusOr<std::string>>>();
    auto future = done->get_future();
    service_->Infer(std::move(request), [done](StatusOr<core::InferenceResponse> result) {
      if (!result.ok()) return done->set_value(result.status());
      if (result->outputs.size() != 1 || result->outputs[0].dtype != core::DataType::kBytes) {
        return done->set_value(absl::InternalError("not classified"));
      }
      // One BYTES element: a 4-byte length, then the string.
      const auto& data = result->outputs[0].data;
      uint32_t length = 0;
      std::memcpy(&length, data.data(), sizeof(length));
      done->set_value(
          std::string(reinterpret_cast<const char*>(data.data()) + sizeof(length), length));
    });
    return future;
  }

  static std::string Await(std::future<StatusOr<std::string>>& future) {
    if (future.wait_for(std::chrono::seconds(20)) != std::future_status::ready) return "timeout";
    auto result = future.get();
    return result.ok() ? *result : std::string(result.status().message());
  }

  std::unique_ptr<RepositoryFiles> files_;
};

TEST_F(ServiceAssetsTest, EveryRequestSharesTheLabelsItsVersionLoaded) {
  auto first = manager_->Get("m", 0);
  auto second = manager_->Get("m", 1);
  ASSERT_TRUE(first.ok() && second.ok());
  // One parsed copy per load, held by the version and shared by every request it serves.
  const auto& assets = (*first)->assets();
  ASSERT_NE(assets, nullptr);
  EXPECT_EQ(assets.get(), (*second)->assets().get());
  auto labels = assets->LabelsOf("OUT");
  ASSERT_TRUE(labels.ok()) << labels.status();
  EXPECT_EQ(*labels, &*assets->labels.at("OUT"));
  ASSERT_EQ((*labels)->size(), 4u);
  EXPECT_EQ((*labels)->back(), "old");
  // A reload with nothing changed keeps the version, and so its assets, as is.
  ASSERT_TRUE(manager_->Load("m", std::nullopt).ok());
  EXPECT_EQ(manager_->Get("m", 0).value().get(), first->get());

  gate_->Open();
  auto answer = Classify();
  EXPECT_EQ(Await(answer), "7.000000:3:old");
  // Edited on disk, the labels change nothing until the model is loaded again.
  WriteLabels("edited");
  auto again = Classify();
  EXPECT_EQ(Await(again), "7.000000:3:old");
  EXPECT_EQ(manager_->Get("m", 0).value()->assets().get(), assets.get());
}

TEST_F(ServiceAssetsTest, LabelsComeFromTheVersionThatRanEvenWhenAReloadLandsBetween) {
  auto before = manager_->Get("m", 0);
  ASSERT_TRUE(before.ok());
  const lifecycle::ModelVersion* old_version = before->get();
  before = absl::UnknownError("released");  // the test holds no handle: the reload may retire it

  auto submitted = Classify();  // runs on the version that has the old labels
  ASSERT_TRUE(gate_->AwaitWaitingFor(1, absl::Seconds(20)));

  // A reload with new labels: the version is loaded anew (its assets changed) and switched to
  // while the first request is still running on the old one.
  WriteLabels("new");
  std::promise<Status> loaded;
  manager_->LoadAsync("m", std::nullopt, [&loaded](Status s) { loaded.set_value(s); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (manager_->Get("m", 0).value()->assets()->labels.at("OUT")->back() != "new") {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the reload never switched";
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_NE(manager_->Get("m", 0).value().get(), old_version);

  auto after = Classify();  // runs on the new version
  ASSERT_TRUE(gate_->AwaitWaitingFor(2, absl::Seconds(20)));
  gate_->Open();
  EXPECT_EQ(Await(submitted), "7.000000:3:old");
  EXPECT_EQ(Await(after), "7.000000:3:new");
  auto load_future = loaded.get_future();
  ASSERT_EQ(load_future.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_TRUE(load_future.get().ok());
}

TEST_F(ServiceAssetsTest, AnImageForAModelWithoutPipelineIsMarkedForTheFrontEnds) {
  auto request = std::make_unique<core::InferenceRequest>();
  request->model_name = "m";
  request->image = "\x89PNG\r\n";
  std::promise<Status> done;
  service_->Infer(std::move(request), [&done](StatusOr<core::InferenceResponse> result) {
    done.set_value(result.status());
  });
  const Status status = done.get_future().get();
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_TRUE(core::IsNoImagePipeline(status)) << status;
  EXPECT_NE(status.message().find("pipeline.json"), std::string_view::npos) << status;
}

}  // namespace
}  // namespace inferd::server
