#include "server/backend_config.h"

#include <algorithm>
#include <array>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace inferd::server {
namespace {

constexpr std::string_view kDefaultMaxBatchSize = "default-max-batch-size";

// Settings Triton's ONNX Runtime backend reads from --backend-config that inferd does not
// implement: a model's threads are set per model (parameters intra_op_thread_count, ...).
constexpr std::array<std::string_view, 4> kTritonOrtSettings = {
    "enable-global-threadpool", "intra_op_thread_count", "inter_op_thread_count",
    "min-compute-capability"};

Status BadBackendConfig(const std::string& text, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("--backend-config=", text, ": ", std::string(why),
                                                 " (expected <backend>,<setting>=<value> or "
                                                 "<setting>=<value>)"));
}

}  // namespace

StatusOr<BackendConfig> ParseBackendConfigs(const std::vector<std::string>& args) {
  BackendConfig config;
  for (const std::string& text : args) {
    BackendSetting setting;
    setting.text = text;
    std::string_view rest = text;
    const size_t comma = rest.find(',');
    const size_t equals = rest.find('=');
    if (equals == std::string_view::npos) return BadBackendConfig(text, "no '='");
    if (comma != std::string_view::npos && comma < equals) {
      setting.backend = std::string(rest.substr(0, comma));
      if (setting.backend.empty()) return BadBackendConfig(text, "empty backend name");
      rest.remove_prefix(comma + 1);
    }
    const size_t eq = rest.find('=');
    setting.key = std::string(rest.substr(0, eq));
    setting.value = std::string(rest.substr(eq + 1));
    if (setting.key.empty()) return BadBackendConfig(text, "empty setting name");
    if (setting.key == kDefaultMaxBatchSize) {
      int size = 0;
      if (!absl::SimpleAtoi(setting.value, &size) || size < 0) {
        return BadBackendConfig(text, "default-max-batch-size must be an integer >= 0");
      }
      config.default_max_batch_size = size;
    }
    config.settings.push_back(std::move(setting));
  }
  return config;
}

std::vector<std::string> BackendConfigWarnings(const BackendConfig& config,
                                               const backend::BackendRegistry& backends) {
  std::vector<std::string> warnings;
  for (const BackendSetting& setting : config.settings) {
    const std::string prefix = absl::StrCat("--backend-config=", setting.text, ": ");
    if (!setting.backend.empty()) {
      ::inference::ModelConfig probe;
      probe.set_backend(setting.backend);
      if (!backends.Resolve(probe).ok()) {
        warnings.push_back(absl::StrCat(prefix, "backend '", setting.backend,
                                        "' is not in this server (it serves ",
                                        backends.KnownBackends(), "); ignored"));
        continue;
      }
    }
    if (setting.key == kDefaultMaxBatchSize) continue;
    const bool triton_ort = (setting.backend.empty() || setting.backend == "onnxruntime") &&
                            std::find(kTritonOrtSettings.begin(), kTritonOrtSettings.end(),
                                      setting.key) != kTritonOrtSettings.end();
    warnings.push_back(absl::StrCat(
        prefix, triton_ort
                    ? "a Triton onnxruntime setting inferd does not implement (set threads per "
                      "model with parameters { key: \"intra_op_thread_count\" ... }); ignored"
                    : absl::StrCat("unknown setting '", setting.key, "'; ignored")));
  }
  return warnings;
}

}  // namespace inferd::server
