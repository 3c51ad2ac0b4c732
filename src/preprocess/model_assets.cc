#include "preprocess/model_assets.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "preprocess/ctc.h"

namespace inferd::preprocess {
namespace {

StatusOr<std::string> ReadPipeline(const ModelFiles& files, const std::string& model,
                                   int64_t version) {
  // A version's own declaration wins over the model-wide one.
  for (const int64_t dir : {version, int64_t{0}}) {
    auto text = files.Read(model, dir, kPipelineFileName);
    if (text.ok() || text.status().code() != absl::StatusCode::kNotFound) return text;
  }
  return core::NoImagePipelineError(absl::StrCat("model '", model, "' declares no image pipeline (",
                                                 std::string(kPipelineFileName),
                                                 "; see docs/preprocessing.md)"));
}

// The configured tensor `wanted`, or the only one when `wanted` is empty.
template <typename Tensors>
StatusOr<std::string> PickTensor(const Tensors& tensors, const std::string& wanted,
                                 std::string_view kind, const std::string& model) {
  if (wanted.empty()) {
    if (tensors.size() == 1) return tensors.Get(0).name();
    return absl::InternalError(absl::StrCat("model '", model, "' has ", tensors.size(), " ",
                                            std::string(kind), "s: its pipeline must name one"));
  }
  for (const auto& t : tensors) {
    if (t.name() == wanted) return wanted;
  }
  return absl::InternalError(absl::StrCat("model '", model, "' pipeline names ", std::string(kind),
                                          " '", wanted, "', which the model does not have"));
}

StatusOr<ImageModel> LoadImageModel(const ::inference::ModelConfig& config, const ModelFiles& files,
                                    int64_t version, const ModelAssets& assets) {
  ImageModel image_model;
  image_model.name = config.name();
  image_model.version = version;
  ASSIGN_OR_RETURN(const std::string text, ReadPipeline(files, config.name(), version));
  auto spec = ParsePipelineSpec(text);
  if (!spec.ok()) {
    return absl::InternalError(
        absl::StrCat("model '", config.name(), "' ", std::string(spec.status().message())));
  }
  image_model.spec = *std::move(spec);
  PipelineSpec& s = image_model.spec;
  ASSIGN_OR_RETURN(s.image.input,
                   PickTensor(config.input(), s.image.input, "input", config.name()));
  ASSIGN_OR_RETURN(s.output.output,
                   PickTensor(config.output(), s.output.output, "output", config.name()));
  image_model.batched = config.max_batch_size() > 0;
  ASSIGN_OR_RETURN(const Labels* labels, assets.LabelsOf(s.output.output));
  image_model.labels = *labels;
  if (s.output.decode == OutputDecode::kCtc && image_model.labels.empty()) {
    return absl::InternalError(
        absl::StrCat("model '", config.name(), "' decodes output '", s.output.output,
                     "' with CTC but names no alphabet (its label_filename)"));
  }
  return image_model;
}

}  // namespace

StatusOr<const Labels*> ModelAssets::LabelsOf(std::string_view output) const {
  static const Labels kNone;
  auto it = labels.find(output);
  if (it == labels.end()) return &kNone;
  if (!it->second.ok()) return it->second.status();
  return &*it->second;
}

ModelAssets LoadModelAssets(const ::inference::ModelConfig& config, const ModelFiles& files,
                            int64_t version) {
  ModelAssets assets;
  for (const auto& output : config.output()) {
    if (!output.label_filename().empty()) {
      assets.labels.emplace(output.name(), LoadLabels(files, config, output.name()));
    }
  }
  assets.image = LoadImageModel(config, files, version, assets);
  return assets;
}

std::string AssetsDigest(const ::inference::ModelConfig& config, const ModelFiles& files,
                         int64_t version) {
  // Each file as "<dir>/<name>" then its length and bytes (or its error), so two different sets
  // of files never concatenate to the same text.
  std::string text;
  auto add = [&](int64_t dir, std::string_view name) {
    auto bytes = files.Read(config.name(), dir, name);
    absl::StrAppend(&text, dir, "/", std::string(name), "\n");
    if (bytes.ok()) {
      absl::StrAppend(&text, bytes->size(), "\n", *bytes, "\n");
    } else {
      absl::StrAppend(&text, "-", static_cast<int>(bytes.status().code()), "\n");
    }
  };
  add(version, kPipelineFileName);
  add(0, kPipelineFileName);
  for (const auto& output : config.output()) {
    if (!output.label_filename().empty()) add(0, output.label_filename());
  }
  return Sha256Hex(text);
}

Status PrepareImageRequest(const ImageModel& model, core::InferenceRequest& request,
                           ImageGeometry* geometry) {
  ASSIGN_OR_RETURN(core::Tensor tensor, RunImagePipeline(request.image.value_or(""),
                                                         model.spec.image, nullptr, geometry));
  if (model.batched) tensor.shape.insert(tensor.shape.begin(), 1);
  request.model_version = model.version;
  request.inputs.clear();
  request.inputs.push_back(std::move(tensor));
  request.requested_outputs.assign(1, model.spec.output.output);
  request.preprocess_duration = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::steady_clock::now() - request.received);
  return absl::OkStatus();
}

