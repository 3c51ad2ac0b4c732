#include "frontend/http/image_request.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace inferd::frontend::http {
StatusOr<std::shared_ptr<const ImageModel>> LoadImageModel(
    const preprocess::ModelAssetCache& assets, std::string_view model, int64_t version) {
  ASSIGN_OR_RETURN(std::shared_ptr<const preprocess::ModelAssets> loaded,
                   assets.Get(model, version));
  if (!loaded->image.ok()) return loaded->image.status();
  const ImageModel* image = &*loaded->image;
  return std::shared_ptr<const ImageModel>(std::move(loaded), image);  // aliases the entry
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
  ASSIGN_OR_RETURN(std::vector<float> values, preprocess::ScoresOf(*scores));
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
