#include "tools/output_compare.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/float16.h"

namespace inferd::tools {
namespace {

template <typename T>
void Convert(const std::string& raw, std::vector<double>& out) {
  for (size_t offset = 0; offset + sizeof(T) <= raw.size(); offset += sizeof(T)) {
    T value;
    std::memcpy(&value, raw.data() + offset, sizeof(T));
    out.push_back(static_cast<double>(value));
  }
}

size_t ArgMax(const std::vector<double>& values, size_t begin, size_t width) {
  return static_cast<size_t>(
      std::max_element(values.begin() + static_cast<ptrdiff_t>(begin),
                       values.begin() + static_cast<ptrdiff_t>(begin + width)) -
      values.begin() - static_cast<ptrdiff_t>(begin));
}

}  // namespace

StatusOr<std::vector<double>> ToDoubles(const client::InferResult::Output& output) {
  std::vector<double> out;
  const std::string& dt = output.datatype;
  const std::string& raw = output.raw;
  if (dt == "FP32") {
    Convert<float>(raw, out);
  } else if (dt == "FP64") {
    Convert<double>(raw, out);
  } else if (dt == "FP16" || dt == "BF16") {
    for (size_t i = 0; i + 2 <= raw.size(); i += 2) {
      uint16_t bits;
      std::memcpy(&bits, raw.data() + i, 2);
      out.push_back(dt == "FP16" ? HalfToDouble(bits) : Bf16ToDouble(bits));
    }
  } else if (dt == "INT8") {
    Convert<int8_t>(raw, out);
  } else if (dt == "INT16") {
    Convert<int16_t>(raw, out);
  } else if (dt == "INT32") {
    Convert<int32_t>(raw, out);
  } else if (dt == "INT64") {
    Convert<int64_t>(raw, out);
  } else if (dt == "UINT8" || dt == "BOOL") {
    Convert<uint8_t>(raw, out);
  } else if (dt == "UINT16") {
    Convert<uint16_t>(raw, out);
  } else if (dt == "UINT32") {
    Convert<uint32_t>(raw, out);
  } else if (dt == "UINT64") {
    Convert<uint64_t>(raw, out);
  } else {
    return absl::InvalidArgumentError("output '" + output.name + "' is not numeric");
  }
  return out;
}

void OutputComparer::Add(const client::InferResult& a, const client::InferResult& b) {
  for (const auto& left : a.outputs()) {
    OutputComparison& c = by_name_[left.name];
    c.name = left.name;
    const client::InferResult::Output* right = nullptr;
    for (const auto& candidate : b.outputs()) {
      if (candidate.name == left.name) right = &candidate;
    }
    if (right == nullptr) {
      c.mismatch = "missing on the compared side";
      continue;
    }
    if (right->shape != left.shape || right->datatype != left.datatype) {
      c.mismatch = "shape or datatype differs";
      continue;
    }
    auto x = ToDoubles(left);
    auto y = ToDoubles(*right);
    if (!x.ok() || !y.ok()) {  // BYTES: equal or not
      if (left.raw != right->raw) c.mismatch = "contents differ";
      continue;
    }
    for (size_t i = 0; i < x->size(); ++i) {
      const double diff = std::abs((*x)[i] - (*y)[i]);
      c.max_abs_diff = std::max(c.max_abs_diff, std::isnan(diff) ? INFINITY : diff);
    }
    const int64_t width = left.shape.empty() ? 0 : left.shape.back();
    if (width > 1 && left.datatype != "BOOL") {
      c.classification = true;
      const auto w = static_cast<size_t>(width);
      for (size_t row = 0; row + w <= x->size(); row += w) {
        ++c.rows;
        c.agreed += ArgMax(*x, row, w) == ArgMax(*y, row, w) ? 1 : 0;
      }
    }
  }
}

std::vector<OutputComparison> OutputComparer::Results() const {
  std::vector<OutputComparison> out;
  for (const auto& [name, c] : by_name_) out.push_back(c);
  return out;
}

}  // namespace inferd::tools
