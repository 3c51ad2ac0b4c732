#include "frontend/grpc/grpc_status.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace inferd::frontend::grpc
