#include "scheduler/sequence_scheduler.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace inferd::scheduler {
namespace {

constexpr size_t kDefaultCandidateSequences = 1024;

std::string SequenceKey(const core::CorrelationId& id) {
  return id.is_text() ? absl::StrCat("s", id.text) : absl::StrCat("n", id.number);
}

std::chrono::nanoseconds SequenceSinceReceived(const core::InferenceRequest& request) {
  return std::chrono::steady_clock::now() - request.received;
}

size_t SequenceCapacity(const SequenceOptions& o, size_t instances) {
  if (o.oldest) {
    return o.max_candidate_sequences > 0 ? o.max_candidate_sequences : kDefaultCandidateSequences;
  }
  return instances * static_cast<size_t>(std::max<int64_t>(o.max_batch_size, 1));
}

int64_t SequenceSendRows(const SequenceOptions& o, int64_t max_rows) {
  if (!o.oldest || o.preferred_batch_sizes.empty()) return max_rows;
  return std::min(*std::max_element(o.preferred_batch_sizes.begin(), o.preferred_batch_sizes.end()),
                  max_rows);
}

}  // namespace

SequenceScheduler::SequenceScheduler(SequenceOptions options,
                                     std::vector<std::unique_ptr<backend::Instance>> instances,
                                     SchedulerContext context)
    : options_(std::move(options)),
      batched_(options_.max_batch_size > 0),
      max_rows_(std::max<int64_t>(options_.max_batch_size, 1)),
      send_rows_(SequenceSendRows(options_, max_rows_)),
      capacity_(SequenceCapacity(options_, instances.size())),
      clock_(context.clock != nullptr ? context.clock : &SteadyClock::Get()),
      stats_(context.stats != nullptr
                 ? std::move(context.stats)
                 : std::make_shared<StatsRecorder>(options_.model_name, options_.model_version,
                                                   options_.max_batch_size)) {
  for (auto& instance : instances) {
    workers_.push_back(std::make_unique<Worker>(Worker{std::move(instance), GatherPool{}, 0}));
  }
  threads_.reserve(workers_.size());
  for (size_t i = 0; i < workers_.size(); ++i) {
    threads_.emplace_back([this, i] { WorkerLoop(i); });
  }
}

SequenceScheduler::~SequenceScheduler() { Shutdown(); }

void SequenceScheduler::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.SignalAll();
  threads_.clear();
}

size_t SequenceScheduler::ActiveSequences() const {
  absl::MutexLock lock(&mu_);
  return sequences_.size();
}

void SequenceScheduler::Enqueue(std::unique_ptr<core::InferenceRequest> request,
                                core::ResponseCallback done) {
  QueuedRequest entry{std::move(request), std::move(done)};
  core::InferenceRequest& r = *entry.request;
  if (r.timeline) r.timeline->queued = std::chrono::steady_clock::now();
  entry.batch_size = RequestBatchSize(r, batched_);
  if (r.cancellation && r.cancellation->IsCancelled()) {
    Fail(entry, absl::CancelledError("Request was cancelled"));
    return;
  }
  if (r.sequence_id.empty()) {
    Fail(entry, absl::InvalidArgumentError(
                    absl::StrCat("inference request to model '", options_.model_name,
                                 "' must specify a non-zero or non-empty correlation ID (parameter "
                                 "'sequence_id'): it is a stateful (sequence) model")));
    return;
  }
  if (batched_ && entry.batch_size != 1) {
    Fail(entry, absl::InvalidArgumentError(absl::StrCat(
                    "a request of sequence ", r.sequence_id.ToString(), " to model '",
                    options_.model_name, "' must have batch size 1, got ", entry.batch_size)));
    return;
  }
  if (Status s = core::AppendControlTensors(options_.controls, batched_, r.sequence_id,
                                            r.sequence_start, r.sequence_end, r.inputs);
      !s.ok()) {
    Fail(entry, absl::InvalidArgumentError(
                    absl::StrCat("model '", options_.model_name, "': ", s.message())));
    return;
  }
  // The state outputs are always computed: the next request of the sequence needs them.
  if (!r.requested_outputs.empty()) {
    for (const auto& state : options_.controls.states) r.requested_outputs.push_back(state.output);
  }
  Status status;
  {
    absl::MutexLock lock(&mu_);
    status = Admit(entry, clock_->Now());
  }
  if (status.ok()) {
    cv_.SignalAll();  // under direct, only the sequence's own worker may take it
  } else {
    Fail(entry, std::move(status));
  }
}

