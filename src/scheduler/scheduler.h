// The per-model-version scheduler interface: takes requests that the service has already
// validated, queues them, and runs them on the version's backend instances. Completion is always
// through the request's callback (exactly once), never by handing the request back.
//
// Thread-safe: Enqueue may be called from any number of IO threads. Shutdown is called once, by
// the owner, after which Enqueue rejects with Unavailable.
#pragma once

#include <memory>

#include "core/inference_request.h"
#include "core/response_sink.h"

namespace inferd::scheduler {

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual void Enqueue(std::unique_ptr<core::InferenceRequest> request,
                       core::ResponseCallback done) = 0;
  // A hint for front ends that can refuse a request before reading it (an HTTP body): false
  // when a request enqueued now would be refused at once (the queue is full or shutting down).
  // Lock-free and never exact under concurrency: Enqueue still decides. Default: always true.
  virtual bool Admits() const { return true; }
  // Stops accepting, lets queued and running requests finish, then joins worker threads.
  virtual void Shutdown() = 0;
};

}  // namespace inferd::scheduler
