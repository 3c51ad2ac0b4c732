#include "preprocess/model_assets.h"

#include "absl/strings/str_cat.h"

namespace inferd::preprocess {
namespace {

StatusOr<std::string> ReadPipeline(const ModelFiles& files, const std::string& model,
                                   int64_t version) {
  // A version's own declaration wins over the model-wide one.
  for (const int64_t dir : {version, int64_t{0}}) {
    auto text = files.Read(model, dir, kPipelineFileName);
    if (text.ok() || text.status().code() != absl::StatusCode::kNotFound) return text;
  }
  return absl::InvalidArgumentError(absl::StrCat("model '", model, "' declares no image pipeline (",
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
                            core::LoadedVersion loaded) {
  ModelAssets assets;
  assets.loaded = loaded;
  for (const auto& output : config.output()) {
    if (!output.label_filename().empty()) {
      assets.labels.emplace(output.name(), LoadLabels(files, config, output.name()));
    }
  }
  assets.image = LoadImageModel(config, files, loaded.version, assets);
  return assets;
}

StatusOr<std::shared_ptr<const ModelAssets>> ModelAssetCache::Get(std::string_view model,
                                                                  int64_t version) const {
  // The key is the load generation, not the artifact identity (model_sha256 + config_sha256):
  // a reload whose model file and config are unchanged keeps the version as is, and the sha256s
  // with it, yet it must pick up an edited pipeline.json or label file. The generation changes
  // at every (re)load and costs one lookup under the manager's lock (no config copy, no hashing).
  ASSIGN_OR_RETURN(const core::LoadedVersion loaded, service_.ResolveLoadedVersion(model, version));
  Key key{std::string(model), loaded.version};
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second->loaded.generation == loaded.generation) {
      return it->second;
    }
  }
  // A miss reads the files outside the lock; concurrent misses may each read once, the newest
  // generation wins.
  ASSIGN_OR_RETURN(const ::inference::ModelConfig config,
                   service_.GetModelConfig(model, loaded.version));
  auto assets = std::make_shared<const ModelAssets>(LoadModelAssets(config, files_, loaded));
  absl::WriterMutexLock lock(&mu_);
  auto& entry = entries_[std::move(key)];
  if (!entry || entry->loaded.generation < loaded.generation) entry = assets;
  return assets;
}

}  // namespace inferd::preprocess
