// ModelAssets and ModelAssetCache: what a model version keeps beside its weights, parsed: its
// image pipeline (pipeline.json resolved against the config) and the labels of its outputs
// (label_filename). Every front end (/predict, TorchServe image bodies, the classification
// extension over HTTP and gRPC) reads them through one cache, so the files are read and parsed
// once per (re)load of a version instead of on every request.
//
// "Versioned with the model": an entry is keyed on the version's load generation
// (core::LoadedVersion), which changes at every successful load or reload of that version (the
// poller's, or an explicit repository load) even when the version itself is kept because its
// model file and config are unchanged. So an edited pipeline.json or label file is seen after the
// next reload, never in between. The files are read at the first request after a (re)load.
//
// Thread-safe. Lookups take a shared lock only (readers never serialise); a miss reads the files
// outside any lock and then swaps the entry in. Borrows the facade and the files, which must
// outlive the cache.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/status.h"
#include "core/inference_service.h"
#include "model_config.pb.h"
#include "preprocess/classification.h"
#include "preprocess/model_files.h"
#include "preprocess/pipeline.h"

namespace inferd::preprocess {

// A model version's pipeline with its input and output resolved against the config.
struct ImageModel {
  std::string name;
  int64_t version = 0;   // resolved: never 0
  PipelineSpec spec;     // spec.image.input and spec.output.output are set
  bool batched = false;  // max_batch_size > 0: the tensor gets a leading 1
  Labels labels;         // of spec.output.output; may be empty
};

// One load of one version, parsed. Immutable once made.
struct ModelAssets {
  core::LoadedVersion loaded;
  // InvalidArgument when the model declares no pipeline (the client asked an image of a model
  // that takes none); Internal when its declaration or its labels are broken (a server error).
  StatusOr<ImageModel> image = absl::UnknownError("not loaded");
  // The labels of every output that names a label file, or why they could not be read.
  std::map<std::string, StatusOr<Labels>, std::less<>> labels;

  // The labels of `output` (valid while this entry lives); empty when it names no label file.
  StatusOr<const Labels*> LabelsOf(std::string_view output) const;
};

// Reads and parses the assets of `config`'s model at `loaded` (uncached). The pipeline is the
// version directory's pipeline.json, else the model directory's.
ModelAssets LoadModelAssets(const ::inference::ModelConfig& config, const ModelFiles& files,
                            core::LoadedVersion loaded);

class ModelAssetCache {
 public:
  ModelAssetCache(const core::InferenceService& service, const ModelFiles& files)
      : service_(service), files_(files) {}
  ModelAssetCache(const ModelAssetCache&) = delete;
  ModelAssetCache& operator=(const ModelAssetCache&) = delete;

  // The assets of the load that answers (model, version) now (`version` 0 = the highest ready
  // version). NotFound/Unavailable from the facade for an unknown or unready model. Per-asset
  // errors are inside the returned ModelAssets.
  StatusOr<std::shared_ptr<const ModelAssets>> Get(std::string_view model, int64_t version) const;

 private:
  using Key = std::pair<std::string, int64_t>;  // (model, resolved version)

  const core::InferenceService& service_;
  const ModelFiles& files_;
  mutable absl::Mutex mu_;
  // One entry per (model, version) ever served: the latest load's. Small (a version's labels and
  // pipeline), so entries of unloaded versions are left until the version loads again.
  mutable std::map<Key, std::shared_ptr<const ModelAssets>> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace inferd::preprocess
