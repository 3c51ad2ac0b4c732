#include "scheduler/batching_scheduler.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"

namespace inferd::scheduler {
namespace {

std::chrono::nanoseconds SinceReceived(const core::InferenceRequest& request) {
  return std::chrono::steady_clock::now() - request.received;
}

int64_t SendRows(const BatchingOptions& o, int64_t max_rows) {
  if (o.preferred_batch_sizes.empty()) return max_rows;
  const int64_t largest =
      *std::max_element(o.preferred_batch_sizes.begin(), o.preferred_batch_sizes.end());
  return std::min(largest, max_rows);
}

}  // namespace

BatchingScheduler::BatchingScheduler(BatchingOptions options,
                                     std::vector<std::unique_ptr<backend::Instance>> instances,
                                     SchedulerContext context)
    : options_(std::move(options)),
      max_rows_(std::max<int64_t>(options_.max_batch_size, 1)),
      send_rows_(SendRows(options_, max_rows_)),
      clock_(context.clock != nullptr ? context.clock : &SteadyClock::Get()),
      stats_(context.stats != nullptr
                 ? std::move(context.stats)
                 : std::make_shared<StatsRecorder>(options_.model_name, options_.model_version,
                                                   options_.max_batch_size)),
      queue_(options_.queue) {
  for (auto& instance : instances) {
    workers_.push_back(std::make_unique<Worker>(Worker{std::move(instance), GatherPool{}}));
  }
  threads_.reserve(workers_.size());
  for (auto& worker : workers_) {
    threads_.emplace_back([this, w = worker.get()] { WorkerLoop(*w); });
  }
}

BatchingScheduler::~BatchingScheduler() { Shutdown(); }

void BatchingScheduler::Enqueue(std::unique_ptr<core::InferenceRequest> request,
                                core::ResponseCallback done) {
  QueuedRequest entry{std::move(request), std::move(done)};
  if (entry.request->timeline) entry.request->timeline->queued = std::chrono::steady_clock::now();
  entry.batch_size = RequestBatchSize(*entry.request, options_.max_batch_size > 0);
  if (entry.request->cancellation && entry.request->cancellation->IsCancelled()) {
    Fail(entry, absl::CancelledError("Request was cancelled"));
    return;
  }
  if (InlineEligible() && TryRunInline(entry)) return;
  std::vector<DroppedRequest> dropped;
  Status status;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) {
      status = absl::UnavailableError(
          absl::StrCat("model '", options_.model_name, "' is shutting down"));
    } else {
      const auto now = clock_->Now();
      queue_.ExpireRejects(now, dropped);  // O(1) unless a REJECT deadline has passed
      status = queue_.Enqueue(entry, now, dropped);
      if (status.ok()) ++generation_;
      QueueChanged();
    }
  }
  if (status.ok()) cv_.Signal();
  for (auto& d : dropped) Fail(d.entry, std::move(d.status));
  if (!status.ok()) {
    Fail(entry, absl::UnavailableError(absl::StrCat(std::string(status.message()), " of model '",
                                                    options_.model_name, "'")));
  }
}

bool BatchingScheduler::InlineEligible() const {
  return options_.inline_below > Clock::Duration::zero() && !options_.preserve_ordering &&
         options_.max_queue_delay <= Clock::Duration::zero() &&
         single_infer_ns_.load(std::memory_order_relaxed) <
             std::chrono::duration_cast<std::chrono::nanoseconds>(options_.inline_below).count();
}

bool BatchingScheduler::TryRunInline(QueuedRequest& entry) {
  Worker* borrowed = nullptr;
  Formed batch;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ || !queue_.empty()) return false;
    for (auto& w : workers_) {
      if (w->idle && !w->lent) {
        borrowed = w.get();
        break;
      }
    }
    if (borrowed == nullptr) return false;
    borrowed->lent = true;  // its worker will not form a batch until the instance is back
    batch.at = clock_->Now();
  }
  entry.enqueued = batch.at;
  batch.requests.push_back(std::move(entry));
  RunBatch(*borrowed, batch);
  bool wake = false;
  {
    absl::MutexLock lock(&mu_);
    borrowed->lent = false;
    wake = borrowed->awaiting_return;
  }
  // Only a lender that woke while lent (work arrived, or shutdown) waits for its instance. An
  // unconditional signal woke the idle lender after every inline request: a futex wake and two
  // context switches per request, the largest cost of a tiny request on this path.
  if (wake) cv_.SignalAll();
  return true;
}

