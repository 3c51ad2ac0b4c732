#include "backend/onnxruntime/instance_placement.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#ifdef INFERD_WITH_CUDA
#include "onnxruntime_cxx_api.h"
#endif

namespace inferd::backend::ort {
namespace {

using Group = ::inference::ModelInstanceGroup;

std::string GroupLabel(const ::inference::ModelConfig& config, const Group& group, int index) {
  return group.name().empty()
             ? absl::StrCat("instance_group ", index, " of model '", config.name(), "'")
             : absl::StrCat("instance_group '", group.name(), "'");
}

Status NoGpu(const ::inference::ModelConfig& config, const GpuSupport& gpu) {
  const std::string why =
      !gpu.built ? "this server has no GPU support (built without CUDA)"
                 : "no GPU is visible to this server (check the driver and CUDA_VISIBLE_DEVICES)";
  return absl::FailedPreconditionError(
      absl::StrCat("model '", config.name(), "': instance_group kind KIND_GPU needs a GPU; ", why,
                   " — set kind: KIND_CPU to run on the CPU"));
}

}  // namespace

GpuSupport DetectGpuSupport() {
  GpuSupport support;
#ifdef INFERD_WITH_CUDA
  // The CUDA build of inferd may still be run with a CPU-only libonnxruntime.
  try {
    const auto providers = Ort::GetAvailableProviders();
    support.built =
        std::find(providers.begin(), providers.end(), "CUDAExecutionProvider") != providers.end();
  } catch (const std::exception&) {
    support.built = false;
  }
  if (!support.built) return support;
  // CUDA_VISIBLE_DEVICES restricts what CUDA shows; without it, the driver's device list.
  if (const char* visible = std::getenv("CUDA_VISIBLE_DEVICES"); visible != nullptr) {
    for (std::string_view id : absl::StrSplit(visible, ',', absl::SkipWhitespace())) {
      if (id == "-1") break;  // CUDA stops at the first invalid id
      ++support.visible;
    }
  } else {
    std::error_code ec;
    for (std::filesystem::directory_iterator it("/proc/driver/nvidia/gpus", ec), end;
         !ec && it != end; it.increment(ec)) {
      ++support.visible;
    }
  }
#endif
  return support;
}

StatusOr<std::vector<int>> ModelGpus(const ::inference::ModelConfig& config,
                                     const GpuSupport& gpu) {
  std::vector<int> ids;
  bool any_cpu = false;
  bool any_gpu = false;
  int index = 0;
  for (const Group& group : config.instance_group()) {
    const std::string label = GroupLabel(config, group, index++);
    if (group.kind() == Group::KIND_MODEL) {
      return absl::InvalidArgumentError(
          absl::StrCat(label,
                       ": kind KIND_MODEL is for backends that place their own instances; "
                       "set kind: KIND_CPU"));
    }
    if (group.kind() == Group::KIND_CPU && !group.gpus().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          label, " has kind KIND_CPU but lists gpus; remove gpus or set kind: KIND_GPU"));
    }
    const bool on_gpu = group.kind() == Group::KIND_GPU ||
                        (group.kind() == Group::KIND_AUTO && !group.gpus().empty());
    if (!on_gpu) {
      any_cpu = true;
      continue;
    }
    any_gpu = true;
    if (!gpu.built || gpu.visible == 0) return NoGpu(config, gpu);
    for (int id : group.gpus()) {
      if (id < 0 || id >= gpu.visible) {
        return absl::InvalidArgumentError(
            absl::StrCat(label, " lists GPU ", id, " but ", gpu.visible, " GPU(s) are visible"));
      }
      ids.push_back(id);
    }
    if (group.gpus().empty()) {
      for (int id = 0; id < gpu.visible; ++id) ids.push_back(id);
    }
  }
  if (any_cpu && any_gpu) {
    return absl::InvalidArgumentError(absl::StrCat(
        "model '", config.name(),
        "' has both CPU and GPU instance groups; inferd places a model's instances on one kind "
        "of device: split it into two models or use one kind"));
  }
  return ids;
}

}  // namespace inferd::backend::ort
