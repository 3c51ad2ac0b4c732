#include "lifecycle/model_version.h"

#include <span>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/text_reader.h"

namespace inferd::lifecycle {

std::shared_ptr<const preprocess::ModelAssets> ModelVersion::NoAssets() {
  static const std::shared_ptr<const preprocess::ModelAssets> kNone =
      std::make_shared<const preprocess::ModelAssets>();
  return kNone;
}

StatusOr<PostProcessing> ModelVersion::PrepareRequest(core::InferenceRequest& request) const {
  PostProcessing post;
  if (request.image && core::IsTextReader(config_)) {
    // A text reader decodes the page itself (its detector's limits): the bytes are its input,
    // viewed in place.
    const std::string_view bytes = *request.image;
    core::Tensor input;
    input.name = config_.input(0).name();
    input.dtype = core::DataType::kUint8;
    input.shape = {static_cast<int64_t>(bytes.size())};
    input.data = std::as_bytes(std::span<const char>(bytes.data(), bytes.size()));
    request.inputs.assign(1, std::move(input));
    request.requested_outputs.clear();
    request.image.reset();
  } else if (request.image) {
    const auto& image = assets_->image;
    if (!image.ok()) {
      if (!core::IsNoImagePipeline(image.status())) return image.status();
      return core::NoImagePipelineError(
          absl::StrCat("model '", name(), "' declares no image pipeline (",
                       std::string(preprocess::kPipelineFileName), "; see docs/preprocessing.md)"));
    }
    RETURN_IF_ERROR(preprocess::PrepareImageRequest(*image, request, &post.geometry));
    post.image = true;
  }
  RETURN_IF_ERROR(preprocess::CheckClassifications(*assets_, request.classifications));
  post.classifications = std::move(request.classifications);
  return post;
}

Status ModelVersion::FinishResponse(const PostProcessing& post,
                                    core::InferenceResponse& response) const {
  if (post.image) {
    RETURN_IF_ERROR(preprocess::FinishImageResponse(*assets_->image, post.geometry, response));
  }
  return preprocess::ApplyClassifications(*assets_, post.classifications, response);
}

}  // namespace inferd::lifecycle
