// Helpers shared by the scheduler tests: INT32 requests with distinct values, a thread-safe
// collector of completions that tests can await, and config parsing from text. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

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
      std::lock_guard lock(mu_);
      ++calls_[id];
      order_.push_back(id);
      results_.insert_or_assign(id, std::move(result));
      cv_.notify_all();
    };
  }
  void AwaitCount(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return order_.size() >= n; });
  }
  StatusOr<core::InferenceResponse> Result(const std::string& id) {
    std::lock_guard lock(mu_);
    auto it = results_.find(id);
    if (it == results_.end()) return absl::NotFoundError("no result for " + id);
    return it->second;
  }
  std::vector<std::string> Order() {
    std::lock_guard lock(mu_);
    return order_;
  }
  std::map<std::string, int> Calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> order_;
  std::map<std::string, int> calls_;
  std::map<std::string, StatusOr<core::InferenceResponse>> results_;
};

}  // namespace inferd::scheduler::testing
