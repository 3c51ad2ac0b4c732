#include "lifecycle/warmup.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/data_type.h"
#include "core/shape.h"
#include "core/tensor.h"
#include "repository/repository_paths.h"

namespace inferd::lifecycle {
namespace {

// Bytes of a BYTES tensor of `count` empty strings: a zero 4-byte length per element.
size_t TensorBytes(core::DataType dtype, int64_t count) {
  return static_cast<size_t>(count) *
         (dtype == core::DataType::kBytes ? 4 : core::ElementSize(dtype));
}

// Warm-up files are raw tensors: 1 GiB is far beyond any sensible sample.
constexpr uintmax_t kMaxWarmupFileBytes = uintmax_t{1} << 30;

StatusOr<core::Tensor> SampleInput(const ::inference::ModelWarmup& sample, const std::string& name,
                                   const ::inference::ModelWarmup::Input& input,
                                   const ::inference::ModelConfig& config,
                                   const repository::RepositoryRoot& model_dir) {
  const core::DataType dtype = core::FromConfigType(input.data_type());
  if (dtype == core::DataType::kInvalid) {
    return absl::InvalidArgumentError(
        absl::StrCat("warmup sample '", sample.name(), "': input '", name, "' has no data_type"));
  }
  core::Shape shape;
  if (config.max_batch_size() > 0) shape.push_back(std::max<uint32_t>(1, sample.batch_size()));
  shape.insert(shape.end(), input.dims().begin(), input.dims().end());
  auto count = core::ElementCount(shape, int64_t{1} << 31);
  if (!count.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("warmup sample '", sample.name(), "': input '",
                                                   name, "': ", count.status().message()));
  }
  if (input.input_data_type_case() == ::inference::ModelWarmup::Input::kInputDataFile) {
    ASSIGN_OR_RETURN(
        std::string bytes,
        repository::ReadRepositoryFile(
            model_dir, model_dir.path / "warmup" / input.input_data_file(), kMaxWarmupFileBytes));
    if (dtype != core::DataType::kBytes && bytes.size() != TensorBytes(dtype, *count)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "warmup sample '", sample.name(), "': file '", input.input_data_file(), "' holds ",
          bytes.size(), " bytes, input '", name, "' needs ", TensorBytes(dtype, *count)));
    }
    auto owned = core::MakeOwnedTensor(name, dtype, shape, bytes.size());
    std::copy_n(reinterpret_cast<const std::byte*>(bytes.data()), bytes.size(),
                owned.writable.begin());
    return owned.tensor;
  }
  auto owned = core::MakeOwnedTensor(name, dtype, shape, TensorBytes(dtype, *count));
  if (input.random_data() && dtype != core::DataType::kBytes) {
    // Small random values (not random bits: those would include NaN and denormals).
    std::mt19937 rng(42);
    std::uniform_int_distribution<int> value(0, 3);
    const size_t element = core::ElementSize(dtype);
    for (size_t i = 0; i < owned.writable.size(); i += element) {
      if (dtype == core::DataType::kFp32) {
        const float f = static_cast<float>(value(rng));
        std::memcpy(owned.writable.data() + i, &f, sizeof f);
      } else {
        owned.writable[i] = static_cast<std::byte>(value(rng));
      }
    }
  }
  return owned.tensor;
}

}  // namespace

Status RunWarmup(const ::inference::ModelConfig& config, const std::filesystem::path& model_dir,
                 std::span<const std::unique_ptr<backend::Instance>> instances, bool allow_outside,
                 const core::CancellationFlag& cancel) {
  const repository::RepositoryRoot root{model_dir, allow_outside};
  for (const auto& sample : config.model_warmup()) {
    std::vector<core::Tensor> inputs;
    for (const auto& spec : config.input()) {
      auto it = sample.inputs().find(spec.name());
      if (it == sample.inputs().end()) {
        if (spec.optional()) continue;
        return absl::InvalidArgumentError(absl::StrCat(
            "warmup sample '", sample.name(), "' has no data for input '", spec.name(), "'"));
      }
      ASSIGN_OR_RETURN(auto tensor, SampleInput(sample, spec.name(), it->second, config, root));
      inputs.push_back(std::move(tensor));
    }
    for (const auto& instance : instances) {
      for (uint32_t i = 0; i < std::max<uint32_t>(1, sample.count()); ++i) {
        if (cancel.IsCancelled()) {
          return absl::CancelledError(absl::StrCat("warmup sample '", sample.name(),
                                                   "' cancelled: the load was cancelled"));
        }
        auto outputs = instance->Execute(inputs, {});
        if (!outputs.ok()) {
          return Status(outputs.status().code(),
                        absl::StrCat("warmup sample '", sample.name(),
                                     "' failed: ", outputs.status().message()));
        }
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace inferd::lifecycle
