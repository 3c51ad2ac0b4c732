#include "tools/load_generator.h"

#include <random>

namespace inferd::tools {

LoadGenerator::LoadGenerator(client::InferenceClient& client,
                             std::vector<std::shared_ptr<const client::PreparedInfer>> requests)
    : client_(client), requests_(std::move(requests)) {}

LoadGenerator::~LoadGenerator() { Stop(); }

void LoadGenerator::StartConcurrency(int concurrency) {
  closed_loop_ = true;
  running_ = true;
  for (int i = 0; i < concurrency; ++i) Issue();
}

void LoadGenerator::StartRate(double per_second, bool poisson, uint64_t seed) {
  closed_loop_ = false;
  running_ = true;
  pacer_ = std::thread([this, per_second, poisson, seed] { Pace(per_second, poisson, seed); });
}

void LoadGenerator::Stop() {
  {
    absl::MutexLock lock(&pacer_mutex_);
    running_ = false;
  }
  if (pacer_.joinable()) pacer_.join();
  absl::MutexLock lock(&mutex_);
  mutex_.Await(absl::Condition(
      +[](int64_t* in_flight) { return *in_flight == 0; }, &in_flight_));
}

std::vector<LatencyRecord> LoadGenerator::TakeRecords() {
  std::vector<LatencyRecord> taken;
  absl::MutexLock lock(&mutex_);
  taken.swap(records_);
  records_.reserve(taken.size());
  return taken;
}

std::string LoadGenerator::first_error() {
  absl::MutexLock lock(&mutex_);
  return first_error_;
}

void LoadGenerator::Issue() {
  {
    absl::MutexLock lock(&mutex_);
    ++in_flight_;
  }
  ++sent_;
  const auto& request = requests_[next_sample_++ % requests_.size()];
  const auto start = std::chrono::steady_clock::now();
  client_.AsyncInferPrepared(request,
                             [this, start](const Status& status) { Completed(start, status); });
}

void LoadGenerator::Completed(std::chrono::steady_clock::time_point start, const Status& status) {
  const int64_t latency = (std::chrono::steady_clock::now() - start).count();
  if (!status.ok()) ++failed_;
  // The next request goes out before the bookkeeping so the server never sees a gap.
  const bool reissue = closed_loop_ && running_;
  if (reissue) Issue();
  absl::MutexLock lock(&mutex_);
  records_.push_back({latency, status.ok()});
  if (!status.ok() && first_error_.empty()) first_error_ = status.ToString();
  --in_flight_;
}

void LoadGenerator::Pace(double per_second, bool poisson, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> exponential(per_second);
  auto next = std::chrono::steady_clock::now();
  while (true) {
    const double gap = poisson ? exponential(rng) : 1.0 / per_second;
    next += std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(gap));
    {
      absl::MutexLock lock(&pacer_mutex_);
      const absl::Condition stopped(
          +[](std::atomic<bool>* running) { return !running->load(); }, &running_);
      if (pacer_mutex_.AwaitWithTimeout(
              stopped, absl::FromChrono(next - std::chrono::steady_clock::now()))) {
        return;
      }
    }
    Issue();
  }
}

}  // namespace inferd::tools
