#include "client/infer_types.h"

#include "absl/strings/str_cat.h"

namespace inferd::client {

size_t ElementSize(std::string_view datatype) {
  if (datatype == "BOOL" || datatype == "UINT8" || datatype == "INT8") return 1;
  if (datatype == "UINT16" || datatype == "INT16" || datatype == "FP16" || datatype == "BF16") {
    return 2;
  }
  if (datatype == "UINT32" || datatype == "INT32" || datatype == "FP32") return 4;
  if (datatype == "UINT64" || datatype == "INT64" || datatype == "FP64") return 8;
  return 0;
}

int64_t ElementCount(const std::vector<int64_t>& shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0) return -1;
    count *= dim;
  }
  return count;
}

void AppendBytesElement(std::string_view element, std::string& raw) {
  const auto size = static_cast<uint32_t>(element.size());
  char prefix[4];
  for (int i = 0; i < 4; ++i) prefix[i] = static_cast<char>((size >> (8 * i)) & 0xff);
  raw.append(prefix, 4);
  raw.append(element);
}

StatusOr<std::vector<std::string>> SplitBytesElements(std::string_view raw) {
  std::vector<std::string> elements;
  while (!raw.empty()) {
    if (raw.size() < 4) return absl::InvalidArgumentError("truncated BYTES length prefix");
    uint32_t size = 0;
    for (int i = 0; i < 4; ++i)
      size |= static_cast<uint32_t>(static_cast<uint8_t>(raw[i])) << (8 * i);
    raw.remove_prefix(4);
    if (raw.size() < size) return absl::InvalidArgumentError("truncated BYTES element");
    elements.emplace_back(raw.substr(0, size));
    raw.remove_prefix(size);
  }
  return elements;
}

Status InferInput::SetBools(const std::vector<bool>& values) {
  if (datatype_ != "BOOL") return TypeMismatch("BOOL");
  raw_.clear();
  for (bool v : values) raw_.push_back(v ? 1 : 0);
  return absl::OkStatus();
}

Status InferInput::SetStrings(const std::vector<std::string>& values) {
  if (datatype_ != "BYTES") return TypeMismatch("BYTES");
  raw_.clear();
  for (const auto& v : values) AppendBytesElement(v, raw_);
  return absl::OkStatus();
}

Status InferInput::Validate() const {
  const int64_t count = ElementCount(shape_);
  if (count < 0) {
    return absl::InvalidArgumentError(absl::StrCat("input '", name_, "' has a negative dimension"));
  }
  if (datatype_ == "BYTES") {
    ASSIGN_OR_RETURN(auto elements, SplitBytesElements(raw_));
    if (static_cast<int64_t>(elements.size()) == count) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat("input '", name_, "' holds ", elements.size(),
                                                   " strings, its shape needs ", count));
  }
  const size_t element_size = ElementSize(datatype_);
  if (element_size == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("input '", name_, "' has unknown datatype '", datatype_, "'"));
  }
  if (raw_.size() != static_cast<size_t>(count) * element_size) {
    return absl::InvalidArgumentError(absl::StrCat("input '", name_, "' holds ", raw_.size(),
                                                   " bytes, its shape and datatype need ",
                                                   static_cast<size_t>(count) * element_size));
  }
  return absl::OkStatus();
}

Status InferInput::TypeMismatch(std::string_view wanted) const {
  return absl::InvalidArgumentError(
      absl::StrCat("input '", name_, "' is ", datatype_, ", not ", std::string(wanted)));
}

StatusOr<const InferResult::Output*> InferResult::Find(std::string_view name) const {
  for (const auto& output : outputs_) {
    if (output.name == name) return &output;
  }
  return absl::NotFoundError(absl::StrCat("the result has no output '", std::string(name), "'"));
}

Status InferResult::TypeMismatch(const Output& output, std::string_view wanted) {
  return absl::InvalidArgumentError(absl::StrCat("output '", output.name, "' is ", output.datatype,
                                                 ", not ", std::string(wanted)));
}

StatusOr<std::vector<int64_t>> InferResult::Shape(std::string_view name) const {
  ASSIGN_OR_RETURN(const Output* output, Find(name));
  return output->shape;
}

StatusOr<std::string> InferResult::Datatype(std::string_view name) const {
  ASSIGN_OR_RETURN(const Output* output, Find(name));
  return output->datatype;
}

StatusOr<std::string_view> InferResult::RawData(std::string_view name) const {
  ASSIGN_OR_RETURN(const Output* output, Find(name));
  return std::string_view(output->raw);
}

StatusOr<std::vector<std::string>> InferResult::StringData(std::string_view name) const {
  ASSIGN_OR_RETURN(const Output* output, Find(name));
  if (output->datatype != "BYTES") return TypeMismatch(*output, "BYTES");
  return SplitBytesElements(output->raw);
}

StatusOr<std::vector<bool>> InferResult::Bools(std::string_view name) const {
  ASSIGN_OR_RETURN(const Output* output, Find(name));
  if (output->datatype != "BOOL") return TypeMismatch(*output, "BOOL");
  std::vector<bool> values;
  values.reserve(output->raw.size());
  for (char c : output->raw) values.push_back(c != 0);
  return values;
}

}  // namespace inferd::client
