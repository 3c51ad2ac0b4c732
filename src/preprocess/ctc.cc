#include "preprocess/ctc.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

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
  // The kept steps: their characters and probabilities.
  std::vector<std::pair<const std::string*, float>> kept;
  static const std::string kSpace = " ";
  int64_t previous = -1;
  for (int64_t t = 0; t < steps; ++t) {
    const CtcStep step =
        BestOfStep(scores.subspan(static_cast<size_t>(t * classes), classes), spec.softmax);
    const bool repeat = step.index == previous;
    previous = step.index;
    if (step.index == spec.ctc_blank || repeat) continue;
    const int64_t position = step.index < spec.ctc_blank ? step.index : step.index - 1;
    kept.emplace_back(
        static_cast<size_t>(position) < alphabet.size() ? &alphabet[position] : &kSpace,
        step.probability);
  }
  size_t begin = 0, end = kept.size();
  if (spec.ctc_trim_spaces) {
    while (begin < end && *kept[begin].first == kSpace) ++begin;
    while (end > begin && *kept[end - 1].first == kSpace) --end;
  }
  core::RecognizedText result;
  double total = 0;
  for (size_t i = begin; i < end; ++i) {
    result.text += *kept[i].first;
    total += kept[i].second;
  }
  result.confidence =
      end > begin ? static_cast<float>(total / static_cast<double>(end - begin)) : 0.f;
  return result;
}

}  // namespace inferd::preprocess
