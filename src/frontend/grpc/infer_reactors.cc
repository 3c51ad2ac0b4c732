#include "frontend/grpc/infer_reactors.h"

#include <array>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "frontend/grpc/grpc_status.h"
#include "google/protobuf/arena.h"
#include "grpc_service.pb.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/proto_buffer_reader.h"

namespace inferd::frontend::grpc {
namespace {

using ::grpc::ByteBuffer;
using ::inference::ModelInferRequest;
using ::inference::ModelInferResponse;
using ::inference::ModelStreamInferResponse;

// A request message on its own protobuf arena, whose first block is inline: parsing a small
// request then makes one allocation (this object) instead of one per field, string and repeated
// field. Large byte fields (raw contents) still get their own buffer.
class ArenaRequest {
 public:
  ArenaRequest() : arena_(Options(initial_block_)) {
    message_ = google::protobuf::Arena::CreateMessage<ModelInferRequest>(&arena_);
  }
  ArenaRequest(const ArenaRequest&) = delete;
  ArenaRequest& operator=(const ArenaRequest&) = delete;
  ModelInferRequest& message() { return *message_; }

 private:
  static google::protobuf::ArenaOptions Options(std::array<char, 2048>& block) {
    google::protobuf::ArenaOptions options;
    options.initial_block = block.data();
    options.initial_block_size = block.size();
    return options;
  }
  std::array<char, 2048> initial_block_;  // declared before the arena: outlives it
  google::protobuf::Arena arena_;
  ModelInferRequest* message_ = nullptr;  // owned by arena_
};

// Parses into an arena message owned through a shared_ptr (the decoded tensors view it). The
// ByteBuffer is copied first: a copy shares its slices (no data copy), and gRPC's buffer stays
// untouched.
StatusOr<std::shared_ptr<const ModelInferRequest>> ParseRequest(const ByteBuffer& buffer) {
  auto holder = std::make_shared<ArenaRequest>();
  ByteBuffer copy(buffer);
  ::grpc::ProtoBufferReader reader(&copy);
  if (!holder->message().ParseFromZeroCopyStream(&reader)) {
    return absl::InvalidArgumentError("cannot parse the ModelInferRequest message");
  }
  ModelInferRequest* message = &holder->message();
  return std::shared_ptr<const ModelInferRequest>(std::move(holder), message);
}

// The outputs to classify go with the request: the service classifies them with the labels of the
// version that runs it.
std::unique_ptr<core::InferenceRequest> WithClassifications(DecodedInferRequest decoded) {
  for (auto& wanted : decoded.classifications) {
    decoded.request->classifications.push_back({std::move(wanted.output), wanted.count});
  }
  return std::move(decoded.request);
}

template <typename Message>
Status Serialize(const Message& message, ByteBuffer& out) {
  bool own_buffer = false;
  if (!::grpc::SerializationTraits<Message>::Serialize(message, &out, &own_buffer).ok()) {
    return absl::InternalError("cannot serialize the response");
  }
  return absl::OkStatus();
}

class UnaryInferReactor final : public ::grpc::ServerUnaryReactor {
 public:
  UnaryInferReactor() : token_(std::make_shared<core::CancellationFlag>()) {}

  void Start(std::shared_ptr<UnaryInferReactor> self, const InferContext& context,
             const ByteBuffer& request, ByteBuffer* response) {
    self_ = self;
    auto message = ParseRequest(request);
    if (!message.ok()) return Finish(ToGrpcStatus(message.status()));
    auto decoded = DecodeInferRequest(*std::move(message), context.limits, context.shared_memory);
    if (!decoded.ok()) return Finish(ToGrpcStatus(decoded.status()));
    std::vector<SharedMemoryOutput> shm = std::move(decoded->shared_memory_outputs);
    auto inference = WithClassifications(*std::move(decoded));
    inference->cancellation = token_;
    context.service.Infer(std::move(inference),
                          [self = std::move(self), response,
                           shm = std::move(shm)](StatusOr<core::InferenceResponse> result) {
                            self->Complete(std::move(result), shm, *response);
                          });
  }

  void OnCancel() override { token_->Cancel(); }
  void OnDone() override { self_.reset(); }
  // Both reactions are trivial (an atomic store, a reference dropped), so gRPC may run them on
  // the thread that finishes the call instead of handing OnDone to its executor: that hand-off
  // was one thread wake-up per request (docs/adr/0018-grpc-infer-hot-path.md).
  bool InternalInlineable() override { return true; }

