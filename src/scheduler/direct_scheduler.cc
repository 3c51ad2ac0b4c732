#include "scheduler/direct_scheduler.h"

#include <utility>

namespace inferd::scheduler {
namespace {

BatchingOptions ToBatchingOptions(DirectSchedulerOptions options) {
  BatchingOptions out;
  out.model_name = std::move(options.model_name);
  out.model_version = options.model_version;
  out.queue.default_policy.max_queue_size = options.max_queue_size;
  return out;
}

}  // namespace

DirectScheduler::DirectScheduler(DirectSchedulerOptions options,
                                 std::vector<std::unique_ptr<backend::Instance>> instances,
                                 SchedulerContext context)
    : impl_(ToBatchingOptions(std::move(options)), std::move(instances), std::move(context)) {}

}  // namespace inferd::scheduler