Status SequenceScheduler::Admit(QueuedRequest& entry, Clock::TimePoint now) {
  const core::InferenceRequest& r = *entry.request;
  if (stopping_) {
    return absl::UnavailableError(
        absl::StrCat("model '", options_.model_name, "' is shutting down"));
  }
  const std::string key = SequenceKey(r.sequence_id);
  auto it = sequences_.find(key);
  Sequence* sequence = it == sequences_.end() ? nullptr : it->second.get();
  if (sequence != nullptr && !sequence->in_flight && sequence->pending.empty() &&
      sequence->last_activity + options_.max_idle <= now) {
    Erase(sequence);  // idle past the limit: released, even if no worker has swept it yet
    sequence = nullptr;
  }
  if (!r.sequence_start && (sequence == nullptr || sequence->ended)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "inference request for sequence ", r.sequence_id.ToString(), " to model '",
        options_.model_name,
        "' must specify the START flag on the first request of the sequence (the sequence is "
        "not active: it never started, it ended, or it was idle longer than "
        "max_sequence_idle_microseconds)"));
  }
  if (sequence == nullptr) {
    if (sequences_.size() >= capacity_) {
      return absl::UnavailableError(absl::StrCat(
          "model '", options_.model_name, "' already has ", capacity_,
          " active sequences, its maximum (", options_.oldest ? "max_candidate_sequences" : "slots",
          "); end a sequence or retry later"));
    }
    auto created = std::make_unique<Sequence>();
    created->id = r.sequence_id;
    if (!options_.oldest) {
      // Direct: the instance with the most free slots.
      size_t best = 0;
      for (size_t i = 1; i < workers_.size(); ++i) {
        if (workers_[i]->sequences < workers_[best]->sequences) best = i;
      }
      created->worker = best;
      ++workers_[best]->sequences;
    }
    sequence = created.get();
    sequences_.emplace(key, std::move(created));
  }
  // A START on an active sequence restarts it: the START request runs with the initial state.
  sequence->ended = r.sequence_end;
  sequence->last_activity = now;
  entry.enqueued = now;
  sequence->pending.push_back(std::move(entry));
  if (!sequence->in_flight && sequence->pending.size() == 1) ready_.push_back(sequence);
  ++pending_;
  ++generation_;
  stats_->SetPending(pending_);
  return absl::OkStatus();
}

void SequenceScheduler::Erase(Sequence* sequence) {
  if (!options_.oldest) --workers_[sequence->worker]->sequences;
  sequences_.erase(SequenceKey(sequence->id));
}

Clock::TimePoint SequenceScheduler::Sweep(Clock::TimePoint now,
                                          std::vector<DroppedRequest>& dropped) {
  std::deque<Sequence*> still_ready;
  for (Sequence* s : ready_) {
    while (!s->pending.empty()) {
      const auto& token = s->pending.front().request->cancellation;
      if (!token || !token->IsCancelled()) break;
      dropped.push_back(
          {std::move(s->pending.front()), absl::CancelledError("Request was cancelled")});
      s->pending.pop_front();
      --pending_;
    }
    if (!s->pending.empty()) still_ready.push_back(s);
  }
  ready_.swap(still_ready);
  Clock::TimePoint next = Clock::TimePoint::max();
  std::vector<Sequence*> released;
  for (auto& [key, s] : sequences_) {
    if (s->in_flight || !s->pending.empty()) continue;
    const auto deadline = s->last_activity + options_.max_idle;
    if (s->ended || deadline <= now) {
      released.push_back(s.get());
    } else {
      next = std::min(next, deadline);
    }
  }
  for (Sequence* s : released) Erase(s);
  return next;
}

void SequenceScheduler::WorkerLoop(size_t index) {
  Worker& worker = *workers_[index];
  for (;;) {
    std::vector<Picked> batch;
    std::vector<DroppedRequest> dropped;
    bool more = false;
    {
      absl::MutexLock lock(&mu_);
      more = NextBatch(index, batch, dropped);
      stats_->SetPending(pending_);
    }
    for (auto& d : dropped) Fail(d.entry, std::move(d.status));
    if (!batch.empty()) RunBatch(worker, batch);
    if (!more) return;
  }
}

