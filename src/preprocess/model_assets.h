// ModelAssets: what a model version keeps beside its weights, parsed: its image pipeline
// (pipeline.json resolved against the config) and the labels of its outputs (label_filename).
// Lifecycle reads them once, when it loads the version, and the version holds them immutably
// (lifecycle/model_version.h); the service post-processes every request (image input, top
// classes, the classification extension) with the assets of the very version that ran it, so no
// front end reads a label file and nothing is copied per request.
//
// "Versioned with the model": the digest of the asset files is part of the version's identity
// (lifecycle::Artifact::assets_sha256), so a reload loads the version again when only its
// pipeline.json or label file changed; editing them on disk changes nothing until then.
//
// Pure functions over immutable data; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/inference_request.h"
#include "core/inference_response.h"
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
  // InvalidArgument marked core::IsNoImagePipeline when the model declares no pipeline (the
  // client asked an image of a model that takes none); Internal when its declaration or its
  // labels are broken (a server error).
  StatusOr<ImageModel> image = core::NoImagePipelineError("the model declares no image pipeline");
  // The labels of every output that names a label file, or why they could not be read.
  std::map<std::string, StatusOr<Labels>, std::less<>> labels;

  // The labels of `output` (valid while this entry lives); empty when it names no label file.
  StatusOr<const Labels*> LabelsOf(std::string_view output) const;
};

// Reads and parses the assets of `config`'s model `version` (its completed config). The pipeline
// is the version directory's pipeline.json, else the model directory's.
ModelAssets LoadModelAssets(const ::inference::ModelConfig& config, const ModelFiles& files,
                            int64_t version);

// sha256 over the asset files of `config`'s model `version` as they are on disk now (the
// pipeline LoadModelAssets would read and every output's label file; a missing file counts as
// such): equal digests mean LoadModelAssets would parse the same assets.
std::string AssetsDigest(const ::inference::ModelConfig& config, const ModelFiles& files,
                         int64_t version);

// Turns an image request (request.image) into the tensor request of `model`: decodes and
// transforms the image (InvalidArgument for a bad or oversized one: a 400), asks for the scores
// output only, and records the time spent in request.preprocess_duration.
// `geometry`, when given, receives the decoded image's size (for FinishImageResponse).
Status PrepareImageRequest(const ImageModel& model, core::InferenceRequest& request,
                           ImageGeometry* geometry = nullptr);

// The first batch entry's top-k classes (softmax when declared), highest first, labelled.
StatusOr<std::vector<core::ClassPrediction>> TopPredictions(const core::InferenceResponse& response,
                                                            const ImageModel& model);

// The answer of an image request: response.predictions (top-k), response.text (CTC) or
// response.text_lines (text boxes, in the coordinates of the image `geometry` describes), as the
// model's pipeline declares.
Status FinishImageResponse(const ImageModel& model, const ImageGeometry& geometry,
                           core::InferenceResponse& response);

// The labels of every output `wanted` can be served (checked before inference, so a broken label
// file fails the request before it runs).
Status CheckClassifications(const ModelAssets& assets,
                            const std::vector<core::ClassificationRequest>& wanted);

// Replaces each output of `response` named in `wanted` by its classification strings, labelled
// from `assets`. InvalidArgument for an output that cannot be classified (BYTES, BOOL).
Status ApplyClassifications(const ModelAssets& assets,
                            const std::vector<core::ClassificationRequest>& wanted,
                            core::InferenceResponse& response);

}  // namespace inferd::preprocess
