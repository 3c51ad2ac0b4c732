// The process-wide Ort::Env and the translation of ORT exceptions into Status.
//
// AcquireEnv is thread-safe. The Env lives as long as anyone holds the returned shared_ptr:
// backends, models and instances each hold one, so it is created on first use and outlives
// every session made with it (ORT requires that), whatever order owners are destroyed in.
#pragma once

#include <exception>
#include <memory>
#include <string>

#include "common/status.h"
#include "onnxruntime_cxx_api.h"

namespace inferd::backend::ort {

StatusOr<std::shared_ptr<Ort::Env>> AcquireEnv();

// Maps an ORT error to a Status whose message starts with `context` and keeps ORT's text.
// ORT's invalid-argument errors stay InvalidArgument (e.g. bad input shapes); malformed or
// unreadable model files become InvalidArgument / NotFound; everything else is Internal.
Status FromOrtException(const Ort::Exception& e, const std::string& context);
Status FromStdException(const std::exception& e, const std::string& context);

}  // namespace inferd::backend::ort
