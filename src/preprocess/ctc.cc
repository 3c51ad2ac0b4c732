#include "preprocess/ctc.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace inferd::preprocess {
namespace {

// The highest score of one time step and its class, and that class's probability (softmax of
// the row when the scores are logits).
struct CtcStep {
  int64_t index = 0;
  float probability = 0;
};

CtcStep BestOfStep(std::span<const float> row, bool softmax) {
  CtcStep best;
  float top = -INFINITY;
  for (size_t k = 0; k < row.size(); ++k) {
    if (row[k] > top) {  // NaN never wins; ties keep the lower index
      top = row[k];
      best.index = static_cast<int64_t>(k);
    }
  }
  if (!softmax) {
    best.probability = std::isfinite(top) ? top : 0.f;
    return best;
  }
  double total = 0;
  for (float x : row) {
    if (!std::isnan(x)) total += std::exp(static_cast<double>(x) - top);
  }
  best.probability = total > 0 ? static_cast<float>(1.0 / total) : 0.f;
  return best;
}

}  // namespace

int64_t CtcClasses(const Labels& alphabet, const OutputSpec& spec) {
  return static_cast<int64_t>(alphabet.size()) + 1 + (spec.ctc_space_last ? 1 : 0);
}

StatusOr<core::RecognizedText> CtcGreedyDecode(std::span<const float> scores, int64_t steps,
                                               int64_t classes, const Labels& alphabet,
                                               const OutputSpec& spec) {
  const int64_t expected = CtcClasses(alphabet, spec);
  if (classes != expected || spec.ctc_blank >= classes) {
    return absl::InternalError(absl::StrCat(
        "the recogniser's output has ", classes, " classes per time step but its alphabet gives ",
        expected, " (", alphabet.size(), " characters, the blank",
        spec.ctc_space_last ? ", a space)" : ")", ": the label file does not belong to the model"));
  }
  if (steps < 0 || static_cast<size_t>(steps * classes) > scores.size()) {
    return absl::InternalError("the recogniser's output is shorter than its shape");
  }
  core::RecognizedText result;
  double kept_total = 0;
  int64_t kept = 0, previous = -1;
  for (int64_t t = 0; t < steps; ++t) {
    const CtcStep step =
        BestOfStep(scores.subspan(static_cast<size_t>(t * classes), classes), spec.softmax);
    const bool repeat = step.index == previous;
    previous = step.index;
    if (step.index == spec.ctc_blank || repeat) continue;
    const int64_t position = step.index < spec.ctc_blank ? step.index : step.index - 1;
    result.text += static_cast<size_t>(position) < alphabet.size() ? alphabet[position] : " ";
    kept_total += step.probability;
    ++kept;
  }
  result.confidence = kept > 0 ? static_cast<float>(kept_total / kept) : 0.f;
  return result;
}

}  // namespace inferd::preprocess