void BatchingScheduler::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
    admits_.store(false, std::memory_order_relaxed);
  }
  cv_.SignalAll();
  threads_.clear();  // workers run every queued request before they exit
}

void BatchingScheduler::QueueChanged() {
  stats_->SetPending(static_cast<int64_t>(queue_.size()));
  admits_.store(!stopping_ && queue_.HasRoom(), std::memory_order_relaxed);
}

void BatchingScheduler::WorkerLoop(Worker& worker) {
  std::vector<DroppedRequest> dropped;
  for (;;) {
    Formed batch;
    dropped.clear();
    bool more = false;
    {
      absl::MutexLock lock(&mu_);
      more = NextBatch(worker, batch, dropped);
      QueueChanged();
      if (!batch.requests.empty()) {
        batch.at = clock_->Now();
        if (options_.preserve_ordering) batch.first_slot = orderer_.Reserve(batch.requests.size());
      }
      // Work is left: make sure another free worker looks at it.
      if (!queue_.empty()) cv_.Signal();
    }
    for (auto& d : dropped) Fail(d.entry, std::move(d.status));
    if (!batch.requests.empty()) RunBatch(worker, batch);
    if (!more) return;
  }
}

bool BatchingScheduler::NextBatch(Worker& worker, Formed& batch,
                                  std::vector<DroppedRequest>& dropped) {
  for (;;) {
    if (worker.lent) {  // its instance is running an inline request: wait for it to come back
      worker.awaiting_return = true;
      while (worker.lent) cv_.Wait(&mu_);
      worker.awaiting_return = false;
      continue;
    }
    const auto now = clock_->Now();
    queue_.ExpireRejects(now, dropped);
    const Plan plan = PlanBatch(now, dropped);
    if (plan.ready) {
      queue_.PopFront(plan.count, batch.requests);
      return true;
    }
    if (!dropped.empty()) return true;  // complete those (outside the lock) before waiting
    const uint64_t seen = generation_;
    auto woken = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_ || generation_ != seen;
    };
    if (queue_.empty()) {
      if (stopping_) return false;
      worker.idle = true;
      while (!woken()) cv_.Wait(&mu_);
      worker.idle = false;
      continue;
    }
    // A partial batch: wait for more requests, the oldest one's delay, or a queue timeout.
    const auto deadline =
        std::min(plan.oldest + options_.max_queue_delay, queue_.NextRejectDeadline());
    clock_->WaitUntil(cv_, mu_, deadline, woken);
  }
}

BatchingScheduler::Plan BatchingScheduler::PlanBatch(Clock::TimePoint now,
                                                     std::vector<DroppedRequest>& dropped) {
  Plan plan;
  const core::InferenceRequest* head = nullptr;
  size_t preferred_count = 0;
  queue_.Visit(now, dropped, [&](const QueuedRequest& e) {
    if (head != nullptr && (!CanBatch(*head, *e.request) || plan.rows + e.batch_size > max_rows_)) {
      plan.ready = true;  // the batch cannot grow past this request: no reason to wait
      return false;
    }
    if (head == nullptr) head = e.request.get();
    ++plan.count;
    plan.rows += e.batch_size;
    plan.oldest = std::min(plan.oldest, e.enqueued);
    if (IsPreferred(plan.rows)) preferred_count = plan.count;
    if (!options_.dynamic_batching || plan.rows >= send_rows_) {
      plan.ready = true;
      return false;
    }
    return true;
  });
  if (plan.count == 0) return Plan{};
  if (stopping_ || options_.max_queue_delay <= Clock::Duration::zero() ||
      now >= plan.oldest + options_.max_queue_delay) {
    plan.ready = true;
  }
  if (plan.ready && preferred_count > 0) plan.count = preferred_count;
  return plan;
}

