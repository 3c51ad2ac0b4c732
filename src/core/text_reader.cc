#include "core/text_reader.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace inferd::core {
namespace {

Status ReaderError(const ::inference::ModelConfig& config, const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat("text reader '", config.name(), "': ", message));
}

template <typename IO>
bool HasDims(const IO& io, std::initializer_list<int64_t> dims) {
  return !io.has_reshape() &&
         std::equal(io.dims().begin(), io.dims().end(), dims.begin(), dims.end());
}

Status CheckSignature(const ::inference::ModelConfig& config) {
  if (config.max_batch_size() != 0) {
    return ReaderError(config, "max_batch_size must be 0 (one page per request)");
  }
  if (config.input_size() != 1 || config.input(0).data_type() != ::inference::TYPE_UINT8 ||
      !HasDims(config.input(0), {-1})) {
    return ReaderError(config,
                       "must declare one input of data_type TYPE_UINT8 and dims [ -1 ] (the "
                       "encoded image)");
  }
  if (config.output().empty()) {
    return ReaderError(config, "must declare its outputs (\"text\", \"boxes\")");
  }
  for (const auto& output : config.output()) {
    if (output.name() == "text") {
      if (output.data_type() != ::inference::TYPE_STRING || !HasDims(output, {-1})) {
        return ReaderError(config, "output \"text\" must be TYPE_STRING with dims [ -1 ]");
      }
    } else if (output.name() == "boxes") {
      if (output.data_type() != ::inference::TYPE_FP32 || !HasDims(output, {-1, 4, 2})) {
        return ReaderError(config, "output \"boxes\" must be TYPE_FP32 with dims [ -1, 4, 2 ]");
      }
    } else {
      return ReaderError(config, absl::StrCat("unknown output '", output.name(),
                                              "' (a text reader answers \"text\" and \"boxes\")"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool IsTextReader(const ::inference::ModelConfig& config) {
  return config.platform() == kTextReaderPlatform;
}

StatusOr<TextReaderSpec> ParseTextReaderSpec(const ::inference::ModelConfig& config) {
  if (config.has_ensemble_scheduling() || config.has_dynamic_batching() ||
      config.has_sequence_batching()) {
    return ReaderError(config,
                       "takes no ensemble_scheduling, dynamic_batching or sequence_batching (its "
                       "models batch in their own schedulers)");
  }
  RETURN_IF_ERROR(CheckSignature(config));
  TextReaderSpec spec;
  using Setter = std::function<Status(const std::string&)>;
  auto model = [&](std::string& field) -> Setter {
    return [&field](const std::string& value) {
      if (value.empty()) return absl::InvalidArgumentError("must name a model");
      field = value;
      return absl::OkStatus();
    };
  };
  const std::map<std::string, Setter> keys = {
      {"detector", model(spec.detector)},
      {"classifier", model(spec.classifier)},
      {"recognizer", model(spec.recognizer)},
      {"classifier_label",
       [&](const std::string& value) {
         if (value.empty()) return absl::InvalidArgumentError("must not be empty");
         spec.classifier_label = value;
         return absl::OkStatus();
       }},
      {"classifier_threshold",
       [&](const std::string& value) {
         float threshold = 0;
         if (!absl::SimpleAtof(value, &threshold) || !(threshold >= 0 && threshold <= 1)) {
           return absl::InvalidArgumentError("must be a number in [0, 1]");
         }
         spec.classifier_threshold = threshold;
         return absl::OkStatus();
       }},
      {"crop_padding",
       [&](const std::string& value) {
         float padding = 0;
         if (!absl::SimpleAtof(value, &padding) || !(padding >= 0 && padding <= 2)) {
           return absl::InvalidArgumentError("must be a number in [0, 2]");
         }
         spec.crop_padding = padding;
         return absl::OkStatus();
       }},
      {"max_lines",
       [&](const std::string& value) {
         int lines = 0;
         if (!absl::SimpleAtoi(value, &lines) || lines < 0 || lines > 100000) {
           return absl::InvalidArgumentError("must be an integer in [0, 100000]");
         }
         spec.max_lines = lines;
         return absl::OkStatus();
       }},
      // Read by the TensorFlow Serving front end for every model; not the reader's concern.
      {"version_labels", [](const std::string&) { return absl::OkStatus(); }},
  };
  // Sorted, so the first unknown key reported does not depend on the map's hash order.
  std::map<std::string, std::string> given;
  for (const auto& [key, value] : config.parameters()) given.emplace(key, value.string_value());
  for (const auto& [key, value] : given) {
    auto it = keys.find(key);
    if (it == keys.end()) {
      return ReaderError(
          config, absl::StrCat("unknown parameter '", key,
                               "' (known: detector, classifier, recognizer, classifier_label, "
                               "classifier_threshold, crop_padding, max_lines)"));
    }
    if (Status set = it->second(value); !set.ok()) {
      return ReaderError(config, absl::StrCat("parameter '", key, "' ", set.message()));
    }
  }
  if (spec.detector.empty()) return ReaderError(config, "parameter 'detector' is required");
  if (spec.recognizer.empty()) return ReaderError(config, "parameter 'recognizer' is required");
  for (const std::string* name : {&spec.detector, &spec.classifier, &spec.recognizer}) {
    if (*name == config.name()) {
      return ReaderError(config, "cannot run itself as one of its models");
    }
  }
  if (spec.classifier.empty() &&
      (given.contains("classifier_label") || given.contains("classifier_threshold"))) {
    return ReaderError(config, "classifier_label and classifier_threshold need a 'classifier'");
  }
  return spec;
}

std::vector<std::string> TextReaderModels(const TextReaderSpec& spec) {
  std::vector<std::string> models;
  for (const std::string* name : {&spec.detector, &spec.classifier, &spec.recognizer}) {
    if (!name->empty() && std::find(models.begin(), models.end(), *name) == models.end()) {
      models.push_back(*name);
    }
  }
  return models;
}

}  // namespace inferd::core
