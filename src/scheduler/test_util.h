// Helpers shared by the scheduler tests: INT32 requests with distinct values, a thread-safe
// collector of completions that tests can await, and config parsing from text. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "core/inference_request.h"
#include "core/response_sink.h"
#include "google/protobuf/text_format.h"
#include "model_config.pb.h"

namespace inferd::scheduler::testing {

// An INT32 input "IN" of shape {rows, cols} holding first, first+1, ...
inline std::unique_ptr<core::InferenceRequest> MakeRequest(std::string id, int32_t first,
                                                           int64_t rows = 1, int64_t cols = 2) {
  auto request = std::make_unique<core::InferenceRequest>();
  request->model_name = "m";
  request->id = std::move(id);
  const size_t n = static_cast<size_t>(rows * cols);
  auto owned = core::MakeOwnedTensor("IN", core::DataType::kInt32, {rows, cols}, n * 4);
  for (size_t i = 0; i < n; ++i) {
    const int32_t v = first + static_cast<int32_t>(i);
    std::memcpy(owned.writable.data() + i * 4, &v, 4);
  }
  request->inputs.push_back(std::move(owned.tensor));
  return request;
}

inline std::vector<int32_t> Values(const core::Tensor& t) {
  std::vector<int32_t> out(t.data.size() / 4);
  if (!out.empty()) std::memcpy(out.data(), t.data.data(), out.size() * 4);
  return out;
}

inline int32_t FirstValue(std::span<const core::Tensor> inputs) { return Values(inputs[0]).at(0); }

inline ::inference::ModelConfig ParseConfig(const std::string& text) {
  ::inference::ModelConfig config;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &config)) << text;
  return config;
}

// Records every completion by request id, in completion order.
class Collector {
 public:
  core::ResponseCallback Callback(std::string id) {
    return [this, id = std::move(id)](StatusOr<core::InferenceResponse> result) {
      absl::MutexLock lock(&mu_);
      ++calls_[id];
      order_.push_back(id);
      results_.insert_or_assign(id, std::move(result));
    };
  }
  // Waits until `n` completions arrived; a test failure (not a hang) if they do not in `timeout`.
  bool AwaitCount(size_t n, absl::Duration timeout = absl::Seconds(30)) {
    absl::MutexLock lock(&mu_);
    auto reached = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return order_.size() >= n; };
    if (mu_.AwaitWithTimeout(absl::Condition(&reached), timeout)) return true;
    ADD_FAILURE() << "only " << order_.size() << " of " << n << " completions within " << timeout;
    return false;
  }
  StatusOr<core::InferenceResponse> Result(const std::string& id) {
    absl::MutexLock lock(&mu_);
    auto it = results_.find(id);
    if (it == results_.end()) return absl::NotFoundError("no result for " + id);
    return it->second;
  }
  std::vector<std::string> Order() {
    absl::MutexLock lock(&mu_);
    return order_;
  }
  std::map<std::string, int> Calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> order_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> calls_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, StatusOr<core::InferenceResponse>> results_ ABSL_GUARDED_BY(mu_);
};

}  // namespace inferd::scheduler::testing
