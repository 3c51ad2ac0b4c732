// The backend registry: which runtimes this server can load models with, found by the names a
// Triton config.pbtxt uses for them (`backend: "onnxruntime"`, `platform: "onnxruntime_onnx"`).
// Each backend registers once, at start-up, what the rest of the server needs to know about it:
// its names, the model file a version folder holds by default, the part of config auto-complete
// that reads the model file, and the factory of its process-wide Backend (which creates models,
// which create instances). Nothing outside backend/ names a runtime: lifecycle asks the registry.
//
// Thread-safe: Register may race with Resolve (registrations are normally all done before the
// first load); the RegisteredBackend pointers Resolve returns stay valid for the registry's life.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "backend/backend.h"
#include "common/status.h"
#include "core/model_signature.h"
#include "model_config.pb.h"

namespace inferd::backend {

// What a backend's part of auto-complete may use besides the model's signature.
struct AutoCompleteHints {
  int default_max_batch_size = 4;  // for a model that can batch and whose config sets none
};

struct BackendRegistration {
  // Triton's `backend:` value, e.g. "onnxruntime". Unique in the registry.
  std::string name;
  // Triton's `platform:` values that mean this backend, e.g. {"onnxruntime_onnx"}. The first is
  // written into completed configs; empty when the backend has no platform name.
  std::vector<std::string> platforms;
  // The file a version folder holds when config.pbtxt sets no `default_model_filename`, e.g.
  // "model.onnx". Empty: the backend reads no model file (an ensemble, say); then the version is
  // identified by its config alone and Backend::LoadModel gets the version folder.
  std::string default_model_filename;
  // Creates the process-wide Backend. Called once, on the first load that needs it, so a runtime
  // no model uses costs nothing. A backend needing more than the registry knows (an ensemble
  // needs the model manager) captures it in this closure when it is registered.
  std::function<StatusOr<std::unique_ptr<Backend>>()> create;
  // Fills what the backend reads from the model file into a config that lacks inputs or outputs
  // (inputs, outputs, max_batch_size, batching). Called only when auto-complete is on. Null: the
  // backend completes nothing and the config must declare its inputs and outputs.
  std::function<Status(const core::ModelSignature&, const AutoCompleteHints&,
                       ::inference::ModelConfig&)>
      auto_complete;
  // Checks the settings this backend reads from a config (instance kinds, parameters) without
  // loading anything, so a setting the backend cannot honour fails before a model file is read,
  // and `inferd check-repository` reports it without opening the model. Null: nothing to check.
  std::function<Status(const ::inference::ModelConfig&)> check_config;
};

class RegisteredBackend {
 public:
  explicit RegisteredBackend(BackendRegistration registration);
  const BackendRegistration& registration() const { return registration_; }
  const std::string& name() const { return registration_.name; }

  // The process-wide Backend, created on first use; the creation error otherwise (retried on
  // the next call, so a transient failure does not poison every later load).
  StatusOr<Backend*> Get() const;
  // Writes this backend's names, and the default model file name when the config sets none.
  void FillIdentity(::inference::ModelConfig& config) const;
  // The registration's auto_complete, or OK doing nothing when it has none.
  Status AutoComplete(const core::ModelSignature& signature, const AutoCompleteHints& hints,
                      ::inference::ModelConfig& config) const;
  // The registration's check_config, or OK when it has none.
  Status CheckConfig(const ::inference::ModelConfig& config) const;

 private:
  const BackendRegistration registration_;
  mutable absl::Mutex mu_;
  mutable std::unique_ptr<Backend> backend_ ABSL_GUARDED_BY(mu_);
};

class BackendRegistry {
 public:
  BackendRegistry() = default;
  BackendRegistry(const BackendRegistry&) = delete;
  BackendRegistry& operator=(const BackendRegistry&) = delete;

  // InvalidArgument for a registration without a name or factory; AlreadyExists when its name
  // or one of its platforms is taken.
  Status Register(BackendRegistration registration);

  // The backend a model's config names (Triton's rules): by `backend`, by `platform`, or both
  // (which must then agree). A config naming neither gets the first backend whose default model
  // file is in one of `version_dirs`, else the first registered. InvalidArgument naming the known
  // backends and platforms for an unknown name; FailedPrecondition when nothing is registered.
  StatusOr<const RegisteredBackend*> Resolve(
      const ::inference::ModelConfig& config,
      std::span<const std::filesystem::path> version_dirs = {}) const;

  // "onnxruntime (platform onnxruntime_onnx), ...", in registration order, for messages.
  std::string KnownBackends() const;

 private:
  const RegisteredBackend* FindLocked(const std::string& name) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  const RegisteredBackend* FindPlatformLocked(const std::string& platform) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  std::string KnownBackendsLocked() const ABSL_SHARED_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<RegisteredBackend>> backends_ ABSL_GUARDED_BY(mu_);
};

}  // namespace inferd::backend
