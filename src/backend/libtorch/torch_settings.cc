#include "backend/libtorch/torch_settings.h"

#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace inferd::backend::libtorch {
namespace {

// Far above any core count; rejects typos such as "10000" before libtorch spawns them.
constexpr int kMaxTorchThreads = 1024;

const std::string* FindTorchParameter(const ::inference::ModelConfig& config,
                                      const std::string& key) {
  auto it = config.parameters().find(key);
  return it == config.parameters().end() ? nullptr : &it->second.string_value();
}

Status ParseTorchThreads(const ::inference::ModelConfig& config, const std::string& key, int& out) {
  const std::string* value = FindTorchParameter(config, key);
  if (value == nullptr) return absl::OkStatus();
  int parsed = 0;
  if (!absl::SimpleAtoi(*value, &parsed) || parsed < 0 || parsed > kMaxTorchThreads) {
    return absl::InvalidArgumentError(absl::StrCat("parameter '", key,
                                                   "' must be an integer in [0, ", kMaxTorchThreads,
                                                   "], got '", *value, "'"));
  }
  out = parsed;
  return absl::OkStatus();
}

StatusOr<std::optional<bool>> ParseTorchBool(const ::inference::ModelConfig& config,
                                             const std::string& key) {
  const std::string* value = FindTorchParameter(config, key);
  if (value == nullptr) return std::optional<bool>();
  const std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(*value));
  if (lower == "1" || lower == "true") return std::optional<bool>(true);
  if (lower == "0" || lower == "false") return std::optional<bool>(false);
  return absl::InvalidArgumentError(
      absl::StrCat("parameter '", key, "' must be true, false, 1 or 0, got '", *value, "'"));
}

}  // namespace

StatusOr<TorchSettings> ParseTorchSettings(const ::inference::ModelConfig& config) {
  TorchSettings settings;
  RETURN_IF_ERROR(
      ParseTorchThreads(config, "INTRA_OP_THREAD_COUNT", settings.execution.intra_op_threads));
  RETURN_IF_ERROR(ParseTorchThreads(config, "INTER_OP_THREAD_COUNT", settings.inter_op_threads));
  ASSIGN_OR_RETURN(std::optional<bool> inference, ParseTorchBool(config, "INFERENCE_MODE"));
  settings.execution.inference_mode = inference.value_or(true);
  ASSIGN_OR_RETURN(std::optional<bool> disable_optimized,
                   ParseTorchBool(config, "DISABLE_OPTIMIZED_EXECUTION"));
  settings.execution.optimized_execution = !disable_optimized.value_or(false);
  ASSIGN_OR_RETURN(settings.execution.jit_executor, ParseTorchBool(config, "ENABLE_JIT_EXECUTOR"));
  ASSIGN_OR_RETURN(settings.execution.jit_profiling,
                   ParseTorchBool(config, "ENABLE_JIT_PROFILING"));
  ASSIGN_OR_RETURN(settings.execution.tensor_fuser, ParseTorchBool(config, "ENABLE_TENSOR_FUSER"));
  ASSIGN_OR_RETURN(std::optional<bool> sharing, ParseTorchBool(config, "ENABLE_WEIGHT_SHARING"));
  settings.weight_sharing = sharing.value_or(false);
  // CUDA-only switches: parsed so that a typo is still an error, then unused on the CPU.
  for (const char* key : {"ENABLE_CACHE_CLEANING", "DISABLE_CUDNN", "ENABLE_NVFUSER"}) {
    ASSIGN_OR_RETURN(std::optional<bool> ignored, ParseTorchBool(config, key));
    (void)ignored;
  }
  return settings;
}

}  // namespace inferd::backend::libtorch
