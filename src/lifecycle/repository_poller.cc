#include "lifecycle/repository_poller.h"

namespace inferd::lifecycle {

RepositoryPoller::RepositoryPoller(ModelManager& manager, std::chrono::milliseconds interval)
    : manager_(manager), interval_(interval), thread_([this] { Run(); }) {}

void RepositoryPoller::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RepositoryPoller::Run() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    manager_.Poll();
    lock.lock();
  }
}

}  // namespace inferd::lifecycle
