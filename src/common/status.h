// The one error type of inferd: absl::Status / absl::StatusOr<T>, returned (never thrown) on every
// internal API and mapped to a protocol's error only at the edge (one function per front end).
//
// Code meanings used across inferd (front ends rely on them):
//   InvalidArgument  bad client input               -> HTTP 400 / gRPC INVALID_ARGUMENT
//   NotFound         unknown model or version        -> HTTP 404 / gRPC NOT_FOUND
//   Unavailable      not ready, overloaded, queue    -> HTTP 503 / gRPC UNAVAILABLE
//   ResourceExhausted a configured limit exceeded    -> HTTP 400/413 / gRPC RESOURCE_EXHAUSTED
//   Internal         a bug or backend failure        -> HTTP 500 / gRPC INTERNAL
#pragma once

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace inferd {

using Status = absl::Status;
template <typename T>
using StatusOr = absl::StatusOr<T>;

}  // namespace inferd

#define INFERD_STATUS_CONCAT_INNER(a, b) a##b
#define INFERD_STATUS_CONCAT(a, b) INFERD_STATUS_CONCAT_INNER(a, b)

// Returns from the enclosing function if `expr` (a Status) is not OK.
#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    ::absl::Status inferd_status_ = (expr);          \
    if (!inferd_status_.ok()) return inferd_status_; \
  } while (false)

// `ASSIGN_OR_RETURN(auto x, MakeX());` binds the value or returns the error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(INFERD_STATUS_CONCAT(inferd_statusor_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
