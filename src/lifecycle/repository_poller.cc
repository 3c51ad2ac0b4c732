#include "lifecycle/repository_poller.h"

namespace inferd::lifecycle {

RepositoryPoller::RepositoryPoller(ModelManager& manager, std::chrono::milliseconds interval)
    : manager_(manager), interval_(interval), thread_([this] { Run(); }) {}

void RepositoryPoller::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void RepositoryPoller::Run() {
  absl::MutexLock lock(&mu_);
  while (!mu_.AwaitWithTimeout(absl::Condition(&stopping_), absl::FromChrono(interval_))) {
    mu_.Unlock();
    manager_.Poll();
    mu_.Lock();
  }
}

}  // namespace inferd::lifecycle
