#include "server/service.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/request_validator.h"
#include "repository/model_config.h"
#include "repository/repository_scanner.h"

namespace inferd::server {
namespace {

template <typename Specs>
std::vector<core::TensorSpec> TensorMetadata(const Specs& specs, int max_batch_size) {
  std::vector<core::TensorSpec> out;
  for (const auto& spec : specs) {
    core::TensorSpec tensor{spec.name(), core::FromConfigType(spec.data_type()), {}};
    if (max_batch_size > 0) tensor.dims.push_back(-1);
    tensor.dims.insert(tensor.dims.end(), spec.dims().begin(), spec.dims().end());
    out.push_back(std::move(tensor));
  }
  return out;
}

}  // namespace

Service::Service(lifecycle::ModelManager& manager, ServiceOptions options, metrics::Gauge& inflight)
    : manager_(manager), options_(std::move(options)), inflight_(inflight) {}

bool Service::IsReady() const {
  return !shutting_down_ && (!options_.strict_readiness || manager_.AllReady());
}

core::ServerMetadata Service::GetServerMetadata() const {
  return {options_.server_name, options_.server_version, options_.extensions};
}

Status Service::ModelReady(std::string_view model, int64_t version) const {
  return manager_.Get(model, version).status();
}

StatusOr<core::ModelMetadata> Service::GetModelMetadata(std::string_view model,
                                                        int64_t version) const {
  ASSIGN_OR_RETURN(auto handle, manager_.Get(model, version));
  const auto& config = handle->config();
  core::ModelMetadata metadata;
  metadata.name = config.name();
  for (int64_t v : manager_.ReadyVersions(model)) metadata.versions.push_back(std::to_string(v));
  metadata.platform = config.platform();
  metadata.inputs = TensorMetadata(config.input(), config.max_batch_size());
  metadata.outputs = TensorMetadata(config.output(), config.max_batch_size());
  // Artifact identity: which file and which effective config this version serves.
  metadata.parameters["model_sha256"] = handle->artifact().model_sha256;
  metadata.parameters["config_sha256"] = handle->artifact().config_sha256;
  metadata.image_input = handle->assets()->image.ok();
  return metadata;
}

StatusOr<::inference::ModelConfig> Service::GetModelConfig(std::string_view model,
                                                           int64_t version) const {
  ASSIGN_OR_RETURN(auto handle, manager_.Get(model, version));
  return handle->config();
}

std::vector<core::RepositoryEntry> Service::RepositoryIndex(bool ready_only) const {
  return manager_.Index(ready_only);
}

StatusOr<std::vector<core::ModelStatistics>> Service::GetModelStatistics(std::string_view model,
                                                                         int64_t version) const {
  std::vector<lifecycle::ModelHandle> handles;
  if (model.empty()) {
    for (const auto& entry : manager_.Index(/*ready_only=*/true)) {
      if (auto h = manager_.Get(entry.name, std::stoll(entry.version)); h.ok()) {
        handles.push_back(*std::move(h));
      }
    }
  } else if (version == 0) {
    for (int64_t v : manager_.ReadyVersions(model)) {
      if (auto h = manager_.Get(model, v); h.ok()) handles.push_back(*std::move(h));
    }
    if (handles.empty()) RETURN_IF_ERROR(manager_.Get(model, 0).status());
  } else {
    ASSIGN_OR_RETURN(auto handle, manager_.Get(model, version));
    handles.push_back(std::move(handle));
  }
  std::vector<core::ModelStatistics> out;
  for (const auto& handle : handles) out.push_back(handle->Statistics());
  return out;
}

Status Service::CheckModelControl() const {
  switch (options_.control_mode) {
    case ModelControlMode::kExplicit:
      return absl::OkStatus();
    case ModelControlMode::kPoll:
      return absl::FailedPreconditionError(
          "explicit model load / unload is not allowed if polling is enabled");
    case ModelControlMode::kNone:
      break;
  }
  return absl::FailedPreconditionError(
      "model control mode is 'none': models cannot be loaded or unloaded at run time (start "
      "with --model-control-mode explicit)");
}

void Service::LoadModel(core::LoadModelRequest request, core::StatusCallback done) {
  if (Status allowed = CheckModelControl(); !allowed.ok()) return done(allowed);
  if (Status name = repository::ValidateModelName(request.model); !name.ok()) return done(name);
  std::optional<::inference::ModelConfig> config;
  if (!request.config_json.empty()) {
    auto parsed = repository::ParseConfigJson(request.config_json);
    if (!parsed.ok()) return done(parsed.status());
    config = *std::move(parsed);
  }
  manager_.LoadAsync(std::move(request.model), std::move(config), std::move(done));
}

void Service::UnloadModel(std::string model, core::StatusCallback done) {
  if (Status allowed = CheckModelControl(); !allowed.ok()) return done(allowed);
  if (Status name = repository::ValidateModelName(model); !name.ok()) return done(name);
  manager_.UnloadAsync(std::move(model), std::move(done));
}

bool Service::Admits(std::string_view model, int64_t version) const {
  if (refusing_) return false;
  if (options_.max_inflight > 0 && inflight_.Value() >= options_.max_inflight) return false;
  auto handle = manager_.Get(model, version);
  if (!handle.ok() || (*handle)->scheduler().Admits()) return true;
  (*handle)->RecordRefusedRequest();  // the caller refuses it: REJECTED, as a full queue's are
  return false;
}

void Service::Infer(std::unique_ptr<core::InferenceRequest> request, core::ResponseCallback done) {
  if (refusing_) {
    return std::move(done)(absl::UnavailableError("the server is shutting down"));
  }
  // The one in-flight count: the gauge /metrics shows is the one the limit reads.
  if (inflight_.AddAndGet(1) > options_.max_inflight && options_.max_inflight > 0) {
    inflight_.Add(-1);
    return std::move(done)(absl::UnavailableError(
        absl::StrCat("Server is at its limit of ", options_.max_inflight, " in-flight requests")));
  }
  // Every completion path below releases the in-flight slot exactly once, before the front end
  // answers: a client that has its response no longer counts.
  auto fail = [&](Status status) {
    inflight_.Add(-1);
    std::move(done)(std::move(status));
  };
  auto handle = manager_.Get(request->model_name, request->model_version);
  if (!handle.ok()) return fail(handle.status());
  // Image input and the labels to classify with come from this very version (its assets).
  auto post = (*handle)->PrepareRequest(*request);
  if (!post.ok()) return fail(post.status());
  if (Status valid = core::ValidateRequest((*handle)->config(), *request); !valid.ok()) {
    (*handle)->RecordInvalidRequest(std::chrono::steady_clock::now() - request->received);
    return fail(std::move(valid));
  }
  auto& scheduler = (*handle)->scheduler();
  // The handle rides with the callback: the version cannot be destroyed under its request, and
  // the answer is post-processed with the assets of the version that ran it.
  scheduler.Enqueue(std::move(request), [&inflight = inflight_, handle = *std::move(handle),
                                         post = *std::move(post), done = std::move(done)](
                                            StatusOr<core::InferenceResponse> result) mutable {
    if (result.ok()) {
      if (Status finished = handle->FinishResponse(post, *result); !finished.ok()) {
        result = std::move(finished);
      }
    }
    inflight.Add(-1);
    std::move(done)(std::move(result));
  });
}

}  // namespace inferd::server
