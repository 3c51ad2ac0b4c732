// Test doubles for the backend interface. A FakeInstance computes, per element, output = input*2+1
// for INT32/INT64/FP32/FP64 inputs (other types, BYTES included, are copied), named "OUT<i>" for
// input i unless names are requested; each output owns a fresh buffer, so a batch's outputs can
// be checked slice by slice. It can fail on demand, block at a Gate or in a hook, advance a fake
// clock by a configured latency, and records what it saw (batch sizes, input data pointers) so
// scheduler tests control timing and check zero-copy without sleeps.
// Thread-safe: gates, hooks and the recorded observations may be used from any thread.
#pragma once

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "backend/backend.h"
#include "testing/fake_clock.h"

namespace inferd::backend::testing {

// Blocks executions until Open() (closed gates let tests hold requests "in flight").
class Gate {
 public:
  void Open() {
    absl::MutexLock lock(&mu_);
    open_ = true;
  }
  void Wait() {
    absl::MutexLock lock(&mu_);
    ++waiting_;
    mu_.Await(absl::Condition(&open_));
  }
  // Waits until `n` executions are blocked in Wait().
  void AwaitWaiting(int n) { AwaitWaitingFor(n, absl::InfiniteDuration()); }
  // As AwaitWaiting, but false once `timeout` passes first (for tests that must fail, not hang).
  bool AwaitWaitingFor(int n, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return waiting_ >= n; };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
  }

 private:
  absl::Mutex mu_;
  bool open_ ABSL_GUARDED_BY(mu_) = false;
  int waiting_ ABSL_GUARDED_BY(mu_) = 0;
};

struct FakeInstanceOptions {
  std::shared_ptr<Gate> gate;
  Status fail = absl::OkStatus();
  // When set, each execution advances this clock by `latency` (deterministic compute times).
  inferd::testing::FakeClock* clock = nullptr;
  Clock::Duration latency{};
  // Called at the start of each execution (e.g. to block one particular request).
  std::function<void(std::span<const core::Tensor>)> on_execute;
};

namespace internal {

template <typename T>
void Affine(std::span<const std::byte> in, std::span<std::byte> out) {
  for (size_t off = 0; off + sizeof(T) <= in.size(); off += sizeof(T)) {
    T v;
    std::memcpy(&v, in.data() + off, sizeof(T));
    v = static_cast<T>(v * 2 + 1);
    std::memcpy(out.data() + off, &v, sizeof(T));
  }
}

inline core::Tensor Transform(const core::Tensor& in, std::string name) {
  auto owned = core::MakeOwnedTensor(std::move(name), in.dtype, in.shape, in.data.size());
  switch (in.dtype) {
    case core::DataType::kInt32:
      Affine<int32_t>(in.data, owned.writable);
      break;
    case core::DataType::kInt64:
      Affine<int64_t>(in.data, owned.writable);
      break;
    case core::DataType::kFp32:
      Affine<float>(in.data, owned.writable);
      break;
    case core::DataType::kFp64:
      Affine<double>(in.data, owned.writable);
      break;
    default:
      if (!in.data.empty()) std::memcpy(owned.writable.data(), in.data.data(), in.data.size());
  }
  return std::move(owned.tensor);
}

}  // namespace internal

class FakeInstance final : public Instance {
 public:
  explicit FakeInstance(std::shared_ptr<Gate> gate = nullptr, Status fail = absl::OkStatus())
      : FakeInstance(FakeInstanceOptions{std::move(gate), std::move(fail)}) {}
  explicit FakeInstance(FakeInstanceOptions options) : options_(std::move(options)) {}

  StatusOr<std::vector<core::Tensor>> Execute(std::span<const core::Tensor> inputs,
                                              std::span<const std::string> names) override {
    executions_.fetch_add(1);
    Record(inputs);
    if (options_.on_execute) options_.on_execute(inputs);
    if (options_.gate) options_.gate->Wait();
    if (options_.clock != nullptr) options_.clock->Advance(options_.latency);
    if (!options_.fail.ok()) return options_.fail;
    std::vector<core::Tensor> outputs;
    for (size_t i = 0; i < inputs.size(); ++i) {
      outputs.push_back(
          internal::Transform(inputs[i], i < names.size() ? names[i] : "OUT" + std::to_string(i)));
    }
    return outputs;
  }
  int executions() const { return executions_.load(); }
  // Dimension 0 of the first input of every execution, in execution order.
  std::vector<int64_t> batch_sizes() const {
    absl::MutexLock lock(&mu_);
    return batch_sizes_;
  }
  // Data pointers of the inputs of the most recent execution.
  std::vector<const std::byte*> last_input_data() const {
    absl::MutexLock lock(&mu_);
    return last_input_data_;
  }

 private:
  void Record(std::span<const core::Tensor> inputs) {
    absl::MutexLock lock(&mu_);
    batch_sizes_.push_back(inputs.empty() || inputs[0].shape.empty() ? 0 : inputs[0].shape[0]);
    last_input_data_.clear();
    for (const auto& t : inputs) last_input_data_.push_back(t.data.data());
  }

  const FakeInstanceOptions options_;
  std::atomic<int> executions_{0};
  mutable absl::Mutex mu_;
  std::vector<int64_t> batch_sizes_ ABSL_GUARDED_BY(mu_);
  std::vector<const std::byte*> last_input_data_ ABSL_GUARDED_BY(mu_);
};

class FakeModel final : public Model {
 public:
  FakeModel(std::shared_ptr<Gate> gate, core::ModelSignature signature)
      : gate_(std::move(gate)),
        signature_(std::make_shared<const core::ModelSignature>(std::move(signature))) {}
  StatusOr<std::unique_ptr<Instance>> CreateInstance(int) override {
    return std::make_unique<FakeInstance>(gate_);
  }
  std::shared_ptr<const core::ModelSignature> signature() const override { return signature_; }

 private:
  std::shared_ptr<Gate> gate_;
  std::shared_ptr<const core::ModelSignature> signature_;
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
    // A file starting with "corrupt" stands for a model file the runtime cannot parse.
    std::ifstream in(file);
    std::string head(7, '\0');
    in.read(head.data(), 7);
    if (head == "corrupt") return absl::InvalidArgumentError("cannot parse " + file.string());
    return signature_;
  }
  StatusOr<std::unique_ptr<Model>> LoadModel(const ModelSpec& spec) override {
    ASSIGN_OR_RETURN(auto signature, ReadSignature(spec.model_file));
    return std::make_unique<FakeModel>(gate_, std::move(signature));
  }

 private:
  core::ModelSignature signature_;
  std::shared_ptr<Gate> gate_;
};

}  // namespace inferd::backend::testing
