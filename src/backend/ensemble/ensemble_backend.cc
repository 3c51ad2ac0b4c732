#include "backend/ensemble/ensemble_backend.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/ensemble_graph.h"
#include "core/text_reader.h"

namespace inferd::backend {
namespace {

constexpr char kEnsemblePlatform[] = "ensemble";

// Never executes: the ensemble scheduler runs the steps instead.
class EnsembleInstance : public Instance {
 public:
  StatusOr<std::vector<core::Tensor>> Execute(std::span<const core::Tensor>,
                                              std::span<const std::string>) override {
    return absl::InternalError("an ensemble runs through its steps, not an instance");
  }
};

template <typename IOs>
std::vector<core::TensorSpec> EnsembleSpecs(const IOs& ios, int max_batch_size) {
  std::vector<core::TensorSpec> specs;
  for (const auto& io : ios) {
    core::TensorSpec spec{io.name(), core::FromConfigType(io.data_type()), {}};
    if (max_batch_size > 0) spec.dims.push_back(-1);
    const auto& dims = io.has_reshape() ? io.reshape().shape() : io.dims();
    spec.dims.insert(spec.dims.end(), dims.begin(), dims.end());
    specs.push_back(std::move(spec));
  }
  return specs;
}

// The signature is the config's own: an ensemble's inputs and outputs are what it declares.
class EnsembleModel : public Model {
 public:
  explicit EnsembleModel(const ::inference::ModelConfig& config)
      : signature_(std::make_shared<core::ModelSignature>(
            core::ModelSignature{EnsembleSpecs(config.input(), config.max_batch_size()),
                                 EnsembleSpecs(config.output(), config.max_batch_size())})) {}
  StatusOr<std::unique_ptr<Instance>> CreateInstance(int) override {
    return std::make_unique<EnsembleInstance>();
  }
  std::shared_ptr<const core::ModelSignature> signature() const override { return signature_; }

 private:
  const std::shared_ptr<const core::ModelSignature> signature_;
};

// Ensembles and text readers: models whose requests run on other models' schedulers.
class EnsembleBackend : public Backend {
 public:
  explicit EnsembleBackend(std::string_view name) : name_(name) {}
  std::string_view Name() const override { return name_; }
  StatusOr<core::ModelSignature> ReadSignature(const std::filesystem::path&) override {
    return absl::UnimplementedError(
        absl::StrCat("a model of platform '", std::string(name_), "' has no model file"));
  }
  StatusOr<std::unique_ptr<Model>> LoadModel(const ModelSpec& spec) override {
    return std::make_unique<EnsembleModel>(spec.config);
  }

 private:
  const std::string_view name_;
};

Status CheckEnsembleConfig(const ::inference::ModelConfig& config) {
  if (!core::IsEnsemble(config)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "model '", config.name(), "' has platform \"ensemble\" but no ensemble_scheduling"));
  }
  if (config.input().empty() || config.output().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ensemble '", config.name(), "' must declare its inputs and outputs in config.pbtxt"));
  }
  return core::BuildEnsembleGraph(config).status();
}

}  // namespace

Status RegisterEnsembleBackend(BackendRegistry& registry) {
  BackendRegistration registration;
  registration.name = kEnsemblePlatform;
  registration.platforms = {kEnsemblePlatform};
  registration.create = []() -> StatusOr<std::unique_ptr<Backend>> {
    return std::make_unique<EnsembleBackend>(kEnsemblePlatform);
  };
  registration.check_config = CheckEnsembleConfig;
  return registry.Register(std::move(registration));
}

Status RegisterTextReaderBackend(BackendRegistry& registry) {
  BackendRegistration registration;
  registration.name = std::string(core::kTextReaderPlatform);
  registration.platforms = {std::string(core::kTextReaderPlatform)};
  registration.create = []() -> StatusOr<std::unique_ptr<Backend>> {
    return std::make_unique<EnsembleBackend>(core::kTextReaderPlatform);
  };
  registration.check_config = [](const ::inference::ModelConfig& config) {
    return core::ParseTextReaderSpec(config).status();
  };
  return registry.Register(std::move(registration));
}

}  // namespace inferd::backend
