#include "frontend/grpc/grpc_status.h"

#include <gtest/gtest.h>

#include "core/model_errors.h"

namespace inferd::frontend::grpc {
namespace {

TEST(GrpcStatusTest, MapsEveryCodeInferdUses) {
  using ::grpc::StatusCode;
  const std::pair<Status, StatusCode> cases[] = {
      {absl::InvalidArgumentError("m"), StatusCode::INVALID_ARGUMENT},
      {absl::NotFoundError("m"), StatusCode::NOT_FOUND},
      {absl::UnavailableError("m"), StatusCode::UNAVAILABLE},
      {absl::ResourceExhaustedError("m"), StatusCode::RESOURCE_EXHAUSTED},
      {absl::DeadlineExceededError("m"), StatusCode::DEADLINE_EXCEEDED},
      {absl::CancelledError("m"), StatusCode::CANCELLED},
      {absl::FailedPreconditionError("m"), StatusCode::FAILED_PRECONDITION},
      {absl::InternalError("m"), StatusCode::INTERNAL},
      {absl::UnknownError("m"), StatusCode::INTERNAL},
      {absl::UnimplementedError("m"), StatusCode::UNIMPLEMENTED},
  };
  for (const auto& [status, code] : cases) {
    const ::grpc::Status mapped = ToGrpcStatus(status);
    EXPECT_EQ(mapped.error_code(), code) << status;
    EXPECT_EQ(mapped.error_message(), "m");
  }
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

// Triton answers an unknown model INVALID_ARGUMENT and an unknown version NOT_FOUND.
TEST(GrpcStatusTest, UnknownModelIsInvalidArgumentAsTriton) {
  const ::grpc::Status model = ToGrpcStatus(core::UnknownModelError("nope"));
  EXPECT_EQ(model.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(model.error_message(), "Request for unknown model: 'nope' is not found");
  const ::grpc::Status version = ToGrpcStatus(core::UnknownVersionError("simple", 7));
  EXPECT_EQ(version.error_code(), ::grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(version.error_message(), "Request for unknown model: 'simple' version 7 is not found");
}

}  // namespace
}  // namespace inferd::frontend::grpc
