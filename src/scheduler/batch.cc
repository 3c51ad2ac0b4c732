#include "scheduler/batch.h"

#include <cstring>
#include <numeric>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/data_type.h"

namespace inferd::scheduler {
namespace {

int64_t RowElements(const core::Shape& shape) {
  int64_t n = 1;
  for (size_t d = 1; d < shape.size(); ++d) n *= shape[d];
  return n;
}

uint32_t ReadLength(const std::byte* p) {
  uint32_t len = 0;
  for (int b = 3; b >= 0; --b) len = (len << 8) | static_cast<uint32_t>(p[b]);
  return len;
}

// Byte offset after skipping `elements` BYTES elements from `pos`, or npos when truncated.
size_t SkipBytesElements(std::span<const std::byte> data, size_t pos, int64_t elements) {
  for (int64_t e = 0; e < elements; ++e) {
    if (data.size() - pos < 4) return std::string::npos;
    const size_t len = ReadLength(data.data() + pos);
    pos += 4;
    if (data.size() - pos < len) return std::string::npos;
    pos += len;
  }
  return pos;
}

// Byte boundaries of each request's part of one batch output; empty on a malformed output.
std::vector<size_t> Boundaries(const core::Tensor& out, std::span<const int64_t> sizes) {
  std::vector<size_t> bounds{0};
  const int64_t row = RowElements(out.shape);
  const size_t elem = core::ElementSize(out.dtype);
  for (int64_t rows : sizes) {
    size_t next = bounds.back();
    if (out.dtype == core::DataType::kBytes) {
      next = SkipBytesElements(out.data, next, rows * row);
      if (next == std::string::npos) return {};
    } else {
      next += static_cast<size_t>(rows * row) * elem;
      if (next > out.data.size()) return {};
    }
    bounds.push_back(next);
  }
  return bounds;
}

}  // namespace

int64_t RequestBatchSize(const core::InferenceRequest& request, bool model_batches) {
  if (!model_batches || request.inputs.empty() || request.inputs[0].shape.empty()) return 1;
  return request.inputs[0].shape[0];
}

bool CanBatch(const core::InferenceRequest& first, const core::InferenceRequest& other) {
  if (first.inputs.size() != other.inputs.size()) return false;
  if (first.requested_outputs != other.requested_outputs) return false;
  const int64_t other_rows = RequestBatchSize(other, true);
  for (size_t i = 0; i < first.inputs.size(); ++i) {
    const core::Tensor& a = first.inputs[i];
    const core::Tensor& b = other.inputs[i];
    if (a.name != b.name || a.dtype != b.dtype || a.shape.size() != b.shape.size()) return false;
    if (a.shape.empty()) return false;  // nothing to concatenate along
    if (b.shape[0] != other_rows) return false;
    if (!std::equal(a.shape.begin() + 1, a.shape.end(), b.shape.begin() + 1)) return false;
  }
  return true;
}

std::vector<core::Tensor> GatherPool::Gather(
    std::span<const core::InferenceRequest* const> requests, int64_t total) {
  const auto& head = requests.front()->inputs;
  buffers_.resize(std::max(buffers_.size(), head.size()));
  std::vector<core::Tensor> gathered;
  gathered.reserve(head.size());
  for (size_t i = 0; i < head.size(); ++i) {
    size_t bytes = 0;
    for (const auto* r : requests) bytes += r->inputs[i].data.size();
    auto& buffer = buffers_[i];
    // Still referenced by an earlier batch (e.g. a backend output aliasing its input): replace.
    if (!buffer || buffer.use_count() > 1) buffer = std::make_shared<std::vector<std::byte>>();
    buffer->resize(bytes);
    size_t pos = 0;
    for (const auto* r : requests) {
      const auto& src = r->inputs[i].data;
      if (!src.empty()) std::memcpy(buffer->data() + pos, src.data(), src.size());
      pos += src.size();
    }
    core::Shape shape = head[i].shape;
    shape[0] = total;
    gathered.push_back(core::Tensor{head[i].name, head[i].dtype, std::move(shape),
                                    std::span<const std::byte>(buffer->data(), bytes), buffer});
  }
  return gathered;
}

StatusOr<std::vector<std::vector<core::Tensor>>> Scatter(std::span<const core::Tensor> outputs,
                                                         std::span<const int64_t> sizes) {
  const int64_t total = std::accumulate(sizes.begin(), sizes.end(), int64_t{0});
  std::vector<std::vector<core::Tensor>> parts(sizes.size());
  for (const core::Tensor& out : outputs) {
    if (out.shape.empty() || out.shape[0] != total) {
      return absl::InternalError(absl::StrCat("batch output '", out.name, "' has shape ",
                                              core::ShapeToString(out.shape),
                                              " but the batch size is ", total));
    }
    const auto bounds = Boundaries(out, sizes);
    if (bounds.empty()) {
      return absl::InternalError(
          absl::StrCat("batch output '", out.name, "' is shorter than its shape"));
    }
    for (size_t k = 0; k < sizes.size(); ++k) {
      core::Shape shape = out.shape;
      shape[0] = sizes[k];
      parts[k].push_back(core::Tensor{out.name, out.dtype, std::move(shape),
                                      out.data.subspan(bounds[k], bounds[k + 1] - bounds[k]),
                                      out.owner});
    }
  }
  return parts;
}

}  // namespace inferd::scheduler
