// A text reader (`platform: "text_reader"`, docs/adr/0017): a model with no weights of its own
// that reads a whole page in one request by running other models of the repository, named in
// its config's `parameters`: a text detector (its pipeline decodes "text_boxes"), optionally a
// direction classifier (a top-k pipeline whose label `classifier_label` means "upside down"),
// and a text-line recogniser (a "ctc" pipeline). ParseTextReaderSpec reads and checks the
// declaration from the config alone; what needs the named models (their pipelines) is checked
// when the reader loads, against the versions serving then (scheduler/text_reader_scheduler.h).
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model_config.pb.h"

namespace inferd::core {

inline constexpr std::string_view kTextReaderPlatform = "text_reader";

struct TextReaderSpec {
  std::string detector;    // required
  std::string classifier;  // empty: lines are read as the detector crops them
  std::string recognizer;  // required
  // A line the classifier labels `classifier_label` with at least `classifier_threshold` is
  // turned 180 degrees before it is read (PaddleOCR's cls_thresh).
  std::string classifier_label = "180";
  float classifier_threshold = 0.9f;
  // Each line's crop is grown by this fraction of its height on every side, with copies of its
  // edge pixels, before it is classified and read (0: PaddleOCR's tight crop; PP-OCRv4's
  // recogniser drops spaces on the detector's tight crops of printed lines).
  float crop_padding = 0;
  // At most this many lines of a page are read (the first in reading order); 0 = as many as the
  // detector returns (its own max_boxes bounds them).
  int max_lines = 0;
};

// True when the config's platform is "text_reader".
bool IsTextReader(const ::inference::ModelConfig& config);

// The reader's declaration. InvalidArgument naming the key for a missing model, a malformed
// value or an unknown parameter; and for inputs and outputs other than one UINT8 [-1] input
// (the encoded image) and the outputs "text" (STRING [-1]) and "boxes" (FP32 [-1, 4, 2]), with
// max_batch_size 0.
StatusOr<TextReaderSpec> ParseTextReaderSpec(const ::inference::ModelConfig& config);

// The distinct models the reader runs: detector, classifier (if any), recognizer.
std::vector<std::string> TextReaderModels(const TextReaderSpec& spec);

}  // namespace inferd::core