namespace {

StatusOr<const core::Tensor*> ScoresOutput(const core::InferenceResponse& response,
                                           const ImageModel& model) {
  for (const auto& output : response.outputs) {
    if (output.name == model.spec.output.output) return &output;
  }
  return absl::InternalError(
      absl::StrCat("the response lacks output '", model.spec.output.output, "'"));
}

// The first batch entry's [steps, classes] scores as text.
StatusOr<core::RecognizedText> RecognizeText(const core::InferenceResponse& response,
                                             const ImageModel& model) {
  ASSIGN_OR_RETURN(const core::Tensor* scores, ScoresOutput(response, model));
  ASSIGN_OR_RETURN(const std::vector<float> values, ScoresOf(*scores));
  const core::Shape& shape = scores->shape;
  const size_t rank = shape.size();
  if (rank < 2 || rank > 3 || (model.batched && rank != 3) || shape[rank - 1] <= 0) {
    return absl::InternalError(absl::StrCat("output '", scores->name,
                                            "' is not [batch, steps, classes]: cannot decode it"));
  }
  const int64_t steps = shape[rank - 2];
  return CtcGreedyDecode(values, steps, shape[rank - 1], model.labels, model.spec.output);
}

// The first batch entry's [1, height, width] (or [height, width]) probability map as boxes.
StatusOr<std::vector<core::TextLineBox>> DetectTextLines(const core::InferenceResponse& response,
                                                         const ImageModel& model,
                                                         const ImageGeometry& geometry) {
  ASSIGN_OR_RETURN(const core::Tensor* scores, ScoresOutput(response, model));
  ASSIGN_OR_RETURN(const std::vector<float> values, ScoresOf(*scores));
  const core::Shape& shape = scores->shape;
  const size_t rank = shape.size();
  if (rank < 2 || shape[rank - 1] <= 0 || shape[rank - 2] <= 0) {
    return absl::InternalError(
        absl::StrCat("output '", scores->name, "' is not a [..., height, width] probability map"));
  }
  const Size map{static_cast<int>(shape[rank - 1]), static_cast<int>(shape[rank - 2])};
  const size_t plane = static_cast<size_t>(map.width) * map.height;
  if (values.size() < plane) {
    return absl::InternalError(
        absl::StrCat("output '", scores->name, "' is shorter than its shape"));
  }
  std::vector<core::TextLineBox> lines;
  for (const TextBox& box : FindTextBoxes(std::span<const float>(values.data(), plane), map,
                                          geometry.decoded, model.spec.output.text_boxes)) {
    core::TextLineBox line;
    for (size_t i = 0; i < 4; ++i) line.points[i] = {box.points[i].x, box.points[i].y};
    line.score = box.score;
    lines.push_back(line);
  }
  return lines;
}

}  // namespace

Status FinishImageResponse(const ImageModel& model, const ImageGeometry& geometry,
                           core::InferenceResponse& response) {
  if (model.spec.output.decode == OutputDecode::kCtc) {
    ASSIGN_OR_RETURN(response.text, RecognizeText(response, model));
    return absl::OkStatus();
  }
  if (model.spec.output.decode == OutputDecode::kTextBoxes) {
    ASSIGN_OR_RETURN(response.text_lines, DetectTextLines(response, model, geometry));
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(response.predictions, TopPredictions(response, model));
  return absl::OkStatus();
}

StatusOr<std::vector<core::ClassPrediction>> TopPredictions(const core::InferenceResponse& response,
                                                            const ImageModel& model) {
  ASSIGN_OR_RETURN(const core::Tensor* scores, ScoresOutput(response, model));
  ASSIGN_OR_RETURN(std::vector<float> values, ScoresOf(*scores));
  if (model.batched && !scores->shape.empty() && scores->shape[0] > 0) {
    values.resize(values.size() / scores->shape[0]);  // the first (only) batch entry
  }
  std::vector<core::ClassPrediction> out;
  for (const auto& p : TopK(values, model.spec.output)) {
    const bool labeled = static_cast<size_t>(p.index) < model.labels.size();
    out.push_back({labeled ? model.labels[p.index] : std::to_string(p.index), p.index, p.score});
  }
  return out;
}

Status CheckClassifications(const ModelAssets& assets,
                            const std::vector<core::ClassificationRequest>& wanted) {
  for (const auto& output : wanted) RETURN_IF_ERROR(assets.LabelsOf(output.output).status());
  return absl::OkStatus();
}

Status ApplyClassifications(const ModelAssets& assets,
                            const std::vector<core::ClassificationRequest>& wanted,
                            core::InferenceResponse& response) {
  for (const auto& classified : wanted) {
    ASSIGN_OR_RETURN(const Labels* labels, assets.LabelsOf(classified.output));
    for (auto& output : response.outputs) {
      if (output.name != classified.output) continue;
      ASSIGN_OR_RETURN(output, Classify(output, classified.count, *labels));
    }
  }
  return absl::OkStatus();
}

}  // namespace inferd::preprocess