 private:
  void Complete(StatusOr<core::InferenceResponse> result,
                const std::vector<SharedMemoryOutput>& shm, ByteBuffer& response) {
    if (!result.ok()) return Finish(ToGrpcStatus(result.status()));
    // The response message lives only until serialized: on an arena whose first block is on the
    // stack, so a small response allocates nothing but its output bytes.
    std::array<char, 2048> block;
    google::protobuf::ArenaOptions options;
    options.initial_block = block.data();
    options.initial_block_size = block.size();
    google::protobuf::Arena arena(options);
    auto* message = google::protobuf::Arena::CreateMessage<ModelInferResponse>(&arena);
    Status status = EncodeInferResponse(*result, *message, shm);
    if (status.ok()) status = Serialize(*message, response);
    Finish(ToGrpcStatus(status));
  }

  core::CancellationToken token_;
  std::shared_ptr<UnaryInferReactor> self_;  // released when gRPC is done with the reactor
};

class StreamInferReactor final : public ::grpc::ServerBidiReactor<ByteBuffer, ByteBuffer>,
                                 public std::enable_shared_from_this<StreamInferReactor> {
 public:
  explicit StreamInferReactor(const InferContext& context)
      : context_(context), token_(std::make_shared<core::CancellationFlag>()) {}

  void Start() {
    self_ = shared_from_this();
    {
      absl::MutexLock lock(&mu_);
      reading_ = true;
    }
    StartRead(&read_buffer_);
  }

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  // One token for the whole stream: the protocol cancels a stream, not one of its requests.
  void OnCancel() override { token_->Cancel(); }
  void OnDone() override { self_.reset(); }

 private:
  void Dispatch(const ByteBuffer& buffer, uint64_t ticket);
  void Respond(ModelStreamInferResponse response);
  // Decides under the lock whether the stream can finish now (reads done, nothing in flight,
  // nothing left to write); the caller then calls Finish outside the lock.
  bool ShouldFinishLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Decides under the lock whether to start the next read: none outstanding, the client has not
  // half-closed, and the stream is under both caps. The caller then calls StartRead outside.
  bool ShouldReadLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const InferContext context_;
  const core::CancellationToken token_;
  std::shared_ptr<StreamInferReactor> self_;
  ByteBuffer read_buffer_;  // touched only by the one outstanding read

  absl::Mutex mu_;
  std::deque<ByteBuffer> writes_ ABSL_GUARDED_BY(mu_);  // front() is being written if writing_
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool broken_ ABSL_GUARDED_BY(mu_) = false;  // a write failed: the client is gone
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;  // a read is outstanding
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  size_t queued_bytes_ ABSL_GUARDED_BY(mu_) = 0;   // sum of writes_' sizes
  uint64_t next_ticket_ ABSL_GUARDED_BY(mu_) = 0;  // read order of the messages

  // Messages are handed to the service in read order, though the next read starts before a
  // message is dispatched: a sequence's requests must reach its scheduler in the order sent.
  // Each message waits for `turn_` to reach its ticket; a sequence request passes the turn on
  // after the service took it, others as soon as they are decoded.
  absl::Mutex turn_mu_;
  uint64_t turn_ ABSL_GUARDED_BY(turn_mu_) = 0;
};

// gRPC may run a reaction inline from StartWrite / Finish, so neither is called under mu_.
void StreamInferReactor::OnReadDone(bool ok) {
  if (!ok) {  // the client half-closed, or the call is cancelled
    bool finish = false;
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      reads_done_ = true;
      finish = ShouldFinishLocked();
    }
    if (finish) Finish(::grpc::Status::OK);
    return;
  }
  ByteBuffer request;
  request.Swap(&read_buffer_);
  bool read = false;
  uint64_t ticket = 0;
  {
    absl::MutexLock lock(&mu_);
    ticket = next_ticket_++;
    reading_ = false;
    ++in_flight_;  // before the next read, so a quick half-close cannot finish the stream early
    read = ShouldReadLocked();
  }
  if (read) StartRead(&read_buffer_);
  Dispatch(request, ticket);
}

void StreamInferReactor::Dispatch(const ByteBuffer& buffer, uint64_t ticket) {
  // Holds this message's turn from Take to Pass; every path out passes it on.
  struct Turn {
    StreamInferReactor* self;
    uint64_t ticket;
    bool held = false;
    bool passed = false;
    void Take() {
      absl::MutexLock lock(&self->turn_mu_);
      auto mine = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->turn_mu_) {
        return self->turn_ == ticket;
      };
      self->turn_mu_.Await(absl::Condition(&mine));
      held = true;
    }
    void Pass() {
      if (!held) return;
      held = false;
      passed = true;
      absl::MutexLock lock(&self->turn_mu_);
      ++self->turn_;
    }
    ~Turn() {
      if (!passed && !held) Take();  // one that failed before its turn still takes and passes it
      Pass();
    }
  } turn{this, ticket};
  auto message = ParseRequest(buffer);
  if (!message.ok()) {
    ModelStreamInferResponse response;
    response.set_error_message(std::string(message.status().message()));
    return Respond(std::move(response));
  }
  const std::string id = (*message)->id();
  const std::string model = (*message)->model_name();
  auto decoded = DecodeInferRequest(*std::move(message), context_.limits, context_.shared_memory);
  std::vector<SharedMemoryOutput> shm;
  if (decoded.ok()) shm = std::move(decoded->shared_memory_outputs);
  auto on_done = [self = shared_from_this(), id, model,
                  shm = std::move(shm)](StatusOr<core::InferenceResponse> result) {
    ModelStreamInferResponse response;
    Status status = result.status();
    if (status.ok()) {
      status = EncodeInferResponse(*result, *response.mutable_infer_response(), shm);
    }
    if (!status.ok()) {
      // The id and model name still let the client match the error to its request.
      response.Clear();
      response.set_error_message(std::string(status.message()));
      response.mutable_infer_response()->set_id(id);
      response.mutable_infer_response()->set_model_name(model);
    }
    self->Respond(std::move(response));
  };
  if (!decoded.ok()) return on_done(decoded.status());
  auto inference = WithClassifications(*std::move(decoded));
  inference->cancellation = token_;
  turn.Take();
  if (inference->sequence_id.empty()) turn.Pass();  // order matters only within a sequence
  context_.service.Infer(std::move(inference), std::move(on_done));
}

