#include "frontend/http/image_request.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace inferd::frontend::http {
namespace {

StatusOr<int64_t> ResolveVersion(const core::InferenceService& service, std::string_view model,
                                 int64_t version) {
  if (version > 0) return version;
  ASSIGN_OR_RETURN(const core::ModelMetadata metadata, service.GetModelMetadata(model, 0));
  if (metadata.versions.empty()) {
    return absl::UnavailableError(
        absl::StrCat("model '", std::string(model), "' has no ready version"));
  }
  return std::stoll(metadata.versions.back());
}

StatusOr<std::string> ReadPipeline(const preprocess::ModelFiles& files, std::string_view model,
                                   int64_t version) {
  // A version's own declaration wins over the model-wide one.
  for (const int64_t dir : {version, int64_t{0}}) {
    auto text = files.Read(model, dir, preprocess::kPipelineFileName);
    if (text.ok() || text.status().code() != absl::StatusCode::kNotFound) return text;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("model '", std::string(model), "' declares no image pipeline (",
                   std::string(preprocess::kPipelineFileName), "; see docs/preprocessing.md)"));
}

// The configured tensor `wanted`, or the only one when `wanted` is empty.
template <typename Tensors>
StatusOr<std::string> PickTensor(const Tensors& tensors, const std::string& wanted,
                                 std::string_view kind, std::string_view model) {
  if (wanted.empty()) {
    if (tensors.size() == 1) return tensors.Get(0).name();
    return absl::InternalError(absl::StrCat("model '", std::string(model), "' has ", tensors.size(),
                                            " ", std::string(kind),
                                            "s: its pipeline must name one"));
  }
  for (const auto& t : tensors) {
    if (t.name() == wanted) return wanted;
  }
  return absl::InternalError(absl::StrCat("model '", std::string(model), "' pipeline names ",
                                          std::string(kind), " '", wanted,
                                          "', which the model does not have"));
}

}  // namespace

StatusOr<ImageModel> LoadImageModel(const core::InferenceService& service,
                                    const preprocess::ModelFiles& files, std::string_view model,
                                    int64_t version) {
  ImageModel image_model;
  image_model.name = std::string(model);
  ASSIGN_OR_RETURN(image_model.version, ResolveVersion(service, model, version));
  ASSIGN_OR_RETURN(const ::inference::ModelConfig config,
                   service.GetModelConfig(model, image_model.version));
  ASSIGN_OR_RETURN(const std::string text, ReadPipeline(files, model, image_model.version));
  auto spec = preprocess::ParsePipelineSpec(text);
  if (!spec.ok()) {
    return absl::InternalError(
        absl::StrCat("model '", std::string(model), "' ", std::string(spec.status().message())));
  }
  image_model.spec = *std::move(spec);
  preprocess::PipelineSpec& s = image_model.spec;
  ASSIGN_OR_RETURN(s.image.input, PickTensor(config.input(), s.image.input, "input", model));
  ASSIGN_OR_RETURN(s.output.output, PickTensor(config.output(), s.output.output, "output", model));
  image_model.batched = config.max_batch_size() > 0;
  ASSIGN_OR_RETURN(image_model.labels, LoadLabels(files, config, s.output.output));
  return image_model;
}

StatusOr<std::unique_ptr<core::InferenceRequest>> MakeImageRequest(const ImageModel& model,
                                                                   std::string_view image) {
  auto request = std::make_unique<core::InferenceRequest>();
  ASSIGN_OR_RETURN(core::Tensor tensor, preprocess::RunImagePipeline(image, model.spec.image));
  if (model.batched) tensor.shape.insert(tensor.shape.begin(), 1);
  request->model_name = model.name;
  request->model_version = model.version;
  request->inputs.push_back(std::move(tensor));
  request->requested_outputs.push_back(model.spec.output.output);
  request->preprocess_duration = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::steady_clock::now() - request->received);
  return request;
}

StatusOr<std::vector<ClassPrediction>> TopPredictions(const core::InferenceResponse& response,
                                                      const ImageModel& model) {
  const core::Tensor* scores = nullptr;
  for (const auto& output : response.outputs) {
    if (output.name == model.spec.output.output) scores = &output;
  }
  if (scores == nullptr) {
    return absl::InternalError(
        absl::StrCat("the response lacks output '", model.spec.output.output, "'"));
  }
  ASSIGN_OR_RETURN(std::vector<float> values, ScoresOf(*scores));
  if (model.batched && !scores->shape.empty() && scores->shape[0] > 0) {
    values.resize(values.size() / scores->shape[0]);  // the first (only) batch entry
  }
  std::vector<ClassPrediction> out;
  for (const auto& p : preprocess::TopK(values, model.spec.output)) {
    const bool labeled = static_cast<size_t>(p.index) < model.labels.size();
    out.push_back({labeled ? model.labels[p.index] : std::to_string(p.index), p.index, p.score});
  }
  return out;
}

std::string PredictionsJson(const ImageModel& model,
                            const std::vector<ClassPrediction>& predictions) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("model");
  writer.String(model.name.c_str(), static_cast<rapidjson::SizeType>(model.name.size()));
  writer.Key("version");
  writer.String(std::to_string(model.version).c_str());
  writer.Key("predictions");
  writer.StartArray();
  for (const auto& p : predictions) {
    writer.StartObject();
    writer.Key("label");
    writer.String(p.label.c_str(), static_cast<rapidjson::SizeType>(p.label.size()));
    writer.Key("index");
    writer.Int64(p.index);
    writer.Key("score");
    // The float's shortest round-trip text (a double's would print float noise digits).
    if (std::isfinite(p.score)) {
      char text[32];
      const auto end = std::to_chars(text, text + sizeof(text), p.score).ptr;
      writer.RawValue(text, static_cast<size_t>(end - text), rapidjson::kNumberType);
    } else {
      writer.Null();  // JSON has no NaN or infinity
    }
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace inferd::frontend::http
