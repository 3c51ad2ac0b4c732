#include "client/grpc_codec.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"

namespace inferd::client {
namespace {

using ::inference::InferTensorContents;

template <typename T, typename Repeated>
void AppendAs(const Repeated& values, std::string& raw) {
  for (const auto& v : values) {
    const T narrowed = static_cast<T>(v);
    raw.append(reinterpret_cast<const char*>(&narrowed), sizeof(T));
  }
}

// Typed contents (sent by servers answering a non-raw request) to raw bytes.
Status ContentsToRaw(const std::string& dt, const InferTensorContents& c, std::string& raw) {
  if (dt == "BOOL") {
    for (bool b : c.bool_contents()) raw.push_back(b ? 1 : 0);
  } else if (dt == "INT8") {
    AppendAs<int8_t>(c.int_contents(), raw);
  } else if (dt == "INT16") {
    AppendAs<int16_t>(c.int_contents(), raw);
  } else if (dt == "INT32") {
    AppendAs<int32_t>(c.int_contents(), raw);
  } else if (dt == "INT64") {
    AppendAs<int64_t>(c.int64_contents(), raw);
  } else if (dt == "UINT8") {
    AppendAs<uint8_t>(c.uint_contents(), raw);
  } else if (dt == "UINT16") {
    AppendAs<uint16_t>(c.uint_contents(), raw);
  } else if (dt == "UINT32") {
    AppendAs<uint32_t>(c.uint_contents(), raw);
  } else if (dt == "UINT64") {
    AppendAs<uint64_t>(c.uint64_contents(), raw);
  } else if (dt == "FP32") {
    AppendAs<float>(c.fp32_contents(), raw);
  } else if (dt == "FP64") {
    AppendAs<double>(c.fp64_contents(), raw);
  } else if (dt == "BYTES") {
    for (const auto& s : c.bytes_contents()) AppendBytesElement(s, raw);
  } else {
    return absl::InternalError(absl::StrCat("no typed contents for datatype ", dt));
  }
  return absl::OkStatus();
}

Duration FromProto(const ::inference::StatisticDuration& d) { return {d.count(), d.ns()}; }

}  // namespace

StatusOr<::inference::ModelInferRequest> EncodeGrpcInfer(
    const InferOptions& options, const std::vector<InferInput>& inputs,
    const std::vector<InferRequestedOutput>& outputs) {
  ::inference::ModelInferRequest request;
  request.set_model_name(options.model_name);
  request.set_model_version(options.model_version);
  request.set_id(options.request_id);
  if (options.priority != 0) {
    (*request.mutable_parameters())["priority"].set_int64_param(
        static_cast<int64_t>(options.priority));
  }
  if (options.timeout_us != 0) {
    (*request.mutable_parameters())["timeout"].set_int64_param(
        static_cast<int64_t>(options.timeout_us));
  }
  for (const auto& input : inputs) {
    RETURN_IF_ERROR(input.Validate());
    auto* tensor = request.add_inputs();
    tensor->set_name(input.name());
    tensor->set_datatype(input.datatype());
    for (int64_t dim : input.shape()) tensor->add_shape(dim);
    request.add_raw_input_contents(input.raw());
  }
  for (const auto& output : outputs) request.add_outputs()->set_name(output.name());
  return request;
}

StatusOr<InferResult> DecodeGrpcInfer(::inference::ModelInferResponse& response) {
  std::vector<InferResult::Output> outputs;
  outputs.reserve(response.outputs_size());
  for (int i = 0; i < response.outputs_size(); ++i) {
    auto& tensor = *response.mutable_outputs(i);
    InferResult::Output output;
    output.name = tensor.name();
    output.datatype = tensor.datatype();
    output.shape.assign(tensor.shape().begin(), tensor.shape().end());
    if (i < response.raw_output_contents_size()) {
      output.raw = std::move(*response.mutable_raw_output_contents(i));
    } else {
      RETURN_IF_ERROR(ContentsToRaw(output.datatype, tensor.contents(), output.raw));
    }
    outputs.push_back(std::move(output));
  }
  return InferResult(response.model_name(), response.model_version(), response.id(),
                     std::move(outputs));
}

Status StatusFromGrpc(const ::grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  // gRPC and Abseil share the canonical code numbering.
  const auto code = IsUnknownModelMessage(status.error_message())
                        ? absl::StatusCode::kNotFound
                        : static_cast<absl::StatusCode>(status.error_code());
  return absl::Status(code, absl::StrCat("gRPC: ", status.error_message()));
}

ModelMetadata FromProto(const ::inference::ModelMetadataResponse& response) {
  ModelMetadata metadata;
  metadata.name = response.name();
  metadata.versions.assign(response.versions().begin(), response.versions().end());
  metadata.platform = response.platform();
  for (const auto& t : response.inputs()) {
    metadata.inputs.push_back({t.name(), t.datatype(), {t.shape().begin(), t.shape().end()}});
  }
  for (const auto& t : response.outputs()) {
    metadata.outputs.push_back({t.name(), t.datatype(), {t.shape().begin(), t.shape().end()}});
  }
  return metadata;
}

StatusOr<ModelConfig> FromProto(const ::inference::ModelConfigResponse& response) {
  ModelConfig config;
  config.max_batch_size = response.config().max_batch_size();
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  const auto status =
      google::protobuf::util::MessageToJsonString(response.config(), &config.json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("config to JSON: ", status.ToString()));
  }
  return config;
}

std::vector<RepositoryModel> FromProto(const ::inference::RepositoryIndexResponse& response) {
  std::vector<RepositoryModel> models;
  for (const auto& m : response.models()) {
    models.push_back({m.name(), m.version(), m.state(), m.reason()});
  }
  return models;
}

std::vector<ModelStatistics> FromProto(const ::inference::ModelStatisticsResponse& response) {
  std::vector<ModelStatistics> all;
  for (const auto& m : response.model_stats()) {
    ModelStatistics s;
    s.name = m.name();
    s.version = m.version();
    s.last_inference_ms = m.last_inference();
    s.inference_count = m.inference_count();
    s.execution_count = m.execution_count();
    const auto& is = m.inference_stats();
    s.success = FromProto(is.success());
    s.fail = FromProto(is.fail());
    s.queue = FromProto(is.queue());
    s.compute_input = FromProto(is.compute_input());
    s.compute_infer = FromProto(is.compute_infer());
    s.compute_output = FromProto(is.compute_output());
    all.push_back(std::move(s));
  }
  return all;
}

}  // namespace inferd::client