void StreamInferReactor::Respond(ModelStreamInferResponse response) {
  ByteBuffer buffer;
  const Status serialized = Serialize(response, buffer);
  const ByteBuffer* start = nullptr;
  bool finish = false;
  bool read = false;
  {
    absl::MutexLock lock(&mu_);
    --in_flight_;
    if (serialized.ok() && !broken_ && !finished_) {
      queued_bytes_ += buffer.Length();
      writes_.push_back(std::move(buffer));
      if (!writing_) {
        writing_ = true;
        start = &writes_.front();  // deque elements stay put while others are appended
      }
    }
    finish = ShouldFinishLocked();
    read = ShouldReadLocked();
  }
  if (start != nullptr) StartWrite(start);
  if (read) StartRead(&read_buffer_);
  if (finish) Finish(::grpc::Status::OK);
}

void StreamInferReactor::OnWriteDone(bool ok) {
  const ByteBuffer* next = nullptr;
  bool finish = false;
  bool read = false;
  {
    absl::MutexLock lock(&mu_);
    queued_bytes_ -= writes_.front().Length();
    writes_.pop_front();
    if (!ok) {
      broken_ = true;
      writes_.clear();
      queued_bytes_ = 0;
    }
    if (!writes_.empty()) {
      next = &writes_.front();
    } else {
      writing_ = false;
    }
    finish = ShouldFinishLocked();
    read = ShouldReadLocked();
  }
  if (next != nullptr) StartWrite(next);
  if (read) StartRead(&read_buffer_);
  if (finish) Finish(::grpc::Status::OK);
}

bool StreamInferReactor::ShouldFinishLocked() {
  if (finished_ || !reads_done_ || in_flight_ > 0 || writing_) return false;
  finished_ = true;
  return true;
}

// A broken stream keeps reading: its next read fails (the call is over), which ends the stream.
bool StreamInferReactor::ShouldReadLocked() {
  if (reading_ || reads_done_ || finished_) return false;
  const bool under_caps =
      in_flight_ < context_.stream.max_inflight && queued_bytes_ < context_.stream.max_queued_bytes;
  if (!under_caps && !broken_) return false;
  reading_ = true;
  return true;
}

}  // namespace

::grpc::ServerUnaryReactor* StartUnaryInfer(const InferContext& context, const ByteBuffer* request,
                                            ByteBuffer* response) {
  auto reactor = std::make_shared<UnaryInferReactor>();
  UnaryInferReactor* raw = reactor.get();
  raw->Start(std::move(reactor), context, *request, response);
  return raw;
}

::grpc::ServerBidiReactor<ByteBuffer, ByteBuffer>* StartStreamInfer(const InferContext& context) {
  auto reactor = std::make_shared<StreamInferReactor>(context);
  reactor->Start();
  return reactor.get();
}

}  // namespace inferd::frontend::grpc
