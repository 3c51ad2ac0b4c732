#include "frontend/grpc/grpc_status.h"

#include <string>

#include "core/model_errors.h"

namespace inferd::frontend::grpc {

// Status -> gRPC. absl and gRPC share the canonical code space, so most rows are one to one;
// the table is still spelled out so that a change of policy happens here and only here.
//   InvalidArgument (malformed or invalid request)      -> INVALID_ARGUMENT
//   NotFound for an unknown model (core::IsUnknownModel) -> INVALID_ARGUMENT, as Triton
//   NotFound (unknown version, unloaded model)          -> NOT_FOUND
//   Unavailable (not ready, queue full, shutting down)  -> UNAVAILABLE (clients may retry)
//   ResourceExhausted (a configured limit)              -> RESOURCE_EXHAUSTED
//   DeadlineExceeded (queue timeout)                    -> DEADLINE_EXCEEDED
//   Cancelled (the client went away or cancelled)       -> CANCELLED
//   FailedPrecondition (e.g. model control disabled)    -> FAILED_PRECONDITION
//   OutOfRange, AlreadyExists, Aborted, Unimplemented,
//   PermissionDenied, Unauthenticated, DataLoss         -> the gRPC code of the same name
//   Internal, Unknown, anything else                    -> INTERNAL
::grpc::Status ToGrpcStatus(const Status& status) {
  if (status.ok()) return ::grpc::Status::OK;
  using ::grpc::StatusCode;
  StatusCode code = StatusCode::INTERNAL;
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      code = StatusCode::INVALID_ARGUMENT;
      break;
    case absl::StatusCode::kNotFound:
      code = core::IsUnknownModel(status) ? StatusCode::INVALID_ARGUMENT : StatusCode::NOT_FOUND;
      break;
    case absl::StatusCode::kUnavailable:
      code = StatusCode::UNAVAILABLE;
      break;
    case absl::StatusCode::kResourceExhausted:
      code = StatusCode::RESOURCE_EXHAUSTED;
      break;
    case absl::StatusCode::kDeadlineExceeded:
      code = StatusCode::DEADLINE_EXCEEDED;
      break;
    case absl::StatusCode::kCancelled:
      code = StatusCode::CANCELLED;
      break;
    case absl::StatusCode::kFailedPrecondition:
      code = StatusCode::FAILED_PRECONDITION;
      break;
    case absl::StatusCode::kOutOfRange:
      code = StatusCode::OUT_OF_RANGE;
      break;
    case absl::StatusCode::kAlreadyExists:
      code = StatusCode::ALREADY_EXISTS;
      break;
    case absl::StatusCode::kAborted:
      code = StatusCode::ABORTED;
      break;
    case absl::StatusCode::kUnimplemented:
      code = StatusCode::UNIMPLEMENTED;
      break;
    case absl::StatusCode::kPermissionDenied:
      code = StatusCode::PERMISSION_DENIED;
      break;
    case absl::StatusCode::kUnauthenticated:
      code = StatusCode::UNAUTHENTICATED;
      break;
    case absl::StatusCode::kDataLoss:
      code = StatusCode::DATA_LOSS;
      break;
    default:
      code = StatusCode::INTERNAL;
      break;
  }
  return ::grpc::Status(code, std::string(status.message()));
}

}  // namespace inferd::frontend::grpc
