#include "frontend/grpc/metadata_codec.h"

namespace inferd::frontend::grpc {
namespace {

void EncodeTensorSpecs(
    const std::vector<core::TensorSpec>& specs,
    google::protobuf::RepeatedPtrField< ::inference::ModelMetadataResponse::TensorMetadata>& out) {
  for (const core::TensorSpec& spec : specs) {
    auto* tensor = out.Add();
    tensor->set_name(spec.name);
    tensor->set_datatype(core::DataTypeName(spec.dtype));
    tensor->mutable_shape()->Add(spec.dims.begin(), spec.dims.end());
  }
}

void EncodeDuration(const core::DurationStat& stat, ::inference::StatisticDuration& out) {
  out.set_count(stat.count);
  out.set_ns(stat.ns);
}

void EncodeInferStatistics(const core::InferStatistics& stats, ::inference::InferStatistics& out) {
  EncodeDuration(stats.success, *out.mutable_success());
  EncodeDuration(stats.fail, *out.mutable_fail());
  EncodeDuration(stats.queue, *out.mutable_queue());
  EncodeDuration(stats.compute_input, *out.mutable_compute_input());
  EncodeDuration(stats.compute_infer, *out.mutable_compute_infer());
  EncodeDuration(stats.compute_output, *out.mutable_compute_output());
  // inferd has no response cache: cache_hit / cache_miss stay zero, present as in Triton.
  out.mutable_cache_hit();
  out.mutable_cache_miss();
}

}  // namespace

void EncodeServerMetadata(const core::ServerMetadata& metadata,
                          ::inference::ServerMetadataResponse& out) {
  out.set_name(metadata.name);
  out.set_version(metadata.version);
  for (const std::string& extension : metadata.extensions) out.add_extensions(extension);
}

void EncodeModelMetadata(const core::ModelMetadata& metadata,
                         ::inference::ModelMetadataResponse& out) {
  out.set_name(metadata.name);
  for (const std::string& version : metadata.versions) out.add_versions(version);
  out.set_platform(metadata.platform);
  EncodeTensorSpecs(metadata.inputs, *out.mutable_inputs());
  EncodeTensorSpecs(metadata.outputs, *out.mutable_outputs());
}

void EncodeRepositoryIndex(const std::vector<core::RepositoryEntry>& entries,
                           ::inference::RepositoryIndexResponse& out) {
  for (const core::RepositoryEntry& entry : entries) {
    auto* model = out.add_models();
    model->set_name(entry.name);
    model->set_version(entry.version);
    model->set_state(entry.state);
    model->set_reason(entry.reason);
  }
}

void EncodeModelStatistics(const std::vector<core::ModelStatistics>& stats,
                           ::inference::ModelStatisticsResponse& out) {
  for (const core::ModelStatistics& model : stats) {
    auto* encoded = out.add_model_stats();
    encoded->set_name(model.name);
    encoded->set_version(model.version);
    encoded->set_last_inference(model.last_inference_ms);
    encoded->set_inference_count(model.inference_count);
    encoded->set_execution_count(model.execution_count);
    EncodeInferStatistics(model.inference_stats, *encoded->mutable_inference_stats());
    for (const core::BatchStatistics& batch : model.batch_stats) {
      auto* b = encoded->add_batch_stats();
      b->set_batch_size(batch.batch_size);
      EncodeDuration(batch.compute_input, *b->mutable_compute_input());
      EncodeDuration(batch.compute_infer, *b->mutable_compute_infer());
      EncodeDuration(batch.compute_output, *b->mutable_compute_output());
    }
  }
}

}  // namespace inferd::frontend::grpc
