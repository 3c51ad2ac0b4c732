// Greedy CTC decoding of a text-line recogniser's output (PP-OCR, CRNN): per time step the most
// probable class, repeats collapsed, the blank dropped, the rest mapped through the alphabet (the
// output's label file, one character per line). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <span>

#include "common/status.h"
#include "core/inference_response.h"
#include "preprocess/classification.h"
#include "preprocess/pipeline.h"

namespace inferd::preprocess {

// The number of classes `alphabet` and `spec` (blank, trailing space) give a model.
int64_t CtcClasses(const Labels& alphabet, const OutputSpec& spec);

// Decodes `steps` x `classes` scores (row-major; probabilities, or logits when spec.softmax).
// Class k maps to alphabet[k] below the blank and alphabet[k - 1] above it; with
// spec.ctc_space_last the class after the alphabet's last is a space; spec.ctc_trim_spaces drops
// leading and trailing spaces (and their steps from the confidence). Internal error when
// `classes` is not CtcClasses (the alphabet does not belong to the model).
StatusOr<core::RecognizedText> CtcGreedyDecode(std::span<const float> scores, int64_t steps,
                                               int64_t classes, const Labels& alphabet,
                                               const OutputSpec& spec);

}  // namespace inferd::preprocess
