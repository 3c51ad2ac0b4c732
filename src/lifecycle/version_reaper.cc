#include "lifecycle/version_reaper.h"

namespace inferd::lifecycle {

VersionReaper::VersionReaper() : thread_([this] { Run(); }) {}

VersionReaper::~VersionReaper() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
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
    absl::MutexLock lock(&mu_);
    if (!stopping_) {
      queue_.push_back(std::move(retired));
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
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](VersionReaper* r)
               ABSL_EXCLUSIVE_LOCKS_REQUIRED(r->mu_) { return r->stopping_ || !r->queue_.empty(); },
          this));
      if (queue_.empty()) return;
      retired = std::move(queue_.front());
      queue_.pop_front();
    }
    retired.version.reset();
    retired.destroyed->set_value();
  }
}

}  // namespace inferd::lifecycle
