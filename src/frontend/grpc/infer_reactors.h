// The reactors of the two inference RPCs on gRPC's callback API. Neither blocks a thread per
// request: a reactor decodes the request on the gRPC thread that delivered it, hands it to the
// facade, and the facade's completion callback (a scheduler thread, or the caller's thread for
// an immediate rejection) encodes the answer and starts the write / finishes the RPC.
//
// Messages are (de)serialized here from gRPC's ByteBuffer so the request message is owned by a
// shared_ptr that core::InferenceRequest::body keeps alive: input tensors view it in place.
//
// Cancellation: a client's cancel or an expired deadline (gRPC calls OnCancel) sets the
// request's CancellationToken, and the scheduler drops the request if still queued.
//
// Back-pressure: a stream reads its next request only while it has fewer than
// StreamLimits::max_inflight requests without a response and fewer than max_queued_bytes of
// responses waiting to be written. Over either cap it stops reading (HTTP/2 flow control then
// stops the client) and resumes as responses complete and writes drain, so a client that sends
// and never reads holds a bounded amount of server memory, not one response per request.
//
// Lifetime: each reactor owns itself through a shared_ptr released in OnDone; pending facade
// callbacks hold their own reference, so a reactor outlives whichever finishes last.
#pragma once

#include <cstddef>

#include "core/inference_service.h"
#include "core/shared_memory.h"
#include "frontend/grpc/infer_codec.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_callback.h"

namespace inferd::frontend::grpc {

// Per-stream caps of ModelStreamInfer (see Back-pressure above).
struct StreamLimits {
  int max_inflight = 64;                       // requests dispatched and not yet answered
  size_t max_queued_bytes = size_t{16} << 20;  // serialized responses not yet written
};

// What every inference RPC needs; borrowed, must outlive the server.
struct InferContext {
  core::InferenceService& service;
  DecodeLimits limits;
  StreamLimits stream;
  // Regions that tensors may name (shared-memory extension); null = extension off.
  const core::SharedMemoryRegistry* shared_memory = nullptr;
};

// ModelInfer. `request` and `response` are gRPC's, valid until the RPC is done.
::grpc::ServerUnaryReactor* StartUnaryInfer(const InferContext& context,
                                            const ::grpc::ByteBuffer* request,
                                            ::grpc::ByteBuffer* response);

// ModelStreamInfer: reads requests while under the stream's caps, runs many concurrently, writes
// each response (or its error in error_message) as it completes, and finishes once the client has
// half-closed and every response is written.
::grpc::ServerBidiReactor<::grpc::ByteBuffer, ::grpc::ByteBuffer>* StartStreamInfer(
    const InferContext& context);

}  // namespace inferd::frontend::grpc