bool SequenceScheduler::NextBatch(size_t index, std::vector<Picked>& batch,
                                  std::vector<DroppedRequest>& dropped) {
  for (;;) {
    const auto now = clock_->Now();
    const auto idle_deadline = Sweep(now, dropped);
    std::vector<size_t> chosen;
    const core::InferenceRequest* head = nullptr;
    Clock::TimePoint oldest = Clock::TimePoint::max();
    for (size_t i = 0; i < ready_.size() && static_cast<int64_t>(chosen.size()) < max_rows_; ++i) {
      Sequence* s = ready_[i];
      if (!options_.oldest && s->worker != index) continue;
      const QueuedRequest& e = s->pending.front();
      if (head != nullptr && !CanBatch(*head, *e.request)) continue;
      if (head == nullptr) head = e.request.get();
      chosen.push_back(i);
      oldest = std::min(oldest, e.enqueued);
    }
    const int64_t rows = static_cast<int64_t>(chosen.size());
    const bool send = rows > 0 && (stopping_ || rows >= send_rows_ || rows >= max_rows_ ||
                                   now >= oldest + options_.max_queue_delay);
    if (send) {
      size_t count = chosen.size();
      const auto& preferred = options_.preferred_batch_sizes;
      if (options_.oldest && !preferred.empty()) {
        int64_t best = 0;
        for (int64_t p : preferred) {
          if (p <= rows) best = std::max(best, p);
        }
        if (best > 0) count = static_cast<size_t>(best);
      }
      for (size_t k = 0; k < count; ++k) {
        Sequence* s = ready_[chosen[k]];
        s->in_flight = true;
        batch.push_back({s, std::move(s->pending.front()), s->state});
        s->pending.pop_front();
        --pending_;
        ready_[chosen[k]] = nullptr;
      }
      ready_.erase(std::remove(ready_.begin(), ready_.end(), nullptr), ready_.end());
      return true;
    }
    if (!dropped.empty()) return true;  // complete those outside the lock first
    if (stopping_ && rows == 0) return false;
    const uint64_t seen = generation_;
    const auto deadline = std::min(
        idle_deadline, rows > 0 ? oldest + options_.max_queue_delay : Clock::TimePoint::max());
    clock_->WaitUntil(cv_, mu_, deadline, [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_ || generation_ != seen;
    });
  }
}

