// The libtorch Backend (declared in libtorch_backend.h) and its registration.
#include <unistd.h>

#include <memory>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "backend/libtorch/libtorch_backend.h"
#include "backend/libtorch/torch_io_binding.h"
#include "backend/libtorch/torch_model.h"
#include "backend/libtorch/torch_plugin.h"
#include "backend/libtorch/torch_settings.h"

namespace inferd::backend {
namespace libtorch {
namespace {

constexpr const char* kModuleFileName = "libinferd_libtorch.so";

// Debian's libtorch is built without CUDA: a GPU request must fail rather than run on the CPU.
Status CheckTorchInstanceGroups(const ::inference::ModelConfig& config, const std::string& name) {
  for (const auto& group : config.instance_group()) {
    if (group.kind() == ::inference::ModelInstanceGroup::KIND_GPU) {
      return absl::InvalidArgumentError(absl::StrCat(
          "model '", name, "': KIND_GPU requested but this build's libtorch has no CUDA"));
    }
  }
  return absl::OkStatus();
}

Status WithModelName(const Status& status, const std::string& name) {
  return Status(status.code(), absl::StrCat("model '", name, "': ", status.message()));
}

class LibTorchBackend : public Backend {
 public:
  explicit LibTorchBackend(std::filesystem::path module_path)
      : module_path_(std::move(module_path)) {}

  std::string_view Name() const override { return "pytorch"; }

  StatusOr<core::ModelSignature> ReadSignature(const std::filesystem::path& /*file*/) override {
    // TorchScript states no element types or shapes: there is nothing to read without a config.
    return core::ModelSignature{};
  }

  StatusOr<std::unique_ptr<Model>> LoadModel(const ModelSpec& spec) override {
    RETURN_IF_ERROR(CheckTorchInstanceGroups(spec.config, spec.name));
    auto settings = ParseTorchSettings(spec.config);
    if (!settings.ok()) return WithModelName(settings.status(), spec.name);
    ASSIGN_OR_RETURN(TorchRuntime * runtime, OpenTorchRuntime(module_path_));
    if (settings->inter_op_threads > 0) {
      Status set = runtime->SetInterOpThreads(settings->inter_op_threads);
      if (!set.ok()) return WithModelName(set, spec.name);
    }
    auto module = runtime->Load(spec.model_file.string());
    if (!module.ok()) return WithModelName(module.status(), spec.name);
    auto binding = BindTorchIo(spec.config, (*module)->schema());
    if (!binding.ok()) return WithModelName(binding.status(), spec.name);
    return std::make_unique<TorchModel>(
        spec.name, spec.model_file, *settings, *std::move(binding), runtime,
        std::shared_ptr<TorchModule>(*std::move(module)),
        std::make_shared<const core::ModelSignature>(SignatureFromConfig(spec.config)));
  }

 private:
  const std::filesystem::path module_path_;
};

}  // namespace
}  // namespace libtorch

std::unique_ptr<Backend> CreateLibTorchBackend(std::filesystem::path module_path) {
  return std::make_unique<libtorch::LibTorchBackend>(std::move(module_path));
}

std::filesystem::path DefaultLibTorchModulePath() {
  std::error_code error;
  const std::filesystem::path binary = std::filesystem::read_symlink("/proc/self/exe", error);
  const std::filesystem::path dir = error ? std::filesystem::path(".") : binary.parent_path();
  for (const std::filesystem::path& candidate :
       {dir / ".." / INFERD_LIBTORCH_INSTALL_DIR / libtorch::kModuleFileName,
        dir / libtorch::kModuleFileName}) {
    if (std::filesystem::exists(candidate, error)) return candidate.lexically_normal();
  }
  // Other binaries of the build tree (tests, benchmarks) use the module the build made.
  return INFERD_LIBTORCH_BUILD_PATH;
}

Status RegisterLibTorchBackend(BackendRegistry& registry) {
  BackendRegistration registration;
  registration.name = "pytorch";
  registration.platforms = {"pytorch_libtorch"};
  registration.default_model_filename = "model.pt";
  registration.create = []() -> StatusOr<std::unique_ptr<Backend>> {
    return CreateLibTorchBackend(DefaultLibTorchModulePath());
  };
  // No auto-complete: the config lists the inputs and outputs (torch_io_binding.h).
  return registry.Register(std::move(registration));
}

}  // namespace inferd::backend
