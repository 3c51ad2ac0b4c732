// The result of one inference request: the resolved model version and the requested outputs, in
// the order the request asked for them (model order when it asked for all). A value type.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace inferd::core {

// One class of an image request's answer, from the labels of the version that ran it.
struct ClassPrediction {
  std::string label;  // from the label file; the index as text when there is none
  int64_t index = 0;
  float score = 0;
};

// A text recogniser's answer to an image request (a pipeline with "decode": "ctc").
struct RecognizedText {
  std::string text;      // UTF-8
  float confidence = 0;  // mean of the kept time steps' highest probability; 0 for no text
};

// A text detector's answer to an image request (a pipeline with "decode": "text_boxes"): one
// text line, in the uploaded image's pixel coordinates; a text reader's (core/text_reader.h)
// also carries what the line reads.
struct TextLineBox {
  std::array<std::array<float, 2>, 4>
      points{};     // (x, y): top-left, top-right, bottom-right, bottom-left
  float score = 0;  // mean text probability of the line's region
  std::optional<RecognizedText> text;
};

struct InferenceResponse {
  std::string model_name;
  int64_t model_version = 0;
  std::string id;
  std::vector<Tensor> outputs;
  // Image requests (InferenceRequest::image): the top classes, highest first.
  std::vector<ClassPrediction> predictions;
  // Image requests of a text recogniser: the text instead of classes.
  std::optional<RecognizedText> text;
  // Image requests of a text detector or a text reader: its lines, in reading order.
  std::optional<std::vector<TextLineBox>> text_lines;
};

}  // namespace inferd::core