void SequenceScheduler::RunBatch(Worker& worker, std::vector<Picked>& batch) {
  const auto& states = options_.controls.states;
  std::vector<const core::InferenceRequest*> requests;
  std::vector<int64_t> rows;
  for (auto& p : batch) {
    core::InferenceRequest& r = *p.entry.request;
    const bool fresh = r.sequence_start || p.state.size() != states.size();
    for (size_t i = 0; i < states.size(); ++i) {
      core::Tensor tensor = fresh ? core::InitialStateTensor(states[i], batched_) : p.state[i];
      tensor.name = states[i].input;
      r.inputs.push_back(std::move(tensor));
    }
    requests.push_back(&r);
    rows.push_back(1);
  }
  const auto t0 = clock_->Now();
  const auto at = t0;
  std::vector<core::Tensor> gathered;
  std::span<const core::Tensor> inputs = batch[0].entry.request->inputs;
  if (batch.size() > 1) {
    gathered = worker.pool.Gather(requests, static_cast<int64_t>(batch.size()));
    inputs = gathered;
  }
  const bool traced = std::any_of(batch.begin(), batch.end(),
                                  [](const Picked& p) { return p.entry.request->timeline; });
  const auto compute_start =
      traced ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  const auto t1 = clock_->Now();
  auto outputs = worker.instance->Execute(inputs, batch[0].entry.request->requested_outputs);
  const auto t2 = clock_->Now();
  StatusOr<std::vector<std::vector<core::Tensor>>> parts = absl::UnknownError("unset");
  if (!outputs.ok()) {
    parts = outputs.status();
  } else if (batch.size() == 1) {
    parts = std::vector<std::vector<core::Tensor>>{std::move(outputs).value()};
  } else {
    parts = Scatter(*outputs, rows);
  }
  const auto t3 = clock_->Now();
  if (traced) {
    const auto compute_end = std::chrono::steady_clock::now();
    for (auto& p : batch) {
      if (!p.entry.request->timeline) continue;
      p.entry.request->timeline->compute_start = compute_start;
      p.entry.request->timeline->compute_end = compute_end;
    }
  }
  std::vector<std::vector<core::Tensor>> new_states(batch.size());
  std::vector<StatusOr<core::InferenceResponse>> results;
  if (parts.ok())
    stats_->RecordExecution(static_cast<int64_t>(batch.size()), t1 - t0, t2 - t1, t3 - t2);
  for (size_t k = 0; k < batch.size(); ++k) {
    core::InferenceRequest& r = *batch[k].entry.request;
    if (!parts.ok()) {
      stats_->RecordFailure(SequenceSinceReceived(r), core::FailureReason::kBackend);
      results.emplace_back(parts.status());
      continue;
    }
    std::vector<core::Tensor> answer;
    std::vector<core::Tensor>& state = new_states[k];
    state.resize(states.size());
    size_t found = 0;
    for (core::Tensor& tensor : (*parts)[k]) {
      auto is_state = std::find_if(states.begin(), states.end(), [&](const core::SequenceState& s) {
        return s.output == tensor.name;
      });
      if (is_state == states.end()) {
        answer.push_back(std::move(tensor));
      } else {
        state[static_cast<size_t>(is_state - states.begin())] = std::move(tensor);
        ++found;
      }
    }
    if (found != states.size()) {
      state.clear();  // the next request starts from zeros rather than a partial state
      stats_->RecordFailure(SequenceSinceReceived(r), core::FailureReason::kBackend);
      results.emplace_back(absl::InternalError(
          absl::StrCat("model '", options_.model_name, "' did not return every state output")));
      continue;
    }
    stats_->RecordSuccess(SequenceSinceReceived(r), at - batch[k].entry.enqueued,
                          t1 - t0 + r.preprocess_duration, t2 - t1, t3 - t2);
    results.emplace_back(core::InferenceResponse{options_.model_name, options_.model_version, r.id,
                                                 std::move(answer)});
  }
  // An ended sequence frees its slot before its last answer is delivered, so a client that
  // starts another sequence on receiving it finds the slot free. A sequence with more requests
  // stays in flight until its answer is delivered, so its answers always come back in order.
  Settle(batch, parts.ok() ? &new_states : nullptr);
  for (size_t k = 0; k < batch.size(); ++k) {
    std::move(batch[k].entry.done)(std::move(results[k]));
  }
  Release(batch);
}

void SequenceScheduler::Settle(std::vector<Picked>& batch,
                               std::vector<std::vector<core::Tensor>>* states) {
  absl::MutexLock lock(&mu_);
  const auto now = clock_->Now();
  for (size_t k = 0; k < batch.size(); ++k) {
    Sequence* s = batch[k].sequence;
    // A failed execution keeps the state the request started from.
    if (states != nullptr) s->state = std::move((*states)[k]);
    s->last_activity = now;
    if (s->ended && s->pending.empty()) {
      Erase(s);
      batch[k].sequence = nullptr;
    }
  }
}

void SequenceScheduler::Release(std::vector<Picked>& batch) {
  {
    absl::MutexLock lock(&mu_);
    const auto now = clock_->Now();
    for (auto& picked : batch) {
      Sequence* s = picked.sequence;
      if (s == nullptr) continue;
      s->in_flight = false;
      s->last_activity = now;
      if (!s->pending.empty()) {
        ready_.push_back(s);
      } else if (s->ended) {
        Erase(s);
      }
    }
    ++generation_;
  }
  cv_.SignalAll();
}

void SequenceScheduler::Fail(QueuedRequest& entry, Status status) {
  stats_->RecordFailure(SequenceSinceReceived(*entry.request),
                        status.code() == absl::StatusCode::kCancelled
                            ? core::FailureReason::kCanceled
                            : core::FailureReason::kRejected);
  std::move(entry.done)(std::move(status));
}

}  // namespace inferd::scheduler
