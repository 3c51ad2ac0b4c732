// How a request completes: exactly one call of its ResponseCallback, with the response or the
// error, on whichever thread finished the request (an instance thread, or the caller's thread for
// an immediate rejection). Callbacks must not block: they hand the encoded response to their IO
// thread and return.
#pragma once

#include "absl/functional/any_invocable.h"
#include "common/status.h"
#include "core/inference_response.h"

namespace inferd::core {

using ResponseCallback = absl::AnyInvocable<void(StatusOr<InferenceResponse>) &&>;

}  // namespace inferd::core
