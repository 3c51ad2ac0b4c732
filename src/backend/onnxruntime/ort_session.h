// Creating ORT sessions from SessionSettings and reading a session's signature. Stateless
// functions; an Ort::Session is safe to Run from several threads, but inferd gives each instance
// its own session so instances never contend for one session's thread pool.
#pragma once

#include <filesystem>

#include "backend/onnxruntime/session_options.h"
#include "common/status.h"
#include "core/model_signature.h"
#include "onnxruntime_cxx_api.h"

namespace inferd::backend::ort {

// Never throws: a missing, unreadable or malformed model file is an error Status naming the file.
StatusOr<Ort::Session> CreateSession(const Ort::Env& env, const std::filesystem::path& model_file,
                                     const SessionSettings& settings);

// Inputs and outputs in model order; -1 for symbolic or unknown dimensions. InvalidArgument for a
// non-tensor input/output or an element type inferd cannot carry.
StatusOr<core::ModelSignature> ReadSessionSignature(const Ort::Session& session);

}  // namespace inferd::backend::ort
