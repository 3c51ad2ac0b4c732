// Test doubles for the backend interface: a FakeInstance that echoes its inputs as outputs
// ("OUT<i>" for input i, unless names are requested), and can be told to fail or to block until
// released, so scheduler and lifecycle tests control timing without sleeps.
// Thread-safe: the gate may be opened from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "backend/backend.h"

namespace inferd::backend::testing {

// Blocks executions until Open() (closed gates let tests hold requests "in flight").
class Gate {
 public:
  void Open() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock lock(mu_);
    ++waiting_;
    waiting_cv_.notify_all();
    cv_.wait(lock, [this] { return open_; });
  }
  // Waits until `n` executions are blocked in Wait().
  void AwaitWaiting(int n) {
    std::unique_lock lock(mu_);
    waiting_cv_.wait(lock, [&] { return waiting_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable waiting_cv_;
  bool open_ = false;
  int waiting_ = 0;
};

class FakeInstance final : public Instance {
 public:
  explicit FakeInstance(std::shared_ptr<Gate> gate = nullptr, Status fail = absl::OkStatus())
      : gate_(std::move(gate)), fail_(std::move(fail)) {}

  StatusOr<std::vector<core::Tensor>> Execute(std::span<const core::Tensor> inputs,
                                              std::span<const std::string> names) override {
    executions_.fetch_add(1);
    if (gate_) gate_->Wait();
    if (!fail_.ok()) return fail_;
    std::vector<core::Tensor> outputs;
    for (size_t i = 0; i < inputs.size(); ++i) {
      core::Tensor out = inputs[i];
      out.name = i < names.size() ? names[i] : "OUT" + std::to_string(i);
      outputs.push_back(std::move(out));
    }
    return outputs;
  }
  int executions() const { return executions_.load(); }

 private:
  std::shared_ptr<Gate> gate_;
  Status fail_;
  std::atomic<int> executions_{0};
};

class FakeModel final : public Model {
 public:
  explicit FakeModel(std::shared_ptr<Gate> gate) : gate_(std::move(gate)) {}
  StatusOr<std::unique_ptr<Instance>> CreateInstance(int) override {
    return std::make_unique<FakeInstance>(gate_);
  }

 private:
  std::shared_ptr<Gate> gate_;
};

// Every model file that exists has `signature`; a missing file is NotFound, as a real backend.
class FakeBackend final : public Backend {
 public:
  explicit FakeBackend(core::ModelSignature signature, std::shared_ptr<Gate> gate = nullptr)
      : signature_(std::move(signature)), gate_(std::move(gate)) {}
  std::string_view Name() const override { return "onnxruntime"; }
  StatusOr<core::ModelSignature> ReadSignature(const std::filesystem::path& file) override {
    if (!std::filesystem::exists(file)) {
      return absl::NotFoundError("model file not found: " + file.string());
    }
    return signature_;
  }
  StatusOr<std::unique_ptr<Model>> LoadModel(const ModelSpec&) override {
    return std::make_unique<FakeModel>(gate_);
  }

 private:
  core::ModelSignature signature_;
  std::shared_ptr<Gate> gate_;
};

}  // namespace inferd::backend::testing
