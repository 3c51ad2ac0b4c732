#include "preprocess/classification.h"

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/float16.h"
#include "preprocess/pipeline.h"

namespace inferd::preprocess {
namespace {

template <typename T>
void Widen(const core::Tensor& tensor, std::vector<float>& out) {
  out.resize(tensor.data.size() / sizeof(T));
  for (size_t i = 0; i < out.size(); ++i) {
    T value;
    std::memcpy(&value, tensor.data.data() + i * sizeof(T), sizeof(T));
    if constexpr (std::is_same_v<T, uint16_t>) {
      out[i] = static_cast<float>(tensor.dtype == core::DataType::kFp16 ? HalfToDouble(value)
                                                                        : Bf16ToDouble(value));
    } else {
      out[i] = static_cast<float>(value);
    }
  }
}

}  // namespace

Labels ParseLabels(std::string_view text) {
  Labels labels;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    labels.emplace_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return labels;
}

StatusOr<Labels> LoadLabels(const ModelFiles& files, const ::inference::ModelConfig& config,
                            std::string_view output) {
  for (const auto& spec : config.output()) {
    if (spec.name() != output || spec.label_filename().empty()) continue;
    auto text = files.Read(config.name(), 0, spec.label_filename());
    if (!text.ok()) {
      return absl::InternalError(absl::StrCat("cannot read the labels of model '", config.name(),
                                              "' output '", std::string(output),
                                              "': ", std::string(text.status().message())));
    }
    return ParseLabels(*text);
  }
  return Labels{};
}

StatusOr<std::vector<float>> ScoresOf(const core::Tensor& tensor) {
  std::vector<float> out;
  switch (tensor.dtype) {
    case core::DataType::kFp32:
      Widen<float>(tensor, out);
      break;
    case core::DataType::kFp64:
      Widen<double>(tensor, out);
      break;
    case core::DataType::kFp16:
    case core::DataType::kBf16:
      Widen<uint16_t>(tensor, out);
      break;
    case core::DataType::kInt8:
      Widen<int8_t>(tensor, out);
      break;
    case core::DataType::kInt16:
      Widen<int16_t>(tensor, out);
      break;
    case core::DataType::kInt32:
      Widen<int32_t>(tensor, out);
      break;
    case core::DataType::kInt64:
      Widen<int64_t>(tensor, out);
      break;
    case core::DataType::kUint8:
      Widen<uint8_t>(tensor, out);
      break;
    case core::DataType::kUint16:
      Widen<uint16_t>(tensor, out);
      break;
    case core::DataType::kUint32:
      Widen<uint32_t>(tensor, out);
      break;
    case core::DataType::kUint64:
      Widen<uint64_t>(tensor, out);
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat("output '", tensor.name, "' of type ",
                                                     core::DataTypeName(tensor.dtype),
                                                     " cannot be classified"));
  }
  return out;
}

std::string ClassificationString(float score, int64_t index, const Labels& labels) {
  std::string text = absl::StrCat(std::to_string(score), ":", index);
  if (index >= 0 && static_cast<size_t>(index) < labels.size()) {
    absl::StrAppend(&text, ":", labels[index]);
  }
  return text;
}

StatusOr<core::Tensor> Classify(const core::Tensor& tensor, int count, const Labels& labels) {
  ASSIGN_OR_RETURN(const std::vector<float> scores, ScoresOf(tensor));
  const int64_t classes = tensor.shape.empty() ? 1 : tensor.shape.back();
  if (classes <= 0 || scores.size() % classes != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("output '", tensor.name, "' has no classes to classify"));
  }
  const int64_t rows = static_cast<int64_t>(scores.size()) / classes;
  const OutputSpec spec{"", /*softmax=*/false, count};
  std::vector<std::string> strings;
  for (int64_t row = 0; row < rows; ++row) {
    const std::vector<float> slice(scores.begin() + row * classes,
                                   scores.begin() + (row + 1) * classes);
    for (const auto& p : TopK(slice, spec)) {
      strings.push_back(ClassificationString(p.score, p.index, labels));
    }
  }
  size_t bytes = 0;
  for (const auto& s : strings) bytes += 4 + s.size();
  core::Shape shape = tensor.shape.empty() ? core::Shape{1} : tensor.shape;
  shape.back() = std::min<int64_t>(count, classes);
  core::OwnedTensor owned =
      core::MakeOwnedTensor(tensor.name, core::DataType::kBytes, std::move(shape), bytes);
  std::byte* out = owned.writable.data();
  for (const auto& s : strings) {
    const uint32_t length = static_cast<uint32_t>(s.size());
    for (int i = 0; i < 4; ++i) out[i] = static_cast<std::byte>((length >> (8 * i)) & 0xff);
    std::memcpy(out + 4, s.data(), s.size());
    out += 4 + s.size();
  }
  return std::move(owned.tensor);
}

}  // namespace inferd::preprocess
