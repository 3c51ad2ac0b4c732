#include "lifecycle/version_reaper.h"

namespace inferd::lifecycle {

VersionReaper::VersionReaper() : thread_([this] { Run(); }) {}

VersionReaper::~VersionReaper() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

AdoptedVersion VersionReaper::Adopt(const std::shared_ptr<VersionReaper>& reaper,
                                    std::unique_ptr<ModelVersion> version) {
  auto destroyed = std::make_shared<std::promise<void>>();
  AdoptedVersion adopted;
  adopted.destroyed = destroyed->get_future().share();
  adopted.handle =
      std::shared_ptr<ModelVersion>(version.release(), [reaper, destroyed](ModelVersion* retired) {
        reaper->Post({std::unique_ptr<ModelVersion>(retired), destroyed});
      });
  return adopted;
}

void VersionReaper::Post(Retired retired) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.push_back(std::move(retired));
      cv_.notify_one();
      return;
    }
  }
  retired.version.reset();
  retired.destroyed->set_value();
}

void VersionReaper::Run() {
  for (;;) {
    Retired retired;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      retired = std::move(queue_.front());
      queue_.pop_front();
    }
    retired.version.reset();
    retired.destroyed->set_value();
  }
}

}  // namespace inferd::lifecycle