bool BatchingScheduler::IsPreferred(int64_t rows) const {
  const auto& p = options_.preferred_batch_sizes;
  return std::find(p.begin(), p.end(), rows) != p.end();
}

void BatchingScheduler::RunBatch(Worker& worker, Formed& batch) {
  auto& entries = batch.requests;
  std::vector<const core::InferenceRequest*> requests;
  std::vector<int64_t> rows;
  int64_t total = 0;
  for (const auto& e : entries) {
    requests.push_back(e.request.get());
    rows.push_back(e.batch_size);
    total += e.batch_size;
  }
  const bool traced = std::any_of(entries.begin(), entries.end(),
                                  [](const QueuedRequest& e) { return e.request->timeline; });
  const auto compute_start =
      traced ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  const auto t0 = clock_->Now();
  std::vector<core::Tensor> gathered;
  std::span<const core::Tensor> inputs = entries[0].request->inputs;  // a batch of one: no copy
  if (entries.size() > 1) {
    gathered = worker.pool.Gather(requests, total);
    inputs = gathered;
  }
  const auto t1 = clock_->Now();
  auto outputs = worker.instance->Execute(inputs, entries[0].request->requested_outputs);
  const auto t2 = clock_->Now();
  StatusOr<std::vector<std::vector<core::Tensor>>> parts = absl::UnknownError("unset");
  if (!outputs.ok()) {
    parts = outputs.status();
  } else if (entries.size() == 1) {
    parts = std::vector<std::vector<core::Tensor>>{std::move(outputs).value()};
  } else {
    parts = Scatter(*outputs, rows);
  }
  const auto t3 = clock_->Now();
  if (traced) {
    const auto compute_end = std::chrono::steady_clock::now();
    for (auto& e : entries) {
      if (!e.request->timeline) continue;
      e.request->timeline->compute_start = compute_start;
      e.request->timeline->compute_end = compute_end;
    }
  }
  if (parts.ok()) stats_->RecordExecution(total, t1 - t0, t2 - t1, t3 - t2);
  if (entries.size() == 1 && outputs.ok()) {
    // A moving average (1/8 weight) decides whether batch-of-one requests may run inline.
    const int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t2 - t1).count();
    const int64_t old = single_infer_ns_.load(std::memory_order_relaxed);
    single_infer_ns_.store(old == INT64_MAX ? ns : old + (ns - old) / 8, std::memory_order_relaxed);
  }
  for (size_t k = 0; k < entries.size(); ++k) {
    QueuedRequest& e = entries[k];
    if (!parts.ok()) {
      stats_->RecordFailure(SinceReceived(*e.request), core::FailureReason::kBackend);
      Deliver(e, parts.status(), batch.first_slot + k);
      continue;
    }
    // compute_input includes the front end's preprocessing (image decode/transform), as
    // Triton's includes input preparation.
    stats_->RecordSuccess(SinceReceived(*e.request), batch.at - e.enqueued,
                          t1 - t0 + e.request->preprocess_duration, t2 - t1, t3 - t2);
    core::InferenceResponse response{options_.model_name, options_.model_version, e.request->id,
                                     std::move((*parts)[k])};
    Deliver(e, std::move(response), batch.first_slot + k);
  }
}

void BatchingScheduler::Deliver(QueuedRequest& entry, StatusOr<core::InferenceResponse> result,
                                uint64_t slot) {
  if (options_.preserve_ordering) {
    orderer_.Complete(slot, std::move(entry.done), std::move(result));
  } else {
    std::move(entry.done)(std::move(result));
  }
}

void BatchingScheduler::Fail(QueuedRequest& entry, Status status) {
  stats_->RecordFailure(SinceReceived(*entry.request), status.code() == absl::StatusCode::kCancelled
                                                           ? core::FailureReason::kCanceled
                                                           : core::FailureReason::kRejected);
  std::move(entry.done)(std::move(status));
}

}  // namespace inferd::scheduler
