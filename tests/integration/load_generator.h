// LoadGenerator: client threads inferring `model` over HTTP in a loop (each on its own keep-alive
// connection) until stopped, recording every outcome with its start and end times. The model
// is the lifecycle tests' y = x + C (tests/testdata/lifecycle): an answer tells which version
// (which C) served it. Not thread-safe itself; its threads are its own.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "client/http_connection.h"
#include "http_test_util.h"

namespace inferd::testing {

struct Outcome {
  std::chrono::steady_clock::time_point start;
  std::chrono::steady_clock::time_point end;
  int http_status = 0;  // 0 = transport error (no response)
  int constant = 0;     // for 200: the C of the version that answered; -1 if the answer is wrong
  std::string error;
};

class LoadGenerator {
 public:
  LoadGenerator(int port, std::string model, int threads) : model_(std::move(model)) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this, port] { Run(port); });
  }
  ~LoadGenerator() { Stop(); }

  // Stops the threads and returns every outcome.
  std::vector<Outcome> Stop() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
    absl::MutexLock lock(&mu_);
    return outcomes_;
  }
  // Blocks until at least `n` requests have completed (bounded by `timeout`).
  bool AwaitCompleted(size_t n, std::chrono::seconds timeout = std::chrono::seconds(60)) {
    absl::MutexLock lock(&mu_);
    auto reached = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return outcomes_.size() >= n; };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), absl::FromChrono(timeout));
  }
  size_t completed() {
    absl::MutexLock lock(&mu_);
    return outcomes_.size();
  }

 private:
  void Run(int port) {
    client::HttpConnection connection("127.0.0.1", port, std::chrono::seconds(60));
    const std::string body =
        R"({"inputs":[{"name":"INPUT0","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]})";
    const std::string target = "/v2/models/" + model_ + "/infer";
    while (!stop_) {
      Outcome outcome;
      outcome.start = std::chrono::steady_clock::now();
      auto response = connection.Post(target, body);
      outcome.end = std::chrono::steady_clock::now();
      if (!response.ok()) {
        outcome.error = std::string(response.status().message());
      } else {
        outcome.http_status = response->status;
        if (response->status == 200) {
          outcome.constant = Constant(response->body);
        } else {
          outcome.error = response->body;
        }
      }
      absl::MutexLock lock(&mu_);
      outcomes_.push_back(std::move(outcome));
    }
  }

  static int Constant(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    if (doc.HasParseError() || !doc.HasMember("outputs")) return -1;
    const auto& data = doc["outputs"][0]["data"];
    const int c = static_cast<int>(data[0].GetDouble() - 1);
    for (int i = 0; i < 4; ++i) {
      if (data[i].GetDouble() != i + 1 + c) return -1;
    }
    return c;
  }

  const std::string model_;
  std::atomic<bool> stop_{false};
  absl::Mutex mu_;
  std::vector<Outcome> outcomes_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_;
};

}  // namespace inferd::testing
